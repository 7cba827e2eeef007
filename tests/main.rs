//! Integration tests of the core and the CLI: one test binary, a module per area.

mod architecture;
mod assessment;
mod audit;
mod backup;
mod bindings;
mod cli;
mod controls;
mod crash;
mod exposure;
mod golden;
mod hardening;
mod interchange;
mod migrations;
mod people;
mod proof;
mod properties;
mod register;
mod reports;
mod security;
mod seed;
mod server;
mod settings;
mod store;
mod support;
mod tamper;
mod validation;
