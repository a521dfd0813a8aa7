//! Checkpoints in a space: which ones count (the barriers of the order), the state at any
//! frontier, producing a checkpoint and its snapshot, and starting a space from a snapshot
//! (fast join, 秒进).

use serde::Serialize;

use super::{epoch_under, pass_barriers, Base, Key, Space, NO_EPOCH};
use crate::checkpoint::{
    council_size, signers_needed, Checkpoint, Counted, Frontier, FrontierPart, Signer, SnapshotRef,
    MAX_ALL_PARTS, MAX_CHECKPOINT_FRONTIER,
};
use crate::command::{Command, Payload};
use crate::envelope::Event;
use crate::fold::{Forks, State};
use crate::id::{sha256, Hex32, SpaceId};
use crate::snapshot::{Snapshot, SnapshotError};

/// Why a checkpoint cannot be made, or a snapshot cannot be started from.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The snapshot file is not readable, or its state does not hash to its `state_sha256`.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// The snapshot is of another space.
    #[error("the snapshot is of another space")]
    WrongSpace,
    /// No signed `space.checkpoint` names this snapshot's SHA-256.
    #[error("no checkpoint names this snapshot")]
    NoCheckpoint,
    /// Checkpoints name this snapshot but another state, frontier or event count: a false
    /// checkpoint, and its signers are evidence.
    #[error("a checkpoint names this snapshot with another state; signed by {signers:?}")]
    StateMismatch {
        /// The false checkpoint's key.
        key: Hex32,
        /// Everyone who signed it.
        signers: Vec<Signer>,
    },
    /// Fewer distinct council members (at the frontier) signed it than count.
    #[error("{have} council signatures, {need} needed")]
    TooFewSigners {
        /// Distinct council members who signed.
        have: usize,
        /// How many are needed.
        need: usize,
    },
    /// A checkpoint names this snapshot but a frontier part it lists is not among the events.
    #[error("a frontier part of the checkpoint is missing")]
    MissingPart,
    /// The frontier does not cover the latest counted checkpoint's.
    #[error("the frontier does not cover the latest counted checkpoint")]
    Behind,
    /// The frontier has more entries than one event carries.
    #[error("{0} devices in the frontier; at most {MAX_CHECKPOINT_FRONTIER}")]
    TooLarge(usize),
}

/// A checkpoint as the audit and the app show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckpointRow {
    /// [`Checkpoint::key`].
    pub key: Hex32,
    /// The payload.
    pub checkpoint: Checkpoint,
    /// Its whole frontier (`None` while a part is missing or invalid).
    pub frontier: Option<Frontier>,
    /// Every signature held, in the total order, with whether its device was an active
    /// council (or admin) device at the frontier.
    pub signatures: Vec<(Signer, bool)>,
    /// Distinct council members who signed.
    pub council_signers: usize,
    /// How many count ([`signers_needed`] of the council at the frontier).
    pub needed: usize,
    /// Whether it is one of the counted checkpoints (a barrier).
    pub counted: bool,
    /// The events held that its frontier covers (`None` when this space started from a later
    /// snapshot and cannot recompute it).
    pub events_here: Option<u64>,
    /// The digest of the state recomputed at its frontier.
    pub state_here: Option<Hex32>,
    /// The SHA-256 of the snapshot file recomputed at its frontier.
    pub snapshot_here: Option<Hex32>,
    /// Whether the event count, the state digest and the snapshot's SHA-256 all match.
    pub matches: Option<bool>,
}

/// A checkpoint checked against its snapshot: signatures counted, hashes recomputed.
#[derive(Clone, Debug)]
pub struct Verified {
    /// [`Checkpoint::key`].
    pub key: Hex32,
    /// The payload.
    pub checkpoint: Checkpoint,
    /// Its whole frontier (the snapshot's).
    pub frontier: Frontier,
    /// The distinct council members who signed it, in the total order.
    pub signers: Vec<Signer>,
    /// The snapshot it names.
    pub snapshot: Snapshot,
}

