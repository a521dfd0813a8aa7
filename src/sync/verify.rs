//! Opening envelopes with the signature checks spread over Web Workers, each using the
//! browser's WebCrypto Ed25519 (`public/verify-worker.js`, pooled by `workers.js`: one worker
//! per core). On the project's machine Chromium checks a signature in about 0.12 ms of native
//! code, synchronously on whichever thread asks — so the gain is in the threads: the main
//! thread prepares (base64, SHA-256, the domain's own checks) while the workers verify.
//!
//! The verdicts stay exactly `verify_strict`'s (see `linli_domain::fastverify`): the workers'
//! engine is used only after it answered the probes as `verify_strict` does, only where the
//! domain's own checks let its acceptance stand, and whatever it rejects or cannot check is
//! verified again in Rust. Without workers or a passing engine, everything is checked in Rust.

use std::cell::Cell;

use js_sys::{Uint32Array, Uint8Array};
use linli_domain::envelope::split_batch;
use linli_domain::fastverify::engine_probes;
use linli_domain::{Event, Opener, Unopened};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/sync/workers.js")]
extern "C" {
    /// Posts the jobs to the workers at once and returns the promise of their answers.
    #[wasm_bindgen(catch, js_name = verifyAll)]
    fn verify_all(
        keys: Uint8Array,
        sigs: Uint8Array,
        msgs: Uint8Array,
        offsets: Uint32Array,
    ) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// Whether the workers' engine passed the probes (asked once per page).
    static ENGINE: Cell<Option<bool>> = const { Cell::new(None) };
}

/// One signature for the workers.
struct Job {
    key: [u8; 32],
    sig: [u8; 64],
    message: Vec<u8>,
}

/// Posts jobs to the workers; the promise resolves to their answers.
fn post_jobs(jobs: &[Job]) -> Option<js_sys::Promise> {
    let mut keys = Vec::with_capacity(jobs.len() * 32);
    let mut sigs = Vec::with_capacity(jobs.len() * 64);
    let mut msgs = Vec::new();
    let mut offsets = Vec::with_capacity(jobs.len() + 1);
    offsets.push(0u32);
    for j in jobs {
        keys.extend_from_slice(&j.key);
        sigs.extend_from_slice(&j.sig);
        msgs.extend_from_slice(&j.message);
        offsets.push(msgs.len() as u32);
    }
    verify_all(
        Uint8Array::from(&keys[..]),
        Uint8Array::from(&sigs[..]),
        Uint8Array::from(&msgs[..]),
        Uint32Array::from(&offsets[..]),
    )
    .ok()
}

/// The workers' answers, in order: `Some(valid)`, or `None` where they could not check.
async fn answers(promise: Option<js_sys::Promise>, count: usize) -> Option<Vec<Option<bool>>> {
    if count == 0 {
        return Some(Vec::new());
    }
    let answer = wasm_bindgen_futures::JsFuture::from(promise?).await.ok()?;
    let verdicts = Uint8Array::new(&answer).to_vec();
    (verdicts.len() == count).then(|| {
        verdicts
            .into_iter()
            .map(|v| match v {
                1 => Some(true),
                0 => Some(false),
                _ => None,
            })
            .collect()
    })
}

/// Whether the workers' engine may be used: it answers every probe as `verify_strict`.
async fn engine_ok() -> bool {
    if let Some(known) = ENGINE.with(Cell::get) {
        return known;
    }
    let probes = engine_probes();
    let jobs: Vec<Job> = probes
        .iter()
        .map(|p| Job {
            key: p.key,
            sig: p.sig,
            message: p.message.clone(),
        })
        .collect();
    let ok = match answers(post_jobs(&jobs), jobs.len()).await {
        Some(answers) => answers
            .iter()
            .zip(&probes)
            .all(|(a, p)| *a == Some(p.valid)),
        None => false,
    };
    ENGINE.with(|e| e.set(Some(ok)));
    ok
}

/// Whether the workers' engine is in use (`None` until the first batch asked).
pub fn engine_in_use() -> Option<bool> {
    ENGINE.with(Cell::get)
}

/// A batch whose envelopes are prepared and whose signatures are with the workers.
pub struct Started {
    prepared: Vec<Result<linli_domain::Unverified, Unopened>>,
    promise: Option<js_sys::Promise>,
    jobs: usize,
    use_engine: bool,
}

/// Prepares a JSON array of envelopes (a file of the hub or an imported file) and hands its
/// signatures to the workers; [`complete`] collects the verdicts. Between the two, the main
/// thread is free (to fetch and prepare the next file).
pub async fn start(opener: &mut Opener, json: &str) -> Result<Started, String> {
    start_skipping(opener, json, |_| false).await
}

/// [`start`], leaving out the envelopes `skip` names (those a snapshot covers: they are
/// neither checked nor returned).
pub async fn start_skipping(
    opener: &mut Opener,
    json: &str,
    skip: impl Fn(&linli_domain::envelope::Unverified) -> bool,
) -> Result<Started, String> {
    let items = split_batch(json).map_err(|e| e.to_string())?;
    let prepared: Vec<_> = items
        .iter()
        .map(|raw| opener.prepare(raw.get()))
        .filter(|p| !p.as_ref().is_ok_and(&skip))
        .collect();
    let use_engine = engine_ok().await;
    let jobs: Vec<Job> = if use_engine {
        prepared
            .iter()
            .filter_map(|p| p.as_ref().ok().filter(|u| u.engine_may_decide()))
            .map(|u| Job {
                key: u.author().0,
                sig: *u.signature(),
                message: u.message(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let promise = if jobs.is_empty() {
        None
    } else {
        post_jobs(&jobs)
    };
    Ok(Started {
        prepared,
        promise,
        jobs: jobs.len(),
        use_engine,
    })
}

/// The verdicts of a started batch, in order, exactly as `Opener::open_batch` gives them.
pub async fn complete(opener: &mut Opener, started: Started) -> Vec<Result<Event, Unopened>> {
    let Started {
        prepared,
        promise,
        jobs,
        use_engine,
    } = started;
    let answers = answers(promise, jobs)
        .await
        .unwrap_or_else(|| vec![None; jobs]);
    let mut answers = answers.into_iter();
    prepared
        .into_iter()
        .map(|p| {
            p.and_then(|u| {
                let verdict = if use_engine && u.engine_may_decide() {
                    answers.next().flatten()
                } else {
                    None
                };
                opener.finish(u, verdict)
            })
        })
        .collect()
}

/// [`start`] then [`complete`].
pub async fn open_batch(
    opener: &mut Opener,
    json: &str,
) -> Result<Vec<Result<Event, Unopened>>, String> {
    let started = start(opener, json).await?;
    Ok(complete(opener, started).await)
}

/// For tests: ask the probes again on the next batch.
#[doc(hidden)]
pub fn reset() {
    ENGINE.with(|e| e.set(None));
}
