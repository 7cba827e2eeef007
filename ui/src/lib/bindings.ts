// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).
// Do not edit: change the Rust type and regenerate.

/**
 * An entry of the chain kept outside the file (DOMAIN §9): its sequence
 * number and hash. Written `SEQ:HASH`.
 */
export type Anchor = { seq: number, hash: string, };

/**
 * One answer, as kept: `yes`/`no`/`partly`, a date `YYYY-MM-DD`, a
 * number, text, or country codes separated by commas.
 */
export type Answer = { 
/**
 * The question's number.
 */
question: string, value: string, };

/**
 * What a question takes as its answer.
 */
export type AnswerKind = "yes_no_partly" | "date" | "number" | "text" | "countries";

/**
 * The one error shape that crosses the IPC: `{ code, message, field? }`.
 */
export type AppError = { code: ErrorCode, 
/**
 * A complete sentence, in [`AppError::language`].
 */
message: string, 
/**
 * The language of `message`: the one asked for where the catalogue has
 * the sentence, else English (the window then shows only its own
 * heading for the code).
 */
language: Language, 
/**
 * The input field at fault (the first, when there are several).
 */
field?: string, 
/**
 * Every field (and row) at fault, for forms and imports.
 */
errors?: Array<FieldError>, };

/**
 * What the app shows about itself: the version and the open database.
 */
export type AppInfo = { version: string, database: DbInfo, };

/**
 * The id of a decision.
 */
export type ApprovalId = string;

/**
 * Why management approval is required (DOMAIN §7).
 */
export type ApprovalReason = { "kind": "critical_tier" } | { "kind": "critical_service", service: string, } | { "kind": "high_risk_accepted", service: string, } | { "kind": "deviation_accepted", service: string, key: string, };

/**
 * A decision as recorded.
 */
export type ApprovalRecord = { id: ApprovalId, decided_by: UserId, decider_name: string, capacity: Capacity, decision: Decision, 
/**
 * The conditions of an approval with conditions, in the order decided
 * (a register file written before conditions were records carries
 * them as one text, read as one condition without a due date).
 */
conditions: Conditions, 
/**
 * SHA-256 (hex) of the canonical assessment content decided on.
 */
fingerprint: string, 
/**
 * UTC, RFC 3339.
 */
decided_at: string, voided_at: string | null, void_reason: string | null, 
/**
 * The decider's signature over the decision (DOMAIN §7).
 */
signature?: SignatureInfo, };

/**
 * An assessment with its inputs and stored results.
 */
export type Assessment = { id: AssessmentId, supplier_id: SupplierId, rule_set_version: number, assessed_on: string, assessor: string, step1: Step1Input | null, step1_result: Step1Result | null, resolution: Resolution | null, 
/**
 * The resolver's signature over the resolution (DOMAIN §7).
 */
resolution_signature?: SignatureInfo, services: Array<ServiceAssessment>, 
/**
 * When the officer submitted the assessment for a decision (UTC).
 */
submitted_at: string | null, 
/**
 * The decisions on it, oldest first; a voided one says why. Decisions
 * are signatures of this database's users: a register file carries them
 * for the record, and importing it does not take them over.
 */
decisions: Array<ApprovalRecord>, 
/**
 * Withdrawals and reopenings, oldest first.
 */
events?: Array<AssessmentEvent>, 
/**
 * Re-evaluations under a newer rule set, oldest first.
 */
reevaluations?: Array<Reevaluation>, };

/**
 * An assessment as a supplier's list of assessments shows it: when, by
 * whom, and how it stands as the core reads it.
 */
export type AssessmentEntry = { id: AssessmentId, assessed_on: string, assessor: string, 
/**
 * The decision that stands ([`Assessment::standing_decision`]).
 */
decision: Decision | null, submitted: boolean, 
/**
 * Step 1 as it stands ([`Assessment::step1_outcome`]).
 */
step1: Step1Outcome | null, };

/**
 * A withdrawal or a reopening, with who, when and why.
 */
export type AssessmentEvent = { id: string, kind: AssessmentEventKind, reason: string, 
/**
 * The display name of who did it.
 */
actor: string, 
/**
 * UTC, as stored.
 */
at: string, 
/**
 * The decision a reopening voided.
 */
voided_decision: ApprovalId | null, 
/**
 * The signature of who withdrew or reopened it (DOMAIN §7).
 */
signature?: SignatureInfo, };

/**
 * What happened to an assessment besides its saves and decisions.
 */
export type AssessmentEventKind = "withdrawn" | "reopened";

/**
 * The id of an assessment.
 */
export type AssessmentId = string;

/**
 * Where an assessment stands (DOMAIN §3, §7), computed in one place for
 * the window, the reports and the command line.
 */
export type AssessmentState = "step1_unrated" | "escalated" | "stopped" | "step2_incomplete" | "blocked" | "ready_to_submit" | "submitted" | "decided";

/**
 * One list of things to look at: how many there are, and the first
 * [`LISTED`] of them in the list's order (soonest first).
 */
export type Attention = { count: number, items: Array<OverviewItem>, };

/**
 * A backup sent whole over the team server: what the trail recorded, and
 * the database file.
 */
export type BackupContent = { summary: BackupSummary, file: FileContent, };

/**
 * What a backup wrote.
 */
export type BackupSummary = { 
/**
 * The backup file.
 */
path: string, bytes: number, 
/**
 * The SHA-256 of the file, as recorded in the audit trail.
 */
sha256: string, schema_version: number, 
/**
 * Entries of the audit trail the backup holds.
 */
audit_entries: number, };

/**
 * The upper limit of each risk band of `likelihood × impact` (DOMAIN §4):
 * low up to `low_max`, medium up to `medium_max`, high up to `high_max`,
 * critical above.
 */
export type BandLimits = { low_max: number, medium_max: number, high_max: number, };

/**
 * Something that stands in the way of a decision.
 */
export type Blocker = { "kind": "step1_unrated", rated: number, criteria: number, } | { "kind": "step1_escalated" } | { "kind": "step1_stopped" } | { "kind": "service_not_assessed", service: string, } | { "kind": "service", service: string, item: BlockingItem, };

/**
 * Something that stands in the way of approving the service.
 */
export type BlockingItem = { "kind": "transfer_forbidden" } | { "kind": "safeguards_missing" } | { "kind": "requirement_missing", key: string, } | { "kind": "requirement_unmarked", key: string, };

/**
 * A business function of the organisation.
 */
export type BusinessFunction = { 
/**
 * `F` and a number: `F1`, `F2` …, given when the function is added
 * and never changed.
 */
id: string, created_at: string, updated_at: string, name: string, 
/**
 * The licensed activity the function serves, as the register of
 * information codes it (`eba_TA:x…`, list LIST0601020); empty when
 * none applies.
 */
licensed_activity: string, criticality: Criticality, 
/**
 * Why it is (or is not) critical or important; required when it is.
 */
criticality_reason: string, 
/**
 * When its criticality was last assessed.
 */
assessed_on: string | null, 
/**
 * Recovery time objective, in hours.
 */
rto_hours: number | null, 
/**
 * Recovery point objective, in hours.
 */
rpo_hours: number | null, 
/**
 * The impact of its being discontinued, as the organisation defines
 * low, medium and high; none while not assessed.
 */
discontinuing_impact: Impact | null, };

/**
 * In which capacity a decision was made.
 */
export type Capacity = "management" | "officer";

/**
 * What an evidence kind can do for criterion 1, the security certification
 * or attestation (DOMAIN §3).
 */
export type CertificationRole = "certificate" | "report" | "extension" | "never";

/**
 * Closing one condition: which (the decision and its place in the
 * decision's list, from 0) and how it was met.
 */
export type CloseConditionInput = { approval_id: ApprovalId, position: number, note: string, };

/**
 * A condition of an approval (DOMAIN §7): what must be done, by when, and
 * whether the officer has closed it. What and by when are part of the
 * signed decision; the closing is recorded apart, in the audit trail.
 */
export type Condition = { text: string, 
/**
 * The day by which it must be met; none only on a decision recorded
 * before conditions had due dates.
 */
due_on: string | null, 
/**
 * Set once the officer closed it.
 */
closed?: ConditionClosure, 
/**
 * Still open after its due date today ([`Condition::overdue`]), as the
 * core's clock has it: set for the window, never written to a register
 * file (one that carries it is refused: not a field of the format).
 */
overdue_today?: boolean, };

/**
 * Who closed a condition, when (UTC, RFC 3339) and how it was met.
 */
export type ConditionClosure = { id: string, closed_by: UserId, closed_by_name: string, closed_at: string, note: string, 
/**
 * The officer's signature over the closing.
 */
signature?: SignatureInfo, };

/**
 * A condition as the decider enters it.
 */
