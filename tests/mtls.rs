//! `tls:` in profiles and `--cacert`: real TLS on 127.0.0.1 with rcgen-made
//! certificates, against a server that requires the client's certificate.

use crate::support::Project;
use crate::support::creds::AssertHas as _;
use crate::support::tls::{Pki, TlsServer};

fn project(pki: &Pki, server: &TlsServer, profile_tls: &str) -> Project {
    let mut p = Project::new();
    p.file("certs/ca.pem", &pki.ca_pem)
        .file("certs/client.pem", &pki.client_cert_pem)
        .file(
            "profiles/mtls.yaml",
            &format!(
                r#"
{profile_tls}
login:
  - name: token
    method: POST
    url: "{url}/token"
    expect: {{ status: 200 }}
    capture: {{ token: $.token }}
apply:
  headers:
    Authorization: "Bearer {{{{ token }}}}"
ttl: 15m
"#,
                url = server.url()
            ),
        )
        .file(
            "requests/a.yaml",
            &format!(
                r#"
profile: mtls
requests:
  - name: api
    url: "{}/api"
    expect: {{ status: 200 }}
"#,
                server.url()
            ),
        );
    p.env("T_CLIENT_KEY", &pki.client_key_pem);
    p
}

const TLS: &str = r#"
tls:
  cert: { file: ../certs/client.pem }
  key: { env: T_CLIENT_KEY }
  ca: ../certs/ca.pem
"#;

#[test]
fn a_profile_certificate_is_presented_for_its_login_and_requests() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, true);
    let p = project(&pki, &server, TLS);
    let run = p.run(&["run", "--no-cache"]);
    run.assert_code(0);
    let hits = server.hits();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["/token", "/api"]);
    assert!(
        hits.iter().all(|h| h.client_cert),
        "the certificate went with both"
    );
    assert!(
        !run.all()
            .contains(pki.client_key_pem.lines().nth(1).unwrap()),
        "the key is never shown"
    );
}

#[test]
fn without_the_certificate_the_handshake_is_refused_and_login_fails() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, true);
    // The CA is trusted, but no certificate is presented.
    let p = project(&pki, &server, "");
    let run = p.run(&["run", "--no-cache", "--cacert", "certs/ca.pem"]);
    run.assert_code(3)
        .assert_has("profile mtls could not log in: login step `token`");
    assert!(
        server.hits().is_empty(),
        "no request got through the handshake"
    );
}

#[test]
fn cacert_trusts_a_private_root_for_the_whole_run() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, false);
    let p = Project::new();
    p.file("certs/ca.pem", &pki.ca_pem).file(
        "requests/a.yaml",
        &format!(
            "requests:\n  - name: open\n    url: \"{}/open\"\n    expect: {{ status: 200 }}\n",
            server.url()
        ),
    );
    let untrusted = p.run(&["run"]);
    untrusted.assert_code(1);
    assert!(server.hits().is_empty(), "an unknown root: no request");
    p.run(&["run", "--cacert", "certs/ca.pem"]).assert_code(0);
    assert_eq!(server.hits().len(), 1);
}

#[test]
fn an_unusable_key_is_exit_3_naming_tls() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, true);
    let mut p = project(&pki, &server, TLS);
    p.env(
        "T_CLIENT_KEY",
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    );
    p.run(&["run", "--no-cache"])
        .assert_code(3)
        .assert_has("profile mtls could not log in: tls: the certificate or key is not usable");
}
