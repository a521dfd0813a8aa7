//! 议事规则 — the council's standing rules: a proposal may not ask less than the charter in
//! force when it is created; the latest charter wins; only the admin and the council adopt one.

mod common;

use common::Town;
use linli_domain::council::act::{Charter, Create, NewComment};
use linli_domain::council::{Act, Eligibility, Threshold};
use linli_domain::wire::Problem;
use linli_domain::{ChainWriter, Code, Command, Event, Space};

fn create(quorum_pct: u8, seconds_needed: u32, eligibility: Eligibility) -> Command {
    Command::Council(Act::Create(Create {
        title: "在3号楼前加装充电桩".into(),
        body: "".into(),
        category: "安全".into(),
        options: Vec::new(),
        eligibility,
        quorum_pct,
        threshold: Threshold::Simple,
        seconds_needed,
        hide_tally: false,
    }))
}

fn charter(min_quorum_pct: u8, min_seconds: u32, resident: &[Eligibility]) -> Command {
    Command::Council(Act::Charter(Charter {
        min_quorum_pct,
        min_seconds,
        resident_eligibility: resident.to_vec(),
    }))
}

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

struct Setup {
    town: Town,
    council: ChainWriter,
    resident: ChainWriter,
}

fn setup() -> Setup {
    let mut town = Town::new();
    let (council, _) = town.member(1, "council");
    let (resident, _) = town.member(2, "resident");
    Setup {
        town,
        council,
        resident,
    }
}

#[test]
fn before_any_charter_there_are_no_minimums() {
    let mut s = setup();
    let p = s
        .town
        .command(&mut s.resident, &create(0, 0, Eligibility::Council));
    assert_eq!(code(&s.town.fold(), &p), None);
    assert!(s.town.fold().state().council.charter().is_none());
}

#[test]
fn a_proposal_may_not_ask_less_than_the_charter() {
    use Eligibility::*;
    let mut s = setup();
    let c = s
        .town
        .command(&mut s.council, &charter(30, 3, &[Resident, Household]));
    let low_quorum = s.town.command(&mut s.resident, &create(20, 3, Resident));
    let few_seconds = s.town.command(&mut s.resident, &create(30, 2, Resident));
    let council_only = s.town.command(&mut s.resident, &create(30, 3, Council));
    let fine = s.town.command(&mut s.resident, &create(40, 5, Household));
    // Staff may choose any voters, but not a lower bar.
    let staff_council = s.town.command(&mut s.council, &create(30, 3, Council));
    let staff_low = s.town.command(&mut s.council, &create(10, 3, Resident));
    let space = s.town.fold();
    assert_eq!(code(&space, &c), None);
    assert_eq!(code(&space, &low_quorum), Some(Code::AgainstCharter));
    assert_eq!(code(&space, &few_seconds), Some(Code::AgainstCharter));
    assert_eq!(code(&space, &council_only), Some(Code::AgainstCharter));
    assert_eq!(code(&space, &fine), None);
    assert_eq!(code(&space, &staff_council), None);
    assert_eq!(code(&space, &staff_low), Some(Code::AgainstCharter));

    // The audit shows the rules in force and every rejection with its code.
    let report = linli_domain::audit::report(&space);
    assert_eq!(report.charter.as_ref().map(|c| c.min_quorum_pct), Some(30));
    let against: Vec<_> = report
        .rejections
        .iter()
        .filter(|r| r.code == Code::AgainstCharter)
        .collect();
    assert_eq!(against.len(), 4);
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["charter"]["resident_eligibility"][1], "household");

    // Asked before signing, the app gets the same answer — and which field is at fault,
    // with the least the rules allow, for the form to show beside it.
    let me = s.resident.device();
    assert_eq!(
        space.check(&me, &create(20, 3, Resident)),
        Err(Code::AgainstCharter)
    );
    let field = |c: &Command| {
        space
            .check_fields(&me, c)
            .map_err(|e| (e.field, e.problem, e.code))
    };
    assert_eq!(
        field(&create(20, 3, Resident)),
        Err((
            "quorum_pct",
            Problem::BelowCharter { min: 30 },
            Code::AgainstCharter
        ))
    );
    assert_eq!(
        field(&create(30, 2, Resident)),
        Err((
            "seconds_needed",
            Problem::BelowCharter { min: 3 },
            Code::AgainstCharter
        ))
    );
    assert_eq!(
        field(&create(30, 3, Council)),
        Err(("eligibility", Problem::NotAllowed, Code::AgainstCharter))
    );
    assert_eq!(field(&create(30, 3, Resident)), Ok(()));
    // The staff's own choice of voters is not at fault.
    assert_eq!(
        space.check_fields(&s.council.device(), &create(30, 3, Council)),
        Ok(())
    );
}

