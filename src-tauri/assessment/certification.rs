//! Criterion 1 of step 1, the security certification or attestation
//! (DOMAIN §3): which of the evidence items the officer linked to it counts
//! as valid on the assessment day, and why each one does or does not. This
//! is the one place that decides it; step 1, the window and the reports show
//! its findings.

use crate::supplier::{CertificationRole, Evidence, EvidenceId, EvidenceKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a linked evidence item does or does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// A valid ISO/IEC 27001 certificate, or an assurance report whose
    /// period ended at most 12 months before the day.
    Counts,
    /// ISO/IEC 27017 or 27018 beside a valid 27001 certificate.
    CountsBesideCertificate,
    /// Of a kind that counts, but not current on the day (expired, not yet
    /// valid, or a report whose period ended more than 12 months before).
    NotCurrent,
    /// ISO/IEC 27017 or 27018 without a valid 27001 certificate beside it.
    NeedsCertificate,
    /// A kind that never counts as the certification (ISO 22301, other).
    NeverCounts,
    /// The linked item is no longer in the register.
    Removed,
}

impl Standing {
    /// Whether the item counts.
    pub fn counts(self) -> bool {
        matches!(self, Standing::Counts | Standing::CountsBesideCertificate)
    }
}

/// One evidence item linked to criterion 1, as judged on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Finding {
    pub evidence_id: EvidenceId,
    /// `None` when the item is no longer in the register.
    pub kind: Option<EvidenceKind>,
    pub title: String,
    /// The days the item is current, both included.
    pub current_from: Option<NaiveDate>,
    pub current_until: Option<NaiveDate>,
    pub standing: Standing,
}

/// The judgement of criterion 1's evidence on one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Certification {
    /// A valid certification or attestation is among the linked items.
    pub valid: bool,
    /// Every linked item, in the order linked.
    pub findings: Vec<Finding>,
}

/// Judges the items `linked` to criterion 1 among the supplier's `evidence`
/// on `day`. Only linked items count; unlinked ones are not looked at.
pub fn judge(evidence: &[Evidence], linked: &[EvidenceId], day: NaiveDate) -> Certification {
    let items: Vec<(EvidenceId, Option<&Evidence>)> = {
        let mut seen = Vec::new();
        for id in linked {
            if !seen.iter().any(|(s, _)| s == id) {
                seen.push((*id, evidence.iter().find(|e| e.id == *id)));
            }
        }
        seen
    };
    let certificate = items.iter().any(|(_, e)| {
        e.is_some_and(|e| {
            e.fields.kind.certification_role() == CertificationRole::Certificate
                && e.is_valid_on(day)
        })
    });
    let findings: Vec<Finding> = items
        .iter()
        .map(|(id, item)| match item {
            None => Finding {
                evidence_id: *id,
                kind: None,
                title: String::new(),
                current_from: None,
                current_until: None,
                standing: Standing::Removed,
            },
            Some(e) => {
                let current = e.is_valid_on(day);
                let standing = match e.fields.kind.certification_role() {
                    CertificationRole::Never => Standing::NeverCounts,
                    CertificationRole::Certificate | CertificationRole::Report if current => {
                        Standing::Counts
                    }
                    CertificationRole::Certificate | CertificationRole::Report => {
                        Standing::NotCurrent
                    }
                    CertificationRole::Extension if !current => Standing::NotCurrent,
                    CertificationRole::Extension if certificate => {
                        Standing::CountsBesideCertificate
                    }
                    CertificationRole::Extension => Standing::NeedsCertificate,
                };
                let period = e.fields.current_period();
                Finding {
                    evidence_id: *id,
                    kind: Some(e.fields.kind),
                    title: e.fields.title.clone(),
                    current_from: period.and_then(|(from, _)| from),
                    current_until: period.map(|(_, last)| last),
                    standing,
                }
            }
        })
        .collect();
    Certification {
        valid: findings.iter().any(|f| f.standing.counts()),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supplier::{EvidenceFields, SupplierId};
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item(n: u128, kind: EvidenceKind, from: NaiveDate, until: NaiveDate) -> Evidence {
        Evidence::judged(
            EvidenceId(Uuid::from_u128(n)),
            SupplierId(Uuid::nil()),
            EvidenceFields {
                kind,
                valid_from: Some(from),
                valid_until: Some(until),
                ..EvidenceFields::default()
            },
            None,
            chrono::Utc::now(),
        )
    }

    #[test]
    fn a_soc2_type_ii_counts_until_twelve_months_after_its_period_ends_and_not_before_it_ends() {
        let report = item(1, EvidenceKind::Soc2Type2, d(2025, 1, 1), d(2025, 12, 31));
        let linked = [report.id];
        let on = |day| judge(std::slice::from_ref(&report), &linked, day).valid;
        assert!(!on(d(2025, 12, 30)), "the period has not ended yet");
        assert!(on(d(2025, 12, 31)));
        assert!(on(d(2026, 11, 30)), "11 months after the period");
        assert!(on(d(2026, 12, 31)), "exactly 12 months after");
        assert!(!on(d(2027, 1, 1)), "more than 12 months after");
        assert!(!on(d(2027, 1, 31)), "13 months after");
    }

    #[test]
    fn iso_22301_and_other_never_count_and_27017_counts_only_beside_a_valid_27001() {
        let bcm = item(1, EvidenceKind::Iso22301, d(2025, 1, 1), d(2028, 1, 1));
        let cloud = item(2, EvidenceKind::Iso27017, d(2025, 1, 1), d(2028, 1, 1));
        let isms = item(3, EvidenceKind::Iso27001, d(2025, 1, 1), d(2028, 1, 1));
        let day = d(2026, 6, 1);
        let all = [bcm.clone(), cloud.clone(), isms.clone()];
        let alone = judge(&all, &[bcm.id], day);
        assert!(!alone.valid);
        assert_eq!(alone.findings[0].standing, Standing::NeverCounts);
        let extension = judge(&all, &[cloud.id], day);
        assert!(!extension.valid);
        assert_eq!(extension.findings[0].standing, Standing::NeedsCertificate);
        let beside = judge(&all, &[cloud.id, isms.id], day);
        assert!(beside.valid);
        assert_eq!(
            beside
                .findings
                .iter()
                .map(|f| f.standing)
                .collect::<Vec<_>>(),
            [Standing::CountsBesideCertificate, Standing::Counts]
        );
    }

    #[test]
    fn only_linked_evidence_counts() {
        let isms = item(1, EvidenceKind::Iso27001, d(2025, 1, 1), d(2028, 1, 1));
        let judged = judge(std::slice::from_ref(&isms), &[], d(2026, 6, 1));
        assert!(!judged.valid);
        assert!(judged.findings.is_empty());
        let removed = judge(&[], &[isms.id], d(2026, 6, 1));
        assert_eq!(removed.findings[0].standing, Standing::Removed);
        assert!(!removed.valid);
    }

    #[test]
    fn an_expired_or_not_yet_valid_certificate_does_not_count() {
        let isms = item(1, EvidenceKind::Iso27001, d(2025, 1, 1), d(2026, 1, 1));
        let linked = [isms.id];
        let all = [isms];
        assert!(!judge(&all, &linked, d(2024, 12, 31)).valid);
        assert!(judge(&all, &linked, d(2025, 1, 1)).valid);
        assert!(judge(&all, &linked, d(2026, 1, 1)).valid);
        let after = judge(&all, &linked, d(2026, 1, 2));
        assert_eq!(after.findings[0].standing, Standing::NotCurrent);
    }
}
