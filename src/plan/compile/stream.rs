//! Request files in the usual layout (`source::segments`), read from disk
//! one request at a time: checked whole before a run without keeping any
//! request, then compiled again request by request while the file runs. A
//! run's memory then stays flat however many requests a file has.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::file::{Head, no_requests, stem};
use super::{At, Compiler, Inputs};
use crate::diagnostic::{Diagnostic, display_path};
use crate::plan::scope_check::Known;
use crate::plan::{FilePlan, ProfilePlan, ProfileRef, RequestPlan, Requests};
use crate::source::load::{SourceFile, cannot_read, parse};
use crate::source::model::{Loc, RequestCount, RequestFile, RequestSpec};
use crate::source::segments::{Items, Layout};
use crate::template::Engine;

/// A checked file whose requests are compiled while it runs.
pub struct Streamed {
    /// Number of requests.
    pub count: usize,
    path: PathBuf,
    display: String,
    /// Where the list starts (its `head` is emptied once read).
    layout: Layout,
    default_profile: Option<ProfileRef>,
    /// Names defined before the first request.
    known: Known,
    /// The file as it was checked.
    stamp: Option<Stamp>,
    context: Arc<Context>,
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Streamed({}, {} requests)", self.display, self.count)
    }
}

/// What compiling a request needs besides its text.
struct Context {
    engine: Engine,
    inputs: Inputs,
    profiles: BTreeMap<String, Option<Arc<ProfilePlan>>>,
}

/// A file's length and modification time.
#[derive(PartialEq, Eq)]
struct Stamp(u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp(meta.len(), meta.modified().ok()))
}

/// One item of the list, parsed on its own.
struct Part {
    file: SourceFile,
    first_line: u64,
    specs: Vec<Loc<Box<RequestSpec>>>,
}

/// An item that did not parse: the problem, and the names it captures
/// when it is YAML at all (a wrong key, not broken syntax).
struct Broken {
    problem: Diagnostic,
    captures: Option<Vec<String>>,
}

impl From<Diagnostic> for Broken {
    fn from(problem: Diagnostic) -> Broken {
        Broken {
            problem,
            captures: None,
        }
    }
}

/// The `capture:` names of the items in `file`, read as plain YAML.
fn capture_names(file: &SourceFile) -> Option<Vec<String>> {
    let items: Vec<indexmap::IndexMap<String, serde_json::Value>> =
        parse(file, "a request file").ok()?;
    let names = items
        .iter()
        .filter_map(|item| item.get("capture")?.as_object())
        .flat_map(|c| c.keys().cloned())
        .collect();
    Some(names)
}

/// The list's items, parsed; an item that does not parse is an error and
/// the next is read all the same (each item is a document of its own).
/// With a stride of `n`, only every `n`-th block of [`BLOCK`] items, from
/// block `offset`, is parsed.
struct Parts {
    path: PathBuf,
    items: Option<Items<BufReader<File>>>,
    /// Index of the next item, and which items are parsed here.
    next: usize,
    stride: usize,
    offset: usize,
}

impl Parts {
    fn open(path: &Path, layout: &Layout) -> Result<Parts, Diagnostic> {
        let cannot = |e: std::io::Error| cannot_read(path, &e);
        let mut file = File::open(path).map_err(cannot)?;
        file.seek(SeekFrom::Start(layout.items_at))
            .map_err(cannot)?;
        Ok(Parts {
            path: path.to_path_buf(),
            items: Some(Items::new(BufReader::new(file), layout)),
            next: 0,
            stride: 1,
            offset: 0,
        })
    }

    /// Every item of `path`, parsed on this thread and handed to `each`.
    fn each_here(path: &Path, layout: &Layout, mut each: impl FnMut(Result<Part, Broken>)) {
        match Parts::open(path, layout) {
            Ok(parts) => parts.for_each(&mut each),
            Err(d) => each(Err(d.into())),
        }
    }

