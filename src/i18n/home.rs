//! 首页 — the home screen.

crate::texts! {
    /// 首页 — the home screen.
    pub struct HomeText {
        refuted: &'static str =
            "注意：较早的历史记录和议事会签名的存档对不上。这台手机已停止提交操作，并保留了证据。请告诉议事会。",
            "Warning: the older history does not match the save point the council signed. This phone has stopped submitting anything and kept the evidence. Please tell the council.";
        refuted_fix: &'static str = "查看并处理", "See what to do";
        unchecked: &'static str =
            "较早的历史记录还在核对中，核对完成前可以照常使用。",
            "The older history is still being checked; you can use the app as usual meanwhile.";
        title: &'static str = "首页", "Home";
        empty_title: &'static str = "你还没有加入社区", "You have not joined a community yet";
        empty_body: &'static str =
            "邻里是社区议事、积分和志愿服务的平台。加入社区后，这里会显示社区公告、等你表决的议题和邻居的求助。",
            "Linli is where your neighbourhood holds councils, keeps points and organises volunteers. Once you join, this page shows notices, proposals waiting for your vote and neighbours asking for help.";
        empty_steps: [&'static str; 3] = [
            "向社区工作者或网格员要一个邀请链接",
            "用手机打开链接就能加入，不用注册账号",
            "没有网络也能用，联网后自动同步",
        ], [
            "Ask a community worker or your grid worker for an invitation link",
            "Open the link on your phone to join; no account to register",
            "Works without a network and syncs when you are back online",
        ];
        loading: &'static str = "正在读取本机数据…", "Reading this phone's data…";
        create: &'static str = "创建社区", "Create a community";
        join: &'static str = "我有邀请链接", "I have an invitation link";
        members: &'static str = "成员", "Members";
        your_role: &'static str = "你的身份", "Your role";
        pending: &'static str = "加入申请已发出，等待同步", "Your joining is sent; waiting to sync";
        stopped: &'static str =
            "这台手机已被停用（已换新手机）",
            "This phone was stopped (its member moved to a new phone)";
        following: &'static str = "只读查看（没有加入）", "Following, read-only (not joined)";
        invite: &'static str = "邀请邻居", "Invite";
        member_list: &'static str = "成员名单", "Member list";
        help: &'static str = "求助", "Ask for help";
        polls: &'static str = "民调", "Polls";
        to_answer: &'static str = "民调 · 等你回答", "Polls waiting for your answer";
        board: &'static str = "公开", "Public board";
        ledger: &'static str = "台账", "Monthly ledger";
        to_vote: &'static str = "表决中", "Open ballots";
        voted: &'static str = "已投", "Voted";
        next_meeting: &'static str = "下次议事会", "Next council meeting";
        quick_award: &'static str = "快速记分", "Record points";
        quick_award_hint: &'static str = "点规则，再选居民", "Tap a rule, then pick the resident";
    }
}
