//! The command-line surface of issue 12: completions, the man page,
//! `--color`, `--report KIND:-`, `--shard auto` and the project root found
//! from the first path.

use std::process::{Command, Stdio};

use crate::support::{Project, Run, TestServer, with_url};

/// Runs `cmd` to the end and collects what it printed.
fn output(mut cmd: Command) -> Run {
    let out = cmd.stdin(Stdio::null()).output().expect("run");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A project with one request file of two requests: one passes, one fails.
fn project(server: &TestServer) -> Project {
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.request_file(
        "requests/checks.yaml",
        server,
        r#"
requests:
  - name: ok
    url: "{URL}/status/200"
    expect:
      status: 200
  - name: broken
    url: "{URL}/status/500"
    expect:
      status: 200
"#,
    );
    p
}

const CONSOLE: &str = "requests/checks.yaml
  ✓ ok  GET 200  0ms
  ✗ broken  GET 500  0ms

failures:

✗ requests/checks.yaml › broken
  GET {URL}/status/500 → 500
  error: status: expected status 200, got 500
     --> requests/checks.yaml:10:15
     |
  10 |       status: 200
     |               ^^^
     = expected: 200
     = actual:   500
  body:
    status 500

1 passed, 1 failed, 0 skipped (1 file) in 0.00s
";

#[test]
fn completions_bash_script_loads_in_bash_and_completes() {
    let p = Project::new();
    let run = p.run(&["completions", "bash"]);
    run.assert_code(0);
    p.file("sesame.bash", &run.stdout);
    let script = r#"
set -e
source ./sesame.bash
complete -p sesame
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=();
  _sesame sesame "${COMP_WORDS[$COMP_CWORD]}" "${COMP_WORDS[$COMP_CWORD-1]}"; printf '%s\n' "${COMPREPLY[@]}"; }
complete_words sesame comp
complete_words sesame run --sh
complete_words sesame completions p
"#;
    let mut bash = Command::new("bash");
    bash.args(["--noprofile", "--norc", "-c", script])
        .current_dir(p.path());
    let run = output(bash);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "complete -o bashdefault -o default -o nosort -F _sesame sesame\n\
         completions\n--shard\n--show-secrets\npowershell\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn completions_for_every_shell_and_an_unknown_one() {
    let p = Project::new();
    for (shell, marker) in [
        ("zsh", "#compdef sesame"),
        ("fish", "complete -c sesame"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'sesame'",
        ),
        ("elvish", "set edit:completion:arg-completer[sesame]"),
    ] {
        let run = p.run(&["completions", shell]);
        run.assert_code(0);
        assert!(run.stdout.contains(marker), "{shell}:\n{}", run.stdout);
        assert!(run.stdout.contains("shard"), "{shell} completes --shard");
    }
    let run = p.run(&["completions", "tcsh"]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with(
        "error: invalid value 'tcsh' for '<SHELL>'\n  [possible values: bash, elvish, fish, powershell, zsh]\n"
    ), "{}", run.stderr);
}

#[test]
fn man_page_renders_without_warnings() {
    let p = Project::new();
    let run = p.run(&["man"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH sesame 1")
    );
    p.file("sesame.1", &run.stdout);
    let mut groff = Command::new("groff");
    groff
        .args(["-man", "-ww", "-z", "sesame.1"])
        .current_dir(p.path());
    let checked = output(groff);
    checked.assert_code(0);
    assert_eq!(checked.stderr, "", "groff warnings");
    let mut man = Command::new("man");
    man.args(["--warnings", "-l", "sesame.1"])
        .env("MANWIDTH", "80")
        .env("MAN_KEEP_FORMATTING", "")
        .current_dir(p.path());
    let page = output(man);
    page.assert_code(0);
    assert_eq!(page.stderr, "", "man warnings");
    let headings: Vec<&str> = page
        .stdout
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .collect();
    assert_eq!(
        headings,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SESAME RUN",
            "SESAME VALIDATE",
            "SESAME TOKEN",
            "SESAME TOTP",
            "SESAME CURL",
            "SESAME SCHEMA",
            "SESAME SANDBOX",
            "SESAME DEMO",
            "SESAME CACHE",
            "SESAME COMPLETIONS",
            "SESAME MAN",
            "SESAME LOGIN",
            "EXAMPLES",
            "ENVIRONMENT",
        ]
    );
    assert!(
        page.stdout.contains("       --shard <K/N|auto>\n"),
        "{}",
        page.stdout
    );
}

/// `sesame run` with `NO_COLOR` removed and `vars` set; stdout, stderr, code.
fn run_colored(p: &Project, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut cmd = p.command(args);
    cmd.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    output(cmd)
}

