//! Tillit: supplier risk assessment for organisations bound by NIS2, GDPR,
//! ISO/IEC 27001 and DORA.
//!
//! This library is the core: every rule, every read and every write lives here,
//! free of Tauri, so that the desktop shell (`desktop`, feature `desktop`), the
//! command line (`cli`) and the tests all drive the same code.

pub mod access;
pub mod approval;
pub mod assessment;
pub mod audit;
pub mod cli;
pub mod client;
pub mod context;
pub mod contract;
pub mod dev;
pub mod dora;
pub mod error;
pub mod files;
pub mod ids;
pub mod interchange;
pub mod ipc;
pub mod jurisdiction;
pub mod operations;
pub mod questionnaire;
pub mod report;
pub mod review;
pub mod rules;

pub mod server;
pub mod settings;
pub mod store;
pub mod supplier;
pub mod text;
pub mod transfer;
pub mod words;

#[cfg(feature = "desktop")]
pub mod desktop;

pub use error::{AppError, Error, Result};
pub use store::Db;

/// The application identifier: names the OS app-data folder that holds the
/// default database. `tauri.conf.json` carries the same value (a test checks).
pub const APP_IDENTIFIER: &str = "se.tillit.desktop";

/// The version of this build, as shown in the app and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