    /// Every item of `path`, parsed on two threads and handed to `each` in
    /// order: parsing YAML is most of a check, the check is the part of a
    /// run nothing overlaps, and items are documents of their own.
    fn each_parsed(path: &Path, layout: &Layout, mut each: impl FnMut(Result<Part, Broken>)) {
        const STRIDE: usize = 2;
        if layout.items < PARSE_APART {
            return Parts::each_here(path, layout, each);
        }
        // Blocks, not items, go through the channels: a hand-over that
        // wakes a thread costs about as much as parsing an item.
        std::thread::scope(|scope| {
            let mut queues = Vec::new();
            for offset in 0..STRIDE {
                let (tx, rx) = std::sync::mpsc::sync_channel(4);
                let parse = move || {
                    let parts = match Parts::open(path, layout) {
                        Ok(p) => p,
                        // Said once, by the first thread.
                        Err(d) => {
                            if offset == 0 {
                                let _ = tx.send(vec![Err(d.into())]);
                            }
                            return;
                        }
                    };
                    let parts = Parts {
                        stride: STRIDE,
                        offset,
                        ..parts
                    };
                    let mut block = Vec::with_capacity(BLOCK);
                    for part in parts {
                        block.push(part);
                        if block.len() == BLOCK && tx.send(std::mem::take(&mut block)).is_err() {
                            return;
                        }
                    }
                    if !block.is_empty() {
                        let _ = tx.send(block);
                    }
                };
                match std::thread::Builder::new().spawn_scoped(scope, parse) {
                    Ok(_) => queues.push(rx),
                    Err(_) => break,
                }
            }
            if queues.len() < STRIDE {
                // No second thread: parse here, in order.
                drop(queues);
                return Parts::each_here(path, layout, &mut each);
            }
            for turn in 0.. {
                match queues[turn % STRIDE].recv() {
                    Ok(block) => block.into_iter().for_each(&mut each),
                    Err(_) => break,
                }
            }
        });
    }
}

impl Iterator for Parts {
    type Item = Result<Part, Broken>;

    fn next(&mut self) -> Option<Result<Part, Broken>> {
        let segment = loop {
            let item = self.items.as_mut()?.next()?;
            let mine = (self.next / BLOCK) % self.stride == self.offset;
            self.next += 1;
            match item {
                _ if mine => break item,
                // A read error is said by the thread whose item it was.
                Err(_) => return None,
                Ok(_) => {}
            }
        };
        let segment = match segment {
            Ok(s) => s,
            Err(e) => {
                self.items = None;
                return Some(Err(cannot_read(&self.path, &e).into()));
            }
        };
        let file = SourceFile {
            path: self.path.clone(),
            text: segment.text.into(),
        };
        match parse::<Vec<Loc<Box<RequestSpec>>>>(&file, "a request file") {
            Ok(specs) => Some(Ok(Part {
                file,
                first_line: segment.first_line,
                specs,
            })),
            Err(d) => Some(Err(Broken {
                problem: d.moved_down(segment.first_line - 1),
                captures: capture_names(&file),
            })),
        }
    }
}

