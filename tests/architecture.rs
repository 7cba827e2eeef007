//! The layers of docs/ARCHITECTURE (kernel, store, aggregates, contract,
//! transports), read from the source: a module may use only modules of its
//! own layer or below, and the aggregates must not use each other in a
//! loop. The edges that still break this are listed below, each to be
//! removed as it is mended: the test fails on a new one, and on one listed
//! that is gone (so the list only ever shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src-tauri/` and its layer, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "kernel",
        &["error", "context", "text", "files", "ids", "access"],
    ),
    ("store", &["store"]),
    (
        "aggregates",
        &[
            "jurisdiction",
            "rules",
            "supplier",
            "transfer",
            "assessment",
            "approval",
            "review",
            "audit",
            "settings",
            "report",
            "interchange",
        ],
    ),
    ("operations", &["seed"]),
    ("contract", &["contract", "ipc"]),
    ("transports", &["cli", "desktop"]),
];

/// Edges that still break the layers, as `from -> to`: the store reaching up
/// into the aggregates, and the aggregates' loop.
const KNOWN: &[&str] = &[
    "approval -> assessment",
    "approval -> review",
    "approval -> supplier",
    "assessment -> approval",
    "assessment -> review",
    "assessment -> rules",
    "assessment -> supplier",
    "assessment -> transfer",
    "review -> approval",
    "review -> assessment",
    "review -> rules",
    "review -> supplier",
    "rules -> supplier",
    "supplier -> review",
    "supplier -> rules",
    "transfer -> rules",
    "transfer -> supplier",
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The source of a top-level module: `name.rs` or every file under `name/`.
fn sources(root: &Path, module: &str) -> Vec<String> {
    let file = root.join(format!("{module}.rs"));
    if file.exists() {
        return vec![std::fs::read_to_string(file).unwrap()];
    }
    let mut found = Vec::new();
    let mut folders = vec![root.join(module)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    found
}

/// Every `crate::<module>` a module's code names (comments and unit tests
/// left out).
fn edges(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (_, modules) in LAYERS {
        for module in *modules {
            let mut uses = BTreeSet::new();
            for text in sources(root, module) {
                // Unit tests (at the end of a file) may use anything.
                let text = text.split("#[cfg(test)]").next().unwrap_or("");
                for line in text.lines() {
                    let code = line.split("//").next().unwrap_or("");
                    for (at, _) in code.match_indices("crate::") {
                        let name: String = code[at + 7..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if name != *module && layer_of(&name).is_some() {
                            uses.insert(name);
                        }
                    }
                }
            }
            graph.insert(module.to_string(), uses);
        }
    }
    graph
}

/// Whether `to` reaches `from` again through `graph`.
fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut next = vec![to.to_owned()];
    while let Some(module) = next.pop() {
        if module == from {
            return true;
        }
        if seen.insert(module.clone()) {
            next.extend(graph.get(&module).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn every_module_uses_only_its_own_layer_or_below_and_no_loop_but_the_ones_listed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    let graph = edges(&root);
    let mut breaking = BTreeSet::new();
    for (from, uses) in &graph {
        for to in uses {
            let (up, down) = (layer_of(to) > layer_of(from), layer_of(to) < layer_of(from));
            // Going down is the rule; a loop is the fault of its edges
            // within one layer, or of the one going up.
            if up || (!down && reaches(&graph, from, to)) {
                breaking.insert(format!("{from} -> {to}"));
            }
        }
    }
    let known: BTreeSet<String> = KNOWN.iter().map(|e| e.to_string()).collect();
    let new: Vec<&String> = breaking.difference(&known).collect();
    let mended: Vec<&String> = known.difference(&breaking).collect();
    assert!(
        new.is_empty(),
        "these uses go up a layer or close a loop: {new:?}; `../shared/tools/module-graph.py src-tauri` shows their lines"
    );
    assert!(
        mended.is_empty(),
        "these are mended: take them out of KNOWN in tests/architecture.rs: {mended:?}"
    );
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
