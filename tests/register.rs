//! The register: operations, the workflow guard, evidence files and the list.

use crate::support::{db, swedish_supplier};
use tillit::rules::RiskBand;
use tillit::supplier::follow_up::ReviewDue;
use tillit::supplier::*;
use tillit::Error;

#[test]
fn a_new_supplier_starts_as_a_draft_and_offboarding_needs_a_reason() {
    let db = db();
    let detail = create_supplier(&db, swedish_supplier("Städ & Service AB")).unwrap();
    assert_eq!(detail.supplier.status, SupplierStatus::Draft);

    let error = offboard_supplier(&db, detail.supplier.id, " ").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "offboarding_reason");

    let offboarded =
        offboard_supplier(&db, detail.supplier.id, "Contract ended 2026-02-28").unwrap();
    assert_eq!(offboarded.supplier.status, SupplierStatus::Offboarded);
    assert_eq!(
        offboarded.supplier.offboarding_reason.as_deref(),
        Some("Contract ended 2026-02-28")
    );

    let error =
        update_supplier(&db, detail.supplier.id, swedish_supplier("Renamed AB")).unwrap_err();
    assert!(
        matches!(error, Error::NotAllowed(_)),
        "an offboarded supplier cannot be edited: {error:?}"
    );
}

#[test]
fn editing_a_supplier_never_changes_its_status() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Status AB"))
        .unwrap()
        .supplier
        .id;
    let detail = update_supplier(&db, id, swedish_supplier("Status AB (nytt namn)")).unwrap();
    assert_eq!(detail.supplier.status, SupplierStatus::Draft);
    assert_eq!(detail.supplier.fields.legal_name, "Status AB (nytt namn)");
}

#[test]
fn services_keep_their_storage_and_access_countries() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Moln AB"))
        .unwrap()
        .supplier
        .id;
    let fields = ServiceFields {
        name: "E-post".into(),
        data_classification: DataClassification::Confidential,
        personal_data: PersonalData::Personal,
        storage_countries: vec!["se".into(), "FI".into(), "SE".into()],
        access_countries: vec!["IN".into()],
        reliance: Reliance::Material,
        substitutability: Substitutability::HighlyComplex,
        ..ServiceFields::default()
    };
    let detail = add_service(&db, id, fields).unwrap();
    let service = &detail.services[0];
    assert_eq!(
        service.fields.storage_countries,
        ["FI", "SE"],
        "normalised, sorted, without duplicates"
    );
    assert_eq!(service.fields.access_countries, ["IN"]);

    let mut changed = service.fields.clone();
    changed.access_countries = vec![];
    let detail = update_service(&db, service.id, changed).unwrap();
    assert!(detail.services[0].fields.access_countries.is_empty());
    let detail = remove_service(&db, service.id).unwrap();
    assert!(detail.services.is_empty());
}

#[test]
fn a_service_saved_by_someone_else_since_the_form_opened_is_not_overwritten() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Moln AB"))
        .unwrap()
        .supplier
        .id;
    let fields = ServiceFields {
        name: "E-post".into(),
        storage_countries: vec!["SE".into()],
        ..ServiceFields::default()
    };
    let service = add_service(&db, id, fields).unwrap().services[0].clone();
    let opened = service.fields.clone();
    // Magnus's colleague saves first …
    crate::support::grant_roles(&db, "magnus", &[tillit::approval::Role::ProcurementOfficer]);
    crate::support::sign_in(&db, "magnus");
    let mut first = opened.clone();
    first.storage_countries = vec!["SE".into(), "FI".into()];
    update_service_based_on(&db, service.id, first, Some(opened.clone())).unwrap();
    // … and Olivia's save of what she opened is refused, naming him.
    crate::support::sign_in(&db, "olivia");
    let mut second = opened.clone();
    second.description = "Mail for everyone".into();
    let refused = update_service_based_on(&db, service.id, second, Some(opened)).unwrap_err();
    match &refused {
        Error::Stale { what, by, .. } => {
            assert_eq!(what, "E-post");
            assert_eq!(by, "Magnus Manager");
        }
        other => panic!("not a stale save: {other}"),
    }
    let now = supplier_detail(&db, id).unwrap().services[0].fields.clone();
    assert_eq!(now.storage_countries, ["FI", "SE"]);
    assert_eq!(now.description, "");
}

