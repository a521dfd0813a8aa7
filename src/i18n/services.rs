//! 求助 — requests for help (困难群众直通车), and the everyday services.

crate::texts! {
    /// 求助 and the everyday services.
    pub struct ServicesText {
        help_title: &'static str = "求助", "Ask for help";
        categories: [&'static str; 7] = ["助老", "维修", "医疗", "政策咨询", "邻里纠纷", "环境卫生", "其他"],
            ["Elderly care", "Repairs", "Health", "Policy", "Neighbours", "Sanitation", "Other"];
        new_title: &'static str = "我要求助", "I need help";
        new_category: &'static str = "什么事", "What about";
        new_words: &'static str = "简单说一句（例如：水管漏水）", "In a few words (e.g. a leaking pipe)";
        new_urgent: &'static str = "急事（4 小时内处理）", "Urgent (dealt with within 4 hours)";
        new_submit: &'static str = "提交", "Send";
        new_sent: &'static str = "已提交，网格员接手后会显示在这里", "Sent: you will see here who takes it";
        new_pick: &'static str = "请先选是什么事", "Choose what it is about first";
        mine: &'static str = "我的求助", "My requests";
        mine_none: &'static str = "还没有求助。", "No requests yet.";
        queue: &'static str = "待接手", "Waiting to be taken";
        queue_none: &'static str = "没有待接手的求助。", "Nothing is waiting.";
        owned: &'static str = "我在办", "Mine to handle";
        late: &'static str = "超时未办结（{n}）", "Overdue, in hand ({n})";
        late_hint: &'static str = "已有人接手、超过 48 小时（急事 4 小时）还没办结的求助，请跟进。", "Taken but not resolved 48 hours after they were opened (4 hours when urgent): follow them up.";
        all_grids: &'static str = "全部网格", "All grids";
        status_open: &'static str = "待接手", "Waiting";
        status_taken: &'static str = "办理中", "In hand";
        status_resolved: &'static str = "已办结", "Resolved";
        urgent: &'static str = "急", "Urgent";
        overdue: &'static str = "已超时", "Overdue";
        owner_since: &'static str = "{name} 接手（{time}）", "{name} has it (since {time})";
        take: &'static str = "接手", "Take it";
        taken_by_other: &'static str = "没接到：已由 {name} 接手（首问负责）", "Not yours: {name} took it first";
        update: &'static str = "记一笔进展", "Add a progress note";
        update_text: &'static str = "进展", "Progress";
        resolve: &'static str = "办结", "Resolve";
        resolve_text: &'static str = "怎么解决的", "What was done";
        transfer: &'static str = "转交", "Hand on";
        transfer_to: &'static str = "转给", "To";
        transfer_reason: &'static str = "转交原因", "Why";
        rate: &'static str = "评价", "Rate";
        rate_word: &'static str = "说一句（可不填）", "A word (optional)";
        rated: &'static str = "评价：{stars} 星", "Rated {stars} stars";
        stars: [&'static str; 5] = ["1 星", "2 星", "3 星", "4 星", "5 星"], ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"];
        reopen: &'static str = "没解决，重新打开", "Not solved: reopen";
        reopen_reason: &'static str = "哪里还没解决", "What is still wrong";
        reopen_until: &'static str = "{date} 前可以重新打开", "You may reopen it until {date}";
        step_take: &'static str = "{name} 接手", "{name} took it";
        step_transfer: &'static str = "{from} 转给 {to}：{reason}", "{from} handed it to {to}: {reason}";
        step_update: &'static str = "{name}：{text}", "{name}: {text}";
        step_resolve: &'static str = "{name} 办结：{text}", "{name} resolved it: {text}";
        step_reopen: &'static str = "重新打开：{text}", "Reopened: {text}";
        not_found: &'static str = "找不到这条求助。", "No such request.";
    }
}