/// The valid signatures among `events` for `checkpoint` judged by the roster of `at` (the
/// state at its frontier), in the total order: `(signer, council at the frontier)`.
fn signatures<'a>(
    frontier: &Frontier,
    events: impl Iterator<Item = &'a Event>,
    at: &State,
    forks: &Forks,
) -> Vec<(Signer, bool)> {
    let mut sigs: Vec<(&Event, Signer, bool)> = events
        .filter_map(|e| {
            let device = at.roster.device(&e.author)?;
            let council = at
                .roster
                .actor(&e.author)
                .is_ok_and(|a| a.role.is_council_or_admin())
                && forks.get(&e.author).is_none_or(|&f| e.seq < f)
                && !frontier.covers_event(&e.author, e.seq);
            Some((
                e,
                Signer {
                    member: device.member,
                    device: e.author,
                    event: e.id,
                },
                council,
            ))
        })
        .collect();
    sigs.sort_by_key(|(e, _, _)| (e.position(), e.id));
    sigs.into_iter().map(|(_, s, c)| (s, c)).collect()
}

/// The first signature of each distinct council member, in order.
fn distinct_council(sigs: &[(Signer, bool)]) -> Vec<Signer> {
    let mut seen = std::collections::BTreeSet::new();
    sigs.iter()
        .filter(|(s, council)| *council && seen.insert(s.member))
        .map(|(s, _)| s.clone())
        .collect()
}

impl Space {
    /// The counted checkpoints (barriers), oldest first — for a space started from a
    /// snapshot, those its state had and its own, then any counted since.
    pub fn counted_checkpoints(&self) -> &[Counted] {
        &self.barriers
    }

    /// The latest counted checkpoint.
    pub fn latest_counted(&self) -> Option<&Counted> {
        self.barriers.last()
    }

    /// The frontier of the snapshot this space started from (`None`: from the genesis).
    /// Until a fold from the genesis agrees ([`Space::state_digest_at`] on a full space),
    /// what it shows rests on the checkpoint's signers.
    pub fn started_from(&self) -> Option<&Frontier> {
        self.base.as_ref().map(|b| &b.frontier)
    }

    /// Works the counted checkpoints out again and, if they changed, re-keys the order and
    /// re-folds from the first epoch that changed.
    pub(super) fn settle(&mut self) {
        let mut watch = Frontier::default();
        for (cp, _) in self.candidates.values() {
            watch.merge(&self.resolve(cp).unwrap_or_else(|| cp.frontier.clone()));
        }
        self.watch = watch;
        let fresh = self.compute_barriers();
        if fresh == self.barriers {
            return;
        }
        let same = self
            .barriers
            .iter()
            .zip(&fresh)
            .take_while(|(a, b)| a == b)
            .count();
        self.barriers = fresh;
        for i in 0..self.order.len() {
            if let Some(e) = self.events.get(&self.order[i].2) {
                self.order[i].0 = self.epoch_of(e);
            }
        }
        self.order.sort_unstable();
        let at = self.order.partition_point(|k| (k.0 as usize) < same);
        self.refold_from(at, true);
    }

    /// The counted checkpoints from the held events: starting from none (or the snapshot's),
    /// repeatedly the next one — among checkpoints whose frontier covers the last counted
    /// one's and differs from it, the one whose deciding signature (the one that brought it
    /// to the number needed) comes first in the total order.
    fn compute_barriers(&self) -> Vec<Counted> {
        let mut list: Vec<Counted> = self
            .base
            .as_ref()
            .map(|b| b.state.checkpoints.counted().to_vec())
            .unwrap_or_default();
        for _ in 0..self.candidates.len() {
            match self.next_barrier(&list) {
                Some(c) => list.push(c),
                None => break,
            }
        }
        list
    }

