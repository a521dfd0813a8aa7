//! 志愿 — volunteer services.

crate::texts! {
    /// 志愿 — volunteer services.
    pub struct VolunteerText {
        title: &'static str = "志愿服务", "Volunteering";
        empty_title: &'static str = "还没有志愿活动", "No volunteer tasks yet";
        empty_body: &'static str = "加入社区后，你可以在这里：", "Once you join a community, this is where you:";
        empty_items: [&'static str; 3] = [
            "登记你的特长和空闲时间",
            "报名志愿活动，到场签到签退",
            "确认的服务时长自动换成积分",
        ], [
            "Register your skills and when you are free",
            "Sign up for tasks and check in and out on site",
            "Turn confirmed hours into points",
        ];
    }
}
