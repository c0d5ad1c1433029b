//! Questions asked on the terminal, in one place: a visible answer (inputs,
//! confirmations) or a hidden one (secrets). Questions go to standard
//! error, so standard output stays the command's own output.

use std::io::IsTerminal;

/// Standard input and standard error are both terminals: a question can be
/// asked and answered.
pub(crate) fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Writes `question` and reads one line, trimmed of surrounding blanks.
///
/// Errors: the terminal could not be written to or read from.
pub(crate) fn ask_line(question: &str) -> std::io::Result<String> {
    let term = console::Term::stderr();
    term.write_str(question)?;
    Ok(term.read_line()?.trim().to_string())
}

/// Asks `question` and reads the answer without echo, ending line breaks
/// removed.
///
/// Errors: the terminal could not be read, or the answer is empty.
pub(crate) fn ask_hidden(question: &str) -> Result<String, String> {
    let answer =
        rpassword::prompt_password(question).map_err(|err| format!("cannot read: {err}"))?;
    let answer = answer.trim_end_matches(['\n', '\r']);
    if answer.is_empty() {
        return Err("empty answer".to_string());
    }
    Ok(answer.to_string())
}

/// Asks a yes/no `question` (`[y/N]`, no by default).
///
/// Errors: the terminal could not be read.
pub(crate) fn ask_yes_no(question: &str) -> std::io::Result<bool> {
    let answer = ask_line(&format!("{question} [y/N] "))?;
    Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
}
