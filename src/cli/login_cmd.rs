//! `sesame login PROFILE... --save FILE`, and what it shares with `sesame
//! token`: logging in to named profiles outside a run.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::auth::cache::cache_dir;
use crate::auth::creds::Creds;
use crate::auth::saved::{self, SavedCreds, SavedFile};
use crate::auth::totp::Ledger;
use crate::auth::totp_provider::RunTotp;
use crate::cli::args::{LoginArgs, ScopeArgs};
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::session::{Session, http_client, tokio_runtime};
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::plan::Compiler;
use crate::report::event::{Event, Level};
use crate::runner::runtime::Flags;
use crate::secret::Redactor;
use crate::template::Engine;

/// How to log in to profiles outside a run.
pub(crate) struct LoginRequest<'a> {
    pub scope: &'a ScopeArgs,
    pub profiles: &'a [String],
    pub no_cache: bool,
    pub insecure: bool,
}

/// Logs in to each profile in turn (notes and warnings on stderr) and keeps
/// what `take` makes of each credential; the session's `--env` comes back
/// with the results.
///
/// Errors: the exit code after printing why nothing could be tried
/// (unknown profile, invalid files, no HTTP client).
pub(crate) fn log_in_to<T>(
    req: &LoginRequest<'_>,
    out: &Output,
    take: impl Fn(&Creds) -> Result<T, String>,
) -> Result<LoggedInTo<T>, i32> {
    let redactor = Arc::new(Redactor::new(false));
    let cache = (!req.no_cache).then(cache_dir).flatten();
    // Used TOTP codes are remembered even with --no-cache (see `run`).
    let totp = Arc::new(RunTotp::new(Ledger::new(cache_dir()), redactor.clone()));
    let engine = Engine::new(totp.clone());
    let mut session =
        Session::new(req.scope, None, engine).map_err(|d| print_diagnostics(out, &d))?;
    session.tls = crate::cli::session::client_options(req.insecure, &Default::default())
        .map_err(|d| print_diagnostics(out, &[d]))?;
    let mut compiler = Compiler::new(engine, session.inputs.clone());
    for name in req.profiles {
        check_profile(&session, name).map_err(|d| print_diagnostics(out, &[d]))?;
        compiler.add_profile(name);
    }
    let plan = compiler.finish().map_err(|d| print_diagnostics(out, &d))?;
    let client = http_client(&session.tls).map_err(|d| print_diagnostics(out, &[d]))?;
    let runtime = tokio_runtime(true).map_err(|d| print_diagnostics(out, &[d]))?;
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    totp.set_events(tx.clone());
    let printer = std::thread::spawn(move || print_notes(rx));
    let env = session.env_name.clone();
    let rt = Arc::new(session.into_runtime(
        &plan.profiles,
        client,
        redactor,
        cache,
        Flags::default(),
        tx,
    ));
    let mut results = Vec::new();
    for name in req.profiles {
        // What is kept of the credentials is taken now: they hold the
        // event channel, which must close before the printer can finish.
        let got = runtime.block_on(rt.auth.get(name));
        results.push(got.and_then(|c| take(&c)));
    }
    drop(rt);
    totp.clear_events();
    runtime.shutdown_background();
    let _ = printer.join();
    Ok(LoggedInTo { env, results })
}

/// What [`log_in_to`] got: `--env`, and what `take` kept of each
/// profile's credentials, or why there are none.
pub(crate) struct LoggedInTo<T> {
    pub env: Option<String>,
    pub results: Vec<Result<T, String>>,
}

/// A diagnostic with a did-you-mean when `name` is not a profile.
fn check_profile(session: &Session, name: &str) -> Result<(), Diagnostic> {
    let dir = &session.inputs.profiles_dir;
    if crate::plan::compile::profile_path(dir, name).is_some() {
        return Ok(());
    }
    let names = crate::plan::compile::list_profiles(dir);
    let hint = match crate::diagnostic::did_you_mean(name, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("profiles: {}", names.join(", ")),
    };
    Err(Diagnostic::new(format!("unknown profile `{name}`")).with_hint(hint))
}

/// Warnings and errors to stderr; stdout stays for the command's answer.
fn print_notes(rx: std::sync::mpsc::Receiver<Event>) {
    for e in rx {
        if let Event::Message { level, text } = e
            && level != Level::Info
        {
            let label = if level == Level::Error {
                "error"
            } else {
                "warning"
            };
            err_line!("{label}: {text}");
        }
    }
}

/// `sesame login PROFILE... --save FILE`: exit 0 when every profile logged
/// in and the file is written; 3 when a profile could not log in or has no
/// credential that may be saved (nothing is written then); 1 when FILE
/// cannot be written.
pub(crate) fn login(args: &LoginArgs, out: &Output) -> i32 {
    let req = LoginRequest {
        scope: &args.scope,
        profiles: &args.names,
        no_cache: args.no_cache,
        insecure: args.insecure,
    };
    let LoggedInTo { env, results } = match log_in_to(&req, out, savable) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut profiles = BTreeMap::new();
    for (name, result) in args.names.iter().zip(results) {
        match result {
            Ok(saved) => {
                profiles.insert(name.clone(), saved);
            }
            Err(e) => {
                out.error(&e);
                return exit::LOGIN_FAILED;
            }
        }
    }
    let file = SavedFile {
        format: saved::FORMAT.to_string(),
        env,
        profiles,
    };
    let key = std::env::var(saved::KEY_VAR).ok().filter(|k| !k.is_empty());
    if let Err(e) = saved::write(&args.save, &file, key.as_deref()) {
        out.error(&format!("cannot write {}: {e}", args.save.display()));
        return exit::FAILED;
    }
    let how = if key.is_some() { ", encrypted" } else { "" };
    out.say(&format!(
        "saved the credentials of {} to {}{how}",
        crate::text::count(file.profiles.len(), "profile"),
        args.save.display()
    ));
    exit::OK
}

/// What of `c` goes to a credentials file. Errors: it would carry a secret
/// (a header or query value holding one) or cookies (a session the login
/// opened), which are not saved.
fn savable(c: &Creds) -> Result<SavedCreds, String> {
    let carries_secret = c.headers.iter().chain(c.query.iter()).any(|(_, v)| {
        let basic = v
            .strip_prefix("Basic ")
            .and_then(|b| {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        c.secrets
            .values()
            .any(|s| !s.is_empty() && (v.contains(s.as_str()) || basic.contains(s.as_str())))
    });
    if carries_secret {
        return Err(format!(
            "profile {} applies its secrets themselves: there is no credential to save (give the jobs the secrets instead)",
            c.profile
        ));
    }
    if !c.jar.is_empty() {
        return Err(format!(
            "profile {} applies cookies, which are not saved",
            c.profile
        ));
    }
    let secs = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    Ok(SavedCreds {
        expires_at: c.expires_at.map(secs),
        refresh_at: c.refresh_at.map(secs),
        headers: c.headers.clone(),
        query: c.query.clone(),
        captures: c.captures.clone(),
    })
}
