//! `sesame schema`: the JSON Schema of sesame's files, for editors
//! (yaml-language-server) and CI linters.
//!
//! The schemas are generated from the loader's own types (schemars), then
//! tightened to what `validate` checks where a schema can say it (one body
//! key, `status` forms, operator names, durations) and given descriptions
//! written for the people editing the files, not for Rust readers. With no
//! argument, one document: `$defs` for each kind of file and `anyOf` over
//! them. The same text is committed under `schema/` and a test keeps it equal.

use serde_json::{Map, Value, json};

use crate::source::model::{ProfileFile, ProjectConfig, RequestFile};

/// The kinds `sesame schema KIND` takes, with the file each describes.
pub(crate) const KINDS: &[(&str, &str)] = &[
    ("request", "a request file, requests/*.yaml"),
    ("profile", "an auth profile, profiles/NAME.yaml"),
    ("config", "sesame.yaml at the project root"),
];

/// The schema of `kind` (`request`, `profile`, `config`; `all` for the one
/// document over the three) as pretty JSON; `None` for another kind.
pub fn schema(kind: &str) -> Option<String> {
    let value = match kind {
        "all" => document(),
        "request" | "profile" | "config" => {
            let mut one = kind_schema(kind)?;
            tighten(&mut one);
            one
        }
        _ => return None,
    };
    serde_json::to_string_pretty(&value).ok()
}

/// The generated schema of one kind, before [`tighten`].
fn kind_schema(kind: &str) -> Option<Value> {
    let schema = match kind {
        "request" => schemars::schema_for!(RequestFile),
        "profile" => schemars::schema_for!(ProfileFile),
        "config" => schemars::schema_for!(ProjectConfig),
        _ => return None,
    };
    serde_json::to_value(schema).ok()
}

/// One document: each kind under `$defs`, their shared parts beside them,
/// and `anyOf` over the kinds.
fn document() -> Value {
    let mut defs = Map::new();
    for (kind, _) in KINDS {
        let Some(Value::Object(mut schema)) = kind_schema(kind) else {
            continue;
        };
        schema.remove("$schema");
        if let Some(Value::Object(parts)) = schema.remove("$defs") {
            defs.extend(parts);
        }
        defs.insert((*kind).to_string(), Value::Object(schema));
    }
    let mut doc = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sesame files",
        "description": "Any of sesame's YAML files: a request file (requests/*.yaml), an auth profile (profiles/NAME.yaml) or sesame.yaml.",
        "anyOf": KINDS.iter().map(|(k, _)| json!({ "$ref": format!("#/$defs/{k}") })).collect::<Vec<_>>(),
        "$defs": defs,
    });
    tighten(&mut doc);
    doc
}

/// Applies what `validate` checks and the user-facing descriptions to a
/// schema with `$defs`.
fn tighten(schema: &mut Value) {
    let root_kind = schema
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(Value::Object(defs)) = schema.get_mut("$defs") {
        shapes(defs);
        if let Some(spec) = defs.get_mut("RequestSpec") {
            one_body(spec);
        }
        for (name, text) in DESCRIPTIONS {
            if let Some(Value::Object(def)) = defs.get_mut(*name) {
                def.insert("description".into(), Value::from(*text));
            }
        }
    }
    // A single-kind schema is the kind itself at the root.
    let root = match root_kind.as_deref() {
        Some("RequestFile") => Some("request"),
        Some("ProfileFile") => Some("profile"),
        Some("ProjectConfig") => Some("config"),
        _ => None,
    };
    if let (Some(kind), Value::Object(root_obj)) = (root, schema) {
        let text = DESCRIPTIONS
            .iter()
            .find(|(n, _)| *n == kind)
            .map(|(_, t)| *t);
        if let Some(text) = text {
            root_obj.insert("description".into(), Value::from(text));
        }
    }
}

