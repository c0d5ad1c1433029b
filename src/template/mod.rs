//! Every string value in a request file is a minijinja template. Templates
//! are compiled when files load; rendering looks names up in a [`Scope`] of
//! layers. A string that is exactly one `{{ expression }}` keeps the
//! expression's type, so `count: "{{ n }}"` sends a number.

pub(crate) mod functions;
mod lint;
pub(crate) mod number;
mod parts;
pub(crate) mod scope;
pub(crate) mod unknown;

use std::collections::BTreeSet;
use std::sync::Arc;

use minijinja::{Environment, Expression, Template, UndefinedBehavior, Value};

pub use functions::TotpProvider;
pub(crate) use parts::Parts;
pub(crate) use scope::{Layer, Scope, layer};

/// Names templates may call that are not variables.
const GLOBALS: &[&str] = &[
    "totp",
    "uuid",
    "now",
    "jwt_claims",
    "range",
    "dict",
    "namespace",
    "debug",
    "lipsum",
    "cycler",
    "joiner",
];

/// A problem compiling or rendering a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The template environment of one run.
#[derive(Clone, Copy)]
pub struct Engine {
    shared: &'static Shared,
}

struct Shared {
    env: Environment<'static>,
    /// Compiled expressions by source, shared by every template that holds
    /// them: a big file compiles `base_url` once, not once per request. At
    /// most [`EXPRESSIONS_KEPT`]; emptied when full, so it stays small
    /// whatever the files hold (a compiled expression keeps ~8 KiB).
    expressions: crate::memo::Memo<Expression<'static, 'static>>,
}

/// The most compiled expressions the engine keeps for reuse.
const EXPRESSIONS_KEPT: usize = 128;

impl Engine {
    /// Builds the environment. It lives for the rest of the process: compiled
    /// templates borrow it, and a run compiles its templates once.
    pub fn new(totp: Arc<dyn TotpProvider>) -> Engine {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_recursion_limit(100);
        functions::register(&mut env, totp);
        Engine {
            shared: Box::leak(Box::new(Shared {
                env,
                expressions: crate::memo::Memo::new(EXPRESSIONS_KEPT),
            })),
        }
    }

    /// Compiles one string: a [`Tpl::Literal`] without template syntax, a
    /// [`Tpl::Expr`] for exactly one `{{ expression }}`, [`Tpl::Parts`] for
    /// text with `{{ expression }}` blocks, else a [`Tpl::Template`]. Errs
    /// with `template syntax error: ...` when the string does not parse.
    pub fn compile(&self, source: &str) -> Result<Tpl, TemplateError> {
        if !has_syntax(source) {
            return Ok(Tpl::Literal(source.to_string()));
        }
        if let Some(expr) = single_expression(source) {
            return self
                .expression(expr)
                .map(|e| Tpl::Expr(e, source.to_string()))
                .map_err(|e| syntax_error(&e));
        }
        if let Some(parts) = Parts::split(*self, source) {
            return Ok(Tpl::Parts(parts));
        }
        self.compile_template(source)
    }

    /// `expr` compiled, or the copy compiled before.
    pub(crate) fn expression(
        &self,
        expr: &str,
    ) -> Result<Arc<Expression<'static, 'static>>, minijinja::Error> {
        self.shared.expressions.get_or_make(expr, || {
            self.shared.env.compile_expression_owned(expr.to_string())
        })
    }

    /// Compiles `source` as a full minijinja template.
    fn compile_template(&self, source: &str) -> Result<Tpl, TemplateError> {
        FullTemplate::new(&self.shared.env, source)
            .map(|t| Tpl::Template(Box::new(t)))
            .map_err(|e| syntax_error(&e))
    }

    /// How many compiled expressions the engine keeps, for tests that it
    /// stays bounded.
    #[cfg(test)]
    fn kept_expressions(&self) -> usize {
        self.shared.expressions.len()
    }

    /// The first problem of `tpl` known before it renders: unknown filters,
    /// tests and functions, wrong arguments to sesame's functions, and
    /// `env.NAME` of variables outside `env_names` (when given).
    pub fn lint(&self, tpl: &Tpl, env_names: Option<&BTreeSet<String>>) -> Option<TemplateError> {
        lint::lint(&self.shared.env, tpl, env_names)
    }

