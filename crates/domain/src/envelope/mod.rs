//! The wire format (`DESIGN.md` §3.1): envelope, body, id, signature, limits.
//!
//! The body bytes are kept exactly as the author wrote them: the id is SHA-256 of those bytes
//! and the signature covers `linli-event-v1` NUL + those bytes. Nothing here re-serializes a
//! received body; it is parsed only after the signature checks.

pub mod strict;

use std::borrow::Cow;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::command::Payload;
use crate::id::{DeviceKey, EventId, Hex32, SpaceId};
use crate::reject::Code;

/// What the signature is computed over, before the body bytes.
pub const SIGNING_CONTEXT: &[u8] = b"linli-event-v1\0";
/// Largest body, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Largest envelope text: base64 of the largest body, the signature and the JSON around them.
pub const MAX_ENVELOPE_BYTES: usize = MAX_BODY_BYTES * 4 / 3 + 256;
/// Most events in one uploaded batch or segment file.
pub const MAX_BATCH: usize = 10_000;
/// Longest `kind`, in bytes.
pub const MAX_KIND_BYTES: usize = 64;

/// A verified event: its id, its parsed body and the envelope it came in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// SHA-256 of the body bytes.
    pub id: EventId,
    /// The community; `None` only in a genesis event.
    pub space: Option<SpaceId>,
    /// The signing device.
    pub author: DeviceKey,
    /// Position in the author's chain, from 1.
    pub seq: u64,
    /// The author's previous event; `None` iff `seq` is 1.
    pub prev: Option<EventId>,
    /// Logical clock: the total order is (`lamport`, `author`, `seq`).
    pub lamport: u64,
    /// Advisory wall clock (ms since the epoch), for display only.
    pub ts: i64,
    /// The kind, as written (`member.join`, …).
    pub kind: String,
    /// The kind's payload, parsed (or the reason it could not be).
    pub payload: Payload,
    /// The envelope exactly as received, for storing and forwarding.
    pub envelope: String,
}

impl Event {
    /// Where its act takes place, for the rules.
    pub fn at(&self) -> crate::at::At {
        crate::at::At {
            id: self.id,
            author: self.author,
            seq: self.seq,
            ts: self.ts,
        }
    }

    /// The event's place in the total order.
    pub fn position(&self) -> Position {
        Position {
            lamport: self.lamport,
            author: self.author,
            seq: self.seq,
        }
    }
}

/// A place in the total order of events: by lamport, then author, then seq. Never by `ts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The event's lamport clock.
    pub lamport: u64,
    /// The signing device.
    pub author: DeviceKey,
    /// Position in the author's chain.
    pub seq: u64,
}

/// An envelope that could not be opened: kept as evidence under an id of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unopened {
    /// SHA-256 of the body when the body could be decoded, else of the envelope text.
    pub id: EventId,
    /// Why.
    pub code: Code,
    /// A human-readable detail for logs and the audit tool.
    pub detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope<'a> {
    v: u8,
    #[serde(borrow)]
    body: Cow<'a, str>,
    #[serde(borrow)]
    sig: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody<'a> {
    #[serde(default, deserialize_with = "present_not_null")]
    space: Option<Hex32>,
    author: Hex32,
    seq: u64,
    #[serde(deserialize_with = "nullable")]
    prev: Option<Hex32>,
    lamport: u64,
    ts: i64,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    payload: &'a RawValue,
}

/// `space` may be absent (genesis) but never `null`: one spelling per meaning.
fn present_not_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Hex32>, D::Error> {
    Hex32::deserialize(d).map(Some)
}

/// `prev` must be present; `null` is its value at `seq` 1. (With `deserialize_with`, serde
/// no longer treats a missing `Option` field as `None`.)
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Hex32>, D::Error> {
    Option::<Hex32>::deserialize(d)
}

pub use crate::id::sha256;

fn unopened(id: EventId, code: Code, detail: impl Into<String>) -> Unopened {
    Unopened {
        id,
        code,
        detail: detail.into(),
    }
}

/// Opens one envelope: limits, base64, strict signature, then the body.
pub fn open(envelope: &str) -> Result<Event, Unopened> {
    Opener::default().open(envelope)
}

/// Opens a JSON array of envelopes (an uploaded batch or a segment file). Each envelope is
/// opened on its own: one bad envelope never hides the others.
pub fn open_batch(json: &str) -> Result<Vec<Result<Event, Unopened>>, String> {
    Opener::default().open_batch(json)
}

