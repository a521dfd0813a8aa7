//! 简体中文 — the default table.

use super::Messages;

pub static MESSAGES: Messages = Messages {
    app_name: "邻里",
    nav_label: "主导航",
    nav_home: "首页",
    nav_council: "议事",
    nav_points: "积分",
    nav_volunteer: "志愿",
    nav_me: "我的",

    badge_online: "在线",
    badge_offline: "离线",
    badge_online_hint: "已连接网络",
    badge_offline_hint: "没有网络：可以继续浏览，联网后再同步",

    home_title: "首页",
    home_empty_title: "你还没有加入社区",
    home_empty_body: "邻里是社区议事、积分和志愿服务的平台。加入社区后，这里会显示社区公告、等你表决的议题和邻居的求助。",
    home_empty_steps: [
        "向社区工作者或网格员要一个邀请链接",
        "用手机打开链接就能加入，不用注册账号",
        "没有网络也能用，联网后自动同步",
    ],

    council_title: "居民议事",
    council_empty_title: "还没有议题",
    council_empty_body: "加入社区后，你可以在这里参与居民议事会：",
    council_empty_items: [
        "提出议题，请邻居附议",
        "参与协商，发表你的意见",
        "在手机上表决，查看结果和落实进度",
    ],

    points_title: "积分",
    points_empty_title: "还没有积分记录",
    points_empty_body: "加入社区后，你可以在这里：",
    points_empty_items: [
        "查看积分细则和自己的积分明细",
        "用积分在积分超市兑换物品",
        "查看红榜和黑榜（姓名已打码）",
    ],

    volunteer_title: "志愿服务",
    volunteer_empty_title: "还没有志愿活动",
    volunteer_empty_body: "加入社区后，你可以在这里：",
    volunteer_empty_items: [
        "登记你的特长和空闲时间",
        "报名志愿活动，到场签到签退",
        "确认的服务时长自动换成积分",
    ],

    me_title: "我的",
    me_community: "我的社区",
    me_no_community: "尚未加入社区",
    me_settings: "设置",
    me_language: "语言",
    me_large_text: "大字模式",
    me_large_text_hint: "字更大、对比更强，方便老年人阅读",
    me_saved_on_device: "设置保存在本机",
    me_not_saved: "本机存储不可用：设置只在这次打开时有效",
    me_about: "关于邻里",
    me_about_body: "邻里：社区议事、积分和志愿服务。数据保存在你的手机上，没有网络也能用。",

    not_found_title: "找不到这个页面",
    not_found_body: "链接可能有误，或者页面已经移动。",
    not_found_back: "回到首页",

    error_title: "出错了",
    store_unavailable: "本机存储不可用（可能是无痕模式或空间已满）。你仍然可以浏览，但设置不会被保存。",
    store_read_failed: "读取本机数据失败，暂时使用默认设置。",
    store_write_failed: "保存失败，这项设置没有被记住。请再试一次。",
    store_quota: "手机存储空间不足，保存失败。请清理空间后再试。",
    dismiss: "知道了",
};
