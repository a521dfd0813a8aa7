//! 民调 — polls of residents' opinion.

crate::texts! {
    /// 民调.
    pub struct PollsText {
        title: &'static str = "民调", "Polls";
        new_link: &'static str = "发起民调", "New poll";
        open: &'static str = "进行中", "Open";
        open_none: &'static str = "现在没有进行中的民调。", "No poll is open now.";
        closed: &'static str = "已截止", "Closed";
        not_answered: &'static str = "未作答", "Not answered";
        answered_tag: &'static str = "已作答", "Answered";
        my_answer: &'static str = "我的选择：{choice}", "My answer: {choice}";
        turnout: &'static str = "已答 {n} / {members} 人（{pct}%）", "{n} of {members} answered ({pct}%)";
        leading: &'static str = "最多：{option}（{n} 人）", "Most: {option} ({n})";
        closes_at: &'static str = "{date} 截止", "Closes {date}";
        closed_at: &'static str = "{date} 已截止", "Closed {date}";
        multi_tag: &'static str = "可多选", "Several choices";
        live_tag: &'static str = "实时公布", "Live results";
        // The form.
        new_title: &'static str = "发起民调", "New poll";
        question: &'static str = "问题", "Question";
        options: &'static str = "选项", "Options";
        option_n: [&'static str; 10] = ["选项 1", "选项 2", "选项 3", "选项 4", "选项 5", "选项 6", "选项 7", "选项 8", "选项 9", "选项 10"],
            ["Option 1", "Option 2", "Option 3", "Option 4", "Option 5", "Option 6", "Option 7", "Option 8", "Option 9", "Option 10"];
        add_option: &'static str = "加一个选项", "Add an option";
        remove_option: &'static str = "删除选项 {n}", "Remove option {n}";
        kind: &'static str = "怎么选", "Choices";
        single: &'static str = "只能选一个", "One";
        multi: &'static str = "可以多选", "Several";
        closes: &'static str = "截止时间", "Closes in";
        presets: [&'static str; 3] = ["1 天", "3 天", "7 天"], ["1 day", "3 days", "7 days"];
        pick_date: &'static str = "选日期", "A date";
        date_field: &'static str = "截止日期和时间", "Closing date and time";
        live: &'static str = "进行中就公布结果", "Show results while it runs";
        submit: &'static str = "发布", "Publish";
        too_few: &'static str = "至少要有 2 个选项", "At least 2 options, please";
        dup_option: &'static str = "选项不能重复", "Two options are the same";
        date_past: &'static str = "截止时间要晚于现在", "The closing time must be in the future";
        // One poll.
        pick_one: &'static str = "点一个选项就提交，截止前可以改", "Tap an option to answer; you may change it until the close";
        pick_many: &'static str = "选好后点提交，截止前可以改", "Tick your choices, then send; you may change them until the close";
        send: &'static str = "提交", "Send";
        sent: &'static str = "已提交：{choice}", "Sent: {choice}";
        pick_first: &'static str = "请至少选一项", "Choose at least one option";
        results: &'static str = "结果", "Results";
        results_later: &'static str = "截止后公布结果", "Results are shown after the close";
        count: &'static str = "{n} 人 · {pct}%", "{n} · {pct}%";
        print: &'static str = "打印公示", "Print for the board";
        print_title: &'static str = "民调结果", "Poll result";
        print_hidden: &'static str = "截止后才能打印结果。", "The result can be printed after the close.";
        print_button: &'static str = "打印", "Print";
        not_found: &'static str = "找不到这个民调。", "No such poll.";
        not_member: &'static str = "加入社区的成员才能回答。", "Only members of the community may answer.";
    }
}