/// An envelope checked up to its signature ([`Opener::prepare`]).
pub struct Unverified {
    id: EventId,
    body: Vec<u8>,
    sig: [u8; 64],
    author: DeviceKey,
    fast: bool,
    envelope: String,
}

impl Unverified {
    /// The event id.
    pub fn id(&self) -> EventId {
        self.id
    }

    /// The signing device's key.
    pub fn author(&self) -> DeviceKey {
        self.author
    }

    /// The signature.
    pub fn signature(&self) -> &[u8; 64] {
        &self.sig
    }

    /// The signed bytes: [`SIGNING_CONTEXT`] then the body.
    pub fn message(&self) -> Vec<u8> {
        signing_message(&self.body)
    }

    /// The `space` and `seq` the body states, read without opening the rest of it (to leave
    /// out, before their signatures are checked, envelopes a snapshot already covers:
    /// [`crate::Space::cover`]). `None` when the body does not read so; such an envelope is
    /// checked and opened like any other.
    pub fn space_and_seq(&self) -> Option<(Option<SpaceId>, u64)> {
        #[derive(Deserialize)]
        struct Head {
            #[serde(default)]
            space: Option<SpaceId>,
            seq: u64,
        }
        serde_json::from_slice::<Head>(&self.body)
            .ok()
            .map(|h| (h.space, h.seq))
    }

    /// Whether another engine's acceptance can stand for `verify_strict` here (small-order
    /// key or `R`, or a non-canonical `S`, are left to this crate).
    pub fn engine_may_decide(&self) -> bool {
        self.fast
    }
}

/// Why a batch (an upload, a segment file, an imported file) is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// The text is not a JSON array.
    #[error("not a JSON array of envelopes: {0}")]
    NotAnArray(String),
    /// Over [`MAX_BATCH`] envelopes.
    #[error("{0} envelopes; at most {MAX_BATCH} per batch")]
    TooMany(usize),
}

/// The envelopes of a batch, unopened: a JSON array of at most [`MAX_BATCH`] items.
pub fn split_batch(json: &str) -> Result<Vec<&RawValue>, BatchError> {
    let items: Vec<&RawValue> =
        serde_json::from_str(json).map_err(|e| BatchError::NotAnArray(e.to_string()))?;
    if items.len() > MAX_BATCH {
        return Err(BatchError::TooMany(items.len()));
    }
    Ok(items)
}

/// Most author keys an [`Opener`] remembers before it starts over.
const KEY_CACHE_LIMIT: usize = 65_536;

/// Opens envelopes, remembering each author's decompressed public key: decompressing a key
/// costs about a fifth of a verification, and a device signs many events.
#[derive(Default)]
pub struct Opener {
    keys: crate::table::IdMap<VerifyingKey>,
}

impl Opener {
    /// Opens one envelope: limits, base64, strict signature, then the body.
    pub fn open(&mut self, envelope: &str) -> Result<Event, Unopened> {
        self.open_inner(envelope)
    }

    /// Opens a JSON array of at most [`MAX_BATCH`] envelopes, each on its own.
    pub fn open_batch(&mut self, json: &str) -> Result<Vec<Result<Event, Unopened>>, String> {
        let items = split_batch(json).map_err(|e| e.to_string())?;
        Ok(items.into_iter().map(|raw| self.open(raw.get())).collect())
    }

    /// Everything [`Opener::open`] checks except the signature: for handing that check to a
    /// faster engine (see [`crate::fastverify`]). Finish with [`Opener::finish`].
    pub fn prepare(&mut self, envelope: &str) -> Result<Unverified, Unopened> {
        let text_id = || sha256(envelope.as_bytes());
        if envelope.len() > MAX_ENVELOPE_BYTES {
            return Err(unopened(
                text_id(),
                Code::OverLimit,
                "envelope over 16 KiB of body",
            ));
        }
        let raw: RawEnvelope<'_> = serde_json::from_str(envelope)
            .map_err(|e| unopened(text_id(), Code::BadEnvelope, e.to_string()))?;
        if raw.v != 1 {
            return Err(unopened(
                text_id(),
                Code::BadEnvelope,
                format!("unknown version {}", raw.v),
            ));
        }
        let body = URL_SAFE_NO_PAD
            .decode(raw.body.as_bytes())
            .map_err(|e| unopened(text_id(), Code::BadEnvelope, format!("body: {e}")))?;
        let id = sha256(&body);
        if body.len() > MAX_BODY_BYTES {
            return Err(unopened(
                id,
                Code::OverLimit,
                format!("body is {} bytes", body.len()),
            ));
        }
        let sig_bytes = URL_SAFE_NO_PAD
            .decode(raw.sig.as_bytes())
            .map_err(|e| unopened(id, Code::BadEnvelope, format!("sig: {e}")))?;
        let sig: [u8; 64] = sig_bytes
            .try_into()
            .map_err(|_| unopened(id, Code::BadEnvelope, "sig is not 64 bytes"))?;
        let author =
            author_of(&body).ok_or_else(|| unopened(id, Code::Malformed, "no valid author"))?;
        // No decompression here: the engine decodes the key itself, and the small-order test
        // works on the bytes.
        let fast = !strict::is_small_order_encoding(&author.0)
            && strict::canonical_s(&sig)
            && !strict::is_small_order_encoding(&sig[..32]);
        Ok(Unverified {
            id,
            body,
            sig,
            author,
            fast,
            envelope: envelope.to_owned(),
        })
    }

