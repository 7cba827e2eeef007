//! Generated files and the values shared between the Rust side and the shell's
//! configuration stay in step.

use std::path::PathBuf;
use tillit::ipc::typescript_bindings;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `make bindings` runs this test with UPDATE_BINDINGS=1 to rewrite the file.
#[test]
fn the_committed_typescript_bindings_match_the_rust_types() {
    let path = root().join("ui/src/lib/bindings.ts");
    let generated = typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is stale: run `make bindings` and commit the result"
    );
}

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_tauri_configuration_uses_the_core_app_identifier() {
    assert_eq!(
        json("tauri.conf.json")["identifier"],
        tillit::APP_IDENTIFIER
    );
}

#[test]
fn the_window_capability_grants_the_one_command_that_runs_the_contract_and_no_plugin() {
    let capability = json("src-tauri/capabilities/main-window.json");
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    // `call` admits each command of the contract, then runs it. No plugin
    // command either: the file dialogs are opened by the core (choose_file),
    // so the web view cannot name a file by itself.
    assert_eq!(granted, ["allow-call"]);
    let build = std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    assert!(
        build.contains(".commands(&[\"call\"])"),
        "build.rs grants `call` only"
    );
}

#[test]
fn the_content_security_policy_allows_no_remote_origin() {
    let csp = &json("tauri.conf.json")["app"]["security"]["csp"];
    for (directive, sources) in csp.as_object().unwrap() {
        let sources = sources.as_str().unwrap();
        assert!(
            !sources.contains("https:")
                && !sources.contains('*')
                && !sources.contains("unsafe-eval")
                && !sources.contains("unsafe-inline"),
            "{directive} allows too much: {sources}"
        );
        if directive != "connect-src" {
            assert!(!sources.contains("http:"), "{directive}: {sources}");
        }
    }
    // The only connection: Tauri's IPC.
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(
        json("tauri.conf.json")["app"]["security"]["freezePrototype"],
        true
    );
}

/// `make bindings` runs this test with UPDATE_BINDINGS=1 to rewrite the file.
#[test]
fn the_committed_json_schema_of_the_register_format_matches_the_rust_types() {
    let path = root().join("docs/register-format.schema.json");
    let generated = tillit::interchange::json::schema_text();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/register-format.schema.json is stale: run `make bindings` and commit the result"
    );
}
