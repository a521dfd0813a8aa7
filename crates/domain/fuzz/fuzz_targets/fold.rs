//! The fuzzer picks which events of a fixed pool arrive, in which order, how often and in
//! which batches; the incremental state must equal a fold from scratch, and the same set in
//! sorted order must give byte-identical state.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Draft, Event, Space};
use serde_json::json;

/// A town with members, a revoked device, a reused secret, a stranger and a fork.
fn pool() -> &'static Vec<Event> {
    static POOL: OnceLock<Vec<Event>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut log = Vec::new();
        let mut max = 0;
        let mut act = |w: &mut ChainWriter, kind: &str, p: serde_json::Value, log: &mut Vec<Event>| {
            let e = w.sign(kind, &p, 0, max);
            max = max.max(e.lamport);
            log.push(e.clone());
            e
        };
        let mut admin = ChainWriter::new(&[1; 32], None);
        let g = act(&mut admin, "space.genesis", json!({"name": "模糊社区"}), &mut log);
        let space = g.id;
        let mut devices = Vec::new();
        for i in 0..6u8 {
            let secret = [i + 10; 32];
            let role = if i < 2 { "council" } else { "resident" };
            act(&mut admin, "member.invite", json!({"invite": sha256(&secret).to_hex(), "role": role, "household": format!("H{i}")}), &mut log);
            let mut d = ChainWriter::new(&[i + 100; 32], Some(space));
            act(&mut d, "member.join", json!({"secret": linli_domain::id::encode_hex(&secret), "name": "居民"}), &mut log);
            devices.push(d);
        }
        let victim = devices[3].device();
        act(&mut admin, "member.device_revoke", json!({"device": victim.to_hex()}), &mut log);
        let mut thief = ChainWriter::new(&[200; 32], Some(space));
        act(&mut thief, "member.join", json!({"secret": linli_domain::id::encode_hex(&[12u8; 32]), "name": "冒名"}), &mut log);
        for (n, d) in devices.iter_mut().enumerate() {
            let secret = [n as u8 + 50; 32];
            act(d, "member.invite", json!({"invite": sha256(&secret).to_hex(), "role": "resident", "household": "X"}), &mut log);
        }
        let c = &mut devices[0];
        let a = act(c, "member.invite", json!({"invite": sha256(&[77; 32]).to_hex(), "role": "resident", "household": "F"}), &mut log);
        let twin_payload = json!({"invite": sha256(&[78; 32]).to_hex(), "role": "resident", "household": "G"});
        log.push(c.signer().sign(&Draft { space: Some(space), seq: a.seq, prev: a.prev, lamport: a.lamport, ts: 1, kind: "member.invite", payload: &twin_payload }));
        act(c, "member.invite", json!({"invite": sha256(&[79; 32]).to_hex(), "role": "resident", "household": "H"}), &mut log);
        log
    })
}

fuzz_target!(|data: &[u8]| {
    let pool = pool();
    let space = pool[0].id;
    // Each byte: low 6 bits pick an event, the top bit ends a batch.
    let mut inc = Space::new(space);
    let mut batch = Vec::new();
    let mut chosen = Vec::new();
    for &b in data.iter().take(512) {
        let e = pool[usize::from(b & 63) % pool.len()].clone();
        chosen.push(e.clone());
        batch.push(e);
        if b & 0x80 != 0 {
            inc.insert(std::mem::take(&mut batch));
        }
    }
    inc.insert(batch);
    assert_eq!(inc.state(), &inc.full_fold());
    let mut sorted = chosen;
    sorted.sort_by_key(|e| (e.position(), e.id));
    let mut once = Space::new(space);
    once.insert(sorted);
    assert_eq!(once.state().to_canonical_json(), inc.state().to_canonical_json());
});
