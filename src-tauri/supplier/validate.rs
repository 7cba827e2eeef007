//! Validation of the register, in the core: every error names its field, and
//! all errors of one record are reported together. Validation also
//! normalises (trims text, upper-cases country codes, writes a Swedish
//! organisation number as `NNNNNN-NNNN`), so what is stored is canonical.

use super::types::{
    ContractArrangement, EvidenceFields, EvidenceFile, EvidenceKind, ServiceFields, ServiceId,
    SubcontractorFields, SubcontractorId, Substitutability, SupplierFields,
};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::jurisdiction::CountryCode;
pub use crate::text::{is_unsafe_char, plain_text, shown};

/// Longest accepted text of a name or short field, in characters.
pub const MAX_SHORT: usize = 300;
/// Longest accepted free text (notes, descriptions), in characters.
pub const MAX_LONG: usize = 20_000;

/// Collects the errors of one record.
#[derive(Debug, Default)]
pub struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    pub fn push(&mut self, field: &str, code: ValidationCode, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Trims `value`; reports it when empty.
    pub fn required(&mut self, field: &str, value: &mut String) {
        self.text(field, value, MAX_SHORT);
        if value.is_empty() {
            self.push(field, ValidationCode::Required, "is required");
        }
    }

    /// Trims `value`; reports it when longer than `max` characters, or
    /// when it holds a character [`plain_text`] refuses (a line break only
    /// in free text, longer than [`MAX_SHORT`]).
    pub fn text(&mut self, field: &str, value: &mut String, max: usize) {
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
        let length = value.chars().count();
        if length > max {
            self.push(
                field,
                ValidationCode::TooLong,
                format!("is {length} characters long; at most {max} are allowed"),
            );
        }
        if let Err(error) = plain_text(field, value, max > MAX_SHORT) {
            self.errors.push(error);
        }
    }

    /// Normalises a required country code.
    fn country(&mut self, field: &str, value: &mut String) {
        if value.trim().is_empty() {
            self.push(field, ValidationCode::Required, "is required");
        } else {
            self.optional_country(field, value);
        }
    }

    /// Normalises a country code that may be empty.
    fn optional_country(&mut self, field: &str, value: &mut String) {
        if value.trim().is_empty() {
            value.clear();
            return;
        }
        match CountryCode::parse_field(field, value) {
            Ok(code) => *value = code.as_str().to_owned(),
            Err(error) => self.errors.extend(error.field_errors().iter().cloned()),
        }
    }

    /// An optional ISO 4217 currency code, kept upper-case (`sek` is SEK).
    pub fn currency(&mut self, field: &str, value: &mut String) {
        *value = value.trim().to_ascii_uppercase();
        let iso_4217 = value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase());
        if !value.is_empty() && !iso_4217 {
            self.push(
                field,
                ValidationCode::Format,
                format!(
                    "{} is not an ISO 4217 code such as SEK or EUR",
                    crate::text::shown(value)
                ),
            );
        }
    }

    /// An optional registration number: a Swedish organisation number
    /// (written `NNNNNN-NNNN`, Luhn-checked) when `country` is SE.
    pub fn registration_number(&mut self, field: &str, value: &mut String, country: &str) {
        self.text(field, value, MAX_SHORT);
        if country == "SE" && !value.is_empty() {
            match swedish_org_number(value) {
                Ok(number) => *value = number,
                Err((code, message)) => self.push(field, code, message),
            }
        }
    }

    /// An optional LEI (ISO 17442), kept upper-case.
    pub fn lei(&mut self, field: &str, value: &mut String) {
        self.text(field, value, MAX_SHORT);
        if !value.is_empty() {
            match lei(value) {
                Ok(code) => *value = code,
                Err((code, message)) => self.push(field, code, message),
            }
        }
    }

    /// A recovery time and point objective, in hours: at most a year.
    pub fn recovery_objectives(&mut self, rto_hours: Option<u32>, rpo_hours: Option<u32>) {
        for (field, value) in [("rto_hours", rto_hours), ("rpo_hours", rpo_hours)] {
            if value.is_some_and(|hours| hours > 24 * 366) {
                self.push(
                    field,
                    ValidationCode::OutOfRange,
                    "must be at most a year (8784 hours)",
                );
            }
        }
    }

    /// The errors, if any, as one `Invalid` error.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

