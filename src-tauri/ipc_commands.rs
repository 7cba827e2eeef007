// The names of the IPC commands the desktop shell exposes. This file is read
// both by the library and by `build.rs` (which grants exactly these commands
// through the Tauri app manifest), so the list exists once. The typed contract
// of each command lives in `ipc.rs`; a test checks the two agree.

/// Every command the web UI may invoke, in the order they are declared.
pub const COMMAND_NAMES: &[&str] = &[
    "app_info",
    "get_ui_settings",
    "set_language",
    "list_countries",
    "list_register",
    "supplier_detail",
    "create_supplier",
    "update_supplier",
    "offboard_supplier",
    "add_service",
    "update_service",
    "remove_service",
    "add_subcontractor",
    "update_subcontractor",
    "remove_subcontractor",
    "add_evidence",
    "remove_evidence",
    "open_evidence",
    "import_file",
    "export_register",
    "current_rule_set",
    "save_rule_set",
    "start_assessment",
    "assessments_of",
    "get_assessment",
    "save_step1",
    "resolve_escalation",
    "save_service_assessment",
    "assessment_summary",
    "reevaluate_assessment",
];
