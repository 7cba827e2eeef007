//! The questionnaire's question set (DOMAIN §13): Tillit's own questions,
//! written from the criteria of step 1, each informing one criterion, in
//! English and Swedish. It is part of the rule set, so a stored version
//! says exactly which questions were asked, and an administrator edits it
//! as the rest of the rules.

use crate::error::{FieldError, ValidationCode};
use crate::ids::text_enum;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

text_enum! {
    /// What a question takes as its answer.
    AnswerKind {
        #[default]
        YesNoPartly = "yes_no_partly",
        Date = "date",
        Number = "number",
        Text = "text",
        Countries = "countries",
    }
}

/// One question of the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Question {
    /// Stable identifier, shown beside the question (`1.1`, `4.2` …).
    pub id: String,
    /// The key of the step-1 criterion the answer informs.
    pub criterion: String,
    pub kind: AnswerKind,
    /// Whether a returned questionnaire must answer it.
    pub required: bool,
    pub text_en: String,
    pub text_sv: String,
    /// What the supplier is asked to give, shown beside the answer cell.
    pub help_en: String,
    pub help_sv: String,
}

/// The longest question or help text, in characters.
pub const MAX_TEXT: usize = 1000;

/// (id, criterion, kind, required, question en, question sv, help en, help sv)
type Row = (
    &'static str,
    &'static str,
    AnswerKind,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

use AnswerKind::{Countries, Date, Number, Text, YesNoPartly};

const QUESTIONS: &[Row] = &[
    ("1.1", "certification", YesNoPartly, true,
     "Do you hold a valid ISO/IEC 27001 certificate, or an independent SOC 2 Type II or ISAE 3000/3402 Type II report?",
     "Har ni ett giltigt ISO/IEC 27001-certifikat, eller en oberoende SOC 2 typ II- eller ISAE 3000/3402 typ II-rapport?",
     "Partly: only for some of the services you deliver to us. Please attach the certificate or report when you return this file.",
     "Delvis: bara för en del av tjänsterna ni levererar till oss. Bifoga certifikatet eller rapporten när ni skickar tillbaka filen."),
    ("1.2", "certification", Text, true,
     "Which certificate or report is it (standard and edition, or report type), and who issued it?",
     "Vilket certifikat eller vilken rapport är det (standard och utgåva, eller rapporttyp), och vem har utfärdat den?",
     "E.g. ISO/IEC 27001:2022 by an accredited certification body, or SOC 2 Type II by an audit firm. Type I reports do not count.",
     "T.ex. ISO/IEC 27001:2022 från ett ackrediterat certifieringsorgan, eller SOC 2 typ II från en revisionsbyrå. Typ I-rapporter räknas inte."),
    ("1.3", "certification", Text, true,
     "What does the scope cover? Name the services, sites and legal entities.",
     "Vad omfattar omfattningen (scope)? Ange tjänster, platser och juridiska personer.",
     "The scope must cover the service you deliver to us.",
     "Omfattningen måste täcka tjänsten ni levererar till oss."),
    ("1.4", "certification", Date, false,
     "Until when is the certificate valid, or on which day did the report's period end?",
     "Till vilket datum gäller certifikatet, eller vilken dag slutade rapportens period?",
     "A date (YYYY-MM-DD). A report's period should end at most 12 months ago.",
     "Ett datum (ÅÅÅÅ-MM-DD). En rapports period bör ha slutat för högst 12 månader sedan."),
    ("1.5", "certification", YesNoPartly, false,
     "Was the report's opinion unqualified (no exceptions noted)?",
     "Var rapportens uttalande utan reservation (inga avvikelser noterade)?",
     "Partly: exceptions were noted; please describe them in your covering e-mail.",
     "Delvis: avvikelser noterades; beskriv dem i ert följebrev."),
    ("1.6", "certification", YesNoPartly, false,
     "If the report's period ended more than 12 months ago, can you provide a bridge letter?",
     "Om rapportens period slutade för mer än 12 månader sedan, kan ni lämna ett bryggbrev (bridge letter)?",
     "Leave empty when the period ended within the last 12 months.",
     "Lämna tomt om perioden slutade inom de senaste 12 månaderna."),
    ("2.1", "financial_stability", YesNoPartly, true,
     "Can you provide your annual reports for the last two years?",
     "Kan ni lämna era årsredovisningar för de senaste två åren?",
     "Partly: only for one year, or only for part of the group.",
     "Delvis: bara för ett år, eller bara för en del av koncernen."),
    ("2.2", "financial_stability", Text, false,
     "What is your current credit rating, and from which agency?",
     "Vilket är ert nuvarande kreditbetyg, och från vilket institut?",
     "E.g. \"AA, UC\" or \"none\".",
     "T.ex. \"AA, UC\" eller \"inget\"."),
    ("3.1", "subcontractor_management", YesNoPartly, true,
     "Do you assess the security of your own subcontractors before and during their engagement?",
     "Bedömer ni säkerheten hos era egna underleverantörer före och under uppdraget?",
     "Partly: only for some subcontractors, or only before the engagement.",
     "Delvis: bara för vissa underleverantörer, eller bara före uppdraget."),
    ("3.2", "subcontractor_management", Countries, true,
     "In which countries do your subcontractors store or access our data?",
     "I vilka länder lagrar eller når era underleverantörer våra data?",
     "Two-letter country codes separated by commas, e.g. SE, DE, US.",
     "Landskoder med två bokstäver, åtskilda med komma, t.ex. SE, DE, US."),
    ("4.1", "incident_management", YesNoPartly, true,
     "Can you notify us of an incident affecting our data or service within 24 hours?",
     "Kan ni underrätta oss inom 24 timmar om en incident som påverkar våra data eller vår tjänst?",
     "Partly: for some incidents or services only.",
     "Delvis: bara för vissa incidenter eller tjänster."),
    ("4.2", "incident_management", Number, false,
     "How many security incidents affecting customers did you have in the last 12 months?",
     "Hur många säkerhetsincidenter som påverkade kunder hade ni de senaste 12 månaderna?",
     "A number.",
     "Ett tal."),
    ("5.1", "vulnerability_management", YesNoPartly, true,
     "Do you patch critical vulnerabilities within 14 days of their disclosure?",
     "Åtgärdar ni kritiska sårbarheter inom 14 dagar från att de blivit kända?",
     "Partly: not on every system, or not always within 14 days.",
     "Delvis: inte på alla system, eller inte alltid inom 14 dagar."),
    ("5.2", "vulnerability_management", Date, false,
     "When was your last independent penetration test?",
     "När gjordes ert senaste oberoende penetrationstest?",
     "A date (YYYY-MM-DD).",
     "Ett datum (ÅÅÅÅ-MM-DD)."),
    ("6.1", "business_continuity", YesNoPartly, true,
     "Do you have documented business continuity and disaster recovery plans covering the service?",
     "Har ni dokumenterade planer för kontinuitet och katastrofåterställning som omfattar tjänsten?",
     "Partly: plans exist but do not cover the whole service.",
     "Delvis: planer finns men omfattar inte hela tjänsten."),
    ("6.2", "business_continuity", Date, true,
     "When were the plans last tested?",
     "När testades planerna senast?",
     "A date (YYYY-MM-DD).",
     "Ett datum (ÅÅÅÅ-MM-DD)."),
    ("7.1", "staff_security", YesNoPartly, true,
     "Do all staff receive security training at least once a year (including NIS2 where it applies)?",
     "Får all personal säkerhetsutbildning minst en gång om året (inklusive NIS2 där det gäller)?",
     "Partly: only some staff, or less often.",
     "Delvis: bara en del av personalen, eller mer sällan."),
    ("7.2", "staff_security", YesNoPartly, true,
     "Do you carry out background checks on staff with access to customer data?",
     "Gör ni bakgrundskontroller av personal med åtkomst till kunddata?",
     "Partly: for some roles only.",
     "Delvis: bara för vissa roller."),
    ("8.1", "access_control", YesNoPartly, true,
     "Is multi-factor authentication required for all administrative access?",
     "Krävs flerfaktorsautentisering för all administrativ åtkomst?",
     "Partly: for some systems only.",
     "Delvis: bara för vissa system."),
    ("8.2", "access_control", YesNoPartly, true,
     "Are access rights granted by least privilege and reviewed at least once a year?",
     "Tilldelas behörigheter enligt principen om minsta behörighet och ses de över minst en gång om året?",
     "Partly: granted so, but not reviewed yearly.",
     "Delvis: tilldelas så, men ses inte över årligen."),
    ("9.1", "ethics_sanctions", YesNoPartly, true,
     "Do you have a code of conduct that binds your staff and subcontractors?",
     "Har ni en uppförandekod som binder er personal och era underleverantörer?",
     "Partly: it binds staff but not subcontractors.",
     "Delvis: den binder personalen men inte underleverantörerna."),
    ("9.2", "ethics_sanctions", YesNoPartly, true,
     "Is your company, an owner or a director on an EU or UN sanctions list?",
     "Finns ert bolag, en ägare eller en styrelseledamot på EU:s eller FN:s sanktionslistor?",
     "Answer No if none is listed.",
     "Svara Nej om ingen finns med."),
    ("10.1", "audit_rights", YesNoPartly, true,
     "Do you accept audits by us or our auditor, or deliver independent audit reports instead?",
     "Accepterar ni granskning av oss eller vår revisor, eller lämnar ni oberoende granskningsrapporter i stället?",
     "Partly: with limitations; please describe them in question 10.2.",
     "Delvis: med begränsningar; beskriv dem i fråga 10.2."),
    ("10.2", "audit_rights", Text, false,
     "Describe any limits on audits and on cooperation with supervisory authorities.",
     "Beskriv eventuella begränsningar av granskning och av samarbete med tillsynsmyndigheter.",
     "Leave empty when there are none.",
     "Lämna tomt om det inte finns några."),
    ("11.1", "secure_development", YesNoPartly, true,
     "Do you follow documented secure development practices (e.g. code review, security testing)?",
     "Följer ni dokumenterade metoder för säker utveckling (t.ex. kodgranskning, säkerhetstester)?",
     "Partly: for some products only.",
     "Delvis: bara för vissa produkter."),
    ("11.2", "secure_development", YesNoPartly, true,
     "Do you provide security updates for the product's whole supported life, and a component list (SBOM) on request?",
     "Levererar ni säkerhetsuppdateringar under produktens hela supporttid, och en komponentförteckning (SBOM) på begäran?",
     "Partly: updates but no SBOM, or the other way round.",
     "Delvis: uppdateringar men ingen SBOM, eller tvärtom."),
];

/// Tillit's own question set, as the default rule set carries it.
pub fn default_questions() -> Vec<Question> {
    QUESTIONS
        .iter()
        .map(
            |&(id, criterion, kind, required, text_en, text_sv, help_en, help_sv)| Question {
                id: id.into(),
                criterion: criterion.into(),
                kind,
                required,
                text_en: text_en.into(),
                text_sv: text_sv.into(),
                help_en: help_en.into(),
                help_sv: help_sv.into(),
            },
        )
        .collect()
}

/// The problems of a question set under the criteria `criteria` (keys):
/// each named by its place, `questions[i].field`.
pub fn problems(questions: &[Question], criteria: &[&str]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, q) in questions.iter().enumerate() {
        let field = |name: &str| format!("questions[{i}].{name}");
        let id_ok = !q.id.is_empty()
            && q.id.len() <= 16
            && q.id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !id_ok {
            errors.push(FieldError::new(
                field("id"),
                ValidationCode::Format,
                "a question's number is 1–16 letters, digits, dots or dashes",
            ));
        } else if !seen.insert(q.id.as_str()) {
            errors.push(FieldError::new(
                field("id"),
                ValidationCode::Duplicate,
                format!("two questions have the number {}", q.id),
            ));
        }
        if !criteria.contains(&q.criterion.as_str()) {
            errors.push(FieldError::new(
                field("criterion"),
                ValidationCode::UnknownValue,
                format!("{:?} is not a criterion of the rule set", q.criterion),
            ));
        }
        for (name, text) in [
            ("text_en", &q.text_en),
            ("text_sv", &q.text_sv),
            ("help_en", &q.help_en),
            ("help_sv", &q.help_sv),
        ] {
            if name.starts_with("text") && text.trim().is_empty() {
                errors.push(FieldError::new(
                    field(name),
                    ValidationCode::Required,
                    "every question needs its text in English and Swedish",
                ));
            } else if text.chars().count() > MAX_TEXT {
                errors.push(FieldError::new(
                    field(name),
                    ValidationCode::TooLong,
                    format!("at most {MAX_TEXT} characters"),
                ));
            }
        }
    }
    errors
}
