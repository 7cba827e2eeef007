//! Benchmarks of the register at scale, in the core (release build, no
//! window), on the generated register of 10,000 suppliers: filter + sort
//! beside the bare indexed SELECT of the same rows, the overview, saving an
//! assessment, the CSV import of 10,000 suppliers beside a plain bulk
//! insert of the same rows, and the JSON export. Run with `make bench`.

use rusqlite::Connection;
use std::time::Duration;
use tillit::assessment::workflow;
use tillit::interchange::{csv_import, json};
use tillit::review;
use tillit::supplier::{list_register, RegisterQuery, SortKey, SupplierStatus, Tier};
use tillit::Db;

mod support;

use support::{csv, csv_rows, heading, measure, ratio, users, CSV_COLUMNS, SUPPLIERS};

fn main() {
    let source = support::generated(SUPPLIERS, None);
    let dir = tempfile::tempdir().expect("temporary folder");
    if support::selected("list") {
        filter_and_sort(&source, dir.path());
    }
    if support::selected("overview") {
        overview_and_saving(&source, dir.path());
    }
    if support::selected("worklist") {
        worklist(&source, dir.path());
    }
    if support::selected("import") {
        import(dir.path());
    }
    if support::selected("export") {
        export(&source, dir.path());
    }
    if support::selected("dora") {
        dora_export(&source, dir.path());
    }
}

/// A register row as the bare SELECT reads it.
type BareRow = (String, String, String, String, String, String, bool, String);

/// The bare SELECT of the rows a query lists, through rusqlite alone.
fn bare(conn: &Connection, sql: &str) -> usize {
    let mut statement = conn.prepare_cached(sql).expect("statement");
    let rows: Vec<BareRow> = statement
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    rows.len()
}

fn filter_and_sort(source: &std::path::Path, dir: &std::path::Path) {
    heading("Register list: filter + sort over 10,000 suppliers (target ≤ 5 ms and ≤ 3× the bare SELECT)");
    let db = support::copy_of(source, dir, "list.db");
    let plain = Connection::open(dir.join("list.db")).expect("plain connection");
    plain
        .execute_batch(tillit::store::PERFORMANCE_PRAGMAS)
        .expect("pragmas");
    const COLUMNS: &str =
        "SELECT id, legal_name, registration_number, country_of_headquarters, tier, status, \
                           exposed, updated_at FROM supplier";
    let queries = [
        (
            "all 10,000 rows, sorted by name",
            RegisterQuery::default(),
            format!("{COLUMNS} ORDER BY sort_key, id"),
        ),
        (
            "search \"drift\", sorted by name",
            RegisterQuery {
                search: "drift".into(),
                ..Default::default()
            },
            format!("{COLUMNS} WHERE search_key LIKE '%drift%' ORDER BY sort_key, id"),
        ),
        (
            "tier critical, sorted by country descending",
            RegisterQuery {
                tier: Some(Tier::Critical),
                sort: SortKey::Country,
                descending: true,
                ..Default::default()
            },
            format!("{COLUMNS} WHERE tier = 'critical' ORDER BY country_of_headquarters DESC, sort_key, id"),
        ),
        (
            "exposed, status approved, sorted by tier",
            RegisterQuery {
                exposed: Some(true),
                status: Some(SupplierStatus::Approved),
                sort: SortKey::Tier,
                ..Default::default()
            },
            format!(
                "{COLUMNS} WHERE exposed = 1 AND status = 'approved' ORDER BY \
                 CASE tier WHEN 'critical' THEN 0 WHEN 'essential' THEN 1 ELSE 2 END, sort_key, id"
            ),
        ),
        (
            "country SE, sorted by services",
            RegisterQuery {
                country: Some("SE".into()),
                sort: SortKey::Services,
                ..Default::default()
            },
            format!("{COLUMNS} WHERE country_of_headquarters = 'SE' ORDER BY sort_key, id"),
        ),
    ];
    for (name, query, sql) in &queries {
        let rows = list_register(&db, query).expect("query").rows.len();
        assert_eq!(
            rows,
            bare(&plain, sql),
            "the bare SELECT lists the same rows"
        );
        let ours = measure(
            &format!("filter + sort: {name} ({rows} rows)"),
            "tillit::supplier::list_register: the rows with their service counts and the counts by tier",
            101,
            || {
                std::hint::black_box(list_register(&db, query).expect("query"));
            },
        );
        let reference = measure(
            "  bare indexed SELECT of the same rows",
            "rusqlite alone, the same columns, WHERE and ORDER BY, on a connection with the same PRAGMAs",
            101,
            || {
                std::hint::black_box(bare(&plain, sql));
            },
        );
        ratio("  list_register / bare SELECT", ours, reference, "≤ 3×");
    }
    // The list keeps the register in memory; after a change made through
    // Tillit (here, another window, the command line) it reads again only
    // the suppliers the audit trail names since.
    let everything = RegisterQuery::default();
    let path = db.path().expect("a file").to_owned();
    let other = Db::open(&path).expect("another handle");
    tillit::approval::sign_in(&other, "olivia", support::PASSWORD).expect("sign in");
    let (assessment, service, mut input) = under_way(&other);
    let mut changes = 0;
    support::measure_after(
        "all 10,000 rows, the first list after a change",
        "as above, after another program saved step 2 of a service (not timed): the suppliers the trail names since are read again",
        51,
        || {
            changes += 1;
            input.risks[0].description = format!("Ändrad i ett annat fönster {changes}");
            workflow::save_service(&other, assessment, service, input.clone()).expect("save");
        },
        |()| {
            std::hint::black_box(list_register(&db, &everything).expect("query"));
        },
    );
    // The reference: a change outside Tillit is in no trail entry, so the
    // whole register is read again.
    support::measure_after(
        "all 10,000 rows, read whole (after a change outside Tillit)",
        "as above, after a connection without Tillit's trail committed a change (not timed): the register is read from SQLite again",
        31,
        || {
            changes += 1;
            plain
                .execute(
                    "UPDATE supplier SET updated_at = ?1 WHERE rowid = (SELECT min(rowid) FROM supplier)",
                    [format!("2026-11-02T12:00:{:02}.000Z", changes % 60)],
                )
                .expect("a change");
        },
        |()| {
            std::hint::black_box(list_register(&db, &everything).expect("query"));
        },
    );
}

