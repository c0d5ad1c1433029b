//! The JSON types `type:` can name, apart from the operators so the list of
//! names, their test and the hint for a misspelt one stay together.

use serde_json::Value;

use super::operators::suggest;

/// The names accepted by `type:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Null,
}

const TYPES: &[(&str, JsonType)] = &[
    ("string", JsonType::String),
    ("number", JsonType::Number),
    ("integer", JsonType::Integer),
    ("boolean", JsonType::Boolean),
    ("array", JsonType::Array),
    ("object", JsonType::Object),
    ("null", JsonType::Null),
];

/// Spellings from other languages, suggested when edit distance finds nothing.
const ALIASES: &[(&str, &str)] = &[
    ("bool", "boolean"),
    ("int", "integer"),
    ("list", "array"),
    ("map", "object"),
    ("float", "number"),
    ("str", "string"),
];

impl JsonType {
    /// The type called `name`, or why there is none.
    pub(super) fn named(name: &str) -> Result<JsonType, String> {
        TYPES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, ty)| *ty)
            .ok_or_else(|| {
                let hint = suggest(name, TYPES.iter().map(|(n, _)| *n), ALIASES)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_else(|| format!(" (use one of {})", list()));
                format!("`type` has unknown type `{name}`{hint}")
            })
    }

    pub(super) fn name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .expect("every type is named")
    }

    pub(super) fn holds(self, v: &Value) -> bool {
        match self {
            JsonType::String => v.is_string(),
            JsonType::Number => v.is_number(),
            JsonType::Integer => match v {
                Value::Number(n) => super::value::is_integer(n),
                _ => false,
            },
            JsonType::Boolean => v.is_boolean(),
            JsonType::Array => v.is_array(),
            JsonType::Object => v.is_object(),
            JsonType::Null => v.is_null(),
        }
    }
}

/// `string, number, …`, for messages.
pub(super) fn list() -> String {
    TYPES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}
