//! # linli-domain
//!
//! Linli's rulebook: the signed event log and the pure, deterministic fold that turns it into
//! state (`../shared/DESIGN.md` §3). No I/O, no clock, no randomness: every phone, the hub and
//! any auditor compute the same state from the same events.
//!
//! # Layout
//!
//! The event envelope, signing, ordering, the roster, councils, points and matching each get
//! one module here as they are built; until then the crate only fixes the direction of
//! dependencies (`app` and `hub` depend on it, it depends on nothing of ours).