export type ConditionInput = { text: string, due_on: string | null, };

/**
 * A decision's conditions. A register file written before conditions were
 * records carries them as one text, read as one condition without a due
 * date.
 */
export type Conditions = Array<Condition>;

/**
 * How a contract stands to others (DORA's register of information,
 * B_02.01): on its own, a framework others follow, or one that follows
 * a framework.
 */
export type ContractArrangement = "standalone" | "overarching" | "subsequent";

/**
 * A country in the register.
 */
export type Country = { code: CountryCode, name_en: string, name_sv: string, };

/**
 * An ISO 3166-1 alpha-2 code that is on the list, e.g. `SE`.
 */
export type CountryCode = string;

/**
 * A criterion of step 1 (the supplier organisation), rated 0–3.
 */
export type Criterion = { 
/**
 * Stable key, e.g. `financial_stability`.
 */
key: string, title_en: string, title_sv: string, 
/**
 * What each rating 0, 1, 2, 3 means for this criterion.
 */
anchors_en: [string, string, string, string], anchors_sv: [string, string, string, string], };

/**
 * Whether a function is critical or important (DORA art. 3(22)), as
 * the organisation last assessed it.
 */
export type Criticality = "critical" | "not_critical" | "not_assessed";

/**
 * The highest classification of the data a service handles.
 */
export type DataClassification = "public" | "internal" | "confidential" | "strictly_confidential";

/**
 * How sensitive the data the service stores is (DORA's register of
 * information), as the organisation defines low, medium and high.
 */
export type DataSensitivity = "low" | "medium" | "high";

/**
 * The state of the open database.
 */
export type DbInfo = { 
/**
 * The database file; `None` for an in-memory database.
 */
path: string | null, 
/**
 * The file's schema version (`PRAGMA user_version`).
 */
schema_version: number, 
/**
 * The newest schema version this build knows.
 */
supported_schema_version: number, 
/**
 * Every table with its number of rows, by name.
 */
tables: Array<TableCount>, };

/**
 * The decision on an assessment.
 */
export type Decision = "approve" | "approve_with_conditions" | "reject";

/**
 * What the decider enters.
 */
export type DecisionInput = { decision: Decision, 
/**
 * Required for `approve_with_conditions`: at least one, each with what
 * must be done and by when.
 */
conditions: Array<ConditionInput>, 
/**
 * The decider's password, asked again.
 */
password: string, };

/**
 * The organisation's own definition of each term DORA's register of
 * information leaves to it (B_99.01, one column each); empty while not
 * written.
 */
export type Definitions = { arrangement_standalone: string, arrangement_overarching: string, arrangement_subsequent: string, sensitivity_low: string, sensitivity_medium: string, sensitivity_high: string, function_impact_low: string, function_impact_medium: string, function_impact_high: string, substitutability_not_substitutable: string, substitutability_highly_complex: string, substitutability_medium: string, substitutability_easy: string, reintegration_easy: string, reintegration_difficult: string, reintegration_highly_complex: string, service_impact_low: string, service_impact_medium: string, service_impact_high: string, };

/**
 * A deviation (or contract renewal) as the officer records it.
 */
export type DeviationInput = { service_id: ServiceId | null, kind: FollowUpKind, description: string, occurred_on: string | null, };

/**
 * What each impact level 1–5 means in one dimension of step 2.
 */
export type DimensionGuidance = { dimension: RiskDimension, impact_en: [string, string, string, string, string], impact_sv: [string, string, string, string, string], };

/**
 * Something verification found that does not hold: what, and why.
 */
export type Discrepancy = { subject: string, reason: string, };

/**
 * What the checks found, before anything is written: the package's name,
 * its rows per template, and every problem.
 */
export type DoraCheck = { 
/**
 * The file name the package gets (`….zip`).
 */
file_name: string, rows: Array<[string, number]>, problems: Array<Problem>, };

/**
 * A package sent whole (over the team server), with what was written.
 */
export type DoraContent = { export: DoraExport, file: FileContent, };

/**
 * What an export wrote.
 */
export type DoraExport = { 
/**
 * The package's file name (`….zip`).
 */
file_name: string, 
/**
 * Rows written per template, in order.
 */
rows: Array<[string, number]>, 
/**
 * The problems found; empty unless written as a draft.
 */
problems: Array<Problem>, draft: boolean, sha256: string, };

/**
 * The kinds of entity DORA's register of information distinguishes
 * (the list of B_01.01 "Type of entity").
 */
export type EntityType = "credit_institution" | "investment_firm" | "central_counterparty" | "asset_management_company" | "account_information_service_provider" | "electronic_money_institution" | "crypto_asset_service_provider" | "central_securities_depository" | "trading_venue" | "trade_repository" | "payment_institution" | "other_financial_entity" | "securitisation_repository" | "crowdfunding_service_provider" | "critical_benchmark_administrator" | "credit_rating_agency" | "occupational_retirement_institution" | "insurance_intermediary" | "insurance_undertaking" | "data_reporting_service_provider" | "alternative_investment_fund_manager" | "non_financial_entity" | "ict_intra_group_provider" | "asset_referenced_token_issuer";

/**
 * The stable codes of [`AppError`]; the UI translates the ones it knows.
 */
export type ErrorCode = "validation" | "not_found" | "not_allowed" | "locked" | "not_signed_in" | "forbidden" | "wrong_password" | "database_too_new" | "not_a_tillit_database" | "database_missing" | "database" | "busy" | "disk_full" | "damaged" | "read_only" | "io" | "audit_mismatch" | "backup_refused" | "locked_out" | "stale" | "internal";

/**
 * A certificate or report the supplier provided.
 */
export type Evidence = { id: EvidenceId, supplier_id: SupplierId, file: EvidenceFile | null, created_at: string, 
/**
 * Computed by [`Evidence::judged`]: the first day it is current.
 */
current_from: string | null, 
/**
 * Computed: the last day it is current (for a report, 12 months after its period).
 */
current_until: string | null, 
/**
 * Computed: what it can do for criterion 1.
 */
certification_role: CertificationRole, kind: EvidenceKind, 
/**
 * A title; required for kind `other`.
 */
title: string, issuer: string, scope: string, valid_from: string | null, 
/**
 * For SOC 2 / ISAE reports: the end of the period covered.
 */
valid_until: string | null, };

/**
 * What an officer records about a certificate or assurance report.
 */
export type EvidenceFields = { kind: EvidenceKind, 
/**
 * A title; required for kind `other`.
 */
title: string, issuer: string, scope: string, valid_from: string | null, 
/**
 * For SOC 2 / ISAE reports: the end of the period covered.
 */
valid_until: string | null, };

/**
 * An attached file, kept in the app's data folder under its SHA-256.
 */
export type EvidenceFile = { sha256: string, file_name: string, size: number, };

/**
 * The id of an evidence item.
 */
export type EvidenceId = string;

/**
 * The kind of a certificate or assurance report.
 */
export type EvidenceKind = "iso27001" | "iso27017" | "iso27018" | "iso22301" | "soc2_type2" | "isae3000_type2" | "isae3402_type2" | "c5" | "other";

/**
 * What the returned file must be: the one sent for this supplier, or for
 * this questionnaire (the window imports from either), or any.
 */
export type Expected = { supplier_id: SupplierId | null, questionnaire_id: QuestionnaireId | null, };

/**
 * The exposure of a supplier's services: derived, with its reasons, and the
 * override if an officer made one.
 */
export type Exposure = { 
/**
 * What the supply chain gives.
 */
derived: boolean, 
/**
 * Why, one entry per entity and country; empty when not exposed.
 */
reasons: Array<ExposureReason>, override: ExposureOverride | null, 
/**
 * What counts: the override when there is one, else the derived flag.
 */
exposed: boolean, };

/**
 * Which entity of the supply chain a reason is about.
 */
export type ExposureEntity = "supplier_incorporated" | "supplier_headquartered" | "ultimate_parent" | "subcontractor";

/**
 * An officer's decision that overrides the derived flag.
 */
export type ExposureOverride = { exposed: boolean, justification: string, };

/**
 * One reason the services are exposed.
 */
export type ExposureReason = { entity: ExposureEntity, 
/**
 * The name of the entity, as registered.
 */
name: string, country: CountryCode, };

/**
 * One field at fault: which field (and, in an import, which row), the kind
 * of problem and a sentence saying what is wrong: exactly, in English, as
 * the core writes it; as the catalogue says it for the code in another
 * language ([`FieldError::sentence_in`], applied as the error leaves).
 */
export type FieldError = { 
/**
 * The row of an import, numbered as a spreadsheet shows it (the header
 * of a CSV file is row 1); for JSON, the supplier's position from 1.
 */
row?: number, field: string, code: ValidationCode, message: string, };

