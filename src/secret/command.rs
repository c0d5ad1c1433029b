//! Running a secret's `command` source: a password manager CLI such as
//! `pass show x` or `op read op://...`.
//!
//! No shell is involved, so nothing in the argv is expanded or split. Stdin is
//! inherited (a password manager may need to unlock itself on the terminal);
//! stdout is the secret, trimmed; stderr is captured because its first line is
//! the best explanation of a failure, and it is not secret.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The most a secret may be, from any source: a secret is a key, a token or
/// a certificate, never megabytes (`yes`, `/dev/zero`).
pub(crate) const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// How long a `command` source may run when `SESAME_SECRET_TIMEOUT` does not
/// say (a duration such as `30s`): long enough to unlock a password manager.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

fn timeout() -> Duration {
    std::env::var("SESAME_SECRET_TIMEOUT")
        .ok()
        .and_then(|t| crate::duration::parse(&t, crate::duration::BareUnit::Seconds).ok())
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Reads at most [`MAX_SECRET_BYTES`] + 1 bytes of `pipe` on a thread;
/// `over` is set when there was more.
fn capped_reader(
    pipe: impl Read + Send + 'static,
    over: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = pipe.take(MAX_SECRET_BYTES + 1).read_to_end(&mut out);
        if out.len() as u64 > MAX_SECRET_BYTES {
            over.store(true, Ordering::Release);
        }
        out
    })
}

/// Waits for `child` at most `limit`, reading at most [`MAX_SECRET_BYTES`]
/// of its stdout and stderr; kills it when it runs too long or prints too
/// much.
fn bounded_output(mut child: Child, limit: Duration) -> Result<Output, String> {
    let over = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().map(|p| capped_reader(p, over.clone()));
    let stderr = child
        .stderr
        .take()
        .map(|p| capped_reader(p, Arc::new(AtomicBool::new(false))));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if over.load(Ordering::Acquire) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "printed more than {} KiB; a secret is never that long",
                    MAX_SECRET_BYTES / 1024
                ));
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "did not finish within {} (set SESAME_SECRET_TIMEOUT to wait longer)",
                    crate::text::duration(limit)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("cannot wait for it: {e}")),
        }
    };
    let join = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    let output = Output {
        status,
        stdout: join(stdout),
        stderr: join(stderr),
    };
    if output.stdout.len() as u64 > MAX_SECRET_BYTES {
        return Err(format!(
            "printed more than {} KiB; a secret is never that long",
            MAX_SECRET_BYTES / 1024
        ));
    }
    Ok(output)
}

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
    let child = command.spawn().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound if program.contains('/') => {
            format!("program not found at {}", program_path.display())
        }
        std::io::ErrorKind::NotFound => format!("program `{program}` not found on PATH"),
        std::io::ErrorKind::PermissionDenied => {
            format!("cannot run `{program}`: permission denied")
        }
        _ => format!("cannot run `{program}`: {err}"),
    })?;
    let output = bounded_output(child, timeout())?;
    if !output.status.success() {
        let status = match output.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "killed by a signal".to_string(),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(
            match stderr.lines().map(str::trim).find(|line| !line.is_empty()) {
                Some(line) => format!("{status}: {}", crate::text::excerpt(line, 200)),
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

/// Runs `argv` like [`run`] with its own time `limit`, for tests.
#[cfg(test)]
pub(crate) fn bounded_output_for_test(
    argv: &[String],
    base_dir: &Path,
    limit: Duration,
) -> Result<Output, String> {
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(base_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    bounded_output(child, limit)
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
