//! `sesame run` and `sesame validate`: from flags to a compiled, selected
//! plan, then to the runner.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::auth::cache::cache_dir;
use crate::auth::totp::Ledger;
use crate::auth::totp_provider::{NoTotp, RunTotp};
use crate::cli::args::{RunArgs, ValidateArgs};
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::run_options;
use crate::cli::session::{Session, client_options, http_client, read_cacert, tokio_runtime};
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::plan::{Compiler, FilePlan, Plan};
use crate::report::console::{ConsoleOptions, ConsoleReporter};
use crate::report::event::{Event, Level, Reporter};
use crate::report::{Fanout, PathOrder, ReportSpec};
use crate::runner::run::{RunInput, execute};
use crate::runner::runtime::Flags;
use crate::secret::Redactor;
use crate::source::project::discover_files;
use crate::template::{Engine, Scope, TotpProvider};

/// Compiles the files at `paths` (default `requests/`) and the profiles they use.
pub(crate) fn compile(
    session: &Session,
    engine: Engine,
    paths: &[std::path::PathBuf],
    all_profiles: bool,
    threads: usize,
) -> Result<Plan, Vec<Diagnostic>> {
    let paths = if paths.is_empty() {
        vec![session.project.root.join("requests")]
    } else {
        paths.to_vec()
    };
    let files = discover_files(&paths)?;
    let mut compiler = Compiler::compile_files(engine, session.inputs.clone(), &files, threads);
    if all_profiles {
        compiler.add_all_profiles();
    }
    compiler.finish()
}

