//! 积分 — the points scheme.

crate::texts! {
    /// 积分 — the points scheme.
    pub struct PointsText {
        title: &'static str = "积分", "Points";
        empty_title: &'static str = "还没有积分记录", "No points yet";
        empty_body: &'static str = "加入社区后，你可以在这里：", "Once you join a community, this is where you:";
        empty_items: [&'static str; 3] = [
            "查看积分细则和自己的积分明细",
            "用积分在积分超市兑换物品",
            "查看红榜和黑榜（姓名已打码）",
        ], [
            "Read the points rules and your own points history",
            "Redeem points in the points store",
            "See the red and black lists (names masked)",
        ];
    }
}
