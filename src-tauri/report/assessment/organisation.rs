//! The supplier and its jurisdiction, with the reasoning of its exposure.

use super::AssessmentReport;
use crate::report::pdf::{colour, Cell, Column, Doc};
use crate::report::Words;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let f = &report.detail.supplier.fields;
    doc.heading(w.t("pdf.organisation.2_supplier_and_jurisdiction"));
    let mut facts: Vec<(String, String)> = vec![
        (w.t("field.legal_name").into(), f.legal_name.clone()),
        (
            w.t("pdf.organisation.registration_number").into(),
            f.registration_number.clone(),
        ),
        ("LEI".into(), f.lei.clone()),
        ("EUID".into(), f.euid.clone()),
        (w.t("field.vat_number").into(), f.vat_number.clone()),
        (
            w.t("pdf.organisation.incorporated_in").into(),
            w.country(&f.country_of_incorporation),
        ),
        (
            w.t("pdf.organisation.headquartered_in").into(),
            w.country(&f.country_of_headquarters),
        ),
    ];
    if !f.parent_name.is_empty() {
        let mut parent = f.parent_name.clone();
        if !f.parent_identifier.is_empty() {
            parent.push_str(&format!(" ({})", f.parent_identifier));
        }
        if !f.parent_country.is_empty() {
            parent.push_str(&format!(", {}", w.country(&f.parent_country)));
        }
        facts.push((w.t("pdf.organisation.ultimate_parent").into(), parent));
    }
    facts.extend([
        (w.t("field.website").into(), f.website.clone()),
        (
            w.t("pdf.organisation.supplier_contact").into(),
            [f.contact_name.as_str(), f.contact_email.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            w.t("pdf.organisation.relationship_owner").into(),
            f.internal_owner.clone(),
        ),
        (
            w.t("pdf.organisation.eu_us_data_privacy_framework").into(),
            w.yes_no(f.dpf_certified).into(),
        ),
    ]);
    facts.retain(|(_, v)| !v.is_empty());
    doc.facts(&facts);

    doc.subheading(w.t("exposure.title"));
    let exposure = &report.detail.exposure;
    doc.paragraph(if exposure.derived {
        w.t("pdf.organisation.derived_from_the_supply_chain_the")
    } else {
        w.t("pdf.organisation.derived_from_the_supply_chain_not")
    });
    let reasons: Vec<String> = exposure
        .reasons
        .iter()
        .map(|r| w.exposure_reason(r))
        .collect();
    doc.bullets(&reasons);
    if let Some(o) = &exposure.override_ {
        doc.paragraph(&format!(
            "{} {}. {} {}",
            w.t("pdf.organisation.an_officer_overrode_the_derivation"),
            if o.exposed {
                w.t("pdf.organisation.exposed")
            } else {
                w.t("pdf.organisation.not_exposed")
            },
            w.t("pdf.organisation.justification"),
            o.justification
        ));
    }
    doc.note(w.t("pdf.organisation.where_the_data_is_stored_does"));

    if !report.detail.subcontractors.is_empty() {
        doc.subheading(w.t("subcontractors.title"));
        let rows: Vec<Vec<Cell>> = report
            .detail
            .subcontractors
            .iter()
            .map(|s| {
                vec![
                    s.fields.name.clone().into(),
                    w.country(&s.fields.country).into(),
                    s.fields.role.clone().into(),
                    w.yes_no(s.fields.stores_data).into(),
                    w.yes_no(s.fields.accesses_data).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("col.name"), 3.0),
                Column::new(w.t("suppliers.filter.country"), 2.0),
                Column::new(w.t("pdf.organisation.role"), 3.0),
                Column::new(w.t("field.stores_data"), 1.2),
                Column::new(w.t("field.accesses_data"), 1.2),
            ],
            &rows,
        );
    }

    doc.subheading(w.t("pdf.organisation.certificates_and_assurance_reports"));
    if report.detail.evidence.is_empty() {
        doc.note(w.t("pdf.organisation.none_registered"));
    } else {
        let on = report
            .assessment
            .as_ref()
            .map_or_else(|| report.generated.today(), |a| a.assessed_on);
        // As assessed, and as of today when that is another day: a
        // certificate valid when it was relied on may have expired since.
        let today = report.generated.today();
        let mark = |valid: bool, later: bool| {
            let text = match (valid, later) {
                (true, _) => "✓".to_owned(),
                (false, false) => "✗".to_owned(),
                (false, true) => format!("✗ {}", w.t("pdf.organisation.not_valid_today")),
            };
            Cell::from(text)
                .colour(if valid { colour::GOOD } else { colour::ALERT })
                .bold()
        };
        let rows: Vec<Vec<Cell>> = report
            .detail
            .evidence
            .iter()
            .map(|e| {
                let valid = e.is_valid_on(on);
                let kind = if e.fields.title.is_empty() {
                    w.evidence_kind(e.fields.kind).to_owned()
                } else {
                    format!("{} – {}", w.evidence_kind(e.fields.kind), e.fields.title)
                };
                let period = format!(
                    "{} – {}",
                    e.fields
                        .valid_from
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    e.fields
                        .valid_until
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                );
                let file = e.file.as_ref().map_or_else(String::new, |f| {
                    format!(
                        "{} (SHA-256 {}…)",
                        f.file_name,
                        f.sha256.get(..12).unwrap_or(&f.sha256)
                    )
                });
                let mut row = vec![
                    kind.into(),
                    e.fields.issuer.clone().into(),
                    e.fields.scope.clone().into(),
                    period.into(),
                    mark(valid, false),
                ];
                if today != on {
                    row.push(mark(e.is_valid_on(today), true));
                }
                row.push(file.into());
                row
            })
            .collect();
        let valid_title = w.say("pdf.organisation.valid_on", &[("on", on.to_string())]);
        let today_title = w.say("pdf.organisation.valid_today", &[("on", today.to_string())]);
        let mut columns = vec![
            Column::new(w.t("field.kind"), 2.6),
            Column::new(w.t("field.issuer"), 1.8),
            Column::new(w.t("field.scope"), 2.4),
            Column::new(w.t("pdf.organisation.valid"), 2.0),
            Column::new(&valid_title, 1.1),
        ];
        if today != on {
            columns.push(Column::new(&today_title, 1.4));
        }
        columns.push(Column::new(w.t("settings.database.file"), 2.2));
        doc.table(&columns, &rows);
    }

    doc.subheading(w.t("col.services"));
    if report.detail.services.is_empty() {
        doc.note(w.t("services.none"));
    } else {
        let rows: Vec<Vec<Cell>> = report
            .detail
            .services
            .iter()
            .map(|s| {
                vec![
                    Cell::from(s.fields.name.clone()).bold(),
                    w.classification(s.fields.data_classification).into(),
                    w.personal_data(s.fields.personal_data).into(),
                    w.countries(&s.fields.storage_countries).into(),
                    w.countries(&s.fields.access_countries).into(),
                    w.yes_no(s.supports_critical_function).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("followUp.service"), 2.4),
                Column::new(w.t("pdf.organisation.data_classification"), 1.6),
                Column::new(w.t("personal.personal"), 1.8),
                Column::new(w.t("pdf.organisation.stored_in"), 2.0),
                Column::new(w.t("pdf.organisation.accessed_from"), 2.0),
                Column::new(w.t("pdf.organisation.critical_function_dora"), 1.2),
            ],
            &rows,
        );
    }
}
