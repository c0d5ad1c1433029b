//! `sesame run` options that need more than clap: `--report` (kinds,
//! standard output, one writer per path) and `--shard` (`K/N` or `auto`).

use std::path::PathBuf;

use crate::cli::args::RunArgs;
use crate::cli::output::Output;
use crate::diagnostic::Diagnostic;
use crate::report::{ReportSpec, Sink};

/// The parsed `--report` values, in order.
///
/// Errors (exit 2): an unknown kind or a missing path; two reports to the
/// same path (`-` included), which would overwrite each other.
pub(crate) fn reports(raw: &[String]) -> Result<Vec<ReportSpec>, Diagnostic> {
    let mut specs: Vec<ReportSpec> = Vec::new();
    for text in raw {
        let spec: ReportSpec = text.parse().map_err(|e| {
            Diagnostic::new(e).with_hint("write --report junit:PATH, json:PATH or tap:PATH")
        })?;
        if let Some(earlier) = specs.iter().find(|s| same_path(s, &spec)) {
            let target = if spec.is_stdout() {
                "standard output".to_string()
            } else {
                format!("`{}`", spec.path().display())
            };
            return Err(Diagnostic::new(format!(
                "--report {earlier} and --report {spec} both write to {target}"
            ))
            .with_hint("give each report its own path; `-` (standard output) takes one"));
        }
        specs.push(spec);
    }
    Ok(specs)
}

fn same_path(a: &ReportSpec, b: &ReportSpec) -> bool {
    let absolute = |s: &ReportSpec| -> PathBuf {
        std::path::absolute(s.path()).unwrap_or_else(|_| s.path().to_path_buf())
    };
    a.is_stdout() == b.is_stdout() && absolute(a) == absolute(b)
}

/// `--shard K/N` as `(K, N)`, 1-based; `auto` reads GitLab CI's
/// `CI_NODE_INDEX` and `CI_NODE_TOTAL` through `var` (name → value).
///
/// Errors (exit 2): not `K/N` with `1 <= K <= N`; `auto` outside a
/// parallel CI job, or with values that are not such a pair.
pub(crate) fn shard(
    raw: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(usize, usize)>, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    if raw != "auto" {
        return parse_shard(raw).map(Some).map_err(|e| {
            Diagnostic::new(e).with_hint("write --shard K/N with 1 <= K <= N, e.g. --shard 2/4")
        });
    }
    let (Some(index), Some(total)) = (var("CI_NODE_INDEX"), var("CI_NODE_TOTAL")) else {
        return Err(
            Diagnostic::new("--shard auto: CI_NODE_INDEX and CI_NODE_TOTAL are not set").with_hint(
                "GitLab CI sets them in jobs with `parallel: N`; elsewhere write --shard K/N",
            ),
        );
    };
    parse_shard(&format!("{index}/{total}"))
        .map(Some)
        .map_err(|_| {
            Diagnostic::new(format!(
            "--shard auto: CI_NODE_INDEX={index} and CI_NODE_TOTAL={total} are not a slice K of N"
        ))
        .with_hint("both must be whole numbers with 1 <= CI_NODE_INDEX <= CI_NODE_TOTAL")
        })
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let invalid = || format!("invalid --shard `{s}`");
    let (k, n) = s.split_once('/').ok_or_else(invalid)?;
    let k: usize = k.trim().parse().map_err(|_| invalid())?;
    let n: usize = n.trim().parse().map_err(|_| invalid())?;
    if n == 0 || k == 0 || k > n {
        return Err(invalid());
    }
    Ok((k, n))
}

/// Where the console report goes and how it looks.
pub(crate) struct ConsoleTarget {
    /// Standard output, or standard error when a report takes standard output.
    pub sink: Sink,
    /// Colour, decided for the stream the console writes to.
    pub color: bool,
    /// Whether to offer a progress bar (see [`crate::report::ConsoleOptions`]).
    pub progress: bool,
}

/// The console's stream: standard error when a `--report KIND:-` writes to
/// standard output. The progress bar is offered on a terminal for every run
/// of more than one request, except with `--verbose` and `--dry-run`; the
/// console shows it only once the run has lasted [`crate::report::console::PROGRESS_DELAY`].
pub(crate) fn console(
    out: &Output,
    reports: &[ReportSpec],
    requests: usize,
    args: &RunArgs,
) -> ConsoleTarget {
    let to_stderr = reports.iter().any(ReportSpec::is_stdout);
    let sink: Sink = if to_stderr {
        Box::new(std::io::BufWriter::new(std::io::stderr()))
    } else {
        Box::new(std::io::BufWriter::new(std::io::stdout()))
    };
    ConsoleTarget {
        sink,
        color: if to_stderr { out.err_color } else { out.color },
        progress: out.stderr_terminal && requests > 1 && !args.verbose && !args.dry_run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn shard_auto_reads_gitlab_variables() {
        let vars = env(&[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "3")]);
        assert_eq!(shard(Some("auto"), vars).unwrap(), Some((2, 3)));
        assert_eq!(shard(Some("1/4"), env(&[])).unwrap(), Some((1, 4)));
        assert_eq!(shard(None, env(&[])).unwrap(), None);
    }

    #[test]
    fn shard_auto_outside_ci_is_an_error() {
        let e = shard(Some("auto"), env(&[])).unwrap_err();
        assert_eq!(
            e.title,
            "--shard auto: CI_NODE_INDEX and CI_NODE_TOTAL are not set"
        );
        let vars = env(&[("CI_NODE_INDEX", "0"), ("CI_NODE_TOTAL", "3")]);
        assert!(shard(Some("auto"), vars).is_err());
        assert!(shard(Some("5/4"), env(&[])).is_err());
    }

    #[test]
    fn two_reports_to_one_path_are_refused() {
        let raw = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(reports(&raw(&["junit:a.xml", "json:-"])).unwrap().len(), 2);
        let e = reports(&raw(&["junit:-", "tap:-"])).unwrap_err();
        assert_eq!(
            e.title,
            "--report junit:- and --report tap:- both write to standard output"
        );
        assert!(reports(&raw(&["junit:out/a.xml", "json:./out/a.xml"])).is_err());
    }
}
