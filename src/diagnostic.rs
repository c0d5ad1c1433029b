//! One renderer for every problem found in the user's files: YAML syntax,
//! unknown keys, wrong types, templates, JSONPaths, and missing profiles.
//!
//! ```text
//! error: unknown key `metod` in a request
//!   --> requests/users.yaml:8:5
//!    |
//!  8 |     metod: GET
//!    |     ^^^^^
//!    = hint: did you mean `method`?
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use console::Style;

/// A place in a user's file; line and column count from 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub line: u64,
    pub column: u64,
    /// Characters to underline; 0 underlines one.
    pub len: u64,
}

impl Span {
    pub fn from_location(loc: &serde_saphyr::Location) -> Span {
        Span {
            line: loc.line(),
            column: loc.column(),
            len: loc.span().len(),
        }
    }
}

/// Where something was written in a user's file, for messages that point
/// back at it after loading (a failed expectation, a template that failed
/// at run time). Shown as `file:line:col`; the console also renders the
/// line with a caret under the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// `file:line:col` (or just `file`) as the user sees it.
    shown: std::sync::Arc<str>,
    /// The file on disk and the span in it, when known.
    at: Option<(std::sync::Arc<Path>, Span)>,
}

impl Location {
    /// `span` in the file at `path`, shown as `shown_path:line:col`.
    pub fn new(path: std::sync::Arc<Path>, shown_path: &str, span: Span) -> Location {
        if span.line == 0 {
            return Location::from(shown_path);
        }
        Location {
            shown: format!("{shown_path}:{}:{}", span.line, span.column).into(),
            at: Some((path, span)),
        }
    }

    /// The file on disk and the span, when the location has them.
    pub fn span(&self) -> Option<(&Path, &Span)> {
        self.at.as_ref().map(|(p, s)| (p.as_ref(), s))
    }

    pub fn as_str(&self) -> &str {
        &self.shown
    }

    /// A diagnostic titled `title` at this location, quoting the line from
    /// the file when it can still be read.
    pub fn diagnostic(&self, title: impl Into<String>) -> Diagnostic {
        let Some((path, span)) = self.span() else {
            return Diagnostic {
                shown_location: Some(self.shown.to_string()),
                ..Diagnostic::new(title)
            };
        };
        let line = std::fs::File::open(path).ok().and_then(|f| {
            use std::io::BufRead as _;
            std::io::BufReader::new(f)
                .lines()
                .nth(span.line.saturating_sub(1) as usize)
                .and_then(Result::ok)
        });
        Diagnostic {
            title: title.into(),
            file: Some(path.to_path_buf()),
            span: Some(span.clone()),
            source_line: line,
            hint: None,
            notes: Vec::new(),
            shown_location: Some(self.shown.to_string()),
        }
    }
}

