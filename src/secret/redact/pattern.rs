//! The forms one piece of secret material takes on its way out, as one
//! regular expression: each character may travel as written,
//! percent-encoded (`%2B`, lower-case hex, doubly encoded `%252B`, a space as
//! `+`), JSON-escaped (`\/`, `\"`, `\uXXXX`, surrogate pairs) or as an HTML
//! entity, independently of its neighbours. So `AKx9/Qr+7Zw=` also matches
//! `AKx9/Qr%2B7Zw%3D` (a server that leaves `/` alone), `AKx9%2FQr%2B7Zw%3D`,
//! `AKx9\/Qr+7Zw=` and `AKx9\u002fQr\u002b7Zw\u003d`, without listing every
//! combination. Letters and digits travel as written, or as `\uXXXX` when a
//! server escapes every character. A JSON escape may also arrive quoted once
//! more (its backslash doubled), as in a failure's JSON-quoted `actual`.

use std::fmt::Write as _;

/// A regular expression matching `value` in every form it may travel in.
pub(super) fn pattern(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 4);
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            // As written, or `\u0041` when a server escapes every character.
            let _ = write!(out, "(?:{c}|{})", json_unicode(c));
        } else {
            out.push_str("(?:");
            out.push_str(&alternatives(c).join("|"));
            out.push(')');
        }
    }
    out
}

/// Every way `c` may be written, as regular expressions.
fn alternatives(c: char) -> Vec<String> {
    let mut alts = vec![regex::escape(c.encode_utf8(&mut [0; 4]))];
    let mut bytes = [0; 4];
    let mut percent = String::new();
    for b in c.encode_utf8(&mut bytes).bytes() {
        let _ = write!(percent, "%(?:25)?{}", hex_byte(b));
    }
    alts.push(percent);
    alts.push(json_unicode(c));
    if let Some(short) = json_short_escape(c) {
        alts.push(regex::escape(short));
        // Quoted once more: `\/` for `\/`.
        alts.push(regex::escape(&format!("\\{short}")));
    }
    match c {
        ' ' => alts.push(r"\+".into()),
        // A `+` sent unencoded in a query reads back as a space.
        '+' => alts.push(" ".into()),
        // A URL parser turns `\` into `/` in the path of an http(s) URL.
        '\\' => alts.extend(["/".into(), r"\\/".into(), "(?i:%2F)".into()]),
        _ => {}
    }
    alts.extend(html_entities(c));
    alts
}

/// `2B` matching `2B` and `2b`.
fn hex_byte(b: u8) -> String {
    format!("{}{}", hex_digit(b >> 4), hex_digit(b & 0xf))
}

fn hex_digit(n: u8) -> String {
    let upper = char::from_digit(u32::from(n), 16)
        .unwrap_or('0')
        .to_ascii_uppercase();
    if upper.is_ascii_digit() {
        upper.to_string()
    } else {
        format!("[{upper}{}]", upper.to_ascii_lowercase())
    }
}

/// `\u002b`, or a surrogate pair beyond the BMP, hex in either case.
fn json_unicode(c: char) -> String {
    let mut units = [0u16; 2];
    let mut out = String::new();
    for unit in c.encode_utf16(&mut units).iter() {
        let [hi, lo] = unit.to_be_bytes();
        // One backslash, or two: a JSON escape quoted once more (a body
        // shown as a JSON string in a failure's `actual`).
        let _ = write!(out, r"\\{{1,2}}u{}{}", hex_byte(hi), hex_byte(lo));
    }
    out
}

fn json_short_escape(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => r#"\""#,
        '\\' => r"\\",
        '/' => r"\/",
        '\n' => r"\n",
        '\r' => r"\r",
        '\t' => r"\t",
        '\u{8}' => r"\b",
        '\u{c}' => r"\f",
        _ => return None,
    })
}

/// `&amp;`, `&#43;`, `&#x2B;`: how an HTML or XML page may echo `c`.
fn html_entities(c: char) -> Vec<String> {
    let code = u32::from(c);
    let mut out = vec![format!("&#0*{code};"), format!("&#[xX]0*(?i:{code:x});")];
    let named = match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&apos;",
        _ => "",
    };
    if !named.is_empty() {
        out.push(named.to_string());
    }
    out
}