/// Checks a Swedish organisation number: ten digits `NNNNNN-NNNN` (the dash
/// may be left out) whose last digit is the Luhn check digit of the first
/// nine. Returns the number written with the dash.
pub fn swedish_org_number(text: &str) -> std::result::Result<String, (ValidationCode, String)> {
    let compact: String = text.trim().chars().filter(|c| *c != '-').collect();
    let well_formed = compact.len() == 10
        && compact.chars().all(|c| c.is_ascii_digit())
        && (text.trim().len() == 10 || text.trim().find('-') == Some(6));
    if !well_formed {
        return Err((
            ValidationCode::Format,
            format!(
                "{} is not a Swedish organisation number of the form NNNNNN-NNNN",
                shown(text)
            ),
        ));
    }
    let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
    if !luhn_sum(&digits).is_multiple_of(10) {
        return Err((
            ValidationCode::Checksum,
            format!("{} has a wrong check digit: the last of the ten digits is computed from the nine before it, so one of them is mistyped", shown(text)),
        ));
    }
    Ok(format!("{}-{}", &compact[..6], &compact[6..]))
}

fn luhn_sum(digits: &[u32]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum()
}

/// Checks a Legal Entity Identifier (ISO 17442): 20 characters, letters and
/// digits, the last two digits; read as a number with A=10 … Z=35 it is 1
/// modulo 97. Returns it in upper case.
pub fn lei(text: &str) -> std::result::Result<String, (ValidationCode, String)> {
    let code = text.trim().to_ascii_uppercase();
    let well_formed = code.len() == 20
        && code.chars().all(|c| c.is_ascii_alphanumeric())
        && code[18..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        return Err((
            ValidationCode::Format,
            format!(
                "{} is not an LEI: 20 letters and digits, ending in two check digits",
                shown(text)
            ),
        ));
    }
    let remainder = code.chars().fold(0u64, |acc, c| {
        let value = u64::from(c.to_digit(36).unwrap_or(0));
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    if remainder != 1 {
        return Err((
            ValidationCode::Checksum,
            format!("{} has wrong check digits (ISO 17442, mod 97)", shown(text)),
        ));
    }
    Ok(code)
}

/// Validates and normalises a supplier.
pub fn supplier(fields: &mut SupplierFields) -> Result<()> {
    let mut check = Check::default();
    check.required("legal_name", &mut fields.legal_name);
    check.country(
        "country_of_incorporation",
        &mut fields.country_of_incorporation,
    );
    check.country(
        "country_of_headquarters",
        &mut fields.country_of_headquarters,
    );
    check.registration_number(
        "registration_number",
        &mut fields.registration_number,
        &fields.country_of_incorporation,
    );
    check.lei("lei", &mut fields.lei);
    for (field, value) in [
        ("euid", &mut fields.euid),
        ("vat_number", &mut fields.vat_number),
        ("parent_name", &mut fields.parent_name),
        ("parent_identifier", &mut fields.parent_identifier),
        ("website", &mut fields.website),
        ("contact_name", &mut fields.contact_name),
        ("contact_email", &mut fields.contact_email),
        ("internal_owner", &mut fields.internal_owner),
    ] {
        check.text(field, value, MAX_SHORT);
    }
    check.optional_country("parent_country", &mut fields.parent_country);
    if !fields.parent_name.is_empty() && fields.parent_country.is_empty() {
        check.push(
            "parent_country",
            ValidationCode::Required,
            "is required when an ultimate parent is named",
        );
    }
    // A country alone names no company: "— (Sweden)" says nothing.
    if fields.parent_name.is_empty() && !fields.parent_country.is_empty() {
        check.push(
            "parent_name",
            ValidationCode::Required,
            "is required when the parent's country is given: name the parent company, or leave both empty",
        );
    }
    if !fields.contact_email.is_empty() && !looks_like_email(&fields.contact_email) {
        check.push(
            "contact_email",
            ValidationCode::Format,
            format!("{} is not an e-mail address", shown(&fields.contact_email)),
        );
    }
    check.text(
        "tier_justification",
        &mut fields.tier_justification,
        MAX_LONG,
    );
    check.text(
        "exposure_override_justification",
        &mut fields.exposure_override_justification,
        MAX_LONG,
    );
    if fields.exposure_override.is_some() && fields.exposure_override_justification.is_empty() {
        check.push(
            "exposure_override_justification",
            ValidationCode::Required,
            "overriding the derived exposure needs a written justification",
        );
    }
    check.text("notes", &mut fields.notes, MAX_LONG);
    check.finish()
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Validates and normalises a service.
pub fn service(fields: &mut ServiceFields) -> Result<()> {
    let mut check = Check::default();
    check.required("name", &mut fields.name);
    check.text("description", &mut fields.description, MAX_LONG);
    check.text("service_type", &mut fields.service_type, MAX_SHORT);
    for (field, countries) in [
        ("storage_countries", &mut fields.storage_countries),
        ("access_countries", &mut fields.access_countries),
    ] {
        for value in countries.iter_mut() {
            check.country(field, value);
        }
        countries.sort();
        countries.dedup();
    }
    if let Some(percent) = fields.sla_availability_percent {
        if !(0.0..=100.0).contains(&percent) || percent.is_nan() {
            check.push(
                "sla_availability_percent",
                ValidationCode::OutOfRange,
                format!("{percent} is not between 0 and 100"),
            );
        }
    }
    check.recovery_objectives(fields.rto_hours, fields.rpo_hours);
    for id in fields.functions.iter_mut() {
        *id = id.trim().to_ascii_uppercase();
        if !super::functions::is_function_id(id) {
            check.push(
                "functions",
                ValidationCode::Format,
                format!("{} is not a function's identifier (F1, F2 …)", shown(id)),
            );
        }
    }
    fields
        .functions
        .sort_by(|a, b| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
    fields.functions.dedup();
    for (field, value) in [
        (
            "notice_period_supplier_days",
            fields.notice_period_supplier_days,
        ),
        (
            "notice_period_customer_days",
            fields.notice_period_customer_days,
        ),
    ] {
        if value.is_some_and(|days| days > 3660) {
            check.push(
                field,
                ValidationCode::OutOfRange,
                "must be at most ten years (3660 days)",
            );
        }
    }
    if let (Some(start), Some(end)) = (fields.contract_start, fields.contract_end) {
        if end <= start {
            check.push(
                "contract_end",
                ValidationCode::DateOrder,
                format!("{end} is not after the contract start {start}"),
            );
        }
    }
    if let (Some(start), Some(renewal)) = (fields.contract_start, fields.renewal_date) {
        if renewal < start {
            check.push(
                "renewal_date",
                ValidationCode::DateOrder,
                format!("{renewal} is before the contract start {start}"),
            );
        }
    }
    check.text(
        "contract_reference",
        &mut fields.contract_reference,
        MAX_SHORT,
    );
    check.text(
        "overarching_contract",
        &mut fields.overarching_contract,
        MAX_SHORT,
    );
    let hard_to_replace = matches!(
        fields.substitutability,
        Substitutability::NotSubstitutable | Substitutability::HighlyComplex
    );
    if fields.substitutability_reason.is_some() && !hard_to_replace {
        check.push(
            "substitutability_reason",
            ValidationCode::Format,
            "is given only for a service that is not substitutable or highly complex to substitute",
        );
    }
    let subsequent = fields.contract_arrangement == Some(ContractArrangement::Subsequent);
    if subsequent && fields.overarching_contract.is_empty() {
        check.push(
            "overarching_contract",
            ValidationCode::Required,
            "is required for a subsequent or associated contract",
        );
    } else if !subsequent && !fields.overarching_contract.is_empty() {
        check.push(
            "overarching_contract",
            ValidationCode::Format,
            "is given only for a subsequent or associated contract",
        );
    } else if subsequent && fields.overarching_contract == fields.contract_reference {
        check.push(
            "overarching_contract",
            ValidationCode::Duplicate,
            "cannot be the contract itself",
        );
    }
    check.optional_country("governing_law_country", &mut fields.governing_law_country);
    if fields.annual_cost.is_some_and(|cost| cost < 0) {
        check.push(
            "annual_cost",
            ValidationCode::OutOfRange,
            "cannot be negative",
        );
    }
    check.currency("currency", &mut fields.currency);
    if fields.annual_cost.is_some() && fields.currency.is_empty() {
        check.push(
            "currency",
            ValidationCode::Required,
            "is required with an annual cost",
        );
    }
    check.text(
        "alternative_providers",
        &mut fields.alternative_providers,
        MAX_LONG,
    );
    check.finish()
}

/// Validates and normalises a subcontractor.
pub fn subcontractor(fields: &mut SubcontractorFields) -> Result<()> {
    let mut check = Check::default();
    check.required("name", &mut fields.name);
    check.country("country", &mut fields.country);
    check.registration_number(
        "registration_number",
        &mut fields.registration_number,
        &fields.country,
    );
    check.lei("lei", &mut fields.lei);
    check.text("role", &mut fields.role, MAX_LONG);
    check.finish()
}

/// Checks that a subcontractor is narrowed only to services of its supplier
/// (`services` are the supplier's), naming the field.
pub fn subcontractor_services(fields: &SubcontractorFields, services: &[ServiceId]) -> Result<()> {
    let mut check = Check::default();
    for id in &fields.services {
        if !services.contains(id) {
            check.push(
                "services",
                ValidationCode::UnknownValue,
                format!("{id} is not a service of this supplier"),
            );
        }
    }
    check.finish()
}

/// Checks where in the supplier's chain a subcontractor (`id`, none while
/// it is being added) works: for another of the supplier's subcontractors
/// (`others`, by id with whom each serves), never itself nor one that
/// works, however far down, for it.
pub fn subcontractor_chain(
    id: Option<SubcontractorId>,
    fields: &SubcontractorFields,
    others: &[(SubcontractorId, Option<SubcontractorId>, String)],
) -> Result<()> {
    let Some(serves) = fields.serves else {
        return Ok(());
    };
    let mut check = Check::default();
    let name_of = |of: SubcontractorId| others.iter().find(|(o, _, _)| *o == of);
    if Some(serves) == id {
        check.push(
            "serves",
            ValidationCode::Format,
            "cannot be the subcontractor itself",
        );
    } else if name_of(serves).is_none() {
        check.push(
            "serves",
            ValidationCode::UnknownValue,
            format!("{serves} is not a subcontractor of this supplier"),
        );
    } else if let Some(id) = id {
        // Up the chain from the one it would serve: reaching it is a loop.
        let mut at = Some(serves);
        let mut steps = 0;
        while let Some(current) = at {
            if current == id || steps > others.len() {
                let name = name_of(serves).map_or(String::new(), |(_, _, n)| n.clone());
                check.push(
                    "serves",
                    ValidationCode::Format,
                    format!(
                        "{} works for this subcontractor already: the chain would be a loop",
                        shown(&name)
                    ),
                );
                break;
            }
            at = name_of(current).and_then(|(_, up, _)| *up);
            steps += 1;
        }
    }
    check.finish()
}

/// Checks an evidence item's stored file as a register file carries it:
/// the SHA-256 names the copy in the evidence folder, so it must be exactly
/// 64 hexadecimal digits (stored in lower case); the file name is shown and
/// offered when saving a copy, so it must be a plain name, not a path.
pub fn evidence_file(file: &mut EvidenceFile) -> Result<()> {
    let mut check = Check::default();
    let hex = file.sha256.len() == 64 && file.sha256.chars().all(|c| c.is_ascii_hexdigit());
    if hex {
        file.sha256.make_ascii_lowercase();
    } else {
        check.push(
            "file.sha256",
            ValidationCode::Format,
            format!(
                "is not a SHA-256: it must be exactly 64 hexadecimal digits (0-9, a-f), and is {} characters",
                file.sha256.chars().count()
            ),
        );
    }
    check.text("file.file_name", &mut file.file_name, 255);
    let name = file.file_name.as_str();
    if name.is_empty() {
        check.push("file.file_name", ValidationCode::Required, "is required");
    } else if name == "." || name == ".." || name.contains(['/', '\\']) {
        check.push(
            "file.file_name",
            ValidationCode::Format,
            "must be a plain file name, without folders (no / or \\, not . or ..)",
        );
    }
    if file.size < 0 {
        check.push(
            "file.size",
            ValidationCode::OutOfRange,
            "cannot be negative",
        );
    }
    check.finish()
}

/// Validates and normalises an evidence item entered on `entered_on`. An
/// assurance report's period cannot end after that day: no report covers
/// the future.
pub fn evidence(fields: &mut EvidenceFields, entered_on: chrono::NaiveDate) -> Result<()> {
    let mut check = Check::default();
    check.text("title", &mut fields.title, MAX_SHORT);
    if fields.kind == EvidenceKind::Other && fields.title.is_empty() {
        check.push(
            "title",
            ValidationCode::Required,
            "is required for evidence of kind other",
        );
    }
    check.text("issuer", &mut fields.issuer, MAX_SHORT);
    check.text("scope", &mut fields.scope, MAX_LONG);
    match (fields.valid_from, fields.valid_until) {
        (_, None) => check.push(
            "valid_until",
            ValidationCode::Required,
            "is required: evidence without an end date cannot be judged valid",
        ),
        (Some(from), Some(until)) if until <= from => check.push(
            "valid_until",
            ValidationCode::DateOrder,
            format!("{until} is not after valid-from {from}"),
        ),
        (_, Some(until)) if fields.kind.is_period_report() && until > entered_on => check.push(
            "valid_until",
            ValidationCode::OutOfRange,
            format!(
                "{until} is after {entered_on}: for an assurance report this is the end of the period covered, and no report covers the future"
            ),
        ),
        _ => {}
    }
    check.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_real_swedish_organisation_numbers() {
        // Volvo (556012-5790) and Ericsson (556016-0680).
        assert_eq!(swedish_org_number("556012-5790").unwrap(), "556012-5790");
        assert_eq!(swedish_org_number("5560160680").unwrap(), "556016-0680");
        assert_eq!(
            swedish_org_number("556012-5791").unwrap_err().0,
            ValidationCode::Checksum
        );
        assert_eq!(
            swedish_org_number("55601-25790").unwrap_err().0,
            ValidationCode::Format
        );
    }

    #[test]
    fn lei_check_digits_are_verified() {
        // GLEIF's own LEI.
        assert_eq!(lei("506700gE1G29325QX363").unwrap(), "506700GE1G29325QX363");
        assert_eq!(
            lei("506700GE1G29325QX364").unwrap_err().0,
            ValidationCode::Checksum
        );
        assert_eq!(
            lei("506700GE1G29325QX3").unwrap_err().0,
            ValidationCode::Format
        );
    }
}