#[test]
fn color_always_never_and_the_environment() {
    let server = TestServer::start();
    let p = project(&server);
    let plain = with_url(&server, CONSOLE);
    let has_escape = |r: &Run| r.stdout.contains("\u{1b}[");
    // auto outside a terminal: plain.
    let run = run_colored(&p, &["run"], &[]);
    run.assert_code(1);
    assert_eq!(run.stdout, plain);
    // auto with FORCE_COLOR or CLICOLOR_FORCE: coloured.
    let forced = run_colored(&p, &["run"], &[("FORCE_COLOR", "1")]);
    assert!(has_escape(&forced), "{}", forced.stdout);
    assert!(forced.stdout.contains("  \u{1b}[31m✗\u{1b}[0m broken"));
    let clicolor = run_colored(&p, &["run"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(clicolor.stdout, forced.stdout);
    // NO_COLOR wins over FORCE_COLOR under auto.
    let run = run_colored(&p, &["run"], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]);
    assert_eq!(run.stdout, plain);
    // always and never are final.
    let run = run_colored(&p, &["run", "--color", "always"], &[("NO_COLOR", "1")]);
    assert_eq!(run.stdout, forced.stdout);
    let run = run_colored(&p, &["--color=never", "run"], &[("FORCE_COLOR", "1")]);
    assert_eq!(run.stdout, plain);
    // Without the colour codes, the coloured output is the plain one.
    let stripped = regex_free_strip(&forced.stdout);
    assert_eq!(stripped, plain);
}

/// `text` without ANSI SGR sequences (`ESC [ ... m`).
fn regex_free_strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn color_rejects_an_unknown_value() {
    let p = Project::new();
    let run = p.run(&["run", "--color", "sometimes"]);
    run.assert_code(2);
    assert!(run.stderr.starts_with(
        "error: invalid value 'sometimes' for '--color <WHEN>'\n  [possible values: auto, always, never]\n"
    ), "{}", run.stderr);
}

#[test]
fn report_to_stdout_moves_the_console_to_stderr() {
    let server = TestServer::start();
    let p = project(&server);
    let run = p.run(&["run", "--report", "tap:-"]);
    run.assert_code(1);
    assert_eq!(run.stderr, with_url(&server, CONSOLE));
    assert_eq!(
        run.stdout,
        with_url(
            &server,
            r#"TAP version 14
1..2
ok 1 - requests/checks.yaml › ok
not ok 2 - requests/checks.yaml › broken
  ---
  message: "expected status 200, got 500"
  severity: fail
  expected: "200"
  actual: "500"
  at: "requests/checks.yaml:10:15"
  request: "GET {URL}/status/500"
  status: 500
  attempts: 1
  body: "status 500"
  ...
"#
        )
    );
    assert!(!p.path().join("-").exists(), "no file named -");
}

#[test]
fn json_and_junit_reports_to_stdout_parse() {
    let server = TestServer::start();
    let p = project(&server);
    let run = p.run(&["run", "--report", "json:-", "--report", "junit:out/r.xml"]);
    run.assert_code(1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(doc["summary"]["failed"], 1);
    assert_eq!(doc["summary"]["passed"], 1);
    assert!(p.path().join("out/r.xml").is_file());
    let run = p.run(&["run", "--report", "junit:-"]);
    assert!(run.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sesame\" tests=\"2\" failures=\"1\""), "{}", run.stdout);
    assert_eq!(run.stderr, with_url(&server, CONSOLE));
}

#[test]
fn two_reports_to_one_path_exit_2() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = project(&server);
    let run = p.run(&["run", "--report", "junit:-", "--report", "json:-"]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: --report junit:- and --report json:- both write to standard output\n  \
         = hint: give each report its own path; `-` (standard output) takes one\n\
         nothing was sent\n"
    );
    let run = p.run(&["run", "--report", "junit:r.xml", "--report", "tap:./r.xml"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: --report junit:r.xml and --report tap:./r.xml both write to `./r.xml`\n  \
         = hint: give each report its own path; `-` (standard output) takes one\n\
         nothing was sent\n"
    );
    assert!(server.hits().is_empty());
}

/// Three files, each hitting `/echo/N`.
fn three_files(server: &TestServer) -> Project {
    let p = Project::new();
    for n in 1..=3 {
        p.request_file(
            &format!("requests/f{n}.yaml"),
            server,
            &format!("requests:\n  - name: r{n}\n    url: \"{{URL}}/echo/{n}\"\n"),
        );
    }
    p
}

#[test]
fn shard_auto_reads_gitlab_node_variables() {
    let server = TestServer::start();
    let mut p = three_files(&server);
    p.env("CI_NODE_INDEX", "2").env("CI_NODE_TOTAL", "3");
    let run = p.run(&["run", "--shard", "auto"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "requests/f2.yaml\n  ✓ r2  GET 200  0ms\n\n1 passed, 0 failed, 0 skipped (1 file) in 0.00s\n"
    );
    let paths: Vec<String> = server.hits().iter().map(|h| h.path.clone()).collect();
    assert_eq!(paths, ["/echo/2"]);
}

#[test]
fn shard_auto_outside_ci_exit_2() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = three_files(&server);
    let mut cmd = p.command(&["run", "--shard", "auto"]);
    cmd.env_remove("CI_NODE_INDEX").env_remove("CI_NODE_TOTAL");
    let run = output(cmd);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: --shard auto: CI_NODE_INDEX and CI_NODE_TOTAL are not set\n  \
         = hint: GitLab CI sets them in jobs with `parallel: N`; elsewhere write --shard K/N\n\
         nothing was sent\n"
    );
    let mut p = three_files(&server);
    p.env("CI_NODE_INDEX", "4").env("CI_NODE_TOTAL", "3");
    let run = p.run(&["run", "--shard", "auto"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: --shard auto: CI_NODE_INDEX=4 and CI_NODE_TOTAL=3 are not a slice K of N\n  \
         = hint: both must be whole numbers with 1 <= CI_NODE_INDEX <= CI_NODE_TOTAL\n\
         nothing was sent\n"
    );
    assert!(server.hits().is_empty());
}

#[test]
fn project_root_found_from_the_first_path() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "proj/sesame.yaml",
        &with_url(&server, "environments:\n  test:\n    base: \"{URL}\"\n"),
    );
    p.file(
        "proj/requests/x.yaml",
        "requests:\n  - name: x\n    url: \"{{ base }}/echo/from-proj\"\n",
    );
    let run = p.run(&["run", "proj/requests/x.yaml", "--env", "test"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "proj/requests/x.yaml\n  ✓ x  GET 200  0ms\n\n1 passed, 0 failed, 0 skipped (1 file) in 0.00s\n"
    );
    assert_eq!(server.hits_to("/echo/from-proj").len(), 1);
    let run = p.run(&["validate", "proj/requests/x.yaml", "--env", "test"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "1 file, 1 request and 0 profiles: valid\n");
}

/// The CI recipes are well-formed YAML, and every sesame command in them
/// parses (`--help` appended: clap checks the flags, nothing runs).
#[test]
fn ci_md_recipes_parse() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).unwrap();
    let mut blocks = 0;
    let mut commands = 0;
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => current = Some(String::new()),
            (Some(b), l) if l.starts_with("```") => {
                let _: serde_json::Value = serde_saphyr::from_str(b)
                    .unwrap_or_else(|e| panic!("docs/ci.md block {blocks}: {e}\n{b}"));
                blocks += 1;
                current = None;
            }
            (Some(b), l) => {
                b.push_str(line);
                b.push('\n');
                let l = l.trim_start_matches("- ").trim_start_matches("run: ");
                if let Some(rest) = l.strip_prefix("sesame ").filter(|r| !r.contains("${{")) {
                    let mut args: Vec<&str> = rest.split_whitespace().collect();
                    args.push("--help");
                    Project::new().run(&args).assert_code(0);
                    commands += 1;
                }
            }
            _ => {}
        }
    }
    assert!(
        blocks >= 4 && commands >= 3,
        "{blocks} blocks, {commands} commands"
    );
}

