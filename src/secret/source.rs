//! Where a profile's secret comes from, and resolving it.
//!
//! A secret may name several sources; they are tried in a fixed order (env,
//! file, command, prompt) so a CI job with the variable set never blocks on a
//! prompt, and a laptop without it can still ask. When none yields, the one
//! error lists every source tried and why it failed: the user fixes the right
//! thing the first time.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use super::command;
use super::value::Secret;

/// Sources for one secret, always tried in this order: `env`, `file`,
/// `command`, `prompt`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretSource {
    /// Name of an environment variable (the process environment or `.env`).
    pub env: Option<String>,
    /// A file whose contents (trailing newline trimmed) are the secret; relative to the profile file.
    pub file: Option<String>,
    /// A program and its arguments, run without a shell; its stdout, trimmed.
    pub command: Option<Vec<String>>,
    /// A question asked without echo, only when stdin is a terminal.
    pub prompt: Option<String>,
}

/// Tries env, file, command, prompt in that order; the first that yields a
/// non-empty value wins.
///
/// `env` looks a variable up (the caller overlays `.env` on the process
/// environment); a relative `file` is resolved from `base_dir`, `~/` from the
/// home folder; `command` runs in `base_dir` without a shell; `prompt` asks
/// without echo only when stdin and stderr are terminals. The error names
/// every source tried and why each failed.
pub(crate) fn resolve(
    profile: &str,
    name: &str,
    src: &SecretSource,
    base_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, String> {
    let context = format!("secret `{name}` of profile `{profile}`");
    if is_empty(src) {
        return Err(format!("{context}: {NO_SOURCE}"));
    }
    let mut failures = Vec::new();
    if let Some(var) = &src.env {
        match from_env(var, env) {
            Ok(value) => return Ok(Secret::new(value)),
            Err(why) => failures.push(format!("env {var}: {why}")),
        }
    }
    if let Some(file) = &src.file {
        match from_file(file, base_dir) {
            Ok(value) => return Ok(Secret::new(value)),
            Err(why) => failures.push(format!("file {file}: {why}")),
        }
    }
    if let Some(argv) = &src.command {
        match command::run(argv, base_dir) {
            Ok(value) => return Ok(Secret::new(value)),
            Err(why) => failures.push(format!("command {}: {why}", command::display(argv))),
        }
    }
    if let Some(question) = &src.prompt {
        match from_prompt(question, &context) {
            Ok(value) => return Ok(Secret::new(value)),
            Err(why) => failures.push(format!("prompt: {why}")),
        }
    }
    Err(format!(
        "{context}: no source yielded a value ({})",
        failures.join("; ")
    ))
}

/// For `sesame validate`: static problems only (no source at all, an empty
/// variable name or path, an empty command), no I/O.
pub(crate) fn check(src: &SecretSource) -> Result<(), String> {
    if is_empty(src) {
        return Err(NO_SOURCE.to_string());
    }
    if src.env.as_deref().is_some_and(|var| var.trim().is_empty()) {
        return Err("`env` is empty: give the name of an environment variable".to_string());
    }
    if src
        .file
        .as_deref()
        .is_some_and(|file| file.trim().is_empty())
    {
        return Err("`file` is empty: give a path".to_string());
    }
    if let Some(argv) = &src.command {
        command::check(argv)?;
    }
    Ok(())
}

const NO_SOURCE: &str = "no source given (add `env`, `file`, `command` or `prompt`)";

fn is_empty(src: &SecretSource) -> bool {
    src.env.is_none() && src.file.is_none() && src.command.is_none() && src.prompt.is_none()
}

fn from_env(var: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    if var.trim().is_empty() {
        return Err("empty variable name".to_string());
    }
    match env(var) {
        None => Err("not set".to_string()),
        Some(value) if value.is_empty() => Err("set but empty".to_string()),
        Some(value) => Ok(value),
    }
}

fn from_file(file: &str, base_dir: &Path) -> Result<String, String> {
    if file.trim().is_empty() {
        return Err("empty path".to_string());
    }
    let path = resolve_path(file, base_dir);
    let shown = path.display();
    let io_error = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound => format!("not found at {shown}"),
        std::io::ErrorKind::PermissionDenied => format!("permission denied at {shown}"),
        _ => format!("cannot read {shown}: {err}"),
    };
    let meta = std::fs::metadata(&path).map_err(io_error)?;
    if !meta.is_file() {
        return Err(format!(
            "{shown} is not a regular file (a folder, device or pipe)"
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| {
            use std::io::Read as _;
            f.take(command::MAX_SECRET_BYTES + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(io_error)?;
    if bytes.len() as u64 > command::MAX_SECRET_BYTES {
        return Err(format!(
            "{shown} is larger than {} KiB; a secret is never that long",
            command::MAX_SECRET_BYTES / 1024
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))?;
    let value = text.trim_end_matches(['\n', '\r']);
    if value.is_empty() {
        return Err(format!("{shown} is empty"));
    }
    Ok(value.to_string())
}

/// `~/x` from the home folder, a relative path from `base_dir`, made absolute
/// so error messages say exactly where sesame looked.
pub(crate) fn resolve_path(file: &str, base_dir: &Path) -> PathBuf {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf());
    let path = match (file.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => base_dir.join(file),
    };
    std::path::absolute(&path).unwrap_or(path)
}

fn from_prompt(question: &str, context: &str) -> Result<String, String> {
    if !std::io::stdin().is_terminal() {
        return Err("stdin is not a terminal".to_string());
    }
    if !std::io::stderr().is_terminal() {
        return Err("stderr is not a terminal".to_string());
    }
    let question = question.trim_end();
    let question = if question.is_empty() {
        format!("{context}: ")
    } else if question.ends_with(':') || question.ends_with('?') {
        format!("{question} ")
    } else {
        format!("{question}: ")
    };
    crate::prompt::ask_hidden(&question)
}

#[cfg(test)]
mod tests;
