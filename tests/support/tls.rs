//! Real TLS on 127.0.0.1 for `tests/mtls.rs`: a certificate authority made
//! with rcgen, a server certificate for 127.0.0.1, a client certificate, and
//! a small HTTPS server (tokio-rustls) that may require the client's.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};

/// PEM texts of a test PKI, and the DER the server needs.
pub struct Pki {
    pub ca_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
    ca_der: CertificateDer<'static>,
    server_der: CertificateDer<'static>,
    server_key_der: Vec<u8>,
}

impl Pki {
    pub fn new() -> Pki {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "sesame test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let leaf = |names: Vec<String>, usage| {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(names).unwrap();
            params.extended_key_usages = vec![usage];
            let cert = params.signed_by(&key, &ca).unwrap();
            (cert, key)
        };
        let (server, server_key) = leaf(
            vec!["127.0.0.1".into(), "localhost".into()],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (client, client_key) = leaf(vec!["client".into()], ExtendedKeyUsagePurpose::ClientAuth);
        Pki {
            ca_pem: ca.pem(),
            client_cert_pem: client.pem(),
            client_key_pem: client_key.serialize_pem(),
            ca_der: ca.der().clone(),
            server_der: server.der().clone(),
            server_key_der: server_key.serialize_der(),
        }
    }
}

/// One request as the HTTPS server saw it.
#[derive(Clone, Debug)]
pub struct TlsHit {
    pub path: String,
    pub client_cert: bool,
    pub authorization: Option<String>,
}

/// An HTTPS server on 127.0.0.1: `POST /token` → `{"token": "mtls-tok",
/// "expires_in": 900}`; `GET /api` → 200 with `Authorization: Bearer
/// mtls-tok`, else 401. With `require_client_cert`, the handshake fails
/// without a certificate signed by the test CA.
pub struct TlsServer {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<TlsHit>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl TlsServer {
    pub fn start(pki: &Pki, require_client_cert: bool) -> TlsServer {
        let config = Arc::new(server_config(pki, require_client_cert));
        let hits: Arc<Mutex<Vec<TlsHit>>> = Arc::default();
        let seen = hits.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let acceptor = tokio_rustls::TlsAcceptor::from(config);
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        return;
                    };
                    let (acceptor, seen) = (acceptor.clone(), seen.clone());
                    tokio::spawn(async move {
                        if let Ok(tls) = acceptor.accept(tcp).await {
                            let _ = serve(tls, &seen).await;
                        }
                    });
                }
            });
        });
        let addr = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        TlsServer {
            addr,
            hits,
            _thread: thread,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    pub fn hits(&self) -> Vec<TlsHit> {
        self.hits.lock().unwrap().clone()
    }
}

fn server_config(pki: &Pki, require_client_cert: bool) -> ServerConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if require_client_cert {
        let mut roots = RootCertStore::empty();
        roots.add(pki.ca_der.clone()).unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key_der.clone()));
    builder
        .with_single_cert(vec![pki.server_der.clone(), pki.ca_der.clone()], key)
        .unwrap()
}

/// Reads one HTTP/1.1 request and answers it, closing the connection.
async fn serve(
    mut tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    seen: &Mutex<Vec<TlsHit>>,
) -> io::Result<()> {
    let client_cert = tls.get_ref().1.peer_certificates().is_some();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = tls.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = tls.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let authorization = header("authorization");
    seen.lock().unwrap().push(TlsHit {
        path: path.clone(),
        client_cert,
        authorization: authorization.clone(),
    });
    let (status, body) = match path.as_str() {
        "/token" => ("200 OK", r#"{"token": "mtls-tok", "expires_in": 900}"#),
        "/api" if authorization.as_deref() == Some("Bearer mtls-tok") => {
            ("200 OK", r#"{"ok": true}"#)
        }
        "/open" => ("200 OK", r#"{"open": true}"#),
        _ => ("401 Unauthorized", r#"{"error": "unauthorized"}"#),
    };
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(answer.as_bytes()).await?;
    tls.shutdown().await
}
