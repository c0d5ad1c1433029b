//! The one clock every reading of time goes through: TOTP steps, credential
//! expiry and refresh, retry delays, TOTP waits and the durations shown.
//!
//! Why one place: tests must never sleep for a TOTP step or a token
//! lifetime. With `SESAME_TEST_CLOCK=UNIX_SECONDS` in the environment (only
//! honoured together with `SESAME_TEST_MODE`), the clock starts at that
//! instant and every wait advances it at once instead of sleeping, so a
//! 30-second TOTP wait or a 4-second retry delay takes no real time and
//! still moves "now" forward by exactly that much. The sandbox has a matching
//! control route (`docs/sandbox.md`), so both sides can agree on the time.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that sets the test clock (unix seconds).
pub(crate) const TEST_CLOCK_VAR: &str = "SESAME_TEST_CLOCK";

/// A clock set by the test environment: a start instant plus every wait so far.
struct Virtual {
    start: SystemTime,
    /// Nanoseconds advanced by waits since `start`.
    advanced: AtomicU64,
}

fn virtual_clock() -> Option<&'static Virtual> {
    static CLOCK: OnceLock<Option<Virtual>> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            std::env::var_os("SESAME_TEST_MODE")?;
            let secs: u64 = std::env::var(TEST_CLOCK_VAR).ok()?.trim().parse().ok()?;
            Some(Virtual {
                start: UNIX_EPOCH.checked_add(Duration::from_secs(secs))?,
                advanced: AtomicU64::new(0),
            })
        })
        .as_ref()
}

impl Virtual {
    fn now(&self) -> SystemTime {
        self.start + Duration::from_nanos(self.advanced.load(Ordering::Acquire))
    }

    fn advance(&self, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.advanced.fetch_add(nanos, Ordering::AcqRel);
    }
}

/// The wall-clock time now.
pub(crate) fn now() -> SystemTime {
    match virtual_clock() {
        Some(v) => v.now(),
        None => SystemTime::now(),
    }
}

/// Seconds since the unix epoch now (0 before the epoch).
pub(crate) fn unix_now() -> u64 {
    now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Waits `d` without blocking the async runtime; on the test clock, moves
/// the clock forward by `d` and returns at once.
pub(crate) async fn sleep(d: Duration) {
    match virtual_clock() {
        Some(v) => {
            v.advance(d);
            tokio::task::yield_now().await;
        }
        None => tokio::time::sleep(d).await,
    }
}

/// Set once the run is told to stop (a signal): blocking waits end early.
static STOPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Ends every blocking wait now and from now on (see [`sleep_blocking`]).
pub(crate) fn stop() {
    STOPPED.store(true, Ordering::Release);
}

/// The run was told to stop.
pub(crate) fn stopped() -> bool {
    STOPPED.load(Ordering::Acquire)
}

/// Waits `d` on the current thread (blocking code: prompts, TOTP waits),
/// in short slices so that a stop signal ends the wait at once: a 30-s TOTP
/// wait must not hold a Ctrl-C.
pub(crate) fn sleep_blocking(d: Duration) {
    if let Some(v) = virtual_clock() {
        v.advance(d);
        return;
    }
    let until = Instant::now() + d;
    while !stopped() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

/// Measures elapsed time on the run's clock: real time normally; on the
/// test clock, only the waits (so shown durations are reproducible).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stopwatch {
    real: Instant,
    at: SystemTime,
}

impl Stopwatch {
    pub(crate) fn start() -> Stopwatch {
        Stopwatch {
            real: Instant::now(),
            at: now(),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        match virtual_clock() {
            Some(v) => v.now().duration_since(self.at).unwrap_or_default(),
            None => self.real.elapsed(),
        }
    }
}
