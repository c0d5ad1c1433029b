//! Kind: invalid input ends in exit 2 with the file, line and column and a
//! hint, quoting nothing secret, before anything is sent.

use crate::support::Project;

fn dotenv_project(dotenv: &[u8]) -> Project {
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        "requests:\n  - name: a\n    url: \"http://127.0.0.1:9/{{ env.TOKEN }}\"\n",
    );
    std::fs::write(p.path().join(".env"), dotenv).expect("write .env");
    p
}

#[test]
fn dotenv_with_a_byte_order_mark_is_read() {
    let p = dotenv_project(b"\xef\xbb\xbfTOKEN=abc\n");
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(run.stdout, "1 file, 1 request and 0 profiles: valid\n");
}

#[test]
fn dotenv_line_error_names_the_place_never_the_value() {
    let p = dotenv_project(b"TOKEN=abc\nUSER=me\nPASSWORD=\"hunter2-very-secret\n");
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: invalid .env line (variable `PASSWORD`): unbalanced quote or character not allowed at column 31\n  --> .env:3:31\n  = hint: write KEY=VALUE, one per line; quote values with spaces, and close every quote\nnothing was sent\n"
    );
    assert!(!run.all().contains("hunter2"));
}

#[test]
fn a_big_honest_file_is_not_an_alias_bomb() {
    let p = Project::new();
    let mut text = String::from("requests:\n");
    // About 14 YAML nodes a request: 280,000 in all, past the 250,000 that
    // the alias-bomb budget used to allow for a whole file.
    for i in 0..20_000 {
        text.push_str(&format!(
            "  - name: r{i}\n    url: \"http://127.0.0.1:9/items/{i}\"\n    headers: {{ Accept: application/json, X-Trace: t{i} }}\n    expect: {{ status: 200 }}\n"
        ));
    }
    p.file("requests/big.yaml", &text);
    let run = p.run(&["validate"]);
    assert_eq!(run.stdout, "1 file, 20000 requests and 0 profiles: valid\n");
    assert_eq!(run.code, 0);
}

#[test]
fn an_alias_bomb_is_refused_with_its_place() {
    let p = Project::new();
    let mut text = String::from("vars:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    text.push_str("requests:\n  - name: x\n    url: http://127.0.0.1:9/\n");
    p.file("requests/bomb.yaml", &text);
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: the YAML expands too much: too many aliases, anchors or nesting levels\n  --> requests/bomb.yaml:"
        ),
        "{}",
        run.stderr
    );
}

/// Kind: a value written as plain text is judged when the file loads, not
/// when the request runs: a `when:` that is neither true nor false, a
/// `timeout:` of zero, in every spelling.
#[test]
fn plain_when_and_zero_timeout_are_invalid_before_sending() {
    for (key, value, title) in [
        ("when", "\"maybe\"", "`when` is `maybe`, not true or false"),
        ("when", "\"on\"", "`when` is `on`, not true or false"),
        ("timeout", "0s", "a `timeout` of 0 fails every request"),
        ("timeout", "0", "a `timeout` of 0 fails every request"),
        ("timeout", "0ms", "a `timeout` of 0 fails every request"),
    ] {
        let p = Project::new();
        p.file(
            "requests/a.yaml",
            &format!("requests:\n  - name: a\n    url: http://127.0.0.1:9/\n    {key}: {value}\n"),
        );
        let run = p.run(&["validate"]);
        assert_eq!(run.code, 2, "{key}: {value}\n{}", run.all());
        let first = run.stderr.lines().next().unwrap_or_default();
        assert_eq!(first, format!("error: {title}"));
    }
    for ok in ["\"yes\"", "\"FALSE\"", "\"{{ 1 == 1 }}\""] {
        let p = Project::new();
        p.file(
            "requests/a.yaml",
            &format!("requests:\n  - name: a\n    url: http://127.0.0.1:9/\n    when: {ok}\n"),
        );
        assert_eq!(p.run(&["validate"]).code, 0, "when: {ok}");
    }
}
