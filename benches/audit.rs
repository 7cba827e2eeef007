//! Benchmark of `audit verify` over a trail of 1,000,000 entries (release
//! build): the generated register of 10,000 suppliers whose trail was grown
//! with officers' edits, generated once and kept under target/bench-data.
//! Run with `make bench`.

use tillit::Db;

mod support;

use support::{heading, measure, SUPPLIERS};

const ENTRIES: u64 = 1_000_000;

fn main() {
    heading("audit verify over 1,000,000 entries (target ≤ 2 s)");
    let source = support::generated(SUPPLIERS, Some(ENTRIES));
    let db = Db::open(&source).expect("database");
    let size = std::fs::metadata(&source).map(|m| m.len()).unwrap_or(0);
    let verification = db.read(tillit::audit::verify).expect("verify");
    assert!(verification.intact(), "{}", verification.sentence());
    assert_eq!(verification.entries, ENTRIES);
    println!(
        "trail of {} entries about {} rows, database file {:.0} MB",
        verification.entries,
        verification.rows_checked,
        size as f64 / 1e6
    );
    measure(
        "audit verify: 1,000,000 entries and every recorded row",
        "tillit::audit::verify: recompute every entry's SHA-256 from its content and the previous hash, then compare every row of the recorded tables with the trail's last entry about it, and check the signatures, seals, schema and evidence files: 24 stretches of the chain and then one job per table and check, taken by two connections in one snapshot as each finishes its last; the file in the OS page cache (warm)",
        7,
        || {
            let verification = db.read(tillit::audit::verify).expect("verify");
            assert!(verification.intact());
        },
    );
}