/**
 * A file carried whole inside a command's arguments or reply, for a
 * transport without the person's files (the team server): its name and its
 * bytes, base64 in JSON. The name is only ever a name: where the bytes are
 * read from or written to is the client's business, and the core takes
 * from it nothing but the extension (an import's format) and the name it
 * shows.
 */
export type FileContent = { name: string, 
/**
 * The bytes, base64.
 */
content: string, };

/**
 * What a file is chosen for; each purpose reads or writes one kind of file.
 */
export type FilePurpose = "import" | "evidence" | "restore" | "export" | "report" | "backup" | "questionnaire" | "answers";

/**
 * One evidence item linked to criterion 1, as judged on the day.
 */
export type Finding = { evidence_id: EvidenceId, 
/**
 * `None` when the item is no longer in the register.
 */
kind: EvidenceKind | null, title: string, 
/**
 * The days the item is current, both included.
 */
current_from: string | null, current_until: string | null, standing: Standing, };

/**
 * A rule that fired and its verdict.
 */
export type FiredRule = { rule: TransferRule, verdict: Verdict, };

/**
 * A supplier's follow-up: when the next review is due, why a reassessment
 * is required, what happened, and the SLA records of its services.
 */
export type FollowUp = { next_review_on: string | null, reassessment_reason: string | null, 
/**
 * The reason in every language, where it was recorded so.
 */
reassessment_said?: Said, events: Array<FollowUpEvent>, sla_records: Array<SlaRecord>, };

/**
 * An event that required (or would require) a reassessment.
 */
export type FollowUpEvent = { id: FollowUpId, service_id: ServiceId | null, kind: FollowUpKind, 
/**
 * Why, in English as recorded.
 */
reason: string, 
/**
 * Why, in every language (a detected event's reason, from the
 * catalogue); none on an event recorded before reasons were.
 */
reason_said?: Said, occurred_on: string, recorded_by: string, recorded_at: string, };

/**
 * The id of a follow-up event.
 */
export type FollowUpId = string;

/**
 * An event that requires a reassessment (DOMAIN §8).
 */
export type FollowUpKind = "incident" | "sla_breach" | "adverse_audit_finding" | "financial_distress" | "sanctions_listing" | "service_change" | "subcontractor_change" | "ownership_change" | "evidence_expired" | "adequacy_change" | "contract_renewal" | "contract_end" | "review_due";

/**
 * What an administrator records about a business function.
 */
export type FunctionFields = { name: string, 
/**
 * The licensed activity the function serves, as the register of
 * information codes it (`eba_TA:x…`, list LIST0601020); empty when
 * none applies.
 */
licensed_activity: string, criticality: Criticality, 
/**
 * Why it is (or is not) critical or important; required when it is.
 */
criticality_reason: string, 
/**
 * When its criticality was last assessed.
 */
assessed_on: string | null, 
/**
 * Recovery time objective, in hours.
 */
rto_hours: number | null, 
/**
 * Recovery point objective, in hours.
 */
rpo_hours: number | null, 
/**
 * The impact of its being discontinued, as the organisation defines
 * low, medium and high; none while not assessed.
 */
discontinuing_impact: Impact | null, };

/**
 * One cell of the heat map: the services whose highest residual risk sits there.
 */
export type HeatCell = { likelihood: number, impact: number, count: number, 
/**
 * The first services in the cell, by supplier name.
 */
services: Array<OverviewService>, };

/**
 * The type of ICT service, as DORA's register of information lists
 * them (Annex III of Implementing Regulation (EU) 2024/2956, S01–S19).
 */
export type IctServiceType = "ict_project_management" | "ict_development" | "ict_help_desk" | "ict_security_management" | "provision_of_data" | "data_analysis" | "ict_facilities_and_hosting" | "computation" | "non_cloud_data_storage" | "telecom_carrier" | "network_infrastructure" | "hardware_and_physical_devices" | "software_licencing" | "ict_operation_management" | "ict_consulting" | "ict_risk_management" | "cloud_iaas" | "cloud_paas" | "cloud_saas";

/**
 * The impact of the service being discontinued (DORA, B_07.01), as the
 * organisation defines low, medium and high.
 */
export type Impact = "low" | "medium" | "high";

/**
 * What an import did.
 */
export type ImportSummary = { suppliers: number, services: number, subcontractors: number, evidence: number, };

/**
 * A report's export as the trail recorded it.
 */
export type Issue = { 
/**
 * The trail entry that recorded it.
 */
seq: number, 
/**
 * When (UTC).
 */
at: string, 
/**
 * Who issued it: their name (and user name).
 */
by: string, 
/**
 * `assessment`, `register` or `summary`.
 */
report: string, 
/**
 * The supplier an assessment report is about.
 */
supplier: string | null, 
/**
 * The SHA-256 the trail recorded.
 */
sha256: string, };

/**
 * A report issued whole over the team server: what the trail recorded,
 * and the PDF, for the client to save where the person chooses.
 */
export type IssuedReport = { report: SavedReport, file: FileContent, };

/**
 * A language Tillit speaks: its UI, its messages and its reports.
 */
export type Language = "en" | "sv";

/**
 * Counts of assessed services per risk level.
 */
export type LevelCount = { level: RiskBand, count: number, };

/**
 * A licensed activity of the register of information: its code and the
 * EBA's name for it.
 */
export type LicensedActivity = { code: string, label: string, };

/**
 * A dimension Tillit names in both languages.
 */
export type ListedDimension = "data_protection" | "availability" | "business_impact" | "regulatory" | "reputational" | "concentration" | "exit";

/**
 * Where data goes, from the point of view of a Swedish organisation under GDPR.
 * Ordered from best to worst: a service's class is the worst of its countries.
 */
export type LocationClass = "SE" | "EU_EEA" | "ADEQUATE" | "THIRD";

/**
 * The locks of an assessment (DOMAIN §3): what keeps a record of a
 * decision from drifting.
 */
export type Lock = "step1_escalated" | "step1_final" | "submitted" | "decided";

/**
 * One entry as shown.
 */
export type LogEntry = { seq: number, at: string, actor: string, action: string, entity: string, entity_id: string, before: string | null, after: string | null, hash: string, };

/**
 * Which entries to show. Empty text and `None` mean "any".
 */
export type LogFilter = { 
/**
 * The table the entry is about (`supplier`, `assessment`, `approval` …).
 */
entity: string, 
/**
 * The id of one row (e.g. a supplier's id).
 */
entity_id: string, 
/**
 * The user who made the change (username).
 */
actor: string, 
/**
 * From this day (inclusive, UTC).
 */
from: string | null, 
/**
 * To this day (inclusive, UTC).
 */
to: string | null, 
/**
 * Skip this many entries (paging).
 */
offset: number, 
/**
 * At most this many entries (at most 500).
 */
limit: number, };

/**
 * A page of entries and how many match in all.
 */
export type LogPage = { entries: Array<LogEntry>, total: number, 
/**
 * Every entity and actor in the trail, for the filter choices.
 */
entities: Array<string>, actors: Array<string>, };

/**
 * Where the chain breaks.
 */
export type Mismatch = { seq: number, reason: string, };

/**
 * A new user, as an administrator enters them.
 */
export type NewUser = { username: string, display_name: string, roles: Array<Role>, password: string, };

/**
 * The organisation's profile.
 */
export type Organisation = { 
/**
 * The legal name.
 */
legal_name: string, 
/**
 * The registration number (a Swedish organisation number, written
 * NNNNNN-NNNN, or another country's).
 */
registration_number: string, 
/**
 * The Legal Entity Identifier, if it has one (DORA's registers use it).
 */
lei: string, 
/**
 * The country of incorporation (ISO 3166-1 alpha-2).
 */
country: string, 
/**
 * What kind of financial entity it is, for the DORA register of
 * information (B_01.01, B_01.02); none while it is not given.
 */
entity_type: EntityType | null, 
/**
 * The authority that supervises it under DORA (B_01.01), as the
 * authority names itself, e.g. Finansinspektionen.
 */
competent_authority: string, 
/**
 * The currency it reports in (ISO 4217): of its total assets and the
 * register of information's amounts.
 */
currency: string, 
/**
 * Its total assets, in whole units of `currency` (B_01.02).
 */
total_assets: number | null, 
/**
 * What the organisation means by the terms the register of information
 * leaves to it (B_99.01).
 */
definitions: Definitions, };

/**
 * The questionnaires sent and not yet returned, the overdue first.
 */
export type Outstanding = { outstanding: number, overdue: number, 
/**
 * Every outstanding questionnaire, by deadline.
 */
entries: Array<QuestionnaireEntry>, };

/**
 * Everything the overview shows.
 */
