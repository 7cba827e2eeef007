// The message catalogue. Every string the UI shows comes from here, in English
// and Swedish; the type of `sv` makes a missing or extra key a compile error.
// `{name}` marks a value filled in by `t(key, { name })`.

export const en = {
  'app.name': 'Tillit',
  'app.tagline': 'Supplier risk assessment',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.error': 'Something went wrong',

  'nav.label': 'Main navigation',
  'nav.overview': 'Overview',
  'nav.suppliers': 'Suppliers',
  'nav.assessments': 'Assessments',
  'nav.reports': 'Reports',
  'nav.settings': 'Settings',

  'overview.title': 'Overview',
  'overview.intro': 'What needs attention across your suppliers.',
  'overview.empty.title': 'No suppliers registered yet',
  'overview.empty.body':
    'Once suppliers are registered, this page lists overdue reviews, reviews due within 60 days, evidence expiring within 90 days and assessments awaiting approval.',
  'overview.steps.title': 'How an assessment works',
  'overview.steps.register': 'Register the supplier, its services, subcontractors and evidence.',
  'overview.steps.step1': 'Step 1 rates the organisation: approved, escalate or stop.',
  'overview.steps.step2': 'Step 2 rates each service by likelihood × impact (ISO 31000).',
  'overview.steps.transfer': 'Binding data-transfer rules decide where data may be stored and accessed.',
  'overview.steps.approval': 'Management approves critical suppliers.',
  'overview.steps.review': 'Critical and essential suppliers are reviewed every year, and on deviations.',

  'suppliers.title': 'Suppliers',
  'suppliers.intro': 'The register of suppliers, their services, subcontractors and evidence.',
  'suppliers.empty': 'No suppliers registered yet.',

  'assessments.title': 'Assessments',
  'assessments.intro': 'Step 1 of each supplier and step 2 of each of its services.',
  'assessments.empty': 'No assessments yet.',

  'reports.title': 'Reports',
  'reports.intro': 'Assessment reports, the supplier register and the review summary as PDF.',
  'reports.empty': 'Reports become available once suppliers are assessed.',

  'settings.title': 'Settings',
  'settings.language.title': 'Language',
  'settings.language.label': 'Language of the application',
  'settings.language.saved': 'Language saved.',
  'settings.database.title': 'Database',
  'settings.database.file': 'File',
  'settings.database.memory': 'In memory',
  'settings.database.schema': 'Schema version',
  'settings.database.schemaValue': '{version} (this version of Tillit supports up to {supported})',
  'settings.database.tables': 'Tables',
  'settings.database.table': 'Table',
  'settings.database.rows': 'Rows',
  'settings.about.title': 'About',
  'settings.about.version': 'Version',

  'language.en': 'English',
  'language.sv': 'Svenska',

  'error.database_too_new': 'The database was written by a newer version of Tillit.',
  'error.not_a_tillit_database': 'The file is not a Tillit database.',
  'error.database_missing': 'The database file does not exist.',
  'error.database': 'The database reported an error.',
  'error.io': 'A file could not be read or written.',
  'error.internal': 'Tillit ran into an internal error.',
  'error.validation': 'Please check the highlighted field.',
  'error.not_found': 'It no longer exists; it may have been removed.',
  'error.not_allowed': 'That is not possible at this point of the workflow.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const sv: Catalogue = {
  'app.name': 'Tillit',
  'app.tagline': 'Riskbedömning av leverantörer',
  'app.skip': 'Hoppa till innehållet',
  'app.loading': 'Läser in…',
  'app.error': 'Något gick fel',

  'nav.label': 'Huvudmeny',
  'nav.overview': 'Översikt',
  'nav.suppliers': 'Leverantörer',
  'nav.assessments': 'Bedömningar',
  'nav.reports': 'Rapporter',
  'nav.settings': 'Inställningar',

  'overview.title': 'Översikt',
  'overview.intro': 'Det som behöver uppmärksamhet bland era leverantörer.',
  'overview.empty.title': 'Inga leverantörer registrerade ännu',
  'overview.empty.body':
    'När leverantörer har registrerats visar sidan försenade omprövningar, omprövningar inom 60 dagar, underlag som löper ut inom 90 dagar och bedömningar som väntar på godkännande.',
  'overview.steps.title': 'Så går en bedömning till',
  'overview.steps.register': 'Registrera leverantören, dess tjänster, underleverantörer och underlag.',
  'overview.steps.step1': 'Steg 1 bedömer organisationen: godkänd, eskalera eller stopp.',
  'overview.steps.step2': 'Steg 2 bedömer varje tjänst efter sannolikhet × konsekvens (ISO 31000).',
  'overview.steps.transfer': 'Bindande regler för dataöverföring avgör var data får lagras och nås.',
  'overview.steps.approval': 'Ledningen godkänner kritiska leverantörer.',
  'overview.steps.review': 'Kritiska och väsentliga leverantörer omprövas varje år och vid avvikelser.',

  'suppliers.title': 'Leverantörer',
  'suppliers.intro': 'Registret över leverantörer, deras tjänster, underleverantörer och underlag.',
  'suppliers.empty': 'Inga leverantörer registrerade ännu.',

  'assessments.title': 'Bedömningar',
  'assessments.intro': 'Steg 1 för varje leverantör och steg 2 för var och en av dess tjänster.',
  'assessments.empty': 'Inga bedömningar ännu.',

  'reports.title': 'Rapporter',
  'reports.intro': 'Bedömningsrapporter, leverantörsregistret och omprövningssammanfattningen som PDF.',
  'reports.empty': 'Rapporter blir tillgängliga när leverantörer har bedömts.',

  'settings.title': 'Inställningar',
  'settings.language.title': 'Språk',
  'settings.language.label': 'Programmets språk',
  'settings.language.saved': 'Språket har sparats.',
  'settings.database.title': 'Databas',
  'settings.database.file': 'Fil',
  'settings.database.memory': 'I minnet',
  'settings.database.schema': 'Schemaversion',
  'settings.database.schemaValue': '{version} (den här versionen av Tillit stöder upp till {supported})',
  'settings.database.tables': 'Tabeller',
  'settings.database.table': 'Tabell',
  'settings.database.rows': 'Rader',
  'settings.about.title': 'Om Tillit',
  'settings.about.version': 'Version',

  'language.en': 'English',
  'language.sv': 'Svenska',

  'error.database_too_new': 'Databasen har skrivits av en nyare version av Tillit.',
  'error.not_a_tillit_database': 'Filen är ingen Tillit-databas.',
  'error.database_missing': 'Databasfilen finns inte.',
  'error.database': 'Databasen rapporterade ett fel.',
  'error.io': 'En fil kunde inte läsas eller skrivas.',
  'error.internal': 'Tillit råkade ut för ett internt fel.',
  'error.validation': 'Kontrollera det markerade fältet.',
  'error.not_found': 'Den finns inte längre; den kan ha tagits bort.',
  'error.not_allowed': 'Det går inte i det här skedet av arbetsflödet.',
};
