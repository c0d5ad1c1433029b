//! The JSON Schema of `sesame schema` accepts every example file in the
//! repository, and refuses what the loader refuses.

use std::path::Path;

fn validator(kind: &str) -> jsonschema::Validator {
    let text = sesame::testing::schema(kind).expect("schema kind");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}

#[track_caller]
fn assert_valid(v: &jsonschema::Validator, path: &Path) {
    let doc = yaml(path);
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not match the schema:\n{}",
        path.display(),
        errors.join("\n")
    );
}

#[test]
fn every_example_file_matches_its_schema() {
    let requests = validator("request");
    let profiles = validator("profile");
    let config = validator("config");
    let request_files = yaml_files("requests");
    let profile_files = yaml_files("profiles");
    assert!(request_files.len() >= 8 && profile_files.len() >= 7);
    for f in &request_files {
        assert_valid(&requests, f);
    }
    for f in &profile_files {
        assert_valid(&profiles, f);
    }
    assert_valid(
        &config,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sesame.yaml"),
    );
}

#[test]
fn schema_refuses_unknown_keys_and_bad_shapes() {
    let requests = validator("request");
    let bad = serde_json::json!({"requests": [{"url": "http://x", "metod": "GET"}]});
    assert!(!requests.is_valid(&bad));
    let bad_status =
        serde_json::json!({"requests": [{"url": "http://x", "expect": {"status": true}}]});
    assert!(!requests.is_valid(&bad_status));
    let bad_operator = serde_json::json!({"requests": [{"url": "http://x", "expect": {"json": {"$.a": {"containz": 1}}}}]});
    // A map is always operators, as in the loader: an unknown name is refused.
    assert!(!requests.is_valid(&bad_operator));
    let good = serde_json::json!({"requests": [{"url": "http://x", "expect": {"status": "2xx", "json": {"$.a": {"gt": 1}}}}]});
    assert!(requests.is_valid(&good));
}