    /// Compiles every string inside a YAML value.
    pub fn compile_value(&self, value: &serde_json::Value) -> Result<TplValue, TemplateError> {
        Ok(match value {
            serde_json::Value::String(s) => match self.compile(s)? {
                Tpl::Literal(_) => TplValue::Literal(value.clone()),
                tpl => TplValue::Str(tpl),
            },
            serde_json::Value::Array(items) => TplValue::Array(
                items
                    .iter()
                    .map(|v| self.compile_value(v))
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(map) => {
                if map.values().all(|v| !contains_template(v)) {
                    return Ok(TplValue::Literal(value.clone()));
                }
                TplValue::Object(
                    map.iter()
                        .map(|(k, v)| Ok((k.clone(), self.compile_value(v)?)))
                        .collect::<Result<_, TemplateError>>()?,
                )
            }
            other => TplValue::Literal(other.clone()),
        })
    }
}

fn contains_template(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => has_syntax(s),
        serde_json::Value::Array(a) => a.iter().any(contains_template),
        serde_json::Value::Object(m) => m.values().any(contains_template),
        _ => false,
    }
}

fn has_syntax(s: &str) -> bool {
    s.contains("{{") || s.contains("{%") || s.contains("{#")
}

/// The inner expression when `s` is exactly `{{ expr }}`.
fn single_expression(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("{{")?.strip_suffix("}}")?;
    if has_syntax(inner) || inner.contains("}}") {
        return None;
    }
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    (!inner.trim().is_empty()).then_some(inner)
}

fn syntax_error(e: &minijinja::Error) -> TemplateError {
    let detail = e.detail().unwrap_or("invalid syntax");
    TemplateError {
        message: format!("template syntax error: {detail}"),
        hint: Some("templates use minijinja syntax: {{ variable }}, {{ value | filter }}".into()),
    }
}

/// A compiled string.
pub enum Tpl {
    Literal(String),
    /// Exactly one `{{ expression }}`: keeps its type. The expression owns
    /// its text; the string is the whole source.
    Expr(Arc<Expression<'static, 'static>>, String),
    /// Text and `{{ expression }}` blocks, rendered as a template would be.
    Parts(Parts),
    /// Anything else.
    Template(Box<FullTemplate>),
}

/// A full template in an environment of its own, which owns the source:
/// freed with the request that holds it. A `Template` of the process-wide
/// environment would borrow its source for `'static`, that is, leak it once
/// per compile; the runner compiles each request as it is sent (issue 11).
/// Cloning the environment shares its functions and filters (`Arc`s).
pub struct FullTemplate {
    env: Environment<'static>,
    source: String,
}

/// The name minijinja gives a template made from a string; errors read the
/// same as with `template_from_str`.
const FULL_TEMPLATE: &str = "<string>";

impl FullTemplate {
    fn new(base: &Environment<'static>, source: &str) -> Result<FullTemplate, minijinja::Error> {
        let mut env = base.clone();
        env.add_template_owned(FULL_TEMPLATE, source.to_string())?;
        Ok(FullTemplate {
            env,
            source: source.to_string(),
        })
    }

    fn template(&self) -> Result<Template<'_, '_>, minijinja::Error> {
        self.env.get_template(FULL_TEMPLATE)
    }

    fn render(&self, ctx: Value) -> Result<String, minijinja::Error> {
        self.template()?.render(ctx)
    }

    fn undeclared_variables(&self, nested: bool) -> std::collections::HashSet<String> {
        self.template()
            .map(|t| t.undeclared_variables(nested))
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Tpl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.source())
    }
}

impl Tpl {
    pub fn source(&self) -> &str {
        match self {
            Tpl::Literal(s) | Tpl::Expr(_, s) => s,
            Tpl::Parts(p) => p.source(),
            Tpl::Template(t) => &t.source,
        }
    }

    pub fn is_literal(&self) -> bool {
        matches!(self, Tpl::Literal(_))
    }

    /// Renders to text.
    pub fn render(&self, scope: &Scope) -> Result<String, TemplateError> {
        match self {
            Tpl::Literal(s) => Ok(s.clone()),
            Tpl::Expr(..) => {
                let v = self.eval(scope)?;
                Ok(match v.as_str() {
                    Some(s) => s.to_string(),
                    None => v.to_string(),
                })
            }
            Tpl::Parts(p) => self.unless_unknown(p.render(&scope.to_value()), scope),
            Tpl::Template(t) => self.unless_unknown(t.render(scope.to_value()), scope),
        }
    }

    /// `rendered`, or its error as sesame words it; a template that reads a
    /// stand-in renders as unknown instead of failing.
    fn unless_unknown(
        &self,
        rendered: Result<String, minijinja::Error>,
        scope: &Scope,
    ) -> Result<String, TemplateError> {
        rendered.or_else(|e| match self.reads_unknown(scope) {
            true => Ok(unknown::Unknown::derived().to_string()),
            false => Err(self.runtime_error(&e, scope)),
        })
    }

