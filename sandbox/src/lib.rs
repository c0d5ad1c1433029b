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
//! | `/_sandbox` | stats, revoke, fixtures | [`flow::control`] |
//!
//! The emulation is strict (TOTP checked within ±1 step and accepted once,
//! signed JWTs with expiry, revocation, sessions that end at sign-out) so
//! that a client passing against the sandbox is likely to pass against the
//! vendor. Fixture credentials are constants in [`fixtures`]; the signing
//! key is random per instance. The crate depends on nothing in sesame: the
//! two meet only over HTTP.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
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

pub use fixtures::fixtures_text;
pub use state::Stats;
use state::{AppState, bump};

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
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let state = AppState::new();
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
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
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(AppState::new()))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The whole sandbox: every vendor under its prefix.
fn router(state: AppState) -> Router {
    Router::new()
        .nest("/code42", flow::code42::router())
        .nest("/crisisworks", flow::crisisworks::router())
        .nest("/basicapp", flow::basicapp::router())
        .nest(
            "/beyondtrust/BeyondTrust/api/public",
            flow::beyondtrust::router(),
        )
        .nest("/_sandbox", flow::control::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_unauthorized,
        ))
        .with_state(state)
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
