//! The project on disk: its root, `sesame.yaml`, `.env`, and the request
//! files a run selects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::load::{SourceFile, parse};
use crate::source::model::ProjectConfig;

/// Where the project lives and what its root files say.
#[derive(Debug)]
pub(crate) struct Project {
    pub root: PathBuf,
    pub config: ProjectConfig,
    pub config_file: Option<SourceFile>,
    /// The process environment overlaid on `.env` (the real environment wins).
    pub env: BTreeMap<String, String>,
}

impl Project {
    /// Finds the root and loads `sesame.yaml` and `.env` from it. The root
    /// is the nearest folder upwards from `start` (the current folder)
    /// holding `sesame.yaml`; else the nearest upwards from `first_path`
    /// (the first file or folder of the command line, relative to `start`);
    /// else `start`.
    pub(crate) fn discover(start: &Path, first_path: Option<&Path>) -> Result<Project, Diagnostic> {
        let root = find_root(start)
            .or_else(|| first_path.and_then(|p| find_root(&start.join(p))))
            .unwrap_or_else(|| start.to_path_buf());
        let config_path = root.join("sesame.yaml");
        let (config, config_file) = if config_path.is_file() {
            let file = SourceFile::read(&config_path)?;
            let config = if file.text.trim().is_empty() {
                ProjectConfig::default()
            } else {
                parse(&file, "sesame.yaml")?
            };
            (config, Some(file))
        } else {
            (ProjectConfig::default(), None)
        };
        let env = load_env(&root.join(".env"))?;
        Ok(Project {
            root,
            config,
            config_file,
            env,
        })
    }

    /// The folder of profiles: `--profiles DIR`, else `ROOT/profiles`.
    pub(crate) fn profiles_dir(&self, flag: Option<&Path>) -> PathBuf {
        flag.map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.join("profiles"))
    }
}

/// The nearest folder upwards from `start` (itself included) holding `sesame.yaml`.
fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("sesame.yaml").is_file())
        .map(Path::to_path_buf)
}

fn load_env(dotenv: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut env = BTreeMap::new();
    if dotenv.symlink_metadata().is_ok()
        && let Some(why) = super::file_kind::not_a_regular_file(dotenv)
    {
        return Err(Diagnostic::in_file(format!(".env {why}"), dotenv)
            .with_hint(".env must be a text file of KEY=VALUE lines; remove or rename it"));
    }
    if dotenv.is_file() {
        let text = std::fs::read_to_string(dotenv).map_err(|e| {
            Diagnostic::in_file(
                format!("cannot read .env: {}", super::file_kind::io_reason(&e)),
                dotenv,
            )
            .with_hint(".env must be UTF-8 text: KEY=VALUE lines")
        })?;
        // Editors on Windows save a byte-order mark: it is not part of the
        // first key.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for item in dotenvy::from_read_iter(text.as_bytes()) {
            let (k, v) = item.map_err(|e| env_error(dotenv, text, &e))?;
            env.insert(k, v);
        }
    }
    for (k, v) in std::env::vars_os() {
        if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
            env.insert(k, v);
        }
    }
    Ok(env)
}

/// A `.env` problem, located by line and column, never quoting the line:
/// it may hold a password.
fn env_error(dotenv: &Path, text: &str, e: &dotenvy::Error) -> Diagnostic {
    let dotenvy::Error::LineParse(line, index) = e else {
        return Diagnostic::in_file("cannot read .env", dotenv);
    };
    let line_no = text
        .lines()
        .position(|l| l.contains(line.as_str()) || line.starts_with(l.trim_end()))
        .map_or(0, |n| n + 1);
    let key = line.split('=').next().unwrap_or_default().trim();
    let name = if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
        format!(" (variable `{key}`)")
    } else {
        String::new()
    };
    let title = format!(
        "invalid .env line{name}: unbalanced quote or character not allowed at column {}",
        index + 1
    );
    let d = Diagnostic {
        span: (line_no > 0).then(|| crate::diagnostic::Span {
            line: line_no as u64,
            column: *index as u64 + 1,
            len: 1,
        }),
        ..Diagnostic::in_file(title, dotenv)
    };
    d.with_hint("write KEY=VALUE, one per line; quote values with spaces, and close every quote")
}

/// Request files under `paths` (files or folders, recursively), `*.yaml` and
/// `*.yml`, in path order, each once.
pub(crate) fn discover_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found, &mut errors);
        } else {
            match super::file_kind::not_a_regular_file(path) {
                None => found.push(path.clone()),
                Some(why) => errors.push(
                    Diagnostic::in_file(
                        match path.symlink_metadata() {
                            Err(_) => "no such file or folder".to_string(),
                            Ok(_) => format!("the path {why}"),
                        },
                        path,
                    )
                    .with_hint("pass request files or folders; the default is requests/"),
                ),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Diagnostic::in_file(format!("cannot read folder: {e}"), dir));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found, errors);
        } else if is_yaml(&path) {
            // A named pipe or a device named *.yaml is said to be one, not read.
            match super::file_kind::not_a_regular_file(&path) {
                None => found.push(path),
                Some(why) => errors.push(Diagnostic::in_file(format!("the path {why}"), &path)),
            }
        }
    }
}

pub(crate) fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}
