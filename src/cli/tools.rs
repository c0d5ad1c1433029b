//! The smaller commands: token, totp, curl, schema, sandbox, demo.

use std::sync::Arc;

use crate::auth::cache::cache_dir;
use crate::auth::totp::Ledger;
use crate::auth::totp_provider::RunTotp;
use crate::cli::args::{CurlArgs, SchemaArgs, TokenArgs, TotpArgs};
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::session::{Session, client_options, http_client, tokio_runtime};
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::plan::Compiler;
use crate::report::event::{Event, Level};
use crate::runner::runtime::Flags;
use crate::secret::Redactor;
use crate::template::Engine;

pub(crate) fn token(args: &TokenArgs, out: &Output) -> i32 {
    let redactor = Arc::new(Redactor::new(false));
    let cache = (!args.no_cache).then(cache_dir).flatten();
    // Used TOTP codes are remembered even with --no-cache (see `run`).
    let totp = Arc::new(RunTotp::new(Ledger::new(cache_dir()), redactor.clone()));
    let engine = Engine::new(totp.clone());
    let session = match Session::new(&args.scope, None, engine) {
        Ok(s) => s,
        Err(d) => return print_diagnostics(out, &d),
    };
    let mut compiler = Compiler::new(engine, session.inputs.clone());
    if let Some(d) = unknown_profile(&session, &args.profile) {
        return print_diagnostics(out, &[d]);
    }
    compiler.add_profile(&args.profile);
    let plan = match compiler.finish() {
        Ok(p) => p,
        Err(d) => return print_diagnostics(out, &d),
    };
    let options = match client_options(args.insecure, &Default::default()) {
        Ok(o) => o,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    let client = match http_client(&options) {
        Ok(c) => c,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    // Only the credential goes to stdout; notes go to stderr.
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    totp.set_events(tx.clone());
    let printer = spawn_printer(rx);
    let masks = redactor.clone();
    let rt = Arc::new(session.into_runtime(
        &plan.profiles,
        client,
        redactor,
        cache,
        Flags::default(),
        tx,
    ));
    let runtime = match tokio_runtime(true) {
        Ok(r) => r,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    // The token is taken now: credentials hold the event channel, which
    // must close before the printer can finish.
    let result = runtime
        .block_on(rt.auth.get(&args.profile))
        .map(|c| chosen(&c, args));
    drop(rt);
    totp.clear_events();
    runtime.shutdown_background();
    let _ = printer.join();
    match result {
        Ok(Some(t)) => {
            out.say(&t);
            exit::OK
        }
        Ok(None) => {
            let what = match (&args.header, &args.query) {
                (Some(h), _) => format!("no header `{h}`"),
                (_, Some(q)) => format!("no query parameter `{q}`"),
                _ => "no credential".into(),
            };
            out.error(&format!("profile {} applies {what} to print", args.profile));
            exit::LOGIN_FAILED
        }
        Err(e) => {
            out.error(&masks.redact(&e));
            exit::LOGIN_FAILED
        }
    }
}

/// What `token` prints: the applied header value named by `--header`, the
/// applied query value named by `--query` (URL-encoded as `run` puts it in
/// the query string), else the credential.
fn chosen(creds: &crate::auth::creds::Creds, args: &TokenArgs) -> Option<String> {
    if let Some(name) = &args.header {
        return creds
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone());
    }
    if let Some(name) = &args.query {
        return creds
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| url::form_urlencoded::byte_serialize(v.as_bytes()).collect());
    }
    creds.token()
}

/// An error naming `name` when the profiles folder has no such profile.
fn unknown_profile(session: &Session, name: &str) -> Option<Diagnostic> {
    let dir = &session.inputs.profiles_dir;
    if crate::plan::compile::profile_path(dir, name).is_some() {
        return None;
    }
    let names = crate::plan::compile::list_profiles(dir);
    let hint = match crate::diagnostic::did_you_mean(name, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("profiles: {}", names.join(", ")),
    };
    Some(Diagnostic::new(format!("unknown profile `{name}`")).with_hint(hint))
}

/// Prints warnings and errors on stderr while `token` runs, so that stdout
/// holds only the credential.
fn spawn_printer(rx: std::sync::mpsc::Receiver<Event>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for e in rx {
            if let Event::Message { level, text } = e
                && level != Level::Info
            {
                err_line!(
                    "{}: {text}",
                    if level == Level::Error {
                        "error"
                    } else {
                        "warning"
                    }
                );
            }
        }
    })
}

pub(crate) fn totp(args: &TotpArgs, out: &Output) -> i32 {
    let secret = match (&args.secret, &args.env) {
        (_, Some(var)) => match std::env::var(var) {
            Ok(s) => s,
            Err(_) => {
                out.error(&format!("environment variable {var} is not set"));
                return exit::INVALID;
            }
        },
        (Some(s), None) => s.clone(),
        (None, None) => unreachable_usage(),
    };
    match crate::auth::totp::current_code(&secret) {
        Ok(code) => {
            out.say(&code);
            exit::OK
        }
        Err(e) => {
            out.error(&e);
            exit::INVALID
        }
    }
}

fn unreachable_usage() -> String {
    // clap requires SECRET unless --env is given.
    String::new()
}

pub(crate) fn curl(args: &CurlArgs, out: &Output) -> i32 {
    crate::cli::curl::print(args, out)
}

pub(crate) fn schema(args: &SchemaArgs, out: &Output) -> i32 {
    let kind = args.kind.as_deref().unwrap_or("all");
    match crate::source::schema::schema(kind) {
        Some(s) => {
            out.say(&s);
            exit::OK
        }
        None => print_diagnostics(
            out,
            &[Diagnostic::new(format!("unknown schema `{kind}`"))
                .with_hint("use request, profile, config or all")],
        ),
    }
}
