//! The few ways sesame writes values as text, each in one place: body
//! excerpts, durations, counted nouns, and text made safe for a terminal.
//! Every writer (console, reports, messages) uses these, so the same value
//! reads the same everywhere.

use std::borrow::Cow;
use std::time::Duration;

/// `text` with every character that could drive a terminal shown escaped:
/// C0 controls (ESC, BEL, backspace, a lone CR…), DEL, C1 controls, and the
/// Unicode line separators and bidirectional overrides, as `\u{1b}`, `\r`.
/// Newlines and tabs stay, so multi-line bodies read as they are; a CR LF
/// line end is a newline. The one function every output passes through
/// (results, messages, `--verbose`), so bytes from a server never reach the
/// terminal as commands.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push_str("\\r"),
            c if unsafe_for_terminal(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn unsafe_for_terminal(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// The first `max_chars` characters of `text`, with `…` appended when
/// something was cut. Cuts on a character boundary, never inside one.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => {
            let mut s = text[..at].to_string();
            s.push('…');
            s
        }
        None => text.to_string(),
    }
}

/// At most `max_chars` characters of `text`; when cut, says how much was
/// left out: `… (1234 more characters)`. For report fields that must stay
/// small whatever a server sends.
pub(crate) fn capped(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => {
            let more = text[at..].chars().count();
            format!("{}… ({more} more characters)", &text[..at])
        }
        None => text.to_string(),
    }
}

/// A duration for people: `123ms` under a second, else `1.2s`.
pub(crate) fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// `1 file`, `2 files`, `0 attempts`: `noun` with an `s` unless `n` is 1.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped_and_lines_kept() {
        assert_eq!(printable("plain\ttext\nline"), "plain\ttext\nline");
        assert_eq!(
            printable("\u{1b}[31mred\u{7}\r\nnext\rover"),
            "\\u{1b}[31mred\\u{7}\nnext\\rover"
        );
        assert_eq!(printable("\u{9b}2J \u{202e}x"), "\\u{9b}2J \\u{202e}x");
        assert!(matches!(printable("café"), Cow::Borrowed(_)));
    }

    #[test]
    fn excerpts_cut_on_character_boundaries() {
        assert_eq!(excerpt("héllo", 2), "hé…");
        assert_eq!(excerpt("héllo", 5), "héllo");
        assert_eq!(excerpt("", 0), "");
    }

    #[test]
    fn capped_text_says_how_much_was_cut() {
        assert_eq!(capped("abcdef", 4), "abcd… (2 more characters)");
        assert_eq!(capped("abc", 4), "abc");
    }

    #[test]
    fn durations_switch_to_seconds_at_one_second() {
        assert_eq!(duration(Duration::from_millis(999)), "999ms");
        assert_eq!(duration(Duration::from_millis(1234)), "1.2s");
    }

    #[test]
    fn counts_are_plural_unless_one() {
        assert_eq!(count(1, "attempt"), "1 attempt");
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(count(3, "step"), "3 steps");
    }
}
