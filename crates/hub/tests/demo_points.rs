//! The demo's year of points (`linli-hub demo`): adopted by a ballot, folded without a single
//! rejection, with every part of the points rules at work — and `--points-scale` for
//! benchmarks.

use std::path::Path;
use std::process::Command;

use linli_domain::points::{EntryStatus, List, RedemptionStatus, Source};

fn demo(out: &Path, extra: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
        .args([
            "demo",
            "--households",
            "80",
            "--residents",
            "240",
            "--seed",
            "5",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf8").trim().to_owned()
}

fn fold(out: &Path, space: &str) -> linli_domain::Space {
    linli_hub::files::read_space(&out.join("spaces").join(space)).expect("read the space")
}

#[test]
fn the_demo_has_a_year_of_points_that_the_fold_accepts_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let space = demo(dir.path(), &[]);
    let space = fold(dir.path(), &space);
    let state = space.state();
    assert_eq!(space.rejections(), vec![], "the fold rejects nothing");
    let p = &state.points;

    // Adopted by a ballot of the households, passed, before any rule.
    let ballot = state
        .council
        .proposals()
        .into_iter()
        .find(|x| x.spec.title.contains("积分管理细则"))
        .expect("the ballot adopting the rules");
    assert!(ballot.passed(), "the rules' ballot passed");
    // It is the first ballot the demo closes.
    let closed = space
        .events()
        .filter(|e| e.kind == "ballot.close")
        .map(|e| e.ts)
        .min();
    let first_rule = space
        .events()
        .filter(|e| e.kind == "points.rule")
        .map(|e| e.ts)
        .min()
        .expect("rules");
    assert!(
        closed.is_some_and(|c| c < first_rule),
        "voted before the rules"
    );

    // The catalogue: 15–25 rules, one replaced by a new version, one retired.
    let rules = p.rules();
    assert!((15..=25).contains(&rules.len()), "{} rules", rules.len());
    assert!(rules.iter().any(|r| r.version == 2 && r.replaces.is_some()));
    let replaced: Vec<_> = rules.iter().filter_map(|r| r.replaces).collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| r.retired && !replaced.contains(&r.id))
            .count(),
        1,
        "one rule retired outright"
    );
    assert!(rules.iter().any(|r| r.claimable));
    assert!(rules.iter().any(|r| r.list == List::Black));
    assert!(rules.iter().any(|r| r.cap_month > 0));

    // Awards and claims, mostly approved, some refused.
    let entries: Vec<_> = p.entries().collect();
    let awards = entries.iter().filter(|e| e.source == Source::Award).count();
    let claims: Vec<_> = p.claims().collect();
    let approved = claims.iter().filter(|c| c.approved == Some(true)).count();
    let refused = claims.iter().filter(|c| c.approved == Some(false)).count();
    assert!(awards >= 200, "{awards} awards");
    assert!(
        approved > 5 * refused && refused >= 1,
        "{approved} approved, {refused} refused"
    );

    // Appeals granted and refused, decided by a council member who did not issue the entry;
    // reversals; rectifications.
    let appealed: Vec<_> = entries.iter().filter(|e| e.appeal.is_some()).collect();
    let granted = appealed
        .iter()
        .filter(|e| e.appeal.as_ref().is_some_and(|a| a.granted == Some(true)))
        .count();
    let kept = appealed
        .iter()
        .filter(|e| e.appeal.as_ref().is_some_and(|a| a.granted == Some(false)))
        .count();
    assert!(
        granted >= 1 && kept >= 1,
        "{granted} granted, {kept} refused"
    );
    assert!(appealed.iter().all(|e| e.amount < 0));
    let reversed = entries
        .iter()
        .filter(|e| e.status == EntryStatus::Void && e.appeal.is_none())
        .count();
    assert!(reversed >= 1, "a reversal");
    assert!(entries.iter().any(|e| e.rectified), "整改");

    // Both lists, the black list having lost people along the way; an opt-out.
    assert!(!p.red_list().is_empty() && !p.black_list().is_empty());
    assert!(
        p.accounts().any(|(_, a)| a.red_opt_out && a.red > 0),
        "an opt-out"
    );

    // The store: 10 items, redemptions handed over and cancelled; the expiry.
    assert!(p.items().len() >= 10);
    let redemptions: Vec<_> = p.redemptions().collect();
    let fulfilled = redemptions
        .iter()
        .filter(|r| r.status == RedemptionStatus::Fulfilled)
        .count();
    let cancelled = redemptions
        .iter()
        .filter(|r| r.status == RedemptionStatus::Cancelled)
        .count();
    assert!(fulfilled >= 20, "{fulfilled} fulfilled");
    assert!((1..=2).contains(&cancelled), "{cancelled} cancelled");
    assert_eq!(p.expiries().len(), 1);
}

#[test]
fn points_scale_multiplies_the_year_and_stays_clean() {
    let dir = tempfile::tempdir().expect("tmp");
    // The year's own entries: the season of volunteering's hours do not scale.
    let year = |p: &linli_domain::points::Points| {
        p.entries().filter(|e| e.source != Source::Hours).count()
    };
    let base = demo(dir.path(), &[]);
    let base = year(&fold(dir.path(), &base).state().points);
    let more = tempfile::tempdir().expect("tmp");
    let space = demo(more.path(), &["--points-scale", "3"]);
    let space = fold(more.path(), &space);
    assert_eq!(space.rejections(), vec![]);
    let entries = year(&space.state().points);
    assert!(
        entries > 5 * base / 2,
        "{entries} entries at scale 3, {base} at 1"
    );
}