#[test]
fn a_subcontractor_saved_by_someone_else_since_the_form_opened_is_not_overwritten() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;
    let fields = SubcontractorFields {
        name: "Hall AB".into(),
        country: "SE".into(),
        role: "Data centre".into(),
        stores_data: true,
        ..SubcontractorFields::default()
    };
    let sub = add_subcontractor(&db, id, fields).unwrap().subcontractors[0].clone();
    let opened = sub.fields.clone();
    crate::support::grant_roles(&db, "magnus", &[tillit::approval::Role::ProcurementOfficer]);
    crate::support::sign_in(&db, "magnus");
    let mut first = opened.clone();
    first.country = "US".into();
    update_subcontractor_based_on(&db, sub.id, first, Some(opened.clone())).unwrap();
    crate::support::sign_in(&db, "olivia");
    let mut second = opened.clone();
    second.role = "Backup site".into();
    let refused = update_subcontractor_based_on(&db, sub.id, second, Some(opened)).unwrap_err();
    match &refused {
        Error::Stale { what, by, .. } => {
            assert_eq!(what, "Hall AB");
            assert_eq!(by, "Magnus Manager");
        }
        other => panic!("not a stale save: {other}"),
    }
    let detail = supplier_detail(&db, id).unwrap();
    let now = &detail.subcontractors[0].fields;
    assert_eq!(
        (now.country.as_str(), now.role.as_str()),
        ("US", "Data centre")
    );
    assert!(detail.exposure.exposed, "the first save's exposure stands");
    // Saved on what is there now, the same change goes through.
    let mut again = now.clone();
    again.role = "Backup site".into();
    let saved = update_subcontractor_based_on(&db, sub.id, again, Some(now.clone())).unwrap();
    assert_eq!(saved.subcontractors[0].fields.role, "Backup site");
}

#[test]
fn an_evidence_file_is_stored_once_under_its_sha256() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Intyg AB"))
        .unwrap()
        .supplier
        .id;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("ISO 27001 certifikat.pdf");
    std::fs::write(&source, b"%PDF-1.7 certificate").unwrap();
    let store = dir.path().join("evidence");
    let fields = EvidenceFields {
        kind: EvidenceKind::Iso27001,
        valid_until: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
        ..EvidenceFields::default()
    };

    add_evidence(&db, id, fields.clone(), Some(&source), &store).unwrap();
    let detail = add_evidence(&db, id, fields, Some(&source), &store).unwrap();

    let file = detail.evidence[0].file.clone().unwrap();
    use sha2::Digest;
    assert_eq!(
        file.sha256,
        format!("{:x}", sha2::Sha256::digest(b"%PDF-1.7 certificate"))
    );
    assert!(
        store.join(&file.sha256).is_file(),
        "stored under its SHA-256"
    );
    assert_eq!(file.file_name, "ISO 27001 certifikat.pdf");
    assert_eq!(
        std::fs::read_dir(&store).unwrap().count(),
        1,
        "the same content is kept once"
    );
    let stored = evidence_file_path(&db, detail.evidence[0].id, &store).unwrap();
    assert_eq!(std::fs::read(stored).unwrap(), b"%PDF-1.7 certificate");
}

#[test]
fn evidence_is_valid_from_its_start_to_its_end_inclusive() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let evidence = Evidence::judged(
        EvidenceId(uuid::Uuid::nil()),
        SupplierId(uuid::Uuid::nil()),
        EvidenceFields {
            valid_from: Some(d(2025, 1, 1)),
            valid_until: Some(d(2025, 12, 31)),
            ..EvidenceFields::default()
        },
        None,
        chrono::Utc::now(),
    );
    assert!(!evidence.is_valid_on(d(2024, 12, 31)));
    assert!(evidence.is_valid_on(d(2025, 1, 1)));
    assert!(evidence.is_valid_on(d(2025, 12, 31)));
    assert!(!evidence.is_valid_on(d(2026, 1, 1)));
}

