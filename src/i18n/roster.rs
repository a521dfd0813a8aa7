//! The community flows: create, join, invite, members.

crate::texts! {
    /// The community flows: create, join, invite, members.
    pub struct RosterText {
        create_title: &'static str = "创建社区", "Create a community";
        create_intro: &'static str =
            "创建后，这台手机就是社区管理员，可以邀请议事会成员和居民。",
            "This phone becomes the community's admin and can invite council members and residents.";
        create_name: &'static str = "社区名称", "Community name";
        create_founder: &'static str = "你的称呼", "Your name";
        create_household: &'static str =
            "户号（社区自己编的号，不要填门牌号）",
            "Household code (a number the community assigns — not your flat number)";
        create_endpoint: &'static str = "同步地址", "Sync address";
        create_submit: &'static str = "创建", "Create";
        create_charter: &'static str =
            "议事规则（推荐值，以后可以在“议事”里修改）",
            "Standing rules (recommended; the council can change them later)";
        join_title: &'static str = "加入社区", "Join a community";
        join_paste: &'static str = "把收到的邀请链接粘贴到这里", "Paste the invitation link you received";
        join_open: &'static str = "打开链接", "Open link";
        join_bad_link: &'static str =
            "这个邀请链接不完整或已损坏，请向发邀请的人重新要一个。",
            "This invitation link is incomplete or damaged. Ask the person who sent it for a new one.";
        join_loading: &'static str = "正在读取社区信息…", "Reading the community…";
        join_err_timeout: &'static str =
            "社区的服务器超过 30 秒没有回应。请稍后再打开这个链接。",
            "The community's server did not answer within 30 seconds. Open this link again later.";
        join_err_missing: &'static str =
            "这个地址上找不到这个社区（错误 404）。请向发邀请的人确认链接是否完整。",
            "This community is not at that address (error 404). Check with whoever sent the link that it is complete.";
        join_err_server: &'static str =
            "社区的服务器出了故障，暂时读不到社区。请稍后再试。",
            "The community's server has a fault, so the community cannot be read now. Try again later.";
        join_err_damaged: &'static str =
            "读到的社区数据不完整或被改动过（和清单上的校验码对不上），这台手机没有保存。请稍后再试。",
            "What was read of the community was incomplete or altered (it does not match the checksums in its list), so this phone kept none of it. Try again later.";
        join_community: &'static str = "你将加入", "You are joining";
        join_name: &'static str = "你的称呼（名单上会打码显示）", "Your name (shown masked in lists)";
        join_submit: &'static str = "加入", "Join";
        join_already: &'static str = "这台手机已经加入了一个社区。", "This phone has already joined a community.";
        join_progress_label: &'static str = "读取社区的进度", "Reading the community";
        join_progress: &'static str =
            "已读取文件 {files} / {files_total} · 已核验事件 {verified} / {total}",
            "Files read: {files} of {files_total} · events verified: {verified} of {total}";
        join_progress_open: &'static str =
            "已读取文件 {files} / {files_total} · 已核验事件 {verified}",
            "Files read: {files} of {files_total} · events verified: {verified}";
        join_downloaded: &'static str = "已下载 {size}", "{size} downloaded";
        join_as_council: &'static str = "你将以议事会成员身份加入", "You will join as a council member";
        join_as_worker: &'static str = "你将以网格员身份加入", "You will join as a grid worker";
        join_as_resident: &'static str = "你将以居民身份加入", "You will join as a resident";
        join_queued: &'static str = "读取完成后自动加入…", "Joining as soon as it is read…";
        join_queued_hint: &'static str =
            "不用等：社区读取完就会自动加入，称呼在那之前还可以改。",
            "No need to wait: you join as soon as the community is read, and can still change your name until then.";
        join_retry: &'static str = "重新读取", "Try again";
        join_check_all: &'static str =
            "先核对全部历史记录再加入（较慢）",
            "Check the whole history before joining (slower)";
        join_fast_note: &'static str =
            "已从议事会签名的存档点读入，较早的 {events} 条记录会在后台继续核对。",
            "Read from a save point the council signed; the {events} older records are checked in the background.";
        join_err_false_checkpoint: &'static str =
            "服务器给的社区存档和议事会签名的不一致，这台手机拒绝使用它，也没有保存。可以勾选“先核对全部历史记录”后重新读取。",
            "The community's save point from the server does not match what the council signed, so this phone refused it and kept nothing. Tick “Check the whole history” and try again.";
        join_err_under_signed: &'static str =
            "服务器给的社区存档签名的议事会成员不够，这台手机拒绝使用它，也没有保存。可以勾选“先核对全部历史记录”后重新读取。",
            "Too few council members signed the community's save point from the server, so this phone refused it and kept nothing. Tick “Check the whole history” and try again.";
        invite_title: &'static str = "邀请邻居", "Invite a neighbour";
        invite_role: &'static str = "身份", "Role";
        invite_household: &'static str = "户号（社区编号，不要填门牌号）", "Household code (not the flat number)";
        invite_submit: &'static str = "生成邀请", "Create invitation";
        invite_link: &'static str = "邀请链接（只能用一次）", "Invitation link (works once)";
        invite_copy: &'static str = "复制链接", "Copy link";
        invite_copied: &'static str = "已复制", "Copied";
        invite_qr: &'static str = "让邻居用手机扫这个码", "Let your neighbour scan this code";
        invite_not_allowed: &'static str =
            "只有议事会成员和管理员可以邀请。",
            "Only council members and the admin can invite.";
        members_title: &'static str = "成员名单", "Members";
        members_me: &'static str = "我", "Me";
        members_devices: &'static str = "台设备", "devices";
        join_follow: &'static str = "只看不加入", "View without joining";
        join_follow_hint: &'static str =
            "只读查看：可以看到社区的公开内容，不能参与表决。",
            "Read-only: you see the community's public records but cannot take part.";
        members_staff_note: &'static str =
            "你是工作人员，能看到全名和户号：请勿外传。",
            "As staff you see full names and households: keep them to yourself.";
        members_resident_note: &'static str =
            "名字打码显示（如 张*明），户号不公开。",
            "Names are shown masked (first and last character only); households are never shown.";
        members_search_staff: &'static str = "搜索姓名或户号", "Search by name or household";
        members_search_resident: &'static str =
            "搜索名字（按打码后显示的样子）",
            "Search the names as shown (masked)";
        members_filter: &'static str = "按身份筛选", "Filter by role";
        members_all: &'static str = "全部", "All";
        members_household: &'static str = "户号", "Household";
        members_found: &'static str = "共 {n} 人", "{n} members";
        members_none: &'static str = "没有找到符合的成员", "Nobody matches";
        members_pager: &'static str = "翻页", "Pages";
        members_prev: &'static str = "上一页", "Previous";
        members_next: &'static str = "下一页", "Next";
        members_page: &'static str = "第 {page} / {pages} 页", "Page {page} of {pages}";
    }
}
