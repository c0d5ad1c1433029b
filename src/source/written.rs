//! YAML numbers as written. The YAML loader reads `1.10` as the float 1.1
//! and `98765432109876543210` as 9.876543210987654e19; this module reads
//! the file's own text again (the parser's events, not a second
//! deserialisation) so that every plain scalar that became a number keeps
//! its digits, and one that is not a plain YAML 1.2 (JSON schema) number
//! (`1_000`, `0x1F`, `017`, `+1`, `.5`) is the string it reads as.

use serde_json::{Number, Value};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

/// One parser event, kept only as far as numbers need it.
#[derive(Debug)]
pub(crate) enum Ev {
    MapStart,
    MapEnd,
    SeqStart,
    SeqEnd,
    /// A scalar: its text, and whether it was plain (unquoted).
    Scalar(String, bool),
    Other,
}

/// The events of a file, each with its (line from 1, column from 1).
pub(crate) fn events(text: &str) -> Vec<((u64, u64), Ev)> {
    let mut out = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else {
            return Vec::new();
        };
        let ev = match event {
            Event::MappingStart(..) => Ev::MapStart,
            Event::MappingEnd => Ev::MapEnd,
            Event::SequenceStart(..) => Ev::SeqStart,
            Event::SequenceEnd => Ev::SeqEnd,
            Event::Scalar(v, style, ..) => Ev::Scalar(v.into_owned(), style == ScalarStyle::Plain),
            Event::Anchor(..) => continue,
            _ => Ev::Other,
        };
        let at = (span.start.line() as u64, span.start.col() as u64 + 1);
        out.push((at, ev));
    }
    out
}

/// The events of a file, read once, for [`Events::value`].
#[derive(Default)]
pub(crate) struct Events(std::cell::OnceCell<Vec<((u64, u64), Ev)>>);

impl Events {
    /// `node`'s value with its numbers as written in `text`, the file it
    /// was loaded from.
    pub(crate) fn value(&self, text: &str, node: &crate::source::model::Node) -> Value {
        fn has_number(v: &Value) -> bool {
            match v {
                Value::Number(_) => true,
                Value::Array(items) => items.iter().any(has_number),
                Value::Object(map) => map.values().any(has_number),
                _ => false,
            }
        }
        if !has_number(&node.value) || node.referenced.line() == 0 {
            return node.value.clone();
        }
        let events = self.0.get_or_init(|| events(text));
        let at = (node.referenced.line(), node.referenced.column());
        restore(events, at, &node.value)
    }
}

/// `value`, read from the node starting at `at` (line, column), with every
/// number restored to its written digits. A part whose events do not match
/// the value (aliases, merge keys) is kept as loaded.
pub(crate) fn restore(events: &[((u64, u64), Ev)], at: (u64, u64), value: &Value) -> Value {
    let Some(start) = events.iter().position(|(pos, _)| *pos == at) else {
        return value.clone();
    };
    let mut i = start;
    walk(events, &mut i, value)
}

fn walk(events: &[((u64, u64), Ev)], i: &mut usize, value: &Value) -> Value {
    let Some((_, ev)) = events.get(*i) else {
        return value.clone();
    };
    *i += 1;
    match (ev, value) {
        (Ev::Scalar(raw, true), Value::Number(_)) => written_number(raw),
        (Ev::MapStart, Value::Object(map)) => {
            let mut out = map.clone();
            while let Some((_, Ev::Scalar(key, _))) = events.get(*i) {
                *i += 1;
                let Some(item) = map.get(key) else {
                    return Value::Object(out);
                };
                out.insert(key.clone(), walk(events, i, item));
            }
            if matches!(events.get(*i), Some((_, Ev::MapEnd))) {
                *i += 1;
            }
            Value::Object(out)
        }
        (Ev::SeqStart, Value::Array(items)) => {
            let out = items.iter().map(|item| walk(events, i, item)).collect();
            if matches!(events.get(*i), Some((_, Ev::SeqEnd))) {
                *i += 1;
            }
            Value::Array(out)
        }
        _ => value.clone(),
    }
}

/// A plain scalar the loader read as a number: the number as written when
/// it is spelled as YAML 1.2's JSON schema spells numbers, else its text.
pub(crate) fn written_number(raw: &str) -> Value {
    match serde_json::from_str::<Number>(raw) {
        Ok(n) if json_number_spelling(raw) => Value::Number(n),
        _ => Value::String(raw.to_string()),
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
fn json_number_spelling(raw: &str) -> bool {
    let s = raw.strip_prefix('-').unwrap_or(raw);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    digits(int)
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(digits)
        && exp.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_keep_their_digits_and_other_spellings_are_text() {
        let text = "a:\n  x: 1.10\n  y: [98765432109876543210, 1_000, '7', 0x1F]\n  z: { w: 017, v: -0.50e3 }\n";
        let loaded: Value = serde_json::json!({
            "x": 1.1, "y": [9.876543210987654e19, 1000, "7", 31], "z": {"w": 17.0, "v": -500.0}
        });
        let restored = restore(&events(text), (2, 3), &loaded);
        assert_eq!(
            restored.to_string(),
            r#"{"x":1.10,"y":[98765432109876543210,"1_000","7","0x1F"],"z":{"w":"017","v":-0.50e+3}}"#
        );
    }
}
