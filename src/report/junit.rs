//! JUnit XML, as Jenkins, GitLab and GitHub test-report actions read it.
//!
//! The output validates against the Jenkins JUnit schema (the xunit
//! plugin's `junit-10.xsd`, committed as `tests/junit/jenkins-junit.xsd`
//! and checked in `tests/junit_report.rs`). That schema allows `file` on a
//! `<testsuite>` but neither `file` nor `line` on a `<testcase>`, so the
//! request's file is its `classname` (GitLab and GitHub reporters show it)
//! and each failure's `file:line:col` is in the element's text.
//!
//! ```xml
//! <testsuites name="sesame" tests="5" failures="1" errors="1" time="2.840">
//!   <!-- one per request file, in path order -->
//!   <testsuite name="{file name}" tests="3" errors="0" failures="1"
//!              time="{file seconds}" file="{file path}" skipped="1">
//!     <!-- one per request -->
//!     <testcase name="{request name}" classname="{file path}" time="{seconds}">
//!       <!-- an expectation failed: message holds every failed expectation,
//!            `; `-separated; type is the first one's key; the text holds
//!            each with expected/actual and file:line:col, the request, the body -->
//!       <failure message="{messages}" type="{first key}">…</failure>
//!       <!-- the request could not be sent (transport) or its profile could
//!            not log in: an error, not a failed test -->
//!       <error message="{messages}" type="transport|login PROFILE">…</error>
//!       <!-- skipped (and every request of a dry run) -->
//!       <skipped message="{reason}"/>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! XML is written whole at `finish()` (quick-junit builds the tree); what is
//! held is one small `TestCase` per request, never a body beyond its excerpt.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::event::{Event, Outcome, Reporter, RequestResult};
use super::excerpt::excerpt;

pub(crate) struct JunitReporter {
    file: Option<super::Sink>,
    /// The file's path, or `-`, for error messages.
    path: PathBuf,
    dry_run: bool,
    /// Suites of files that have started and not ended.
    running: HashMap<usize, TestSuite>,
    /// Finished suites by file index, so the report is in path order.
    ended: BTreeMap<usize, TestSuite>,
    report: Report,
}

impl JunitReporter {
    /// Creates (truncates) the file now, so a bad path fails before the run;
    /// the XML is written at [`Reporter::finish`].
    pub(crate) fn new(path: PathBuf) -> io::Result<Self> {
        let file = File::create(&path)?;
        Ok(Self::to_writer(Box::new(file), path))
    }

    /// Writes the XML to `out` at [`Reporter::finish`]; `label` names it in
    /// error messages (`-` for standard output).
    pub(crate) fn to_writer(out: super::Sink, label: PathBuf) -> Self {
        JunitReporter {
            file: Some(out),
            path: label,
            dry_run: false,
            running: HashMap::new(),
            ended: BTreeMap::new(),
            report: Report::new("sesame"),
        }
    }

    fn suite(&mut self, index: usize, name: &str, path: &str) -> &mut TestSuite {
        self.running.entry(index).or_insert_with(|| {
            let mut suite = TestSuite::new(name);
            suite.extra.insert("file".into(), path.into());
            suite
        })
    }

    fn test_case(&self, r: &RequestResult) -> TestCase {
        let status = match &r.outcome {
            Outcome::Passed if self.dry_run => skipped("dry run: not sent"),
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::Skipped { reason } => skipped(reason),
            Outcome::Failed => failed(r),
        };
        let mut case = TestCase::new(r.name.as_str(), status);
        case.set_classname(r.file.as_str());
        case.set_time(r.duration);
        case
    }
}

/// `<error>` when the request could not be sent or its profile could not
/// log in, else `<failure>`; the message lists every failure.
fn failed(r: &RequestResult) -> TestCaseStatus {
    let is_error = r
        .failures
        .iter()
        .any(|f| f.key == "transport" || f.key == "login" || f.key.starts_with("login "));
    let kind = if is_error {
        NonSuccessKind::Error
    } else {
        NonSuccessKind::Failure
    };
    let mut status = TestCaseStatus::non_success(kind);
    status.set_message(message(r));
    if let Some(first) = r.failures.first() {
        status.set_type(first.key.as_str());
    }
    status.set_description(failure_text(r));
    status
}