/// The descriptions editors show, by `$defs` name.
const DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "request",
        "A request file (requests/*.yaml): HTTP requests run in order, top to bottom, with their variables, inputs and default auth profile.",
    ),
    (
        "profile",
        "An auth profile (profiles/NAME.yaml): the secrets it needs, the login steps that turn them into credentials, and how those credentials are applied to each request.",
    ),
    (
        "config",
        "sesame.yaml at the project root: environments (picked with --env NAME) and defaults for every request.",
    ),
    (
        "RequestSpec",
        "One HTTP request; also one login or logout step of a profile. At most one body: json, form or body.",
    ),
    (
        "InputSpec",
        "A value the person running the file provides: with --var NAME=VALUE, at a prompt in a terminal, or from its default.",
    ),
    (
        "ExpectSpec",
        "What the response must satisfy; every expectation that fails is reported.",
    ),
    (
        "StatusShape",
        "The expected status: a code (200), a list of codes ([200, 201]) or a class (\"2xx\").",
    ),
    (
        "DurationShape",
        "A duration: 250ms, 2s, 1.5s, 5m or 1h, a bare number, or a template such as \"{{ expires_in }}\".",
    ),
    (
        "MatcherShape",
        "A scalar or a list: must be equal. A map: operators (eq, ne, gt, gte, lt, lte, contains, matches, exists, type, length, one_of), all of which must hold.",
    ),
    ("Operators", "Operators, all of which must hold."),
    (
        "CaptureShape",
        "Where a captured value comes from: a JSONPath string, or {header}, {cookie}, {regex, from}, {status: true} or {json}.",
    ),
    (
        "RetrySpec",
        "Re-send the request while its expectations fail: how a file polls.",
    ),
    (
        "WhenShape",
        "true, false, or a template rendering to one; false skips the request.",
    ),
    (
        "BasicSpec",
        "HTTP basic authentication: a username and a password (templates).",
    ),
];

const DURATION_PATTERN: &str = r"^\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|h)?\s*$";
const TEMPLATE_PATTERN: &str = r"\{\{";

/// The value shapes `validate` checks more closely than their Rust types say.
fn shapes(defs: &mut Map<String, Value>) {
    let code = json!({ "type": "integer", "minimum": 100, "maximum": 599 });
    let code_text = json!({ "type": "string", "pattern": r"^\s*[1-5][0-9]{2}\s*$" });
    defs.insert(
        "StatusShape".into(),
        json!({ "anyOf": [
            code,
            code_text,
            { "type": "string", "pattern": "^[1-5][xX]{2}$" },
            { "type": "array", "minItems": 1, "items": { "anyOf": [code, code_text] } },
        ] }),
    );
    defs.insert(
        "DurationShape".into(),
        json!({ "anyOf": [
            { "type": "number", "minimum": 0 },
            { "type": "string", "pattern": DURATION_PATTERN },
            { "type": "string", "pattern": TEMPLATE_PATTERN },
        ] }),
    );
    // A map is always operators: an unknown operator name is an error,
    // never an equality with a map.
    defs.insert(
        "MatcherShape".into(),
        json!({ "anyOf": [
            { "$ref": "#/$defs/Operators" },
            { "type": ["string", "number", "boolean", "null", "array"] },
        ] }),
    );
    if let Some(Value::Object(ops)) = defs.get_mut("Operators") {
        ops.insert("additionalProperties".into(), Value::Bool(false));
        ops.insert("minProperties".into(), Value::from(1));
    }
}

/// At most one of the body keys a request has.
fn one_body(spec: &mut Value) {
    let Some(Value::Object(props)) = spec.get("properties") else {
        return;
    };
    let keys: Vec<&str> = ["json", "form", "body", "multipart"]
        .into_iter()
        .filter(|k| props.contains_key(*k))
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            pairs.push(json!({ "required": [a, b] }));
        }
    }
    if let Value::Object(spec) = spec {
        spec.insert("not".into(), json!({ "anyOf": pairs }));
    }
}
