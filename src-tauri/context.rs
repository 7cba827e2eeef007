//! What the core takes from the outside world: the time and new ids. Passed
//! in (held by the [`crate::Db`]) rather than read from globals, so outcomes,
//! hashes and reports can be tested exactly.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

/// The source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The source of new ids.
pub trait IdSource: Send + Sync + std::fmt::Debug {
    fn new_id(&self) -> Uuid;

    /// Sixteen bytes to salt a password hash with: random (from the OS,
    /// as a version 4 UUID's), unless the source is seeded, so that a
    /// generated register, its trail's hashes and its reports are the same
    /// bytes on every run. Drawn apart from the ids, which it never shifts.
    fn new_salt(&self) -> [u8; 16] {
        Uuid::new_v4().into_bytes()
    }
}

/// The system clock, truncated to whole milliseconds so a time survives a
/// round trip through its stored text form unchanged.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }
}

/// A clock that always says the same time (tests, reproducible reports).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Time-ordered (version 7) UUIDs: a millisecond timestamp, then random
/// bits. Ids made one after the other sort in that order (within a
/// process, always), so a new row's key goes at the end of each index that
/// holds it (the table's own, its children's, the trail's by entity) instead
/// of at a random place: a bulk import or a busy server writes fewer pages.
/// The time in an id is no secret: every row records when it was created.
#[derive(Debug, Default)]
pub struct TimeOrderedIds;

impl IdSource for TimeOrderedIds {
    fn new_id(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// Ids 00000000-0000-0000-0000-000000000001, …02, … in order (tests).
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl IdSource for SequentialIds {
    fn new_id(&self) -> Uuid {
        Uuid::from_u128(u128::from(self.0.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

/// A clock its owner moves: generated data dated across the years it covers.
#[derive(Debug, Clone)]
pub struct SharedClock(std::sync::Arc<std::sync::Mutex<DateTime<Utc>>>);

impl SharedClock {
    pub fn new(at: DateTime<Utc>) -> SharedClock {
        SharedClock(std::sync::Arc::new(std::sync::Mutex::new(at)))
    }

    /// Sets the time every later reading gives.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }
}

impl Clock for SharedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|now| *now).unwrap_or_default()
    }
}

/// Version 4 UUIDs drawn from a seed: the same seed gives the same ids in
/// the same order (generated registers).
#[derive(Debug)]
pub struct SeededIds {
    seed: u64,
    next: AtomicU64,
    salts: AtomicU64,
}

impl SeededIds {
    pub fn new(seed: u64) -> SeededIds {
        SeededIds {
            seed,
            next: AtomicU64::new(0),
            salts: AtomicU64::new(0),
        }
    }
}

impl IdSource for SeededIds {
    fn new_id(&self) -> Uuid {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let high = splitmix64(self.seed ^ splitmix64(2 * n));
        let low = splitmix64(self.seed ^ splitmix64(2 * n + 1));
        let bytes = ((u128::from(high) << 64) | u128::from(low)).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    fn new_salt(&self) -> [u8; 16] {
        /// Keeps the salts' sequence apart from the ids'.
        const SALTS: u64 = 0x5341_4C54_5341_4C54;
        let n = self.salts.fetch_add(1, Ordering::Relaxed);
        let high = splitmix64(self.seed ^ SALTS ^ splitmix64(2 * n));
        let low = splitmix64(self.seed ^ SALTS ^ splitmix64(2 * n + 1));
        ((u128::from(high) << 64) | u128::from(low)).to_be_bytes()
    }
}

/// SplitMix64: a well-mixed 64-bit value from any 64-bit input.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A time as stored: RFC 3339 in UTC with milliseconds.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ordered_ids_sort_as_stored_in_the_order_they_were_made() {
        let ids = TimeOrderedIds;
        let made: Vec<Uuid> = (0..10_000).map(|_| ids.new_id()).collect();
        assert!(made.iter().all(|id| id.get_version_num() == 7));
        // Stored as hyphenated lower-case text, compared as text.
        let stored: Vec<String> = made.iter().map(Uuid::to_string).collect();
        assert!(
            stored.windows(2).all(|pair| pair[0] < pair[1]),
            "ids made one after the other, within one millisecond too, sort in that order"
        );
    }
}
