//! Integration tests of the core and the CLI: one test binary, a module per area.

mod bindings;
mod cli;
mod settings;
mod store;
mod support;
