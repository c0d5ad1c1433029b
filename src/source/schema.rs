//! `sesame schema`: JSON Schemas generated from the loader's own types, so
//! editors with yaml-language-server validate and complete what sesame reads.

use crate::source::model::{ProfileFile, ProjectConfig, RequestFile};

/// The schema of `kind` (request, profile, config, all) as pretty JSON.
pub fn schema(kind: &str) -> Option<String> {
    let value = match kind {
        "request" => serde_json::to_value(schemars::schema_for!(RequestFile)).ok()?,
        "profile" => serde_json::to_value(schemars::schema_for!(ProfileFile)).ok()?,
        "config" => serde_json::to_value(schemars::schema_for!(ProjectConfig)).ok()?,
        "all" => serde_json::json!({
            "request": serde_json::to_value(schemars::schema_for!(RequestFile)).ok()?,
            "profile": serde_json::to_value(schemars::schema_for!(ProfileFile)).ok()?,
            "config": serde_json::to_value(schemars::schema_for!(ProjectConfig)).ok()?,
        }),
        _ => return None,
    };
    serde_json::to_string_pretty(&value).ok()
}
