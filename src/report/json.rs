//! A JSON document of the run, for scripts and dashboards:
//!
//! ```json
//! { "version": 1, "env": "staging", "dry_run": false,
//!   "files": [ { "path", "name", "requests": [ { "name", "method", "url",
//!       "status", "duration_ms", "attempts", "outcome", "skip_reason",
//!       "failures": [ { "key", "message", "expected", "actual", "location" } ],
//!       "body_excerpt" } ] } ],
//!   "summary": { "files", "passed", "failed", "skipped", "duration_ms", "exit_code" } }
//! ```
//!
//! Written as the run goes: a file's object is written when it ends, so only
//! files still running are held. Files finishing out of order (parallel
//! runs) wait for the earlier ones, so `files` is always in path order and
//! two runs of the same collection diff cleanly.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::event::{Event, Failure, Outcome, Reporter, RequestResult, RunEnd};

/// Bumped when a field changes meaning or disappears; additions keep it.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct FileDoc {
    path: String,
    name: String,
    requests: Vec<RequestDoc>,
}

#[derive(Serialize)]
struct RequestDoc {
    name: String,
    method: String,
    url: String,
    status: Option<u16>,
    duration_ms: u64,
    attempts: u32,
    /// `passed`, `failed` or `skipped`.
    outcome: &'static str,
    skip_reason: Option<String>,
    failures: Vec<FailureDoc>,
    body_excerpt: Option<String>,
}

#[derive(Serialize)]
struct FailureDoc {
    key: String,
    message: String,
    expected: Option<String>,
    actual: Option<String>,
    location: Option<String>,
}

#[derive(Serialize, Default)]
struct SummaryDoc {
    files: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    duration_ms: u64,
    /// `null` when the run never reported its end.
    exit_code: Option<i32>,
}

impl From<&Failure> for FailureDoc {
    fn from(f: &Failure) -> Self {
        FailureDoc {
            key: f.key.clone(),
            message: f.message.clone(),
            expected: f.expected.clone(),
            actual: f.actual.clone(),
            location: f.location.as_ref().map(ToString::to_string),
        }
    }
}

impl From<&RequestResult> for RequestDoc {
    fn from(r: &RequestResult) -> Self {
        let (outcome, skip_reason) = match &r.outcome {
            Outcome::Passed => ("passed", None),
            Outcome::Failed => ("failed", None),
            Outcome::Skipped { reason } => ("skipped", Some(reason.clone())),
        };
        RequestDoc {
            name: r.name.clone(),
            method: r.method.clone(),
            url: r.url.clone(),
            status: r.status,
            duration_ms: r.duration.as_millis() as u64,
            attempts: r.attempts,
            outcome,
            skip_reason,
            failures: r.failures.iter().map(FailureDoc::from).collect(),
            body_excerpt: r.body_excerpt.clone(),
        }
    }
}

pub(crate) struct JsonReporter {
    out: BufWriter<super::Sink>,
    /// Files started and not ended.
    running: HashMap<usize, FileDoc>,
    /// Files ended, waiting for an earlier file to be written first.
    ended: BTreeMap<usize, FileDoc>,
    /// Index of the next file to write.
    next: usize,
    written: usize,
    /// Tallies, for a summary when the run never reports its end.
    tally: SummaryDoc,
    started: bool,
    closed: bool,
}

impl JsonReporter {
    /// Creates (truncates) the file now, so a bad path fails before the run.
    pub(crate) fn new(path: PathBuf) -> io::Result<Self> {
        Ok(Self::to_writer(Box::new(File::create(path)?)))
    }

    /// Writes the report to `out` (standard output for `--report KIND:-`).
    pub(crate) fn to_writer(out: super::Sink) -> Self {
        JsonReporter {
            out: BufWriter::new(out),
            running: HashMap::new(),
            ended: BTreeMap::new(),
            next: 0,
            written: 0,
            tally: SummaryDoc::default(),
            started: false,
            closed: false,
        }
    }

    fn write_file(&mut self, doc: &FileDoc) -> io::Result<()> {
        if self.written > 0 {
            self.out.write_all(b",\n")?;
        }
        self.written += 1;
        serde_json::to_writer(&mut self.out, doc)?;
        Ok(())
    }

    /// Writes every ended file that no earlier file is still holding back.
    fn write_ready(&mut self) -> io::Result<()> {
        while let Some(doc) = self.ended.remove(&self.next) {
            self.write_file(&doc)?;
            self.next += 1;
        }
        Ok(())
    }

    /// Writes whatever is left, in order, and the summary.
    fn close(&mut self, summary: &SummaryDoc) -> io::Result<()> {
        let running: Vec<_> = self.running.drain().collect();
        self.ended.extend(running);
        for doc in std::mem::take(&mut self.ended).into_values() {
            self.write_file(&doc)?;
        }
        self.out.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.closed = true;
        Ok(())
    }
}

