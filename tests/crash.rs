//! Crash safety: a process writing to the database (CSV imports, assessment
//! saves, submissions and management approvals) is killed with SIGKILL at
//! random moments. After each kill the database must pass
//! `PRAGMA integrity_check`, hold every write the process reported as
//! committed, hold each import entirely or not at all, and its audit trail
//! must verify.
//!
//! The writing process is this test binary itself, started again to run
//! [`child_writes_until_killed`] with `TILLIT_CRASH_CHILD` naming the
//! database. `make test` runs a few kills; `make crash-test` runs
//! `TILLIT_CRASH_RUNS` (200) of them and prints the figures.

use crate::people::assessed;
use crate::support::{add_users, sign_in, PASSWORD};
use rusqlite::{Connection, OptionalExtension};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tillit::approval::{self, Decision, DecisionInput};
use tillit::supplier::Tier;
use tillit::Db;

const CHILD_ENV: &str = "TILLIT_CRASH_CHILD";
const SEED_ENV: &str = "TILLIT_CRASH_SEED";
const RUNS_ENV: &str = "TILLIT_CRASH_RUNS";
/// Kills in `make test`; `make crash-test` asks for more.
const SHORT_RUNS: u64 = 12;
/// What starts each line the child reports.
const MARK: &str = "@crash ";

/// A small deterministic generator (xorshift64*), so a failing run can be
/// repeated with its seed.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn report(line: &str) {
    // Line-buffered: each line reaches the parent before the next write starts.
    let mut out = std::io::stdout().lock();
    // Marked: the test harness may have printed part of a line before it.
    writeln!(out, "{MARK}{line}").unwrap();
    out.flush().unwrap();
}

/// A CSV of `count` suppliers named `<batch> NNNN AB`.
fn batch_csv(batch: &str, count: u64) -> String {
    let mut csv =
        String::from("legal_name;country_of_incorporation;country_of_headquarters;tier\n");
    for n in 0..count {
        csv.push_str(&format!("{batch} {n:04} AB;SE;SE;standard\n"));
    }
    csv
}

/// The writing process: does nothing unless started by the crash test.
#[test]
fn child_writes_until_killed() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let seed: u64 = std::env::var(SEED_ENV).unwrap().parse().unwrap();
    let mut random = Random::new(seed);
    let db = Db::open(Path::new(&path)).unwrap();
    sign_in(&db, "olivia");
    report("ready");
    for step in 0.. {
        match random.below(3) {
            0 => {
                let batch = format!("Batch {seed}-{step}");
                let count = 50 + random.below(1500);
                report(&format!("begin import|{batch}|{count}"));
                let summary = tillit::interchange::csv_import::import(
                    &db,
                    batch_csv(&batch, count).as_bytes(),
                    |_| {},
                )
                .unwrap();
                assert_eq!(u64::from(summary.suppliers), count);
                report(&format!("committed import|{batch}|{count}"));
            }
            1 => {
                let (supplier, _, assessment) = assessed(&db, Tier::Essential);
                report(&format!("committed assessment|{supplier}|{assessment}"));
            }
            _ => {
                let (supplier, _, assessment) = assessed(&db, Tier::Critical);
                approval::submit(&db, assessment).unwrap();
                report(&format!("committed submitted|{supplier}|{assessment}"));
                sign_in(&db, "magnus");
                approval::decide(
                    &db,
                    assessment,
                    DecisionInput {
                        decision: Decision::Approve,
                        conditions: Vec::new(),
                        password: PASSWORD.into(),
                    },
                )
                .unwrap();
                report(&format!("committed approved|{supplier}|{assessment}"));
                sign_in(&db, "olivia");
            }
        }
    }
}

/// What one kill found.
#[derive(Debug, Default)]
struct Outcome {
    committed: usize,
    imports_cut: usize,
}

