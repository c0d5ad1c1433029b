//! Turns the typed model into a [`Plan`], collecting every problem of every
//! file as a located [`Diagnostic`].

mod capture;
mod checks;
mod expect;
mod file;
mod file_body;
mod profile;
mod request;
mod stream;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, Span};
use crate::plan::{FilePlan, Plan, ProfilePlan};
use crate::source::load::{SourceFile, parse};
use crate::source::model::{RequestCount, RequestFile};
use crate::template::Engine;

pub(crate) use checks::header_problem;
pub(crate) use profile::{list_profiles, profile_path};
pub(crate) use stream::{RequestStream, Streamed};

/// Where inputs to a run come from; static while compiling.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Names defined before any file: `env`, the environment's keys, `--var` keys.
    pub base_names: BTreeSet<String>,
    /// Variable → environments of sesame.yaml that define it (for hints).
    pub env_vars: BTreeMap<String, Vec<String>>,
    pub profiles_dir: PathBuf,
    /// `--profile NAME`: replaces the files' default profile.
    pub profile_override: Option<String>,
    /// Names in `env` (process environment and `.env`), for the static
    /// check of `env.NAME`; `None` skips that check.
    pub env_names: Option<BTreeSet<String>>,
}

pub struct Compiler {
    engine: Engine,
    inputs: Inputs,
    errors: Vec<Diagnostic>,
    profiles: BTreeMap<String, Option<Arc<ProfilePlan>>>,
    files: Vec<FilePlan>,
    /// The files were checked already: names in templates are not looked
    /// up again (a streamed file's requests compiled while it runs).
    checked: bool,
}

/// A file checked by one of several compilers: its index in the list, its
/// plan, its problems.
type Checked = (usize, Option<FilePlan>, Vec<Diagnostic>);

/// Where in which file a node sits.
struct At<'a> {
    file: &'a SourceFile,
    display: &'a str,
    /// The file's path, shared by every location in it.
    path: Arc<Path>,
    /// The file's parser events, read once when a number needs its digits.
    events: crate::source::written::Events,
    /// Lines before `file`'s first line: a streamed request's text is a part
    /// of its file (see `source::segments`).
    line_offset: u64,
}

impl At<'_> {
    fn new<'a>(file: &'a SourceFile, display: &'a str) -> At<'a> {
        At {
            file,
            display,
            path: Arc::from(file.path.as_path()),
            events: crate::source::written::Events::default(),
            line_offset: 0,
        }
    }

    /// `part`, a part of its file starting on line `first_line`.
    fn part<'a>(
        part: &'a SourceFile,
        display: &'a str,
        path: Arc<Path>,
        first_line: u64,
    ) -> At<'a> {
        At {
            file: part,
            display,
            path,
            events: crate::source::written::Events::default(),
            line_offset: first_line - 1,
        }
    }

    /// The node's value with its numbers as written in the file.
    fn written(&self, node: &crate::source::model::Node) -> serde_json::Value {
        self.events.value(&self.file.text, node)
    }

    fn loc(&self, l: &serde_saphyr::Location) -> Location {
        let mut span = Span::from_location(l);
        span.line += self.line_offset;
        Location::new(self.path.clone(), self.display, span)
    }

    fn err(&self, title: impl Into<String>, l: &serde_saphyr::Location) -> Diagnostic {
        if l.line() == 0 {
            return Diagnostic::in_file(title, &self.file.path);
        }
        self.file.error_at(title, l).moved_down(self.line_offset)
    }
}

impl Compiler {
    pub fn new(engine: Engine, inputs: Inputs) -> Compiler {
        let mut c = Compiler {
            engine,
            inputs,
            errors: Vec::new(),
            checked: false,
            profiles: BTreeMap::new(),
            files: Vec::new(),
        };
        c.check_profile_override();
        c
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Compiles the request files at `paths` on up to `threads` threads, each
    /// with a compiler of its own, taking the files in order: checking a big
    /// collection is most of a run's start. The result is what one compiler
    /// adding the files in order gives: files and problems in file order, a
    /// profile's problems once, at the first file that names it.
    pub fn compile_files(
        engine: Engine,
        inputs: Inputs,
        paths: &[PathBuf],
        threads: usize,
    ) -> Compiler {
        let threads = threads.clamp(1, paths.len().max(1));
        let mut merged = Compiler::new(engine, inputs.clone());
        if threads == 1 {
            paths.iter().for_each(|p| merged.add_file(p));
            return merged;
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let parts = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| Compiler::new(engine, inputs.clone()).take_files(paths, &next))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect::<Vec<_>>()
        });
        let mut done = Vec::new();
        for (files, profiles) in parts {
            done.extend(files);
            for (name, plan) in profiles {
                merged.profiles.entry(name).or_insert(plan);
            }
        }
        done.sort_by_key(|(index, ..)| *index);
        let mut seen: std::collections::HashSet<String> =
            merged.errors.iter().map(|d| format!("{d:?}")).collect();
        for (_, plan, errors) in done {
            for d in errors {
                if seen.insert(format!("{d:?}")) {
                    merged.errors.push(d);
                }
            }
            merged.files.extend(plan);
        }
        merged
    }

    /// Adds the files of `paths` whose turn `next` gives, one at a time:
    /// each file's index, plan and problems, and the profiles compiled.
    fn take_files(
        mut self,
        paths: &[PathBuf],
        next: &std::sync::atomic::AtomicUsize,
    ) -> (Vec<Checked>, BTreeMap<String, Option<Arc<ProfilePlan>>>) {
        self.errors.clear();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = paths.get(index) else { break };
            let before = self.files.len();
            self.add_file(path);
            let plan = if self.files.len() > before {
                self.files.pop()
            } else {
                None
            };
            done.push((index, plan, std::mem::take(&mut self.errors)));
        }
        (done, self.profiles)
    }

    /// Compiles one request file and the profiles it names.
    pub fn add_file(&mut self, path: &Path) {
        if let Some(layout) = crate::source::segments::layout(path, "requests") {
            if let Some(plan) = self.streamed_file_plan(path, layout) {
                self.files.push(plan);
            }
            return;
        }
        let file = match SourceFile::read(path) {
            Ok(f) => f,
            Err(d) => return self.errors.push(d),
        };
        // Files in the usual layout are streamed from disk (above); the
        // others are read whole, the requests counted, then compiled one at
        // a time (see file_plan).
        let model = parse::<RequestFile<RequestCount>>(&file, "a request file");
        let capacity = model.as_ref().map_or(0, |m| m.requests.0);
        let model = match model {
            Ok(m) => m,
            Err(d) => return self.errors.push(d),
        };
        if let Some(plan) = self.file_plan(file, model, capacity) {
            self.files.push(plan);
        }
    }

    /// Compiles every profile in the profiles folder (for `validate`).
    pub fn add_all_profiles(&mut self) {
        for name in list_profiles(&self.inputs.profiles_dir) {
            self.profile(&name, None);
        }
    }

    /// Compiles one profile by name (for `token`).
    pub fn add_profile(&mut self, name: &str) -> Option<Arc<ProfilePlan>> {
        self.profile(name, None)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn finish(self) -> Result<Plan, Vec<Diagnostic>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Plan {
            files: self.files,
            profiles: self
                .profiles
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect(),
        })
    }
}
