//! What every screen may show: the shell, storage and network errors, roles, and why an act
//! was refused.

crate::texts! {
    /// What every screen may show.
    pub struct Common {
        app_name: &'static str = "邻里", "Linli";
        nav_label: &'static str = "主导航", "Main navigation";
        nav_home: &'static str = "首页", "Home";
        nav_council: &'static str = "议事", "Council";
        nav_points: &'static str = "积分", "Points";
        nav_volunteer: &'static str = "志愿", "Volunteer";
        nav_me: &'static str = "我的", "Me";
        badge_online: &'static str = "在线", "Online";
        badge_offline: &'static str = "离线", "Offline";
        badge_online_hint: &'static str = "已连接网络", "Connected to the network";
        badge_offline_hint: &'static str =
            "没有网络：可以继续浏览，联网后再同步",
            "No network: you can keep browsing; changes sync when you are back online";
        err_fields: &'static str = "请检查标出的项，改好后再提交。", "Please check the marked field and send again.";
        field_missing: &'static str = "请填写“{label}”", "Please fill in “{label}”";
        field_too_long: &'static str =
            "“{label}”最多 {max} 字，现在 {len} 字",
            "“{label}” takes at most {max} characters; this has {len}";
        field_range: &'static str =
            "“{label}”应在 {min} 到 {max} 之间",
            "“{label}” must be from {min} to {max}";
        field_below_charter: &'static str =
            "议事规则要求“{label}”至少为 {min}",
            "The standing rules require “{label}” of at least {min}";
        field_not_allowed: &'static str =
            "议事规则不允许这样选“{label}”",
            "The standing rules do not allow this choice of “{label}”";
        field_not_number: &'static str =
            "“{label}”请填一个整数",
            "“{label}” must be a whole number";
        left_days: &'static str = "还剩 {} 天", "{} days left";
        left_hours: &'static str = "还剩 {} 小时", "{} hours left";
        left_minutes: &'static str = "还剩 {} 分钟", "{} minutes left";
        left_past: &'static str = "已过截止时间", "Past its end";
        turnout: &'static str = "已投 {cast} / {eligible}（{pct}%）", "Voted {cast} of {eligible} ({pct}%)";
        not_found_title: &'static str = "找不到这个页面", "Page not found";
        not_found_body: &'static str =
            "链接可能有误，或者页面已经移动。",
            "The link may be wrong, or the page has moved.";
        not_found_back: &'static str = "回到首页", "Back to Home";
        error_title: &'static str = "出错了", "Something went wrong";
        store_unavailable: &'static str =
            "本机存储不可用（可能是无痕模式或空间已满）。你仍然可以浏览，但设置不会被保存。",
            "This device's storage is unavailable (private browsing, or full). You can keep browsing, but settings will not be saved.";
        store_read_failed: &'static str =
            "读取本机数据失败，暂时使用默认设置。",
            "Could not read saved data; using the default settings for now.";
        store_write_failed: &'static str =
            "没能保存到这台手机上：刚才这一步没有生效，之前保存的都还在。请再试一次。",
            "Could not save on this phone: that last step did not take effect, and everything saved before is still there. Please try again.";
        store_quota: &'static str =
            "手机存储空间不足：刚才这一步没有保存，之前保存的都还在。请清理手机空间后再试。",
            "This phone is out of storage: that last step was not saved, and everything saved before is still there. Free some space and try again.";
        store_blocked: &'static str =
            "邻里在另一个页面里还开着（旧版本），本页要等它关闭才能读取数据。请关闭其他邻里页面，本页会自动继续。",
            "Linli is still open in another tab (an older version), and this page cannot read its data until that tab closes. Close the other Linli tabs; this page will carry on by itself.";
        store_upgraded: &'static str =
            "邻里已在另一个页面更新。请刷新本页再继续；数据都在这台手机上，没有丢失。",
            "Linli was updated in another tab. Reload this page to carry on; your data is all still on this phone.";
        part_failed: &'static str =
            "这部分没能加载：请检查网络，然后重试。",
            "This part of Linli could not be loaded. Check the network and try again.";
        retry: &'static str = "重试", "Retry";
        dismiss: &'static str = "知道了", "OK";
        role_admin: &'static str = "管理员", "Admin";
        role_council: &'static str = "议事会成员", "Council member";
        role_worker: &'static str = "网格员", "Grid worker";
        role_resident: &'static str = "居民", "Resident";
        badge_unsent: &'static str = "未发送", "unsent";
        badge_refused: &'static str = "被拒绝", "refused";
        badge_syncing: &'static str = "同步中", "Syncing";
        badge_synced: &'static str = "已同步", "Synced";
        badge_unreachable: &'static str = "连不上服务器", "Server unreachable";
        badge_readonly: &'static str = "只读", "Read-only";
        badge_failed: &'static str = "同步出错", "Sync error";
        err_sign: &'static str =
            "这台手机无法生成签名密钥，请换一个浏览器再试。",
            "This phone cannot make a signing key. Try another browser.";
        err_net: &'static str =
            "连不上社区的服务器。请联网后再试。",
            "Cannot reach the community's server. Try again when online.";
        err_rejected: &'static str =
            "这项操作不符合社区规则，没有生效。",
            "This action is not allowed by the community's rules and had no effect.";
        err_required: &'static str = "请把这一项填上", "Please fill this in";
        err_invite_used: &'static str =
            "这个邀请已经用过或被撤回，请向发邀请的人重新要一个。",
            "This invitation was used or withdrawn. Ask for a new one.";
        cancel: &'static str = "取消", "Cancel";
        loading: &'static str = "正在读取…", "Loading…";
        new_version: &'static str =
            "邻里刚刚更新了。刷新一下就能继续使用。",
            "Linli has just been updated. Reload to carry on.";
        reload: &'static str = "刷新", "Reload";
        err_distrusted: &'static str =
            "这台手机核对较早的记录时发现，服务器给的社区存档和历史记录对不上，所以暂时不能再提交任何操作。请告诉议事会；在“同步与数据”里可以改用完整记录。",
            "While checking the older records this phone found that the community's save point from the server does not match its history, so it cannot submit anything for now. Please tell the council; under Sync and data you can switch to the full history.";
        err_no_community: &'static str =
            "这台手机还没有加入社区，或者社区数据还在读取。",
            "This phone has not joined a community yet, or its data is still being read.";
        err_invalid: &'static str =
            "链接或本机数据有损坏，请重新打开邀请链接。",
            "A link or this phone's data is damaged. Open the invitation link again.";
        code_not_permitted: &'static str =
            "你的身份不能做这件事。",
            "Your role in the community does not allow this.";
        code_wrong_state: &'static str =
            "现在不能这样做：它的进度已经变了，请刷新看看。",
            "Not possible now: things have moved on. Have a look at the latest.";
        code_duplicate: &'static str = "已经做过了，不用再做。", "Already done.";
        code_not_eligible: &'static str =
            "这一项不在你能参与的范围内。",
            "You are not among those who may take part in this.";
        code_malformed: &'static str =
            "有一项没有填，或者填得不对。",
            "Something is missing or not valid.";
        code_over_limit: &'static str = "内容太长了，请删短一些。", "Too long: please shorten it.";
        code_wrong_code: &'static str = "签到码不对，请再核对一下", "That check-in code is not right";
        code_unknown: &'static str =
            "找不到这一项，可能还没同步过来。",
            "Not found: it may not have synced to this phone yet.";
        code_not_member: &'static str =
            "这台手机还不是社区成员的设备（或已被停用）。",
            "This phone is not (or no longer) a member's device.";
        code_against_charter: &'static str =
            "这个议题低于议事规则的要求（参与比例、附议人数或表决方式），请按规则修改。",
            "This proposal asks less than the standing rules require (quorum, seconds or voters).";
        code_unknown_rule: &'static str = "找不到这条积分规则", "No such points rule";
        code_rule_retired: &'static str =
            "这条积分规则已停用，不能再按它记分",
            "This points rule is retired: no new entries under it";
        code_not_claimable: &'static str =
            "这条规则不能自己申报，请找网格员登记",
            "This rule cannot be claimed: ask a worker to record it";
        code_self_dealing: &'static str =
            "不能给自己记分、审核或处理自己的积分",
            "You cannot award, decide or correct your own points";
        code_unknown_entry: &'static str = "找不到这条积分记录", "No such points record";
        code_not_appealable: &'static str = "只有扣分可以申诉", "Only deductions can be appealed";
        code_appeal_late: &'static str =
            "已超过 15 天的申诉期限",
            "The 15 days for an appeal have passed";
        code_unknown_item: &'static str = "积分超市里没有这件物品", "No such item in the store";
        code_insufficient_points: &'static str = "积分不够", "Not enough points";
        code_out_of_stock: &'static str =
            "库存不够了（可能刚被别人兑走）",
            "Not enough in stock (someone may have just taken the last one)";
        code_device_taken: &'static str =
            "这台手机已经加入过这个社区。",
            "This phone has already joined this community.";
        code_unknown_activity: &'static str = "找不到这个志愿活动", "No such volunteer activity";
        code_activity_full: &'static str =
            "名额已满（可能刚被别人报走）",
            "No places left (someone may have just taken the last one)";
        code_not_signed_up: &'static str = "你没有报名这个活动", "You are not signed up for this activity";
        code_not_confirmed: &'static str =
            "只有已确认的志愿者才能签到、签退或确认时长",
            "Only confirmed volunteers check in, check out or get hours";
        code_outside_time: &'static str =
            "不在活动时间内（活动前 2 小时到结束后 6 小时），请检查手机时间",
            "Outside the activity's time (2 h before to 6 h after): check the phone's clock";
        code_rule_not_positive: &'static str =
            "志愿活动只能用加分的积分规则",
            "A volunteer activity needs a rule that awards points";
        code_unknown_request: &'static str = "找不到这条求助", "No such request";
        code_already_taken: &'static str =
            "这条求助已经有人接手了（首问负责）",
            "Someone has already taken this request";
        code_not_owner: &'static str =
            "只有接手的工作人员才能办理这条求助",
            "Only the staff member who took this request may do that";
        code_not_staff: &'static str = "只能转给社区工作人员", "Requests go to staff only";
        code_reopen_late: &'static str =
            "办结已超过 7 天，不能再重新打开；请新提一条求助",
            "More than 7 days since it was resolved: open a new request instead";
        code_unknown_poll: &'static str = "找不到这个民调", "No such poll";
        code_poll_closed: &'static str = "民调已经截止", "The poll has closed";
    }
}

impl Common {
    /// A role's name.
    pub fn role(&self, role: linli_domain::Role) -> &'static str {
        use linli_domain::Role;
        match role {
            Role::Admin => self.role_admin,
            Role::Council => self.role_council,
            Role::Worker => self.role_worker,
            Role::Resident => self.role_resident,
        }
    }
}
