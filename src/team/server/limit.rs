//! Requests per token: a token bucket per token hash, in memory (one
//! service process; a restart forgets, which only forgives).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// A bucket of `burst` requests refilled at `per_second`.
#[derive(Clone, Copy, Debug)]
pub struct RateLimit {
    pub burst: f64,
    pub per_second: f64,
}

impl Default for RateLimit {
    /// A full sync is a handful of requests per page; a desk of 50 syncing
    /// every minute stays far below this.
    fn default() -> Self {
        RateLimit {
            burst: 600.0,
            per_second: 50.0,
        }
    }
}

pub(super) struct Buckets {
    rate: RateLimit,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Buckets {
    pub(super) fn new(rate: RateLimit) -> Self {
        Buckets {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the token's bucket; false when it is empty.
    pub(super) fn take(&self, token_sha: &str) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (level, at) = buckets
            .entry(token_sha.to_string())
            .or_insert((self.rate.burst, now));
        let refilled = (*level + now.duration_since(*at).as_secs_f64() * self.rate.per_second)
            .min(self.rate.burst);
        *at = now;
        if refilled >= 1.0 {
            *level = refilled - 1.0;
            true
        } else {
            *level = refilled;
            false
        }
    }
}
