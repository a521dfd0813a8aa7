//! 志愿 — volunteer services.

crate::texts! {
    /// 志愿 — volunteer services.
    pub struct VolunteerText {
        title: &'static str = "志愿服务", "Volunteering";
        empty_title: &'static str = "还没有志愿活动", "No volunteer tasks yet";
        empty_body: &'static str = "加入社区后，你可以在这里：", "Once you join a community, this is where you:";
        empty_items: [&'static str; 3] = [
            "登记你的特长和空闲时间",
            "报名志愿活动，到场签到签退",
            "确认的服务时长自动换成积分",
        ], [
            "Register your skills and when you are free",
            "Sign up for tasks and check in and out on site",
            "Turn confirmed hours into points",
        ];
        skill_names: [&'static str; 7] = ["助老", "医疗", "维修", "法律", "文艺", "巡逻", "环境"],
            ["助老", "医疗", "维修", "法律", "文艺", "巡逻", "环境"];
        weekdays: [&'static str; 7] = ["一", "二", "三", "四", "五", "六", "日"],
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        periods: [&'static str; 3] = ["上午", "下午", "晚上"], ["Morning", "Afternoon", "Evening"];
        my_hours: &'static str = "我的服务时长", "My hours";
        my_hours_total: &'static str = "{hours} 小时 · {n} 次活动 · 换得 {points} 分", "{hours} h · {n} activities · {points} points";
        my_hours_none: &'static str = "还没有确认的服务时长。", "No confirmed hours yet.";
        hours_reversed: &'static str = "已撤销", "Reversed";
        minutes_of: &'static str = "{h} 小时", "{h} h";
        profile_link: &'static str = "我的志愿者资料", "My volunteer profile";
        profile_missing: &'static str = "登记特长和空闲时间，社工就能找到适合你的活动。", "Register your skills and free time so staff can find tasks that suit you.";
        new_link: &'static str = "发布活动", "New activity";
        match_all_link: &'static str = "一键匹配", "Match all";
        mine: &'static str = "我报名的活动", "My activities";
        open_title: &'static str = "可以报名的活动", "Open to you";
        open_none: &'static str = "现在没有可以报名的活动。", "No activities open right now.";
        staff_title: &'static str = "待确认时长", "Hours to confirm";
        months: &'static str = "社区每月志愿时长", "Community volunteer hours by month";
        near: &'static str = "本网格", "Your grid";
        slots: &'static str = "已报 {n}/{slots} 人", "{n}/{slots} signed up";
        waiting_n: &'static str = "{n} 人候补", "{n} waiting";
        full: &'static str = "已满", "Full";
        confirmed: &'static str = "已报名", "Signed up";
        waiting_at: &'static str = "候补第 {n} 位", "Waiting list: number {n}";
        cancelled: &'static str = "已取消", "Cancelled";
        cancelled_because: &'static str = "活动已取消：{reason}", "Cancelled: {reason}";
        per_hour: &'static str = "每小时 {n} 分", "{n} points an hour";
        skills_needed: &'static str = "需要", "Skills";
        signup: &'static str = "报名", "Sign up";
        signup_wait: &'static str = "报名候补", "Join the waiting list";
        signed_up: &'static str = "报名成功", "You are signed up";
        waitlisted: &'static str = "已排入候补第 {n} 位，有人退出时自动补上", "You are number {n} on the waiting list; you move up when someone withdraws";
        withdraw: &'static str = "退出", "Withdraw";
        withdraw_title: &'static str = "退出这个活动？", "Withdraw from this activity?";
        withdraw_body: &'static str = "你的名额会自动让给候补第一位。", "Your place goes to the first on the waiting list.";
        checkin: &'static str = "扫码签到", "Scan to check in";
        checkin_code: &'static str = "签到码（扫不了时粘贴）", "Check-in code (paste if you cannot scan)";
        checkin_send: &'static str = "签到", "Check in";
        checkout: &'static str = "签退", "Check out";
        checked_in: &'static str = "{time} 已签到", "Checked in at {time}";
        checked_out: &'static str = "{time} 已签退", "Checked out at {time}";
        qr_title: &'static str = "签到二维码", "Check-in QR code";
        qr_hint: &'static str = "请志愿者用邻里扫码签到。二维码每 30 秒更新，10 分钟内有效。", "Volunteers scan this with Linli. It renews every 30 s and is valid for 10 minutes.";
        qr_other_activity: &'static str = "这是另一个活动的签到码，请扫本活动的二维码。", "That code is for another activity: scan this activity's code.";
        qr_expired: &'static str = "签到码已过期，请让社工刷新后再扫。", "That code has expired: ask for a fresh one.";
        qr_bad: &'static str = "这不是签到码。", "That is not a check-in code.";
        clock_off: &'static str = "手机时间与社工的相差 {n} 分钟，请先校准手机时间再签到。", "Your phone's clock is {n} minutes off the worker's: set the time, then check in.";
        no_camera: &'static str = "打不开相机，请粘贴签到码。", "The camera did not open: paste the code instead.";
        people: &'static str = "志愿者名单", "Volunteers";
        people_none: &'static str = "还没有人报名。", "Nobody has signed up yet.";
        tick_in: &'static str = "签到", "In";
        tick_out: &'static str = "签退", "Out";
        hours_link: &'static str = "确认服务时长", "Confirm hours";
        cancel_activity: &'static str = "取消活动", "Cancel activity";
        cancel_reason: &'static str = "取消原因（会告诉报名的人）", "Why (volunteers are told)";
        match_title: &'static str = "推荐人选", "Suggested volunteers";
        match_none: &'static str = "没有符合条件的志愿者（特长、空闲时间）。", "No volunteer fits (skills, free time).";
        match_assign: &'static str = "按建议安排 {n} 人", "Assign the {n} suggested";
        match_assign_some: &'static str = "安排选中的 {n} 人", "Assign the {n} chosen";
        match_done: &'static str = "已安排 {n} 人", "{n} assigned";
        match_free: &'static str = "还差 {n} 人", "{n} places left";
        reason_skills: &'static str = "有特长：{skills}", "Has {skills}";
        reason_free: &'static str = "时间合适", "Free then";
        reason_grid: &'static str = "同网格", "Same grid";
        reason_recent: &'static str = "近 30 天服务 {h} 小时", "{h} h in the last 30 days";
        reason_last: &'static str = "上次服务 {date}", "Last served {date}";
        reason_never: &'static str = "还没服务过", "Never served";
        reason_asked: &'static str = "已报名候补", "On the waiting list";
        match_all_title: &'static str = "一键匹配", "Match all";
        match_all_intro: &'static str = "为所有还缺人的活动一起找最合适的人：每人一次最多安排一个活动，近期服务少的人优先。", "Finds the best people for every activity still short of volunteers at once: one activity per person per round, those who served less lately first.";
        match_all_total: &'static str = "{a} 个活动共安排 {n} 人", "{n} people for {a} activities";
        match_all_assign: &'static str = "全部按建议安排", "Assign them all";
        hours_title: &'static str = "确认服务时长", "Confirm hours";
        hours_intro: &'static str = "按签到签退预填，可修改。确认后自动记入积分。", "Prefilled from check-in and check-out; change any. Confirmed hours become points.";
        hours_minutes: &'static str = "分钟", "minutes";
        hours_done_row: &'static str = "已确认 {m} 分钟", "{m} minutes confirmed";
        hours_self: &'static str = "自己的时长请别人确认", "Someone else confirms your own hours";
        hours_submit: &'static str = "确认 {n} 人的时长", "Confirm hours for {n}";
        hours_confirm: &'static str = "确认 {n} 人共 {h} 小时？", "Confirm {h} hours for {n} people?";
        hours_confirm_body: &'static str = "确认后换成积分；如有错误，由其他工作人员撤销。", "They become points; a mistake is reversed by another staff member.";
        hours_record: &'static str = "确认", "Confirm";
        hours_saved: &'static str = "已确认 {n} 人的时长", "Hours confirmed for {n}";
        hours_nobody: &'static str = "没有待确认的志愿者。", "Nobody's hours are waiting.";
        hours_pick: &'static str = "请至少选一个人", "Choose at least one person";
        profile_title: &'static str = "我的志愿者资料", "My volunteer profile";
        profile_skills: &'static str = "特长（点选）", "Skills (tap to choose)";
        profile_other: &'static str = "其他特长", "Another skill";
        profile_add: &'static str = "添加", "Add";
        profile_times: &'static str = "空闲时间（点格子）", "When you are free (tap the boxes)";
        profile_grid: &'static str = "所在网格", "Your grid";
        profile_active: &'static str = "接受活动邀请", "Open to invitations";
        profile_save: &'static str = "保存", "Save";
        profile_saved: &'static str = "已保存", "Saved";
        new_title: &'static str = "发布志愿活动", "New volunteer activity";
        f_title: &'static str = "活动名称", "Title";
        f_body: &'static str = "活动说明", "Details";
        f_place: &'static str = "地点", "Place";
        f_grid: &'static str = "服务网格（空着即全社区）", "Grid (empty: the whole community)";
        f_date: &'static str = "日期", "Date";
        f_from: &'static str = "开始", "Starts";
        f_to: &'static str = "结束", "Ends";
        f_slots: &'static str = "需要人数", "Volunteers needed";
        f_rule: &'static str = "积分规则（按小时）", "Points rule (per hour)";
        f_no_rule: &'static str = "不计积分", "No points";
        f_waitlist: &'static str = "满员后可以候补", "Waiting list when full";
        f_submit: &'static str = "发布", "Publish";
        f_when_missing: &'static str = "请填日期和时间", "Enter the date and times";
        refused: &'static str = "你的{what}没有成功：{why}", "{what} did not go through: {why}";
        not_found: &'static str = "找不到这个活动。", "No such activity.";
    }
}
