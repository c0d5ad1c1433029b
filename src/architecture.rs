//! The layering rules of `lib.rs`, checked: each module's files are read
//! and every `crate::MODULE` they name must be allowed for that module,
//! and the allowed graph itself must have no circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each module may import (besides itself). Leaf helpers (`clock`,
/// `text`, `blocking`, `duration`, `diagnostic`, `exit`, `prompt`) import nothing
/// above them and may be used by anyone below `cli`.
const RULES: &[(&str, &[&str])] = &[
    ("cli", &["*"]),
    (
        "runner",
        &[
            "auth",
            "exchange",
            "http",
            "assertion",
            "plan",
            "report",
            "template",
            "secret",
            "source",
            "LEAF",
        ],
    ),
    (
        "auth",
        &[
            "exchange",
            "http",
            "assertion",
            "plan",
            "report",
            "template",
            "secret",
            "source",
            "LEAF",
        ],
    ),
    (
        "exchange",
        &[
            "http",
            "assertion",
            "plan",
            "report",
            "template",
            "secret",
            "LEAF",
        ],
    ),
    ("http", &["LEAF"]),
    (
        "plan",
        &["assertion", "source", "template", "secret", "LEAF"],
    ),
    ("assertion", &["http", "template", "LEAF"]),
    ("report", &["assertion", "LEAF"]),
    ("source", &["secret", "LEAF"]),
    ("template", &["LEAF"]),
    ("secret", &["LEAF"]),
];

const LEAVES: &[&str] = &[
    "clock",
    "text",
    "blocking",
    "duration",
    "diagnostic",
    "exit",
    "prompt",
    "private_file",
    "memo",
    "signal",
];

/// Adds every `crate::NAME` that the file at `path` mentions.
fn names_in(path: &Path, out: &mut BTreeMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for (i, _) in text.match_indices("crate::") {
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        out.entry(name)
            .or_default()
            .push(path.display().to_string());
    }
}

fn imports_of(dir: &Path, out: &mut BTreeMap<String, Vec<String>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            imports_of(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            names_in(&path, out);
        }
    }
}

fn module_imports(module: &str) -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    imports_of(&src.join(module), &mut out);
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        names_in(&single, &mut out);
    }
    out.remove(module);
    out
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (module, allowed) in RULES {
        if allowed.contains(&"*") {
            continue;
        }
        for (used, files) in module_imports(module) {
            let ok = allowed.contains(&used.as_str())
                || (allowed.contains(&"LEAF") && LEAVES.contains(&used.as_str()));
            if !ok {
                wrong.push(format!("{module} imports {used} in {}", files[0]));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn auth_never_imports_runner() {
    let uses = module_imports("auth");
    assert!(
        !uses.contains_key("runner"),
        "auth imports runner in {:?}",
        uses.get("runner")
    );
}

#[test]
fn leaves_import_no_layer() {
    for leaf in LEAVES {
        let layers: BTreeSet<String> = module_imports(leaf)
            .into_keys()
            .filter(|m| !LEAVES.contains(&m.as_str()))
            .collect();
        assert!(layers.is_empty(), "{leaf} imports {layers:?}");
    }
}

#[test]
fn the_allowed_graph_has_no_circle() {
    fn visit<'a>(m: &'a str, path: &mut Vec<&'a str>) {
        assert!(!path.contains(&m), "circle: {path:?} -> {m}");
        let Some((_, allowed)) = RULES.iter().find(|(n, _)| *n == m) else {
            return;
        };
        path.push(m);
        for next in allowed.iter().filter(|a| !matches!(**a, "*" | "LEAF")) {
            visit(next, path);
        }
        path.pop();
    }
    for (m, _) in RULES {
        visit(m, &mut Vec::new());
    }
}