    /// True when the template reads a stand-in for what only a login gives
    /// (`--dry-run`, `sesame curl`): then what fails to render from it is
    /// unknown too, not an error.
    fn reads_unknown(&self, scope: &Scope) -> bool {
        // Every identifier of the source, not only `variables()`: minijinja
        // does not report the subject of a slice (`auth.token[:4]`).
        self.source()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| !word.is_empty())
            .filter_map(|name| scope.get(name))
            .any(|v| unknown::holds_unknown(v, 3))
    }

    /// Renders keeping the type of a single expression.
    pub fn eval(&self, scope: &Scope) -> Result<Value, TemplateError> {
        match self {
            Tpl::Expr(e, _) => {
                let v = match e.eval(scope.to_value()) {
                    Ok(v) => v,
                    Err(_) if self.reads_unknown(scope) => unknown::Unknown::derived(),
                    Err(err) => return Err(self.runtime_error(&err, scope)),
                };
                if v.is_undefined() {
                    return Err(self.undefined(scope));
                }
                Ok(v)
            }
            _ => self.render(scope).map(Value::from),
        }
    }

    /// Renders to a JSON value (typed for a single expression).
    pub fn render_json(&self, scope: &Scope) -> Result<serde_json::Value, TemplateError> {
        match self {
            Tpl::Expr(..) => to_json(&self.eval(scope)?),
            _ => self.render(scope).map(serde_json::Value::String),
        }
    }

    /// Top-level names the template reads, without the functions.
    pub fn variables(&self) -> BTreeSet<String> {
        let names = match self {
            Tpl::Literal(_) => return BTreeSet::new(),
            Tpl::Expr(e, _) => e.undeclared_variables(false),
            Tpl::Parts(p) => p.undeclared_variables(false),
            Tpl::Template(t) => t.undeclared_variables(false),
        };
        names
            .into_iter()
            .filter(|n| !GLOBALS.contains(&n.as_str()))
            .collect()
    }

    /// Dotted names the template reads, like `secrets.token`.
    pub fn nested_names(&self) -> BTreeSet<String> {
        let names = match self {
            Tpl::Literal(_) => return BTreeSet::new(),
            Tpl::Expr(e, _) => e.undeclared_variables(true),
            Tpl::Parts(p) => p.undeclared_variables(true),
            Tpl::Template(t) => t.undeclared_variables(true),
        };
        names.into_iter().collect()
    }

    fn runtime_error(&self, e: &minijinja::Error, scope: &Scope) -> TemplateError {
        if e.kind() == minijinja::ErrorKind::UndefinedError {
            return self.undefined(scope);
        }
        let mut message = e.kind().to_string();
        if let Some(d) = e.detail() {
            message = format!("{message}: {d}");
        }
        TemplateError {
            message: format!("template error: {message}"),
            hint: None,
        }
    }

    /// Names which variable is undefined, when it can be found.
    fn undefined(&self, scope: &Scope) -> TemplateError {
        let missing = self
            .variables()
            .into_iter()
            .find(|n| !scope.contains(n))
            .or_else(|| {
                self.nested_names()
                    .into_iter()
                    .find(|path| !path_exists(scope, path))
            });
        match missing {
            Some(name) => {
                let hint = undefined_hint(&name, scope);
                TemplateError {
                    message: format!("undefined variable `{name}`"),
                    hint: Some(hint),
                }
            }
            None => TemplateError {
                message: "undefined value in template".into(),
                hint: Some("use `| default(...)` for values that may be missing".into()),
            },
        }
    }
}

fn path_exists(scope: &Scope, path: &str) -> bool {
    let mut parts = path.split('.');
    let Some(first) = parts.next() else {
        return true;
    };
    let Some(mut value) = scope.get(first).cloned() else {
        return false;
    };
    for part in parts {
        match value.get_attr(part) {
            Ok(v) if !v.is_undefined() => value = v,
            _ => return false,
        }
    }
    true
}

fn undefined_hint(name: &str, scope: &Scope) -> String {
    let names = scope.names();
    let top = name.split('.').next().unwrap_or(name);
    if let Some(s) = crate::diagnostic::did_you_mean(top, names.iter().map(String::as_str))
        && s != top
    {
        return format!("did you mean `{s}`?");
    }
    if let Some(var) = name.strip_prefix("env.") {
        return format!(
            "set the environment variable {var}, add it to .env, or use `| default(...)`"
        );
    }
    "define it in `vars:`, with --var, in the environment of sesame.yaml, or capture it in an earlier request".into()
}

/// A minijinja value as JSON.
pub(crate) fn to_json(v: &Value) -> Result<serde_json::Value, TemplateError> {
    number::value_to_json(v).map_err(|e| TemplateError {
        message: format!("template produced a value that is not JSON: {e}"),
        hint: None,
    })
}

