//! The fold's rules, one test per rule and rejection code.

mod common;

use common::{secret, Town};
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Code, Event, Role, Space};
use serde_json::json;

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

#[test]
fn genesis_founds_the_space_and_its_admin() {
    let town = Town::new();
    let space = town.fold();
    let s = space.state();
    assert_eq!(s.name.as_deref(), Some("幸福里社区"));
    assert_eq!(s.accepted, 1);
    let admin = s.roster.member(&town.space).expect("admin");
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(s.roster.devices_of(admin), vec![town.admin.device()]);
}

#[test]
fn invitations_admit_members_once() {
    let mut town = Town::new();
    town.invite(None, 1, "resident", "B-101");
    let (_, member) = town.join(1, "张三");
    // Reusing the same secret from another device: one use only.
    let mut other = town.device(2);
    let reuse = town.act(
        &mut other,
        "member.join",
        json!({"secret": common::hex(&secret(1)), "name": "冒名"}),
    );
    // A secret nobody invited.
    let mut stranger = town.device(3);
    let unknown = town.act(
        &mut stranger,
        "member.join",
        json!({"secret": common::hex(&secret(99)), "name": "路人"}),
    );
    let space = town.fold();
    let m = space.state().roster.member(&member).expect("member");
    assert_eq!(
        (m.role, &*m.household, &*m.name),
        (Role::Resident, "B-101", "张三")
    );
    assert_eq!(code(&space, &reuse), Some(Code::InviteUsed));
    assert_eq!(code(&space, &unknown), Some(Code::InviteUnknown));
    let inv = space
        .state()
        .roster
        .invite_state(&sha256(&secret(1)))
        .expect("invite");
    assert_eq!(inv.used_by, Some(member));
}

#[test]
fn roles_limit_who_may_invite() {
    let mut town = Town::new();
    let (mut resident, _) = town.member(1, "resident");
    let (mut council, _) = town.member(2, "council");
    let by_resident = town.invite(Some(&mut resident), 10, "resident", "C-1");
    let council_invites_council = town.invite(Some(&mut council), 11, "council", "C-2");
    let council_invites_worker = town.invite(Some(&mut council), 12, "worker", "C-3");
    let duplicate = town.invite(None, 12, "resident", "C-4");
    let space = town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(
        code(&space, &council_invites_council),
        Some(Code::NotPermitted)
    );
    assert_eq!(code(&space, &council_invites_worker), None);
    assert_eq!(code(&space, &duplicate), Some(Code::InviteDuplicate));
}

#[test]
fn withdrawn_invitations_cannot_be_used() {
    let mut town = Town::new();
    town.invite(None, 1, "resident", "B-1");
    town.invite(None, 2, "resident", "B-2");
    town.invite(None, 3, "resident", "B-3");
    let hash = sha256(&secret(1)).to_hex();
    let open = |space: &linli_domain::Space| {
        let mut h: Vec<String> = space
            .state()
            .roster
            .open_invites()
            .map(|(_, i)| i.household.to_string())
            .collect();
        h.sort();
        h
    };
    assert_eq!(open(&town.fold()), ["B-1", "B-2", "B-3"]);
    town.admin_act("member.invite_revoke", json!({"invite": hash}));
    town.join(3, "王五");
    assert_eq!(open(&town.fold()), ["B-2"], "neither revoked nor used");
    let again = town.admin_act("member.invite_revoke", json!({"invite": hash}));
    let unknown = town.admin_act("member.invite_revoke", json!({"invite": "00".repeat(32)}));
    let (_, join) = town.join(1, "张三");
    let space = town.fold();
    assert_eq!(space.state().rejection(&join), Some(Code::InviteRevoked));
    assert_eq!(code(&space, &again), Some(Code::InviteRevoked));
    assert_eq!(code(&space, &unknown), Some(Code::InviteUnknown));
}