/// Every failure of `r`: one's message alone, several as `key: message`
/// joined by `; `, so a CI summary that shows only the attribute misses none.
fn message(r: &RequestResult) -> String {
    match r.failures.as_slice() {
        [] => "failed".to_string(),
        [one] => one.message.clone(),
        many => many
            .iter()
            .map(|f| format!("{}: {}", f.key, f.message))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn skipped(message: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(message);
    status
}

/// The text of a `<failure>`: what the console's detail block says.
fn failure_text(r: &RequestResult) -> String {
    let mut text = String::new();
    for f in &r.failures {
        let _ = writeln!(text, "{}: {}", f.key, f.message);
        if let Some(at) = &f.location {
            let _ = writeln!(text, "  at: {at}");
        }
        if let Some(expected) = &f.expected {
            let _ = writeln!(text, "  expected: {expected}");
        }
        if let Some(actual) = &f.actual {
            let _ = writeln!(text, "  actual:   {actual}");
        }
    }
    let status = r.status.map_or("no response".into(), |s| s.to_string());
    let attempts = match r.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    let _ = writeln!(text, "{} {} → {status} ({attempts})", r.method, r.url);
    if let Some(body) = &r.body_excerpt {
        let _ = writeln!(text, "body:\n{}", excerpt(body));
    }
    text
}

impl Reporter for JunitReporter {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::RunStart(start) => self.dry_run = start.dry_run,
            Event::FileStart(f) => {
                self.suite(f.index, &f.name, &f.path);
            }
            Event::Request(r) => {
                let case = self.test_case(r);
                self.suite(r.file_index, &r.file_name, &r.file)
                    .add_test_case(case);
            }
            Event::FileEnd(f) => {
                let mut suite = self
                    .running
                    .remove(&f.index)
                    .unwrap_or_else(|| TestSuite::new(f.name.as_str()));
                suite.set_time(f.duration);
                self.ended.insert(f.index, suite);
            }
            Event::RunEnd(end) => {
                self.report.set_time(end.duration);
            }
            Event::Exchange(_) | Event::Message { .. } => {}
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let running: Vec<_> = self.running.drain().collect();
        self.ended.extend(running);
        for (_, mut suite) in std::mem::take(&mut self.ended) {
            let skipped = suite.disabled.to_string();
            suite.extra.insert("skipped".into(), skipped.into());
            self.report.add_test_suite(suite);
        }
        let xml = self
            .report
            .to_string()
            .map_err(|e| io::Error::other(format!("writing {}: {e}", self.path.display())))?;
        let mut out = BufWriter::new(file);
        out.write_all(without_disabled(&xml).as_bytes())?;
        out.flush()
    }
}

/// `xml` without the `disabled="N"` attribute quick-junit writes on every
/// `<testsuite>`: the Jenkins schema refuses it (`skipped` says the same).
fn without_disabled(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for line in xml.split_inclusive('\n') {
        if line.trim_start().starts_with("<testsuite ")
            && let Some(start) = line.find(" disabled=\"")
            && let Some(len) = line[start + 11..].find('"')
        {
            out.push_str(&line[..start]);
            out.push_str(&line[start + 11 + len + 1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn render(events: &[Event]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junit.xml");
        let mut reporter = JunitReporter::new(path.clone()).unwrap();
        fixture::drive(&mut reporter, events);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn one_suite_per_file_one_case_per_request() {
        let xml = render(&fixture::run());
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<testsuites name="sesame" tests="5" failures="1" errors="0" time="2.840">"#
            ),
            "{xml}"
        );
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        assert_eq!(xml.matches("<testcase ").count(), 5);
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert_eq!(xml.matches("<skipped ").count(), 2);
        assert!(xml.contains(
            r#"<testsuite name="Device inventory" tests="3" errors="0" failures="1" time="1.500" file="requests/devices.yaml" skipped="2">"#
        ), "{xml}");
        assert!(
            xml.contains(
                r#"<testcase name="get token" classname="requests/auth.yaml" time="0.123">"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<skipped message="an earlier request failed"/>"#));
        let auth = xml.find("name=\"auth\"").unwrap();
        let devices = xml.find("name=\"Device inventory\"").unwrap();
        assert!(auth < devices, "suites in path order");
    }

    #[test]
    fn failure_escapes_and_carries_every_detail() {
        let xml = render(&fixture::run());
        assert!(xml.contains(
            r#"<failure message="status: status &lt;500&gt; is not &quot;200&quot; &amp; not ok; json $.data.total: path selected nothing" type="status">"#
        ), "{xml}");
        assert!(xml.contains("  at: requests/devices.yaml:7:13\n"));
        assert!(xml.contains("  expected: 200\n  actual:   500\n"));
        assert!(xml.contains("json $.data.total: path selected nothing\n  expected: exists\n"));
        assert!(xml.contains("GET https://api.test/v1/devices?page=1 → 500 (2 attempts)"));
        assert!(
            xml.contains("{&quot;error&quot;: &quot;&lt;boom&gt; &amp; \\&quot;bang"),
            "{xml}"
        );
        assert!(!xml.contains("<boom>"));
    }

    #[test]
    fn parses_back_with_the_same_structure() {
        let xml = render(&fixture::interleaved());
        let report = Report::deserialize_from_str(&xml).unwrap();
        assert_eq!(report.tests, 5);
        assert_eq!(report.failures, 1);
        let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["auth", "Device inventory"]);
        let list = &report.test_suites[1].test_cases[0];
        match &list.status {
            TestCaseStatus::NonSuccess {
                message,
                description,
                ..
            } => {
                assert_eq!(
                    message.as_deref(),
                    Some(
                        "status: status <500> is not \"200\" & not ok; json $.data.total: path selected nothing"
                    )
                );
                assert!(
                    description
                        .as_deref()
                        .unwrap()
                        .contains("<boom> & \\\"bang\\\"")
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn dry_run_cases_are_skipped() {
        let xml = render(&fixture::dry_run());
        assert_eq!(xml.matches("<skipped ").count(), 3);
        assert!(xml.contains(r#"<skipped message="dry run: not sent"/>"#));
        assert!(!xml.contains("<failure"));
    }

    /// `fixture::run()` with its failed request turned into one whose
    /// failure has `key` and which was sent once.
    fn run_with_one_failure(key: &str, message: &str) -> Vec<Event> {
        let mut events = fixture::run();
        for e in &mut events {
            if let Event::Request(r) = e
                && r.outcome == Outcome::Failed
            {
                r.attempts = 1;
                r.status = None;
                r.failures.truncate(1);
                r.failures[0].key = key.into();
                r.failures[0].message = message.into();
            }
        }
        events
    }

    #[test]
    fn transport_and_login_failures_are_errors() {
        let xml = render(&run_with_one_failure("transport", "connection refused"));
        assert!(
            xml.contains(r#"<testsuites name="sesame" tests="5" failures="0" errors="1""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error message="connection refused" type="transport">"#),
            "{xml}"
        );
        assert!(
            xml.contains("GET https://api.test/v1/devices?page=1 → no response (1 attempt)\n"),
            "{xml}"
        );
        let xml = render(&run_with_one_failure("login code42", "401 from /oauth"));
        assert!(
            xml.contains(r#"<error message="401 from /oauth" type="login code42">"#),
            "{xml}"
        );
        let xml = render(&run_with_one_failure("status", "expected 200, got 500"));
        assert!(
            xml.contains(r#"<failure message="expected 200, got 500" type="status">"#),
            "{xml}"
        );
        assert!(!xml.contains("disabled="), "{xml}");
    }
}
