//! Numbers between JSON and templates, keeping the digits they were written
//! with. JSON numbers are held as written (serde_json `arbitrary_precision`);
//! in a template an integer of up to 128 bits is a minijinja integer (exact,
//! so arithmetic and comparisons work), and any number a float would spell
//! differently (`1.10`, `1e3`, 40 digits) is a [`WrittenNumber`]: it renders
//! its digits and goes back to JSON as the same number.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Object, ObjectRepr, ValueKind};

/// A number kept as its text because no template number spells it the same.
#[derive(Debug)]
pub(crate) struct WrittenNumber(pub String);

impl Object for WrittenNumber {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON number as a template value that renders as `text` was written.
pub(crate) fn number_value(n: &serde_json::Number) -> Value {
    let text = n.to_string();
    if let Ok(i) = text.parse::<i128>()
        && i.to_string() == text
    {
        return i64::try_from(i).map_or_else(|_| Value::from(i), Value::from);
    }
    if let Ok(f) = text.parse::<f64>()
        && f.is_finite()
        && Value::from(f).to_string() == text
    {
        return Value::from(f);
    }
    Value::from_object(WrittenNumber(text))
}

/// A template value as JSON: numbers as their digits, a [`WrittenNumber`]
/// as the number it holds.
pub(crate) fn value_to_json(v: &Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    if let Some(w) = v.downcast_object_ref::<WrittenNumber>() {
        return json_number(&w.0).map(J::Number);
    }
    Ok(match v.kind() {
        ValueKind::Undefined | ValueKind::None => J::Null,
        ValueKind::Bool => J::Bool(v.is_true()),
        ValueKind::Number if v.is_integer() => {
            let i = i128::try_from(v.clone()).map_err(|e| e.to_string())?;
            J::Number(json_number(&i.to_string())?)
        }
        ValueKind::Number => {
            let f = f64::try_from(v.clone()).map_err(|e| e.to_string())?;
            J::Number(
                serde_json::Number::from_f64(f)
                    .ok_or_else(|| format!("{f} is not a JSON number"))?,
            )
        }
        ValueKind::String => J::String(v.as_str().unwrap_or_default().to_string()),
        ValueKind::Seq | ValueKind::Iterable => J::Array(
            v.try_iter()
                .map_err(|e| e.to_string())?
                .map(|item| value_to_json(&item))
                .collect::<Result<_, _>>()?,
        ),
        ValueKind::Map => {
            let mut map = serde_json::Map::new();
            for key in v.try_iter().map_err(|e| e.to_string())? {
                let item = v.get_item(&key).map_err(|e| e.to_string())?;
                let key = key.as_str().map_or_else(|| key.to_string(), str::to_string);
                map.insert(key, value_to_json(&item)?);
            }
            J::Object(map)
        }
        _ => serde_json::to_value(v).map_err(|e| e.to_string())?,
    })
}

/// The JSON number spelled `text`, digit for digit.
fn json_number(text: &str) -> Result<serde_json::Number, String> {
    serde_json::from_str(text).map_err(|_| format!("`{text}` is not a JSON number"))
}

/// JSON as a template value, numbers keeping their digits.
pub(crate) fn json_to_value(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::from(()),
        J::Bool(b) => Value::from(*b),
        J::Number(n) => number_value(n),
        J::String(s) => Value::from(s.as_str()),
        J::Array(items) => Value::from(items.iter().map(json_to_value).collect::<Vec<_>>()),
        J::Object(map) => map
            .iter()
            .map(|(k, v)| (k.as_str(), json_to_value(v)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> (String, String) {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let value = json_to_value(&json);
        (
            value.to_string(),
            value_to_json(&value).unwrap().to_string(),
        )
    }

    #[test]
    fn numbers_keep_their_digits_both_ways() {
        for text in [
            "98765432109876543210",
            "-98765432109876543210",
            "1.10",
            "1e+3",
            "0.1",
            "1.5",
            "2.0",
            "7",
            "123456789012345678901234567890123456789012345",
            "3.141592653589793238462643383279",
        ] {
            assert_eq!(round_trip(text), (text.to_string(), text.to_string()));
        }
        assert_eq!(
            round_trip(r#"{"b": [1.10, {"a": 98765432109876543210}], "a": null}"#).1,
            r#"{"a":null,"b":[1.10,{"a":98765432109876543210}]}"#
        );
    }
}
