//! Finds undefined variables before anything is sent: every template's
//! names are checked against what will be in scope where it renders.

use std::collections::{BTreeMap, BTreeSet};

use crate::template::Tpl;

/// The names in scope at one point of a file or profile.
#[derive(Clone, Debug, Default)]
pub(crate) struct Known {
    pub names: BTreeSet<String>,
    /// `secrets.NAME` entries, when a profile is in play.
    pub secrets: Option<BTreeSet<String>>,
    /// `auth.NAME` entries, when a profile is in play.
    pub auth: Option<BTreeSet<String>>,
}

/// The first name `tpl` reads that will not be defined, with a hint.
pub(crate) fn undefined(
    tpl: &Tpl,
    known: &Known,
    env_vars: &BTreeMap<String, Vec<String>>,
) -> Option<(String, String)> {
    for name in tpl.variables() {
        if !known.names.contains(&name) {
            return Some((
                format!("undefined variable `{name}`"),
                hint(&name, known, env_vars),
            ));
        }
    }
    for (group, members) in [("secrets", &known.secrets), ("auth", &known.auth)] {
        let Some(members) = members else { continue };
        for path in tpl.nested_names() {
            let mut parts = path.split('.');
            if parts.next() != Some(group) {
                continue;
            }
            if let Some(member) = parts.next()
                && !members.contains(member)
            {
                let list: Vec<&str> = members.iter().map(String::as_str).collect();
                let hint = match crate::diagnostic::did_you_mean(member, list.iter().copied()) {
                    Some(s) => format!("did you mean `{group}.{s}`?"),
                    None if list.is_empty() => format!("the profile defines no {group}"),
                    None => format!("the profile defines: {}", list.join(", ")),
                };
                return Some((format!("undefined variable `{group}.{member}`"), hint));
            }
        }
    }
    None
}

fn hint(name: &str, known: &Known, env_vars: &BTreeMap<String, Vec<String>>) -> String {
    if let Some(envs) = env_vars.get(name) {
        return format!(
            "`{name}` is defined in the environment{} {} of sesame.yaml: pass --env {}",
            if envs.len() > 1 { "s" } else { "" },
            envs.join(", "),
            envs[0]
        );
    }
    if (name == "secrets" || name == "auth") && known.secrets.is_none() {
        return format!("`{name}` is only in scope for requests that use a profile");
    }
    if let Some(s) = crate::diagnostic::did_you_mean(name, known.names.iter().map(String::as_str)) {
        return format!("did you mean `{s}`?");
    }
    "define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request".into()
}