/// Checks the database after a kill against what the child reported.
fn check(path: &Path, lines: &[String], run: u64) -> Outcome {
    let raw = Connection::open(path).unwrap();
    let integrity: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "run {run}: the database is damaged");
    let mut outcome = Outcome::default();
    let count_batch = |batch: &str| -> u64 {
        raw.query_row::<i64, _, _>(
            "SELECT count(*) FROM supplier WHERE legal_name LIKE ?1 || ' %'",
            [batch],
            |r| r.get(0),
        )
        .unwrap()
        .unsigned_abs()
    };
    for line in lines {
        let parts: Vec<&str> = line.split('|').collect();
        match parts[0] {
            "begin import" => {
                let found = count_batch(parts[1]);
                let count: u64 = parts[2].parse().unwrap();
                assert!(
                    found == 0 || found == count,
                    "run {run}: import {} is partly there ({found} of {count})",
                    parts[1]
                );
                if found == 0 {
                    outcome.imports_cut += 1;
                }
            }
            "committed import" => {
                outcome.committed += 1;
                assert_eq!(
                    count_batch(parts[1]),
                    parts[2].parse::<u64>().unwrap(),
                    "run {run}: the committed import {} is missing",
                    parts[1]
                );
            }
            "committed assessment" | "committed submitted" | "committed approved" => {
                outcome.committed += 1;
                let submitted: Option<bool> = raw
                    .query_row(
                        "SELECT submitted_at IS NOT NULL FROM assessment WHERE id = ?1 AND supplier_id = ?2",
                        [parts[2], parts[1]],
                        |r| r.get(0),
                    )
                    .optional()
                    .unwrap();
                let submitted = submitted.unwrap_or_else(|| {
                    panic!(
                        "run {run}: the committed assessment {} is missing",
                        parts[2]
                    )
                });
                if parts[0] != "committed assessment" {
                    assert!(
                        submitted,
                        "run {run}: the submission of {} is missing",
                        parts[2]
                    );
                }
                if parts[0] == "committed approved" {
                    let (approvals, status): (u32, String) = raw
                        .query_row(
                            "SELECT (SELECT count(*) FROM approval WHERE assessment_id = ?1), status
                             FROM supplier WHERE id = ?2",
                            [parts[2], parts[1]],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .unwrap();
                    assert_eq!(
                        approvals, 1,
                        "run {run}: the approval of {} is missing",
                        parts[2]
                    );
                    assert_eq!(status, "approved", "run {run}: supplier {}", parts[1]);
                }
            }
            "ready" => {}
            other => panic!("run {run}: unexpected line {other:?}"),
        }
    }
    drop(raw);
    let db = Db::open(path).unwrap();
    let verification = db.read(tillit::audit::verify).unwrap();
    assert!(
        verification.intact(),
        "run {run}: the audit trail does not verify: {}",
        verification.sentence()
    );
    outcome
}

/// One run: copies the template, starts the child, kills it after `delay`
/// from its first write, and checks what it left.
fn run_once(template: &Path, dir: &Path, run: u64, seed: u64, delay: Duration) -> Outcome {
    let path: PathBuf = dir.join(format!("run-{run}.db"));
    std::fs::copy(template, &path).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash::child_writes_until_killed",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .env(SEED_ENV, seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Some((_, reported)) = line.split_once(MARK) else {
                continue;
            };
            if sender.send(reported.to_owned()).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = receiver
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("run {run}: the child never became ready"));
        let ready = line == "ready";
        lines.push(line);
        if ready {
            break;
        }
    }
    std::thread::sleep(delay);
    // SIGKILL: no destructor, no flush, no checkpoint.
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(receiver.try_iter());
    let outcome = check(&path, &lines, run);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    outcome
}

#[test]
fn killing_a_writing_process_at_random_moments_loses_nothing_committed() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let runs: u64 = std::env::var(RUNS_ENV)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(SHORT_RUNS);
    let base_seed: u64 = std::env::var(SEED_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261122);
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.db");
    add_users(&Db::open(&template).unwrap());

    let mut random = Random::new(base_seed);
    let started = Instant::now();
    let (mut committed, mut cut, mut kills_after_a_commit) = (0, 0, 0);
    for run in 0..runs {
        let delay = Duration::from_millis(random.below(1200));
        let outcome = run_once(&template, dir.path(), run, base_seed + run, delay);
        committed += outcome.committed;
        cut += outcome.imports_cut;
        kills_after_a_commit += usize::from(outcome.committed > 0);
    }
    println!(
        "crash test: {runs} kills in {:.1} s (seed {base_seed}): {committed} reported commits all present, \
         {cut} imports cut off by the kill left nothing behind, {kills_after_a_commit} kills came after at least one commit; \
         every database passed integrity_check and its audit trail verified",
        started.elapsed().as_secs_f64()
    );
    assert!(committed > 0, "the kills came too early to test anything");
}