    /// A checkpoint's whole frontier: its own entries and its parts' — `None` while a part is
    /// not held, or if a part is not a `checkpoint.frontier` of this space, or lies inside
    /// the frontier (parts are signed after the frontier is fixed, so a phone starting from
    /// the snapshot holds them).
    pub fn resolve(&self, cp: &Checkpoint) -> Option<Frontier> {
        resolve_parts(cp, |id| self.events.get(id).filter(|e| self.belongs(e)))
    }

    /// The ids of every part of a checkpoint's whole frontier (the parts it names and their
    /// chains), oldest signed first within each chain's order of discovery; `None` while one
    /// is not held or is not a part. A new phone needs their envelopes to check the frontier.
    pub fn frontier_parts(&self, cp: &Checkpoint) -> Option<Vec<Hex32>> {
        let parts = chain_parts(cp, |id| self.events.get(id).filter(|e| self.belongs(e)))?;
        Some(parts.into_iter().rev().map(|(e, _)| e.id).collect())
    }

    fn next_barrier(&self, list: &[Counted]) -> Option<Counted> {
        let last = list.last().map(|c| &c.frontier);
        let mut best: Option<((crate::Position, Hex32), Counted)> = None;
        for (key, (cp, ids)) in &self.candidates {
            let Some(frontier) = self.resolve(cp) else {
                continue;
            };
            if let Some(l) = last {
                if !frontier.covers(l) || frontier == *l {
                    continue;
                }
            }
            let (at, _) = self.fold_to(list, &frontier);
            let need = signers_needed(council_size(&at.roster));
            let sigs = signatures(
                &frontier,
                ids.iter().filter_map(|id| self.events.get(id)),
                &at,
                &self.forks,
            );
            let distinct = distinct_council(&sigs);
            let Some(deciding) = distinct.get(need - 1) else {
                continue;
            };
            let e = &self.events[&deciding.event];
            let when = (e.position(), e.id);
            if best.as_ref().is_none_or(|(w, _)| when < *w) {
                best = Some((
                    when,
                    Counted {
                        key: *key,
                        checkpoint: cp.clone(),
                        frontier,
                        signers: distinct[..need].to_vec(),
                    },
                ));
            }
        }
        best.map(|(_, c)| c)
    }

    /// The state at `frontier` with the counted checkpoints `list` before it, and how many
    /// events of the space the frontier covers: the fold of exactly the covered events, in
    /// the order of the barriers `list` and then the total order.
    pub(super) fn fold_to(&self, list: &[Counted], frontier: &Frontier) -> (State, u64) {
        let len = list.len();
        let covered = |k: &Key| -> bool {
            self.events.get(&k.2).is_some_and(|e| self.belongs(e))
                && frontier.covers_event(&k.1.author, k.1.seq)
        };
        let (mut state, keys): (State, Vec<Key>) =
            if self.barriers.len() >= len && self.barriers[..len] == *list {
                // The held order already has these barriers: start from a restore point.
                let p = self.order.partition_point(|k| (k.0 as usize) < len);
                let (from, state) = self
                    .checkpoints
                    .iter()
                    .rev()
                    .find(|(i, _)| *i <= p)
                    .map_or_else(|| (0, self.start_state()), |(i, s)| (*i, s.clone()));
                let mut keys = self.order[from..p].to_vec();
                keys.extend(
                    self.order[p..]
                        .iter()
                        .filter(|k| covered(k))
                        .map(|k| (len as u32, k.1, k.2)),
                );
                (state, keys)
            } else {
                let mut keys: Vec<Key> = self
                    .order
                    .iter()
                    .filter_map(|k| {
                        let e = self.events.get(&k.2)?;
                        if !self.belongs(e) {
                            return None;
                        }
                        match epoch_under(list, &e.author, e.seq) {
                            NO_EPOCH if frontier.covers_event(&e.author, e.seq) => {
                                Some((len as u32, k.1, k.2))
                            }
                            NO_EPOCH => None,
                            epoch => Some((epoch, k.1, k.2)),
                        }
                    })
                    .collect();
                keys.sort_unstable();
                (self.start_state(), keys)
            };
        for (epoch, _, id) in &keys {
            pass_barriers(&mut state, list, *epoch);
            if let Some(e) = self.events.get(id) {
                state.apply(e, &self.forks);
            }
        }
        pass_barriers(&mut state, list, NO_EPOCH);
        let held = self.order.iter().filter(|k| covered(k)).count() as u64;
        let base = self
            .base
            .as_ref()
            .filter(|b| frontier.covers(&b.frontier))
            .map_or(0, |b| b.events);
        (state, base + held)
    }

