use std::collections::HashMap;

use super::*;

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn source(env: Option<&str>, file: Option<&str>, command: Option<&[&str]>) -> SecretSource {
    SecretSource {
        env: env.map(str::to_string),
        file: file.map(str::to_string),
        command: command.map(|argv| argv.iter().map(|a| a.to_string()).collect()),
        prompt: None,
    }
}

fn resolve_ok(src: &SecretSource, dir: &Path, env: &dyn Fn(&str) -> Option<String>) -> String {
    match resolve("p", "s", src, dir, env) {
        Ok(secret) => secret.expose().to_string(),
        Err(err) => panic!("expected a value, got: {err}"),
    }
}

fn resolve_err(src: &SecretSource, dir: &Path, env: &dyn Fn(&str) -> Option<String>) -> String {
    match resolve("code42", "client_secret", src, dir, env) {
        Ok(_) => panic!("expected an error"),
        Err(err) => err,
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|err| panic!("temp dir: {err}"))
}

#[test]
fn env_yields() {
    let dir = temp_dir();
    let src = source(Some("SECRET_X"), None, None);
    assert_eq!(
        resolve_ok(&src, dir.path(), &vars(&[("SECRET_X", "v1")])),
        "v1"
    );
}

#[test]
fn env_wins_over_file() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("s.txt"), "from-file\n").unwrap_or_default();
    let src = source(Some("SECRET_X"), Some("s.txt"), None);
    assert_eq!(
        resolve_ok(&src, dir.path(), &vars(&[("SECRET_X", "from-env")])),
        "from-env"
    );
    assert_eq!(resolve_ok(&src, dir.path(), &vars(&[])), "from-file");
}

#[test]
fn file_relative_to_base_dir_with_trailing_newlines_trimmed() {
    let dir = temp_dir();
    std::fs::create_dir_all(dir.path().join("keys")).unwrap_or_default();
    std::fs::write(dir.path().join("keys/s.txt"), "  pass word \r\n\n").unwrap_or_default();
    let src = source(None, Some("keys/s.txt"), None);
    assert_eq!(resolve_ok(&src, dir.path(), &vars(&[])), "  pass word ");
}

#[test]
fn command_stdout_trimmed_without_shell() {
    let dir = temp_dir();
    let src = source(None, None, Some(&["printf", "  %s$HOME\\n", "abc"]));
    assert_eq!(resolve_ok(&src, dir.path(), &vars(&[])), "abc$HOME");
}

#[test]
fn command_runs_in_base_dir() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("token"), "tok\n").unwrap_or_default();
    let src = source(None, None, Some(&["cat", "token"]));
    assert_eq!(resolve_ok(&src, dir.path(), &vars(&[])), "tok");
}

#[test]
fn failing_command_reports_status_and_stderr() {
    let dir = temp_dir();
    let src = source(
        None,
        None,
        Some(&["sh", "-c", "echo 'vault is locked' >&2; echo x; exit 3"]),
    );
    let err = resolve_err(&src, dir.path(), &vars(&[]));
    assert_eq!(
        err,
        "secret `client_secret` of profile `code42`: no source yielded a value \
         (command sh -c \"echo 'vault is locked' >&2; echo x; exit 3\": exited with status 3: vault is locked)"
    );
}

#[test]
fn missing_program_is_named() {
    let dir = temp_dir();
    let src = source(None, None, Some(&["sesame-no-such-program-xyz"]));
    let err = resolve_err(&src, dir.path(), &vars(&[]));
    assert!(err.ends_with("(command sesame-no-such-program-xyz: program `sesame-no-such-program-xyz` not found on PATH)"), "{err}");
}

#[test]
fn command_printing_nothing_fails() {
    let dir = temp_dir();
    let src = source(None, None, Some(&["true"]));
    let err = resolve_err(&src, dir.path(), &vars(&[]));
    assert!(err.ends_with("(command true: printed nothing)"), "{err}");
}

#[test]
fn every_failure_in_one_message() {
    let dir = temp_dir();
    let mut src = source(Some("CODE42_SECRET"), Some("secret.txt"), Some(&["false"]));
    src.prompt = Some("Code42 client secret".to_string());
    let err = resolve_err(&src, dir.path(), &vars(&[]));
    let missing = std::path::absolute(dir.path().join("secret.txt")).unwrap_or_default();
    // Under `cargo test` stdin may or may not be a terminal; both reasons are clear.
    let prompt = if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return;
    } else if std::io::stdin().is_terminal() {
        "stderr is not a terminal"
    } else {
        "stdin is not a terminal"
    };
    assert_eq!(
        err,
        format!(
            "secret `client_secret` of profile `code42`: no source yielded a value \
             (env CODE42_SECRET: not set; file secret.txt: not found at {}; \
             command false: exited with status 1; prompt: {prompt})",
            missing.display()
        )
    );
}

