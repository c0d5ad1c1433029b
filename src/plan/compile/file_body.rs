//! Bodies that come from files: `body: { file: }` and the file fields of
//! `multipart:`. Paths are resolved from the request file's folder, and a
//! missing file is invalid input found before anything is sent.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::Value;

use super::{At, Compiler};
use crate::plan::PartPlan;
use crate::plan::scope_check::Known;
use crate::source::model::Node;

impl Compiler {
    /// `path` from the request file's folder, if it is a readable file.
    pub(super) fn body_file(
        &mut self,
        at: &At,
        path: &str,
        l: &serde_saphyr::Location,
    ) -> Option<PathBuf> {
        let base = at.file.path.parent().unwrap_or(Path::new("."));
        let full = base.join(path);
        if full.is_file() {
            return Some(full);
        }
        let what = if full.exists() {
            "is not a regular file"
        } else {
            "does not exist"
        };
        self.errors.push(
            at.err(format!("file `{path}` {what}"), l)
                .with_hint("paths are relative to the request file's folder"),
        );
        None
    }

    /// The fields of `multipart:`: a text value (a template) or
    /// `{ file, content_type, filename }`.
    pub(super) fn multipart(
        &mut self,
        at: &At,
        fields: &IndexMap<String, Node>,
        known: &Known,
    ) -> Vec<(String, PartPlan)> {
        let mut out = Vec::new();
        for (name, node) in fields {
            let part = match &node.value {
                Value::Object(map) => self.file_part(at, map, node),
                _ => self
                    .scalar_tpl(at, node, known, "a multipart value")
                    .map(PartPlan::Text),
            };
            if let Some(p) = part {
                out.push((name.clone(), p));
            }
        }
        out
    }

    fn file_part(
        &mut self,
        at: &At,
        map: &serde_json::Map<String, Value>,
        node: &Node,
    ) -> Option<PartPlan> {
        let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(k) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "file" | "content_type" | "filename"))
        {
            self.errors.push(
                at.err(
                    format!("unknown key `{k}` in a multipart file"),
                    &node.referenced,
                )
                .with_hint("a file field is { file: PATH, content_type: TYPE, filename: NAME }"),
            );
            return None;
        }
        let Some(file) = text("file") else {
            self.errors.push(
                at.err("a multipart file needs `file: PATH`", &node.referenced)
                    .with_hint(
                        "a file field is { file: PATH, content_type: TYPE, filename: NAME }",
                    ),
            );
            return None;
        };
        let path = self.body_file(at, &file, &node.referenced)?;
        Some(PartPlan::File {
            path,
            content_type: text("content_type"),
            filename: text("filename"),
        })
    }
}
