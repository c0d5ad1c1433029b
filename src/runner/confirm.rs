//! `confirm:`: a question asked on the terminal before a request is sent.

use crate::runner::runtime::Runtime;

/// Asks `question` (or takes `--yes`).
///
/// Errors: no terminal to ask on and no `--yes`, the answer was not yes,
/// or the terminal could not be read.
pub(crate) fn confirm(rt: &Runtime, question: &str) -> Result<(), String> {
    if rt.flags.yes {
        return Ok(());
    }
    if !rt.flags.interactive {
        return Err(format!(
            "this request asks \"{question}\" and there is no terminal to answer it: pass --yes to confirm"
        ));
    }
    let _guard = rt.auth.context().prompts.lock();
    let yes = crate::blocking::blocking(|| crate::prompt::ask_yes_no(question))
        .map_err(|e| format!("could not read the answer: {e}"))?;
    if yes {
        Ok(())
    } else {
        Err(format!("not confirmed: \"{question}\""))
    }
}
