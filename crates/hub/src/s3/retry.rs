//! When to try a request to the object store again, and how long to wait first.
//!
//! Object stores answer `500`, `503 SlowDown` and `429` under load, and a storage node that
//! dies makes its gateway time out for a while: such answers are transient and a request
//! tried again a little later usually succeeds. Everything else (`403`, `404`, a malformed
//! request) would fail the same way again, so it is returned at once. Waits grow
//! exponentially with full jitter, so that two hubs retrying against the same store do not
//! retry in step, and the whole of it is bounded: a post is answered within the budget
//! rather than held for ever.

use std::time::{Duration, Instant};

/// How a request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The first wait (before jitter).
    pub first: Duration,
    /// The longest single wait.
    pub cap: Duration,
    /// Time from the first attempt after which no new attempt starts.
    pub budget: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            first: Duration::from_millis(50),
            cap: Duration::from_secs(2),
            budget: Duration::from_secs(20),
        }
    }
}

/// Whether an HTTP status from the store is worth another attempt.
pub fn transient_status(status: u16) -> bool {
    matches!(status, 408 | 429) || (500..=599).contains(&status) && status != 501
}

/// The attempts of one request.
#[derive(Debug)]
pub struct Attempts {
    policy: Retry,
    started: Instant,
    made: u32,
    seed: u64,
}

impl Attempts {
    /// The first attempt starts now.
    pub fn new(policy: Retry) -> Attempts {
        Attempts {
            policy,
            started: Instant::now(),
            made: 0,
            seed: seed(),
        }
    }

    /// Attempts made so far.
    pub fn made(&self) -> u32 {
        self.made
    }

    /// After a transient failure: how long to wait before the next attempt, or `None` when
    /// the budget is spent.
    pub fn next_wait(&mut self) -> Option<Duration> {
        self.made += 1;
        let exp = self
            .policy
            .first
            .saturating_mul(1u32 << self.made.min(16))
            .min(self.policy.cap);
        // Full jitter: uniform in [exp/2, exp].
        self.seed = splitmix(self.seed);
        let half = exp / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX).max(1);
        let wait = half + Duration::from_nanos(self.seed % nanos);
        (self.started.elapsed() + wait <= self.policy.budget).then_some(wait)
    }
}

/// A per-request seed: the standard library's random hasher keys, no RNG crate needed.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish()
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses() {
        for s in [500, 502, 503, 504, 429, 408] {
            assert!(transient_status(s), "{s}");
        }
        for s in [200, 400, 403, 404, 409, 412, 501] {
            assert!(!transient_status(s), "{s}");
        }
    }

    #[test]
    fn waits_grow_with_jitter_and_stop_at_the_budget() {
        let policy = Retry {
            first: Duration::from_millis(100),
            cap: Duration::from_millis(800),
            budget: Duration::from_secs(3),
        };
        let mut a = Attempts::new(policy);
        let mut total = Duration::ZERO;
        let mut waits = Vec::new();
        while let Some(w) = a.next_wait() {
            assert!(w <= policy.cap, "{w:?}");
            total += w;
            waits.push(w);
            if total > policy.budget {
                break;
            }
            // Pretend the wait happened without sleeping: the budget is measured from the
            // start, so shift the start back instead.
            a.started -= w;
        }
        assert!(waits.len() >= 4, "{waits:?}");
        assert!(total <= policy.budget, "{total:?}");
        assert!(waits[0] >= Duration::from_millis(100) && waits[0] <= Duration::from_millis(200));
    }
}