impl Compiler {
    /// Checks a file in the usual layout request by request, keeping none.
    pub(super) fn streamed_file_plan(
        &mut self,
        path: &Path,
        mut layout: Layout,
    ) -> Option<FilePlan> {
        let head = SourceFile {
            path: path.to_path_buf(),
            text: format!("{}  []\n", std::mem::take(&mut layout.head)).into(),
        };
        let model = match parse::<RequestFile<RequestCount>>(&head, "a request file") {
            Ok(m) => m,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let display = display_path(path);
        let before = self.errors.len();
        let Head {
            vars,
            inputs,
            default_profile,
            known,
        } = self.file_head(&At::new(&head, &display), &model);
        let stamp = stamp(path);
        let mut count = 0;
        let mut names = known.clone();
        let shared: Arc<Path> = Arc::from(path);
        let checked = self.checked;
        Parts::each_parsed(path, &layout, |part| {
            let part = match part {
                Ok(p) => p,
                Err(broken) => {
                    self.errors.push(broken.problem);
                    count += 1;
                    match broken.captures {
                        Some(captured) => names.names.extend(captured),
                        // The item's captures are unknown: later names are
                        // not looked up, or each would be a false problem.
                        None => self.checked = true,
                    }
                    return;
                }
            };
            let at = At::part(&part.file, &display, shared.clone(), part.first_line);
            for spec in &part.specs {
                self.compile_request(&at, spec, count, &default_profile, &mut names);
                count += 1;
            }
        });
        self.checked = checked;
        if count == 0 && self.errors.len() == before {
            self.errors.push(no_requests(path));
        }
        if self.errors.len() > before {
            return None;
        }
        let context = Arc::new(Context {
            engine: self.engine,
            inputs: self.inputs.clone(),
            profiles: self.profiles.clone(),
        });
        Some(FilePlan {
            name: model.name.clone().unwrap_or_else(|| stem(path)),
            tags: model.tags,
            vars,
            inputs,
            requests: Requests::Streamed(Box::new(Streamed {
                count,
                path: path.to_path_buf(),
                display: display.clone(),
                layout,
                default_profile,
                known,
                stamp,
                context,
            })),
            display,
            source: head,
        })
    }
}

/// Files of fewer items are parsed by the check on its own thread: starting
/// threads costs more than they save (start-up, and files checked side by
/// side under `--jobs`).
const PARSE_APART: usize = 1024;

/// Files of fewer requests are compiled, while they run, on the thread that
/// sends them: a thread's start is most of a one-request run's start-up.
const COMPILE_APART: usize = 64;

/// Items parsed by one thread before it hands them over (the check).
const BLOCK: usize = 32;

/// Requests compiled ahead of the one running, at most.
const AHEAD: usize = 64;
/// How long the compiling thread waits when it is [`AHEAD`] requests ahead.
const AHEAD_PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

impl Streamed {
    /// The file's requests, compiled on a thread of their own while earlier
    /// ones run: compiling a request costs about a third of sending it, and
    /// it need not wait for the network.
    pub(crate) fn open(&self) -> RequestStream {
        if self.count < COMPILE_APART {
            return RequestStream::Here(Box::new(self.stream()));
        }
        let mut stream = self.stream();
        let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
        let spawned = std::thread::Builder::new()
            .name("sesame-compile".into())
            .spawn(move || {
                for item in stream.by_ref() {
                    if !hand_over(&tx, item) {
                        return;
                    }
                }
            });
        match spawned {
            Ok(_) => RequestStream::Ahead(rx),
            Err(_) => RequestStream::Here(Box::new(self.stream())),
        }
    }

    /// The file's requests, read and compiled one at a time.
    fn stream(&self) -> Compiling {
        let ctx = &self.context;
        let compiler = Compiler {
            engine: ctx.engine,
            inputs: ctx.inputs.clone(),
            errors: Vec::new(),
            checked: true,
            profiles: ctx.profiles.clone(),
            files: Vec::new(),
        };
        let parts = if stamp(&self.path) == self.stamp {
            Parts::open(&self.path, &self.layout)
        } else {
            Err(Diagnostic::in_file(
                "the file changed after it was checked; its other requests are not run",
                &self.path,
            )
            .with_hint("run again"))
        };
        let (parts, failed) = match parts {
            Ok(p) => (Some(p), None),
            Err(d) => (None, Some(d)),
        };
        Compiling {
            compiler,
            parts,
            failed,
            path: Arc::from(self.path.as_path()),
            display: self.display.clone(),
            default_profile: self.default_profile.clone(),
            known: self.known.clone(),
            index: 0,
            ready: std::collections::VecDeque::new(),
        }
    }
}

/// Sends `item`, waiting while the channel is full without parking on it:
/// a parked sender would cost the running file a wake-up per request.
/// False when the receiver is gone (the file stopped).
fn hand_over(
    tx: &std::sync::mpsc::SyncSender<Result<RequestPlan, Diagnostic>>,
    mut item: Result<RequestPlan, Diagnostic>,
) -> bool {
    use std::sync::mpsc::TrySendError;
    loop {
        match tx.try_send(item) {
            Ok(()) => return true,
            Err(TrySendError::Full(back)) => {
                item = back;
                std::thread::sleep(AHEAD_PAUSE);
            }
            Err(TrySendError::Disconnected(_)) => return false,
        }
    }
}

/// A streamed file's requests, in order; an error ends them.
pub enum RequestStream {
    /// Compiled by a thread of their own.
    Ahead(std::sync::mpsc::Receiver<Result<RequestPlan, Diagnostic>>),
    /// Compiled when asked for (no thread could be started).
    Here(Box<Compiling>),
}

impl Iterator for RequestStream {
    type Item = Result<RequestPlan, Diagnostic>;

