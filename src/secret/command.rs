//! Running a secret's `command` source: a password manager CLI such as
//! `pass show x` or `op read op://...`.
//!
//! No shell is involved, so nothing in the argv is expanded or split. Stdin is
//! inherited (a password manager may need to unlock itself on the terminal);
//! stdout is the secret, trimmed; stderr is captured because its first line is
//! the best explanation of a failure, and it is not secret.

use std::path::Path;
use std::process::{Command, Stdio};

/// Static problems: an empty argv or an empty program name.
pub(crate) fn check(argv: &[String]) -> Result<(), String> {
    match argv.first() {
        None => Err("`command` is empty: give the program and its arguments".to_string()),
        Some(program) if program.trim().is_empty() => {
            Err("`command` has an empty program name".to_string())
        }
        Some(_) => Ok(()),
    }
}

/// Runs `argv` in `base_dir` and returns its trimmed stdout. A program given
/// as a relative path with a `/` (`./get-secret.sh`) is resolved from
/// `base_dir`, like a `file:` source; a bare name is looked up on `PATH`.
pub(crate) fn run(argv: &[String], base_dir: &Path) -> Result<String, String> {
    check(argv)?;
    let Some((program, args)) = argv.split_first() else {
        return Err("empty argv".to_string());
    };
    let program_path = Path::new(program);
    let program_path = if program.contains('/') && program_path.is_relative() {
        base_dir.join(program_path)
    } else {
        program_path.to_path_buf()
    };
    let mut command = Command::new(&program_path);
    command
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if base_dir.is_dir() {
        command.current_dir(base_dir);
    }
    let output = command.output().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound if program.contains('/') => {
            format!("program not found at {}", program_path.display())
        }
        std::io::ErrorKind::NotFound => format!("program `{program}` not found on PATH"),
        std::io::ErrorKind::PermissionDenied => {
            format!("cannot run `{program}`: permission denied")
        }
        _ => format!("cannot run `{program}`: {err}"),
    })?;
    if !output.status.success() {
        let status = match output.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "killed by a signal".to_string(),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(
            match stderr.lines().map(str::trim).find(|line| !line.is_empty()) {
                Some(line) => format!("{status}: {line}"),
                None => status,
            },
        );
    }
    let stdout = String::from_utf8(output.stdout)
        .map_err(|_| "printed something that is not UTF-8 text".to_string())?;
    let value = stdout.trim();
    if value.is_empty() {
        return Err("printed nothing".to_string());
    }
    Ok(value.to_string())
}

/// The argv as one line for messages: `pass show code42`.
pub(crate) fn display(argv: &[String]) -> String {
    argv.iter()
        .map(|arg| {
            if arg.is_empty() || arg.contains(char::is_whitespace) {
                format!("{arg:?}")
            } else {
                arg.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
