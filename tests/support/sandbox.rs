//! The vendor sandbox (`sesame_sandbox::Sandbox`) on 127.0.0.1:0 in its own
//! runtime, plus the example project written against it.

use std::time::Duration;

use sesame_sandbox::{Sandbox, Stats};

use super::Project;

pub struct TestSandbox {
    rt: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
}

impl TestSandbox {
    /// A fresh sandbox (own signing key, TOTP records, sessions, counters).
    pub fn start() -> TestSandbox {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("sandbox runtime");
        let sandbox = rt.block_on(Sandbox::start(0)).expect("start sandbox");
        TestSandbox {
            rt,
            sandbox: Some(sandbox),
        }
    }

    fn inner(&self) -> &Sandbox {
        self.sandbox.as_ref().expect("sandbox running")
    }

    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> String {
        self.inner().addr().to_string()
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.inner().base_url()
    }

    pub fn stats(&self) -> Stats {
        self.inner().stats()
    }

    /// The example project (`sesame demo`'s files) pointed at this sandbox.
    pub fn example_project(&self) -> Project {
        let p = Project::new();
        p.origin(&self.addr());
        sesame::testing::write_example(p.path(), &self.addr()).expect("write example project");
        p
    }

    /// One raw HTTP/1.1 request to the sandbox; returns (status, body).
    pub fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        raw_http(&self.addr(), method, path, headers)
    }

    /// Sets the sandbox's clock to `unix` seconds (`POST /_sandbox/clock`),
    /// so a test moves time instead of sleeping.
    pub fn set_clock(&self, unix: u64) {
        let body = format!("{{\"set_unix\": {unix}}}");
        let (status, text) = raw_http_body(&self.addr(), "POST", "/_sandbox/clock", &body);
        assert_eq!(status, 200, "set the sandbox clock: {text}");
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        if let Some(s) = self.sandbox.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

/// A minimal HTTP/1.1 client over a plain TcpStream (`Connection: close`).
pub fn raw_http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    raw_request(addr, method, path, headers, "")
}

/// [`raw_http`] with a JSON `body`.
pub fn raw_http_body(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    raw_request(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body,
    )
}

fn raw_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect sandbox");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {resp:?}"));
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}