    /// The counted checkpoints a checkpoint at `frontier` comes after: those whose frontier
    /// it covers and differs from.
    fn barriers_before(&self, frontier: &Frontier) -> &[Counted] {
        let n = self
            .barriers
            .iter()
            .take_while(|b| frontier.covers(&b.frontier) && b.frontier != *frontier)
            .count();
        &self.barriers[..n]
    }

    /// The state at `frontier` and how many events it covers (see the protocol's order
    /// rule): what background verification compares with a checkpoint.
    pub fn state_at(&self, frontier: &Frontier) -> (State, u64) {
        self.fold_to(self.barriers_before(frontier), frontier)
    }

    /// The digest of the state at `frontier` ([`State::state_digest`]) and how many events it
    /// covers.
    pub fn state_digest_at(&self, frontier: &Frontier) -> (Hex32, u64) {
        let (state, n) = self.state_at(frontier);
        (state.state_digest(), n)
    }

    /// The snapshot at `frontier`.
    pub fn snapshot_at(&self, frontier: &Frontier) -> Snapshot {
        let (state, events) = self.state_at(frontier);
        let forks: Forks = self
            .forks
            .iter()
            .filter(|(d, f)| frontier.covers_event(d, **f))
            .map(|(d, f)| (*d, *f))
            .collect();
        Snapshot {
            space: self.space,
            frontier: frontier.clone(),
            events,
            forks,
            state,
        }
    }

    /// What a council member signs for `frontier`: the snapshot file to publish, the frontier
    /// parts to sign first when the frontier is longer than one event carries, and then the
    /// checkpoint ([`Prepared::checkpoint`] with the parts' event ids).
    pub fn checkpoint_at(&self, frontier: &Frontier) -> Result<Prepared, CheckpointError> {
        let most = MAX_CHECKPOINT_FRONTIER * MAX_ALL_PARTS;
        if frontier.len() > most {
            return Err(CheckpointError::TooLarge(frontier.len()));
        }
        if let Some(last) = self.barriers.last() {
            if !frontier.covers(&last.frontier) {
                return Err(CheckpointError::Behind);
            }
        }
        let snapshot = self.snapshot_at(frontier);
        let bytes = snapshot.to_bytes();
        let sha = sha256(&bytes);
        Ok(Prepared {
            frontier: frontier.clone(),
            events: snapshot.events,
            state: snapshot.state.state_digest(),
            snapshot: SnapshotRef {
                path: format!("snapshots/{}.json", sha.to_hex()).into(),
                sha256: sha,
            },
            bytes,
        })
    }

    /// [`Space::checkpoint_at`] everything folded now: the frontier is every device's chain
    /// head (and at least the latest counted checkpoint's).
    pub fn next_checkpoint(&self) -> Result<Prepared, CheckpointError> {
        let mut frontier = Frontier::default();
        for (device, head) in self.state.roster.chains() {
            frontier.0.insert(device, head.seq);
        }
        if let Some(last) = self.barriers.last() {
            frontier.merge(&last.frontier);
        }
        self.checkpoint_at(&frontier)
    }

