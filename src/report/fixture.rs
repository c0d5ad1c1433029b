//! Scripted event streams shared by the writers' tests: two files with a
//! pass, a fail (with expected/actual, a location and a body excerpt) and a
//! skip, a verbose exchange, messages, and a dry run.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::event::*;

pub(super) const BODY: &str = "{\"error\": \"<boom> & \\\"bang\\\"\"}";

fn request(file_index: usize, name: &str, method: &str, path: &str) -> RequestResult {
    let (file, file_name) = if file_index == 0 {
        ("requests/auth.yaml", "auth")
    } else {
        ("requests/devices.yaml", "Device inventory")
    };
    RequestResult {
        file_index,
        file: file.into(),
        file_name: file_name.into(),
        name: name.into(),
        method: method.into(),
        url: format!("https://api.test{path}"),
        status: Some(200),
        duration: Duration::from_millis(123),
        attempts: 1,
        outcome: Outcome::Passed,
        failures: vec![],
        body_excerpt: None,
    }
}

fn file_start(index: usize, requests: usize) -> FileStart {
    let (path, name) = if index == 0 {
        ("requests/auth.yaml", "auth")
    } else {
        ("requests/devices.yaml", "Device inventory")
    };
    FileStart {
        index,
        path: path.into(),
        name: name.into(),
        requests,
    }
}

fn file_end(start: &FileStart) -> FileEnd {
    FileEnd {
        index: start.index,
        path: start.path.clone(),
        name: start.name.clone(),
        duration: Duration::from_millis(1500),
    }
}

/// A failed request: status and a JSONPath expectation did not hold.
pub(super) fn failed_request() -> RequestResult {
    let mut list = request(1, "list devices", "GET", "/v1/devices?page=1");
    list.status = Some(500);
    list.duration = Duration::from_millis(1234);
    list.attempts = 2;
    list.outcome = Outcome::Failed;
    list.failures = vec![
        Failure {
            key: "status".into(),
            message: "status <500> is not \"200\" & not ok".into(),
            expected: Some("200".into()),
            actual: Some("500".into()),
            location: Some("requests/devices.yaml:7:13".into()),
        },
        Failure {
            key: "json $.data.total".into(),
            message: "path selected nothing".into(),
            expected: Some("exists".into()),
            actual: None,
            location: None,
        },
    ];
    list.body_excerpt = Some(BODY.into());
    list
}

/// Two files, five requests: 2 passed, 1 failed, 1 skipped; plus one that
/// file 1 never reached (skipped too), so 2 passed, 1 failed, 2 skipped.
pub(super) fn run() -> Vec<Event> {
    let auth = file_start(0, 2);
    let devices = file_start(1, 3);
    let mut whoami = request(0, "who am i", "GET", "/v1/me");
    whoami.duration = Duration::from_millis(45);
    let mut delete = request(1, "delete device", "DELETE", "/v1/devices/7");
    delete.status = None;
    delete.duration = Duration::ZERO;
    delete.attempts = 0;
    delete.outcome = Outcome::Skipped {
        reason: "an earlier request failed".into(),
    };
    let mut audit = delete.clone();
    audit.name = "audit # trail".into();
    audit.url = "https://api.test/v1/audit".into();
    audit.method = "GET".into();
    vec![
        Event::RunStart(RunStart {
            requests: 5,
            env: Some("staging".into()),
            dry_run: false,
        }),
        Event::FileStart(auth.clone()),
        Event::Exchange(Exchange {
            file_index: 0,
            request: "POST https://api.test/v1/oauth\nAuthorization: ***\n\n".into(),
            response: Some(
                "HTTP/1.1 200 OK\ncontent-type: application/json\n\n{\"token\":\"***\"}".into(),
            ),
        }),
        Event::Request(request(0, "get token", "POST", "/v1/oauth")),
        Event::Message {
            level: Level::Info,
            text: "logged in as code42".into(),
        },
        Event::Request(whoami),
        Event::FileEnd(file_end(&auth)),
        Event::FileStart(devices.clone()),
        Event::Request(failed_request()),
        Event::Request(delete),
        Event::Request(audit),
        Event::Message {
            level: Level::Warning,
            text: "session for bt was not signed out".into(),
        },
        Event::FileEnd(file_end(&devices)),
        Event::RunEnd(RunEnd {
            files: 2,
            passed: 2,
            failed: 1,
            skipped: 2,
            duration: Duration::from_millis(2840),
            exit_code: 1,
        }),
    ]
}

/// The same two files under `--dry-run`: nothing sent, one `when:` skip.
pub(super) fn dry_run() -> Vec<Event> {
    let auth = file_start(0, 1);
    let devices = file_start(1, 2);
    let mut token = request(0, "get token", "POST", "/v1/oauth");
    token.status = None;
    token.duration = Duration::ZERO;
    token.attempts = 0;
    let mut list = request(1, "list devices", "GET", "/v1/devices?page=1");
    list.status = None;
    list.attempts = 0;
    let mut delete = request(1, "delete device", "DELETE", "/v1/devices/7");
    delete.status = None;
    delete.attempts = 0;
    delete.outcome = Outcome::Skipped {
        reason: "when: is false".into(),
    };
    vec![
        Event::RunStart(RunStart {
            requests: 3,
            env: None,
            dry_run: true,
        }),
        Event::FileStart(auth.clone()),
        Event::Request(token),
        Event::FileEnd(file_end(&auth)),
        Event::FileStart(devices.clone()),
        Event::Request(list),
        Event::Request(delete),
        Event::FileEnd(file_end(&devices)),
        Event::RunEnd(RunEnd {
            files: 2,
            passed: 2,
            failed: 0,
            skipped: 1,
            duration: Duration::from_millis(3),
            exit_code: 0,
        }),
    ]
}

/// `run()` as two parallel files would deliver it: file 1 starts first and
/// the files' events interleave.
pub(super) fn interleaved() -> Vec<Event> {
    let events = run();
    let of = |file: usize| -> Vec<Event> {
        events
            .iter()
            .filter(|e| file_of(e) == Some(file))
            .cloned()
            .collect()
    };
    let (a, b) = (of(0), of(1));
    let mut out = vec![events[0].clone()];
    let mut ai = a.into_iter();
    let mut bi = b.into_iter();
    loop {
        let (x, y) = (bi.next(), ai.next());
        if x.is_none() && y.is_none() {
            break;
        }
        out.extend(x);
        out.extend(y);
    }
    out.push(events.last().unwrap().clone());
    out
}

fn file_of(event: &Event) -> Option<usize> {
    match event {
        Event::FileStart(f) => Some(f.index),
        Event::Exchange(x) => Some(x.file_index),
        Event::Request(r) => Some(r.file_index),
        Event::FileEnd(f) => Some(f.index),
        _ => None,
    }
}

/// An in-memory `Write` the test keeps a handle to after boxing it.
#[derive(Clone, Default)]
pub(super) struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl SharedBuf {
    pub(super) fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Feeds `events` then `finish()`.
pub(super) fn drive(reporter: &mut dyn Reporter, events: &[Event]) {
    for event in events {
        reporter.event(event).unwrap();
    }
    reporter.finish().unwrap();
}