#[test]
fn a_form_learns_which_field_is_wrong_and_the_limit() {
    let mut long = create(30, 3, Eligibility::Resident);
    if let Command::Council(Act::Create(c)) = &mut long {
        c.body = "议".repeat(5000).into();
    }
    let e = long.check().expect_err("too long");
    assert_eq!(
        (e.field, e.problem, e.code),
        (
            "body",
            Problem::TooLong {
                max: 2000,
                len: 5000
            },
            Code::OverLimit
        )
    );
    assert_eq!(
        long.validate(),
        Err(Code::OverLimit),
        "the fold's code is the same"
    );
    let mut blank = create(30, 3, Eligibility::Resident);
    if let Command::Council(Act::Create(c)) = &mut blank {
        c.title = "  ".into();
    }
    let e = blank.check().expect_err("blank");
    assert_eq!((e.field, e.problem), ("title", Problem::Missing));
    let empty_comment = Command::Council(Act::Comment(NewComment {
        proposal: Default::default(),
        text: "".into(),
    }));
    let e = empty_comment.check().expect_err("empty");
    assert_eq!(
        (e.field, e.problem, e.code),
        ("text", Problem::Missing, Code::MalformedPayload)
    );
    let mut quorum = create(30, 3, Eligibility::Resident);
    if let Command::Council(Act::Create(c)) = &mut quorum {
        c.quorum_pct = 120;
    }
    let e = quorum.check().expect_err("range");
    assert_eq!(
        (e.field, e.problem, e.code),
        (
            "quorum_pct",
            Problem::OutOfRange { min: 0, max: 100 },
            Code::MalformedPayload
        )
    );
}

#[test]
fn the_latest_charter_wins_and_is_never_retroactive() {
    use Eligibility::*;
    let mut s = setup();
    let before = s.town.command(&mut s.resident, &create(0, 0, Resident));
    s.town.command(&mut s.council, &charter(50, 5, &[Resident]));
    let strict = s.town.command(&mut s.resident, &create(30, 3, Resident));
    s.town
        .command(&mut s.council, &charter(30, 3, &[Resident, Household]));
    let relaxed = s.town.command(&mut s.resident, &create(30, 3, Household));
    let space = s.town.fold();
    assert_eq!(code(&space, &before), None, "created before any charter");
    assert_eq!(
        space
            .state()
            .council
            .proposal(&before.id)
            .map(|p| p.spec.quorum_pct),
        Some(0)
    );
    assert_eq!(code(&space, &strict), Some(Code::AgainstCharter));
    assert_eq!(code(&space, &relaxed), None);
}

#[test]
fn only_the_admin_and_the_council_adopt_a_charter_and_it_must_make_sense() {
    use Eligibility::*;
    let mut s = setup();
    let by_resident = s.town.command(&mut s.resident, &charter(0, 0, &[Resident]));
    let by_admin = s
        .town
        .admin_act("space.charter", charter(10, 1, &[Resident]).payload());
    let none = s.town.command(&mut s.council, &charter(30, 3, &[]));
    let twice = s
        .town
        .command(&mut s.council, &charter(30, 3, &[Resident, Resident]));
    let over = s
        .town
        .command(&mut s.council, &charter(101, 3, &[Resident]));
    let seconds = s
        .town
        .command(&mut s.council, &charter(30, 101, &[Resident]));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &by_admin), None);
    assert_eq!(code(&space, &none), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &twice), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &over), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &seconds), Some(Code::OverLimit));
    assert_eq!(
        space.state().council.charter().map(|c| c.min_quorum_pct),
        Some(10),
        "the rejected ones changed nothing"
    );
}
