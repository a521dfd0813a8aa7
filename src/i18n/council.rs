//! 议事 — resident councils: proposals, ballots, meetings.

crate::texts! {
    /// 议事 — resident councils: proposals, ballots, meetings.
    pub struct CouncilText {
        title: &'static str = "居民议事", "Resident council";
        empty_title: &'static str = "还没有议题", "No proposals yet";
        empty_body: &'static str =
            "加入社区后，你可以在这里参与居民议事会：",
            "Once you join a community, this is where you take part in the resident council:";
        empty_items: [&'static str; 3] = [
            "提出议题，请邻居附议",
            "参与协商，发表你的意见",
            "在手机上表决，查看结果和落实进度",
        ], [
            "Propose an issue and ask neighbours to second it",
            "Deliberate and add your comments",
            "Vote on your phone and follow the result and its implementation",
        ];
        st_collecting: &'static str = "征集附议", "Collecting seconds";
        st_deliberating: &'static str = "协商中", "Deliberating";
        st_voting: &'static str = "表决中", "Voting";
        st_decided: &'static str = "已表决", "Decided";
        st_implementing: &'static str = "落实中", "Being carried out";
        st_done: &'static str = "已完成", "Done";
        st_withdrawn: &'static str = "已撤回", "Withdrawn";
        propose: &'static str = "我要提议", "Make a proposal";
        none_yet: &'static str =
            "还没有议题。有想法？点“我要提议”。",
            "No proposals yet. Have an idea? Tap “Make a proposal”.";
        p_seconds: &'static str = "附议", "Seconds";
        p_second_action: &'static str = "附议", "Second";
        p_seconds_reached: &'static str = "{have}（已达到 {need}）", "{have} (of {need}: reached)";
        p_seconded: &'static str = "已附议", "Seconded";
        p_comments: &'static str = "协商意见", "Discussion";
        p_comment_placeholder: &'static str = "说说你的意见", "Your view";
        p_comment_send: &'static str = "发表", "Post";
        p_hidden: &'static str = "已被议事会隐藏：", "Hidden by the council: ";
        p_hide: &'static str = "隐藏", "Hide";
        p_hide_reasons: [&'static str; 3] = [
            "不文明用语",
            "与议题无关",
            "泄露他人隐私",
        ], [
            "Uncivil language",
            "Off-topic",
            "Reveals someone's private details",
        ];
        p_hide_other: &'static str = "其他原因（请写明）", "Another reason (say which)";
        p_hide_title: &'static str = "隐藏这条意见？", "Hide this comment?";
        p_hide_body: &'static str =
            "意见不会被删除：所有人会看到“已被议事会隐藏”和你选的原因。",
            "The comment is not deleted: everyone sees that the council hid it, and why.";
        p_hide_reason_label: &'static str = "隐藏的原因", "Why";
        p_open_title: &'static str = "开始表决？", "Open the ballot?";
        p_open_body: &'static str =
            "开始后不能再附议或撤回，居民可以投票，直到议事会结束表决。",
            "Once open, no more seconds or withdrawal: members vote until the council closes it.";
        p_open_period: &'static str = "表决期限", "Voting period";
        p_period_days: [&'static str; 3] = ["3 天", "7 天", "14 天"], ["3 days", "7 days", "14 days"];
        p_period_none: &'static str = "不设截止", "No end date";
        p_ends: &'static str = "表决截止", "Voting ends";
        p_ends_none: &'static str = "未设截止，由议事会结束", "No end date: the council closes it";
        p_overdue_hint: &'static str =
            "已过截止时间，等待议事会结束表决并计票。",
            "Past its end: waiting for the council to close and count.";
        p_close_title: &'static str = "结束表决并计票？", "Close the ballot and count?";
        p_close_body: &'static str =
            "现在参与 {cast} / {eligible}（{pct}%），法定参与比例 {quorum}%：{met}。结束后结果不再改变。",
            "Turnout now {cast} / {eligible} ({pct}%), quorum {quorum}%: {met}. After the close the result is final.";
        p_quorum_met: &'static str = "已达到", "met";
        p_quorum_not_met: &'static str = "未达到，结束后表决无效", "not met: the ballot would fail";
        p_withdraw_title: &'static str = "撤回这个议题？", "Withdraw this proposal?";
        p_withdraw_body: &'static str =
            "撤回后不能恢复，附议和意见都会保留。",
            "This cannot be undone; its seconds and comments stay on record.";
        p_why_simple: &'static str =
            "赞成 {yes} 票，需要超过全部 {cast} 票（弃权也计入）的一半：{verdict}。",
            "{yes} yes of {cast} votes cast (abstentions count): more than half is needed — {verdict}.";
        p_why_two_thirds: &'static str =
            "赞成 {yes} 票，全部 {cast} 票（弃权也计入）需要至少三分之二：{verdict}。",
            "{yes} yes of {cast} votes cast (abstentions count): two thirds are needed — {verdict}.";
        p_why_passed: &'static str = "达到，通过", "reached, passed";
        p_why_failed: &'static str = "没有达到，未通过", "not reached, not passed";
        p_why_no_quorum: &'static str =
            "参与 {cast} / {eligible}（{pct}%），没有达到法定参与比例 {quorum}%，表决无效。",
            "Turnout {cast} / {eligible} ({pct}%) is below the quorum of {quorum}%: the ballot failed.";
        p_vote: &'static str = "表决", "Vote";
        p_your_vote: &'static str = "你的选择：{}", "Your vote: {}";
        p_change_hint: &'static str =
            "表决结束前可以改票",
            "You can change your vote until the ballot closes";
        p_confirm: &'static str = "确认投「{}」？", "Vote “{}”?";
        p_tally_hidden: &'static str = "计票结果将在表决结束后公布", "The tally is shown when the ballot closes";
        p_not_eligible: &'static str = "你不在这次表决的范围内", "You are not eligible for this ballot";
        p_open: &'static str = "开始表决", "Open the ballot";
        p_close: &'static str = "结束表决并计票", "Close and count";
        p_withdraw: &'static str = "撤回议题", "Withdraw";
        p_outcome_passed: &'static str = "表决通过", "Passed";
        p_outcome_rejected: &'static str = "未通过", "Not passed";
        p_outcome_no_quorum: &'static str = "参与人数不足，表决无效", "No quorum";
        p_turnout: &'static str = "参与", "Turnout";
        p_progress: &'static str = "落实进展", "Follow-up";
        p_progress_placeholder: &'static str = "落实情况", "What was done";
        p_progress_done: &'static str = "已全部完成", "Fully carried out";
        p_progress_send: &'static str = "发布进展", "Post update";
        p_print: &'static str = "打印公示", "Print notice";
        p_rules: &'static str = "规则", "Rules";
        elig_resident: &'static str = "每位居民一票", "One vote per resident";
        elig_household: &'static str = "每户一票", "One vote per household";
        elig_council: &'static str = "仅议事会成员", "Council members only";
        thr_simple: &'static str = "过半数通过", "Simple majority";
        thr_two_thirds: &'static str = "三分之二通过", "Two-thirds majority";
        quorum: &'static str = "法定参与比例", "Quorum";
        new_title: &'static str = "提出议题", "New proposal";
        new_title_field: &'static str = "标题", "Title";
        new_body_field: &'static str = "具体内容", "Details";
        new_category_field: &'static str =
            "类别（如 环境、安全、停车）",
            "Category (e.g. environment, safety, parking)";
        new_eligibility: &'static str = "谁来表决", "Who votes";
        new_threshold: &'static str = "通过条件", "To pass";
        new_quorum: &'static str = "至少多少人参与（%）", "Minimum turnout (%)";
        new_seconds: &'static str = "需要几位邻居附议", "Seconds needed";
        new_hide: &'static str = "表决结束前不公布票数", "Hide the tally until the close";
        new_submit: &'static str = "提交议题", "Submit";
        new_bad_number: &'static str = "请填一个整数", "Enter a whole number";
        p_not_found: &'static str = "找不到这个议题", "Proposal not found";
        notice_ballot: &'static str = "表决结果公示", "Ballot result";
        m_section: &'static str = "议事会会议", "Council meetings";
        m_new: &'static str = "安排会议", "Schedule a meeting";
        m_title_field: &'static str = "会议名称", "Meeting title";
        m_at_field: &'static str = "时间", "Time";
        m_place_field: &'static str = "地点", "Place";
        m_submit: &'static str = "发布会议", "Publish";
        m_code: &'static str = "签到码", "Check-in code";
        m_code_hint: &'static str =
            "会上把签到码念给大家，或让大家扫码",
            "Read the code out at the meeting, or let people scan it";
        m_checkin: &'static str = "签到", "Check in";
        m_checked_in: &'static str = "已签到", "Checked in";
        m_code_placeholder: &'static str = "输入会上公布的签到码", "Enter the code announced at the meeting";
        m_attendance: &'static str = "到会", "Attendance";
        m_minutes: &'static str = "会议纪要", "Minutes";
        m_minutes_placeholder: &'static str = "记录会议内容和决定", "What was discussed and decided";
        m_minutes_send: &'static str = "发布纪要", "Publish minutes";
        m_print: &'static str = "打印纪要", "Print minutes";
        charter_title: &'static str = "议事规则", "Standing rules";
        charter_intro: &'static str =
            "议事会定下的规则，对之后提出的每个议题都有效：提议不能低于这些要求。",
            "The council's rules for every proposal made from now on: no proposal may ask less.";
        charter_none: &'static str =
            "议事会还没有定下议事规则：提议时可以自由选择参与比例、附议人数和表决方式。",
            "The council has not adopted standing rules yet: proposals may choose any quorum, seconds and voters.";
        charter_min_quorum: &'static str = "法定参与比例至少（%）", "Least quorum (%)";
        charter_min_seconds: &'static str = "至少需要几位邻居附议", "Fewest seconds";
        charter_resident: &'static str = "居民提议时可选的表决方式", "Voters a resident's proposal may choose";
        charter_save: &'static str = "保存议事规则", "Save the standing rules";
        charter_saved: &'static str = "议事规则已保存", "The standing rules are saved";
        charter_link: &'static str = "议事规则", "Standing rules";
        new_at_least_pct: &'static str = "议事规则要求至少 {}%", "The standing rules ask at least {}%";
        new_at_least: &'static str = "议事规则要求至少 {} 位", "The standing rules ask at least {}";
        m_not_found: &'static str = "找不到这个会议", "Meeting not found";
        opt_yes: &'static str = "赞成", "Yes";
        opt_no: &'static str = "反对", "No";
        opt_abstain: &'static str = "弃权", "Abstain";
    }
}
