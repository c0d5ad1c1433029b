//! TAP version 14 (<https://testanything.org/tap-version-14-specification.html>),
//! for harnesses that read the Test Anything Protocol.
//!
//! The plan is known at `RunStart`, so it is written first and every
//! request becomes one test point as it arrives: memory stays flat however
//! long the run. A failed point carries a YAML diagnostic block; strings in
//! it are JSON-quoted, which is valid YAML and safe for any content.
//!
//! ```text
//! TAP version 14
//! 1..3
//! ok 1 - requests/auth.yaml › get token
//! not ok 2 - requests/devices.yaml › list devices
//!   ---
//!   message: "status is 500"
//!   ...
//! ok 3 - requests/devices.yaml › delete device # SKIP an earlier request failed
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::event::{Event, Failure, Level, Outcome, Reporter, RequestResult};
use super::excerpt::excerpt;

pub(crate) struct TapReporter {
    out: BufWriter<super::Sink>,
    /// The last test point written, from 1.
    number: usize,
    dry_run: bool,
}

impl TapReporter {
    /// Creates (truncates) the file now, so a bad path fails before the run.
    pub(crate) fn new(path: PathBuf) -> io::Result<Self> {
        Ok(Self::to_writer(Box::new(File::create(path)?)))
    }

    /// Writes the report to `out` (standard output for `--report KIND:-`).
    pub(crate) fn to_writer(out: super::Sink) -> Self {
        TapReporter {
            out: BufWriter::new(out),
            number: 0,
            dry_run: false,
        }
    }

    fn point(&mut self, r: &RequestResult) -> io::Result<()> {
        self.number += 1;
        let n = self.number;
        let description = escape(&format!("{} › {}", r.file, r.name));
        match &r.outcome {
            Outcome::Passed if self.dry_run => {
                writeln!(self.out, "ok {n} - {description} # SKIP dry run")
            }
            Outcome::Passed => writeln!(self.out, "ok {n} - {description}"),
            Outcome::Skipped { reason } => {
                writeln!(self.out, "ok {n} - {description} # SKIP {}", escape(reason))
            }
            Outcome::Failed => {
                writeln!(self.out, "not ok {n} - {description}")?;
                self.out.write_all(diagnostic(r).as_bytes())
            }
        }
    }
}

/// Keeps a description on one line and its `#` from starting a directive.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('#', "\\#")
        .replace(['\n', '\r'], " ")
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// The YAML block under a `not ok`: the first failure at the top level,
/// where harnesses look, then every failure, the request and the body.
fn diagnostic(r: &RequestResult) -> String {
    let mut lines = vec!["---".to_string()];
    let first = r.failures.first();
    let message = first.map_or("failed", |f| &f.message);
    lines.push(format!("message: {}", quote(message)));
    lines.push("severity: fail".into());
    if let Some(first) = first {
        fields(&mut lines, first, "");
    }
    if r.failures.len() > 1 {
        lines.push("failures:".into());
        for f in &r.failures {
            lines.push(format!("  - key: {}", quote(&f.key)));
            lines.push(format!("    message: {}", quote(&f.message)));
            fields(&mut lines, f, "    ");
        }
    }
    lines.push(format!(
        "request: {}",
        quote(&format!("{} {}", r.method, r.url))
    ));
    if let Some(status) = r.status {
        lines.push(format!("status: {status}"));
    }
    lines.push(format!("attempts: {}", r.attempts));
    if let Some(body) = &r.body_excerpt {
        lines.push(format!("body: {}", quote(&excerpt(body))));
    }
    lines.push("...".into());
    lines.iter().map(|l| format!("  {l}\n")).collect()
}

fn fields(lines: &mut Vec<String>, f: &Failure, indent: &str) {
    if let Some(expected) = &f.expected {
        lines.push(format!("{indent}expected: {}", quote(expected)));
    }
    if let Some(actual) = &f.actual {
        lines.push(format!("{indent}actual: {}", quote(actual)));
    }
    if let Some(at) = &f.location {
        lines.push(format!("{indent}at: {}", quote(at.as_str())));
    }
}

impl Reporter for TapReporter {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::RunStart(start) => {
                self.dry_run = start.dry_run;
                write!(self.out, "TAP version 14\n1..{}\n", start.requests)
            }
            Event::Request(r) => self.point(r),
            Event::Message { level, text } => {
                let prefix = match level {
                    Level::Info => "",
                    Level::Warning => "warning: ",
                    Level::Error => "error: ",
                };
                for line in text.lines() {
                    writeln!(self.out, "# {prefix}{line}")?;
                }
                Ok(())
            }
            // A run stopped by a signal has fewer points than its plan:
            // say so, as TAP 14 asks, whichever signal it was.
            Event::RunEnd(end) => match end.exit_code {
                crate::exit::INTERRUPTED => writeln!(self.out, "Bail out! interrupted"),
                crate::exit::TERMINATED => writeln!(self.out, "Bail out! terminated"),
                crate::exit::HANGUP => writeln!(self.out, "Bail out! hung up"),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn render(events: &[Event]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.tap");
        let mut reporter = TapReporter::new(path.clone()).unwrap();
        fixture::drive(&mut reporter, events);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn writes_plan_points_and_diagnostics() {
        let expected = r#"TAP version 14
1..5
ok 1 - requests/auth.yaml › get token
# logged in as code42
ok 2 - requests/auth.yaml › who am i
not ok 3 - requests/devices.yaml › list devices
  ---
  message: "status <500> is not \"200\" & not ok"
  severity: fail
  expected: "200"
  actual: "500"
  at: "requests/devices.yaml:7:13"
  failures:
    - key: "status"
      message: "status <500> is not \"200\" & not ok"
      expected: "200"
      actual: "500"
      at: "requests/devices.yaml:7:13"
    - key: "json $.data.total"
      message: "path selected nothing"
      expected: "exists"
  request: "GET https://api.test/v1/devices?page=1"
  status: 500
  attempts: 2
  body: "{\"error\": \"<boom> & \\\"bang\\\"\"}"
  ...
ok 4 - requests/devices.yaml › delete device # SKIP an earlier request failed
ok 5 - requests/devices.yaml › audit \# trail # SKIP an earlier request failed
# warning: session for bt was not signed out
"#;
        assert_eq!(render(&fixture::run()), expected);
    }

    #[test]
    fn dry_run_points_are_skipped() {
        let expected = "TAP version 14
1..3
ok 1 - requests/auth.yaml › get token # SKIP dry run
ok 2 - requests/devices.yaml › list devices # SKIP dry run
ok 3 - requests/devices.yaml › delete device # SKIP when: is false
";
        assert_eq!(render(&fixture::dry_run()), expected);
    }

    #[test]
    fn an_interrupted_run_bails_out() {
        let mut events = fixture::run();
        if let Some(Event::RunEnd(end)) = events.last_mut() {
            end.exit_code = crate::exit::INTERRUPTED;
        }
        assert!(render(&events).ends_with("\nBail out! interrupted\n"));
        if let Some(Event::RunEnd(end)) = events.last_mut() {
            end.exit_code = crate::exit::TERMINATED;
        }
        assert!(render(&events).ends_with("\nBail out! terminated\n"));
        if let Some(Event::RunEnd(end)) = events.last_mut() {
            end.exit_code = crate::exit::HANGUP;
        }
        assert!(render(&events).ends_with("\nBail out! hung up\n"));
    }
}
