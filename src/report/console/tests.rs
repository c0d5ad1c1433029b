use super::*;
use crate::report::fixture::{self, SharedBuf};

fn render(events: &[Event], options: ConsoleOptions) -> String {
    let buf = SharedBuf::default();
    let mut reporter = ConsoleReporter::new(Box::new(buf.clone()), options);
    fixture::drive(&mut reporter, events);
    buf.text()
}

fn plain() -> ConsoleOptions {
    ConsoleOptions {
        frozen_time: true,
        ..ConsoleOptions::default()
    }
}

const FAILURES: &str = "\
failures:

✗ requests/devices.yaml › list devices
  GET https://api.test/v1/devices?page=1 → 500 after 2 attempts
  error: status: status <500> is not \"200\" & not ok
    --> requests/devices.yaml:7:13
    = expected: 200
    = actual:   500
  error: json $.data.total: path selected nothing
    = expected: exists
  body:
    {\"error\": \"<boom> & \\\"bang\\\"\"}

2 passed, 1 failed, 2 skipped (2 files) in 0.00s
";

#[test]
fn streams_lines_details_and_summary() {
    let expected = format!(
        "\
requests/auth.yaml
  ✓ get token  POST 200  0ms
logged in as code42
  ✓ who am i  GET 200  0ms
requests/devices.yaml (Device inventory)
  ✗ list devices  GET 500  0ms  (2 attempts)
  - delete device  skipped: an earlier request failed
  - audit # trail  skipped: an earlier request failed
warning: session for bt was not signed out

{FAILURES}"
    );
    assert_eq!(render(&fixture::run(), plain()), expected);
}

#[test]
fn parallel_files_print_as_blocks_in_the_order_they_end() {
    let options = ConsoleOptions {
        parallel: true,
        ..plain()
    };
    let expected = format!(
        "\
requests/devices.yaml (Device inventory)
  ✗ list devices  GET 500  0ms  (2 attempts)
  - delete device  skipped: an earlier request failed
  - audit # trail  skipped: an earlier request failed
requests/auth.yaml
  ✓ get token  POST 200  0ms
  ✓ who am i  GET 200  0ms

{FAILURES}"
    );
    assert_eq!(render(&fixture::interleaved(), options), expected);
}

#[test]
fn streaming_interleaved_files_shows_lines_as_they_come() {
    let out = render(&fixture::interleaved(), plain());
    let lines: Vec<&str> = out.lines().take(5).collect();
    assert_eq!(
        lines,
        [
            "requests/devices.yaml (Device inventory)",
            "requests/auth.yaml",
            "  ✗ list devices  GET 500  0ms  (2 attempts)",
            "  - delete device  skipped: an earlier request failed",
            "  ✓ get token  POST 200  0ms",
        ]
    );
}

#[test]
fn real_times_are_shown_when_not_frozen() {
    let out = render(&fixture::run(), ConsoleOptions::default());
    assert!(out.contains("  ✓ get token  POST 200  123ms\n"), "{out}");
    assert!(
        out.contains("  ✗ list devices  GET 500  1.2s  (2 attempts)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("2 passed, 1 failed, 2 skipped (2 files) in 2.84s\n"),
        "{out}"
    );
}

#[test]
fn verbose_prints_exchanges_request_then_response() {
    let options = ConsoleOptions {
        verbose: true,
        ..plain()
    };
    let out = render(&fixture::run(), options);
    let expected = "\
requests/auth.yaml
    > POST https://api.test/v1/oauth
    > Authorization: ***
    >
    < HTTP/1.1 200 OK
    < content-type: application/json
    <
    < {\"token\":\"***\"}
  ✓ get token  POST 200  0ms
";
    assert!(out.starts_with(expected), "{out}");
    assert!(!render(&fixture::run(), plain()).contains("> POST"));
}

#[test]
fn colour_only_when_asked() {
    let coloured = render(
        &fixture::run(),
        ConsoleOptions {
            color: true,
            ..plain()
        },
    );
    assert!(coloured.contains("\u{1b}[32m✓\u{1b}[0m"), "{coloured}");
    assert!(coloured.contains("\u{1b}[31m✗\u{1b}[0m"));
    assert!(coloured.contains("\u{1b}[33mwarning:\u{1b}[0m session"));
    assert!(
        coloured.contains("\n2 passed, \u{1b}[31m1 failed\u{1b}[0m, "),
        "the summary starts uncoloured: {coloured}"
    );
    let verbose_plain = render(
        &fixture::run(),
        ConsoleOptions {
            verbose: true,
            progress: true,
            ..plain()
        },
    );
    assert!(!verbose_plain.contains('\u{1b}'), "{verbose_plain}");
}

#[test]
fn progress_bar_leaves_the_output_unchanged() {
    let options = ConsoleOptions {
        progress: true,
        ..plain()
    };
    assert_eq!(
        render(&fixture::run(), options),
        render(&fixture::run(), plain())
    );
}

#[test]
fn error_messages_have_a_prefix() {
    let out = render(
        &[Event::Message {
            level: crate::report::event::Level::Error,
            text: "login code42 failed".into(),
        }],
        plain(),
    );
    assert_eq!(out, "error: login code42 failed\n");
}

#[test]
fn dry_run_prints_method_and_url() {
    let expected = "\
requests/auth.yaml
  POST https://api.test/v1/oauth  (get token)
requests/devices.yaml (Device inventory)
  GET https://api.test/v1/devices?page=1  (list devices)
  - delete device  skipped: when: is false

dry run: 2 requests would be sent, 1 skipped (2 files)
";
    assert_eq!(render(&fixture::dry_run(), plain()), expected);
}

#[test]
fn only_failures_are_kept_and_their_bodies_are_cut() {
    let buf = SharedBuf::default();
    let mut reporter = ConsoleReporter::new(Box::new(buf.clone()), plain());
    let mut big = fixture::failed_request();
    big.body_excerpt = Some("x\n".repeat(100));
    let events = fixture::run();
    for event in &events[..events.len() - 1] {
        reporter.event(event).unwrap();
    }
    reporter.event(&Event::Request(big)).unwrap();
    assert_eq!(reporter.failed.len(), 2);
    assert_eq!(
        reporter.failed[1]
            .body_excerpt
            .as_deref()
            .unwrap()
            .lines()
            .count(),
        10
    );
}

#[test]
fn verbose_dry_run_shows_the_request_without_a_missing_response() {
    let mut events = fixture::dry_run();
    events.insert(
        2,
        Event::Exchange(crate::report::event::Exchange {
            file_index: 0,
            request: "POST https://api.test/v1/oauth\nAuthorization: <code42>".into(),
            response: None,
        }),
    );
    let options = ConsoleOptions {
        verbose: true,
        ..plain()
    };
    let out = render(&events, options);
    assert!(out.starts_with(
        "requests/auth.yaml\n    > POST https://api.test/v1/oauth\n    > Authorization: <code42>\n  POST"
    ), "{out}");
    assert!(!out.contains("(no response)"));
    let mut sent = fixture::run();
    if let Event::Exchange(x) = &mut sent[2] {
        x.response = None;
    }
    assert!(render(&sent, options).contains("    < (no response)\n"));
}

#[test]
fn progress_bar_stays_hidden_until_the_run_has_lasted_the_delay() {
    let options = ConsoleOptions {
        progress: true,
        ..plain()
    };
    let events = fixture::run();
    let mut reporter = ConsoleReporter::new(Box::new(SharedBuf::default()), options);
    let first_request = events
        .iter()
        .position(|e| matches!(e, Event::Request(_)))
        .unwrap();
    for e in &events[..=first_request] {
        reporter.event(e).unwrap();
    }
    assert!(reporter.bar.as_ref().unwrap().is_hidden());
    assert!(
        reporter.bar_hidden_since.is_some(),
        "a fast run shows no bar"
    );
    // The run has now lasted longer than the delay: the next request shows it.
    reporter.bar_hidden_since = Some(Instant::now() - PROGRESS_DELAY);
    let next = events[first_request + 1..]
        .iter()
        .find(|e| matches!(e, Event::Request(_)))
        .unwrap();
    reporter.event(next).unwrap();
    assert_eq!(reporter.bar_hidden_since, None);
    assert_eq!(reporter.bar.as_ref().unwrap().position(), 2);
}
