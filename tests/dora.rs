//! DORA's register of information (DOMAIN §12): the report package built
//! from the register, the checks that would get it rejected, each named by
//! template, row, column and Tillit field, and an independent reader
//! (tests/dora_reader.py: Python's zipfile and csv) that re-checks what was
//! written.

use crate::support::{critical_function, db, sign_in, swedish_supplier};
use chrono::{NaiveDate, TimeZone, Utc};
use std::path::Path;
use tillit::dora::{self, Problem};
use tillit::error::ValidationCode;
use tillit::supplier::*;
use tillit::Db;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn reference() -> NaiveDate {
    date(2025, 12, 31)
}

/// The organisation's profile, as an administrator saves it; `olivia`
/// signed in after.
fn describe_organisation(db: &Db) {
    sign_in(db, "admin");
    tillit::settings::save_organisation(db, crate::support::banken()).unwrap();
    sign_in(db, "olivia");
}

fn evidence(kind: EvidenceKind, until: NaiveDate) -> EvidenceFields {
    EvidenceFields {
        kind,
        issuer: "KPMG".into(),
        scope: "Drift".into(),
        valid_from: until.checked_sub_months(chrono::Months::new(12)),
        valid_until: Some(until),
        ..EvidenceFields::default()
    }
}

/// A complete service of a contract, supporting `function`.
fn service(name: &str, contract: &str, function: &str) -> ServiceFields {
    ServiceFields {
        name: name.into(),
        ict_service_type: Some(IctServiceType::CloudSaas),
        data_classification: tillit::rules::DataClassification::Confidential,
        data_sensitivity: Some(DataSensitivity::Medium),
        storage_countries: vec!["SE".into()],
        access_countries: vec!["SE".into(), "FI".into()],
        functions: vec![function.into()],
        reliance: Reliance::Material,
        substitutability: Substitutability::Medium,
        reintegration: Some(Reintegration::Difficult),
        discontinuing_impact: Some(Impact::Medium),
        contract_reference: contract.into(),
        contract_arrangement: Some(ContractArrangement::Standalone),
        contract_start: Some(date(2024, 1, 1)),
        notice_period_customer_days: Some(90),
        notice_period_supplier_days: Some(180),
        governing_law_country: "SE".into(),
        annual_cost: Some(840_000),
        currency: "SEK".into(),
        exit_plan: true,
        ..ServiceFields::default()
    }
}

/// A register that passes every check: the organisation, a critical
/// function, a supplier with an LEI, a parent with one, a service, a
/// subcontractor chain and an audit report.
fn clean_register(db: &Db, evidence_dir: &Path) -> (SupplierId, String) {
    describe_organisation(db);
    let function = critical_function(db);
    let mut fields = swedish_supplier("Molnet AB");
    fields.lei = "529900T8BM49AURSDO55".into();
    fields.parent_name = "Molnet Holding AB".into();
    fields.parent_identifier = "549300MOLNETHOLD0149".into();
    fields.parent_country = "SE".into();
    let supplier = create_supplier(db, fields).unwrap().supplier.id;
    add_service(db, supplier, service("Drift", "AVT-2024-1", &function)).unwrap();
    let hall = add_subcontractor(
        db,
        supplier,
        SubcontractorFields {
            name: "Datahallen AB".into(),
            country: "SE".into(),
            registration_number: "5560125790".into(),
            stores_data: true,
            ..SubcontractorFields::default()
        },
    )
    .unwrap()
    .subcontractors[0]
        .id;
    add_subcontractor(
        db,
        supplier,
        SubcontractorFields {
            name: "Kylning AB".into(),
            country: "SE".into(),
            lei: "5493001KJTIIGC8Y1R12".into(),
            serves: Some(hall),
            ..SubcontractorFields::default()
        },
    )
    .unwrap();
    add_evidence(
        db,
        supplier,
        evidence(EvidenceKind::Soc2Type2, date(2025, 6, 30)),
        None,
        evidence_dir,
    )
    .unwrap();
    (supplier, function)
}

fn problems_of(db: &Db) -> Vec<Problem> {
    dora::package(db, reference()).unwrap().problems
}

/// (template, row, column, field) of each problem.
fn places(problems: &[Problem]) -> Vec<(String, Option<u32>, String, String)> {
    problems
        .iter()
        .map(|p| (p.template.clone(), p.row, p.column.clone(), p.field.clone()))
        .collect()
}

