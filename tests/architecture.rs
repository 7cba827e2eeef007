//! The layers of ARCHITECTURE.md (kernel, store, aggregates, operations,
//! contract, transports), read from the source. The modules are stacked in
//! one order, lowest first: a module may use only modules below it, so a
//! module that uses one of a layer above it, or an aggregate that uses one
//! stacked above it (the start of a loop), fails the test, which names the
//! file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module of `src-tauri/` by layer, lowest first; within a
/// layer too, a module uses only those listed before it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "kernel",
        &[
            "words", "error", "text", "files", "context", "ids", "access",
        ],
    ),
    ("store", &["store"]),
    (
        "aggregates",
        &[
            "audit",
            "jurisdiction",
            "rules",
            "supplier",
            "transfer",
            "assessment",
            "approval",
            "review",
            "settings",
            "questionnaire",
            "interchange",
            "report",
            "dora",
        ],
    ),
    ("operations", &["operations", "dev"]),
    ("contract", &["contract", "ipc"]),
    ("transports", &["server", "client", "desktop", "cli"]),
];

/// The place of a module in the stack, and its layer's name.
fn rank(module: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .flat_map(|(layer, modules)| modules.iter().map(move |m| (*m, *layer)))
        .enumerate()
        .find(|(_, (m, _))| *m == module)
        .map(|(at, (_, layer))| (at, layer))
}

fn layer_of(module: &str) -> Option<&'static str> {
    rank(module).map(|(_, layer)| layer)
}

/// The source of a top-level module: `name.rs` or every file under `name/`.
fn sources(root: &Path, module: &str) -> Vec<(PathBuf, String)> {
    let file = root.join(format!("{module}.rs"));
    if file.exists() {
        let text = std::fs::read_to_string(&file).unwrap();
        return vec![(file, text)];
    }
    let mut found = Vec::new();
    let mut folders = vec![root.join(module)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    found
}

/// Every use of `crate::<module>` in a module's code (comments and unit
/// tests left out): from, to, and where (`file:line`).
fn uses(root: &Path) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (_, modules) in LAYERS {
        for module in *modules {
            for (path, text) in sources(root, module) {
                // Unit tests (at the end of a file) may use anything.
                let text = text.split("#[cfg(test)]").next().unwrap_or("");
                for (number, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    for (at, _) in code.match_indices("crate::") {
                        let name: String = code[at + 7..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if name != *module && rank(&name).is_some() {
                            let place = path.strip_prefix(root).unwrap_or(&path).display();
                            found.push((
                                module.to_string(),
                                name,
                                format!("{place}:{}", number + 1),
                            ));
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_module_uses_only_modules_stacked_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    let mut upward: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (from, to, place) in uses(&root) {
        if rank(&to) > rank(&from) {
            upward
                .entry(format!(
                    "{from} ({}) uses {to} ({}), stacked above it",
                    layer_of(&from).unwrap(),
                    layer_of(&to).unwrap()
                ))
                .or_default()
                .push(place);
        }
    }
    assert!(
        upward.is_empty(),
        "the layers of ARCHITECTURE.md are broken:\n{}",
        upward
            .iter()
            .map(|(what, places)| format!("  {what}: {}", places.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_test_sees_a_use_of_a_module_above() {
    // The reading above finds a real use, so the test cannot pass by
    // finding nothing: the contract uses the store, the CLI the contract.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    let found = uses(&root);
    for (from, to) in [
        ("contract", "store"),
        ("cli", "contract"),
        ("supplier", "rules"),
    ] {
        assert!(
            found.iter().any(|(f, t, _)| f == from && t == to),
            "{from} -> {to} not found"
        );
    }
}

#[test]
fn every_top_level_module_has_a_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = path.is_dir() && path.join("mod.rs").exists()
            || path.extension().is_some_and(|e| e == "rs")
                && !["lib", "main", "build"].contains(&name.as_str());
        if module {
            assert!(
                layer_of(&name).is_some(),
                "{name} has no layer in tests/architecture.rs"
            );
        }
    }
}
