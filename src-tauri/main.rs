//! The `tillit` binary: the window, or a headless command (see `tillit --help`).

// On Windows, the window build must not open a console as well.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

fn main() -> std::process::ExitCode {
    tillit::cli::main()
}