/// A compiled YAML value: strings are templates, the rest is kept.
#[derive(Debug)]
pub enum TplValue {
    Literal(serde_json::Value),
    Str(Tpl),
    Array(Vec<TplValue>),
    Object(Vec<(String, TplValue)>),
}

impl TplValue {
    pub fn render(&self, scope: &Scope) -> Result<serde_json::Value, TemplateError> {
        Ok(match self {
            TplValue::Literal(v) => v.clone(),
            TplValue::Str(t) => t.render_json(scope)?,
            TplValue::Array(items) => serde_json::Value::Array(
                items
                    .iter()
                    .map(|i| i.render(scope))
                    .collect::<Result<_, _>>()?,
            ),
            TplValue::Object(pairs) => serde_json::Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.render(scope)?)))
                    .collect::<Result<_, TemplateError>>()?,
            ),
        })
    }

    /// Every template inside.
    pub fn templates(&self) -> Vec<&Tpl> {
        match self {
            TplValue::Literal(_) => vec![],
            TplValue::Str(t) => vec![t],
            TplValue::Array(items) => items.iter().flat_map(|i| i.templates()).collect(),
            TplValue::Object(pairs) => pairs.iter().flat_map(|(_, v)| v.templates()).collect(),
        }
    }
}

/// A JSON value as a minijinja value.
pub(crate) fn from_json(v: &serde_json::Value) -> Value {
    number::json_to_value(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(Arc::new(functions::FixedTotp("123456")))
    }

    fn scope() -> Scope {
        Scope::new().with(layer([
            ("n", Value::from(5)),
            ("name", Value::from("ann")),
            ("env", from_json(&serde_json::json!({"HOME": "/root"}))),
        ]))
    }

    #[test]
    fn single_expression_keeps_type() {
        let e = engine();
        let t = e.compile("{{ n }}").unwrap();
        assert_eq!(t.render_json(&scope()).unwrap(), serde_json::json!(5));
        let t = e.compile("n={{ n }}").unwrap();
        assert_eq!(t.render_json(&scope()).unwrap(), serde_json::json!("n=5"));
        let t = e.compile("{{ [n, name] }}").unwrap();
        assert_eq!(
            t.render_json(&scope()).unwrap(),
            serde_json::json!([5, "ann"])
        );
    }

    #[test]
    fn undefined_is_an_error_naming_the_variable() {
        let e = engine();
        let err = e
            .compile("{{ nme }}")
            .unwrap()
            .render(&scope())
            .unwrap_err();
        assert_eq!(err.message, "undefined variable `nme`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `name`?"));
        let err = e
            .compile("x {{ env.NOPE }}")
            .unwrap()
            .render(&scope())
            .unwrap_err();
        assert_eq!(err.message, "undefined variable `env.NOPE`");
        let ok = e
            .compile("{{ env.NOPE | default('d') }}")
            .unwrap()
            .render(&scope());
        assert_eq!(ok.unwrap(), "d");
    }

    #[test]
    fn syntax_errors_are_reported_at_compile() {
        assert!(
            engine()
                .compile("{{ n ")
                .unwrap_err()
                .message
                .starts_with("template syntax error")
        );
    }

    #[test]
    fn filters_and_functions() {
        let e = engine();
        let r = |s: &str| e.compile(s).unwrap().render(&scope()).unwrap();
        assert_eq!(r("{{ 'a:b' | b64encode }}"), "YTpi");
        assert_eq!(r("{{ 'YTpi' | b64decode }}"), "a:b");
        assert_eq!(r("{{ 'a b&c' | urlencode }}"), "a%20b%26c");
        assert_eq!(
            r("{{ 'aaa/bbb#ccc é?&=+%~._-' | urlencode_component }}"),
            "aaa%2Fbbb%23ccc%20%C3%A9%3F%26%3D%2B%25~._-"
        );
        assert_eq!(r("{{ 12 | urlencode_component }}"), "12");
        assert_eq!(r("{{ totp('JBSWY3DPEHPK3PXP') }}"), "123456");
        assert_eq!(r("{{ uuid() | length }}"), "36");
        // header {"alg":"none"} payload {"sub":"ann","exp":99}
        assert_eq!(
            r("{{ jwt_claims('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm4iLCJleHAiOjk5fQ.x').sub }}"),
            "ann"
        );
        assert!(r("{{ now() }}").parse::<u64>().unwrap() > 1_700_000_000);
    }

    #[test]
    fn variables_lists_reads_not_functions() {
        let t = engine()
            .compile("{{ a }} {{ totp(b) }} {{ env.X }}")
            .unwrap();
        assert_eq!(
            t.variables().into_iter().collect::<Vec<_>>(),
            ["a", "b", "env"]
        );
    }
}
