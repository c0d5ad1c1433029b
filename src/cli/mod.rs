//! The command line: clap structs in `args`, their resolution in `session`,
//! one module per command that needs more than a few lines.

pub(crate) mod args;
pub(crate) mod color;
pub(crate) mod curl;
pub(crate) mod demo;
pub(crate) mod empty_run;
pub(crate) mod generate;
pub(crate) mod login_cmd;
pub(crate) mod output;
pub(crate) mod run_cmd;
pub(crate) mod run_options;
pub(crate) mod session;
pub(crate) mod tools;

use clap::Parser;

use crate::exit;
use args::{CacheAction, Cli, Command};
use output::Output;

pub(crate) fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::INVALID
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let out = Output::detect(cli.color);
    match cli.command {
        Command::Run(mut a) => {
            a.scope.search_from = a.paths.first().cloned();
            run_cmd::run(&a, &out)
        }
        Command::Validate(mut a) => {
            a.scope.search_from = a.paths.first().cloned();
            run_cmd::validate(&a, &out)
        }
        Command::Completions(a) => generate::completions(a.shell),
        Command::Man => generate::man(),
        Command::Token(a) => tools::token(&a, &out),
        Command::Totp(a) => tools::totp(&a, &out),
        Command::Curl(mut a) => {
            a.scope.search_from = Some(a.file.clone());
            tools::curl(&a, &out)
        }
        Command::Schema(a) => tools::schema(&a, &out),
        Command::Sandbox(a) => demo::sandbox(&a, &out),
        Command::Demo(a) => demo::demo(&a, &out),
        Command::Login(a) => login_cmd::login(&a, &out),
        Command::Cache(a) => match a.action {
            CacheAction::Clear => match crate::auth::cache::clear() {
                Ok(Some((dir, removed))) => {
                    let files = crate::text::count(removed, "file");
                    out.say(&format!("cleared {} ({files} of sesame's)", dir.display()));
                    exit::OK
                }
                Ok(None) => {
                    out.say("no cache folder on this system");
                    exit::OK
                }
                Err(e) => {
                    out.error(&format!("could not clear the cache: {e}"));
                    exit::FAILED
                }
            },
            CacheAction::Path => {
                match crate::auth::cache::cache_dir() {
                    Some(d) => out.say(&d.display().to_string()),
                    None => out.say("no cache folder on this system"),
                }
                exit::OK
            }
        },
    }
}