fn seed_register(db: &tillit::Db) {
    let entries = [
        ("Örebro IT AB", Tier::Critical, "SE", None),
        ("Alfa Konsult AB", Tier::Standard, "SE", None),
        ("Beta Cloud GmbH", Tier::Essential, "DE", None),
        ("Gamma Hosting Inc.", Tier::Critical, "US", Some("US")),
        ("åkeriet i norr ab", Tier::Essential, "SE", None),
    ];
    for (name, tier, country, parent) in entries {
        let mut fields = swedish_supplier(name);
        fields.tier = tier;
        fields.country_of_headquarters = country.into();
        if country != "SE" {
            fields.country_of_incorporation = country.into();
            fields.registration_number = String::new();
        }
        if let Some(parent) = parent {
            fields.parent_name = "Gamma Holdings".into();
            fields.parent_country = parent.into();
        }
        create_supplier(db, fields).unwrap();
    }
}

fn names(page: &RegisterPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.legal_name.as_str()).collect()
}

#[test]
fn the_register_searches_filters_sorts_and_counts() {
    let db = db();
    seed_register(&db);

    let all = list_register(&db, &RegisterQuery::default()).unwrap();
    assert_eq!(all.total, 5);
    assert_eq!(
        names(&all),
        [
            "Alfa Konsult AB",
            "Beta Cloud GmbH",
            "Gamma Hosting Inc.",
            "åkeriet i norr ab",
            "Örebro IT AB"
        ],
        "in Swedish alphabetical order: å, ä, ö after z, regardless of case"
    );
    assert_eq!(all.by_tier.critical, 2);
    assert_eq!(all.exposed, 1);

    let search = list_register(
        &db,
        &RegisterQuery {
            search: "ÅKERIET".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        names(&search),
        ["åkeriet i norr ab"],
        "search ignores case, also of å ä ö"
    );

    let by_number = list_register(
        &db,
        &RegisterQuery {
            search: "556012".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(by_number.rows.len(), 3, "search by organisation number");

    let critical = list_register(
        &db,
        &RegisterQuery {
            tier: Some(Tier::Critical),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(names(&critical), ["Gamma Hosting Inc.", "Örebro IT AB"]);
    assert_eq!(critical.total, 5, "the total counts the whole register");

    let exposed = list_register(
        &db,
        &RegisterQuery {
            exposed: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(names(&exposed), ["Gamma Hosting Inc."]);

    let german = list_register(
        &db,
        &RegisterQuery {
            country: Some("de".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(names(&german), ["Beta Cloud GmbH"]);

    let by_tier = list_register(
        &db,
        &RegisterQuery {
            sort: SortKey::Tier,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        by_tier.rows.iter().map(|r| r.tier).collect::<Vec<_>>(),
        [
            Tier::Critical,
            Tier::Critical,
            Tier::Essential,
            Tier::Essential,
            Tier::Standard
        ]
    );

    let descending = list_register(
        &db,
        &RegisterQuery {
            sort: SortKey::Country,
            descending: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(descending.rows[0].country, "US");

    let drafts = list_register(
        &db,
        &RegisterQuery {
            status: Some(SupplierStatus::Draft),
            search: "%".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        drafts.rows.is_empty(),
        "a % in the search is a literal character, not a wildcard"
    );
}

/// The register list as SQL would give it: the oracle the in-memory list is
/// compared with (search as LIKE on the search key, sort on one column, then
/// by name and id).
fn listed_by_sql(db: &tillit::Db, query: &RegisterQuery) -> Vec<String> {
    let mut filters = vec!["1 = 1".to_owned()];
    let mut params: Vec<String> = Vec::new();
    let search = query.search.trim().to_lowercase();
    if !search.is_empty() {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        params.push(format!("%{escaped}%"));
        filters.push(format!("search_key LIKE ?{} ESCAPE '\\'", params.len()));
    }
    if let Some(tier) = query.tier {
        params.push(tier.as_str().into());
        filters.push(format!("tier = ?{}", params.len()));
    }
    if let Some(status) = query.status {
        params.push(status.as_str().into());
        filters.push(format!("status = ?{}", params.len()));
    }
    if let Some(exposed) = query.exposed {
        filters.push(format!("exposed = {}", i32::from(exposed)));
    }
    if let Some(country) = &query.country {
        params.push(country.to_ascii_uppercase());
        filters.push(format!("country_of_headquarters = ?{}", params.len()));
    }
    let today = db.now().date_naive();
    // The highest level of the services in the supplier's latest assessment, ranked.
    let level = "(SELECT max(CASE sa.risk_level WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 \
                 WHEN 'critical' THEN 4 END) FROM service_assessment sa WHERE sa.assessment_id = \
                 (SELECT b.id FROM assessment b WHERE b.supplier_id = s.id ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1))";
    let under_review =
        "status IN ('approved', 'approved_with_conditions', 'reassessment_required')";
    match query.review {
        Some(ReviewDue::Overdue) => {
            filters.push(format!("{under_review} AND next_review_on < '{today}'"))
        }
        Some(ReviewDue::DueSoon) => filters.push(format!(
            "{under_review} AND next_review_on BETWEEN '{today}' AND '{}'",
            today + chrono::Days::new(60)
        )),
        None => {}
    }
    if let Some(band) = query.risk_level {
        let rank = match band {
            RiskBand::Low => 1,
            RiskBand::Medium => 2,
            RiskBand::High => 3,
            RiskBand::Critical => 4,
        };
        filters.push(format!("{level} = {rank}"));
    }
    let next_review = "next_review_on IS NULL, next_review_on".to_owned();
    let risk = format!("{level} IS NULL, {level}");
    let column = match query.sort {
        SortKey::NextReview => next_review.as_str(),
        SortKey::RiskLevel => risk.as_str(),
        SortKey::Name => "sort_key",
        SortKey::RegistrationNumber => "registration_number",
        SortKey::Country => "country_of_headquarters",
        SortKey::Tier => "CASE tier WHEN 'critical' THEN 0 WHEN 'essential' THEN 1 ELSE 2 END",
        SortKey::Status => {
            "CASE status WHEN 'draft' THEN 0 WHEN 'in_assessment' THEN 1 WHEN 'reassessment_required' THEN 2 \
             WHEN 'approved_with_conditions' THEN 3 WHEN 'approved' THEN 4 WHEN 'rejected' THEN 5 ELSE 6 END"
        }
        SortKey::Exposed => "exposed",
        SortKey::Services => "(SELECT count(*) FROM service v WHERE v.supplier_id = s.id)",
        SortKey::UpdatedAt => "updated_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    db.read(|conn| {
        let sql = format!(
            "SELECT id FROM supplier s WHERE {} ORDER BY {column} {direction}, sort_key, id",
            filters.join(" AND ")
        );
        Ok(conn
            .prepare(&sql)?
            .query_map(tillit::store::sql::params_from_iter(&params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    })
    .unwrap()
}

fn generated_register() -> tillit::Db {
    crate::support::generated(150, 7)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the officer asks, the list holds the rows SQL would give, in
    /// the same order, with the same counts.
    #[test]
    fn the_register_list_gives_what_sql_gives_for_any_query(
        search in proptest::sample::select(vec!["", "ab", "AB", "oy", "1", "55", "%", "_", "\\", " a ", "ö", "Drift", "x_y"]),
        tier in proptest::option::of(proptest::sample::select(Tier::ALL.to_vec())),
        status in proptest::option::of(proptest::sample::select(SupplierStatus::ALL.to_vec())),
        exposed in proptest::option::of(proptest::bool::ANY),
        country in proptest::option::of(proptest::sample::select(vec!["SE", "se", "US", "DE", "FI"])),
        review in proptest::option::of(proptest::sample::select(ReviewDue::ALL.to_vec())),
        risk_level in proptest::option::of(proptest::sample::select(vec![
            RiskBand::Low, RiskBand::Medium, RiskBand::High, RiskBand::Critical,
        ])),
        sort in proptest::sample::select(vec![
            SortKey::Name, SortKey::RegistrationNumber, SortKey::Country, SortKey::Tier,
            SortKey::Status, SortKey::Exposed, SortKey::Services, SortKey::UpdatedAt,
            SortKey::NextReview, SortKey::RiskLevel,
        ]),
        descending in proptest::bool::ANY,
    ) {
        thread_local! {
            static DB: tillit::Db = generated_register();
        }
        let query = RegisterQuery {
            search: search.into(),
            tier,
            status,
            exposed,
            country: country.map(str::to_owned),
            review,
            risk_level,
            sort,
            descending,
        };
        DB.with(|db| {
            let page = list_register(db, &query).unwrap();
            let ids: Vec<String> = page.rows.iter().map(|r| r.id.to_string()).collect();
            assert_eq!(ids, listed_by_sql(db, &query), "{query:?}");
            assert_eq!(page.total, 150);
            let tiers = page.by_tier.critical + page.by_tier.essential + page.by_tier.standard;
            assert_eq!(tiers as usize, page.rows.len());
            assert_eq!(page.exposed as usize, page.rows.iter().filter(|r| r.exposed).count());
        });
    }
}

#[test]
fn the_register_list_shows_a_change_at_once_whether_made_here_or_by_another_program() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let db = tillit::Db::open(&path).unwrap();
    crate::support::add_users(&db);
    create_supplier(&db, swedish_supplier("Alfa AB")).unwrap();
    let everything = RegisterQuery::default();
    assert_eq!(
        names(&list_register(&db, &everything).unwrap()),
        ["Alfa AB"]
    );

    // Here: a new supplier and a renamed one.
    let beta = create_supplier(&db, swedish_supplier("Beta AB"))
        .unwrap()
        .supplier
        .id;
    assert_eq!(
        names(&list_register(&db, &everything).unwrap()),
        ["Alfa AB", "Beta AB"]
    );
    update_supplier(&db, beta, swedish_supplier("Aaa Beta AB")).unwrap();
    assert_eq!(
        names(&list_register(&db, &everything).unwrap()),
        ["Aaa Beta AB", "Alfa AB"]
    );

    // Another program (the command line while the window is open).
    let other = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&other, "olivia");
    create_supplier(&other, swedish_supplier("Gamma AB")).unwrap();
    assert_eq!(
        names(&list_register(&db, &everything).unwrap()),
        ["Aaa Beta AB", "Alfa AB", "Gamma AB"]
    );
}

/// The overview is kept between openings; a change made here or by another
/// program shows at once, and another day is computed for that day.
#[test]
fn the_overview_shows_a_change_at_once_whether_made_here_or_by_another_program() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let db = tillit::Db::open(&path).unwrap();
    crate::support::add_users(&db);
    create_supplier(&db, swedish_supplier("Alfa AB")).unwrap();
    let today = db.now().date_naive();
    let overview = |db: &tillit::Db, on| tillit::review::overview(db, on).unwrap();
    assert_eq!(overview(&db, today).suppliers, 1);
    assert_eq!(overview(&db, today).suppliers, 1);

    // Here.
    let beta = create_supplier(&db, swedish_supplier("Beta AB"))
        .unwrap()
        .supplier
        .id;
    assert_eq!(overview(&db, today).suppliers, 2);
    assert_eq!(overview(&db, today).by_tier.critical, 0);
    let mut critical = swedish_supplier("Beta AB");
    critical.tier = tillit::supplier::Tier::Critical;
    critical.tier_justification = "Driften av kärnsystemet".into();
    update_supplier(&db, beta, critical).unwrap();
    assert_eq!(overview(&db, today).by_tier.critical, 1);

    // Another program (the command line while the window is open).
    let other = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&other, "olivia");
    create_supplier(&other, swedish_supplier("Gamma AB")).unwrap();
    assert_eq!(overview(&db, today).suppliers, 3);

    // A sign-in notes itself in the trail and changes nothing shown; a
    // change followed by a sign-in is shown.
    crate::support::sign_in(&db, "magnus");
    assert_eq!(overview(&db, today).suppliers, 3);
    create_supplier(&other, swedish_supplier("Delta AB")).unwrap();
    crate::support::sign_in(&other, "magnus");
    crate::support::sign_in(&db, "olivia");
    assert_eq!(overview(&db, today).suppliers, 4);

    // Another day is that day's overview, and today's is still today's.
    let later = today + chrono::Days::new(400);
    assert_eq!(overview(&db, later).today, later);
    assert_eq!(overview(&db, today).today, today);
}

/// The window shows each evidence item's validity as the core judges it on
/// the core's today (2026-03-01 here), in the order of the evidence; the
/// register file never carries it.
#[test]
fn the_supplier_page_gets_each_evidence_items_validity_today_from_the_core() {
    let db = db();
    let id = create_supplier(&db, swedish_supplier("Intyg AB"))
        .unwrap()
        .supplier
        .id;
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
    let store = tempfile::tempdir().unwrap();
    let item = |kind, from, until| EvidenceFields {
        kind,
        valid_from: from,
        valid_until: until,
        ..EvidenceFields::default()
    };
    for fields in [
        item(EvidenceKind::Iso27001, d(2025, 1, 1), d(2026, 3, 1)),
        item(EvidenceKind::Iso27001, d(2024, 1, 1), d(2026, 2, 28)),
        item(EvidenceKind::Iso22301, d(2026, 3, 2), d(2028, 1, 1)),
        // A SOC 2 report whose period ended 2025-06-30 counts for 12 months.
        item(EvidenceKind::Soc2Type2, d(2024, 7, 1), d(2025, 6, 30)),
    ] {
        add_evidence(&db, id, fields, None, store.path()).unwrap();
    }
    let detail = supplier_detail(&db, id).unwrap();
    let by_until: Vec<(Option<chrono::NaiveDate>, Validity)> = detail
        .evidence
        .iter()
        .map(|e| e.fields.valid_until)
        .zip(detail.evidence_validity.iter().copied())
        .collect();
    assert_eq!(detail.evidence_validity.len(), detail.evidence.len());
    assert!(
        by_until.contains(&(d(2026, 3, 1), Validity::Valid)),
        "{by_until:?}"
    );
    assert!(
        by_until.contains(&(d(2026, 2, 28), Validity::Expired)),
        "{by_until:?}"
    );
    assert!(
        by_until.contains(&(d(2028, 1, 1), Validity::NotYet)),
        "{by_until:?}"
    );
    assert!(
        by_until.contains(&(d(2025, 6, 30), Validity::Valid)),
        "{by_until:?}"
    );

    let mut file = Vec::new();
    tillit::interchange::json::export_stream(&db, &mut file).unwrap();
    let text = String::from_utf8(file).unwrap();
    assert!(
        !text.contains("evidence_validity"),
        "not in the register file"
    );
}

#[test]
fn every_service_of_a_heat_map_cell_can_be_listed_beyond_the_overviews_sample() {
    let db = generated_register();
    let overview = tillit::review::overview(&db, db.now().date_naive()).unwrap();
    let crowded = overview
        .heat_map
        .iter()
        .max_by_key(|c| c.count)
        .expect("a cell");
    assert!(
        crowded.count as usize > crowded.services.len(),
        "{crowded:?}"
    );
    for cell in &overview.heat_map {
        let all = tillit::review::heat_cell(&db, cell.likelihood, cell.impact).unwrap();
        assert_eq!(all.len(), cell.count as usize, "{cell:?}");
        for sampled in &cell.services {
            assert!(all.contains(sampled), "{sampled:?} in the cell's full list");
        }
    }
    assert!(tillit::review::heat_cell(&db, 9, 9).unwrap().is_empty());
}