#[test]
fn empty_env_and_file_do_not_yield() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("empty.txt"), "\n").unwrap_or_default();
    let src = source(Some("EMPTY"), Some("empty.txt"), None);
    let err = resolve_err(&src, dir.path(), &vars(&[("EMPTY", "")]));
    assert!(
        err.contains("env EMPTY: set but empty; file empty.txt: "),
        "{err}"
    );
    assert!(err.ends_with("empty.txt is empty)"), "{err}");
}

#[test]
fn no_source_at_all() {
    let dir = temp_dir();
    let err = resolve_err(&SecretSource::default(), dir.path(), &vars(&[]));
    assert_eq!(
        err,
        "secret `client_secret` of profile `code42`: no source given (add `env`, `file`, `command` or `prompt`)"
    );
}

#[test]
fn check_finds_static_problems() {
    assert!(check(&SecretSource::default()).is_err());
    assert_eq!(
        check(&source(None, None, Some(&[]))),
        Err("`command` is empty: give the program and its arguments".to_string())
    );
    assert!(check(&source(None, None, Some(&[""]))).is_err());
    assert!(check(&source(Some(""), None, None)).is_err());
    assert!(check(&source(Some("X"), Some("f"), Some(&["pass", "show", "x"]))).is_ok());
    let prompt_only = SecretSource {
        prompt: Some("Password".to_string()),
        ..SecretSource::default()
    };
    assert!(check(&prompt_only).is_ok());
}

#[test]
fn deserializes_with_unknown_fields_refused() {
    let src: SecretSource =
        serde_json::from_str(r#"{"env":"A","command":["pass","show","x"]}"#).unwrap_or_default();
    assert_eq!(src.env.as_deref(), Some("A"));
    assert!(serde_json::from_str::<SecretSource>(r#"{"envv":"A"}"#).is_err());
}

/// Kind: a secret source that never ends (endless output, a device, a
/// hanging program, a huge file) ends in a bounded error, never a hang or
/// unbounded memory.
#[test]
fn command_printing_without_end_is_stopped_at_the_cap() {
    let dir = temp_dir();
    for argv in [&["yes"][..], &["cat", "/dev/zero"][..]] {
        let src = source(None, None, Some(argv));
        let err = resolve_err(&src, dir.path(), &vars(&[]));
        assert_eq!(
            err,
            format!(
                "secret `client_secret` of profile `code42`: no source yielded a value \
                 (command {}: printed more than 64 KiB; a secret is never that long)",
                argv.join(" ")
            )
        );
    }
}

#[test]
fn command_running_too_long_is_killed_at_the_timeout() {
    let dir = temp_dir();
    let output = super::super::command::bounded_output_for_test(
        &["sleep".to_string(), "100".to_string()],
        dir.path(),
        std::time::Duration::from_millis(200),
    );
    assert_eq!(
        output,
        Err("did not finish within 200ms (set SESAME_SECRET_TIMEOUT to wait longer)".to_string())
    );
}

#[test]
fn file_that_is_not_a_regular_file_is_refused() {
    let dir = temp_dir();
    for (file, what) in [("/dev/zero", "/dev/zero"), (".", "")] {
        let src = source(None, Some(file), None);
        let err = resolve_err(&src, dir.path(), &vars(&[]));
        let shown = if what.is_empty() {
            std::path::absolute(dir.path().join("."))
                .unwrap()
                .display()
                .to_string()
        } else {
            what.to_string()
        };
        assert_eq!(
            err,
            format!(
                "secret `client_secret` of profile `code42`: no source yielded a value \
                 (file {file}: {shown} is not a regular file (a folder, device or pipe))"
            )
        );
    }
}

#[test]
fn file_larger_than_the_cap_is_refused() {
    let dir = temp_dir();
    let path = dir.path().join("big");
    std::fs::write(&path, vec![b'a'; 64 * 1024 + 1]).unwrap();
    let src = source(None, Some("big"), None);
    let err = resolve_err(&src, dir.path(), &vars(&[]));
    assert_eq!(
        err,
        format!(
            "secret `client_secret` of profile `code42`: no source yielded a value \
             (file big: {} is larger than 64 KiB; a secret is never that long)",
            std::path::absolute(&path).unwrap().display()
        )
    );
}
