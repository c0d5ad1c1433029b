//! `multipart/form-data` bodies (RFC 7578): text fields and files, built
//! in memory with a random boundary. Field and file names are escaped as
//! the WHATWG HTML standard does (`"` → `%22`, CR → `%0D`, LF → `%0A`).

use std::path::Path;

/// One field ready to encode.
pub(crate) enum Part<'a> {
    Text(String),
    File {
        path: &'a Path,
        content_type: Option<&'a str>,
        filename: Option<&'a str>,
    },
}

/// The `Content-Type` header value and the body of `fields`.
///
/// Errors: a file that cannot be read, named with its path.
pub(crate) fn encode(fields: &[(String, Part<'_>)]) -> Result<(String, Vec<u8>), String> {
    let boundary = format!("sesame-{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, part) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = escape(name);
        match part {
            Part::Text(text) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(text.as_bytes());
            }
            Part::File {
                path,
                content_type,
                filename,
            } => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let shown = filename
                    .map(str::to_string)
                    .or_else(|| path.file_name().map(|f| f.to_string_lossy().into_owned()))
                    .unwrap_or_default();
                let head = format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                    escape(&shown),
                    content_type.unwrap_or("application/octet-stream")
                );
                body.extend_from_slice(head.as_bytes());
                body.extend_from_slice(&bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_file_fields_in_order_with_escaped_names() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"bytes\x00here").unwrap();
        let fields = vec![
            ("note \"x\"".to_string(), Part::Text("hello".into())),
            (
                "upload".to_string(),
                Part::File {
                    path: &file,
                    content_type: Some("text/plain"),
                    filename: None,
                },
            ),
        ];
        let (ct, body) = encode(&fields).unwrap();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"note %22x%22\"\r\n\r\nhello\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nbytes\0here\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }
}