export type Overview = { today: string, suppliers: number, overdue: Attention, due_soon: Attention, 
/**
 * The reviews scheduled after the 60 days, soonest first.
 */
upcoming: Attention, evidence_expiring: Attention, awaiting_decision: Attention, open_escalations: Attention, reassessment_required: Attention, 
/**
 * Open conditions of standing approvals on current assessments, due
 * within [`CONDITION_WINDOW_DAYS`] or overdue, soonest first.
 */
conditions_due: Attention, by_tier: TierCounts, by_status: Array<StatusCount>, by_level: Array<LevelCount>, heat_map: Array<HeatCell>, };

/**
 * One thing to look at, leading to its supplier.
 */
export type OverviewItem = { supplier_id: SupplierId, supplier: string, tier: Tier, 
/**
 * The date that matters (review due, evidence valid until, submitted on).
 */
date: string | null, 
/**
 * What it is about, in words (evidence title, reason, assessor …).
 */
detail: string, 
/**
 * The assessment that needs the action (a decision, a resolution).
 */
assessment_id: AssessmentId | null, 
/**
 * The kind of an expiring evidence item (its title may be empty).
 */
evidence_kind: EvidenceKind | null, 
/**
 * The detail in every language, where it was recorded so (the reason
 * a reassessment is required).
 */
detail_said?: Said, };

/**
 * A service in a heat-map cell.
 */
export type OverviewService = { supplier_id: SupplierId, supplier: string, service: string, };

/**
 * What an operation needs. The roles allowed for each are decided here
 * and nowhere else; the window is told which the signed-in user holds.
 */
export type Permission = "edit_register" | "assess" | "decide" | "resolve_escalation" | "reopen" | "follow_up" | "manage_users" | "edit_rules" | "export" | "preferences" | "manage_database" | "manage_organisation";

/**
 * Whether a supplier is a company (or other legal person) or an
 * individual acting in a business capacity (DORA, B_05.01).
 */
export type PersonType = "legal_person" | "individual";

/**
 * Personal data a service processes.
 */
export type PersonalData = "none" | "personal" | "special_category";

/**
 * What personal data adds to the transfer table.
 */
export type PersonalDataRule = { personal_data: PersonalData, verdict: Verdict, 
/**
 * The location classes (of where data is stored or accessed) the rule applies to.
 */
applies_to: Array<LocationClass>, };

/**
 * A problem of the package: where (template, row as the CSV file numbers
 * it, column), what, where the row came from and the field in Tillit that
 * fills the cell.
 */
export type Problem = { template: string, row: number | null, column: string, code: ValidationCode, message: string, 
/**
 * The supplier, contract, service, subcontractor or function the row
 * came from ("supplier Molnet AB, contract AVT-1").
 */
source: string, 
/**
 * The same, each as (kind, name), for the window to say in its
 * language: ("supplier", "Molnet AB") …
 */
from: Array<[string, string]>, 
/**
 * The field in Tillit that fills the cell, as the register file names
 * it (`service.functions`).
 */
field: string, };

/**
 * One question of the set.
 */
export type Question = { 
/**
 * Stable identifier, shown beside the question (`1.1`, `4.2` …).
 */
id: string, 
/**
 * The key of the step-1 criterion the answer informs.
 */
criterion: string, kind: AnswerKind, 
/**
 * Whether a returned questionnaire must answer it.
 */
required: boolean, text_en: string, text_sv: string, 
/**
 * What the supplier is asked to give, shown beside the answer cell.
 */
help_en: string, help_sv: string, };

/**
 * A questionnaire sent to a supplier.
 */
export type Questionnaire = { id: QuestionnaireId, supplier_id: SupplierId, 
/**
 * The rule set version whose questions were asked.
 */
rule_set_version: number, language: Language, 
/**
 * The questions as sent.
 */
questions: Array<Question>, questions_sha256: string, deadline: string, sent_at: string, sent_by: string, 
/**
 * The SHA-256 of the workbook sent.
 */
sent_sha256: string, returned: Return | null, answers: Array<Answer>, };

/**
 * A questionnaire with its supplier's name and its state on a day, for
 * lists.
 */
export type QuestionnaireEntry = { id: QuestionnaireId, supplier_id: SupplierId, supplier_name: string, deadline: string, sent_at: string, overdue: boolean, };

/**
 * The id of a questionnaire sent.
 */
export type QuestionnaireId = string;

/**
 * A questionnaire as the window shows it: with whether it is overdue today.
 */
export type QuestionnaireShown = { overdue: boolean, id: QuestionnaireId, supplier_id: SupplierId, 
/**
 * The rule set version whose questions were asked.
 */
rule_set_version: number, language: Language, 
/**
 * The questions as sent.
 */
questions: Array<Question>, questions_sha256: string, deadline: string, sent_at: string, sent_by: string, 
/**
 * The SHA-256 of the workbook sent.
 */
sent_sha256: string, returned: Return | null, answers: Array<Answer>, };

/**
 * A position on the 5×5 matrix.
 */
export type Rating = { likelihood: number, impact: number, };

/**
 * A re-evaluation of an assessment under a newer rule set: from which
 * version to which, who asked for it and when (UTC).
 */
export type Reevaluation = { from_version: number, to_version: number, requested_by: string, at: string, };

/**
 * The order of the register's rows.
 */
export type RegisterOrder = "name" | "tier" | "risk" | "next_review";

/**
 * The rows that match, and the counts.
 */
export type RegisterPage = { rows: Array<RegisterRow>, 
/**
 * All suppliers in the register.
 */
total: number, 
/**
 * The matching suppliers per tier.
 */
by_tier: TierCounts, 
/**
 * The matching suppliers whose services are exposed to foreign access law.
 */
exposed: number, 
/**
 * The day "overdue" and "due soon" were judged on.
 */
today: string, };

/**
 * What the officer asks of the register.
 */
export type RegisterQuery = { 
/**
 * Part of the name or the registration number, in any case.
 */
search: string, tier: Tier | null, status: SupplierStatus | null, exposed: boolean | null, 
/**
 * Country of headquarters.
 */
country: string | null, 
/**
 * Reviews overdue, or due within 60 days (DOMAIN §8).
 */
review: ReviewDue | null, 
/**
 * The highest risk level of the services in the current assessment.
 */
risk_level: RiskBand | null, sort: SortKey, descending: boolean, };

/**
 * One supplier in the register list.
 */
export type RegisterRow = { id: SupplierId, legal_name: string, registration_number: string, country: string, tier: Tier, status: SupplierStatus, exposed: boolean, services: number, updated_at: string, 
/**
 * When the next review is due (suppliers under review).
 */
next_review_on: string | null, 
/**
 * Whether that review is overdue or due soon, today.
 */
review: ReviewDue | null, 
/**
 * The highest risk level of the services in the current assessment
 * (DOMAIN §4: a service's level is its highest residual band).
 */
risk_level: RiskBand | null, };

/**
 * How readily the organisation could take the service back in-house
 * (DORA, B_07.01).
 */
export type Reintegration = "easy" | "difficult" | "highly_complex" | "not_applicable";

/**
 * How much a function relies on the service (DORA register of information).
 */
export type Reliance = "not_significant" | "low" | "material" | "full";

/**
 * What reopening a decided assessment needs: why, and the decision the
 * person was shown and confirmed to void.
 */
export type ReopenInput = { reason: string, 
/**
 * The standing decision the confirmation named; refused when another
 * decision stands by now.
 */
voids: ApprovalId | null, };

/**
 * What the trail says of a report file.
 */
export type ReportCheck = { 
/**
 * The SHA-256 of the file as it is.
 */
sha256: string, 
/**
 * The export that issued it (or the report it claims to be).
 */
issued: Issue | null, 
/**
 * Whether the bytes are exactly the ones issued.
 */
unchanged: boolean, };

/**
 * Which report.
 */
export type ReportKind = "assessment" | "register" | "summary";

/**
 * A contract security requirement and the lowest risk level at which it is mandatory (DOMAIN §5).
 */
export type RequirementDef = { key: string, text_en: string, text_sv: string, min_level: RiskBand, 
/**
 * Mandatory only when the service processes personal data (e.g. a DPA).
 */
only_with_personal_data: boolean, };

/**
 * The officer's mark on one requirement.
 */
export type RequirementMark = { key: string, status: RequirementStatus, 
/**
 * Required for `not_applicable` and `deviation_accepted`.
 */
justification: string, };

/**
 * How a mandatory contract requirement stands in the contract.
 */
export type RequirementStatus = "in_contract" | "missing" | "not_applicable" | "deviation_accepted";

/**
 * An escalation resolved by someone other than the assessor.
 */
export type Resolution = { resolver: string, 
/**
 * `approved` or `stop`.
 */
decision: Step1Outcome, justification: string, at: string, };

/**
 * What a restore did.
 */
