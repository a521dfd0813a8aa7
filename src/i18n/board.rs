//! 公开 — the public board (notices, policies, results) and the funds ledger (财务公开).

crate::texts! {
    /// The public board and the funds ledger.
    pub struct BoardText {
        title: &'static str = "公开栏", "Public board";
        section: &'static str = "公开栏", "Public board";
        all: &'static str = "全部", "All";
        cat_notice: &'static str = "通知", "Notice";
        cat_policy: &'static str = "政策", "Policy";
        cat_funds: &'static str = "财务公开", "Funds";
        cat_result: &'static str = "议事结果", "Result";
        none: &'static str = "还没有公开的内容。", "Nothing posted yet.";
        none_here: &'static str = "这一类还没有内容。", "Nothing in this category yet.";
        new_post: &'static str = "发布", "Post";
        funds_link: &'static str = "资金公开", "Funds ledger";
        proposal_link: &'static str = "查看议题", "See the proposal";
        print: &'static str = "打印张贴", "Print for the wall";
        not_found: &'static str = "找不到这条公开内容。", "No such post.";
        new_title: &'static str = "发布公开内容", "Post on the board";
        post_title: &'static str = "标题", "Title";
        post_body: &'static str = "内容", "Text";
        post_category: &'static str = "类别", "Category";
        post_submit: &'static str = "发布", "Post";
        staff_only: &'static str = "只有社区工作人员可以发布。", "Only community staff may post.";
        publish: &'static str = "公布结果", "Post the result";
        published: &'static str = "已公布到公开栏", "Posted on the board";
        result_title: &'static str = "表决结果：{title}", "Ballot result: {title}";
        result_body: &'static str =
            "{outcome}。参与 {cast} / {eligible}（{pct}%）。{counts}。",
            "{outcome}. Turnout {cast} / {eligible} ({pct}%). {counts}.";
        result_sep: &'static str = "，", ", ";
        result_count: &'static str = "{option} {n} 票", "{option} {n}";
        // The funds ledger.
        funds_title: &'static str = "资金公开", "Funds ledger";
        balance: &'static str = "结余", "Balance";
        income: &'static str = "收入", "Income";
        spending: &'static str = "支出", "Spending";
        by_month: &'static str = "每月收支", "By month";
        by_year: &'static str = "每年收支", "By year";
        chart_label: &'static str = "{period}：收入 {income}，支出 {spending}", "{period}: income {income}, spending {spending}";
        year: &'static str = "年份", "Year";
        month: &'static str = "月份", "Month";
        entries: &'static str = "明细", "Entries";
        no_entries: &'static str = "还没有账目。", "No entries yet.";
        voided: &'static str = "已作废：{reason}", "Voided: {reason}";
        void: &'static str = "作废", "Void";
        void_reason: &'static str = "作废原因", "Why void it";
        void_confirm: &'static str = "确认作废", "Void it";
        void_own: &'static str =
            "不能作废自己录入的账目：请另一位议事会成员核对后作废。",
            "You cannot void an entry you made: another council member checks and voids it.";
        enter_title: &'static str = "记一笔", "Add an entry";
        enter_kind: &'static str = "收入还是支出", "Income or spending";
        enter_what: &'static str = "事由", "What for";
        enter_amount: &'static str = "金额（元）", "Amount (yuan)";
        enter_amount_bad: &'static str =
            "“金额（元）”请填数字，最多两位小数，例如 350.00",
            "“Amount (yuan)” must be a number with at most two decimals, e.g. 350.00";
        enter_date: &'static str = "日期", "Date";
        enter_category: &'static str = "类别", "Category";
        enter_categories: [&'static str; 6] = ["上级拨款", "捐赠", "办公", "活动", "维修", "其他"],
            ["Grant", "Donation", "Office", "Activities", "Repairs", "Other"];
        enter_submit: &'static str = "记账", "Record";
        enter_done: &'static str = "已记账", "Recorded";
        enter_council_only: &'static str =
            "只有管理员和议事会成员可以记账，这一笔没有记上（填的内容还在）。",
            "Only the admin and council members may record funds: this entry was not recorded (what you typed is kept).";
        enter_hint_worker: &'static str =
            "记账和作废由管理员或议事会成员办理。",
            "Entries are recorded and voided by the admin or council members.";
        funds_print_title: &'static str = "资金收支公开", "Funds disclosure";
        printed_entries: &'static str = "收支明细", "Entries";
    }
}
