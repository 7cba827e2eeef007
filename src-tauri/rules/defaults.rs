//! The default rule set: exactly the numbers and catalogues of DOMAIN.md.

use super::*;
use crate::jurisdiction::LocationClass;

/// (key, English title, Swedish title, what a rating judges: English, Swedish)
const CRITERIA: [(&str, &str, &str, &str, &str); 11] = [
    ("certification", "Security certification or attestation", "Säkerhetscertifiering eller granskningsrapport",
     "a valid ISO/IEC 27001 certificate covering the service, or a SOC 2 / ISAE 3000/3402 Type II report with a period ending within the last 12 months",
     "ett giltigt ISO/IEC 27001-certifikat som omfattar tjänsten, eller en SOC 2- / ISAE 3000/3402 typ II-rapport vars period slutat inom de senaste 12 månaderna"),
    ("financial_stability", "Financial stability", "Finansiell stabilitet",
     "financial stability (annual reports, credit rating)",
     "finansiell stabilitet (årsredovisningar, kreditbetyg)"),
    ("subcontractor_management", "Management of its own subcontractors", "Styrning av egna underleverantörer",
     "control of its own supply chain",
     "kontroll över den egna leveranskedjan"),
    ("incident_management", "Incident management and notification", "Incidenthantering och rapportering",
     "incident management, and notifying us within 24 hours",
     "incidenthantering och att vi underrättas inom 24 timmar"),
    ("vulnerability_management", "Vulnerability management and patching", "Sårbarhetshantering och patchning",
     "vulnerability management and timely patching",
     "sårbarhetshantering och patchning i tid"),
    ("business_continuity", "Business continuity and disaster recovery", "Kontinuitet och katastrofåterställning",
     "continuity and disaster-recovery plans that exist and are tested",
     "kontinuitets- och återställningsplaner som finns och är testade"),
    ("staff_security", "Staff security", "Personalsäkerhet",
     "security training (incl. NIS2) and background checks of staff",
     "säkerhetsutbildning (inkl. NIS2) och bakgrundskontroller av personal"),
    ("access_control", "Access control", "Behörighetsstyrning",
     "least privilege and MFA for administrative access",
     "minsta behörighet och MFA för administrativ åtkomst"),
    ("ethics_sanctions", "Ethics and sanctions", "Etik och sanktioner",
     "a code of conduct, and not being on EU or UN sanctions lists",
     "uppförandekod, och att inte finnas på EU:s eller FN:s sanktionslistor"),
    ("audit_rights", "Audit rights and cooperation", "Granskningsrätt och samarbete",
     "accepting audits (or delivering audit reports) and cooperating with supervisory authorities",
     "att granskning accepteras (eller granskningsrapporter lämnas) och samarbete med tillsynsmyndigheter"),
    ("secure_development", "Secure development and product security", "Säker utveckling och produktsäkerhet",
     "secure development, security updates over the product's life, and component disclosure (SBOM)",
     "säker utveckling, säkerhetsuppdateringar under produktens livstid och redovisning av komponenter (SBOM)"),
];

/// What a rating of 0, 1, 2 and 3 means on every criterion (DOMAIN §3);
/// each criterion's default anchors say it of the criterion's subject.
pub const RATING_SCALE_EN: [&str; 4] = [
    "absent or unknown",
    "weak or partial",
    "adequate with documented evidence",
    "verified by independent evidence",
];
pub const RATING_SCALE_SV: [&str; 4] = [
    "saknas eller okänt",
    "svagt eller delvis",
    "tillräckligt, med dokumenterat underlag",
    "verifierat genom oberoende underlag",
];

fn anchors_en(subject: &str) -> [String; 4] {
    let [s0, s1, s2, s3] = RATING_SCALE_EN;
    [
        format!("0 – {s0}: nothing shows {subject}."),
        format!("1 – {s1}: {subject} only in part, or without documentation."),
        format!("2 – {s2} of {subject}."),
        format!("3 – {s3} of {subject}."),
    ]
}

