//! The team server under load (DOMAIN §11), on loopback only, on a copy of
//! the generated register of 10,000 suppliers: 50 people signed in at once
//! for 60 s (30 officers, 15 managers, 5 auditors) doing a realistic mix —
//! lists, opening suppliers and assessments, saving step 2, saving a
//! supplier based on what they read, deciding, issuing reports. It prints
//! the p50 and p99 of each command and the requests per second, beside the
//! same commands made locally through the contract, and checks that no
//! error was other than an expected refusal (a stale save), that no
//! acknowledged write was lost, and that the trail verifies.
//!
//! Then the server is killed with SIGKILL in the middle of the same load
//! and started again: the database passes `integrity_check`, every write
//! acknowledged before the kill is there, and the trail verifies.
//!
//! Run with `make bench` (or `cargo bench --no-default-features --bench
//! server`); `TILLIT_LOAD_SECONDS` shortens the run.

mod support;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};
use support::{heading, ms, PASSWORD, SUPPLIERS};
use tillit::approval::{self, NewUser, Role};
use tillit::client::Client;
use tillit::error::ErrorCode;
use tillit::words::Language;
use tillit::{Db, Error};

const OFFICERS: usize = 30;
const MANAGERS: usize = 15;
const AUDITORS: usize = 5;

fn main() {
    let seconds: u64 = std::env::var("TILLIT_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let source = support::generated(SUPPLIERS, None);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("tillit.db");
    std::fs::copy(&source, &path).expect("copy the register");
    let work = prepare(&Db::open(&path).expect("database"));
    // The same register, with the same people, for the PostgreSQL run.
    let prepared = dir.path().join("prepared.db");
    std::fs::copy(&path, &prepared).expect("copy the register");
    let locally = {
        let copy = dir.path().join("local.db");
        std::fs::copy(&source, &copy).expect("copy the register");
        local_reference(&Db::open(&copy).expect("database"), &work)
    };

    let on_sqlite = load(
        &Store::File(path),
        &work,
        &locally,
        dir.path(),
        seconds,
        "SQLite",
    );

    let Ok(cluster) = std::env::var("TILLIT_TEST_POSTGRES") else {
        println!(
            "\nno PostgreSQL cluster (scripts/with-postgres.sh): the PostgreSQL run is left out"
        );
        return;
    };
    heading("migrate-store: the register of 10,000 suppliers into PostgreSQL");
    let url = support::postgres_database(&cluster);
    let started = Instant::now();
    let (target, copied) = Db::migrate_store(&source, &url).expect("migrate-store");
    let took = started.elapsed();
    let rows: u64 = copied.tables.iter().map(|t| t.rows).sum();
    println!(
        "{rows} rows in {} tables and {} trail entries moved and verified in {:.1} s",
        copied.tables.len(),
        copied.audit_entries,
        took.as_secs_f64()
    );
    let export = |db: &Db| {
        approval::sign_in(db, "olivia", PASSWORD).expect("sign in");
        tillit::interchange::json::export_text(db).expect("export")
    };
    let from_file = {
        let copy = dir.path().join("export-source.db");
        std::fs::copy(&source, &copy).expect("copy the register");
        export(&Db::open(&copy).expect("database"))
    };
    let from_postgres = export(&target);
    assert!(from_file == from_postgres, "the JSON exports differ");
    println!(
        "the JSON export from PostgreSQL equals the one from the file, byte for byte ({:.0} MB)",
        from_file.len() as f64 / 1e6
    );
    drop((from_file, from_postgres));

    heading("Each command locally on PostgreSQL beside SQLite (one at a time)");
    let locally_on_postgres = local_reference(&target, &work);
    drop(target);
    side_by_side(&as_outcome(&locally), &as_outcome(&locally_on_postgres));

    let url = support::postgres_database(&cluster);
    Db::migrate_store(&prepared, &url).expect("migrate-store");
    let on_postgres = load(
        &Store::Postgres(url),
        &work,
        &locally_on_postgres,
        dir.path(),
        seconds,
        "PostgreSQL",
    );
    heading("The load on PostgreSQL beside SQLite (one run)");
    side_by_side(&on_sqlite, &on_postgres);
}

/// Where the server keeps the register.
enum Store {
    File(PathBuf),
    Postgres(String),
}

impl Store {
    /// The `--db` of `tillit serve`.
    fn arg(&self) -> &std::ffi::OsStr {
        match self {
            Store::File(path) => path.as_os_str(),
            Store::Postgres(url) => std::ffi::OsStr::new(url),
        }
    }

    fn open(&self) -> Db {
        match self {
            Store::File(path) => Db::open(path).expect("the database opens"),
            Store::Postgres(url) => Db::open_postgres(url).expect("the database opens"),
        }
    }
}

/// The load, then SIGKILL during the load and a restart (on PostgreSQL,
/// of the database server too, as a crash would): every acknowledged write
/// is there and the trail verifies. Returns the first run's outcome.
fn load(
    store: &Store,
    work: &Work,
    locally: &HashMap<&'static str, Vec<Duration>>,
    dir: &Path,
    seconds: u64,
    engine: &str,
) -> Outcome {
    heading(&format!(
        "Team server on {engine}: 50 people for {seconds} s (loopback, HTTPS)"
    ));
    let tls = dir.join("tls");
    let _ = std::fs::remove_dir_all(&tls);
    let mut server = Server::start(store, &tls, true, dir);
    let outcome = run_load(&server, work, Duration::from_secs(seconds), None);
    server.stop();
    outcome.print();
    compare(&outcome, locally);
    check_after(store, &outcome, "after the load");

    heading(&format!(
        "Team server on {engine}: SIGKILL during the load, then a restart"
    ));
    let mut server = Server::start(store, &tls, false, dir);
    let half = Duration::from_secs(seconds.clamp(6, 20) / 2);
    let killed = run_load(&server, work, half * 2, Some((half, server.pid())));
    server.wait_killed();
    println!(
        "killed after {:.1} s: {} requests answered, {} writes acknowledged",
        half.as_secs_f64(),
        killed.requests,
        killed.acknowledged()
    );
    if let (Store::Postgres(_), Ok(restart)) =
        (store, std::env::var("TILLIT_TEST_POSTGRES_RESTART"))
    {
        // An immediate stop: PostgreSQL recovers from its write-ahead log.
        let status = Command::new(&restart).status().expect("restart PostgreSQL");
        assert!(status.success(), "PostgreSQL restarted");
        println!("PostgreSQL stopped immediately (as in a crash) and started again");
    }
    check_after(store, &killed, "after SIGKILL");
    let mut server = Server::start(store, &tls, false, dir);
    let client = server.client();
    client
        .sign_in("o01", PASSWORD)
        .expect("sign in after the restart");
    client
        .call("list_register", &json!({ "query": {} }))
        .expect("the register after the restart");
    server.stop();
    println!("restarted: signs in and lists the register");
    outcome
}

/// Times of commands made locally, as an outcome to print beside another.
fn as_outcome(times: &HashMap<&'static str, Vec<Duration>>) -> Outcome {
    Outcome {
        times: times.clone(),
        requests: times.values().map(Vec::len).sum(),
        elapsed: times.values().flatten().sum(),
        ..Outcome::default()
    }
}

/// The p50 and p99 of each command on both engines.
fn side_by_side(sqlite: &Outcome, postgres: &Outcome) {
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>12}",
        "command", "SQLite p50", "SQLite p99", "PG p50", "PG p99"
    );
    let mut commands: Vec<_> = sqlite.times.keys().copied().collect();
    commands.sort();
    for command in commands {
        let mut a = sqlite.times[command].clone();
        let mut b = postgres.times.get(command).cloned().unwrap_or_default();
        println!(
            "{command:<26} {:>12.1} {:>12.1} {:>12.1} {:>12.1}",
            ms(percentile(&mut a, 0.5)),
            ms(percentile(&mut a, 0.99)),
            ms(percentile(&mut b, 0.5)),
            ms(percentile(&mut b, 0.99)),
        );
    }
    println!(
        "{:<26} {:>12.0} {:>25.0}",
        "requests/s",
        sqlite.requests as f64 / sqlite.elapsed.as_secs_f64(),
        postgres.requests as f64 / postgres.elapsed.as_secs_f64()
    );
}

