//! The console's text, as pure functions of events: the reporter decides
//! when and where a piece goes, these decide what it says. Every function
//! returns whole lines ending in `\n`.

use std::fmt::Write as _;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::report::event::{Exchange, Failure, Level, Outcome, RequestResult, RunEnd};
use crate::report::excerpt::excerpt;
use crate::report::format::{count, request_time, run_time};
use crate::report::palette::Palette;

/// `requests/devices.yaml (Device inventory)`; the name is left out when it
/// only repeats the file's stem.
pub(super) fn file_header(path: &str, name: &str, p: Palette) -> String {
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
    if stem == Some(name) || name.is_empty() {
        format!("{}\n", p.bold(path))
    } else {
        format!("{} ({name})\n", p.bold(path))
    }
}

/// `  ✓ get token  POST 200  123ms`, `  - delete  skipped: reason`, or under
/// `--dry-run` `  POST https://host/path  (get token)`.
pub(super) fn request_line(r: &RequestResult, dry_run: bool, frozen: bool, p: Palette) -> String {
    match &r.outcome {
        Outcome::Skipped { reason } => {
            format!(
                "  {} {}  {}\n",
                p.skip("-"),
                r.name,
                p.skip(&format!("skipped: {reason}"))
            )
        }
        Outcome::Passed if dry_run => format!("  {} {}  ({})\n", r.method, r.url, r.name),
        outcome => {
            let mark = if *outcome == Outcome::Passed {
                p.pass("✓")
            } else {
                p.fail("✗")
            };
            let status = match r.status {
                Some(code) => code.to_string(),
                None => "no response".into(),
            };
            let mut line = format!(
                "  {mark} {}  {} {status}  {}",
                r.name,
                r.method,
                p.dim(&request_time(r.duration, frozen))
            );
            if r.attempts > 1 {
                let _ = write!(line, "  ({} attempts)", r.attempts);
            }
            line.push('\n');
            line
        }
    }
}

/// A `--verbose` exchange, curl style: `> ` request lines, `< ` response
/// lines. A dry run sends nothing, so it shows no missing response.
pub(super) fn exchange(x: &Exchange, dry_run: bool, p: Palette) -> String {
    let mut out = String::new();
    let mut side = |prefix: &str, text: &str| {
        for line in text.lines() {
            let shown = if line.is_empty() {
                format!("    {prefix}")
            } else {
                format!("    {prefix} {line}")
            };
            out.push_str(&p.dim(&shown));
            out.push('\n');
        }
    };
    side(">", &x.request);
    match &x.response {
        Some(response) => side("<", response),
        None if dry_run => {}
        None => side("<", "(no response)"),
    }
    out
}

/// `warning: text` in yellow, `error: text` in red, info as it is.
pub(super) fn message(level: Level, text: &str, p: Palette) -> String {
    match level {
        Level::Info => format!("{text}\n"),
        Level::Warning => format!("{} {text}\n", p.skip("warning:")),
        Level::Error => format!("{} {text}\n", p.fail("error:")),
    }
}

/// Everything a reader needs to act on one failed request: where, what was
/// sent, each expectation that did not hold, and the start of the body.
pub(super) fn failure_block(r: &RequestResult, p: Palette) -> String {
    let mut out = format!(
        "{} {} › {}\n",
        p.fail("✗"),
        p.bold(&r.file),
        p.bold(&r.name)
    );
    let status = match r.status {
        Some(code) => code.to_string(),
        None => "no response".into(),
    };
    let _ = write!(out, "  {} {} → {status}", r.method, r.url);
    if r.attempts > 1 {
        let _ = write!(out, " after {} attempts", r.attempts);
    }
    out.push('\n');
    for failure in &r.failures {
        failure_lines(&mut out, failure, p);
    }
    if let Some(body) = r.body_excerpt.as_deref().filter(|b| !b.is_empty()) {
        out.push_str("  body:\n");
        for line in excerpt(body).lines() {
            let _ = writeln!(out, "    {}", p.dim(line));
        }
    }
    out
}

/// One failure, rendered like a load error (the same renderer): its place
/// in the file with the line and a caret under the key, then what was
/// expected and what came.
fn failure_lines(out: &mut String, f: &Failure, p: Palette) {
    let title = format!("{}: {}", f.key, f.message);
    let mut d = match &f.location {
        Some(at) => at.diagnostic(title),
        None => Diagnostic::new(title),
    };
    if let Some(expected) = &f.expected {
        d = d.with_note(format!("expected: {}", p.pass(expected)));
    }
    if let Some(actual) = &f.actual {
        d = d.with_note(format!("actual:   {}", p.fail(actual)));
    }
    for line in d.render(p.colored()).lines() {
        let _ = writeln!(out, "  {line}");
    }
}

/// `12 passed, 1 failed, 2 skipped (3 files) in 0.84s`. The line starts
/// uncoloured with `N passed, N failed` so CI log readers can parse it.
pub(super) fn summary(end: &RunEnd, frozen: bool, p: Palette) -> String {
    let failed = format!("{} failed", end.failed);
    let skipped = format!("{} skipped", end.skipped);
    format!(
        "{} passed, {}, {} ({}) in {}\n",
        end.passed,
        if end.failed > 0 {
            p.fail(&failed)
        } else {
            failed
        },
        if end.skipped > 0 {
            p.skip(&skipped)
        } else {
            skipped
        },
        count(end.files, "file"),
        run_time(end.duration, frozen)
    )
}

/// `dry run: 3 requests would be sent, 1 skipped (2 files)`.
pub(super) fn dry_run_summary(sent: usize, skipped: usize, failed: usize, files: usize) -> String {
    let mut line = format!("dry run: {} would be sent", count(sent, "request"));
    if skipped > 0 {
        let _ = write!(line, ", {skipped} skipped");
    }
    if failed > 0 {
        let _ = write!(line, ", {failed} failed");
    }
    let _ = writeln!(line, " ({})", count(files, "file"));
    line
}