fn anchors_sv(subject: &str) -> [String; 4] {
    let [s0, s1, s2, s3] = RATING_SCALE_SV;
    [
        format!("0 – {s0}: inget visar {subject}."),
        format!("1 – {s1}: {subject} bara delvis, eller utan dokumentation."),
        format!("2 – {s2} för {subject}."),
        format!("3 – {s3} för {subject}."),
    ]
}

/// The anchors (English, Swedish) the default rule set gives the criterion
/// of `key`: the scale's words said of its subject; none for a criterion the
/// default rule set does not have.
pub fn default_anchors(key: &str) -> Option<([String; 4], [String; 4])> {
    CRITERIA
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, _, _, subject_en, subject_sv)| (anchors_en(subject_en), anchors_sv(subject_sv)))
}

fn level(
    value: u8,
    label_en: &str,
    label_sv: &str,
    guidance_en: &str,
    guidance_sv: &str,
) -> ScaleLevel {
    ScaleLevel {
        value,
        label_en: label_en.into(),
        label_sv: label_sv.into(),
        guidance_en: guidance_en.into(),
        guidance_sv: guidance_sv.into(),
    }
}

/// (key, English, Swedish, lowest level at which it is mandatory, only with personal data)
const REQUIREMENTS: [(&str, &str, &str, RiskBand, bool); 21] = [
    (
        "confidentiality",
        "Confidentiality",
        "Sekretess",
        RiskBand::Low,
        false,
    ),
    (
        "security_requirements",
        "Security requirements for the service",
        "Säkerhetskrav på tjänsten",
        RiskBand::Low,
        false,
    ),
    (
        "incident_notification",
        "Incident notification without undue delay",
        "Incidentrapportering utan onödigt dröjsmål",
        RiskBand::Low,
        false,
    ),
    (
        "audit_right",
        "Right to audit or to receive audit reports",
        "Rätt att granska eller att få granskningsrapporter",
        RiskBand::Low,
        false,
    ),
    (
        "vulnerability_handling",
        "Vulnerability handling",
        "Hantering av sårbarheter",
        RiskBand::Low,
        false,
    ),
    (
        "subcontracting_flow_down",
        "Subcontracting only with security requirements flowed down",
        "Underleverantörer endast med säkerhetskraven vidareförda",
        RiskBand::Low,
        false,
    ),
    (
        "return_and_deletion",
        "Return and deletion of data at the end of the contract",
        "Återlämnande och radering av data när avtalet upphör",
        RiskBand::Low,
        false,
    ),
    (
        "data_processing_agreement",
        "Data processing agreement (GDPR art. 28)",
        "Personuppgiftsbiträdesavtal (art. 28 GDPR)",
        RiskBand::Low,
        true,
    ),
    (
        "encryption",
        "Encryption in transit and at rest, with key custody stated",
        "Kryptering under överföring och i vila, med angivet nyckelinnehav",
        RiskBand::Medium,
        false,
    ),
    (
        "incident_notification_24h",
        "Incident notification within 24 hours",
        "Incidentrapportering inom 24 timmar",
        RiskBand::Medium,
        false,
    ),
    (
        "staff_training_and_checks",
        "Staff security training (NIS2) and background checks",
        "Säkerhetsutbildning (NIS2) och bakgrundskontroller av personal",
        RiskBand::Medium,
        false,
    ),
    (
        "data_location_clause",
        "Data location clause with advance notice of changes",
        "Klausul om dataplacering med förhandsbesked om ändringar",
        RiskBand::Medium,
        false,
    ),
    (
        "availability_sla",
        "Availability SLA with measurement, reporting and service credits",
        "Tillgänglighets-SLA med mätning, rapportering och vite",
        RiskBand::High,
        false,
    ),
    (
        "redundancy",
        "Redundancy",
        "Redundans",
        RiskBand::High,
        false,
    ),
    (
        "tested_continuity_plans",
        "Tested business continuity and contingency plans",
        "Testade kontinuitets- och beredskapsplaner",
        RiskBand::High,
        false,
    ),
    (
        "subcontractor_change_approval",
        "Prior approval of subcontractor changes",
        "Förhandsgodkännande av byte av underleverantörer",
        RiskBand::High,
        false,
    ),
    (
        "remediation_times",
        "Vulnerability remediation times",
        "Tider för åtgärd av sårbarheter",
        RiskBand::High,
        false,
    ),
    (
        "exit_plan",
        "Exit plan with a transition period",
        "Exitplan med övergångsperiod",
        RiskBand::Critical,
        false,
    ),
    (
        "annual_audit_report",
        "Annual independent audit report",
        "Årlig oberoende granskningsrapport",
        RiskBand::Critical,
        false,
    ),
    (
        "tested_disaster_recovery",
        "Tested disaster recovery with stated RTO/RPO",
        "Testad katastrofåterställning med angivna RTO/RPO",
        RiskBand::Critical,
        false,
    ),
    (
        "unrestricted_audit_access",
        "Unrestricted access and audit rights, including for supervisory authorities",
        "Obegränsad åtkomst- och granskningsrätt, även för tillsynsmyndigheter",
        RiskBand::Critical,
        false,
    ),
];