#[test]
fn devices_belong_to_members_and_revoked_ones_stop_counting() {
    let mut town = Town::new();
    let (mut phone, member) = town.member(1, "council");
    let new_phone = town.device(5);
    town.admin_act(
        "member.device_add",
        json!({"member": member.to_hex(), "device": new_phone.device().to_hex()}),
    );
    let taken = town.admin_act(
        "member.device_add",
        json!({"member": member.to_hex(), "device": new_phone.device().to_hex()}),
    );
    let nobody = town.admin_act(
        "member.device_add",
        json!({"member": "00".repeat(32), "device": town.device(6).device().to_hex()}),
    );
    town.admin_act(
        "member.device_revoke",
        json!({"device": phone.device().to_hex()}),
    );
    let twice = town.admin_act(
        "member.device_revoke",
        json!({"device": phone.device().to_hex()}),
    );
    let after = town.invite(Some(&mut phone), 20, "resident", "D-1");
    // The member is still a council member through the new phone.
    let mut new_phone = new_phone;
    let via_new = town.invite(Some(&mut new_phone), 21, "resident", "D-2");
    // A device that joined cannot join again as someone else.
    let rejoin = {
        town.invite(None, 22, "resident", "D-3");
        town.act(
            &mut new_phone,
            "member.join",
            json!({"secret": common::hex(&secret(22)), "name": "又来"}),
        )
    };
    let space = town.fold();
    let m = space.state().roster.member(&member).expect("member");
    assert_eq!(space.state().roster.devices_of(m).len(), 2);
    assert_eq!(space.state().roster.active_devices(m).len(), 1);
    assert_eq!(code(&space, &taken), Some(Code::DeviceTaken));
    assert_eq!(code(&space, &nobody), Some(Code::UnknownMember));
    assert_eq!(code(&space, &twice), Some(Code::UnknownDevice));
    assert_eq!(code(&space, &after), Some(Code::RevokedDevice));
    assert_eq!(code(&space, &via_new), None);
    assert_eq!(code(&space, &rejoin), Some(Code::DeviceTaken));
}

#[test]
fn only_the_admin_appoints_and_the_admin_is_protected() {
    let mut town = Town::new();
    let (mut council, _) = town.member(1, "council");
    let (_, resident) = town.member(2, "resident");
    let by_council = town.act(
        &mut council,
        "member.role",
        json!({"member": resident.to_hex(), "role": "council"}),
    );
    let appoint = town.admin_act(
        "member.role",
        json!({"member": resident.to_hex(), "role": "worker"}),
    );
    let make_admin = town.admin_act(
        "member.role",
        json!({"member": resident.to_hex(), "role": "admin"}),
    );
    let demote_admin = town.admin_act(
        "member.role",
        json!({"member": town.space.to_hex(), "role": "resident"}),
    );
    let revoke_admin = town.act(
        &mut council,
        "member.device_revoke",
        json!({"device": town.admin.device().to_hex()}),
    );
    let space = town.fold();
    assert_eq!(code(&space, &by_council), Some(Code::NotPermitted));
    assert_eq!(code(&space, &appoint), None);
    assert_eq!(
        space.state().roster.member(&resident).map(|m| m.role),
        Some(Role::Worker)
    );
    assert_eq!(code(&space, &make_admin), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &demote_admin), Some(Code::NotPermitted));
    assert_eq!(code(&space, &revoke_admin), Some(Code::NotPermitted));
}

#[test]
fn strangers_unknown_kinds_and_bad_payloads_have_no_effect() {
    let mut town = Town::new();
    let mut stranger = town.device(9);
    let unknown_author = town.act(
        &mut stranger,
        "member.invite",
        json!({"invite": "11".repeat(32), "role": "resident", "household": "X"}),
    );
    let future = town.admin_act("garden.plot", json!({"q": "?"}));
    let bad = town.admin_act(
        "member.invite",
        json!({"invite": "nothex", "role": "resident", "household": "X"}),
    );
    let long = town.admin_act(
        "member.invite",
        json!({"invite": "22".repeat(32), "role": "resident", "household": "户".repeat(65)}),
    );
    let space = town.fold();
    assert_eq!(code(&space, &unknown_author), Some(Code::UnknownAuthor));
    assert_eq!(code(&space, &future), Some(Code::UnknownKind));
    assert_eq!(code(&space, &bad), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &long), Some(Code::OverLimit));
    // Rejected events still hold their place in the chain: the admin's next event counts.
    let mut town2 = town;
    let after = town2.invite(None, 1, "resident", "Y");
    assert_eq!(code(&town2.fold(), &after), None);
}

