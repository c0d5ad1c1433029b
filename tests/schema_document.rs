//! `sesame schema`: one JSON Schema document over every kind of file, as
//! strict as `validate` where a schema can be, and the same text as the
//! files committed under `schema/`.

use std::path::Path;

use crate::support::Project;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn validator(text: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn committed_schema_files_match_sesame_schema() {
    let p = Project::new();
    for (args, file) in [
        (vec!["schema"], "schema/sesame.schema.json"),
        (vec!["schema", "request"], "schema/request.schema.json"),
        (vec!["schema", "profile"], "schema/profile.schema.json"),
        (vec!["schema", "config"], "schema/config.schema.json"),
    ] {
        let run = p.run(&args);
        run.assert_code(0);
        let committed = std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
        assert!(
            run.stdout == committed,
            "{file} is stale: run `sesame {} > {file}`",
            args.join(" ")
        );
    }
}

#[test]
fn one_document_with_defs_and_any_of() {
    let p = Project::new();
    let run = p.run(&["schema"]);
    run.assert_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        doc["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        doc["anyOf"],
        serde_json::json!([
            { "$ref": "#/$defs/request" },
            { "$ref": "#/$defs/profile" },
            { "$ref": "#/$defs/config" },
        ])
    );
    let v = validator(&run.stdout);
    let mut files = Vec::new();
    for dir in ["requests", "profiles"] {
        for e in std::fs::read_dir(Path::new(ROOT).join(dir))
            .unwrap()
            .flatten()
        {
            files.push(e.path());
        }
    }
    files.push(Path::new(ROOT).join("sesame.yaml"));
    assert!(files.len() >= 16);
    for f in files {
        let doc = yaml(&std::fs::read_to_string(&f).unwrap());
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
}

/// A request file whose one request has `extra` (YAML at request level).
fn request_with(extra: &str) -> String {
    format!("requests:\n  - name: r\n    url: \"http://127.0.0.1:9/x\"\n{extra}")
}

/// Each is refused by both the schema and `sesame validate`.
const REFUSED: &[(&str, &str)] = &[
    ("two bodies", "    json: { a: 1 }\n    body: \"text\"\n"),
    ("status class", "    expect: { status: \"2xxx\" }\n"),
    ("status out of range", "    expect: { status: 600 }\n"),
    ("empty status list", "    expect: { status: [] }\n"),
    (
        "unknown operator",
        "    expect: { json: { $.a: { eqq: 1 } } }\n",
    ),
    ("duration unit", "    timeout: \"2 sec\"\n"),
];

#[test]
fn schema_refuses_what_validate_refuses() {
    let v = validator(&sesame::testing::schema("request").unwrap());
    let all = validator(&sesame::testing::schema("all").unwrap());
    for (what, extra) in REFUSED {
        let text = request_with(extra);
        assert!(!v.is_valid(&yaml(&text)), "schema accepts {what}:\n{text}");
        assert!(
            !all.is_valid(&yaml(&text)),
            "document accepts {what}:\n{text}"
        );
        let p = Project::new();
        p.file("requests/r.yaml", &text);
        let run = p.run(&["validate"]);
        assert_eq!(
            run.code, 2,
            "validate accepts {what}:\n{text}\n{}",
            run.stderr
        );
    }
    for ok in [
        "    expect: { status: \"2xx\", json: { $.a: { gte: 1, lt: 3 } } }\n",
        "    expect: { status: [200, \"201\"] }\n    timeout: 1.5s\n",
        "    json: { a: 1 }\n    expect: { body: { contains: ok } }\n",
    ] {
        let text = request_with(ok);
        assert!(v.is_valid(&yaml(&text)), "schema refuses:\n{text}");
        let p = Project::new();
        p.file("requests/r.yaml", &text);
        p.run(&["validate"]).assert_code(0);
    }
}