/// (dimension, impact 1–5 in English, in Swedish)
const IMPACT_GUIDANCE: [(&str, [&str; 5], [&str; 5]); 3] = [
    (
        "data_protection",
        [
            "public or internal data; no personal data affected",
            "a few records of internal or ordinary personal data, contained quickly",
            "confidential data, or many people's personal data, disclosed; a breach notification is likely",
            "strictly confidential or special-category data disclosed",
            "large-scale disclosure with lasting harm to people or the organisation",
        ],
        [
            "öppen eller intern information; inga personuppgifter berörs",
            "ett fåtal poster intern information eller vanliga personuppgifter, snabbt begränsat",
            "konfidentiell information eller många personers personuppgifter röjs; en incidentanmälan är trolig",
            "strikt konfidentiell information eller känsliga personuppgifter röjs",
            "omfattande röjande med bestående skada för personer eller organisationen",
        ],
    ),
    (
        "availability",
        [
            "no noticeable interruption",
            "an interruption within the RTO; no critical function affected",
            "a supporting function down beyond its RTO",
            "a critical function unavailable for hours beyond its RTO",
            "a critical function unavailable for days, or data lost beyond the RPO",
        ],
        [
            "inget märkbart avbrott",
            "ett avbrott inom RTO; ingen kritisk funktion påverkas",
            "en stödfunktion nere längre än sin RTO",
            "en kritisk funktion otillgänglig i timmar utöver sin RTO",
            "en kritisk funktion otillgänglig i dagar, eller data förlorade utöver RPO",
        ],
    ),
    (
        "business_impact",
        [
            "no cost and no effect on customers",
            "a small cost; a few customers notice",
            "a noticeable cost, or complaints from customers",
            "a major cost, contractual penalties or the supervisor's attention",
            "losses or sanctions that threaten the organisation's objectives",
        ],
        [
            "ingen kostnad och ingen påverkan på kunder",
            "en liten kostnad; några kunder märker det",
            "en märkbar kostnad, eller klagomål från kunder",
            "en stor kostnad, avtalsviten eller tillsynsmyndighetens uppmärksamhet",
            "förluster eller sanktioner som hotar organisationens mål",
        ],
    ),
];

