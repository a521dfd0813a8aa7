//! 成员 — one member's page, and 添加新手机 (adding the phone a member changed to).

crate::texts! {
    /// 成员 — one member's page.
    pub struct MemberText {
        title: &'static str = "成员", "Member";
        not_found: &'static str = "找不到这位成员", "No such member";
        role: &'static str = "身份", "Role";
        household: &'static str = "户号", "Household";
        phones: &'static str = "在用的手机", "Phones in use";
        phone_add: &'static str = "添加新手机", "Add a new phone";
        phone_step_open: &'static str =
            "第一步：用新手机扫这个码（或打开下面的链接），打开本社区。新手机的「我的」页面会显示它的码。",
            "Step 1: scan this code with the new phone (or open the link below) to open the community. The new phone's Me page then shows its code.";
        phone_scan: &'static str = "扫描新手机上的码", "Scan the new phone's code";
        phone_no_camera: &'static str =
            "打不开摄像头：请允许使用摄像头，或者粘贴新手机上的码",
            "The camera did not open: allow it, or paste the new phone's code";
        phone_code: &'static str = "第二步：新手机上显示的码", "Step 2: the code the new phone shows";
        phone_stop_old: &'static str = "同时停用旧手机（丢了或不再用）", "Stop the old phones too (lost or no longer used)";
        phone_confirm: &'static str = "把这台新手机加给 {name}？", "Add this new phone to {name}?";
        phone_confirm_stop: &'static str =
            "新手机将以这位成员的身份投票和参与；旧手机从此不能再代表他/她。",
            "The new phone will vote and take part as this member; the old phones no longer can.";
        phone_confirm_keep: &'static str =
            "新手机将以这位成员的身份投票和参与；旧手机也继续可用。",
            "The new phone will vote and take part as this member; the old phones keep working too.";
        phone_added: &'static str = "已添加，新手机同步后即可使用", "Added: the new phone can take part once it syncs";
        phone_bad_code: &'static str = "这不是一台手机的码：请粘贴新手机「我的」页面上的码", "This is not a phone's code: paste the code from the new phone's Me page";
    }
}
