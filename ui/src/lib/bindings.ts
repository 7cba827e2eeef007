// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).
// Do not edit: change the Rust type and regenerate.

/**
 * The one error shape that crosses the IPC: `{ code, message, field? }`.
 */
export type AppError = { code: ErrorCode, 
/**
 * A complete sentence in English, for logs and as a fallback in the UI.
 */
message: string, 
/**
 * The input field at fault, for validation errors.
 */
field?: string, };

/**
 * The stable codes of [`AppError`]; the UI translates the ones it knows.
 */
export type ErrorCode = "validation" | "database_too_new" | "not_a_tillit_database" | "database_missing" | "database" | "io" | "internal";

/**
 * What the app shows about itself: the version and the open database.
 */
export type AppInfo = { version: string, database: DbInfo, };

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
 * One table and how many rows it holds.
 */
export type TableCount = { table: string, rows: number, };

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
 * A language Tillit speaks: its UI, its messages and its reports.
 */
export type Language = "en" | "sv";

export interface Commands {
  app_info: { args: {  }; result: AppInfo };
  get_ui_settings: { args: {  }; result: UiSettings };
  set_language: { args: { language: Language }; result: UiSettings };
}
