//! 我的 — settings, and 同步与数据 (sync and data).

crate::texts! {
    /// 我的 — settings, and 同步与数据 (sync and data).
    pub struct MeText {
        title: &'static str = "我的", "Me";
        community: &'static str = "我的社区", "My community";
        no_community: &'static str = "尚未加入社区", "Not in a community yet";
        settings: &'static str = "设置", "Settings";
        language: &'static str = "语言", "Language";
        large_text: &'static str = "大字模式", "Large text";
        large_text_hint: &'static str =
            "字更大、对比更强，方便老年人阅读",
            "Bigger letters and stronger contrast, easier to read";
        saved_on_device: &'static str = "设置保存在本机", "Settings are saved on this device";
        not_saved: &'static str =
            "本机存储不可用：设置只在这次打开时有效",
            "Storage is unavailable: settings last only until you close the app";
        phone_title: &'static str = "换手机怎么办", "Changing phones";
        phone_member_steps: [&'static str; 3] = [
            "在新手机上打开社区的链接（向议事会成员或网格员要，不用邀请码）",
            "新手机的「我的」页面会显示一个码",
            "请议事会成员在「成员名单」里找到你，点「添加新手机」，扫码或粘贴这个码",
        ], [
            "On the new phone, open the community's link (ask a council member or your grid worker; no invitation needed)",
            "The new phone's Me page shows a code",
            "Ask a council member to find you in the member list, tap “Add a new phone” and scan or paste that code",
        ];
        phone_member_note: &'static str =
            "你的积分和投票跟着你，不跟手机。旧手机丢了，议事会可以同时把它停用，别人拿到也不能冒用。",
            "Your points and votes belong to you, not to a phone. If the old phone is lost, the council stops it at the same time, so nobody else can use it.";
        phone_new_title: &'static str = "已经是成员？换了新手机", "Already a member, on a new phone?";
        phone_new_body: &'static str =
            "请议事会成员或网格员在「成员名单」里找到你，点「添加新手机」，扫描下面的码或粘贴它。加上后，这台手机就能以你的身份投票和参与。",
            "Ask a council member or your grid worker to find you in the member list, tap “Add a new phone”, and scan or paste the code below. Once added, this phone votes and takes part as you.";
        phone_new_qr: &'static str = "这台手机的码", "This phone's code";
        phone_copy: &'static str = "复制这个码", "Copy the code";
        phone_copied: &'static str = "已复制，可以发给议事会成员", "Copied: send it to a council member";
        about: &'static str = "关于邻里", "About Linli";
        about_body: &'static str =
            "邻里：社区议事、积分和志愿服务。数据保存在你的手机上，没有网络也能用。",
            "Linli (邻里): resident councils, points and volunteering. Your data stays on your phone and works without a network.";
        diag_title: &'static str = "同步与数据", "Sync and data";
        refuted_title: &'static str = "社区存档对不上", "The save point does not match";
        refuted_body: &'static str =
            "这台手机是从议事会签名的社区存档开始的。后台从头核对全部历史记录后发现，存档和历史记录对不上，所以停止了提交操作。可以改用从头核对过的完整记录继续使用：会重新读取全部记录（可能要几分钟），存档和签名它的议事会成员留作证据。",
            "This phone started from a save point the council signed. Checking the whole history from the beginning found that the two do not match, so it stopped submitting anything. You can go on with the full history, checked from the beginning: every record is read again (this may take a few minutes); the save point and the council members who signed it are kept as evidence.";
        refuted_adopt: &'static str = "改用完整记录继续", "Go on with the full history";
        refuted_adopting: &'static str = "正在读取完整记录…", "Reading the full history…";
        distrusted_title: &'static str = "留作证据的存档", "Save points kept as evidence";
        distrusted_body: &'static str =
            "这台手机发现下面的存档和历史记录对不上，现在用的是从头核对过的完整记录。签名的议事会成员可以在审计里查到。",
            "This phone found that these save points do not match the history; it now uses the full history, checked from the beginning. The council members who signed them are named in the audit.";
        diag_space: &'static str = "社区编号", "Community id";
        diag_device: &'static str = "本机密钥", "This phone's key";
        diag_key_kind: &'static str = "签名钥匙", "Signing key";
        key_webcrypto: &'static str = "浏览器安全密钥（不可导出）", "Browser secure key (not exportable)";
        key_seed: &'static str = "保存在本机数据中", "Kept in this phone's data";
        diag_events: &'static str = "记录总数", "Records held";
        diag_accepted: &'static str = "生效的记录", "Records in effect";
        diag_rejected: &'static str = "没有生效的记录", "Records without effect";
        diag_state: &'static str =
            "核对码（同一社区的手机应当一致）",
            "Check code (the same on every phone of the community)";
        diag_unsent: &'static str = "还没发出的记录", "Not sent yet";
        diag_last_sync: &'static str = "上次同步", "Last sync";
        diag_never: &'static str = "从未", "Never";
        diag_endpoint: &'static str = "同步地址", "Sync address";
        diag_push: &'static str = "记录发往", "Records are sent to";
        diag_sync_now: &'static str = "立即同步", "Sync now";
        diag_export_unsent: &'static str = "导出未发送", "Export unsent";
        diag_export_all: &'static str = "导出全部", "Export everything";
        diag_import: &'static str = "导入文件", "Import a file";
        diag_files_hint: &'static str =
            "没有网络时：把未发送的内容导出成文件，交给社区工作人员导入。",
            "No network? Export what is unsent as a file and give it to a community worker to import.";
        diag_nothing_unsent: &'static str = "没有未发送的内容", "Nothing is waiting to be sent";
        import_added: &'static str = "新增", "added";
        import_duplicate: &'static str = "重复", "already here";
        import_rejected: &'static str = "无效", "invalid";
        import_bad_file: &'static str = "这不是邻里的数据文件。", "This is not a Linli data file.";
        sync_data: &'static str = "同步与数据", "Sync and data";
        pending: &'static str = "加入申请已发出，等待同步", "Your joining is sent; waiting to sync";
        stopped: &'static str =
            "这台手机已被停用（已换新手机）",
            "This phone was stopped (its member moved to a new phone)";
        following: &'static str = "只读查看（没有加入）", "Following, read-only (not joined)";
        refused_title: &'static str = "服务器没有接受的记录", "Records the server did not accept";
        refused_body: &'static str =
            "这些记录留在这台手机上作为凭证，但没有在社区生效：",
            "These stay on this phone as evidence but had no effect in the community:";
        refused_dismiss: &'static str = "知道了", "Dismiss";
        sync_unreachable: &'static str =
            "连不上社区的服务器（可能没有网络）。",
            "Cannot reach the community's server (perhaps there is no network).";
        sync_timed_out: &'static str =
            "社区的服务器超过 30 秒没有回应，这次同步没有完成。",
            "The community's server did not answer within 30 seconds, so this sync did not finish.";
        sync_server_fault: &'static str =
            "社区的服务器出了故障（错误 {status}），这次同步没有完成。",
            "The community's server has a fault (error {status}), so this sync did not finish.";
        sync_refused: &'static str =
            "社区的服务器没有接受这次同步（错误 {status}）。",
            "The community's server did not accept this sync (error {status}).";
        sync_busy: &'static str =
            "社区的服务器正忙（错误 429），这次同步没有完成。",
            "The community's server is busy (error 429), so this sync did not finish.";
        sync_damaged: &'static str =
            "从服务器收到的数据不完整或被改动过（和清单上的校验码对不上），已经丢弃，没有使用。",
            "Data from the server was incomplete or altered (it does not match the checksum in its list), so it was thrown away, not used.";
        sync_rollback: &'static str =
            "服务器上的记录比以前少了（现在 {listed} 条，以前至少 {seen} 条）：服务器可能恢复了旧的备份。这台手机上的记录都保留着，不会被旧的数据替换。请告诉社区管理员。",
            "The server now lists fewer records than before ({listed}, where it had at least {seen}): it may have been restored from an old backup. Every record on this phone is kept, and nothing is replaced by the older data. Please tell the community's administrator.";
        sync_quota: &'static str =
            "手机存储空间不足，这次同步的结果没能保存到手机上。请清理手机空间。",
            "This phone is out of storage, so what this sync brought could not be saved on it. Please free some space.";
        sync_kept: &'static str =
            "这台手机上的记录都在，没有丢失；稍后会自动再试。",
            "Everything on this phone is still there; it will try again by itself.";
        sync_kept_unsent: &'static str =
            "这台手机上的记录都在，没有丢失；还没发出的 {n} 条会在下次同步时自动发送。",
            "Everything on this phone is still there; the {n} not sent yet will go out with a later sync by themselves.";
    }
}
