//! Properties of the fold: any permutation, duplication or batching of the same events gives
//! byte-identical state, and incremental insertion equals a fold from scratch.

mod common;

use common::{secret, Town};
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, Space};
use proptest::prelude::*;
use serde_json::json;

/// Builds a town from a script of small numbers: each op picks an actor and an action, some of
/// which are rule-breaking (strangers, reused secrets, forks, revoked devices).
fn town_from(ops: &[(u8, u8)]) -> Vec<Event> {
    let mut town = Town::new();
    let mut members: Vec<ChainWriter> = Vec::new();
    let mut next_secret = 100u32;
    for &(who, what) in ops {
        let pick = usize::from(who) % (members.len() + 1);
        match what % 7 {
            0 | 1 => {
                // Invite then join.
                next_secret += 1;
                let role = ["resident", "worker", "council"][usize::from(who) % 3];
                if pick == members.len() {
                    town.invite(None, next_secret, role, "P-1");
                } else {
                    let mut inviter =
                        std::mem::replace(&mut members[pick], ChainWriter::new(&[1; 32], None));
                    town.invite(Some(&mut inviter), next_secret, role, "P-2");
                    members[pick] = inviter;
                }
                let (d, _) = town.join(next_secret, "居民");
                members.push(d);
            }
            2 => {
                // Reuse an old secret from a new device.
                let mut d = town.device(10_000 + u32::from(who));
                town.act(
                    &mut d,
                    "member.join",
                    json!({"secret": common::hex(&secret(next_secret)), "name": "x"}),
                );
            }
            3 if !members.is_empty() => {
                let victim = members[pick % members.len()].device();
                town.admin_act("member.device_revoke", json!({"device": victim.to_hex()}));
            }
            4 if !members.is_empty() => {
                // A fork: re-sign the member's next seq twice.
                let n = members.len();
                let m = &mut members[pick % n];
                let payload = json!({"invite": sha256(&secret(u32::from(who) + 5000)).to_hex(), "role": "resident", "household": "Q"});
                let a = town.act(m, "member.invite", payload.clone());
                let twin = m.signer().sign(&linli_domain::Draft {
                    space: Some(town.space),
                    seq: a.seq,
                    prev: a.prev,
                    lamport: a.lamport,
                    ts: 0,
                    kind: "member.invite",
                    payload: &json!({"invite": sha256(&secret(u32::from(who) + 6000)).to_hex(), "role": "resident", "household": "R"}),
                });
                town.log.push(twin);
            }
            5 => {
                let mut stranger = town.device(20_000 + u32::from(what));
                town.act(
                    &mut stranger,
                    "member.invite",
                    json!({"invite": "44".repeat(32), "role": "resident", "household": "S"}),
                );
            }
            _ if !members.is_empty() => {
                let n = members.len();
                let m = &mut members[pick % n];
                town.act(m, "poll.vote", json!({}));
            }
            _ => {}
        }
    }
    town.log
}

fn fold_all(space_id: linli_domain::SpaceId, events: &[Event]) -> String {
    let mut s = Space::new(space_id);
    s.insert(events.iter().cloned());
    s.state().to_canonical_json()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn order_duplication_and_batching_do_not_matter(
        ops in proptest::collection::vec((any::<u8>(), any::<u8>()), 1..40),
        shuffle_seed in any::<u64>(),
        dup_mask in any::<u64>(),
        cuts in proptest::collection::vec(any::<u16>(), 0..6),
    ) {
        let log = town_from(&ops);
        let space = log[0].id;
        let reference = fold_all(space, &log);

        // A permutation, with some events duplicated.
        let mut shuffled: Vec<Event> = log.clone();
        for (i, e) in log.iter().enumerate() {
            if dup_mask >> (i % 64) & 1 == 1 { shuffled.push(e.clone()); }
        }
        let mut x = shuffle_seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(&fold_all(space, &shuffled), &reference);

        // The same permutation delivered in batches, folded incrementally.
        let mut bounds: Vec<usize> = cuts.iter().map(|c| usize::from(*c) % (shuffled.len() + 1)).collect();
        bounds.push(0);
        bounds.push(shuffled.len());
        bounds.sort_unstable();
        let mut inc = Space::new(space);
        for w in bounds.windows(2) {
            inc.insert(shuffled[w[0]..w[1]].iter().cloned());
            prop_assert_eq!(inc.state(), &inc.full_fold());
        }
        prop_assert_eq!(&inc.state().to_canonical_json(), &reference);
    }
}

/// Checkpoints are exercised only past 1,024 events: a long log with a late event near the
/// start must re-fold to exactly the full fold.
#[test]
fn late_arrivals_behind_checkpoints_refold_exactly() {
    let ops: Vec<(u8, u8)> = (0..3000u32)
        .map(|i| ((i * 7) as u8, [0u8, 6, 6, 6, 2, 6][i as usize % 6]))
        .collect();
    let log = town_from(&ops);
    assert!(log.len() > 3000, "{}", log.len());
    let space = log[0].id;
    let reference = fold_all(space, &log);
    // Deliver everything except a few early events, then those.
    let held_back: Vec<usize> = vec![5, 40, 700, 2100];
    let mut inc = Space::new(space);
    inc.insert(
        log.iter()
            .enumerate()
            .filter(|(i, _)| !held_back.contains(i))
            .map(|(_, e)| e.clone()),
    );
    for &i in held_back.iter().rev() {
        inc.insert([log[i].clone()]);
    }
    assert_eq!(inc.state().to_canonical_json(), reference);
}
