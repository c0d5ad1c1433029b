//! The smaller commands: token, totp, curl, schema, sandbox, demo.

use std::sync::Arc;

use crate::auth::cache::cache_dir;
use crate::auth::totp::Ledger;
use crate::auth::totp_provider::RunTotp;
use crate::cli::args::{CurlArgs, SchemaArgs, TokenArgs, TotpArgs};
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::session::{Session, http_client, tokio_runtime};
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::plan::Compiler;
use crate::report::event::{Event, Level};
use crate::runner::runtime::Flags;
use crate::secret::Redactor;
use crate::template::Engine;

pub fn token(args: &TokenArgs, out: &Output) -> i32 {
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
    if crate::plan::compile::profile_path(&session.inputs.profiles_dir, &args.profile).is_none() {
        let names = crate::plan::compile::list_profiles(&session.inputs.profiles_dir);
        let hint = match crate::diagnostic::did_you_mean(
            &args.profile,
            names.iter().map(String::as_str),
        ) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("profiles: {}", names.join(", ")),
        };
        return print_diagnostics(
            out,
            &[Diagnostic::new(format!("unknown profile `{}`", args.profile)).with_hint(hint)],
        );
    }
    compiler.add_profile(&args.profile);
    let plan = match compiler.finish() {
        Ok(p) => p,
        Err(d) => return print_diagnostics(out, &d),
    };
    let client = match http_client(args.insecure) {
        Ok(c) => c,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    // Only the credential goes to stdout; notes go to stderr.
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    totp.set_events(tx.clone());
    let printer = std::thread::spawn(move || {
        for e in rx {
            if let Event::Message { level, text } = e
                && level != Level::Info
            {
                eprintln!(
                    "{}: {text}",
                    if level == Level::Error {
                        "error"
                    } else {
                        "warning"
                    }
                );
            }
        }
    });
    let rt = Arc::new(session.into_runtime(
        &plan.profiles,
        client,
        redactor,
        engine,
        cache,
        Flags::default(),
        tx,
    ));
    let runtime = match tokio_runtime(true) {
        Ok(r) => r,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    let result = runtime.block_on(rt.auth.get(&rt, &args.profile));
    drop(rt);
    totp.clear_events();
    runtime.shutdown_background();
    let _ = printer.join();
    match result.map(|c| c.token()) {
        Ok(Some(t)) => {
            out.say(&t);
            exit::OK
        }
        Ok(None) => {
            out.error(&format!(
                "profile {} applies no credential to print",
                args.profile
            ));
            exit::LOGIN_FAILED
        }
        Err(e) => {
            out.error(&e);
            exit::LOGIN_FAILED
        }
    }
}

pub fn totp(args: &TotpArgs, out: &Output) -> i32 {
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

pub fn curl(args: &CurlArgs, out: &Output) -> i32 {
    crate::cli::curl::print(args, out)
}

pub fn schema(args: &SchemaArgs, out: &Output) -> i32 {
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