fn overview_and_saving(source: &std::path::Path, dir: &std::path::Path) {
    heading("Overview and saving an assessment, on the 10,000-supplier register");
    let db = support::copy_of(source, dir, "saving.db");
    let kept = measure(
        "overview, opened again (kept since the last change)",
        "tillit::review::overview: status and level counts, heat map, reviews due and overdue, expiring evidence, decisions awaited; kept in memory until the database changes",
        101,
        || {
            std::hint::black_box(review::overview(&db, support::as_of()).expect("overview"));
        },
    );
    support::against("  overview, opened again", kept, Duration::from_millis(20));
    // After a change made by another program (not timed), the overview is
    // computed again from SQLite.
    let path = db.path().expect("a file").to_owned();
    let other = Db::open(&path).expect("another handle");
    tillit::approval::sign_in(&other, "olivia", support::PASSWORD).expect("sign in");
    let (assessment, service, mut changed) = under_way(&other);
    let mut changes = 0;
    let first = support::measure_after(
        "overview, the first time after a change",
        "as above, after another program saved step 2 of a service (not timed): the suppliers the audit trail names since are read again, the lists, counts and heat map put together again in memory",
        31,
        || {
            changes += 1;
            changed.risks[0].description = format!("Ändrad i ett annat fönster {changes}");
            workflow::save_service(&other, assessment, service, changed.clone()).expect("save");
        },
        |()| {
            std::hint::black_box(review::overview(&db, support::as_of()).expect("overview"));
        },
    );
    support::against(
        "  overview, the first time after a change",
        first,
        Duration::from_millis(60),
    );
    // Read whole, as the first time on a day, after many changes, or after
    // a change the trail cannot place: each run on a new handle (opened,
    // and the one before closed, not timed), so nothing is kept.
    let fresh = std::cell::RefCell::new(None);
    support::measure_after(
        "overview, read whole (nothing kept)",
        "as above, on a handle opened anew (not timed): every list, count and the heat map read from SQLite",
        31,
        || {
            *fresh.borrow_mut() = None;
            *fresh.borrow_mut() = Some(Db::open(&path).expect("a new handle"));
        },
        |()| {
            let fresh = fresh.borrow();
            let db = fresh.as_ref().expect("opened");
            std::hint::black_box(review::overview(db, support::as_of()).expect("overview"));
        },
    );
    drop(fresh);
    // A supplier whose step 2 is under way: its first assessed service is
    // saved again, as the officer's Save does.
    let (assessment, service, mut input) = under_way(&db);
    let mut turn = 0u32;
    measure(
        "saving an assessment (step 2 of one service)",
        "tillit::assessment::workflow::save_service: validate, compute the service's result, write, record in the trail, commit (synchronous = FULL)",
        51,
        || {
            turn += 1;
            input.risks[0].description = format!("Omvärderad risk {turn}");
            std::hint::black_box(
                workflow::save_service(&db, assessment, service, input.clone()).expect("save"),
            );
        },
    );
}

