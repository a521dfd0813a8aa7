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
        balance: &'static str = "我的积分", "My points";
        grade: &'static str = "信用等级（仅供参考）", "Credit grade (for information)";
        grade_names: [&'static str; 4] = ["优秀", "良好", "一般", "待改进"], ["Excellent", "Good", "Fair", "Needs work"];
        pending_claims: &'static str = "{n} 条申报等待审核", "{n} claims waiting for a decision";
        rules_link: &'static str = "积分细则", "Points rules";
        award_link: &'static str = "记分", "Record points";
        history: &'static str = "积分明细", "History";
        no_entries: &'static str = "还没有积分记录。", "No entries yet.";
        by: &'static str = "登记人", "Recorded by";
        status_void: &'static str = "已撤销", "Reversed";
        redeem_cancelled: &'static str = "已取消，积分已退回", "Cancelled: points returned";
        history_redeemed: &'static str = "兑换 {item}", "Redeemed {item}";
        history_lapsed: &'static str = "积分清零", "Points lapsed";
        history_lapsed_before: &'static str = "{date} 前获得的积分到期", "Earned before {date}, expired";
        status_suspended: &'static str = "申诉中", "Under appeal";
        appeal_granted: &'static str = "申诉成功，已撤销", "Appeal granted: void";
        appeal_refused: &'static str = "申诉未通过", "Appeal refused";
        appeal_decision: &'static str = "议事会答复：{reason}", "The council's reason: {reason}";
        appeal: &'static str = "申诉", "Appeal";
        appeal_until: &'static str = "可在 {date} 前申诉", "You may appeal until {date}";
        appeal_title: &'static str = "对这次扣分提出申诉？", "Appeal this deduction?";
        appeal_body: &'static str =
            "申诉期间这次扣分暂不计算，也不会上黑榜；由议事会成员（不是登记人）决定。",
            "While the appeal is pending the deduction does not count and stays off the black list; a council member (not the one who recorded it) decides.";
        appeal_reason: &'static str = "申诉理由", "Why";
        months: &'static str = "每月积分", "Points by month";
        rules_title: &'static str = "积分细则", "Points rules";
        rules_intro: &'static str =
            "按下面的规则加分或扣分。加分可以在积分超市兑换；扣分整改后会从黑榜撤下。",
            "Points are added or taken by these rules. Points buy items in the store; a deduction leaves the black list once put right.";
        rules_none: &'static str = "议事会还没有制定积分细则。", "The council has not adopted any rules yet.";
        rule_per: &'static str = "每次", "each";
        rule_cap: &'static str = "每月最多 {n} 分", "at most {n} a month";
        rule_claimable: &'static str = "可自己申报", "Claimable";
        rule_red: &'static str = "计入红榜", "Counts for the red list";
        rule_black: &'static str = "计入黑榜", "Goes on the black list";
        rule_retire: &'static str = "停用", "Retire";
        rule_version: &'static str = "第 {n} 版", "version {n}";
        rule_change: &'static str = "修改", "Change";
        rule_changing: &'static str = "修改“{title}”（第 {n} 版）", "Change “{title}” (version {n})";
        rule_changing_hint: &'static str =
            "保存后新版本立即生效，旧版本停用；已记录的积分保持不变。",
            "The new version applies from now and the old one is retired; points already recorded stay as they are.";
        rule_change_cancel: &'static str = "不修改了", "Cancel the change";
        expire_title: &'static str = "积分清零", "Let points lapse";
        expire_intro: &'static str =
            "某日之前获得、还没用掉的积分全部清零（先用掉的算最早的积分）。红黑榜不受影响。",
            "Points earned before a date and not spent lapse (spending uses the oldest points first). The red and black lists are not affected.";
        expire_before: &'static str = "清零截止日期（这天之前获得的）", "Lapse what was earned before";
        expire_note: &'static str = "说明（可不填）", "Note (optional)";
        expire_button: &'static str = "积分清零", "Let them lapse";
        expire_confirm: &'static str = "让 {date} 之前获得的积分清零？", "Let points earned before {date} lapse?";
        expire_confirm_body: &'static str =
            "每位居民在这天之前获得、尚未用掉的积分都会清零，且不能撤回。",
            "Every member's unspent points earned before that day lapse. This cannot be undone.";
        expire_done: &'static str = "已清零", "Done: the points lapsed";
        rule_retire_title: &'static str = "停用规则“{title}”？", "Retire “{title}”?";
        rule_retire_body: &'static str =
            "停用后不能再按这条规则记分；已经记的分不变。",
            "No new entries under it; entries already made keep their points.";
        rule_new: &'static str = "新增规则", "Add a rule";
        rule_title: &'static str = "规则名称", "Rule";
        rule_points: &'static str = "分值（扣分填负数）", "Points (negative to deduct)";
        rule_list: &'static str = "上榜", "List";
        rule_lists: [&'static str; 3] = ["不上榜", "红榜", "黑榜"], ["None", "Red list", "Black list"];
        rule_claimable_label: &'static str = "居民可以自己申报", "Members may claim it";
        rule_cap_label: &'static str = "每人每月上限（0 为不限）", "Monthly cap per member (0: none)";
        rule_save: &'static str = "保存规则", "Save the rule";
        rule_saved: &'static str = "已保存", "Saved";
        award_title: &'static str = "记分", "Record points";
        award_who: &'static str = "给谁记分（姓名或户号）", "For whom (name or household)";
        award_pick: &'static str = "选这位", "Choose";
        award_recent: &'static str = "最近记过分的", "Recently recorded";
        award_rule_chosen: &'static str = "已选：{rule}。再选居民", "Chosen: {rule}. Now pick the resident";
        award_change: &'static str = "换人", "Change";
        award_rule: &'static str = "按哪条规则", "Which rule";
        award_qty: &'static str = "次数", "Times";
        award_note: &'static str = "备注（可不填）", "Note (optional)";
        award_confirm: &'static str = "为 {name} 记 {points} 分（{rule}）？", "Record {points} for {name} ({rule})?";
        award_confirm_body: &'static str =
            "记录后会同步给全社区；记错了可以请议事会成员或其他网格员撤销。",
            "It syncs to the whole community; if it is wrong, a council member or another worker can reverse it.";
        award_record: &'static str = "记录", "Record";
        award_done: &'static str = "已为 {name} 记 {points} 分", "Recorded {points} for {name}";
        award_none: &'static str = "没有找到这位成员", "Nobody found";
        award_no_rules: &'static str = "还没有积分细则：请议事会先制定。", "No rules yet: the council adopts them first.";
        review_link: &'static str = "待审核", "To review";
        review_title: &'static str = "待审核", "To review";
        review_claims: &'static str = "居民申报", "Claims";
        review_none: &'static str = "没有待审核的申报。", "No claims waiting.";
        review_approve: &'static str = "通过", "Approve";
        review_refuse: &'static str = "不通过", "Refuse";
        review_appeals: &'static str = "扣分申诉", "Appeals";
        review_grant: &'static str = "撤销扣分", "Grant";
        review_keep: &'static str = "维持扣分", "Refuse";
        appeal_grant_title: &'static str = "撤销 {name} 的这笔扣分？", "Void this deduction of {name}'s?";
        appeal_keep_title: &'static str = "维持 {name} 的这笔扣分？", "Keep this deduction of {name}'s?";
        appeal_decide_body: &'static str = "居民会在“我的积分”里看到结果和理由。", "They see the outcome and the reason in My points.";
        appeal_decide_reason: &'static str = "理由（居民会看到）", "Reason (they will read it)";
        appeal_decide_reason_optional: &'static str = "理由（可不填，居民会看到）", "Reason (optional; they will read it)";
        claim: &'static str = "申报", "Claim";
        claim_title: &'static str = "申报“{rule}”的积分？", "Claim points for “{rule}”?";
        claim_body: &'static str =
            "网格员或议事会成员审核通过后记入你的积分。",
            "A worker or a council member checks it; once approved it is added to your points.";
        claim_sent: &'static str = "已申报，等待审核", "Claimed: waiting for a decision";
        store_link: &'static str = "积分超市", "Points store";
        store_title: &'static str = "积分超市", "Points store";
        store_balance: &'static str = "我的积分：{n}", "My points: {n}";
        store_empty: &'static str = "超市里还没有物品。", "Nothing in the store yet.";
        store_stock: &'static str = "库存 {n}", "{n} in stock";
        store_cost: &'static str = "{n} 分", "{n} pts";
        store_redeem: &'static str = "兑换", "Redeem";
        store_restock: &'static str = "补货 10", "Restock 10";
        store_qty: &'static str = "数量", "How many";
        store_confirm: &'static str = "用 {n} 分兑换 {item} × {qty}？", "Spend {n} points on {item} × {qty}?";
        store_mine: &'static str = "我的兑换", "My redemptions";
        store_to_fulfil: &'static str = "待领取", "To hand over";
        store_pending: &'static str = "待领取", "To collect";
        store_fulfilled: &'static str = "已领取", "Collected";
        store_cancelled: &'static str = "已取消", "Cancelled";
        store_refused: &'static str = "未成功", "Not redeemed";
        store_hand_over: &'static str = "已领取", "Handed over";
        store_cancel: &'static str = "取消兑换", "Cancel";
        store_cancel_title: &'static str = "取消这次兑换？", "Cancel this redemption?";
        store_cancel_body: &'static str = "积分和库存都会退回。", "The points and the stock come back.";
        store_new: &'static str = "上架新物品", "Add an item";
        store_item_title: &'static str = "物品名称", "Item";
        store_item_cost: &'static str = "所需积分", "Points";
        store_item_stock: &'static str = "库存", "Stock";
        store_add: &'static str = "上架", "Add";
        lists_link: &'static str = "红黑榜", "Red and black lists";
        lists_title: &'static str = "红黑榜", "Red and black lists";
        lists_print: &'static str = "打印张贴", "Print for the board";
        red_title: &'static str = "红榜", "Red list";
        black_title: &'static str = "黑榜（曝光栏）", "Black list";
        lists_none: &'static str = "暂无", "None";
        black_waiting: &'static str =
            "另有 {n} 条在 15 天申诉期内，期满后才公示。",
            "{n} more are inside their 15-day appeal window and show once it ends.";
        lists_rules: &'static str =
            "姓名已打码。红榜按积分细则中计入红榜的积分排序，本人可选择不上榜；黑榜为未整改的记录，整改、撤销或申诉成功后立即撤下。",
            "Names are masked. The red list ranks points under red-list rules, and anyone may opt out; the black list shows records not yet put right, removed at once when put right, reversed or granted on appeal.";
        my_code: &'static str = "我的积分码", "My points code";
        my_code_hint: &'static str =
            "网格员扫这个码，就能直接为你记分。",
            "A worker scans this code to record points for you straight away.";
        red_opt: &'static str = "上红榜", "Appear on the red list";
        red_opt_hint: &'static str =
            "关掉后，你的名字不会出现在红榜上；积分照常。",
            "Off: your name stays off the red list; your points are unchanged.";
        recent_title: &'static str = "最近的记录", "Recent entries";
        recent_hint: &'static str =
            "记错了可以撤销（不能撤销自己登记的）；扣分上了黑榜的，整改后点“已整改”撤下。",
            "Reverse an entry recorded by mistake (not one you recorded yourself); mark misconduct put right to take it off the black list.";
        recent_listed: &'static str = "在黑榜上", "on the black list";
        recent_rectify: &'static str = "已整改", "Put right";
        recent_reverse: &'static str = "撤销", "Reverse";
        recent_reverse_title: &'static str = "撤销这条积分记录？", "Reverse this entry?";
        recent_reverse_body: &'static str =
            "撤销后这条记录不再计分，也会从红黑榜撤下；记录本身保留。",
            "It stops counting and leaves the lists; the record itself stays.";
        recent_reason: &'static str = "撤销原因", "Why";
        award_pick_first: &'static str = "请先选人和规则", "Choose the person and the rule first";
    }
}