    /// Completes a prepared envelope. `engine` is another engine's verdict on
    /// [`Unverified::message`] and [`Unverified::signature`] (one that passed the
    /// [`crate::fastverify::engine_probes`]), or `None` to check here. An engine's acceptance
    /// is taken only where this crate's own checks let it stand for `verify_strict`; anything
    /// else is verified here, so the verdict is always `verify_strict`'s.
    pub fn finish(&mut self, u: Unverified, engine: Option<bool>) -> Result<Event, Unopened> {
        if !(u.fast && engine == Some(true)) {
            let key = self
                .key(&u.author)
                .map_err(|detail| unopened(u.id, Code::BadSignature, detail))?;
            verify(&key, &u.body, &u.sig)
                .map_err(|detail| unopened(u.id, Code::BadSignature, detail))?;
        }
        parse_body(u.id, &u.body, u.envelope)
    }

    /// Opens an envelope this device verified before (read back from its own storage):
    /// everything [`Opener::open`] checks except the signature, which is the expensive part.
    /// Never use it on anything that came from the network or a file.
    pub fn open_trusted(&mut self, envelope: &str) -> Result<Event, Unopened> {
        let text_id = || sha256(envelope.as_bytes());
        let raw: RawEnvelope<'_> = serde_json::from_str(envelope)
            .map_err(|e| unopened(text_id(), Code::BadEnvelope, e.to_string()))?;
        let body = URL_SAFE_NO_PAD
            .decode(raw.body.as_bytes())
            .map_err(|e| unopened(text_id(), Code::BadEnvelope, format!("body: {e}")))?;
        let id = sha256(&body);
        if body.len() > MAX_BODY_BYTES {
            return Err(unopened(id, Code::OverLimit, "body over 16 KiB"));
        }
        parse_body(id, &body, envelope.to_owned())
    }

    fn key(&mut self, author: &DeviceKey) -> Result<VerifyingKey, String> {
        if let Some(k) = self.keys.get(author) {
            return Ok(*k);
        }
        let key = VerifyingKey::from_bytes(&author.0).map_err(|e| format!("author key: {e}"))?;
        if self.keys.len() >= KEY_CACHE_LIMIT {
            self.keys.clear();
        }
        self.keys.insert(*author, key);
        Ok(key)
    }

    fn open_inner(&mut self, envelope: &str) -> Result<Event, Unopened> {
        let prepared = self.prepare(envelope)?;
        self.finish(prepared, None)
    }
}

/// Reads only `author` out of the unverified body, to know which key to verify with. A full
/// parse waits until the signature checks.
fn author_of(body: &[u8]) -> Option<DeviceKey> {
    #[derive(Deserialize)]
    struct AuthorOnly {
        author: Hex32,
    }
    serde_json::from_slice::<AuthorOnly>(body)
        .ok()
        .map(|a| a.author)
}

fn verify(key: &VerifyingKey, body: &[u8], sig: &[u8; 64]) -> Result<(), String> {
    let signature = Signature::from_bytes(sig);
    key.verify_strict(&signing_message(body), &signature)
        .map_err(|e| format!("signature: {e}"))
}

