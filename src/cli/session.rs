//! The resolved configuration of one command: the project, the chosen
//! environment rendered once, `--var` values, and the base template scope.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::cli::args::ScopeArgs;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::duration::{self, BareUnit};
use crate::plan::Inputs;
use crate::source::model::Node;
use crate::source::project::Project;
use crate::template::{Engine, Layer, Scope, Tpl, from_json, layer};

pub(crate) struct Session {
    pub project: Project,
    pub env_name: Option<String>,
    /// `env` and the environment's variables.
    pub base: Scope,
    pub cli_vars: Layer,
    pub cli_var_values: BTreeMap<String, Value>,
    pub inputs: Inputs,
    pub default_headers: Vec<(String, Tpl)>,
    pub default_timeout: Duration,
    /// The environment's rendered variables as text: part of credential cache keys.
    pub env_fingerprint: String,
    pub env_map: Arc<BTreeMap<String, String>>,
    /// `run --credentials FILE`, read: used instead of logging in.
    pub saved: Option<Arc<crate::auth::saved::Saved>>,
    /// `--insecure` and `--cacert`: how every client of the command checks servers.
    pub tls: crate::http::ClientOptions,
}

impl Session {
    pub(crate) fn new(
        args: &ScopeArgs,
        profile_override: Option<String>,
        engine: Engine,
    ) -> Result<Session, Vec<Diagnostic>> {
        let cwd = std::env::current_dir().map_err(|e| {
            vec![Diagnostic::new(format!(
                "cannot read the current folder: {e}"
            ))]
        })?;
        let project = Project::discover(&cwd, args.search_from.as_deref()).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let cli_var_values = parse_vars(&args.vars).map_err(|d| vec![d])?;
        let env_map = Arc::new(project.env.clone());
        let env_value = from_json(&serde_json::to_value(&*env_map).unwrap_or_default());
        let env_layer = layer([("env", env_value)]);
        let mut base = Scope::new().with(env_layer);
        let mut env_fingerprint = String::new();
        let environments = &project.config.environments;
        let mut base_names: std::collections::BTreeSet<String> = ["env".to_string()].into();
        if let Some(name) = &args.env {
            match environments.get(name) {
                None => errors.push(unknown_environment(name, &project)),
                Some(vars) => {
                    let env = render_environment(engine, &project, name, vars, &base);
                    errors.extend(env.errors);
                    env_fingerprint = env.fingerprint;
                    base_names.extend(env.vars.keys().cloned());
                    base = base.with(Arc::new(env.vars));
                }
            }
        }
        let mut env_vars: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (env, vars) in environments {
            for k in vars.keys() {
                env_vars.entry(k.clone()).or_default().push(env.clone());
            }
        }
        for k in cli_var_values.keys() {
            base_names.insert(k.clone());
        }
        let cli_vars = Arc::new(
            cli_var_values
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        );
        let default_headers = default_headers(engine, &project, &mut errors);
        let default_timeout = default_timeout(&project, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let profiles_dir: PathBuf = project.profiles_dir(args.profiles.as_deref());
        Ok(Session {
            env_name: args.env.clone(),
            base,
            cli_vars,
            cli_var_values,
            inputs: Inputs {
                base_names,
                env_vars,
                profiles_dir,
                profile_override,
                env_names: Some(env_map.keys().cloned().collect()),
            },
            default_headers,
            default_timeout,
            env_fingerprint,
            env_map,
            saved: None,
            tls: crate::http::ClientOptions::default(),
            project,
        })
    }
}

/// The environment's variables, each rendered with the ones before it.
struct RenderedEnv {
    vars: HashMap<String, minijinja::Value>,
    /// `name=value` lines: part of credential cache keys.
    fingerprint: String,
    errors: Vec<Diagnostic>,
}

fn render_environment(
    engine: Engine,
    project: &Project,
    name: &str,
    vars: &IndexMap<String, Node>,
    base: &Scope,
) -> RenderedEnv {
    let mut env = RenderedEnv {
        vars: HashMap::new(),
        fingerprint: String::new(),
        errors: Vec::new(),
    };
    let events = crate::source::written::Events::default();
    for (k, node) in vars {
        let scope = base.with(Arc::new(env.vars.clone()));
        let value = match project.config_file.as_ref() {
            Some(f) => events.value(&f.text, node),
            None => node.value.clone(),
        };
        let result = engine
            .compile_value(&value)
            .and_then(|tv| tv.render(&scope));
        match result {
            Ok(v) => {
                env.fingerprint.push_str(&format!("{k}={v}\n"));
                env.vars.insert(k.clone(), from_json(&v));
            }
            Err(e) => {
                let mut d = match project.config_file.as_ref() {
                    Some(f) => f.error_at(
                        format!("environment {name}, `{k}`: {}", e.message),
                        &node.referenced,
                    ),
                    None => Diagnostic::new(e.message.clone()),
                };
                if let Some(h) = e.hint {
                    d = d.with_hint(h);
                }
                env.errors.push(d);
            }
        }
    }
    env
}

fn unknown_environment(name: &str, project: &Project) -> Diagnostic {
    let environments = &project.config.environments;
    let names: Vec<&str> = environments.keys().map(String::as_str).collect();
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if names.is_empty() => "sesame.yaml defines no environments".to_string(),
        None => format!("environments: {}", names.join(", ")),
    };
    let d = match &project.config_file {
        Some(f) => Diagnostic::in_file(format!("unknown environment `{name}`"), &f.path),
        None => Diagnostic::new(format!(
            "unknown environment `{name}`: there is no sesame.yaml"
        )),
    };
    d.with_hint(hint)
}

