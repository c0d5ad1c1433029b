//! `sesame sandbox` and `sesame demo`. The demo's example project is built
//! into the binary (the same files as `profiles/` and `requests/` at the
//! repository root), so it works from any folder.

use std::path::{Path, PathBuf};

use crate::cli::args::{DemoArgs, RunArgs, SandboxArgs, ScopeArgs};
use crate::cli::output::Output;
use crate::cli::session::tokio_runtime;
use crate::exit;

/// The example project, path → contents.
pub(crate) const EXAMPLE_FILES: &[(&str, &str)] = &[
    ("sesame.yaml", include_str!("../../sesame.yaml")),
    (".env", include_str!("../../.env")),
    (
        "profiles/basicapp.yaml",
        include_str!("../../profiles/basicapp.yaml"),
    ),
    (
        "profiles/beyondtrust-psauth.yaml",
        include_str!("../../profiles/beyondtrust-psauth.yaml"),
    ),
    (
        "profiles/beyondtrust.yaml",
        include_str!("../../profiles/beyondtrust.yaml"),
    ),
    (
        "profiles/code42-api-client.yaml",
        include_str!("../../profiles/code42-api-client.yaml"),
    ),
    (
        "profiles/code42-basic.yaml",
        include_str!("../../profiles/code42-basic.yaml"),
    ),
    (
        "profiles/code42-jwt-totp.yaml",
        include_str!("../../profiles/code42-jwt-totp.yaml"),
    ),
    (
        "profiles/crashplan-totp.yaml",
        include_str!("../../profiles/crashplan-totp.yaml"),
    ),
    (
        "profiles/crisisworks.yaml",
        include_str!("../../profiles/crisisworks.yaml"),
    ),
    (
        "requests/01-code42-api-client.yaml",
        include_str!("../../requests/01-code42-api-client.yaml"),
    ),
    (
        "requests/02-code42-basic.yaml",
        include_str!("../../requests/02-code42-basic.yaml"),
    ),
    (
        "requests/03-code42-jwt-totp.yaml",
        include_str!("../../requests/03-code42-jwt-totp.yaml"),
    ),
    (
        "requests/04-crashplan-totp.yaml",
        include_str!("../../requests/04-crashplan-totp.yaml"),
    ),
    (
        "requests/05-crisisworks.yaml",
        include_str!("../../requests/05-crisisworks.yaml"),
    ),
    (
        "requests/06-basicapp.yaml",
        include_str!("../../requests/06-basicapp.yaml"),
    ),
    (
        "requests/07-beyondtrust.yaml",
        include_str!("../../requests/07-beyondtrust.yaml"),
    ),
    (
        "requests/08-beyondtrust-psauth.yaml",
        include_str!("../../requests/08-beyondtrust-psauth.yaml"),
    ),
    (
        "requests/90-onboarding.yaml",
        include_str!("../../requests/90-onboarding.yaml"),
    ),
];

/// The port the committed `sesame.yaml` points at.
const COMMITTED_ADDR: &str = "127.0.0.1:8080";

pub(crate) fn sandbox(args: &SandboxArgs, out: &Output) -> i32 {
    if args.fixtures {
        let base = format!("http://127.0.0.1:{}", args.port);
        out.say(sesame_sandbox::fixtures_text(&base).trim_end());
        return exit::OK;
    }
    let runtime = match tokio_runtime(false) {
        Ok(r) => r,
        Err(d) => {
            out.error(&d.title);
            return exit::FAILED;
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
            Ok(l) => l,
            Err(e) => {
                out.error(&format!("cannot listen on 127.0.0.1:{}: {e}", args.port));
                return exit::FAILED;
            }
        };
        let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
        err_line!("sandbox listening on http://{addr} (Ctrl-C stops it); `sesame sandbox --fixtures` lists the test users and secrets");
        if let Some(root) = args.root {
            err_line!("{root} is also served at http://{addr}/");
        }
        let shutdown = async {
            crate::signal::interrupted().await;
        };
        match sesame_sandbox::serve(listener, args.root, shutdown).await {
            Ok(()) => exit::OK,
            Err(e) => {
                out.error(&format!("sandbox stopped: {e}"));
                exit::FAILED
            }
        }
    })
}

/// Writes the example project into `dir`, pointing its sandbox environment at `addr`.
pub fn write_example(dir: &Path, addr: &str) -> std::io::Result<()> {
    for (rel, text) in EXAMPLE_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = if *rel == "sesame.yaml" {
            text.replace(COMMITTED_ADDR, addr)
        } else {
            text.to_string()
        };
        std::fs::write(path, text)?;
    }
    Ok(())
}

pub(crate) fn demo(args: &DemoArgs, out: &Output) -> i32 {
    let runtime = match tokio_runtime(false) {
        Ok(r) => r,
        Err(d) => {
            out.error(&d.title);
            return exit::FAILED;
        }
    };
    let sandbox = match runtime.block_on(sesame_sandbox::Sandbox::start(0)) {
        Ok(s) => s,
        Err(e) => {
            out.error(&format!("cannot start the sandbox: {e}"));
            return exit::FAILED;
        }
    };
    let addr = sandbox.addr().to_string();
    let temp;
    let dir: PathBuf = match &args.keep {
        Some(d) => d.clone(),
        None => match tempfile::Builder::new().prefix("sesame-demo-").tempdir() {
            Ok(d) => {
                temp = d;
                temp.path().to_path_buf()
            }
            Err(e) => {
                out.error(&format!("cannot create a temporary folder: {e}"));
                return exit::FAILED;
            }
        },
    };
    if let Err(e) = write_example(&dir, &addr) {
        out.error(&format!(
            "cannot write the example project to {}: {e}",
            dir.display()
        ));
        return exit::FAILED;
    }
    if let Err(e) = std::env::set_current_dir(&dir) {
        out.error(&format!("cannot enter {}: {e}", dir.display()));
        return exit::FAILED;
    }
    err_line!("sandbox on http://{addr}; running the example project with --env sandbox");
    let code = crate::cli::run_cmd::run(
        &RunArgs {
            scope: ScopeArgs {
                env: Some("sandbox".into()),
                ..ScopeArgs::default()
            },
            verbose: args.verbose,
            yes: true,
            // The sandbox is new every time: so are its tokens and TOTP records.
            no_cache: true,
            fresh_totp_ledger: true,
            ..RunArgs::default()
        },
        out,
    );
    runtime.block_on(sandbox.shutdown());
    if args.keep.is_some() {
        err_line!(
            "the example project is in {}; run it again with `sesame sandbox` and `sesame run --env sandbox` there",
            dir.display()
        );
    }
    code
}
