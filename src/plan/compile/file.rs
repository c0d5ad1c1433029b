//! A request file: its vars and inputs, then its requests streamed one at a
//! time, each checked against the names defined before it.

use std::path::Path;

use super::profile::profile_ref;
use super::{At, Compiler};
use crate::diagnostic::{Diagnostic, display_path};
use crate::plan::scope_check::Known;
use crate::plan::{FilePlan, InputPlan, ProfileRef, RequestPlan, Requests};
use crate::source::load::SourceFile;
use crate::source::model::{Loc, RequestCount, RequestFile, RequestSpec};
use crate::template::TplValue;

/// What a file's head gives its requests: compiled vars and inputs, the
/// default profile, and the names defined before the first request.
pub(super) struct Head {
    pub vars: Vec<(String, TplValue)>,
    pub inputs: Vec<InputPlan>,
    pub default_profile: Option<ProfileRef>,
    pub known: Known,
}

impl Compiler {
    pub(super) fn file_head(&mut self, at: &At, model: &RequestFile<RequestCount>) -> Head {
        let mut known = Known {
            names: self.inputs.base_names.clone(),
            ..Known::default()
        };
        let mut vars = Vec::new();
        for (name, node) in &model.vars {
            if let Some(v) = self.value(at, node, &known) {
                vars.push((name.clone(), v));
            }
            known.names.insert(name.clone());
        }
        let mut inputs = Vec::new();
        for (name, spec) in &model.inputs {
            let default = spec
                .default
                .as_ref()
                .and_then(|node| self.value(at, node, &known));
            inputs.push(InputPlan {
                name: name.clone(),
                description: spec.description.clone(),
                default,
            });
        }
        for input in &inputs {
            known.names.insert(input.name.clone());
        }
        let default_profile = match (&self.inputs.profile_override, &model.profile) {
            (Some(p), _) => Some(profile_ref(p)),
            (None, Some(p)) => {
                self.check_profile_exists(at, p);
                Some(profile_ref(&p.value))
            }
            (None, None) => None,
        };
        Head {
            vars,
            inputs,
            default_profile,
            known,
        }
    }

    pub(super) fn file_plan(
        &mut self,
        file: SourceFile,
        model: RequestFile<RequestCount>,
        capacity: usize,
    ) -> Option<FilePlan> {
        let display = display_path(&file.path);
        let at = At::new(&file, &display);
        let before = self.errors.len();
        let head = self.file_head(&at, &model);
        let mut known = head.known.clone();
        let mut requests = Vec::with_capacity(capacity);
        // Read again, one request at a time: each is compiled before the
        // next is parsed, so the file's parsed form is never whole.
        let mut i = 0;
        let streamed = crate::source::load::stream_list(
            &file,
            "a request file",
            "requests",
            |spec: Loc<Box<RequestSpec>>| {
                requests.extend(self.compile_request(
                    &at,
                    &spec,
                    i,
                    &head.default_profile,
                    &mut known,
                ));
                i += 1;
            },
        );
        if let Err(d) = streamed {
            self.errors.push(d);
        } else if i == 0 {
            self.errors.push(no_requests(&file.path));
        }
        if self.errors.len() > before {
            return None;
        }
        Some(FilePlan {
            display,
            name: model.name.clone().unwrap_or_else(|| stem(&file.path)),
            tags: model.tags,
            vars: head.vars,
            inputs: head.inputs,
            requests: Requests::Held(requests),
            source: file,
        })
    }

    /// Compiles the `i`-th request of a file; its captures join `known`.
    pub(super) fn compile_request(
        &mut self,
        at: &At,
        spec: &Loc<Box<RequestSpec>>,
        i: usize,
        default_profile: &Option<ProfileRef>,
        known: &mut Known,
    ) -> Option<RequestPlan> {
        let profile = match &spec.value.profile {
            Some(p) => {
                self.check_profile_exists(at, p);
                Some(profile_ref(&p.value))
            }
            None => default_profile.clone(),
        };
        let mut req_known = known.clone();
        if let Some(ProfileRef::Named(name)) = &profile
            && let Some(p) = self.profile(name, None)
        {
            req_known.secrets = Some(p.secrets.iter().map(|(n, _)| n.clone()).collect());
            req_known.auth = Some(p.capture_names().into_iter().collect());
            req_known.names.insert("secrets".into());
            req_known.names.insert("auth".into());
        }
        if let Some(mut plan) = self.request(at, spec, i, &mut req_known) {
            plan.profile = profile;
            for c in &plan.captures {
                known.names.insert(c.name.clone());
            }
            Some(plan)
        } else {
            for (name, _) in &spec.value.capture {
                known.names.insert(name.clone());
            }
            None
        }
    }
}

pub(super) fn no_requests(path: &Path) -> Diagnostic {
    Diagnostic::in_file("a request file needs at least one request", path)
        .with_hint("add `requests:` with a list of requests")
}

pub(super) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