    /// Every checkpoint signed in the held events, by key: its signatures, whether it counts,
    /// and whether it matches the state recomputed at its frontier (the audit's
    /// `checkpoints`).
    pub fn checkpoint_rows(&self) -> Vec<CheckpointRow> {
        self.candidates
            .iter()
            .map(|(key, (cp, ids))| {
                let resolved = self.resolve(cp);
                let frontier = resolved.clone().unwrap_or_else(|| cp.frontier.clone());
                let (at, n) = self.state_at(&frontier);
                let sigs = signatures(
                    &frontier,
                    ids.iter().filter_map(|id| self.events.get(id)),
                    &at,
                    &self.forks,
                );
                let council_signers = distinct_council(&sigs).len();
                let recomputable = resolved.is_some()
                    && self
                        .base
                        .as_ref()
                        .is_none_or(|b| frontier.covers(&b.frontier));
                let (events_here, state_here, snapshot_here) = if recomputable {
                    let snap = self.snapshot_at(&frontier);
                    (
                        Some(n),
                        Some(at.state_digest()),
                        Some(sha256(&snap.to_bytes())),
                    )
                } else {
                    (None, None, None)
                };
                let matches = recomputable.then(|| {
                    events_here == Some(cp.events)
                        && state_here == Some(cp.state)
                        && snapshot_here == Some(cp.snapshot.sha256)
                });
                CheckpointRow {
                    key: *key,
                    checkpoint: cp.clone(),
                    frontier: resolved,
                    signatures: sigs,
                    council_signers,
                    needed: signers_needed(council_size(&at.roster)),
                    counted: self.barriers.iter().any(|b| b.key == *key),
                    events_here,
                    state_here,
                    snapshot_here,
                    matches,
                }
            })
            .collect()
    }

    /// The checkpoints `device`'s member may co-sign now: signed by someone, not counted yet,
    /// matching the state recomputed here (count, digest and snapshot), not signed by this
    /// member, and allowed by the rules ([`Space::check`]). What a council phone offers to
    /// sign: the same payload, so that the signatures add up.
    pub fn cosignable(&self, device: &crate::DeviceKey) -> Vec<Checkpoint> {
        let member = self.state.roster.device(device).map(|d| d.member);
        self.checkpoint_rows()
            .into_iter()
            .filter(|row| !row.counted && row.matches == Some(true))
            .filter(|row| !row.signatures.iter().any(|(s, _)| Some(s.member) == member))
            .map(|row| row.checkpoint)
            .filter(|cp| {
                let command = Command::Checkpoint(crate::checkpoint::Act::Checkpoint(cp.clone()));
                self.check(device, &command).is_ok()
            })
            .collect()
    }

    /// A space that starts from a verified checkpoint's snapshot: it holds none of the events
    /// the frontier covers (inserting them again is a no-op) and folds everything after.
    pub fn from_verified(v: Verified) -> Space {
        let Verified {
            key,
            checkpoint,
            frontier,
            signers,
            snapshot,
        } = v;
        let mut state = snapshot.state;
        state.count_checkpoint(Counted {
            key,
            checkpoint,
            frontier,
            signers,
        });
        let mut space = Space::new(snapshot.space);
        space.barriers = state.checkpoints.counted().to_vec();
        space.forks = snapshot.forks;
        space.state = state.clone();
        space.base = Some(Base {
            state,
            frontier: snapshot.frontier,
            events: snapshot.events,
        });
        space
    }

    /// Fast join (秒进): checks a snapshot and the checkpoint signatures among `events`
    /// ([`verify_checkpoint`]), starts from the snapshot and folds `events` after it.
    pub fn from_snapshot(
        space: SpaceId,
        snapshot: &[u8],
        events: Vec<Event>,
    ) -> Result<Space, CheckpointError> {
        let verified = verify_checkpoint(space, snapshot, &events)?;
        let mut s = Space::from_verified(verified);
        s.insert(events);
        Ok(s)
    }
}

/// What a new phone checks before it starts from a snapshot: the file reads and its state
/// hashes to its `state_sha256`; some `space.checkpoint` among `events` names the file's
/// SHA-256 with exactly its frontier, event count and state digest; and enough distinct
/// members who are council (or admin) on the snapshot's own roster signed that same
/// checkpoint, each after the frontier, from a device that had not forked.
pub fn verify_checkpoint(
    space: SpaceId,
    snapshot: &[u8],
    events: &[Event],
) -> Result<Verified, CheckpointError> {
    verify_checkpoint_hashed(space, snapshot, sha256(snapshot), events)
}

