//! 邀请 — invitations still open, and invitations in bulk on a printable sheet.

crate::texts! {
    /// Open invitations and the printable sheet.
    pub struct InvitesText {
        open_title: &'static str = "还没用的邀请", "Invitations not used yet";
        open_hint: &'static str =
            "发错了、发给了不该给的人，或者住户搬走了：撤销后这个邀请就不能再用。",
            "Sent by mistake, to the wrong person, or the household moved: once withdrawn, the invitation no longer works.";
        open_more: &'static str = "还有 {n} 个没有列出", "{n} more not listed";
        revoke: &'static str = "撤销", "Withdraw";
        revoke_title: &'static str = "撤销给 {household} 的邀请？", "Withdraw the invitation for {household}?";
        revoke_body: &'static str =
            "撤销后，拿到这个链接或二维码的人不能再用它加入。",
            "Whoever holds this link or QR code can no longer join with it.";
        sheet_title: &'static str = "整栋楼批量邀请", "Invite a whole building";
        sheet_hint: &'static str =
            "为一栋楼（或一个单元）的每户生成一个邀请，打印成二维码表，逐户发放。每户有一个随机户号；门牌号只印在表上，不会公开。",
            "One invitation per flat of a building (or entrance), printed as a sheet of QR codes to hand out. Each household gets a random code; flat numbers appear only on the sheet, never in public.";
        sheet_building: &'static str = "楼栋单元（如 3-2）", "Building and entrance (e.g. 3-2)";
        sheet_from: &'static str = "从几楼", "From floor";
        sheet_to: &'static str = "到几楼", "To floor";
        sheet_per: &'static str = "每层几户", "Flats per floor";
        sheet_submit: &'static str = "生成二维码表", "Make the sheet";
        sheet_making: &'static str = "正在生成：已完成 {n} 户…", "Making the invitations: {n} done…";
        sheet_building_missing: &'static str = "请填写楼栋单元", "Please fill in the building";
        sheet_too_many: &'static str =
            "一张表最多 120 户，楼层从小到大、每层至少 1 户",
            "At most 120 flats per sheet, floors from low to high, at least one flat per floor";
        sheet_none: &'static str = "这台手机上还没有二维码表。", "No sheet on this phone yet.";
        sheet_print_title: &'static str = "入户邀请码", "Invitations";
        sheet_print_intro: &'static str =
            "{building}，共 {n} 户。每个码只能用一次：请按门牌发给对应住户，用手机扫码加入。",
            "{building}: {n} flats. Each code works once: hand it to the flat it is for; they scan it to join.";
        sheet_print: &'static str = "打印", "Print";
        sheet_qr: &'static str = "邀请二维码", "Invitation QR code";
        sheet_household: &'static str = "户号", "Household";
        sheet_keep: &'static str =
            "这张表上有门牌号和邀请：请妥善保管，不要张贴。没发出去的邀请可以在「邀请邻居」页面撤销。",
            "This sheet has flat numbers and invitations: keep it safe, do not post it. Invitations not handed out can be withdrawn on the invite page.";
    }
}
