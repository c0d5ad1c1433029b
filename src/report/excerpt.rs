//! Body excerpts cut to what a failure report can show: a person reads the
//! first lines of a body, not a megabyte of JSON, and reports stay small.

/// At most this many lines of a body are shown.
pub(super) const MAX_LINES: usize = 10;
/// At most this many characters of a body are shown.
pub(super) const MAX_CHARS: usize = 800;

/// The start of `body`, at most [`MAX_LINES`] lines and [`MAX_CHARS`]
/// characters, with `…` appended when something was cut.
pub(super) fn excerpt(body: &str) -> String {
    let mut out = String::new();
    let mut cut = false;
    for (n, line) in body.lines().enumerate() {
        if n == MAX_LINES {
            cut = true;
            break;
        }
        if n > 0 {
            out.push('\n');
        }
        out.push_str(line);
    }
    if let Some((at, _)) = out.char_indices().nth(MAX_CHARS) {
        out.truncate(at);
        cut = true;
    }
    if cut {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_kept_whole() {
        assert_eq!(excerpt("{\"a\": 1}\n"), "{\"a\": 1}");
    }

    #[test]
    fn long_bodies_are_cut_by_lines() {
        let body: String = (0..20).map(|n| format!("line {n}\n")).collect();
        let cut = excerpt(&body);
        assert_eq!(cut.lines().count(), MAX_LINES);
        assert!(cut.ends_with("line 9…"), "{cut}");
    }

    #[test]
    fn long_bodies_are_cut_by_chars_on_a_char_boundary() {
        let body = "é".repeat(2000);
        let cut = excerpt(&body);
        assert_eq!(cut.chars().count(), MAX_CHARS + 1);
        assert!(cut.ends_with("é…"));
    }
}