/// Runs the independent reader on a written package: its report, or the
/// problems it found.
fn reread(zip: &Path) -> Result<String, String> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dora");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dora_reader.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(zip)
        .arg(data)
        .output()
        .expect("python3 runs the independent reader");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!("{text}{}", String::from_utf8_lossy(&output.stderr)))
    }
}

fn written(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_clean_register_becomes_a_package_the_independent_reader_accepts() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    clean_register(&db, dir.path());
    assert_eq!(places(&problems_of(&db)), []);
    let out = tempfile::tempdir().unwrap();
    let export = dora::export(&db, reference(), false, out.path()).unwrap();
    assert!(!export.draft && export.problems.is_empty());
    let files = written(out.path());
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(name, export.file_name);
    assert!(
        name.starts_with("506700GE1G29325QX363.IND_SE_DORA010100_DORA_2025-12-31_2026030109"),
        "{name}"
    );
    let report = reread(&files[0]).unwrap_or_else(|problems| panic!("{problems}"));
    // The supply chain: the provider at rank 1, the hall at 2, the cooling
    // firm working for the hall at 3; the parent has a row of its own.
    assert!(report.contains("B_05.02 3"), "{report}");
    assert!(report.contains("B_05.01 4"), "{report}");
    assert!(
        report.contains("B_06.01 1") && report.contains("B_99.01 1"),
        "{report}"
    );
    let counts: Vec<(String, u32)> = export.rows.clone();
    assert!(counts.contains(&("B_02.02".into(), 2)), "{counts:?}");
    // Recorded in the trail with its SHA-256.
    let log = db
        .read(|conn| {
            tillit::audit::entries(
                conn,
                &tillit::audit::LogFilter {
                    entity: "register_of_information".into(),
                    limit: 50,
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert!(
        log.entries.iter().any(|e| e
            .after
            .as_deref()
            .is_some_and(|a| a.contains(&export.sha256))),
        "{:?}",
        log.entries
    );
}

#[test]
fn each_rejecting_check_names_the_template_row_column_and_tillit_field_and_nothing_is_written() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    let (supplier, _) = clean_register(&db, dir.path());

    // A function without a licensed activity: a mandatory cell.
    sign_in(&db, "admin");
    let second = create_function(
        &db,
        FunctionFields {
            name: "Kundtjänst".into(),
            criticality: Criticality::NotCritical,
            assessed_on: Some(date(2025, 5, 1)),
            rto_hours: Some(72),
            rpo_hours: Some(24),
            ..FunctionFields::default()
        },
    )
    .unwrap()
    .id;
    sign_in(&db, "olivia");
    // A service supporting no function: an empty key; a subsequent
    // contract whose overarching contract is not in the register: a
    // foreign key with nothing to point at; an ultimate parent named
    // without an identifier: the most common rejection.
    let mut orphan = service("Support", "AVT-2024-2", &second);
    orphan.functions.clear();
    orphan.contract_arrangement = Some(ContractArrangement::Subsequent);
    orphan.overarching_contract = "RAM-2020-9".into();
    let mut other = swedish_supplier("Ensam AB");
    other.lei = "529900T8BM49AURSDO55".into(); // the same LEI as Molnet AB
    other.parent_name = "Okänd Moder AB".into();
    other.parent_country = "SE".into();
    let other = create_supplier(&db, other).unwrap().supplier.id;
    add_service(&db, other, orphan).unwrap();
    let _ = supplier;

    let package = dora::package(&db, reference()).unwrap();
    let problems = package.problems.clone();
    // Every problem's row is the row it names: the one from its source.
    for p in &problems {
        if let Some(row) = p.row {
            let table = package
                .tables
                .iter()
                .find(|t| t.template.code == p.template)
                .unwrap();
            assert_eq!(
                table.rows[row as usize - 2].origin.said(),
                p.source,
                "{p:?}"
            );
        }
    }
    let expect = |template: &str, column: &str, field: &str, source: &str| {
        assert!(
            problems.iter().any(|p| p.template == template
                && p.column == column
                && p.field == field
                && p.source == source
                && p.row.is_some()),
            "{template} {column} {field} {source} not in {:#?}",
            places(&problems)
        );
    };
    expect(
        "B_06.01",
        "c0020",
        "function.licensed_activity",
        &format!("function {second} Kundtjänst"),
    );
    expect(
        "B_02.02",
        "c0050",
        "service.functions",
        "supplier Ensam AB, contract AVT-2024-2, service Support",
    );
    expect(
        "B_02.03",
        "c0020",
        "service.overarching_contract",
        "supplier Ensam AB, contract AVT-2024-2",
    );
    expect("B_05.01", "c0010", "supplier.lei", "supplier Molnet AB");
    expect(
        "B_05.01",
        "c0110",
        "supplier.parent_identifier",
        "supplier Ensam AB",
    );
    // Each says where it came from.
    let orphaned = problems
        .iter()
        .find(|p| p.template == "B_02.02" && p.column == "c0050")
        .unwrap();
    assert_eq!(
        orphaned.source,
        "supplier Ensam AB, contract AVT-2024-2, service Support"
    );
    assert_eq!(orphaned.code, ValidationCode::Required);
    let duplicate = problems
        .iter()
        .find(|p| p.template == "B_05.01" && p.code == ValidationCode::Duplicate)
        .unwrap();
    assert!(
        duplicate.message.contains("529900T8BM49AURSDO55"),
        "{duplicate:?}"
    );

    // Refused, every problem listed in one run, nothing written.
    let out = tempfile::tempdir().unwrap();
    let refused = dora::export(&db, reference(), false, out.path()).unwrap_err();
    let listed = refused.field_errors();
    assert_eq!(listed.len(), problems.len());
    assert!(
        listed.iter().any(|e| e.field == "B_02.02 c0050"
            && e.row == Some(2)
            && e.message.contains("Ensam AB")
            && e.message.contains("service.functions")),
        "{listed:#?}"
    );
    assert!(written(out.path()).is_empty(), "nothing written");
    // A draft is written anyway, named as one, with its problems; the
    // independent reader refuses it too.
    let draft = dora::export(&db, reference(), true, out.path()).unwrap();
    assert!(draft.draft && draft.file_name.starts_with("DRAFT-"));
    assert_eq!(draft.problems.len(), problems.len());
    let files = written(out.path());
    assert_eq!(files.len(), 1);
    let reread = reread(&files[0]).unwrap_err();
    assert!(reread.contains("does not match the pattern"), "{reread}");
    assert!(
        reread.contains("B_02.02 row 2: an empty key cell"),
        "{reread}"
    );
    assert!(reread.contains("has no row in B_02.01.c0010"), "{reread}");
    assert!(reread.contains("B_05.01 row 3: duplicate key"), "{reread}");
    assert!(
        reread.contains("B_05.01 row 2 c0110: mandatory and empty"),
        "{reread}"
    );
}

#[test]
fn cells_out_of_form_and_indicators_that_disagree_are_named() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    clean_register(&db, dir.path());
    let mut package = dora::package(&db, reference()).unwrap();
    assert!(package.problems.is_empty());
    let mut set = |template: &str, column: &str, value: &str| {
        let table = package
            .tables
            .iter_mut()
            .find(|t| t.template.code == template)
            .unwrap();
        let at = table.template.position(column).unwrap();
        table.rows[0].cells[at] = value.into();
    };
    set("B_02.02", "c0060", "eba_TA:S99"); // a code outside its list
    set("B_02.02", "c0180", "Material reliance"); // a label, not a code
    set("B_06.01", "c0070", "2025-13-01"); // not a date
    set("B_01.02", "c0110", "48,5"); // not a number
    set("B_05.01", "c0010", "529900T8BM49AURSDO56"); // LEI check digits fail
    set("B_02.02", "c0150", "SE"); // a country without its prefix
    package
        .indicators
        .iter_mut()
        .find(|(t, _)| t == "B_01.03")
        .unwrap()
        .1 = true;
    dora::recheck(&mut package);
    let found = places(&package.problems);
    for (template, column) in [
        ("B_02.02", "c0060"),
        ("B_02.02", "c0180"),
        ("B_06.01", "c0070"),
        ("B_01.02", "c0110"),
        ("B_05.01", "c0010"),
        ("B_02.02", "c0150"),
        ("B_01.03", ""),
    ] {
        assert!(
            found
                .iter()
                .any(|(t, _, c, _)| t == template && c == column),
            "{template} {column} not in {found:#?}"
        );
    }
    // The LEI changed in B_05.01 leaves the rows pointing at it unresolved.
    assert!(
        package.problems.iter().any(|p| p.template == "B_02.02"
            && p.column == "c0030"
            && p.code == ValidationCode::UnknownValue),
        "{found:#?}"
    );
}

#[test]
fn the_generated_register_exports_once_its_providers_have_an_audit_date() {
    let clock =
        tillit::context::SharedClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap());
    let db = crate::support::fresh()
        .with_clock(clock.clone())
        .with_ids(tillit::context::SeededIds::new(5));
    tillit::dev::register(
        &db,
        &clock,
        &tillit::dev::SeedOptions {
            suppliers: 80,
            seed: 5,
            as_of: date(2026, 11, 2),
            password: crate::support::PASSWORD.into(),
        },
    )
    .unwrap();
    clock.set(Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap());
    describe_organisation(&db);
    let reference = date(2026, 10, 31);
    let problems = dora::package(&db, reference).unwrap().problems;
    // What the generated register lacks is the date of the last audit of
    // providers with neither evidence nor a decided assessment: nothing else.
    assert!(
        problems.iter().all(
            |p| (p.template.as_str(), p.column.as_str(), p.field.as_str())
                == ("B_07.01", "c0070", "evidence")
        ),
        "{:#?}",
        places(&problems)
    );
    let lacking: std::collections::BTreeSet<String> =
        problems.iter().map(|p| p.source.clone()).collect();
    let dir = tempfile::tempdir().unwrap();
    for detail in tillit::supplier::all_details(&db).unwrap() {
        let name = &detail.supplier.fields.legal_name;
        if lacking
            .iter()
            .any(|source| source.starts_with(&format!("supplier {name},")))
        {
            add_evidence(
                &db,
                detail.supplier.id,
                evidence(EvidenceKind::Iso27001, date(2027, 6, 30)),
                None,
                dir.path(),
            )
            .unwrap();
        }
    }
    let out = tempfile::tempdir().unwrap();
    let export = dora::export(&db, reference, false, out.path()).unwrap();
    assert!(export.problems.is_empty());
    let report = reread(&written(out.path())[0]).unwrap_or_else(|problems| panic!("{problems}"));
    for template in [
        "B_01.01", "B_02.01", "B_02.02", "B_05.01", "B_05.02", "B_06.01", "B_07.01",
    ] {
        let rows: usize = report
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{template} ")))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(rows > 0, "{template}: {report}");
    }
}

#[test]
fn the_command_line_writes_the_package_or_lists_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    {
        let db = Db::open(&path)
            .unwrap()
            .with_clock(tillit::context::FixedClock(
                Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
            ));
        crate::support::add_users(&db);
        clean_register(&db, dir.path());
    }
    let tillit = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
            .arg("--db")
            .arg(&path)
            .args(args)
            .env_remove("TILLIT_DB")
            .env("LC_ALL", "C.UTF-8")
            .env("TILLIT_USER", "olivia")
            .env("TILLIT_PASSWORD", crate::support::PASSWORD)
            .output()
            .unwrap()
    };
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().to_str().unwrap();
    let missing = tillit(&["export", "--format", "dora-roi", "--out", folder]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ref_date"));

    let done = tillit(&[
        "export",
        "--format",
        "dora-roi",
        "--ref-date",
        "2025-12-31",
        "--out",
        folder,
    ]);
    let said = String::from_utf8_lossy(&done.stdout).into_owned();
    assert!(
        done.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        said.starts_with("Wrote 506700GE1G29325QX363.IND_SE_DORA010100_DORA_2025-12-31_"),
        "{said}"
    );
    assert!(said.contains("B_05.02        3 rows"), "{said}");
    let files = written(out.path());
    assert_eq!(files.len(), 1);
    reread(&files[0]).unwrap_or_else(|problems| panic!("{problems}"));

    // A provider whose service supports no function: refused, each problem
    // on its own line, nothing more written.
    {
        let db = Db::open(&path).unwrap();
        sign_in(&db, "olivia");
        let mut fields = swedish_supplier("Ensam AB");
        fields.lei = "5493001KJTIIGC8Y1R12".into();
        let other = create_supplier(&db, fields).unwrap().supplier.id;
        let mut lonely = service("Support", "AVT-2024-2", "F1");
        lonely.functions.clear();
        add_service(&db, other, lonely).unwrap();
    }
    let refused = tillit(&[
        "export",
        "--format",
        "dora-roi",
        "--ref-date",
        "2025-12-31",
        "--out",
        folder,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let errors = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(
        errors.contains("B_02.02 c0050")
            && errors.contains("supplier Ensam AB, contract AVT-2024-2, service Support"),
        "{errors}"
    );
    assert_eq!(written(out.path()).len(), 1, "nothing more written");
    let draft = tillit(&[
        "export",
        "--format",
        "dora-roi",
        "--ref-date",
        "2025-12-31",
        "--out",
        folder,
        "--draft",
    ]);
    let said = String::from_utf8_lossy(&draft.stdout).into_owned();
    assert!(draft.status.success(), "{said}");
    assert!(
        said.starts_with("Wrote DRAFT-") && said.contains("problems remain"),
        "{said}"
    );
    assert_eq!(written(out.path()).len(), 2);
}