impl Reporter for JsonReporter {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::RunStart(start) => {
                self.started = true;
                writeln!(
                    self.out,
                    "{{\"version\":{VERSION},\"env\":{},\"dry_run\":{},\"files\":[",
                    serde_json::to_string(&start.env)?,
                    start.dry_run
                )
            }
            Event::FileStart(f) => {
                let doc = FileDoc {
                    path: f.path.clone(),
                    name: f.name.clone(),
                    requests: Vec::with_capacity(f.requests),
                };
                self.running.insert(f.index, doc);
                Ok(())
            }
            Event::Request(r) => {
                match r.outcome {
                    Outcome::Passed => self.tally.passed += 1,
                    Outcome::Failed => self.tally.failed += 1,
                    Outcome::Skipped { .. } => self.tally.skipped += 1,
                }
                let file = self.running.entry(r.file_index).or_insert_with(|| FileDoc {
                    path: r.file.clone(),
                    name: r.file_name.clone(),
                    requests: Vec::new(),
                });
                file.requests.push(RequestDoc::from(r));
                Ok(())
            }
            Event::FileEnd(f) => {
                self.tally.files += 1;
                if let Some(doc) = self.running.remove(&f.index) {
                    self.ended.insert(f.index, doc);
                }
                self.write_ready()
            }
            Event::RunEnd(end) if self.started && !self.closed => self.close(&summary(end)),
            _ => Ok(()),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.started && !self.closed {
            let tally = std::mem::take(&mut self.tally);
            self.close(&tally)?;
        }
        self.out.flush()
    }
}

fn summary(end: &RunEnd) -> SummaryDoc {
    SummaryDoc {
        files: end.files,
        passed: end.passed,
        failed: end.failed,
        skipped: end.skipped,
        duration_ms: end.duration.as_millis() as u64,
        exit_code: Some(end.exit_code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;
    use serde_json::{Value, json};

    fn render(events: &[Event]) -> Value {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.json");
        let mut reporter = JsonReporter::new(path.clone()).unwrap();
        fixture::drive(&mut reporter, events);
        let text = std::fs::read_to_string(path).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    #[test]
    fn document_holds_files_requests_and_summary() {
        let doc = render(&fixture::run());
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["env"], "staging");
        assert_eq!(doc["dry_run"], false);
        let files = doc["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["path"], "requests/auth.yaml");
        assert_eq!(files[1]["name"], "Device inventory");
        assert_eq!(files[0]["requests"].as_array().unwrap().len(), 2);
        let list = &files[1]["requests"][0];
        assert_eq!(list["name"], "list devices");
        assert_eq!(list["method"], "GET");
        assert_eq!(list["url"], "https://api.test/v1/devices?page=1");
        assert_eq!(list["status"], 500);
        assert_eq!(list["duration_ms"], 1234);
        assert_eq!(list["attempts"], 2);
        assert_eq!(list["outcome"], "failed");
        assert_eq!(list["skip_reason"], Value::Null);
        assert_eq!(list["body_excerpt"], fixture::BODY);
        assert_eq!(
            list["failures"][0],
            json!({"key": "status", "message": "status <500> is not \"200\" & not ok",
                   "expected": "200", "actual": "500",
                   "location": "requests/devices.yaml:7:13"})
        );
        assert_eq!(list["failures"][1]["actual"], Value::Null);
        let skipped = &files[1]["requests"][1];
        assert_eq!(skipped["outcome"], "skipped");
        assert_eq!(skipped["skip_reason"], "an earlier request failed");
        assert_eq!(skipped["status"], Value::Null);
        assert_eq!(
            doc["summary"],
            json!({"files": 2, "passed": 2, "failed": 1, "skipped": 2,
                   "duration_ms": 2840, "exit_code": 1})
        );
    }

    #[test]
    fn parallel_files_are_written_in_path_order() {
        let doc = render(&fixture::interleaved());
        let paths: Vec<_> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["requests/auth.yaml", "requests/devices.yaml"]);
    }

    #[test]
    fn a_run_without_an_end_still_closes_the_document() {
        let mut events = fixture::run();
        events.truncate(events.len() - 3); // no warning, FileEnd or RunEnd
        let doc = render(&events);
        assert_eq!(doc["files"].as_array().unwrap().len(), 2);
        assert_eq!(doc["files"][1]["requests"].as_array().unwrap().len(), 3);
        assert_eq!(doc["summary"]["exit_code"], Value::Null);
        assert_eq!(doc["summary"]["failed"], 1);
        assert_eq!(doc["summary"]["files"], 1);
    }

    #[test]
    fn dry_run_is_flagged() {
        let doc = render(&fixture::dry_run());
        assert_eq!(doc["dry_run"], true);
        assert_eq!(doc["env"], Value::Null);
        assert_eq!(
            doc["files"][1]["requests"][1]["skip_reason"],
            "when: is false"
        );
    }
}
