//! 台账 — the monthly ledger: what the community did in a month, from the log alone.

crate::texts! {
    /// 台账 — the monthly ledger.
    pub struct LedgerText {
        title: &'static str = "台账", "Monthly ledger";
        heading: &'static str = "{month}工作台账", "Monthly ledger, {month}";
        month: &'static str = "{y}年{m}月", "{m} {y}";
        month_names: [&'static str; 12] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        prev: &'static str = "上个月", "Previous month";
        next: &'static str = "下个月", "Next month";
        staff_only: &'static str =
            "台账供社区工作者使用：请用社区工作者、网格员或议事会成员的手机打开。",
            "The monthly ledger is for community workers: open it on the phone of a worker, a grid worker or a council member.";
        print: &'static str = "打印台账", "Print the ledger";
        csv: &'static str = "下载 CSV", "Download CSV";
        intro: &'static str = "以下数字全部由社区的事件记录自动汇总，没有手工填写。",
            "Every figure below is compiled from the community's event log; nothing is typed by hand.";
        footer: &'static str = "根据 {n} 条事件生成 · 状态校验码 {hash} · 打印于 {date}",
            "Generated from {n} events · state check code {hash} · printed {date}";
        footer_check: &'static str = "可用审计工具（linli-hub audit）核对状态校验码。",
            "Check the state code with the audit tool (linli-hub audit).";
        none: &'static str = "本月没有。", "None this month.";
        council: &'static str = "议事协商", "Council";
        proposals: &'static str = "新提议", "Proposals made";
        ballots: &'static str = "表决结果", "Ballots closed";
        ballot_col: &'static str = "议题", "Proposal";
        outcome_col: &'static str = "结果", "Result";
        turnout_col: &'static str = "投票 / 应投", "Cast / eligible";
        outcomes: [&'static str; 3] = ["通过", "未通过", "未达法定人数"], ["Passed", "Rejected", "No quorum"];
        meetings: &'static str = "议事会", "Meetings";
        meeting_col: &'static str = "会议", "Meeting";
        attendance_col: &'static str = "签到", "Attended";
        minutes_col: &'static str = "纪要", "Minutes";
        yes: &'static str = "有", "Yes";
        no: &'static str = "无", "No";
        points: &'static str = "积分", "Points";
        awarded: &'static str = "发放积分", "Points awarded";
        deducted: &'static str = "扣减积分", "Points deducted";
        entries: &'static str = "记分笔数", "Entries";
        redeemed: &'static str = "兑换消耗积分", "Points spent in the store";
        redemptions: &'static str = "兑换次数", "Redemptions";
        red_list: &'static str = "红榜人数", "On the red list";
        black_list: &'static str = "黑榜（曝光）条数", "On the black list";
        volunteer: &'static str = "志愿服务", "Volunteering";
        activity_col: &'static str = "活动", "Activity";
        volunteers_col: &'static str = "人数", "Volunteers";
        hours_col: &'static str = "时长（小时）", "Hours";
        hours_total: &'static str = "志愿时长合计（小时）", "Volunteer hours in all";
        cancelled: &'static str = "取消的活动", "Activities cancelled";
        requests: &'static str = "求助", "Requests for help";
        opened: &'static str = "新求助", "Opened";
        resolved: &'static str = "办结", "Resolved";
        overdue: &'static str = "月底超时未办结", "Overdue at the month's end";
        ratings: &'static str = "评价", "Ratings";
        satisfied: &'static str = "满意（4–5 星）", "Satisfied (4–5 stars)";
        satisfaction: &'static str = "满意率", "Satisfaction";
        median: &'static str = "办结用时（中位数，小时）", "Time to resolve (median, hours)";
        polls: &'static str = "民调", "Polls";
        answered: &'static str = "{n} 人参与", "{n} answered";
        funds: &'static str = "资金", "Funds";
        income: &'static str = "收入（元）", "Income (yuan)";
        spending: &'static str = "支出（元）", "Spending (yuan)";
        balance: &'static str = "收支差（元）", "Income − spending (yuan)";
        funds_entries: &'static str = "记账笔数", "Entries";
        csv_head: &'static str = "栏目,项目,数值", "section,item,value";
        file: &'static str = "台账", "ledger";
    }
}