/// What the simulated people work on: each officer's own assessments in
/// step 2, the submitted assessments the managers decide, the suppliers
/// everyone saves (shared, so saves meet), and decided suppliers to report on.
#[derive(Clone)]
struct Work {
    step2: Vec<Vec<(String, String, Value)>>,
    submitted: Arc<Mutex<Vec<String>>>,
    shared: Vec<String>,
    decided: Vec<String>,
    suppliers: Vec<String>,
}

/// Creates the 50 people and reads what they will work on.
fn prepare(db: &Db) -> Work {
    approval::sign_in(db, "admin", PASSWORD).expect("sign in");
    let people = (1..=OFFICERS)
        .map(|i| (format!("o{i:02}"), Role::ProcurementOfficer))
        .chain((1..=MANAGERS).map(|i| (format!("m{i:02}"), Role::Management)))
        .chain((1..=AUDITORS).map(|i| (format!("a{i:02}"), Role::Auditor)));
    for (username, role) in people {
        approval::create(
            db,
            NewUser {
                display_name: format!("Load {username}"),
                username,
                roles: vec![role],
                password: PASSWORD.into(),
            },
        )
        .expect("a user");
    }
    approval::sign_in(db, "olivia", PASSWORD).expect("sign in");
    let caller = Local(db);
    let list = |state: &str| -> Vec<Value> {
        let page = dispatch(
            &caller,
            "list_assessments",
            json!({ "query": { "search": "", "state": state, "assessor": null, "tier": null,
                               "needs_me": false, "all": false, "sort": "supplier", "descending": false } }),
        );
        page["rows"].as_array().cloned().unwrap_or_default()
    };
    let mut step2 = vec![Vec::new(); OFFICERS];
    for (i, row) in list("step2").iter().enumerate() {
        let id = row["id"].as_str().unwrap().to_owned();
        let assessment = dispatch(&caller, "get_assessment", json!({ "id": id }));
        if let Some(service) = assessment["services"].as_array().and_then(|s| s.first()) {
            step2[i % OFFICERS].push((
                id,
                service["service_id"].as_str().unwrap().to_owned(),
                service["input"].clone(),
            ));
        }
    }
    let ids = |rows: Vec<Value>, field: &str| -> Vec<String> {
        rows.iter()
            .map(|r| r[field].as_str().unwrap().to_owned())
            .collect()
    };
    let submitted = list("submitted")
        .into_iter()
        .filter(|r| r["decider"] == json!("management"))
        .collect();
    let decided = ids(list("decided"), "supplier_id");
    let register = dispatch(&caller, "list_register", json!({ "query": {} }));
    let suppliers = ids(
        register["rows"].as_array().cloned().unwrap_or_default(),
        "id",
    );
    let shared = suppliers
        .iter()
        .filter(|id| decided.contains(id))
        .take(40)
        .cloned()
        .collect();
    Work {
        step2,
        submitted: Arc::new(Mutex::new(ids(submitted, "id"))),
        shared,
        decided,
        suppliers,
    }
}