impl From<&str> for Location {
    /// A location known only as text (a file without a position).
    fn from(shown: &str) -> Location {
        Location {
            shown: shown.into(),
            at: None,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// A problem in a user's file, with where it is and what to do about it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub title: String,
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    /// The text of the line the span points at.
    pub source_line: Option<String>,
    pub hint: Option<String>,
    /// Lines shown before the hint, e.g. `expected: 200` and `actual: 500`.
    pub notes: Vec<String>,
    /// How the location is shown, when it is not the file's path from here.
    pub shown_location: Option<String>,
}

impl Diagnostic {
    pub fn new(title: impl Into<String>) -> Diagnostic {
        Diagnostic {
            title: title.into(),
            file: None,
            span: None,
            source_line: None,
            hint: None,
            notes: Vec::new(),
            shown_location: None,
        }
    }

    /// A problem at `span` of `file`, whose text is `text`.
    pub fn at(title: impl Into<String>, file: &Path, text: &str, span: Span) -> Diagnostic {
        let source_line = text
            .lines()
            .nth(span.line.saturating_sub(1) as usize)
            .map(str::to_owned);
        Diagnostic {
            title: title.into(),
            file: Some(file.to_path_buf()),
            span: (span.line > 0).then_some(span),
            source_line,
            hint: None,
            notes: Vec::new(),
            shown_location: None,
        }
    }

    /// The same problem `lines` further down its file: for a diagnostic made
    /// on a part of the file read on its own.
    pub fn moved_down(mut self, lines: u64) -> Diagnostic {
        if let Some(span) = &mut self.span {
            span.line += lines;
        }
        self
    }

    /// A problem in `file` with no known position.
    pub fn in_file(title: impl Into<String>, file: &Path) -> Diagnostic {
        Diagnostic {
            file: Some(file.to_path_buf()),
            ..Diagnostic::new(title)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a line shown before the hint.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// `file:line:col`, or just the file, or nothing.
    pub fn location(&self) -> Option<String> {
        if let Some(shown) = &self.shown_location {
            return Some(shown.clone());
        }
        let file = display_path(self.file.as_deref()?);
        Some(match &self.span {
            Some(s) => format!("{file}:{}:{}", s.line, s.column),
            None => file,
        })
    }

    pub fn render(&self, color: bool) -> String {
        let (red, blue, bold) = if color {
            // Forced: the caller decided (`--color`), not the console crate.
            (
                Style::new().red().bold().force_styling(true),
                Style::new().blue().bold().force_styling(true),
                Style::new().bold().force_styling(true),
            )
        } else {
            (Style::new(), Style::new(), Style::new())
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {}",
            red.apply_to("error"),
            bold.apply_to(crate::text::excerpt(&self.title, TEXT_MAX))
        );
        if let Some(loc) = self.location() {
            let line_no = self
                .span
                .as_ref()
                .map(|s| s.line.to_string())
                .unwrap_or_default();
            let pad = " ".repeat(line_no.len().max(1));
            let _ = writeln!(out, "{pad}{} {loc}", blue.apply_to(" -->"));
            if let (Some(span), Some(line)) = (&self.span, &self.source_line) {
                let (text, col) = window(line, span.column.saturating_sub(1) as usize);
                let width =
                    (span.len.max(1) as usize).min(text.chars().count().saturating_sub(col).max(1));
                let _ = writeln!(out, "{pad} {}", blue.apply_to("|"));
                let _ = writeln!(
                    out,
                    "{} {} {text}",
                    blue.apply_to(&line_no),
                    blue.apply_to("|")
                );
                let _ = writeln!(
                    out,
                    "{pad} {} {}{}",
                    blue.apply_to("|"),
                    " ".repeat(col),
                    red.apply_to("^".repeat(width))
                );
            }
            for note in &self.notes {
                let _ = writeln!(out, "{pad} {} {note}", blue.apply_to("="));
            }
            if let Some(hint) = &self.hint {
                let hint = crate::text::excerpt(hint, TEXT_MAX);
                let _ = writeln!(out, "{pad} {} hint: {hint}", blue.apply_to("="));
            }
        } else {
            for note in &self.notes {
                let _ = writeln!(out, "  {} {note}", blue.apply_to("="));
            }
            if let Some(hint) = &self.hint {
                let hint = crate::text::excerpt(hint, TEXT_MAX);
                let _ = writeln!(out, "  {} hint: {hint}", blue.apply_to("="));
            }
        }
        out
    }
}

/// The most characters a title or a hint shows: a message quoting a 2 MB
/// value stays a message.
const TEXT_MAX: usize = 400;

/// The most characters of a source line shown; longer lines are shown
/// around the column, cut with `…` on either side.
const LINE_MAX: usize = 120;

/// The part of `line` shown, and the column in it, for a caret at `col`.
fn window(line: &str, col: usize) -> (String, usize) {
    let len = line.chars().count();
    if len <= LINE_MAX {
        return (line.to_string(), col);
    }
    let start = col
        .saturating_sub(LINE_MAX / 3)
        .min(len.saturating_sub(LINE_MAX));
    let mut shown: String = line.chars().skip(start).take(LINE_MAX).collect();
    let mut col = col - start.min(col);
    if start > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    if start + LINE_MAX < len {
        shown.push('…');
    }
    (shown, col)
}

/// A path as the user should see it: relative to the current folder when inside it.
pub(crate) fn display_path(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    rel.display().to_string()
}

/// The closest candidate to `word`, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_span() {
        let d = Diagnostic::at(
            "unknown key `metod`",
            Path::new("/nowhere/a.yaml"),
            "requests:\n  - metod: GET\n",
            Span {
                line: 2,
                column: 5,
                len: 5,
            },
        )
        .with_hint("did you mean `method`?");
        let text = d.render(false);
        assert_eq!(
            text,
            "error: unknown key `metod`\n  --> /nowhere/a.yaml:2:5\n  |\n2 |   - metod: GET\n  |     ^^^^^\n  = hint: did you mean `method`?\n"
        );
    }

    #[test]
    fn a_runtime_failure_renders_like_a_load_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "requests:\n  - expect:\n      status: 201\n").unwrap();
        let span = Span {
            line: 3,
            column: 15,
            len: 3,
        };
        let at = Location::new(
            std::sync::Arc::from(path.as_path()),
            "requests/a.yaml",
            span,
        );
        let text = at
            .diagnostic("status: expected status 201, got 200")
            .with_note("expected: 201")
            .with_note("actual:   200")
            .render(false);
        assert_eq!(
            text,
            "error: status: expected status 201, got 200\n  --> requests/a.yaml:3:15\n  |\n3 |       status: 201\n  |               ^^^\n  = expected: 201\n  = actual:   200\n"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("metod", ["method", "url"]), Some("method"));
        assert_eq!(did_you_mean("zzz", ["method", "url"]), None);
    }
}