#[test]
fn events_of_another_space_or_a_second_genesis_are_wrong_space() {
    let mut town = Town::new();
    let mut elsewhere = ChainWriter::new(&common::seed(0), Some(linli_domain::Hex32([9; 32])));
    let other = town.act(
        &mut elsewhere,
        "member.invite",
        json!({"invite": "33".repeat(32), "role": "resident", "household": "Z"}),
    );
    let mut founder2 = ChainWriter::new(&common::seed(4), None);
    let genesis2 = town.act(
        &mut founder2,
        "space.genesis",
        json!({"name": "另一个社区"}),
    );
    let space = town.fold();
    assert_eq!(code(&space, &other), Some(Code::WrongSpace));
    assert_eq!(code(&space, &genesis2), Some(Code::WrongSpace));
    assert_eq!(space.state().name.as_deref(), Some("幸福里社区"));
}

#[test]
fn chains_must_be_contiguous_linked_and_increasing() {
    let mut town = Town::new();
    let (mut d, _) = town.member(1, "council");
    let e1 = town.invite(Some(&mut d), 30, "resident", "E-1");
    let e2 = town.invite(Some(&mut d), 31, "resident", "E-2");
    let e3 = town.invite(Some(&mut d), 32, "resident", "E-3");

    // Gap: e2 withheld, so e3 cannot be checked.
    let mut space = Space::new(town.space);
    space.insert(town.log.iter().filter(|e| e.id != e2.id).cloned());
    assert_eq!(code(&space, &e3), Some(Code::ChainGap));
    assert_eq!(code(&space, &e1), None);
    // When e2 arrives, e3 counts: the late event re-folds the tail.
    space.insert([e2.clone()]);
    assert_eq!(code(&space, &e3), None);
    assert_eq!(space.state(), &space.full_fold());

    // Mismatched prev, seq 1 with a prev, and a lamport that does not increase.
    let signer = d.signer();
    let empty = json!({});
    let draft = |seq: u64, prev: Option<linli_domain::EventId>, lamport: u64| linli_domain::Draft {
        space: Some(town.space),
        seq,
        prev,
        lamport,
        ts: 0,
        kind: "member.invite",
        payload: &empty,
    };
    let wrong_prev = signer.sign(&draft(e3.seq + 1, Some(e1.id), e3.lamport + 1));
    let fresh = ChainWriter::new(&common::seed(40), Some(town.space));
    let seq1_prev = fresh.signer().sign(&draft(1, Some(e1.id), 1000));
    let mut space = town.fold();
    space.insert([wrong_prev.clone(), seq1_prev.clone()]);
    assert_eq!(code(&space, &wrong_prev), Some(Code::ChainMismatch));
    assert_eq!(code(&space, &seq1_prev), Some(Code::ChainMismatch));

    let flat = signer.sign(&draft(e3.seq + 1, Some(e3.id), e3.lamport));
    let mut space = town.fold();
    space.insert([flat.clone()]);
    // Same lamport as its predecessor: ordered after it by seq, then refused.
    assert_eq!(code(&space, &flat), Some(Code::LamportNotIncreasing));
}

#[test]
fn a_fork_stops_the_device_from_the_fork_on() {
    let mut town = Town::new();
    let (mut d, _) = town.member(1, "council");
    let before = town.invite(Some(&mut d), 50, "resident", "F-1");
    let twin_a = town.invite(Some(&mut d), 51, "resident", "F-2");
    let after = town.invite(Some(&mut d), 52, "resident", "F-3");
    // The same device signs a different event at twin_a's seq.
    let payload =
        json!({"invite": sha256(&secret(53)).to_hex(), "role": "resident", "household": "F-4"});
    let twin_b = d.signer().sign(&linli_domain::Draft {
        space: Some(town.space),
        seq: twin_a.seq,
        prev: twin_a.prev,
        lamport: twin_a.lamport,
        ts: 1,
        kind: "member.invite",
        payload: &payload,
    });
    let mut space = town.fold();
    assert_eq!(
        code(&space, &after),
        None,
        "before the twin arrives, all counts"
    );
    space.insert([twin_b.clone()]);
    assert_eq!(code(&space, &before), None);
    assert_eq!(code(&space, &twin_a), Some(Code::Fork));
    assert_eq!(code(&space, &twin_b), Some(Code::Fork));
    assert_eq!(code(&space, &after), Some(Code::Fork));
    assert_eq!(space.forks().get(&d.device()), Some(&twin_a.seq));
    assert_eq!(space.state(), &space.full_fold());
}

#[test]
fn duplicates_are_harmless_and_reported() {
    let town = Town::new();
    let mut space = town.fold();
    let again = space.insert(town.log.iter().cloned());
    assert!(again.iter().all(|o| *o == linli_domain::Outcome::Duplicate));
    assert_eq!(space.state(), &town.fold().state().clone());
}