export type RestoreSummary = { 
/**
 * The backup restored.
 */
restored_from: string, 
/**
 * The SHA-256 of the backup file.
 */
sha256: string, 
/**
 * Where the database as it was before the restore was kept.
 */
kept_aside: string, 
/**
 * The schema version of the backup (upgraded to the current one when older).
 */
backup_schema_version: number, 
/**
 * Entries of the restored audit trail, the restore's own included.
 */
audit_entries: number, };

/**
 * The return of a questionnaire: when, by whom it was imported, and the
 * file kept.
 */
export type Return = { returned_at: string, returned_by: string, 
/**
 * How many returns were imported; the answers are the last one's.
 */
returns: number, file: EvidenceFile, };

/**
 * How the next review of a supplier under review stands today.
 */
export type ReviewDue = "overdue" | "due_soon";

/**
 * One risk of a service.
 */
export type Risk = { 
/**
 * A listed dimension, or another the officer names.
 */
dimension: RiskDimension, description: string, inherent: Rating, treatment: Treatment, 
/**
 * The controls relied on.
 */
controls: string, residual: Rating, 
/**
 * Who owns the risk in the organisation (ISO/IEC 27001 6.1.2): the
 * person accountable for its treatment. Left out of the content (and
 * so of its fingerprint) while none is named.
 */
owner?: string, };

/**
 * A risk band, from low to critical.
 */
export type RiskBand = "low" | "medium" | "high" | "critical";

/**
 * The dimension of one risk: listed, or named by the officer.
 */
export type RiskDimension = ListedDimension | string;

/**
 * What a user may do (DOMAIN, "The people"). A user may hold several.
 */
export type Role = "procurement_officer" | "management" | "administrator" | "auditor";

/**
 * A row that does not match the trail.
 */
export type RowMismatch = { table: string, key: string, 
/**
 * The entry that last recorded the row; `None` when no entry did.
 */
seq: number | null, reason: string, };

/**
 * A complete rule set.
 */
export type RuleSet = { criteria: Array<Criterion>, step1: Step1Thresholds, likelihood: Array<ScaleLevel>, impact: Array<ScaleLevel>, 
/**
 * The impact scale read for each dimension, shown in the step-2 form.
 */
impact_guidance: Array<DimensionGuidance>, bands: BandLimits, requirements: Array<RequirementDef>, transfer: Array<TransferRow>, personal_data: Array<PersonalDataRule>, 
/**
 * Countries whose access laws expose data (ISO codes; default US).
 */
exposing_jurisdictions: Array<string>, 
/**
 * The questions a questionnaire asks (DOMAIN §13); a rule set stored
 * before questionnaires existed asks Tillit's own.
 */
questions: Array<Question>, };

/**
 * A sentence as each language says it, written when it was recorded: the
 * reason of a detected event, so a Swedish window shows it in Swedish. A
 * reason a person typed is the same in both.
 */
export type Said = { en: string, sv: string, };

/**
 * What a saved report was, as the UI shows it.
 */
export type SavedReport = { path: string, pages: number, bytes: number, 
/**
 * SHA-256 (hex) of the PDF file, as recorded in the audit trail.
 */
sha256: string, 
/**
 * SHA-256 (hex) of the report's content, printed on every page.
 */
fingerprint: string, };

/**
 * A level of the likelihood or impact scale, 1–5.
 */
export type ScaleLevel = { value: number, label_en: string, label_sv: string, 
/**
 * Guidance shown in the form, e.g. "less than once in 10 years".
 */
guidance_en: string, guidance_sv: string, };

/**
 * A questionnaire sent: its record and the workbook.
 */
export type Sent = { questionnaire: Questionnaire, file: FileContent, };

/**
 * A service a supplier provides.
 */
export type Service = { id: ServiceId, supplier_id: SupplierId, 
/**
 * The worst location class of its storage and access countries
 * (computed; `None` while no country is recorded).
 */
location_class: LocationClass | null, 
/**
 * The subcontractors that store or access its data (computed: those
 * that work on it), whose countries join its own (DOMAIN §2). For the
 * window; a register file carries the subcontractors and their links
 * instead.
 */
subcontracted?: Array<SubcontractedLocation>, 
/**
 * Whether one of the functions it supports is critical or important
 * (computed from them; a register file of an earlier version that
 * says so without naming functions gets one created on import).
 */
supports_critical_function: boolean, created_at: string, updated_at: string, name: string, description: string, service_type: string, 
/**
 * The type of ICT service in DORA's list (S01–S19); none while not given.
 */
ict_service_type: IctServiceType | null, data_classification: DataClassification, 
/**
 * How sensitive the stored data is, for DORA; none while not given.
 */
data_sensitivity: DataSensitivity | null, personal_data: PersonalData, 
/**
 * Countries where our data is stored.
 */
storage_countries: Array<string>, 
/**
 * Countries from which our data is accessed or processed (support, operations).
 */
access_countries: Array<string>, 
/**
 * The organisation's business functions it supports (their
 * identifiers, `F1` …).
 */
functions: Array<string>, reliance: Reliance, substitutability: Substitutability, 
/**
 * Why it is hard or impossible to replace, when it is (DORA).
 */
substitutability_reason: SubstitutabilityReason | null, 
/**
 * How readily it could be taken back in-house (DORA).
 */
reintegration: Reintegration | null, 
/**
 * The impact of its being discontinued (DORA).
 */
discontinuing_impact: Impact | null, rto_hours: number | null, rpo_hours: number | null, 
/**
 * The availability the SLA promises, in percent.
 */
sla_availability_percent: number | null, contract_reference: string, 
/**
 * How the contract stands to others (DORA); none while not given.
 */
contract_arrangement: ContractArrangement | null, 
/**
 * The reference of the overarching contract a subsequent one follows.
 */
overarching_contract: string, contract_start: string | null, contract_end: string | null, renewal_date: string | null, 
/**
 * Notice the supplier must give to terminate, in days.
 */
notice_period_supplier_days: number | null, 
/**
 * Notice we must give to terminate, in days.
 */
notice_period_customer_days: number | null, governing_law_country: string, 
/**
 * Annual cost in whole units of `currency`.
 */
annual_cost: number | null, 
/**
 * ISO 4217 code, e.g. SEK or EUR.
 */
currency: string, exit_plan: boolean, 
/**
 * Alternative providers identified.
 */
alternative_providers: string, };

/**
 * Step 2 of one service within an assessment.
 */
export type ServiceAssessment = { service_id: ServiceId, input: ServiceInput, result: ServiceResult, };

/**
 * What an officer records about a service.
 */
export type ServiceFields = { name: string, description: string, service_type: string, 
/**
 * The type of ICT service in DORA's list (S01–S19); none while not given.
 */
ict_service_type: IctServiceType | null, data_classification: DataClassification, 
/**
 * How sensitive the stored data is, for DORA; none while not given.
 */
data_sensitivity: DataSensitivity | null, personal_data: PersonalData, 
/**
 * Countries where our data is stored.
 */
storage_countries: Array<string>, 
/**
 * Countries from which our data is accessed or processed (support, operations).
 */
access_countries: Array<string>, 
/**
 * The organisation's business functions it supports (their
 * identifiers, `F1` …).
 */
functions: Array<string>, reliance: Reliance, substitutability: Substitutability, 
/**
 * Why it is hard or impossible to replace, when it is (DORA).
 */
substitutability_reason: SubstitutabilityReason | null, 
/**
 * How readily it could be taken back in-house (DORA).
 */
reintegration: Reintegration | null, 
/**
 * The impact of its being discontinued (DORA).
 */
discontinuing_impact: Impact | null, rto_hours: number | null, rpo_hours: number | null, 
/**
 * The availability the SLA promises, in percent.
 */
sla_availability_percent: number | null, contract_reference: string, 
/**
 * How the contract stands to others (DORA); none while not given.
 */
contract_arrangement: ContractArrangement | null, 
/**
 * The reference of the overarching contract a subsequent one follows.
 */
overarching_contract: string, contract_start: string | null, contract_end: string | null, renewal_date: string | null, 
/**
 * Notice the supplier must give to terminate, in days.
 */
notice_period_supplier_days: number | null, 
/**
 * Notice we must give to terminate, in days.
 */
notice_period_customer_days: number | null, governing_law_country: string, 
/**
 * Annual cost in whole units of `currency`.
 */
annual_cost: number | null, 
/**
 * ISO 4217 code, e.g. SEK or EUR.
 */
currency: string, exit_plan: boolean, 
/**
 * Alternative providers identified.
 */
alternative_providers: string, };

/**
 * The id of a service.
 */
export type ServiceId = string;

/**
 * What the officer records in step 2 for one service.
 */