/// The rule set of DOMAIN.md.
pub fn default_rule_set() -> RuleSet {
    use DataClassification::*;
    use Verdict::*;
    let row = |classification, se, eu_eea, adequate, third, exposed| TransferRow {
        classification,
        se,
        eu_eea,
        adequate,
        third,
        exposed,
    };
    RuleSet {
        criteria: CRITERIA
            .iter()
            .map(
                |(key, title_en, title_sv, subject_en, subject_sv)| Criterion {
                    key: (*key).into(),
                    title_en: (*title_en).into(),
                    title_sv: (*title_sv).into(),
                    anchors_en: anchors_en(subject_en),
                    anchors_sv: anchors_sv(subject_sv),
                },
            )
            .collect(),
        step1: Step1Thresholds {
            stop_if_zero: vec!["financial_stability".into(), "ethics_sanctions".into()],
            certification: "certification".into(),
            max_rating_without_certification: 2,
            min_total_percent: 70,
            critical_min_rating: 2,
        },
        likelihood: vec![
            level(
                1,
                "Rare",
                "Sällsynt",
                "less than once in 10 years",
                "mer sällan än en gång på 10 år",
            ),
            level(
                2,
                "Unlikely",
                "Osannolik",
                "once in 5–10 years",
                "en gång på 5–10 år",
            ),
            level(
                3,
                "Possible",
                "Möjlig",
                "once in 1–5 years",
                "en gång på 1–5 år",
            ),
            level(4, "Likely", "Sannolik", "about yearly", "ungefär årligen"),
            level(
                5,
                "Almost certain",
                "Nästan säker",
                "several times a year",
                "flera gånger om året",
            ),
        ],
        impact: vec![
            level(
                1,
                "Negligible",
                "Försumbar",
                "no noticeable effect",
                "ingen märkbar effekt",
            ),
            level(
                2,
                "Minor",
                "Mindre",
                "a limited effect, quickly remedied",
                "begränsad effekt, snabbt åtgärdad",
            ),
            level(
                3,
                "Moderate",
                "Måttlig",
                "a noticeable effect on operations, data or customers",
                "märkbar effekt på verksamhet, data eller kunder",
            ),
            level(
                4,
                "Major",
                "Stor",
                "serious harm: a critical function disrupted or sensitive data disclosed",
                "allvarlig skada: en kritisk funktion störd eller känsliga uppgifter röjda",
            ),
            level(
                5,
                "Severe",
                "Allvarlig",
                "harm the organisation cannot absorb: lasting loss, regulatory breach",
                "skada som organisationen inte kan bära: bestående förlust, regelbrott",
            ),
        ],
        impact_guidance: IMPACT_GUIDANCE
            .iter()
            .map(|(dimension, en, sv)| DimensionGuidance {
                dimension: (*dimension).into(),
                impact_en: en.map(String::from),
                impact_sv: sv.map(String::from),
            })
            .collect(),
        bands: BandLimits {
            low_max: 4,
            medium_max: 9,
            high_max: 14,
        },
        requirements: REQUIREMENTS
            .iter()
            .map(|(key, en, sv, min_level, personal)| RequirementDef {
                key: (*key).into(),
                text_en: (*en).into(),
                text_sv: (*sv).into(),
                min_level: *min_level,
                only_with_personal_data: *personal,
            })
            .collect(),
        transfer: vec![
            row(Public, Allowed, Allowed, Allowed, Allowed, Allowed),
            row(Internal, Allowed, Allowed, Allowed, Safeguards, Allowed),
            row(
                Confidential,
                Allowed,
                Allowed,
                Forbidden,
                Forbidden,
                Forbidden,
            ),
            row(
                StrictlyConfidential,
                Allowed,
                Forbidden,
                Forbidden,
                Forbidden,
                Forbidden,
            ),
        ],
        personal_data: vec![
            PersonalDataRule {
                personal_data: PersonalData::Personal,
                verdict: Safeguards,
                applies_to: vec![LocationClass::Third],
            },
            PersonalDataRule {
                personal_data: PersonalData::SpecialCategory,
                verdict: Safeguards,
                applies_to: vec![LocationClass::Third],
            },
            PersonalDataRule {
                personal_data: PersonalData::SpecialCategory,
                verdict: Forbidden,
                applies_to: vec![LocationClass::Adequate, LocationClass::Third],
            },
        ],
        exposing_jurisdictions: vec!["US".into()],
        questions: super::questions::default_questions(),
    }
}
