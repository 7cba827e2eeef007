//! The IPC contract between the desktop shell and the web UI: every command
//! with its arguments and its result, declared once here. From it and from
//! the Rust types that cross the IPC, [`typescript_bindings`] writes
//! `ui/src/lib/bindings.ts`; the UI's typed `ipc.ts` module is built on it,
//! and a test fails when the committed file is stale.

#[path = "ipc_commands.rs"]
mod commands;

pub use commands::COMMAND_NAMES;

use crate::error::{AppError, ErrorCode, Result};
use crate::settings::{Language, UiSettings};
use crate::store::{Db, DbInfo, TableCount};
use serde::{Deserialize, Serialize};
use ts_rs::{Config, TS};

/// What the app shows about itself: the version and the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub database: DbInfo,
}

/// The version of this build and the state of the open database.
pub fn app_info(db: &Db) -> Result<AppInfo> {
    Ok(AppInfo {
        version: crate::VERSION.to_owned(),
        database: db.info()?,
    })
}

/// Declares the contract: `name(arg: Type, …) -> Result;` for each command.
macro_rules! contract {
    ($( $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// The command names of the contract, in declaration order.
        pub const CONTRACT_NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// The TypeScript `Commands` interface: for each command, its
        /// arguments (as the object passed to `invoke`) and its result.
        fn commands_interface(cfg: &Config) -> String {
            let mut out = String::from("export interface Commands {\n");
            $(
                let args: Vec<String> = vec![$( format!("{}: {}", stringify!($arg), <$ty as TS>::name(cfg)) ),*];
                out.push_str(&format!(
                    "  {}: {{ args: {{ {} }}; result: {} }};\n",
                    stringify!($name),
                    args.join("; "),
                    <$ret as TS>::name(cfg),
                ));
            )*
            out.push_str("}\n");
            out
        }
    };
}

contract! {
    app_info() -> AppInfo;
    get_ui_settings() -> UiSettings;
    set_language(language: Language) -> UiSettings;
}

/// The whole generated `bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        declaration::<AppError>(&cfg),
        declaration::<ErrorCode>(&cfg),
        declaration::<AppInfo>(&cfg),
        declaration::<DbInfo>(&cfg),
        declaration::<TableCount>(&cfg),
        declaration::<UiSettings>(&cfg),
        declaration::<Language>(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    for declaration in declarations {
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.push_str(&commands_interface(&cfg));
    out
}

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}", T::decl(cfg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_declares_exactly_the_commands_the_shell_grants() {
        assert_eq!(CONTRACT_NAMES, COMMAND_NAMES);
    }
}