pub(crate) fn validate(args: &ValidateArgs, out: &Output) -> i32 {
    let engine = Engine::new(Arc::new(NoTotp));
    let session = match Session::new(&args.scope, args.profile.clone(), engine) {
        Ok(s) => s,
        Err(d) => return print_diagnostics(out, &d),
    };
    match compile(&session, engine, &args.paths, true, cores()) {
        Ok(plan) => {
            let requests: usize = plan.files.iter().map(|f| f.requests.len()).sum();
            out.say(&format!(
                "{} file{}, {} request{} and {} profile{}: valid",
                plan.files.len(),
                plural(plan.files.len()),
                requests,
                plural(requests),
                plan.profiles.len(),
                plural(plan.profiles.len())
            ));
            exit::OK
        }
        Err(d) => print_diagnostics(out, &d),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(crate) fn run(args: &RunArgs, out: &Output) -> i32 {
    let redactor = Arc::new(Redactor::new(args.show_secrets));
    proxy_secrets(&args.network, &redactor);
    let cache = (!args.no_cache).then(cache_dir).flatten();
    let (totp, engine) = totp_engine(args, &redactor);
    let mut session = match Session::new(&args.scope, args.profile.clone(), engine) {
        Ok(s) => s,
        Err(d) => return print_diagnostics(out, &d),
    };
    if let Err(d) = credential_options(&mut session, args) {
        return print_diagnostics(out, &[d]);
    }
    let (reports, shard) = match check_flags(args) {
        Ok(f) => f,
        Err(d) => return print_diagnostics(out, &d),
    };
    let (files, profiles) = match compile(&session, engine, &args.paths, false, jobs(args)) {
        Ok(p) => match selected(p.files, args, shard, out) {
            Ok(f) => (f, p.profiles),
            Err(code) => return code,
        },
        Err(d) => return print_diagnostics(out, &d),
    };
    register_env_secrets(&profiles, &session.env_map, &redactor);
    let interactive = crate::prompt::can_ask();
    let inputs = match resolve_inputs(&files, &session, interactive) {
        Ok(i) => i,
        Err(d) => return print_diagnostics(out, &d),
    };
    let jobs = jobs(args);
    let writers = match writers(args, out, &reports, &files, jobs, redactor.clone()) {
        Ok(w) => w,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    if args.insecure {
        out.warn("--insecure: TLS certificates are NOT verified; anyone on the network path can read and change this traffic");
    }
    let client = match http_client(&session.tls) {
        Ok(c) => c,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    totp.set_events(tx.clone());
    let reporter = spawn_reporter(writers, rx, redactor.clone());
    let env_name = session.env_name.clone();
    let rt = Arc::new(session.into_runtime(
        &profiles,
        client,
        redactor,
        cache,
        Flags {
            dry_run: args.dry_run,
            verbose: args.verbose,
            yes: args.yes,
            interactive,
            continue_on_error: args.continue_on_error,
        },
        tx,
    ));
    // Which proxy, when asked (never its credentials).
    if let Some(note) = proxy_note(&args.network).filter(|_| rt.flags.verbose) {
        rt.message(Level::Info, note);
    }
    // One file at a time needs no second thread: a single-threaded runtime
    // saves a cross-thread wake-up per request.
    let runtime = match tokio_runtime(jobs == 1 || files.len() <= 1) {
        Ok(r) => r,
        Err(d) => return print_diagnostics(out, &[d]),
    };
    let code = runtime.block_on(execute(
        rt.clone(),
        RunInput {
            files: files.into_iter().map(Arc::new).collect(),
            inputs,
            jobs,
            env: env_name,
        },
    ));
    drop(rt);
    totp.clear_events();
    runtime.shutdown_background();
    reported(out, reporter, code)
}

/// `--jobs`, by default the number of cores.
fn jobs(args: &RunArgs) -> usize {
    args.jobs.unwrap_or_else(cores)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The run's exit code once every report is written: a report that could
/// not be written fails the run.
fn reported(
    out: &Output,
    reporter: std::thread::JoinHandle<Option<std::io::Error>>,
    code: i32,
) -> i32 {
    match reporter.join() {
        Ok(None) => code,
        Ok(Some(e)) => {
            out.error(&format!("could not write a report: {e}"));
            code.max(exit::FAILED)
        }
        Err(_) => code.max(exit::FAILED),
    }
}

/// Registers the secret values the run's profiles read from the
/// environment (or `.env`) before anything is written: one profile's user
/// name may appear in a response long before that profile logs in. Other
/// sources (files, commands, prompts) are read when the profile logs in.
pub(crate) fn register_env_secrets(
    profiles: &std::collections::BTreeMap<String, Arc<crate::plan::ProfilePlan>>,
    env: &std::collections::BTreeMap<String, String>,
    redactor: &Redactor,
) {
    let sources = profiles.values().flat_map(|p| p.secrets.iter());
    for name in sources.filter_map(|(_, source)| source.env.as_ref()) {
        if let Some(value) = env.get(name) {
            redactor.add_secret(value);
        }
    }
}

/// The TOTP provider of a run and the template engine that uses it; a dry
/// run never computes a code.
fn totp_engine(args: &RunArgs, redactor: &Arc<Redactor>) -> (Arc<RunTotp>, Engine) {
    // Used TOTP codes are remembered across runs even with --no-cache, which
    // is about credentials: the server refuses a code sent twice.
    let ledger_dir = if args.fresh_totp_ledger {
        None
    } else {
        cache_dir()
    };
    let totp = Arc::new(RunTotp::new(Ledger::new(ledger_dir), redactor.clone()));
    let provider: Arc<dyn TotpProvider> = if args.dry_run {
        Arc::new(NoTotp)
    } else {
        totp.clone()
    };
    (totp, Engine::new(provider))
}

/// `--shard K/N`: part K of N.
type Shard = (usize, usize);

/// `--report`, `--shard` and `--jobs`, checked before anything is compiled.
/// `--credentials FILE`, and how clients connect (`--insecure`,
/// `--connect-timeout`, `--proxy`, `--cacert FILE`), into `session`.
fn credential_options(session: &mut Session, args: &RunArgs) -> Result<(), Diagnostic> {
    if let Some(path) = &args.creds.credentials {
        let saved = read_saved(path, session.env_name.as_deref())?;
        session.saved = Some(Arc::new(saved));
    }
    session.tls = client_options(args.insecure, &args.network)?;
    session.tls.roots = read_cacert(args.creds.cacert.as_deref())?;
    Ok(())
}

/// `--credentials FILE`, read and checked against `--env`.
fn read_saved(
    path: &std::path::Path,
    env: Option<&str>,
) -> Result<crate::auth::saved::Saved, Diagnostic> {
    use crate::auth::saved;
    let key = std::env::var(saved::KEY_VAR).ok().filter(|k| !k.is_empty());
    let read = saved::read(path, key.as_deref()).map_err(Diagnostic::new)?;
    if read.file.env.as_deref() != env {
        let saved_for = match &read.file.env {
            Some(e) => format!("--env {e}"),
            None => "no --env".to_string(),
        };
        return Err(Diagnostic::new(format!(
            "{} holds credentials logged in with {saved_for}",
            path.display()
        ))
        .with_hint("run with the --env the credentials were saved with"));
    }
    Ok(read)
}

fn check_flags(args: &RunArgs) -> Result<(Vec<ReportSpec>, Option<Shard>), Vec<Diagnostic>> {
    let reports = run_options::reports(&args.report).map_err(|d| vec![d])?;
    let shard = run_options::shard(args.shard.as_deref(), |k| std::env::var(k).ok())
        .map_err(|d| vec![d])?;
    if args.jobs == Some(0) {
        return Err(vec![Diagnostic::new("--jobs must be at least 1")]);
    }
    crate::http::body::set_max_body(args.max_body.unwrap_or(crate::http::body::DEFAULT_MAX_BODY));
    Ok((reports, shard))
}

/// The console writer, then one writer per `--report`.
fn writers(
    args: &RunArgs,
    out: &Output,
    reports: &[ReportSpec],
    files: &[FilePlan],
    jobs: usize,
    redactor: Arc<Redactor>,
) -> Result<Vec<Box<dyn Reporter>>, Diagnostic> {
    let mut writers: Vec<Box<dyn Reporter>> = Vec::new();
    let requests: usize = files.iter().map(|f| f.requests.len()).sum();
    let console = run_options::console(out, reports, requests, args);
    let sink = crate::runner::masked::MaskedWriter::new(console.sink, redactor);
    writers.push(Box::new(ConsoleReporter::new(
        Box::new(sink),
        ConsoleOptions {
            color: console.color,
            verbose: args.verbose,
            progress: console.progress,
            parallel: jobs > 1 && files.len() > 1,
            frozen_time: out.frozen_time,
        },
    )));
    for spec in reports {
        let w = crate::report::open(spec)
            .map_err(|e| Diagnostic::new(format!("cannot open report file: {e}")))?;
        writers.push(w);
    }
    Ok(writers)
}

/// Keeps the first write error; a closed pipe (`sesame run | head`) is the
/// reader's choice, not a failure of the run.
fn note(failed: &mut Option<std::io::Error>, result: std::io::Result<()>) {
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        failed.get_or_insert(e);
    }
}

/// How long the reporter waits for more events after writing a batch.
const BATCH_PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

/// The thread that feeds events to the writers; it ends when every sender
/// is dropped and returns the first write error.
fn spawn_reporter(
    writers: Vec<Box<dyn Reporter>>,
    rx: std::sync::mpsc::Receiver<Event>,
    redactor: Arc<Redactor>,
) -> std::thread::JoinHandle<Option<std::io::Error>> {
    std::thread::spawn(move || {
        let mut fan = PathOrder::new(Fanout(writers));
        let mut failed = None;
        // Output is buffered and written once per batch. After a batch the
        // thread pauses, unparked, before looking again: a busy run sends an
        // event every few tens of µs, and a parked receiver would cost each
        // of them a futex wake-up and a context switch. An empty look ends
        // the batch and parks until the next event, so nothing is held back
        // while the run waits on the network.
        while let Ok(first) = rx.recv() {
            let mut next = Some(first);
            let mut ended = false;
            while next.is_some() {
                while let Some(event) = next {
                    ended |= matches!(event, Event::RunEnd(_));
                    let event = crate::runner::masked::masked(event, &redactor);
                    note(&mut failed, fan.event(&event));
                    next = rx.try_recv().ok();
                }
                note(&mut failed, fan.flush());
                // Nothing follows the summary: the run is waiting to exit.
                if ended {
                    break;
                }
                std::thread::sleep(BATCH_PAUSE);
                next = rx.try_recv().ok();
            }
        }
        note(&mut failed, fan.finish());
        failed
    })
}

/// A proxy's user and password are secret: a server echoing the
/// `Proxy-Authorization` header, or a message quoting the proxy URL, must
/// not show them.
fn proxy_secrets(network: &crate::cli::args::NetworkArgs, redactor: &Redactor) {
    let env = [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|n| std::env::var(n).ok());
    for text in network.proxy.clone().into_iter().chain(env) {
        if let Ok(u) = url::Url::parse(&text)
            && let Some(pass) = u.password()
        {
            let decode = |s: &str| percent_decode(s);
            redactor.add_basic_pair(&decode(u.username()), &decode(pass));
        }
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Which proxy requests go through, for `--verbose`: the host only, never
/// the proxy's user and password.
fn proxy_note(network: &crate::cli::args::NetworkArgs) -> Option<String> {
    let shown = |text: &str| match url::Url::parse(text) {
        Ok(u) => format!(
            "{}://{}{}",
            u.scheme(),
            u.host_str().unwrap_or_default(),
            u.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        Err(_) => "(unparsable)".into(),
    };
    if let Some(p) = &network.proxy {
        return Some(format!("proxy: {} (--proxy)", shown(p)));
    }
    let env: Vec<String> = ["https", "http"]
        .iter()
        .filter_map(|s| crate::http::proxy_from_env(s))
        .map(|(var, value)| format!("{} (from {var})", shown(&value)))
        .collect();
    (!env.is_empty()).then(|| format!("proxy: {}", env.join(", ")))
}

/// The files to run; a selection that leaves nothing is an error (exit 2)
/// unless only `--shard` emptied it.
fn selected(
    all: Vec<FilePlan>,
    args: &RunArgs,
    shard: Option<(usize, usize)>,
    out: &Output,
) -> Result<Vec<FilePlan>, i32> {
    let tags: std::collections::BTreeSet<String> =
        all.iter().flat_map(|f| f.tags.clone()).collect();
    let total_files = all.len();
    let files = select(all, args, shard);
    if files.is_empty() {
        match crate::cli::empty_run::nothing_selected(args, total_files, &tags) {
            Ok(warning) => out.warn(&warning),
            Err(d) => return Err(print_diagnostics(out, &[d])),
        }
    }
    Ok(files)
}

/// `--tag`, `--filter`, `--shard`, in that order.
fn select(files: Vec<FilePlan>, args: &RunArgs, shard: Option<(usize, usize)>) -> Vec<FilePlan> {
    let mut files: Vec<FilePlan> = files
        .into_iter()
        .filter(|f| args.tag.is_empty() || f.tags.iter().any(|t| args.tag.contains(t)))
        .collect();
    if let Some(text) = &args.filter {
        files = files
            .into_iter()
            .filter_map(|mut f| {
                if f.name.contains(text.as_str()) || f.display.contains(text.as_str()) {
                    return Some(f);
                }
                f.requests.retain_named(text);
                (!f.requests.is_empty()).then_some(f)
            })
            .collect();
    }
    if let Some((k, n)) = shard {
        files = files
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, f)| f)
            .collect();
    }
    files
}

/// Inputs of each file: `--var`, else the default, else asked in a terminal;
/// every input that none of these gives is listed in one error.
fn resolve_inputs(
    files: &[FilePlan],
    session: &Session,
    interactive: bool,
) -> Result<Vec<HashMap<String, Value>>, Vec<Diagnostic>> {
    let mut all = Vec::new();
    let mut missing = Vec::new();
    let scope: Scope = session.base.with(session.cli_vars.clone());
    for f in files {
        let mut values = HashMap::new();
        for input in &f.inputs {
            if let Some(v) = session.cli_var_values.get(&input.name) {
                values.insert(input.name.clone(), v.clone());
                continue;
            }
            if let Some(d) = &input.default {
                match d.render(&scope) {
                    Ok(v) => {
                        values.insert(input.name.clone(), v);
                        continue;
                    }
                    Err(e) => {
                        missing.push(Diagnostic::in_file(
                            format!("input `{}`: default: {}", input.name, e.message),
                            &f.source.path,
                        ));
                        continue;
                    }
                }
            }
            if interactive {
                let label = input.description.as_deref().unwrap_or(&input.name);
                let term = console::Term::stderr();
                let _ = term.write_str(&format!("{label} ({}): ", input.name));
                match term.read_line() {
                    Ok(line) => {
                        values.insert(input.name.clone(), Value::String(line.trim().to_string()));
                        continue;
                    }
                    Err(e) => missing.push(Diagnostic::new(format!(
                        "could not read input `{}`: {e}",
                        input.name
                    ))),
                }
            } else {
                let about = input
                    .description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                missing.push(
                    Diagnostic::in_file(
                        format!("missing input `{}`{about}", input.name),
                        &f.source.path,
                    )
                    .with_hint(format!(
                        "pass --var {}=VALUE, or run in a terminal to be asked",
                        input.name
                    )),
                );
            }
        }
        all.push(values);
    }
    if missing.is_empty() {
        Ok(all)
    } else {
        Err(missing)
    }
}
