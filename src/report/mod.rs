//! Results flow as [`event::Event`]s to interchangeable writers.
//!
//! The runner knows nothing about output: it emits events, and each
//! [`Reporter`] turns them into its own format (console lines, JUnit, JSON,
//! TAP). `--report KIND:PATH` is parsed into a [`ReportSpec`], opened with
//! [`open`], and every writer is driven through one [`Fanout`].

pub(crate) mod console;
pub(crate) mod event;
mod excerpt;
#[cfg(test)]
mod fixture;
mod format;
pub(crate) mod json;
pub(crate) mod junit;
mod palette;
pub(crate) mod path_order;
pub(crate) mod tap;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub(crate) use event::{Event, Reporter};
pub(crate) use json::JsonReporter;
pub(crate) use junit::JunitReporter;
pub(crate) use path_order::PathOrder;
pub(crate) use tap::TapReporter;

/// Where a report is written: a file, or standard output.
pub(crate) type Sink = Box<dyn io::Write + Send>;

const KINDS_HINT: &str = "use junit:PATH, json:PATH or tap:PATH";

/// A report file asked for with `--report KIND:PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReportSpec {
    Junit(PathBuf),
    Json(PathBuf),
    Tap(PathBuf),
}

impl ReportSpec {
    pub(crate) fn path(&self) -> &Path {
        match self {
            ReportSpec::Junit(p) | ReportSpec::Json(p) | ReportSpec::Tap(p) => p,
        }
    }

    /// Whether the report goes to standard output (`KIND:-`).
    pub(crate) fn is_stdout(&self) -> bool {
        self.path() == Path::new("-")
    }
}

impl FromStr for ReportSpec {
    type Err = String;

    /// Parses `junit:PATH`, `json:PATH` or `tap:PATH`. Only the first `:`
    /// separates, so `junit:C:\out\report.xml` keeps its drive letter.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let Some((kind, path)) = text.split_once(':') else {
            return Err(format!("`{text}` is not a report; {KINDS_HINT}"));
        };
        if path.is_empty() {
            return Err(format!("report `{text}` needs a path; use {kind}:PATH"));
        }
        let path = PathBuf::from(path);
        match kind {
            "junit" => Ok(ReportSpec::Junit(path)),
            "json" => Ok(ReportSpec::Json(path)),
            "tap" => Ok(ReportSpec::Tap(path)),
            other => Err(format!("unknown report kind `{other}`; {KINDS_HINT}")),
        }
    }
}

impl fmt::Display for ReportSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            ReportSpec::Junit(_) => "junit",
            ReportSpec::Json(_) => "json",
            ReportSpec::Tap(_) => "tap",
        };
        write!(f, "{kind}:{}", self.path().display())
    }
}

/// Creates the report's file (and its parent folders) and its writer, so a
/// path that cannot be written fails before any request is sent. The path
/// `-` is standard output.
pub(crate) fn open(spec: &ReportSpec) -> io::Result<Box<dyn Reporter>> {
    if spec.is_stdout() {
        let out: Sink = Box::new(io::stdout());
        return Ok(match spec {
            ReportSpec::Junit(path) => Box::new(JunitReporter::to_writer(out, path.clone())),
            ReportSpec::Json(_) => Box::new(JsonReporter::to_writer(out)),
            ReportSpec::Tap(_) => Box::new(TapReporter::to_writer(out)),
        });
    }
    if let Some(parent) = spec.path().parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    Ok(match spec {
        ReportSpec::Junit(path) => Box::new(JunitReporter::new(path.clone())?),
        ReportSpec::Json(path) => Box::new(JsonReporter::new(path.clone())?),
        ReportSpec::Tap(path) => Box::new(TapReporter::new(path.clone())?),
    })
}

/// Sends every event to several reporters. One failing writer (a full disk
/// under a report file) does not starve the others: all are called, and the
/// first error is returned.
pub(crate) struct Fanout(pub Vec<Box<dyn Reporter>>);

impl Fanout {
    fn each(
        &mut self,
        mut call: impl FnMut(&mut dyn Reporter) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut first = Ok(());
        for reporter in &mut self.0 {
            let result = call(reporter.as_mut());
            if first.is_ok() {
                first = result;
            }
        }
        first
    }
}

impl Reporter for Fanout {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        self.each(|r| r.event(event))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.each(|r| r.flush())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.each(|r| r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn parses_each_kind() {
        assert_eq!(
            "junit:out/r.xml".parse::<ReportSpec>(),
            Ok(ReportSpec::Junit("out/r.xml".into()))
        );
        assert_eq!("json:r.json".parse(), Ok(ReportSpec::Json("r.json".into())));
        assert_eq!("tap:r.tap".parse(), Ok(ReportSpec::Tap("r.tap".into())));
        assert_eq!(
            r"junit:C:\out\r.xml".parse(),
            Ok(ReportSpec::Junit(r"C:\out\r.xml".into()))
        );
    }

    #[test]
    fn rejects_unknown_kind_missing_path_and_bare_path() {
        assert_eq!(
            "xml:r.xml".parse::<ReportSpec>().unwrap_err(),
            "unknown report kind `xml`; use junit:PATH, json:PATH or tap:PATH"
        );
        assert_eq!(
            "junit:".parse::<ReportSpec>().unwrap_err(),
            "report `junit:` needs a path; use junit:PATH"
        );
        assert_eq!(
            "report.xml".parse::<ReportSpec>().unwrap_err(),
            "`report.xml` is not a report; use junit:PATH, json:PATH or tap:PATH"
        );
    }

    #[test]
    fn display_round_trips() {
        let spec: ReportSpec = "tap:a/b.tap".parse().unwrap();
        assert_eq!(spec.to_string(), "tap:a/b.tap");
    }

    #[test]
    fn open_creates_parent_folders_and_writes_on_finish() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/report.json");
        let spec = ReportSpec::Json(path.clone());
        let mut reporter = open(&spec).unwrap();
        for event in fixture::run() {
            reporter.event(&event).unwrap();
        }
        reporter.finish().unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(doc["summary"]["failed"], 1);
    }

    /// Counts calls, and fails every one when `fail` is set.
    struct Probe {
        calls: Arc<Mutex<usize>>,
        fail: bool,
    }

    impl Reporter for Probe {
        fn event(&mut self, _: &Event) -> io::Result<()> {
            *self.calls.lock().unwrap() += 1;
            if self.fail {
                Err(io::Error::other("disk full"))
            } else {
                Ok(())
            }
        }
        fn finish(&mut self) -> io::Result<()> {
            self.event(&Event::Message {
                level: event::Level::Info,
                text: String::new(),
            })
        }
    }

    #[test]
    fn fanout_forwards_to_all_and_reports_the_first_error() {
        let a = Arc::new(Mutex::new(0));
        let b = Arc::new(Mutex::new(0));
        let mut fanout = Fanout(vec![
            Box::new(Probe {
                calls: a.clone(),
                fail: true,
            }),
            Box::new(Probe {
                calls: b.clone(),
                fail: false,
            }),
        ]);
        let events = fixture::run();
        let mut errors = 0;
        for event in &events {
            errors += usize::from(fanout.event(event).is_err());
        }
        let finished = fanout.finish();
        assert_eq!(errors, events.len());
        assert_eq!(finished.unwrap_err().to_string(), "disk full");
        assert_eq!(*a.lock().unwrap(), events.len() + 1);
        assert_eq!(*b.lock().unwrap(), events.len() + 1);
    }
}