fn parse_body(id: EventId, body: &[u8], envelope: String) -> Result<Event, Unopened> {
    let raw: RawBody<'_> =
        serde_json::from_slice(body).map_err(|e| unopened(id, Code::Malformed, e.to_string()))?;
    if raw.seq == 0 || raw.lamport == 0 {
        return Err(unopened(id, Code::Malformed, "seq and lamport start at 1"));
    }
    if raw.kind.is_empty() || raw.kind.len() > MAX_KIND_BYTES {
        return Err(unopened(id, Code::Malformed, "kind must be 1 to 64 bytes"));
    }
    if !raw.payload.get().starts_with('{') {
        return Err(unopened(id, Code::Malformed, "payload must be an object"));
    }
    let payload = Payload::parse(&raw.kind, raw.payload.get());
    Ok(Event {
        id,
        space: raw.space,
        author: raw.author,
        seq: raw.seq,
        prev: raw.prev,
        lamport: raw.lamport,
        ts: raw.ts,
        kind: raw.kind.into_owned(),
        payload,
        envelope,
    })
}

/// A device's signing key, made from a 32-byte seed the caller supplies (the domain has no
/// randomness of its own: the app takes the seed from WebCrypto, tests from a fixed value).
pub struct DeviceSigner {
    key: SigningKey,
}

impl DeviceSigner {
    /// The signer for a seed.
    pub fn from_seed(seed: &[u8; 32]) -> DeviceSigner {
        DeviceSigner {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The device's public key, which is its `author`.
    pub fn device(&self) -> DeviceKey {
        Hex32(self.key.verifying_key().to_bytes())
    }

    /// Signs a draft: writes the body, signs it and returns the opened event.
    pub fn sign(&self, draft: &Draft<'_>) -> Event {
        self.seal(&draft.body(self.device()))
    }

    /// Signs body bytes exactly as given (tests and interop use this to produce odd bodies).
    pub fn seal(&self, body: &[u8]) -> Event {
        let sig = self.key.sign(&signing_message(body)).to_bytes();
        let envelope = envelope_text(body, &sig);
        let id = sha256(body);
        match parse_body(id, body, envelope.clone()) {
            Ok(event) => event,
            // A body that does not parse is still a signed event for whoever receives it;
            // give the caller something with the right id and envelope so tests can send it.
            Err(_) => Event {
                id,
                space: None,
                author: self.device(),
                seq: 0,
                prev: None,
                lamport: 0,
                ts: 0,
                kind: String::new(),
                payload: Payload::Unknown,
                envelope,
            },
        }
    }
}

/// What a signature covers: [`SIGNING_CONTEXT`] then the body bytes. A device whose key lives
/// elsewhere (WebCrypto) signs these bytes and hands the signature to [`assemble`].
pub fn signing_message(body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + body.len());
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(body);
    message
}

fn envelope_text(body: &[u8], sig: &[u8; 64]) -> String {
    format!(
        "{{\"v\":1,\"body\":\"{}\",\"sig\":\"{}\"}}",
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

/// Puts a body and a signature made elsewhere into an envelope and opens it — the signature is
/// verified like any received event's, so a wrong key never produces an event.
pub fn assemble(body: &[u8], sig: &[u8; 64]) -> Result<Event, Unopened> {
    open(&envelope_text(body, sig))
}

impl Draft<'_> {
    /// The body bytes `author` signs for this draft (`DESIGN.md` §3.1 field order).
    pub fn body(&self, author: DeviceKey) -> Vec<u8> {
        #[derive(Serialize)]
        struct BodyOut<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            space: Option<SpaceId>,
            author: DeviceKey,
            seq: u64,
            prev: Option<EventId>,
            lamport: u64,
            ts: i64,
            kind: &'a str,
            payload: &'a serde_json::Value,
        }
        serde_json::to_vec(&BodyOut {
            space: self.space,
            author,
            seq: self.seq,
            prev: self.prev,
            lamport: self.lamport,
            ts: self.ts,
            kind: self.kind,
            payload: self.payload,
        })
        .unwrap_or_default()
    }
}

/// What a device is about to sign.
#[derive(Clone, Debug)]
pub struct Draft<'a> {
    /// The community (`None` for a genesis).
    pub space: Option<SpaceId>,
    /// Next position in the device's chain.
    pub seq: u64,
    /// The device's previous event.
    pub prev: Option<EventId>,
    /// From [`next_lamport`].
    pub lamport: u64,
    /// The device's clock, for display.
    pub ts: i64,
    /// The kind.
    pub kind: &'a str,
    /// The payload object.
    pub payload: &'a serde_json::Value,
}

/// The lamport for a device's next event: greater than its own last one and than every event
/// it has seen.
pub fn next_lamport(own_last: u64, max_seen: u64) -> u64 {
    own_last.max(max_seen).saturating_add(1)
}