/// A caller of the contract on this computer, for the reference figures.
struct Local<'a>(&'a Db);

impl tillit::contract::Caller for Local<'_> {
    fn db(&self) -> &Db {
        self.0
    }
    fn chosen_file(&self, _: tillit::files::FilePurpose, _: &str) -> tillit::Result<PathBuf> {
        Err(Error::Internal("no files".into()))
    }
}

fn dispatch(caller: &Local, command: &str, args: Value) -> Value {
    let reply = tillit::contract::dispatch(caller, command, &args)
        .unwrap_or_else(|e| panic!("{command}: {e}"));
    serde_json::from_str(&reply).expect("JSON")
}

/// `tillit serve` as a child process, its log in a file.
struct Server {
    child: Child,
    url: String,
    fingerprint: String,
}

impl Server {
    fn start(store: &Store, tls: &Path, init: bool, dir: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
        command
            .arg("serve")
            .arg("--db")
            .arg(store.arg())
            .args(["--listen", &format!("127.0.0.1:{port}")]);
        if init {
            command.arg("--init").arg(tls);
        } else {
            command
                .arg("--tls-cert")
                .arg(tls.join("tillit-server.crt"))
                .arg("--tls-key")
                .arg(tls.join("tillit-server.key"));
        }
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("server.log"))
            .expect("log");
        let child = command
            .env_remove("TILLIT_DB")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("tillit serve");
        let fingerprint = loop {
            if let Ok(fingerprint) =
                tillit::server::fingerprint_of_pem(&tls.join("tillit-server.crt"))
            {
                break fingerprint;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let server = Server {
            child,
            url: format!("https://127.0.0.1:{port}"),
            fingerprint,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.client().call("list_countries", &json!({})).is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn client(&self) -> Client {
        Client::connect(&self.url, Some(&self.fingerprint), Language::En).expect("client")
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, and waits for the requests in flight to be answered.
    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }

    fn wait_killed(&mut self) {
        let status = self.child.wait().expect("the server's status");
        assert!(!status.success(), "the server was to be killed");
    }
}

/// What one run of the load saw.
#[derive(Default)]
struct Outcome {
    times: HashMap<&'static str, Vec<Duration>>,
    requests: usize,
    elapsed: Duration,
    stale: usize,
    unexpected: Vec<String>,
    /// Acknowledged saves of a supplier's notes: (supplier, notes, when).
    notes: Vec<(String, String, Instant)>,
    /// Acknowledged saves of step 2: (assessment, note, when).
    step2: Vec<(String, String, Instant)>,
    /// Acknowledged decisions.
    decided: Vec<String>,
}

impl Outcome {
    fn acknowledged(&self) -> usize {
        self.notes.len() + self.step2.len() + self.decided.len()
    }

    fn merge(&mut self, other: Outcome) {
        for (command, times) in other.times {
            self.times.entry(command).or_default().extend(times);
        }
        self.requests += other.requests;
        self.stale += other.stale;
        self.unexpected.extend(other.unexpected);
        self.notes.extend(other.notes);
        self.step2.extend(other.step2);
        self.decided.extend(other.decided);
    }

    fn print(&self) {
        println!(
            "{} requests in {:.1} s: {:.0} requests/s; {} saves refused as stale (expected); {} unexpected errors",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.stale,
            self.unexpected.len()
        );
        for error in self.unexpected.iter().take(10) {
            println!("    unexpected: {error}");
        }
        assert!(
            self.unexpected.is_empty(),
            "errors that are not expected refusals"
        );
    }
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let at = ((times.len() as f64 - 1.0) * p).round() as usize;
    times.get(at).copied().unwrap_or_default()
}

/// 50 people for `length`; with `kill`, the server is killed after that
/// long and the people stop at their first failed request after it.
fn run_load(
    server: &Server,
    work: &Work,
    length: Duration,
    kill: Option<(Duration, u32)>,
) -> Outcome {
    let killed = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(Barrier::new(OFFICERS + MANAGERS + AUDITORS + 1));
    let people: Vec<(String, usize)> = (1..=OFFICERS)
        .map(|i| (format!("o{i:02}"), i - 1))
        .chain((1..=MANAGERS).map(|i| (format!("m{i:02}"), i - 1)))
        .chain((1..=AUDITORS).map(|i| (format!("a{i:02}"), i - 1)))
        .collect();
    let handles: Vec<_> = people
        .into_iter()
        .map(|(username, index)| {
            let client = server.client();
            let work = work.clone();
            let killed = Arc::clone(&killed);
            let ready = Arc::clone(&ready);
            std::thread::spawn(move || {
                person(&client, &username, index, &work, (&ready, length), &killed)
            })
        })
        .collect();
    ready.wait();
    let start = Instant::now();
    if let Some((after, pid)) = kill {
        std::thread::sleep(after);
        killed.store(true, Ordering::SeqCst);
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    let mut outcome = Outcome::default();
    for handle in handles {
        outcome.merge(handle.join().expect("a simulated person"));
    }
    outcome.elapsed = start.elapsed().min(length);
    if kill.is_some() {
        outcome.elapsed = kill.map(|(after, _)| after).unwrap_or_default();
    }
    outcome
}

/// A small, seeded random choice for each person.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// One person's work until `until`.
fn person(
    client: &Client,
    username: &str,
    index: usize,
    work: &Work,
    (ready, length): (&Barrier, Duration),
    killed: &AtomicBool,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15 ^ (username.len() as u64 * 7919 + index as u64 + 1));
    let role = &username[..1];
    let call = |outcome: &mut Outcome, command: &'static str, args: Value| -> Option<Value> {
        let started = Instant::now();
        let reply = client.call(command, &args);
        let took = started.elapsed();
        match reply {
            Ok(text) => {
                outcome.requests += 1;
                outcome.times.entry(command).or_default().push(took);
                serde_json::from_str(&text).ok()
            }
            Err(Error::Remote(reply)) if reply.code == ErrorCode::Stale => {
                outcome.requests += 1;
                outcome.stale += 1;
                None
            }
            Err(_) if killed.load(Ordering::SeqCst) => None,
            Err(error) => {
                outcome.requests += 1;
                outcome
                    .unexpected
                    .push(format!("{username} {command}: {error}"));
                None
            }
        }
    };
    if let Err(error) = client.sign_in(username, PASSWORD) {
        outcome
            .unexpected
            .push(format!("{username} could not sign in: {error}"));
        ready.wait();
        return outcome;
    }
    // Everyone signed in, the clock starts.
    ready.wait();
    let until = Instant::now() + length;
    let register_query = |draw: &mut Draw| {
        let sort = ["name", "tier", "risk_level", "next_review"][draw.next(4)];
        let search = ["", "", "AB", "Nord", "Data"][draw.next(5)];
        json!({ "query": { "search": search, "sort": sort } })
    };
    let worklist_query = |draw: &mut Draw, needs_me: bool| {
        let state = [None, Some("submitted"), Some("step2"), Some("decided")][draw.next(4)];
        json!({ "query": { "search": "", "state": state, "assessor": null, "tier": null,
                           "needs_me": needs_me, "all": false, "sort": "supplier", "descending": false } })
    };
    let mut n = 0;
    while Instant::now() < until && !killed.load(Ordering::SeqCst) {
        n += 1;
        let roll = draw.next(100);
        let any_supplier = work.suppliers[draw.next(work.suppliers.len())].clone();
        match role {
            "o" => match roll {
                0..=29 => {
                    call(&mut outcome, "list_register", register_query(&mut draw));
                }
                30..=54 => {
                    call(
                        &mut outcome,
                        "supplier_detail",
                        json!({ "id": any_supplier }),
                    );
                }
                55..=69 => {
                    let mine = &work.step2[index % work.step2.len()];
                    if let Some((id, service, input)) = mine.get(draw.next(mine.len().max(1))) {
                        let mut input = input.clone();
                        let note = format!("{username} {n}");
                        input["risks"][0]["description"] = json!(note);
                        if call(
                            &mut outcome,
                            "save_service_assessment",
                            json!({ "id": id, "service_id": service, "input": input }),
                        )
                        .is_some()
                        {
                            outcome.step2.push((id.clone(), note, Instant::now()));
                        }
                    }
                }
                70..=79 => {
                    let id = work.shared[draw.next(work.shared.len())].clone();
                    if let Some(detail) = call(&mut outcome, "supplier_detail", json!({ "id": id }))
                    {
                        let opened = fields_of(&detail["supplier"]);
                        let mut fields = opened.clone();
                        let note = format!("{username} {n}");
                        fields["notes"] = json!(note);
                        if call(
                            &mut outcome,
                            "update_supplier",
                            json!({ "id": id, "fields": fields, "based_on": opened }),
                        )
                        .is_some()
                        {
                            outcome.notes.push((id, note, Instant::now()));
                        }
                    }
                }
                80..=89 => {
                    call(
                        &mut outcome,
                        "list_assessments",
                        worklist_query(&mut draw, true),
                    );
                }
                90..=94 => {
                    let id = work.decided[draw.next(work.decided.len())].clone();
                    call(&mut outcome, "assessments_of", json!({ "supplier_id": id }));
                }
                _ => {
                    let id = work.decided[draw.next(work.decided.len())].clone();
                    call(
                        &mut outcome,
                        "report_content",
                        json!({ "kind": "assessment", "supplier_id": id, "language": "sv", "order": null }),
                    );
                }
            },
            "m" => match roll {
                0..=34 => {
                    call(
                        &mut outcome,
                        "list_assessments",
                        worklist_query(&mut draw, true),
                    );
                }
                35..=54 => {
                    let id = work.decided[draw.next(work.decided.len())].clone();
                    call(&mut outcome, "assessments_of", json!({ "supplier_id": id }));
                }
                55..=69 => {
                    call(&mut outcome, "overview", json!({}));
                }
                70..=84 => {
                    let next = work.submitted.lock().ok().and_then(|mut q| q.pop());
                    if let Some(id) = next {
                        if call(
                            &mut outcome,
                            "decide_assessment",
                            json!({ "id": id, "input": { "decision": "approve", "conditions": [], "password": PASSWORD } }),
                        )
                        .is_some()
                        {
                            outcome.decided.push(id);
                        }
                    }
                }
                _ => {
                    call(
                        &mut outcome,
                        "supplier_detail",
                        json!({ "id": any_supplier }),
                    );
                }
            },
            _ => match roll {
                0..=29 => {
                    call(
                        &mut outcome,
                        "audit_log",
                        json!({ "filter": { "limit": 50 } }),
                    );
                }
                30..=59 => {
                    call(&mut outcome, "list_register", register_query(&mut draw));
                }
                60..=79 => {
                    let id = work.decided[draw.next(work.decided.len())].clone();
                    call(
                        &mut outcome,
                        "report_content",
                        json!({ "kind": "assessment", "supplier_id": id, "language": "en", "order": null }),
                    );
                }
                _ => {
                    call(
                        &mut outcome,
                        "supplier_detail",
                        json!({ "id": any_supplier }),
                    );
                }
            },
        }
    }
    outcome
}

/// A supplier's editable fields as the form sends them.
fn fields_of(supplier: &Value) -> Value {
    let mut fields = supplier.clone();
    if let Some(map) = fields.as_object_mut() {
        for key in [
            "id",
            "status",
            "offboarding_reason",
            "created_at",
            "updated_at",
        ] {
            map.remove(key);
        }
    }
    fields
}

/// The same commands made locally through the contract, one at a time, on
/// another copy of the register: the reference for the server's figures.
fn local_reference(db: &Db, work: &Work) -> HashMap<&'static str, Vec<Duration>> {
    approval::sign_in(db, "olivia", PASSWORD).expect("sign in");
    let caller = Local(db);
    let mut times: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let mut time = |command: &'static str, args: Value| {
        let started = Instant::now();
        tillit::contract::dispatch(&caller, command, &args)
            .unwrap_or_else(|e| panic!("{command}: {e}"));
        times.entry(command).or_default().push(started.elapsed());
    };
    let mut draw = Draw(7);
    for i in 0..40 {
        let supplier = work.suppliers[draw.next(work.suppliers.len())].clone();
        let decided = work.decided[draw.next(work.decided.len())].clone();
        let search = ["", "AB", "Nord"][i % 3];
        time(
            "list_register",
            json!({ "query": { "search": search, "sort": "name" } }),
        );
        time("supplier_detail", json!({ "id": supplier }));
        time("assessments_of", json!({ "supplier_id": decided }));
        time(
            "list_assessments",
            json!({ "query": { "search": "", "state": null, "assessor": null, "tier": null,
                               "needs_me": true, "all": false, "sort": "supplier", "descending": false } }),
        );
        time("overview", json!({}));
        time("audit_log", json!({ "filter": { "limit": 50 } }));
        if i % 4 == 0 {
            time(
                "report_content",
                json!({ "kind": "assessment", "supplier_id": decided, "language": "sv", "order": null }),
            );
        }
        if let Some((id, service, input)) = work.step2.get(i % OFFICERS).and_then(|s| s.first()) {
            time(
                "save_service_assessment",
                json!({ "id": id, "service_id": service, "input": input }),
            );
        }
        let detail: Value = serde_json::from_str(
            &tillit::contract::dispatch(&caller, "supplier_detail", &json!({ "id": supplier }))
                .expect("detail"),
        )
        .expect("JSON");
        let opened = fields_of(&detail["supplier"]);
        let mut fields = opened.clone();
        fields["notes"] = json!(format!("local {i}"));
        time(
            "update_supplier",
            json!({ "id": supplier, "fields": fields, "based_on": opened }),
        );
    }
    approval::sign_in(db, "magnus", PASSWORD).expect("sign in");
    let caller = Local(db);
    let submitted = work.submitted.lock().map(|q| q.clone()).unwrap_or_default();
    let mut decide = Vec::new();
    for id in submitted.iter().take(10) {
        let started = Instant::now();
        if tillit::contract::dispatch(
            &caller,
            "decide_assessment",
            &json!({ "id": id, "input": { "decision": "approve", "conditions": [], "password": PASSWORD } }),
        )
        .is_ok()
        {
            decide.push(started.elapsed());
        }
    }
    times.insert("decide_assessment", decide);
    times
}

