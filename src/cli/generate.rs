//! `sesame completions SHELL` and `sesame man`: both generated from the
//! clap definitions in [`crate::cli::args`], so they never drift from the
//! options the binary really takes.

use std::io::Write as _;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::args::Cli;
use crate::exit;

/// Writes the completion script for `shell` to standard output; exit 0, or
/// 1 when standard output cannot be written.
pub(crate) fn completions(shell: Shell) -> i32 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "sesame", &mut buf);
    write_stdout(&buf)
}

/// Writes the man page, section 1, as roff to standard output; exit 0.
pub(crate) fn man() -> i32 {
    write_stdout(man_page().as_bytes())
}

/// What the man page says about the environment, beyond the options.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "With --color auto (the default), a non-empty value turns colour off.",
    ),
    (
        "CLICOLOR_FORCE, FORCE_COLOR",
        "With --color auto, a non-empty value other than 0 turns colour on, even in a pipe.",
    ),
    (
        "CI_NODE_INDEX, CI_NODE_TOTAL",
        "Read by --shard auto: this job's slice (1-based) and the number of slices, as GitLab CI's parallel: sets them.",
    ),
    (
        "SESAME_CACHE_DIR",
        "Folder of the credential cache (default: the platform's user cache folder).",
    ),
];

/// The man page as roff: the top-level page, then one section per
/// subcommand with its synopsis and options, the examples, the
/// environment and the exit status.
pub(crate) fn man_page() -> String {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = man
        .render_title(&mut buf)
        .and_then(|()| man.render_name_section(&mut buf))
        .and_then(|()| man.render_synopsis_section(&mut buf))
        .and_then(|()| man.render_description_section(&mut buf))
        .and_then(|()| man.render_options_section(&mut buf));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_subcommand(&mut buf, sub);
    }
    let mut page = dedupe_preamble(&String::from_utf8_lossy(&buf));
    if let Some(help) = cmd.get_after_help() {
        page.push_str(".SH EXAMPLES\n.nf\n");
        page.push_str(&roff_text(&help.to_string()));
        page.push_str("\n.fi\n");
    }
    page.push_str(".SH ENVIRONMENT\n");
    for (name, text) in ENVIRONMENT {
        page.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_text(name),
            roff_text(text)
        ));
    }
    page
}

/// One `SESAME RUN`-style section: the subcommand's synopsis and options.
fn render_subcommand(buf: &mut Vec<u8>, sub: &clap::Command) {
    let name = format!("sesame {}", sub.get_name());
    let man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
    let mut section = Vec::new();
    let _ = man
        .render_synopsis_section(&mut section)
        .and_then(|()| man.render_options_section(&mut section));
    // Each part starts with its own `.SH`; one heading names the subcommand.
    let mut text = String::from_utf8_lossy(&section)
        .replace(".SH SYNOPSIS", &format!(".SH \"{}\"", name.to_uppercase()))
        .replace(".SH OPTIONS\n", "");
    if let Some(about) = sub.get_about() {
        let heading = text.find(".SH ").unwrap_or(0);
        let heading_end = text[heading..]
            .find('\n')
            .map_or(text.len(), |i| heading + i + 1);
        text.insert_str(
            heading_end,
            &format!("{}\n.PP\n", roff_text(&about.to_string())),
        );
    }
    if let Some(help) = sub.get_after_long_help() {
        text.push_str(&format!(
            ".PP\n.nf\n{}\n.fi\n",
            roff_text(&help.to_string())
        ));
    }
    buf.extend_from_slice(text.as_bytes());
}

/// clap_mangen repeats its two-line quote-string definition before every
/// section; one copy, at the top, is enough.
fn dedupe_preamble(page: &str) -> String {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    match page.find(PREAMBLE) {
        Some(i) => {
            let (head, tail) = page.split_at(i + PREAMBLE.len());
            format!("{head}{}", tail.replace(PREAMBLE, ""))
        }
        None => page.to_string(),
    }
}

/// `text` with roff's special characters escaped, so no line starts a request.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e").replace('-', "\\-");
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_stdout(buf: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`sesame man | head`) ends the output quietly.
    let _ = out.write_all(buf).and_then(|()| out.flush());
    exit::OK
}
