//! The supplier and its jurisdiction, with the reasoning of its exposure.

use super::AssessmentReport;
use crate::report::pdf::{colour, Cell, Column, Doc};
use crate::report::Words;
use crate::settings::Language;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let f = &report.detail.supplier.fields;
    doc.heading(w.t(
        "2. Supplier and jurisdiction",
        "2. Leverantör och jurisdiktion",
    ));
    let mut facts: Vec<(String, String)> = vec![
        (
            w.t("Legal name", "Juridiskt namn").into(),
            f.legal_name.clone(),
        ),
        (
            w.t("Registration number", "Organisationsnummer").into(),
            f.registration_number.clone(),
        ),
        ("LEI".into(), f.lei.clone()),
        ("EUID".into(), f.euid.clone()),
        (
            w.t("VAT number", "Momsregistreringsnummer").into(),
            f.vat_number.clone(),
        ),
        (
            w.t("Incorporated in", "Registrerat i").into(),
            w.country(&f.country_of_incorporation),
        ),
        (
            w.t("Headquartered in", "Huvudkontor i").into(),
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
        facts.push((w.t("Ultimate parent", "Yttersta moderbolag").into(), parent));
    }
    facts.extend([
        (w.t("Website", "Webbplats").into(), f.website.clone()),
        (
            w.t("Supplier contact", "Kontaktperson hos leverantören")
                .into(),
            [f.contact_name.as_str(), f.contact_email.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            w.t("Relationship owner", "Ansvarig hos oss").into(),
            f.internal_owner.clone(),
        ),
        (
            w.t(
                "EU–US Data Privacy Framework",
                "EU–US Data Privacy Framework",
            )
            .into(),
            w.yes_no(f.dpf_certified).into(),
        ),
    ]);
    facts.retain(|(_, v)| !v.is_empty());
    doc.facts(&facts);

    doc.subheading(w.t(
        "Exposure to foreign access law (US CLOUD Act)",
        "Exponering för utländsk lagstiftning (amerikanska CLOUD Act)",
    ));
    let exposure = &report.detail.exposure;
    doc.paragraph(if exposure.derived {
        w.t(
            "Derived from the supply chain: the supplier's services are exposed, because:",
            "Härlett ur leveranskedjan: leverantörens tjänster är exponerade, eftersom:",
        )
    } else {
        w.t(
            "Derived from the supply chain: not exposed. No entity of the supply chain is incorporated or headquartered in an exposing jurisdiction.",
            "Härlett ur leveranskedjan: inte exponerade. Inget bolag i leveranskedjan är registrerat eller har huvudkontor i en exponerande jurisdiktion.",
        )
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
            w.t(
                "An officer overrode the derivation:",
                "En handläggare har gjort avsteg från härledningen:"
            ),
            if o.exposed {
                w.t("exposed", "exponerad")
            } else {
                w.t("not exposed", "inte exponerad")
            },
            w.t("Justification:", "Motivering:"),
            o.justification
        ));
    }
    doc.note(w.t(
        "Where the data is stored does not matter: storing data in the EU does not remove the exposure.",
        "Var data lagras spelar ingen roll: att data lagras inom EU tar inte bort exponeringen.",
    ));

    if !report.detail.subcontractors.is_empty() {
        doc.subheading(w.t("Subcontractors", "Underleverantörer"));
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
                Column::new(w.t("Name", "Namn"), 3.0),
                Column::new(w.t("Country", "Land"), 2.0),
                Column::new(w.t("Role", "Roll"), 3.0),
                Column::new(w.t("Stores our data", "Lagrar vår data"), 1.2),
                Column::new(w.t("Accesses our data", "Når vår data"), 1.2),
            ],
            &rows,
        );
    }

    doc.subheading(w.t(
        "Certificates and assurance reports",
        "Certifikat och granskningsrapporter",
    ));
    if report.detail.evidence.is_empty() {
        doc.note(w.t("None registered.", "Inga registrerade."));
    } else {
        let on = report
            .assessment
            .as_ref()
            .map_or_else(|| report.generated.today(), |a| a.assessed_on);
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
                vec![
                    kind.into(),
                    e.fields.issuer.clone().into(),
                    e.fields.scope.clone().into(),
                    period.into(),
                    Cell::from(if valid { "✓" } else { "✗" })
                        .colour(if valid { colour::GOOD } else { colour::ALERT })
                        .bold(),
                    file.into(),
                ]
            })
            .collect();
        let valid_title = match w.0 {
            Language::En => format!("Valid on {on}"),
            Language::Sv => format!("Giltig {on}"),
        };
        doc.table(
            &[
                Column::new(w.t("Kind", "Typ"), 2.6),
                Column::new(w.t("Issuer", "Utfärdare"), 1.8),
                Column::new(w.t("Scope", "Omfattning"), 2.4),
                Column::new(w.t("Valid", "Giltighet"), 2.0),
                Column::new(&valid_title, 1.1),
                Column::new(w.t("File", "Fil"), 2.2),
            ],
            &rows,
        );
    }

    doc.subheading(w.t("Services", "Tjänster"));
    if report.detail.services.is_empty() {
        doc.note(w.t("No services registered.", "Inga tjänster registrerade."));
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
                    w.yes_no(s.fields.supports_critical_function).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Service", "Tjänst"), 2.4),
                Column::new(w.t("Data classification", "Dataklassning"), 1.6),
                Column::new(w.t("Personal data", "Personuppgifter"), 1.8),
                Column::new(w.t("Stored in", "Lagras i"), 2.0),
                Column::new(w.t("Accessed from", "Nås från"), 2.0),
                Column::new(
                    w.t("Critical function (DORA)", "Kritisk funktion (DORA)"),
                    1.2,
                ),
            ],
            &rows,
        );
    }
}
