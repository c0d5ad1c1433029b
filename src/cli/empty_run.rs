//! A run that would send nothing: no request files, or a `--tag` or
//! `--filter` that selects none of them. Like a test runner that collects
//! no tests, sesame does not call that a pass: it is exit 2, so a CI job
//! with a typo in its tag goes red. A shard left empty by `--shard` is
//! normal (more shards than files) and only warned about.

use std::collections::BTreeSet;

use crate::cli::args::RunArgs;
use crate::diagnostic::Diagnostic;
use crate::text::excerpt;

/// Why nothing was selected: an error, or a warning when only `--shard`
/// left this job without files.
pub(crate) fn nothing_selected(
    args: &RunArgs,
    total_files: usize,
    tags: &BTreeSet<String>,
) -> Result<String, Diagnostic> {
    if total_files == 0 {
        let place = match args.paths.as_slice() {
            [] => "requests/".to_string(),
            paths => paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        };
        return Err(
            Diagnostic::new(format!("no request files in {}", excerpt(&place, 200))).with_hint(
                "add a .yaml file with `requests:`, or name the files or folders to run",
            ),
        );
    }
    let mut given = Vec::new();
    if !args.tag.is_empty() {
        let list: Vec<String> = args
            .tag
            .iter()
            .map(|t| format!("`{}`", excerpt(t, 60)))
            .collect();
        given.push(format!("--tag {}", list.join(", ")));
    }
    if let Some(f) = &args.filter {
        given.push(format!("--filter `{}`", excerpt(f, 60)));
    }
    if given.is_empty() {
        return Ok(format!(
            "shard {} has no files: {} split across the shards",
            args.shard.as_deref().unwrap_or_default(),
            crate::text::count(total_files, "file")
        ));
    }
    let hint = if args.tag.is_empty() {
        "--filter matches file names, paths and request names".to_string()
    } else if tags.is_empty() {
        "no file has `tags:`; --filter matches file and request names".to_string()
    } else {
        let list: Vec<&str> = tags.iter().map(String::as_str).collect();
        format!("tags in these files: {}", excerpt(&list.join(", "), 300))
    };
    Err(Diagnostic::new(format!(
        "nothing to run: no request matches {}",
        given.join(" and ")
    ))
    .with_hint(hint))
}
