//! A response body as the server meant it: content codings undone
//! (`Content-Encoding: gzip, deflate, br, zstd`), then text decoded with the
//! `charset` of `Content-Type` (UTF-8 when none; a byte order mark wins).
//! Done once, where the response is read, so every reader (expectations,
//! captures, `--verbose`, excerpts, reports) sees the same text.

use std::io::Read;

use reqwest::header::HeaderMap;

/// What sesame asks servers for unless a request names its own.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The most a decoded body may grow to, against decompression bombs.
const MAX_DECODED: u64 = 256 * 1024 * 1024;

/// How the body came over the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Coding {
    /// As sent: no content coding.
    #[default]
    Identity,
    /// Decoded from these codings (in the order they were applied), `wire`
    /// bytes long as sent.
    Decoded { codings: Vec<String>, wire: usize },
    /// A coding sesame cannot undo, or a body that is not what its coding
    /// says: the body is kept as sent and never read as text.
    Undecodable { coding: String, reason: String },
}

impl Coding {
    /// The `--verbose` note: `(decoded from gzip, 31 bytes)`.
    pub(crate) fn note(&self) -> Option<String> {
        match self {
            Coding::Identity => None,
            Coding::Decoded { codings, wire } => Some(format!(
                "(decoded from {}, {wire} bytes)",
                codings.join(", ")
            )),
            Coding::Undecodable { coding, reason } => {
                Some(format!("(not decoded from {coding}: {reason})"))
            }
        }
    }
}

/// Undoes the content codings `headers` name, last applied first.
pub(crate) fn decode(headers: &HeaderMap, wire: Vec<u8>) -> (Vec<u8>, Coding) {
    let codings: Vec<String> = headers
        .get_all(reqwest::header::CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    if codings.is_empty() || wire.is_empty() {
        return (wire, Coding::Identity);
    }
    let size = wire.len();
    let mut body: Option<Vec<u8>> = None;
    for coding in codings.iter().rev() {
        match undo(coding, body.as_deref().unwrap_or(&wire)) {
            Ok(decoded) => body = Some(decoded),
            Err(reason) => {
                // The bytes as the server sent them, not half-decoded.
                let coding = coding.clone();
                return (wire, Coding::Undecodable { coding, reason });
            }
        }
    }
    let body = body.unwrap_or(wire);
    (
        body,
        Coding::Decoded {
            codings,
            wire: size,
        },
    )
}

fn undo(coding: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    match coding {
        "gzip" | "x-gzip" => read_all(flate2::read::MultiGzDecoder::new(bytes)),
        // RFC 9110 `deflate` is zlib-wrapped; some servers send it raw.
        "deflate" => read_all(flate2::read::ZlibDecoder::new(bytes))
            .or_else(|_| read_all(flate2::read::DeflateDecoder::new(bytes))),
        "br" => read_all(brotli_decompressor::Decompressor::new(bytes, 4096)),
        "zstd" => {
            let decoder =
                ruzstd::decoding::StreamingDecoder::new(bytes).map_err(|e| e.to_string())?;
            read_all(decoder)
        }
        other => Err(format!(
            "sesame decodes gzip, deflate, br and zstd, not `{other}`"
        )),
    }
}

fn read_all(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(MAX_DECODED + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > MAX_DECODED {
        return Err(format!("decoded body larger than {MAX_DECODED} bytes"));
    }
    Ok(out)
}

/// The body as text, decoded with the `charset` of `Content-Type`; UTF-8
/// when there is none or it is unknown. A byte order mark overrides the
/// label and is not part of the text. Bytes invalid in the charset become
/// U+FFFD.
///
/// A body that is not text (its bytes are not valid in the charset and its
/// `Content-Type` is not a text type) is described, `<N bytes of
/// image/png>`, rather than shown as replacement characters.
pub(crate) fn text(headers: &HeaderMap, body: &[u8]) -> String {
    let encoding = charset(headers)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, malformed) = encoding.decode(body);
    let media = headers
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| header_text(v.as_bytes()))
        .unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim();
    if malformed && !textual(media) {
        let what = if media.is_empty() {
            "binary data"
        } else {
            media
        };
        return format!("<{} bytes of {what}>", body.len());
    }
    text.into_owned()
}

/// Media types whose bodies are text even when a byte is wrong.
fn textual(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.starts_with("text/")
        || m.ends_with("json")
        || m.ends_with("xml")
        || m.ends_with("+json")
        || m.ends_with("+xml")
        || m.contains("javascript")
        || m.contains("x-www-form-urlencoded")
}

/// The `charset` parameter of `Content-Type`, unquoted.
fn charset(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(reqwest::header::CONTENT_TYPE)?;
    let ct = header_text(ct.as_bytes());
    ct.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// A header value as text: UTF-8 when it is, else ISO-8859-1 (RFC 9110's
/// `obs-text`), so no byte is lost or replaced.
pub(crate) fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn stacked_codings_are_undone_last_first() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&gzip(b"hello")).unwrap();
        let wire = z.finish().unwrap();
        let size = wire.len();
        let (body, coding) = decode(&headers(&[("content-encoding", "gzip, deflate")]), wire);
        assert_eq!(body, b"hello");
        assert_eq!(
            coding,
            Coding::Decoded {
                codings: vec!["gzip".into(), "deflate".into()],
                wire: size
            }
        );
    }

    #[test]
    fn raw_deflate_is_decoded_too() {
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"raw").unwrap();
        let (body, _) = decode(
            &headers(&[("content-encoding", "deflate")]),
            d.finish().unwrap(),
        );
        assert_eq!(body, b"raw");
    }

    #[test]
    fn an_unknown_or_broken_coding_keeps_the_bytes_as_sent() {
        let (body, coding) = decode(&headers(&[("content-encoding", "compress")]), b"x".to_vec());
        assert_eq!(body, b"x");
        assert!(matches!(coding, Coding::Undecodable { .. }), "{coding:?}");
        let (_, coding) = decode(&headers(&[("content-encoding", "gzip")]), b"nope".to_vec());
        assert!(matches!(coding, Coding::Undecodable { .. }), "{coding:?}");
    }

    #[test]
    fn text_follows_the_charset_and_the_bom() {
        let latin1 = headers(&[("content-type", "text/plain; charset=\"ISO-8859-1\"")]);
        assert_eq!(text(&latin1, b"caf\xe9"), "café");
        let none = headers(&[]);
        assert_eq!(text(&none, b"\xef\xbb\xbfok"), "ok");
        assert_eq!(text(&none, b"\xff\xfeo\0k\0"), "ok");
        let sjis = headers(&[("content-type", "text/plain;charset=shift_jis")]);
        assert_eq!(text(&sjis, b"\x93\xfa\x96\x7b"), "日本");
    }

    #[test]
    fn binary_bodies_are_described_not_shown() {
        let png = headers(&[("content-type", "image/png")]);
        assert_eq!(
            text(&png, b"\x89PNG\r\n\x1a\n\xff"),
            "<9 bytes of image/png>"
        );
        assert_eq!(
            text(&headers(&[]), b"\xff\xfe\xfd"),
            "<3 bytes of binary data>"
        );
        let broken_text = headers(&[("content-type", "text/plain")]);
        assert_eq!(text(&broken_text, b"a\xffb"), "a\u{fffd}b");
        assert_eq!(text(&png, b"plain"), "plain");
    }

    #[test]
    fn header_bytes_outside_utf8_read_as_latin1() {
        assert_eq!(header_text(b"caf\xe9"), "café");
        assert_eq!(header_text("café".as_bytes()), "café");
    }
}