/// `defaults.headers` of sesame.yaml, each value a template.
fn default_headers(
    engine: Engine,
    project: &Project,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Tpl)> {
    let mut default_headers = Vec::new();
    if let Some(f) = &project.config_file {
        for (k, node) in &project.config.defaults.headers {
            if let Some((title, hint)) = crate::plan::compile::header_problem(k, &node.value) {
                errors.push(f.error_at(title, &node.referenced).with_hint(hint));
                continue;
            }
            let text = match &node.value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match engine.compile(&text) {
                Ok(t) => default_headers.push((k.clone(), t)),
                Err(e) => errors.push(f.error_at(e.message, &node.referenced)),
            }
        }
    }
    default_headers
}

/// `defaults.timeout` of sesame.yaml, else 30 seconds.
fn default_timeout(project: &Project, errors: &mut Vec<Diagnostic>) -> Duration {
    match (&project.config.defaults.timeout, &project.config_file) {
        (Some(node), Some(f)) => match duration::from_json(&node.value, BareUnit::Seconds) {
            Ok(d) => d,
            Err(e) => {
                errors.push(f.error_at(e, &node.referenced));
                Duration::from_secs(30)
            }
        },
        _ => Duration::from_secs(30),
    }
}

/// `--var k=v` values: integers, decimals, true and false keep their type.
fn parse_vars(vars: &[String]) -> Result<BTreeMap<String, Value>, Diagnostic> {
    let mut out = BTreeMap::new();
    for v in vars {
        let Some((k, val)) = v.split_once('=') else {
            return Err(
                Diagnostic::new(format!("invalid --var `{v}`")).with_hint("write --var NAME=VALUE")
            );
        };
        let k = k.trim();
        if k.is_empty() || !k.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(
                Diagnostic::new(format!("invalid variable name `{k}` in --var"))
                    .with_hint("names are letters, digits and _"),
            );
        }
        out.insert(k.to_string(), typed(val));
    }
    Ok(out)
}

/// A `--var` value: `true`, `false`, and numbers written as plain decimals
/// (`42`, `-7`, `1.10`, `98765432109876543210`) keep their type, and a
/// number its digits; anything else (`05`, `1e3`, `.5`, `+1`) is text.
fn typed(text: &str) -> Value {
    match text {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let plain = digits(int) && (int == "0" || !int.starts_with('0')) && frac.is_none_or(digits);
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(n) if plain => Value::Number(n),
        _ => Value::String(text.to_string()),
    }
}