/// The ```sh blocks of README.md's Install section, in order.
fn readme_install_blocks() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = text
        .find("## Install")
        .expect("README has an Install section");
    let end = start
        + text[start..]
            .find("\n## Quick start")
            .expect("then Quick start");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text[start..end].lines() {
        match (&mut current, line) {
            (None, "```sh") => current = Some(String::new()),
            (Some(b), "```") => blocks.push(std::mem::take(b)),
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            _ => {}
        }
        if line == "```" {
            current = None;
        }
    }
    blocks
}

/// README's completion and man-page steps, run in an empty home folder with
/// sesame where `cargo install` puts it, give bash completion and `man sesame`.
#[test]
fn readme_install_gives_completions_and_the_man_page() {
    let blocks = readme_install_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert!(blocks[0].contains("cargo install --locked --path ."));
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_sesame"), bin.join("sesame")).unwrap();
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let shell = |script: &str, interactive: bool| {
        let mut cmd = Command::new("bash");
        cmd.arg("--noprofile");
        if interactive {
            cmd.arg("-i");
        } else {
            cmd.arg("--norc");
        }
        cmd.args(["-e", "-c", script])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", &path)
            .env("TERM", "dumb")
            .current_dir(home.path());
        output(cmd)
    };
    let run = shell(&blocks[1], false);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    let completion = shell("complete -p sesame", true);
    assert_eq!(
        completion.stdout, "complete -o bashdefault -o default -o nosort -F _sesame sesame\n",
        "{}",
        completion.stderr
    );
    let man = shell("man -w sesame", false);
    assert_eq!(
        man.stdout,
        format!("{}/.cargo/share/man/man1/sesame.1\n", home.path().display())
    );
    let fish =
        std::fs::read_to_string(home.path().join(".config/fish/completions/sesame.fish")).unwrap();
    assert!(fish.contains("complete -c sesame"));
    let zsh = std::fs::read_to_string(home.path().join(".zfunc/_sesame")).unwrap();
    assert!(zsh.starts_with("#compdef sesame"));
}