/// [`verify_checkpoint`] with the file's SHA-256 already computed by the caller (a browser
/// does it in native code, several times faster than here, and has done it anyway to check
/// the download). `sha` must be the SHA-256 of `snapshot`: everything else is checked here.
pub fn verify_checkpoint_hashed(
    space: SpaceId,
    snapshot: &[u8],
    sha: Hex32,
    events: &[Event],
) -> Result<Verified, CheckpointError> {
    let (snap, digest) = Snapshot::read(snapshot)?;
    verify_decoded(space, snap, digest, sha, events)
}

/// [`verify_checkpoint_hashed`] of a snapshot the caller decoded and whose state digest it
/// checked ([`Snapshot::decode`], [`crate::snapshot::Unchecked::check`]): `digest` is its state
/// digest, `sha` the SHA-256 of its file.
pub fn verify_decoded(
    space: SpaceId,
    snap: Snapshot,
    digest: Hex32,
    sha: Hex32,
    events: &[Event],
) -> Result<Verified, CheckpointError> {
    if snap.space != space {
        return Err(CheckpointError::WrongSpace);
    }
    // Forks among the given events, and those the snapshot knows.
    let mut forks = snap.forks.clone();
    let mut slots: std::collections::HashMap<(crate::DeviceKey, u64), Hex32> = Default::default();
    let mut by_key: std::collections::BTreeMap<Hex32, (Checkpoint, Vec<&Event>)> =
        Default::default();
    let by_id: std::collections::HashMap<Hex32, &Event> = events
        .iter()
        .filter(|e| e.space == Some(space))
        .map(|e| (e.id, e))
        .collect();
    for e in events.iter().filter(|e| e.space == Some(space)) {
        if let Some(other) = slots.insert((e.author, e.seq), e.id) {
            if other != e.id {
                let f = forks.entry(e.author).or_insert(e.seq);
                *f = (*f).min(e.seq);
            }
        }
        if let Payload::Command(Command::Checkpoint(crate::checkpoint::Act::Checkpoint(c))) =
            &e.payload
        {
            if c.snapshot.sha256 == sha {
                by_key
                    .entry(c.key())
                    .or_insert_with(|| (c.clone(), Vec::new()))
                    .1
                    .push(e);
            }
        }
    }
    if by_key.is_empty() {
        return Err(CheckpointError::NoCheckpoint);
    }
    let need = signers_needed(council_size(&snap.state.roster));
    let mut false_one: Option<CheckpointError> = None;
    let mut missing = false;
    let mut most = 0;
    let mut found: Option<(Hex32, Checkpoint, Vec<Signer>)> = None;
    for (key, (cp, sigs)) in by_key {
        let frontier = resolve_parts(&cp, |id| by_id.get(id).copied());
        let all = signatures(
            frontier.as_ref().unwrap_or(&cp.frontier),
            sigs.into_iter(),
            &snap.state,
            &forks,
        );
        if frontier.is_none() {
            // A part is missing: this phone cannot tell yet.
            missing = true;
            continue;
        }
        if cp.state != digest
            || frontier.as_ref() != Some(&snap.frontier)
            || cp.events != snap.events
        {
            false_one.get_or_insert(CheckpointError::StateMismatch {
                key,
                signers: all.into_iter().map(|(s, _)| s).collect(),
            });
            continue;
        }
        let distinct = distinct_council(&all);
        most = most.max(distinct.len());
        if distinct.len() >= need && found.is_none() {
            found = Some((key, cp, distinct[..need].to_vec()));
        }
    }
    match (found, false_one) {
        (Some((key, checkpoint, signers)), _) => Ok(Verified {
            key,
            checkpoint,
            frontier: snap.frontier.clone(),
            signers,
            snapshot: snap,
        }),
        (None, Some(e)) => Err(e),
        (None, None) if missing && most == 0 => Err(CheckpointError::MissingPart),
        (None, None) => Err(CheckpointError::TooFewSigners { have: most, need }),
    }
}