impl Session {
    /// The state shared by every task of a command that sends requests.
    pub(crate) fn into_runtime(
        self,
        profiles: &BTreeMap<String, Arc<crate::plan::ProfilePlan>>,
        client: reqwest::Client,
        redactor: Arc<crate::secret::Redactor>,
        cache: Option<PathBuf>,
        flags: crate::runner::runtime::Flags,
        events: std::sync::mpsc::Sender<crate::report::event::Event>,
    ) -> crate::runner::runtime::Runtime {
        let exchange = Arc::new(crate::exchange::Exchange::new(
            client,
            redactor,
            self.default_headers,
            self.default_timeout,
            flags.verbose,
            events,
        ));
        let ctx = crate::auth::context::AuthContext {
            exchange: exchange.clone(),
            base: self.base.with(self.cli_vars.clone()),
            cli_vars: self.cli_vars.clone(),
            env: self.env_map.clone(),
            env_name: self.env_name.clone(),
            env_fingerprint: self.env_fingerprint.clone(),
            project_root: self.project.root.clone(),
            cache: cache.map(crate::auth::cache::CredCache::new),
            saved: self.saved.clone(),
            tls: self.tls.clone(),
            prompts: Arc::default(),
        };
        crate::runner::runtime::Runtime {
            exchange,
            base: self.base,
            cli_vars: self.cli_vars,
            auth: crate::auth::manager::AuthManager::new(profiles, ctx),
            flags,
            tally: Default::default(),
        }
    }
}

/// How the run's clients connect: `--insecure`, `--connect-timeout`, `--proxy`.
///
/// Errors (exit 2): a `--connect-timeout` that is not a duration, a
/// `--proxy` that is not a proxy URL.
pub(crate) fn client_options(
    insecure: bool,
    network: &crate::cli::args::NetworkArgs,
) -> Result<crate::http::ClientOptions, Diagnostic> {
    let connect_timeout = network
        .connect_timeout
        .as_deref()
        .map(|t| duration::parse(t, BareUnit::Seconds))
        .transpose()
        .map_err(|e| {
            Diagnostic::new(format!("--connect-timeout: {e}")).with_hint("write e.g. 5s or 500ms")
        })?;
    let proxy = network
        .proxy
        .as_deref()
        .map(|p| {
            url::Url::parse(p)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| format!("`{p}` is not a proxy URL"))
                .and_then(|_| reqwest::Proxy::all(p).map_err(|e| e.to_string()))
                .map(|proxy| proxy.no_proxy(reqwest::NoProxy::from_env()))
        })
        .transpose()
        .map_err(|e| {
            Diagnostic::new(format!("--proxy: {e}"))
                .with_hint("write http://host:port or https://host:port")
        })?;
    Ok(crate::http::ClientOptions {
        insecure,
        connect_timeout,
        proxy,
        ..Default::default()
    })
}

/// The run's HTTP client, or the diagnostic that says why there is none.
pub(crate) fn http_client(
    options: &crate::http::ClientOptions,
) -> Result<reqwest::Client, Diagnostic> {
    crate::http::client(options)
        .map_err(|e| Diagnostic::new(format!("cannot build the HTTP client: {e}")))
}

/// The PEM roots of `--cacert FILE`.
///
/// Errors: FILE cannot be read.
pub(crate) fn read_cacert(cacert: Option<&std::path::Path>) -> Result<Vec<Vec<u8>>, Diagnostic> {
    let mut roots = Vec::new();
    if let Some(path) = cacert {
        let pem = std::fs::read(path).map_err(|e| {
            Diagnostic::new(format!("cannot read --cacert {}: {e}", path.display()))
        })?;
        roots.push(pem);
    }
    Ok(roots)
}

/// A tokio runtime: single-threaded when one task at a time is all there is.
pub(crate) fn tokio_runtime(single_threaded: bool) -> Result<tokio::runtime::Runtime, Diagnostic> {
    let built = if single_threaded {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    built.map_err(|e| Diagnostic::new(format!("cannot start the async runtime: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_types() {
        assert_eq!(typed("5"), Value::from(5));
        assert_eq!(typed("05"), Value::from("05"));
        assert_eq!(typed("1.5"), Value::from(1.5));
        assert_eq!(typed("1.10").to_string(), "1.10");
        assert_eq!(typed("-0.50").to_string(), "-0.50");
        let big = typed("98765432109876543210");
        assert!(big.is_number());
        assert_eq!(big.to_string(), "98765432109876543210");
        for text in ["05", "1e3", ".5", "1.", "+1", "-", "1.2.3", "0x1F", "1_000"] {
            assert_eq!(typed(text), Value::from(text), "{text}");
        }
        assert_eq!(typed("true"), Value::Bool(true));
        assert_eq!(typed("abc"), Value::from("abc"));
        assert!(parse_vars(&["novalue".into()]).is_err());
    }
}