/// The server's p50 and p99 of each command beside the same command made
/// locally.
fn compare(outcome: &Outcome, locally: &HashMap<&'static str, Vec<Duration>>) {
    let mut commands: Vec<_> = outcome.times.keys().copied().collect();
    commands.sort();
    println!(
        "{:<26} {:>8} {:>10} {:>10} {:>12} {:>12}",
        "command", "count", "p50 ms", "p99 ms", "local p50", "local p99"
    );
    for command in commands {
        let mut served = outcome.times[command].clone();
        let mut here = locally.get(command).cloned().unwrap_or_default();
        println!(
            "{command:<26} {:>8} {:>10.1} {:>10.1} {:>12.1} {:>12.1}",
            served.len(),
            ms(percentile(&mut served, 0.5)),
            ms(percentile(&mut served, 0.99)),
            ms(percentile(&mut here, 0.5)),
            ms(percentile(&mut here, 0.99)),
        );
    }
}

/// The database after the run: `integrity_check`, the trail verified, and
/// every acknowledged write there (the last acknowledged save of each
/// supplier and step 2, every decision).
fn check_after(store: &Store, outcome: &Outcome, when: &str) {
    let db = store.open();
    // SQLite's own check of its file; PostgreSQL checks its pages itself.
    if let Store::File(_) = store {
        let integrity: String = db
            .read(|conn| conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
            .expect("integrity_check");
        assert_eq!(integrity, "ok", "{when}");
    }
    let verified = db.read(tillit::audit::verify).expect("verify");
    assert!(
        verified.first_mismatch.is_none()
            && verified.row_mismatches.is_empty()
            && verified.signature_problems.is_empty(),
        "{when}: {verified:?}"
    );
    fn latest(writes: &[(String, String, Instant)]) -> HashMap<&str, (&str, Instant)> {
        let mut last: HashMap<&str, (&str, Instant)> = HashMap::new();
        for (id, value, at) in writes {
            if last.get(id.as_str()).is_none_or(|(_, seen)| at > seen) {
                last.insert(id, (value, *at));
            }
        }
        last
    }
    approval::sign_in(&db, "admin", PASSWORD).expect("sign in");
    let caller = Local(&db);
    let mut lost = 0;
    for (id, (notes, _)) in latest(&outcome.notes) {
        let detail = dispatch(&caller, "supplier_detail", json!({ "id": id }));
        if detail["supplier"]["notes"] != json!(notes) {
            lost += 1;
        }
    }
    for (id, (note, _)) in latest(&outcome.step2) {
        let assessment = dispatch(&caller, "get_assessment", json!({ "id": id }));
        let saved = assessment["services"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["input"]["risks"][0]["description"] == json!(note));
        if !saved {
            lost += 1;
        }
    }
    for id in &outcome.decided {
        let assessment = dispatch(&caller, "get_assessment", json!({ "id": id }));
        if assessment["decisions"].as_array().is_none_or(Vec::is_empty) {
            lost += 1;
        }
    }
    println!(
        "{when}: the database sound; the trail verifies ({} entries); {} acknowledged writes checked, {lost} lost",
        verified.entries,
        outcome.acknowledged()
    );
    assert_eq!(lost, 0, "{when}: acknowledged writes lost");
}