export type ServiceInput = { risks: Array<Risk>, requirements: Array<RequirementMark>, 
/**
 * Standard contractual clauses are in place (for a `safeguards` verdict).
 */
standard_contractual_clauses: boolean, 
/**
 * A transfer impact assessment is recorded (for a `safeguards` verdict).
 */
transfer_impact_assessment: boolean, };

/**
 * What the core computed for one service.
 */
export type ServiceResult = { 
/**
 * The highest residual band of its risks.
 */
level: RiskBand | null, 
/**
 * The requirements mandatory at that level.
 */
mandatory: Array<string>, transfer: TransferEvaluation, blocking: Array<BlockingItem>, 
/**
 * A risk of level high or above is treated by accepting it.
 */
high_risk_accepted: boolean, };

/**
 * One service in the summary.
 */
export type ServiceSummary = { service_id: ServiceId, name: string, level: RiskBand | null, transfer: Verdict, blocking: Array<BlockingItem>, };

/**
 * Whether anyone can sign in yet, and who is signed in.
 */
export type Session = { 
/**
 * `false` on first start: the administrator must be created.
 */
users_exist: boolean, user: User | null, 
/**
 * What the signed-in user may do, as the core decides it: the window
 * shows an action only to those it would not refuse.
 */
permissions: Array<Permission>, 
/**
 * The language the window speaks to them: their own choice, else
 * Tillit's (`None`: the operating system's); see `contract::session`.
 */
language: Language | null, };

/**
 * A signature as shown with the record it signs.
 */
export type SignatureInfo = { 
/**
 * The signed record's fingerprint (SHA-256, hex).
 */
fingerprint: string, 
/**
 * The signature (Ed25519, 128 hexadecimal digits).
 */
signature: string, 
/**
 * The signer's key id (the first 16 hex digits of the public key's SHA-256).
 */
key_id: string, 
/**
 * The signer's public key (64 hexadecimal digits).
 */
public_key: string, signed_at: string, };

/**
 * SLA fulfilment of one service over one period, as entered.
 */
export type SlaInput = { period_start: string | null, period_end: string | null, 
/**
 * What is measured, e.g. "availability %".
 */
metric: string, target: number, measured: number, 
/**
 * Higher is better (availability); lower is better (response time).
 */
higher_is_better: boolean, note: string, };

/**
 * An SLA record with its computed fulfilment.
 */
export type SlaRecord = { id: SlaRecordId, service_id: ServiceId, input: SlaInput, met: boolean, recorded_by: string, recorded_at: string, };

/**
 * The id of an SLA record.
 */
export type SlaRecordId = string;

/**
 * The column the register is sorted on.
 */
export type SortKey = "name" | "registration_number" | "country" | "tier" | "status" | "exposed" | "services" | "updated_at" | "next_review" | "risk_level";

/**
 * Why a linked evidence item does or does not count.
 */
export type Standing = "counts" | "counts_beside_certificate" | "not_current" | "needs_certificate" | "never_counts" | "removed";

/**
 * Assessments per state, among those the other filters leave.
 */
export type StateCount = { state: WorkState, count: number, };

/**
 * Counts of suppliers per status.
 */
export type StatusCount = { status: SupplierStatus, count: number, };

/**
 * What the officer records in step 1.
 */
export type Step1Input = { 
/**
 * The rating 0–3 of each criterion, by key.
 */
ratings: { [key in string]: number }, 
/**
 * The evidence note of each criterion, by key: what the rating rests on.
 */
notes: { [key in string]: string }, 
/**
 * The evidence items of the register each criterion relies on, by key.
 */
evidence: { [key in string]: Array<EvidenceId> }, 
/**
 * Compensating controls, documented when there is no valid certification.
 */
compensating_controls: string, };

/**
 * The outcome of step 1.
 */
export type Step1Outcome = "approved" | "escalate" | "stop";

/**
 * Why step 1 came out as it did.
 */
export type Step1Reason = { "kind": "stop_criterion_zero", criterion: string, } | { "kind": "criterion_zero", criterion: string, } | { "kind": "no_certification_no_controls" } | { "kind": "total_below_threshold", total: number, maximum: number, required_percent: number, } | { "kind": "critical_below_minimum", criterion: string, rating: number, minimum: number, };

/**
 * The computed result of step 1.
 */
export type Step1Result = { outcome: Step1Outcome, 
/**
 * Every reason that applies; empty when approved.
 */
reasons: Array<Step1Reason>, total: number, maximum: number, 
/**
 * The evidence linked to the certification criterion, each judged on
 * the assessment day: what counted and why the rest did not. (Empty in
 * results computed before evidence was judged by its link.)
 */
certification?: Array<Finding>, };

/**
 * The thresholds of the step-1 outcome (DOMAIN §3).
 */
export type Step1Thresholds = { 
/**
 * Criteria whose rating 0 stops the assessment.
 */
stop_if_zero: Array<string>, 
/**
 * The criterion that needs a valid certification or attestation.
 */
certification: string, 
/**
 * Without a valid certification, the highest rating compensating controls can earn.
 */
max_rating_without_certification: number, 
/**
 * Escalate when the total is below this percentage of the maximum.
 */
min_total_percent: number, 
/**
 * For a critical supplier, escalate when any criterion is below this rating.
 */
critical_min_rating: number, };

/**
 * A rule set as stored: its version and who saved it when.
 */
export type StoredRuleSet = { version: number, rules: RuleSet, note: string, created_by: string, created_at: string, };

/**
 * A subcontractor that stores or accesses a service's data, and where.
 */
export type SubcontractedLocation = { subcontractor: string, country: string, stores_data: boolean, accesses_data: boolean, };

/**
 * A subcontractor of a supplier.
 */
export type Subcontractor = { id: SubcontractorId, supplier_id: SupplierId, name: string, country: string, 
/**
 * A legal person, or an individual acting in a business capacity.
 */
person_type: PersonType, 
/**
 * Its national registration number; a Swedish organisation number
 * when its country is SE.
 */
registration_number: string, 
/**
 * Its Legal Entity Identifier (ISO 17442), if it has one.
 */
lei: string, 
/**
 * What it does for the supplier.
 */
role: string, stores_data: boolean, accesses_data: boolean, 
/**
 * The supplier's services it works on; empty for all of them.
 */
services?: Array<ServiceId>, 
/**
 * The subcontractor of the same supplier it works for, further down
 * the chain (DORA's ranks); none when it works for the supplier.
 */
serves?: SubcontractorId, };

/**
 * What an officer records about a subcontractor that touches our data.
 */
export type SubcontractorFields = { name: string, country: string, 
/**
 * A legal person, or an individual acting in a business capacity.
 */
person_type: PersonType, 
/**
 * Its national registration number; a Swedish organisation number
 * when its country is SE.
 */
registration_number: string, 
/**
 * Its Legal Entity Identifier (ISO 17442), if it has one.
 */
lei: string, 
/**
 * What it does for the supplier.
 */
role: string, stores_data: boolean, accesses_data: boolean, 
/**
 * The supplier's services it works on; empty for all of them.
 */
services?: Array<ServiceId>, 
/**
 * The subcontractor of the same supplier it works for, further down
 * the chain (DORA's ranks); none when it works for the supplier.
 */
serves?: SubcontractorId, };

/**
 * The id of a subcontractor.
 */
export type SubcontractorId = string;

/**
 * How hard the service is to replace (DORA register of information).
 */
export type Substitutability = "easy" | "medium" | "highly_complex" | "not_substitutable";

/**
 * Why a service is hard or impossible to replace (DORA, B_07.01).
 */
export type SubstitutabilityReason = "no_alternatives" | "hard_to_migrate" | "both";

/**
 * The summary of a supplier's assessment.
 */
export type Summary = { state: AssessmentState, step1: Step1Outcome | null, 
/**
 * How many criteria step 1 rates, of how many.
 */
step1_rated: number, step1_criteria: number, resolved: boolean, services: Array<ServiceSummary>, 
/**
 * Services of the supplier that step 2 has not covered yet.
 */
services_not_assessed: Array<string>, approval_required: boolean, approval_reasons: Array<ApprovalReason>, 
/**
 * Who decides (DOMAIN §7): management where approval is required,
 * else the procurement officer.
 */
decider: Role, 
/**
 * Whether anything blocks approval.
 */
blocked: boolean, 
/**
 * Everything that blocks approval, in order.
 */
blockers: Array<Blocker>, 
/**
 * The lock on step 1, and on the whole assessment (DOMAIN §3).
 */
step1_lock: Lock | null, lock: Lock | null, 
/**
 * The decision that stands, if any.
 */
decision: ApprovalRecord | null, 
/**
 * The latest voided decision when none stands, and the reopening that
 * voided it, if it was reopened.
 */
voided: ApprovalRecord | null, reopened: AssessmentEvent | null, };