/// A service whose step 2 is under way (not submitted), with its saved
/// input, to be saved again as the officer's Save does.
fn under_way(
    db: &Db,
) -> (
    workflow::AssessmentId,
    tillit::supplier::ServiceId,
    workflow::ServiceInput,
) {
    let (assessment, service) = db
        .read(|conn| {
            conn.query_row(
                "SELECT a.id, sa.service_id FROM assessment a JOIN service_assessment sa ON sa.assessment_id = a.id
                 WHERE a.submitted_at IS NULL ORDER BY a.id LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
        })
        .expect("an assessment under way");
    let assessment = workflow::AssessmentId(assessment.parse().expect("id"));
    let service = tillit::supplier::ServiceId(service.parse().expect("id"));
    let input = workflow::get(db, assessment)
        .expect("assessment")
        .services
        .into_iter()
        .find(|s| s.service_id == service)
        .expect("service")
        .input;
    (assessment, service, input)
}

fn worklist(source: &std::path::Path, dir: &std::path::Path) {
    use tillit::assessment::worklist::{self, WorkState, WorklistQuery, WorklistSort};
    heading("Assessments worklist over the 10,000-supplier register (target < 50 ms each)");
    let db = support::copy_of(source, dir, "worklist.db");
    let plain = Connection::open(dir.join("worklist.db")).expect("plain connection");
    let queries = [
        (
            "every current assessment, by supplier",
            WorklistQuery::default(),
        ),
        (
            "state submitted, sorted by date descending",
            WorklistQuery {
                state: Some(WorkState::Submitted),
                sort: WorklistSort::AssessedOn,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "needs me (the officer), sorted by state",
            WorklistQuery {
                needs_me: true,
                sort: WorklistSort::State,
                ..Default::default()
            },
        ),
        (
            "assessor and tier critical, search \"drift\"",
            WorklistQuery {
                assessor: Some("Olivia Officer".into()),
                tier: Some(Tier::Critical),
                search: "drift".into(),
                ..Default::default()
            },
        ),
        (
            "every assessment ever made, by last change",
            WorklistQuery {
                all: true,
                sort: WorklistSort::UpdatedAt,
                descending: true,
                ..Default::default()
            },
        ),
    ];
    for (name, query) in &queries {
        let rows = worklist::list(&db, query).expect("worklist").rows.len();
        measure(
            &format!("worklist: {name} ({rows} rows)"),
            "tillit::assessment::worklist::list: filter, \"needs me\" for the signed-in user, sort, the counts per state",
            101,
            || {
                std::hint::black_box(worklist::list(&db, query).expect("worklist"));
            },
        );
    }
    // Another program (a second window, the command line) saves step 2:
    // the list reads again only the supplier the trail names.
    let other = Db::open(&dir.join("worklist.db")).expect("another handle");
    tillit::approval::sign_in(&other, "olivia", support::PASSWORD).expect("sign in");
    let (elsewhere, elsewhere_service, mut elsewhere_input) = under_way(&other);
    let mut changes = 0u32;
    support::measure_after(
        "worklist: every current assessment, the first list after a change",
        "as above, after another program saved step 2 of a service (not timed): the kept list reads again the suppliers the audit trail names since",
        51,
        || {
            changes += 1;
            elsewhere_input.risks[0].description = format!("Ändrad i ett annat fönster {changes}");
            workflow::save_service(&other, elsewhere, elsewhere_service, elsewhere_input.clone())
                .expect("save");
        },
        |()| {
            std::hint::black_box(worklist::list(&db, &WorklistQuery::default()).expect("worklist"));
        },
    );
    // The reference: a change outside Tillit names nothing in the trail, so
    // every assessment is read from SQLite again.
    support::measure_after(
        "worklist: every current assessment, read whole (after a change outside Tillit)",
        "as above, after a connection without Tillit's trail committed a change (not timed): every assessment and the decider of each submitted one read again",
        31,
        || {
            changes += 1;
            plain
                .execute(
                    "UPDATE assessment SET updated_at = ?1 WHERE rowid = (SELECT min(rowid) FROM assessment)",
                    [format!("2026-11-02T12:00:{:02}.000Z", changes % 60)],
                )
                .expect("a change");
        },
        |()| {
            std::hint::black_box(worklist::list(&db, &WorklistQuery::default()).expect("worklist"));
        },
    );
    // As the window meets it: the officer saved something (through the same
    // connection, whose page cache stays), then the list is shown.
    let (assessment, service, mut input) = under_way(&db);
    let mut turn = 0u32;
    support::measure_after(
        "worklist: every current assessment, the first list after a save",
        "as above, after the officer saved step 2 of a service through the same database handle (not timed)",
        51,
        || {
            turn += 1;
            input.risks[0].description = format!("Omvärderad risk {turn}");
            workflow::save_service(&db, assessment, service, input.clone()).expect("save");
        },
        |()| {
            std::hint::black_box(worklist::list(&db, &WorklistQuery::default()).expect("worklist"));
        },
    );
}

fn import(dir: &std::path::Path) {
    heading("CSV import of 10,000 suppliers (target ≤ 3× a plain bulk insert)");
    let data = csv(SUPPLIERS);
    // Each run imports into a new database file with its users already
    // created (password hashing is not part of the import).
    let mut fresh = (0..7)
        .map(|run| {
            let db = Db::open(&dir.join(format!("import-{run}.db"))).expect("database");
            users(&db);
            db
        })
        .collect::<Vec<_>>()
        .into_iter();
    let ours = measure(
        "CSV import of 10,000 suppliers into a new database file",
        "tillit::interchange::csv_import::import: parse, validate every row, insert, derive exposure, one audit entry per supplier, one transaction",
        7,
        || {
            let db = fresh.next().expect("a database per run");
            let summary = csv_import::import(&db, data.as_bytes(), |_| {}).expect("import");
            assert_eq!(summary.suppliers as usize, SUPPLIERS);
        },
    );
    // The same rows, already parsed, into the same table of a new database
    // file (same schema and PRAGMAs), with one prepared INSERT in one
    // transaction: no validation, no trail.
    let rows = csv_rows(SUPPLIERS);
    let mut plain = (0..7)
        .map(|run| {
            let path = dir.join(format!("bulk-{run}.db"));
            drop(Db::open(&path).expect("database"));
            let conn = Connection::open(&path).expect("plain connection");
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
            )
            .expect("pragmas");
            conn.execute_batch(tillit::store::PERFORMANCE_PRAGMAS)
                .expect("pragmas");
            conn
        })
        .collect::<Vec<_>>()
        .into_iter();
    let now = "2026-11-02T10:00:00.000Z";
    let reference = measure(
        "  plain rusqlite bulk insert of the same rows",
        "one prepared INSERT per row into supplier in one transaction, on a connection with the same PRAGMAs",
        7,
        || {
            let mut conn = plain.next().expect("a database per run");
            let tx = conn.transaction().expect("transaction");
            {
                let mut insert = tx
                    .prepare(&format!(
                        "INSERT INTO supplier (id, {}, search_key, sort_key, status, exposed, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', ?11, ?12, ?12)",
                        CSV_COLUMNS.join(", ")
                    ))
                    .expect("insert");
                for (i, row) in rows.iter().enumerate() {
                    insert
                        .execute(rusqlite::params![
                            uuid::Uuid::from_u128(i as u128 + 1).to_string(),
                            row[0],
                            row[1],
                            row[2],
                            row[3],
                            row[4],
                            row[5],
                            row[6],
                            format!("{} {}", row[0].to_lowercase(), row[1].to_lowercase()),
                            row[0].to_lowercase(),
                            row[6] == "US" || row[3] == "US",
                            now
                        ])
                        .expect("row");
                }
            }
            tx.commit().expect("commit");
        },
    );
    ratio("  import / bulk insert", ours, reference, "≤ 3×");
}

/// DORA's register of information from the 10,000-supplier register: the
/// organisation described, every provider given an audit date (those the
/// generator leaves without evidence or a decided assessment get an ISO/IEC
/// 27001 certificate), then the package built, checked, zipped, written and
/// recorded; beside it the JSON export of the same register, which reads
/// the same data.
fn dora_export(source: &std::path::Path, dir: &std::path::Path) {
    heading("DORA register of information of 10,000 suppliers (target < 5 s)");
    let db = support::copy_of(source, dir, "dora.db");
    tillit::approval::sign_in(&db, "admin", support::PASSWORD).expect("sign in");
    tillit::settings::save_organisation(
        &db,
        tillit::settings::Organisation {
            legal_name: "Banken i Norr AB".into(),
            lei: "506700GE1G29325QX363".into(),
            country: "SE".into(),
            entity_type: Some(tillit::settings::EntityType::CreditInstitution),
            competent_authority: "Finansinspektionen".into(),
            currency: "SEK".into(),
            total_assets: Some(48_500_000_000),
            ..Default::default()
        },
    )
    .expect("organisation");
    tillit::approval::sign_in(&db, "olivia", support::PASSWORD).expect("sign in");
    let reference = db.now().date_naive();
    let lacking: std::collections::HashSet<String> = tillit::dora::package(&db, reference)
        .expect("package")
        .problems
        .into_iter()
        .map(|p| p.source)
        .collect();
    let store = dir.join("evidence");
    std::fs::create_dir_all(&store).expect("evidence folder");
    for detail in tillit::supplier::all_details(&db).expect("register") {
        let name = &detail.supplier.fields.legal_name;
        if lacking
            .iter()
            .any(|s| s.starts_with(&format!("supplier {name},")))
        {
            let fields = tillit::supplier::EvidenceFields {
                kind: tillit::supplier::EvidenceKind::Iso27001,
                issuer: "DNV".into(),
                scope: "Drift".into(),
                valid_from: reference.checked_sub_months(chrono::Months::new(6)),
                valid_until: reference.checked_add_months(chrono::Months::new(30)),
                ..Default::default()
            };
            tillit::supplier::add_evidence(&db, detail.supplier.id, fields, None, &store)
                .expect("evidence");
        }
    }
    let out = dir.join("dora");
    let mut written = None;
    let took = measure(
        "DORA register of information, 10,000 suppliers",
        "tillit::dora::export: read the register, build the 15 templates, run every check, zip, write, record in the trail",
        5,
        || {
            let _ = std::fs::remove_dir_all(&out);
            std::fs::create_dir_all(&out).expect("output folder");
            written = Some(tillit::dora::export(&db, reference, false, &out).expect("export"));
        },
    );
    let written = written.expect("written");
    let rows: u32 = written.rows.iter().map(|(_, n)| n).sum();
    let bytes = std::fs::metadata(out.join(&written.file_name)).map_or(0, |m| m.len());
    println!(
        "    {rows} rows in 15 templates, {:.1} MB zipped",
        bytes as f64 / 1e6
    );
    let json = measure(
        "JSON export of the same register (reference)",
        "tillit::interchange::json::export_text",
        3,
        || {
            json::export_text(&db).expect("export");
        },
    );
    support::ratio("DORA package / JSON export", took, json, "< 5 s absolute");
}

fn export(source: &std::path::Path, dir: &std::path::Path) {
    heading("JSON export of the whole register");
    let db = support::copy_of(source, dir, "export.db");
    let mut bytes = 0;
    let took: Duration = measure(
        "JSON export of 10,000 suppliers with services, evidence and assessments",
        "tillit::interchange::json::export_stream, as `tillit export` writes standard output, into a sink so that no disk enters the figure: read every supplier with everything about it, serialise, hash, record the export in the trail",
        5,
        || {
            let mut out = Counted(0);
            json::export_stream(&db, &mut out).expect("export");
            bytes = out.0;
        },
    );
    println!(
        "    {:.1} MB of JSON, {:.0} MB/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / took.as_secs_f64()
    );
    support::against("  JSON export", took, Duration::from_secs(1));
    measure(
        "the same, held whole as one text in memory",
        "tillit::interchange::json::export_text (what the tests read; the reference of the DORA package below)",
        5,
        || {
            bytes = json::export_text(&db).expect("export").len();
        },
    );
}

/// A sink that counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
