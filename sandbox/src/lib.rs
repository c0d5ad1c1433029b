//! Loopback emulator of the vendor auth flows in `shared/seeds/`.
//!
//! One axum server, one path prefix per vendor, so a request file written
//! for a real tenant needs only another base URL:
//!
//! | prefix | vendor | module |
//! |---|---|---|
//! | `/code42` | Code42 / Incydr and CrashPlan | [`flow::code42`] |
//! | `/crisisworks` | Crisisworks | [`flow::crisisworks`] |
//! | `/basicapp` | the seed's basic-auth app | [`flow::basicapp`] |
//! | `/beyondtrust/BeyondTrust/api/public` | BeyondTrust Password Safe | [`flow::beyondtrust`] |
//! | `/_sandbox` | stats, revoke, fixtures, clock | [`flow::control`] |
//!
//! Official clients that take a bare host (py42, code42cli, incydr) drop any
//! path in the base URL, so [`Vendor`] picks one vendor to serve at `/` too
//! (`sesame sandbox --root code42`); BeyondTrust's is then at
//! `/BeyondTrust/api/public`, as on a real appliance. BeyondTrust paths are
//! lower-cased before routing ([`lower_case_beyondtrust`]), because IIS
//! routing ignores case.
//!
//! The emulation is strict (TOTP checked within ±1 step and accepted once,
//! signed JWTs with expiry, revocation, sessions that end at sign-out) so
//! that a client passing against the sandbox is likely to pass against the
//! vendor. Fixture credentials are constants in [`fixtures`]; the signing
//! key is random per instance. All time (TOTP steps, token issue and
//! expiry) comes from one clock per sandbox, which `POST /_sandbox/clock`
//! moves, so tests need not sleep. The crate depends on nothing in sesame: the
//! two meet only over HTTP.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod fixtures;
pub mod flow;
pub mod http;
pub mod jwt;
mod state;
pub mod totp;
mod vendor;

pub use fixtures::fixtures_text;
pub use state::Stats;
use state::{AppState, bump};
pub use vendor::Vendor;

/// A running sandbox on 127.0.0.1, served by a background tokio task.
///
/// Dropping it without [`Sandbox::shutdown`] also stops the server (the
/// shutdown signal fires when its sender is dropped).
pub struct Sandbox {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1:port (0 = any free port) and serves in a background tokio task.
    pub async fn start(port: u16) -> std::io::Result<Sandbox> {
        Sandbox::start_with_root(port, None).await
    }

    /// Like [`Sandbox::start`], also serving `root`'s routes at `/`.
    pub async fn start_with_root(port: u16, root: Option<Vendor>) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let state = AppState::new();
        let (stop, stopped) = oneshot::channel::<()>();
        let app = app(state.clone(), root);
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Sandbox {
            addr,
            state,
            stop: Some(stop),
            task,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Stops accepting connections, lets in-flight requests finish (at most
    /// 5 s), then ends the task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let abort = self.task.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(5), &mut self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
}

/// Runs until the future completes; for `sesame sandbox` (foreground).
/// `root` also serves that vendor's routes at `/`.
pub async fn serve(
    listener: TcpListener,
    root: Option<Vendor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(AppState::new(), root))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The sandbox behind its path normalisation, which has to run before the
/// vendors' routing: a layer on a router runs after that router has routed,
/// so the normalising layer sits on an outer router whose only route is the
/// fallback to the real one.
fn app(state: AppState, root: Option<Vendor>) -> Router {
    Router::new()
        .fallback_service(router(state, root))
        .layer(middleware::from_fn(lower_case_beyondtrust))
}

/// The whole sandbox: every vendor under its prefix, `root` also at `/`.
fn router(state: AppState, root: Option<Vendor>) -> Router {
    let vendors = Router::new()
        .nest("/code42", flow::code42::router())
        .nest("/crisisworks", flow::crisisworks::router())
        .nest("/basicapp", flow::basicapp::router())
        .nest(
            &format!("/beyondtrust{}", vendor::BEYONDTRUST_BASE),
            flow::beyondtrust::router(),
        )
        .nest("/_sandbox", flow::control::router());
    let vendors = match root {
        None => vendors,
        Some(v) => v.serve_at_root(vendors),
    };
    vendors
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_unauthorized,
        ))
        .with_state(state)
}

/// Lower-cases the path (not the query) of every request under
/// `/beyondtrust/` (any case): BeyondTrust's API runs on IIS, whose routing
/// ignores case, and its routes here are written in lower case.
pub async fn lower_case_beyondtrust(mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if vendor::is_beyondtrust_path(path) && path.bytes().any(|b| b.is_ascii_uppercase()) {
        let lowered = path.to_ascii_lowercase();
        let rebuilt = match request.uri().query() {
            Some(q) => format!("{lowered}?{q}"),
            None => lowered,
        };
        if let Ok(path_and_query) = rebuilt.parse() {
            let mut parts = request.uri().clone().into_parts();
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    next.run(request).await
}

/// Counts 401 answers, so tests can see refusals without parsing bodies.
async fn count_unauthorized(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        bump(&state.counters.unauthorized);
    }
    response
}