/**
 * A supplier in the register.
 */
export type Supplier = { id: SupplierId, status: SupplierStatus, 
/**
 * Why the supplier was offboarded.
 */
offboarding_reason: string | null, created_at: string, updated_at: string, legal_name: string, 
/**
 * A legal person, or an individual acting in a business capacity.
 */
person_type: PersonType, 
/**
 * The national registration number; a Swedish organisation number
 * (`NNNNNN-NNNN`, Luhn-checked) when incorporated in SE.
 */
registration_number: string, 
/**
 * Legal Entity Identifier (ISO 17442).
 */
lei: string, 
/**
 * European Unique Identifier.
 */
euid: string, vat_number: string, country_of_incorporation: string, country_of_headquarters: string, parent_name: string, parent_identifier: string, parent_country: string, website: string, contact_name: string, contact_email: string, 
/**
 * Who in our organisation owns the relationship.
 */
internal_owner: string, tier: Tier, tier_justification: string, 
/**
 * Certified under the EU–US Data Privacy Framework.
 */
dpf_certified: boolean, 
/**
 * An officer's override of the derived exposure: `None` to follow the derivation.
 */
exposure_override: boolean | null, exposure_override_justification: string, notes: string, };

/**
 * A supplier with everything registered about it and its derived exposure.
 */
export type SupplierDetail = { supplier: Supplier, services: Array<Service>, subcontractors: Array<Subcontractor>, evidence: Array<Evidence>, exposure: Exposure, 
/**
 * Each evidence item's validity today, as the core's clock has it, in
 * the order of `evidence`: computed for the window, never written to
 * or read from a register file.
 */
evidence_validity?: Array<Validity>, };

/**
 * What an officer records about a supplier. Optional text is empty when
 * unknown; countries are ISO 3166-1 alpha-2 codes.
 */
export type SupplierFields = { legal_name: string, 
/**
 * A legal person, or an individual acting in a business capacity.
 */
person_type: PersonType, 
/**
 * The national registration number; a Swedish organisation number
 * (`NNNNNN-NNNN`, Luhn-checked) when incorporated in SE.
 */
registration_number: string, 
/**
 * Legal Entity Identifier (ISO 17442).
 */
lei: string, 
/**
 * European Unique Identifier.
 */
euid: string, vat_number: string, country_of_incorporation: string, country_of_headquarters: string, parent_name: string, parent_identifier: string, parent_country: string, website: string, contact_name: string, contact_email: string, 
/**
 * Who in our organisation owns the relationship.
 */
internal_owner: string, tier: Tier, tier_justification: string, 
/**
 * Certified under the EU–US Data Privacy Framework.
 */
dpf_certified: boolean, 
/**
 * An officer's override of the derived exposure: `None` to follow the derivation.
 */
exposure_override: boolean | null, exposure_override_justification: string, notes: string, };

/**
 * The id of a supplier.
 */
export type SupplierId = string;

/**
 * Where the supplier is in the workflow; changed only by the workflow.
 */
export type SupplierStatus = "draft" | "in_assessment" | "approved" | "approved_with_conditions" | "rejected" | "reassessment_required" | "offboarded";

/**
 * One table and how many rows it holds.
 */
export type TableCount = { table: string, rows: number, };

/**
 * What connecting to a team server came to.
 */
export type TeamConnection = { "state": "connected", server: TeamServer, } | { "state": "untrusted", url: string, fingerprint: string, };

/**
 * A team server as this computer knows it: its address, and the
 * fingerprint of the self-signed certificate the person trusted for it
 * (none when its certificate chains to the computer's roots).
 */
export type TeamServer = { url: string, fingerprint: string | null, };

/**
 * Where the window works: the team server it is connected to, if any,
 * and the one it remembers for the sign-in page.
 */
export type TeamServerState = { connected: TeamServer | null, remembered: TeamServer | null, };

/**
 * How much the organisation depends on the supplier.
 */
export type Tier = "critical" | "essential" | "standard";

/**
 * Suppliers per tier.
 */
export type TierCounts = { critical: number, essential: number, standard: number, };

/**
 * The transfer verdict of a service with every rule that fired.
 */
export type TransferEvaluation = { 
/**
 * The strictest verdict of the fired rules.
 */
verdict: Verdict, fired: Array<FiredRule>, };

/**
 * One row of the transfer table (DOMAIN §6): the verdict for data of
 * `classification` by location class, and when exposed to foreign access law.
 */
export type TransferRow = { classification: DataClassification, se: Verdict, eu_eea: Verdict, adequate: Verdict, third: Verdict, exposed: Verdict, };

/**
 * Which rule fired.
 */
export type TransferRule = { "kind": "location", classification: DataClassification, class: LocationClass, countries: Array<string>, 
/**
 * The subcontractors that store or access data in those countries.
 */
via?: Array<string>, } | { "kind": "exposure", classification: DataClassification, } | { "kind": "personal_data", personal_data: PersonalData, class: LocationClass, countries: Array<string>, 
/**
 * The subcontractors that store or access data in those countries.
 */
via?: Array<string>, } | { "kind": "no_location" };

/**
 * How a risk is treated.
 */
export type Treatment = "mitigate" | "accept" | "transfer" | "avoid";

/**
 * The settings the UI reads at start.
 */
export type UiSettings = { 
/**
 * The chosen language; `None` until the user chooses one, when the UI
 * follows the operating system's language.
 */
language: Language | null, };

/**
 * A user as shown and as signed in (never with the password hash).
 */
export type User = { id: UserId, username: string, display_name: string, roles: Array<Role>, active: boolean, created_at: string, };

/**
 * A change to a user by an administrator.
 */
export type UserChange = { display_name: string, roles: Array<Role>, active: boolean, };

/**
 * The id of a user.
 */
export type UserId = string;

/**
 * What is wrong with a field; the UI shows its own sentence for each code.
 */
export type ValidationCode = "required" | "too_short" | "too_long" | "format" | "checksum" | "unknown_country" | "date_order" | "out_of_range" | "duplicate" | "unknown_value";

/**
 * Where a day falls in the days an evidence item is current (DOMAIN §3).
 */
export type Validity = "valid" | "expired" | "notYet";

/**
 * What a transfer rule says, from least to most strict.
 */
export type Verdict = "allowed" | "safeguards" | "forbidden";

/**
 * The result of verifying the chain and the tables against it.
 */
export type Verification = { 
/**
 * Entries checked.
 */
entries: number, 
/**
 * The first entry that does not match, and why; `None` when the chain is intact.
 */
first_mismatch: Mismatch | null, 
/**
 * Rows of the recorded tables compared with the trail.
 */
rows_checked: number, 
/**
 * Rows that differ from what the trail last recorded of them, in the
 * order of the entry concerned (rows the trail never saw come last).
 */
row_mismatches: Array<RowMismatch>, 
/**
 * Signed records and signing keys that do not verify (DOMAIN §7).
 */
signature_problems: Array<Discrepancy>, 
/**
 * Schema objects Tillit did not create, or that are missing or changed.
 */
schema_problems: Array<Discrepancy>, 
/**
 * Evidence files that are missing or whose bytes no longer match
 * their SHA-256 (checked when the database has an evidence folder).
 */
file_problems: Array<Discrepancy>, 
/**
 * Anchors kept outside the file that the trail no longer holds
 * (filled by the caller that was given anchors).
 */
anchor_problems: Array<Discrepancy>, 
/**
 * The last entry of the chain: what an anchor keeps.
 */
head: Anchor | null, };

/**
 * Where an assessment stands in the worklist, in the order of the work.
 */
export type WorkState = "draft" | "escalated" | "step2" | "reopened" | "voided" | "submitted" | "stopped" | "decided";

/**
 * The rows that match, and the counts.
 */
export type WorklistPage = { rows: Array<WorklistRow>, 
/**
 * The assessments listed without any filter (current ones, or all).
 */
total: number, 
/**
 * Per state, under every filter but the state.
 */
by_state: Array<StateCount>, 
/**
 * What the signed-in user can act on now.
 */
needs_me: number, 
/**
 * Everyone who assessed, for the assessor filter, by name.
 */
assessors: Array<string>, };

/**
 * What the worklist is asked for.
 */
export type WorklistQuery = { 
/**
 * Part of the supplier's name or registration number, in any case.
 */
search: string, state: WorkState | null, 
/**
 * The assessor's name, exactly as the list shows it.
 */
assessor: string | null, tier: Tier | null, 
/**
 * Only what the signed-in user can act on now.
 */
needs_me: boolean, 
/**
 * Earlier assessments too, not only each supplier's current one.
 */
all: boolean, sort: WorklistSort, descending: boolean, };

/**
 * One assessment in the worklist.
 */
