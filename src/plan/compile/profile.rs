//! Auth profiles: found by name in the profiles folder, compiled once on
//! first use, shared by every file that names them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::file::stem;
use super::{At, Compiler};
use crate::diagnostic::{did_you_mean, display_path};
use crate::duration::BareUnit;
use crate::plan::scope_check::Known;
use crate::plan::{ProfilePlan, ProfileRef, RequestPlan, oauth2};
use crate::secret::source::SecretSource;
use crate::source::load::{SourceFile, parse};
use crate::source::model::{Loc, Node, ProfileFile};
use crate::template::Tpl;

impl Compiler {
    pub(super) fn check_profile_exists(&mut self, at: &At, p: &Loc<String>) {
        if p.value == "none" || self.profiles.contains_key(&p.value) {
            return;
        }
        if profile_path(&self.inputs.profiles_dir, &p.value).is_none() {
            let names = list_profiles(&self.inputs.profiles_dir);
            let hint = match did_you_mean(&p.value, names.iter().map(String::as_str)) {
                _ if p.value.contains(['/', '\\']) => {
                    "a profile is named by its file name in the profiles folder, without folders"
                        .to_string()
                }
                Some(s) => format!("did you mean `{s}`?"),
                None if names.is_empty() => format!(
                    "no profiles found in {}; create {}/{}.yaml",
                    display_path(&self.inputs.profiles_dir),
                    display_path(&self.inputs.profiles_dir),
                    p.value
                ),
                None => format!("profiles: {}", names.join(", ")),
            };
            self.errors.push(
                at.err(
                    format!("unknown profile `{}`", crate::text::excerpt(&p.value, 80)),
                    &p.referenced,
                )
                .with_hint(hint),
            );
            self.profiles.insert(p.value.clone(), None);
        }
    }