/// A checkpoint's whole frontier, its parts found by `get` (see [`Space::resolve`]).
fn resolve_parts<'a>(
    cp: &Checkpoint,
    get: impl Fn(&Hex32) -> Option<&'a Event>,
) -> Option<Frontier> {
    let mut frontier = cp.frontier.clone();
    let parts = chain_parts(cp, get)?;
    for (_, p) in &parts {
        frontier.merge(&p.entries);
    }
    if parts
        .iter()
        .any(|(e, _)| frontier.covers_event(&e.author, e.seq))
    {
        return None;
    }
    Some(frontier)
}

/// Every part of a checkpoint's whole frontier: the parts it names and, through each part's
/// `more`, the parts signed before it (a part reached twice is taken once). `None` when one
/// is not held, is not a `checkpoint.frontier`, or there are more than [`MAX_ALL_PARTS`].
fn chain_parts<'a>(
    cp: &Checkpoint,
    get: impl Fn(&Hex32) -> Option<&'a Event>,
) -> Option<Vec<(&'a Event, &'a FrontierPart)>> {
    let mut seen = std::collections::HashSet::new();
    let mut parts = Vec::with_capacity(cp.parts.len());
    for id in &cp.parts {
        let mut next = Some(*id);
        while let Some(id) = next {
            if !seen.insert(id) {
                break;
            }
            if seen.len() > MAX_ALL_PARTS {
                return None;
            }
            let e = get(&id)?;
            match &e.payload {
                Payload::Command(Command::Checkpoint(crate::checkpoint::Act::Part(p))) => {
                    parts.push((e, p));
                    next = p.more;
                }
                _ => return None,
            }
        }
    }
    Some(parts)
}

/// What a council member signs: see [`Space::checkpoint_at`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The whole frontier.
    pub frontier: Frontier,
    /// How many events it covers.
    pub events: u64,
    /// The state digest there.
    pub state: Hex32,
    /// Where to publish the snapshot, and its SHA-256.
    pub snapshot: SnapshotRef,
    /// The snapshot file's bytes.
    pub bytes: Vec<u8>,
}

impl Prepared {
    /// Whether the frontier needs `checkpoint.frontier` parts (it does not fit in the
    /// checkpoint itself).
    pub fn needs_parts(&self) -> bool {
        self.frontier.len() > MAX_CHECKPOINT_FRONTIER
    }

    /// Signs what the checkpoint needs with `sign` (which returns the signed event's id): the
    /// frontier's `checkpoint.frontier` parts first, in order, each naming the one before it
    /// (`more`), when the frontier does not fit in one event; then returns the checkpoint to
    /// sign, naming the last part (its chain holds the rest).
    pub fn sign_parts(&self, mut sign: impl FnMut(crate::checkpoint::Act) -> Hex32) -> Checkpoint {
        let mut last = None;
        if self.needs_parts() {
            for entries in self.frontier.chunks() {
                let part = crate::checkpoint::FrontierPart {
                    entries,
                    more: last,
                };
                last = Some(sign(crate::checkpoint::Act::Part(part)));
            }
        }
        self.checkpoint(last.as_slice())
    }

    /// The checkpoint to sign, naming the parts signed (their event ids; none when the
    /// frontier fits in the checkpoint itself).
    pub fn checkpoint(&self, parts: &[Hex32]) -> Checkpoint {
        Checkpoint {
            frontier: if parts.is_empty() {
                self.frontier.clone()
            } else {
                Frontier::default()
            },
            parts: parts.to_vec(),
            events: self.events,
            state: self.state,
            snapshot: self.snapshot.clone(),
        }
    }
}