export type WorklistRow = { id: AssessmentId, supplier_id: SupplierId, supplier: string, tier: Tier, supplier_status: SupplierStatus, assessed_on: string, assessor: string, state: WorkState, 
/**
 * The decision that stands.
 */
decision: Decision | null, 
/**
 * Who decides a submitted assessment (DOMAIN §7): management where
 * approval is required, else the procurement officer.
 */
decider: Role | null, 
/**
 * The day it was submitted, while it awaits the decision.
 */
submitted_on: string | null, 
/**
 * UTC, as stored: the last change.
 */
updated_at: string, 
/**
 * Whether it is its supplier's current (latest) assessment.
 */
current: boolean, 
/**
 * Whether the signed-in user can act on it now.
 */
needs_me: boolean, };

/**
 * The column the worklist is sorted on.
 */
export type WorklistSort = "supplier" | "tier" | "state" | "assessed_on" | "assessor" | "updated_at";

export interface Commands {
  app_info: { args: {  }; result: AppInfo };
  get_ui_settings: { args: {  }; result: UiSettings };
  set_language: { args: { language: Language }; result: UiSettings };
  list_countries: { args: {  }; result: Array<Country> };
  list_register: { args: { query: RegisterQuery }; result: RegisterPage };
  find_supplier: { args: { text: string }; result: SupplierId };
  supplier_detail: { args: { id: SupplierId }; result: SupplierDetail };
  create_supplier: { args: { fields: SupplierFields }; result: SupplierDetail };
  update_supplier: { args: { id: SupplierId; fields: SupplierFields; based_on: SupplierFields | null }; result: SupplierDetail };
  offboard_supplier: { args: { id: SupplierId; reason: string }; result: SupplierDetail };
  add_service: { args: { supplier_id: SupplierId; fields: ServiceFields }; result: SupplierDetail };
  update_service: { args: { id: ServiceId; fields: ServiceFields; based_on: ServiceFields | null }; result: SupplierDetail };
  remove_service: { args: { id: ServiceId }; result: SupplierDetail };
  add_subcontractor: { args: { supplier_id: SupplierId; fields: SubcontractorFields }; result: SupplierDetail };
  update_subcontractor: { args: { id: SubcontractorId; fields: SubcontractorFields; based_on: SubcontractorFields | null }; result: SupplierDetail };
  remove_subcontractor: { args: { id: SubcontractorId }; result: SupplierDetail };
  add_evidence: { args: { supplier_id: SupplierId; fields: EvidenceFields; file: string | null }; result: SupplierDetail };
  remove_evidence: { args: { id: EvidenceId }; result: SupplierDetail };
  open_evidence: { args: { id: EvidenceId }; result: null };
  import_file: { args: { path: string }; result: ImportSummary };
  export_register: { args: { path: string }; result: null };
  current_rule_set: { args: {  }; result: StoredRuleSet };
  rule_set: { args: { version: number }; result: RuleSet };
  save_rule_set: { args: { rules: RuleSet; note: string }; result: StoredRuleSet };
  start_assessment: { args: { supplier_id: SupplierId; assessed_on: string }; result: Assessment };
  list_assessments: { args: { query: WorklistQuery }; result: WorklistPage };
  needs_me: { args: {  }; result: number };
  assessments_of: { args: { supplier_id: SupplierId }; result: Array<Assessment> };
  assessment_history: { args: { supplier_id: SupplierId }; result: Array<AssessmentEntry> };
  risk_grid: { args: { rule_set_version: number }; result: Array<Array<RiskBand>> };
  get_assessment: { args: { id: AssessmentId }; result: Assessment };
  save_step1: { args: { id: AssessmentId; input: Step1Input; based_on: Step1Input | null }; result: Assessment };
  resolve_escalation: { args: { id: AssessmentId; decision: Step1Outcome; justification: string }; result: Assessment };
  save_service_assessment: { args: { id: AssessmentId; service_id: ServiceId; input: ServiceInput; based_on: ServiceInput | null }; result: Assessment };
  preview_service_assessment: { args: { id: AssessmentId; service_id: ServiceId; input: ServiceInput }; result: ServiceResult };
  assessment_summary: { args: { id: AssessmentId }; result: Summary };
  reevaluate_assessment: { args: { id: AssessmentId }; result: Assessment };
  team_server: { args: {  }; result: TeamServerState };
  connect_team_server: { args: { url: string; fingerprint: string | null }; result: TeamConnection };
  disconnect_team_server: { args: {  }; result: null };
  session: { args: {  }; result: Session };
  create_first_administrator: { args: { user: NewUser }; result: User };
  sign_in: { args: { username: string; password: string }; result: User };
  sign_out: { args: {  }; result: null };
  list_users: { args: {  }; result: Array<User> };
  create_user: { args: { user: NewUser }; result: User };
  update_user: { args: { id: UserId; change: UserChange }; result: User };
  reset_password: { args: { id: UserId; password: string }; result: null };
  submit_assessment: { args: { id: AssessmentId }; result: Assessment };
  decide_assessment: { args: { id: AssessmentId; input: DecisionInput }; result: Assessment };
  withdraw_assessment: { args: { id: AssessmentId; reason: string }; result: Assessment };
  reopen_assessment: { args: { id: AssessmentId; input: ReopenInput }; result: Assessment };
  close_condition: { args: { input: CloseConditionInput }; result: Assessment };
  follow_up: { args: { supplier_id: SupplierId }; result: FollowUp };
  record_deviation: { args: { supplier_id: SupplierId; input: DeviationInput }; result: FollowUp };
  record_sla: { args: { service_id: ServiceId; input: SlaInput }; result: FollowUp };
  overview: { args: {  }; result: Overview };
  conditions_due: { args: {  }; result: Attention };
  organisation: { args: {  }; result: Organisation };
  save_organisation: { args: { organisation: Organisation; based_on: Organisation | null }; result: Organisation };
  list_functions: { args: {  }; result: Array<BusinessFunction> };
  licensed_activities: { args: {  }; result: Array<LicensedActivity> };
  create_function: { args: { fields: FunctionFields }; result: BusinessFunction };
  update_function: { args: { id: string; fields: FunctionFields; based_on: FunctionFields | null }; result: BusinessFunction };
  remove_function: { args: { id: string }; result: Array<BusinessFunction> };
  check_dora: { args: { ref_date: string }; result: DoraCheck };
  export_dora: { args: { ref_date: string; draft: boolean; path: string }; result: DoraExport };
  dora_content: { args: { ref_date: string; draft: boolean }; result: DoraContent };
  questionnaires_of: { args: { supplier_id: SupplierId }; result: Array<QuestionnaireShown> };
  questionnaire_drawn_on: { args: { id: AssessmentId }; result: Questionnaire | null };
  outstanding_questionnaires: { args: {  }; result: Outstanding };
  questionnaire_file_name: { args: { supplier_id: SupplierId; language: Language }; result: string };
  send_questionnaire: { args: { supplier_id: SupplierId; deadline: string; language: Language; path: string }; result: Questionnaire };
  questionnaire_content: { args: { supplier_id: SupplierId; deadline: string; language: Language }; result: Sent };
  receive_questionnaire: { args: { path: string; expected: Expected; replace: boolean }; result: Questionnaire };
  receive_questionnaire_content: { args: { file: FileContent; expected: Expected; replace: boolean }; result: Questionnaire };
  heat_cell: { args: { likelihood: number; impact: number }; result: Array<OverviewService> };
  verify_audit: { args: {  }; result: Verification };
  audit_log: { args: { filter: LogFilter }; result: LogPage };
  report_file_name: { args: { kind: ReportKind; supplier_id: SupplierId | null }; result: string };
  open_report: { args: { path: string }; result: null };
  save_report: { args: { kind: ReportKind; supplier_id: SupplierId | null; language: Language; order: RegisterOrder | null; path: string }; result: SavedReport };
  choose_file: { args: { purpose: FilePurpose; title: string; filter: string; suggested_name: string | null }; result: string | null };
  import_content: { args: { file: FileContent }; result: ImportSummary };
  export_register_content: { args: {  }; result: FileContent };
  report_content: { args: { kind: ReportKind; supplier_id: SupplierId | null; language: Language; order: RegisterOrder | null }; result: IssuedReport };
  check_report_content: { args: { file: FileContent }; result: ReportCheck };
  add_evidence_content: { args: { supplier_id: SupplierId; fields: EvidenceFields; file: FileContent | null }; result: SupplierDetail };
  evidence_content: { args: { id: EvidenceId }; result: FileContent };
  backup_content: { args: {  }; result: BackupContent };
  changes: { args: {  }; result: number };
  backup_database: { args: { path: string }; result: BackupSummary };
  restore_database: { args: { path: string }; result: RestoreSummary };
}