    /// The compiled profile `name`, loading it on first use.
    pub(super) fn profile(&mut self, name: &str, _from: Option<&At>) -> Option<Arc<ProfilePlan>> {
        if let Some(p) = self.profiles.get(name) {
            return p.clone();
        }
        self.profiles.insert(name.to_string(), None);
        let path = profile_path(&self.inputs.profiles_dir, name)?;
        let file = match SourceFile::read(&path) {
            Ok(f) => f,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let model: ProfileFile = match parse(&file, "a profile") {
            Ok(m) => m,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let plan = self.profile_plan(name, file, model).map(Arc::new);
        self.profiles.insert(name.to_string(), plan.clone());
        plan
    }

    fn profile_plan(
        &mut self,
        name: &str,
        file: SourceFile,
        model: ProfileFile,
    ) -> Option<ProfilePlan> {
        let display = display_path(&file.path);
        let at = At::new(&file, &display);
        let before = self.errors.len();
        let secrets = self.secrets(&at, &model);
        let mut known = Known {
            names: self.inputs.base_names.clone(),
            secrets: Some(secrets.iter().map(|(n, _)| n.clone()).collect()),
            auth: None,
        };
        known.names.insert("secrets".into());
        let login = self.login_steps(&at, &model, &mut known);
        let oauth2 = self.oauth2_block(&at, &model, &mut known);
        self.check_headers(&at, &model.apply.headers);
        let mut apply_headers = self.header_tpls(&at, &model.apply.headers, &known);
        if oauth2::applies_default(&model) {
            apply_headers.push(oauth2::default_apply(self.engine));
        }
        self.check_query(&at, &model.apply.query);
        let apply_query = self.named_values(&at, &model.apply.query, &known);
        let apply_basic = model
            .apply
            .basic
            .as_ref()
            .and_then(|b| self.basic(&at, b, &known));
        // Logout steps may capture too, but their names stay among themselves.
        let mut logout_known = known.clone();
        let logout = model
            .logout
            .iter()
            .enumerate()
            .filter_map(|(i, step)| self.request(&at, step, i, &mut logout_known))
            .collect();
        let hosts = model
            .hosts
            .iter()
            .filter_map(|h| {
                let t = self.tpl(&at, h, &known)?;
                self.check_host(&at, &t, h);
                Some(t)
            })
            .collect();
        let expires_in = model
            .expires_in
            .as_ref()
            .and_then(|node| self.expires_in(&at, node, &known));
        let ttl = model
            .ttl
            .as_ref()
            .and_then(|n| self.duration(&at, n, BareUnit::Seconds));
        if self.errors.len() > before {
            return None;
        }
        Some(ProfilePlan {
            name: name.to_string(),
            description: model.description,
            secrets,
            login,
            logout,
            apply_headers,
            apply_query,
            apply_cookies: model.apply.cookies,
            apply_basic,
            hosts,
            expires_in,
            ttl,
            cache: model.cache.unwrap_or(true),
            oauth2,
            tls: model.tls.as_ref().map(|t| {
                let dir = file.path.parent().unwrap_or(Path::new("."));
                oauth2::tls(&t.value, dir)
            }),
            source: file,
        })
    }

    /// A profile's `oauth2:` block (issue 10): its values are templates in
    /// the profile's scope; it replaces `login:` steps, and the token
    /// response's fields become names `apply:` may use.
    fn oauth2_block(
        &mut self,
        at: &At,
        model: &ProfileFile,
        known: &mut Known,
    ) -> Option<oauth2::OAuth2Plan> {
        let spec = model.oauth2.as_ref()?;
        if !model.login.is_empty() {
            self.errors.push(at.err(
                "a profile has `login:` steps or `oauth2:`, not both",
                &spec.referenced,
            ));
        }
        let mut missing = Vec::new();
        let seen = known.clone();
        let tpl = |n: &Node, what: &str| self.scalar_tpl(at, n, &seen, what);
        let plan = oauth2::compile(&spec.value, tpl, &mut missing);
        for m in missing {
            self.errors.push(at.err(m, &spec.referenced));
        }
        known.names.extend(oauth2::TOKEN_FIELDS.map(String::from));
        plan
    }

    /// The profile's secrets, each source checked to name somewhere to read from.
    fn secrets(&mut self, at: &At, model: &ProfileFile) -> Vec<(String, SecretSource)> {
        for (k, v) in &model.secrets {
            if let Err(e) = crate::secret::source::check(&v.value) {
                self.errors.push(
                    at.err(format!("secret `{k}`: {e}"), &v.referenced)
                        .with_hint("give at least one of env, file, command, prompt"),
                );
            } else {
                self.check_secret_file(at, k, v);
            }
        }
        model
            .secrets
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    /// Login steps in order, each seeing the captures of the steps before it.
    fn login_steps(&mut self, at: &At, model: &ProfileFile, known: &mut Known) -> Vec<RequestPlan> {
        let mut login = Vec::new();
        for (i, step) in model.login.iter().enumerate() {
            if step.value.profile.is_some() {
                self.errors
                    .push(at.err("a login step cannot name a profile", &step.referenced));
            }
            if let Some(plan) = self.request(at, step, i, known) {
                login.push(plan);
            }
            for (c, _) in &step.value.capture {
                known.names.insert(c.clone());
            }
        }
        login
    }

    /// `expires_in:`: seconds, written as a number or a template.
    fn expires_in(&mut self, at: &At, node: &Node, known: &Known) -> Option<Tpl> {
        if !matches!(node.value, Value::String(_) | Value::Number(_)) {
            self.errors.push(at.err(
                "`expires_in` must be a number of seconds or a template",
                &node.referenced,
            ));
            return None;
        }
        let t = self.scalar_tpl(at, node, known, "`expires_in`")?;
        self.check_expires_in(at, &t, node);
        Some(t)
    }
}

pub(super) fn profile_ref(name: &str) -> ProfileRef {
    if name == "none" {
        ProfileRef::None
    } else {
        ProfileRef::Named(name.to_string())
    }
}

/// `DIR/NAME.yaml` or `DIR/NAME.yml`, if present.
pub(crate) fn profile_path(dir: &Path, name: &str) -> Option<PathBuf> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    // Anything by that name counts: a folder or a named pipe is then
    // reported as what it is when it is read, not as a missing profile.
    ["yaml", "yml"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.symlink_metadata().is_ok())
}

/// Names of the profiles in `dir`, sorted.
pub(crate) fn list_profiles(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| crate::source::project::is_yaml(p))
        .map(|p| stem(&p))
        .collect();
    names.sort();
    names.dedup();
    names
}