    fn next(&mut self) -> Option<Result<RequestPlan, Diagnostic>> {
        match self {
            RequestStream::Ahead(rx) => rx.recv().ok(),
            RequestStream::Here(c) => c.next(),
        }
    }
}

/// Reads and compiles a streamed file's requests one at a time.
pub struct Compiling {
    compiler: Compiler,
    parts: Option<Parts>,
    failed: Option<Diagnostic>,
    path: Arc<Path>,
    display: String,
    default_profile: Option<ProfileRef>,
    known: Known,
    index: usize,
    ready: std::collections::VecDeque<RequestPlan>,
}

impl Iterator for Compiling {
    type Item = Result<RequestPlan, Diagnostic>;

    fn next(&mut self) -> Option<Result<RequestPlan, Diagnostic>> {
        loop {
            if let Some(r) = self.ready.pop_front() {
                return Some(Ok(r));
            }
            if let Some(d) = self.failed.take() {
                return Some(Err(d));
            }
            let part = match self.parts.as_mut()?.next()? {
                Ok(p) => p,
                Err(broken) => {
                    self.parts = None;
                    return Some(Err(broken.problem));
                }
            };
            let at = At::part(
                &part.file,
                &self.display,
                self.path.clone(),
                part.first_line,
            );
            for spec in &part.specs {
                let plan = self.compiler.compile_request(
                    &at,
                    spec,
                    self.index,
                    &self.default_profile,
                    &mut self.known,
                );
                self.ready.extend(plan);
                self.index += 1;
            }
            if let Some(d) = self.compiler.errors.drain(..).next() {
                self.parts = None;
                self.ready.clear();
                return Some(Err(d));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::functions::FixedTotp;

    fn checked(path: &Path) -> FilePlan {
        let engine = Engine::new(Arc::new(FixedTotp("000000")));
        let mut c = Compiler::new(engine, Inputs::default());
        c.add_file(path);
        c.finish().expect("valid").files.remove(0)
    }

    fn names(plan: &FilePlan) -> Vec<Result<String, String>> {
        plan.requests
            .iter()
            .map(|r| r.map(|r| r.name.clone()).map_err(|d| d.title))
            .collect()
    }

    #[test]
    fn a_streamed_file_is_compiled_again_as_it_runs_and_refused_once_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        let text = "requests:\n  - name: one\n    url: http://127.0.0.1:9/a\n  - name: two\n    url: http://127.0.0.1:9/b\n";
        std::fs::write(&path, text).unwrap();
        let plan = checked(&path);
        assert!(matches!(plan.requests, Requests::Streamed(_)));
        assert_eq!(plan.requests.len(), 2);
        assert_eq!(names(&plan), [Ok("one".to_string()), Ok("two".to_string())]);
        std::fs::write(
            &path,
            format!("{text}  - name: three\n    url: http://127.0.0.1:9/c\n"),
        )
        .unwrap();
        assert_eq!(
            names(&plan),
            [Err(
                "the file changed after it was checked; its other requests are not run".to_string()
            )]
        );
    }
}
