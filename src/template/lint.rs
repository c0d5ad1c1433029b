//! What can be known about a template before it renders: unknown filters,
//! tests and functions, wrong arguments to `totp()`, `uuid()`, `now()` and
//! `jwt_claims()`, and `env.NAME` of variables the project does not set.
//! `validate` and `run` both check this at load, so a run never sends its
//! first requests and then stops on a template that could never render.
//!
//! The template is parsed again into minijinja's syntax tree and walked
//! once, collecting facts; the facts are then judged against the engine.

use std::collections::BTreeSet;

use minijinja::machinery::{ast, parse, parse_expr};
use minijinja::{Environment, ErrorKind, Value};

use super::{TemplateError, Tpl, single_expression};

/// The filters sesame adds, and minijinja's most used, for hints.
const FILTER_HINTS: &[&str] = &[
    "b64encode",
    "b64decode",
    "urlencode",
    "jwt_claims",
    "default",
    "lower",
    "upper",
    "trim",
    "replace",
    "length",
    "first",
    "last",
    "join",
    "tojson",
    "int",
    "float",
    "string",
];

/// The functions DESIGN.md promises, for hints.
const FUNCTIONS: &[&str] = &["totp", "uuid", "now", "jwt_claims"];

/// One call of a function by name: `name(args)`.
struct CallFact<'a> {
    name: &'a str,
    positional: usize,
    kwargs: Vec<(&'a str, Option<Value>)>,
    splat: bool,
}

/// What a template uses, gathered in one walk.
#[derive(Default)]
struct Facts<'a> {
    filters: Vec<&'a str>,
    tests: Vec<&'a str>,
    calls: Vec<CallFact<'a>>,
    /// `env.NAME` read without `| default(...)` or `is defined` around it.
    env_reads: Vec<String>,
    /// `env.NAME` tested somewhere (`is defined`, `| default`): never flagged.
    env_guarded: BTreeSet<String>,
    /// Names a template assigns (`set`, `for`, macros): callable locals.
    assigned: BTreeSet<&'a str>,
    /// `include`, `import` or `extends`: there are no other templates.
    includes: bool,
}

/// The first problem of `tpl` that is known before rendering. `env_names`
/// is the project's environment (process and `.env`), when it is known.
pub(super) fn lint(
    env: &Environment<'static>,
    tpl: &Tpl,
    env_names: Option<&BTreeSet<String>>,
) -> Option<TemplateError> {
    let mut facts = Facts::default();
    match tpl {
        Tpl::Literal(_) => return None,
        Tpl::Expr(_, source) => {
            let expr = parse_expr(single_expression(source)?).ok()?;
            facts.expr(&expr);
        }
        Tpl::Parts(_) | Tpl::Template(..) => {
            let source = tpl.source();
            let stmt = parse(source, "<template>", Default::default(), Default::default()).ok()?;
            facts.stmt(&stmt);
        }
    }
    facts.judge(env, env_names)
}

impl<'a> Facts<'a> {
    fn stmts(&mut self, body: &[ast::Stmt<'a>]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &ast::Stmt<'a>) {
        match s {
            ast::Stmt::Template(t) => self.stmts(&t.children),
            ast::Stmt::EmitExpr(e) => self.expr(&e.expr),
            ast::Stmt::ForLoop(f) => {
                self.assign(&f.target);
                self.expr(&f.iter);
                if let Some(e) = &f.filter_expr {
                    self.expr(e);
                }
                self.stmts(&f.body);
                self.stmts(&f.else_body);
            }
            ast::Stmt::IfCond(i) => {
                self.expr(&i.expr);
                self.stmts(&i.true_body);
                self.stmts(&i.false_body);
            }
            ast::Stmt::WithBlock(w) => {
                for (target, value) in &w.assignments {
                    self.assign(target);
                    self.expr(value);
                }
                self.stmts(&w.body);
            }
            ast::Stmt::Set(set) => {
                self.assign(&set.target);
                self.expr(&set.expr);
            }
            ast::Stmt::SetBlock(set) => {
                self.assign(&set.target);
                if let Some(f) = &set.filter {
                    self.expr(f);
                }
                self.stmts(&set.body);
            }
            ast::Stmt::AutoEscape(a) => self.stmts(&a.body),
            ast::Stmt::FilterBlock(f) => {
                self.expr(&f.filter);
                self.stmts(&f.body);
            }
            ast::Stmt::Macro(m) => {
                self.assigned.insert(m.name);
                for a in &m.args {
                    self.assign(a);
                }
                self.stmts(&m.body);
            }
            ast::Stmt::CallBlock(c) => {
                self.call(&c.call);
                self.stmts(&c.macro_decl.body);
            }
            ast::Stmt::Do(d) => self.call(&d.call),
            ast::Stmt::Include(_)
            | ast::Stmt::Import(_)
            | ast::Stmt::FromImport(_)
            | ast::Stmt::Extends(_) => self.includes = true,
            _ => {}
        }
    }

    fn assign(&mut self, target: &ast::Expr<'a>) {
        match target {
            ast::Expr::Var(v) => {
                self.assigned.insert(v.id);
            }
            ast::Expr::List(l) => l.items.iter().for_each(|i| self.assign(i)),
            _ => {}
        }
    }

    fn expr(&mut self, e: &ast::Expr<'a>) {
        match e {
            ast::Expr::Var(_) | ast::Expr::Const(_) => {}
            ast::Expr::Slice(s) => {
                self.expr(&s.expr);
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(part);
                }
            }
            ast::Expr::UnaryOp(u) => self.expr(&u.expr),
            ast::Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            ast::Expr::Compare(c) => {
                self.expr(&c.expr);
                c.ops.iter().for_each(|op| self.expr(&op.expr));
            }
            ast::Expr::IfExpr(i) => {
                self.expr(&i.test_expr);
                self.expr(&i.true_expr);
                if let Some(f) = &i.false_expr {
                    self.expr(f);
                }
            }
            ast::Expr::Filter(f) => self.filter(f),
            ast::Expr::Test(t) => {
                self.tests.push(t.name);
                match env_name(&t.expr) {
                    Some(name) => {
                        self.env_guarded.insert(name);
                    }
                    None => self.expr(&t.expr),
                }
                self.args(&t.args);
            }
            ast::Expr::GetAttr(_) | ast::Expr::GetItem(_) => self.lookup(e),
            ast::Expr::Call(c) => self.call(c),
            ast::Expr::List(l) => l.items.iter().for_each(|i| self.expr(i)),
            ast::Expr::Map(m) => {
                m.keys.iter().for_each(|k| self.expr(k));
                m.values.iter().for_each(|v| self.expr(v));
            }
        }
    }

    fn filter(&mut self, f: &ast::Filter<'a>) {
        self.filters.push(f.name);
        if let Some(inner) = &f.expr {
            match env_name(inner) {
                Some(name) if matches!(f.name, "default" | "d") => {
                    self.env_guarded.insert(name);
                }
                _ => self.expr(inner),
            }
        }
        self.args(&f.args);
    }

    fn lookup(&mut self, e: &ast::Expr<'a>) {
        if let Some(name) = env_name(e) {
            self.env_reads.push(name);
            return;
        }
        match e {
            ast::Expr::GetAttr(g) => self.expr(&g.expr),
            ast::Expr::GetItem(g) => {
                self.expr(&g.expr);
                self.expr(&g.subscript_expr);
            }
            _ => {}
        }
    }

    fn call(&mut self, c: &ast::Call<'a>) {
        match &c.expr {
            ast::Expr::Var(v) => {
                let mut fact = CallFact {
                    name: v.id,
                    positional: 0,
                    kwargs: Vec::new(),
                    splat: false,
                };
                for arg in &c.args {
                    match arg {
                        ast::CallArg::Pos(_) => fact.positional += 1,
                        ast::CallArg::Kwarg(k, v) => fact.kwargs.push((k, constant(v))),
                        ast::CallArg::PosSplat(_) | ast::CallArg::KwargSplat(_) => {
                            fact.splat = true;
                        }
                    }
                }
                self.calls.push(fact);
            }
            // `env.get('X')` and other methods: the object is read, not called.
            ast::Expr::GetAttr(g) if env_root(&g.expr) => {}
            other => self.expr(other),
        }
        self.args(&c.args);
    }

    fn args(&mut self, args: &[ast::CallArg<'a>]) {
        for arg in args {
            match arg {
                ast::CallArg::Pos(e)
                | ast::CallArg::Kwarg(_, e)
                | ast::CallArg::PosSplat(e)
                | ast::CallArg::KwargSplat(e) => self.expr(e),
            }
        }
    }

    fn judge(
        self,
        env: &Environment<'static>,
        env_names: Option<&BTreeSet<String>>,
    ) -> Option<TemplateError> {
        if self.includes {
            return Some(TemplateError {
                message: "a template cannot include, import or extend another template".into(),
                hint: Some("each value is its own template; use `vars:` to share values".into()),
            });
        }
        let state = env.empty_state();
        for name in &self.filters {
            if matches!(state.apply_filter(name, &[]), Err(e) if e.kind() == ErrorKind::UnknownFilter)
            {
                return Some(unknown("filter", name, FILTER_HINTS));
            }
        }
        for name in &self.tests {
            if matches!(state.perform_test(name, &[]), Err(e) if e.kind() == ErrorKind::UnknownTest)
            {
                return Some(unknown("test", name, &["defined", "undefined", "none"]));
            }
        }
        for call in &self.calls {
            if self.assigned.contains(call.name) {
                continue;
            }
            if !env.globals().any(|(n, _)| n == call.name) {
                return Some(unknown("function", call.name, FUNCTIONS));
            }
            if let Some(e) = arguments(call) {
                return Some(e);
            }
        }
        let env_names = env_names?;
        self.env_reads
            .iter()
            .find(|n| !self.env_guarded.contains(*n) && !env_names.contains(*n))
            .map(|name| TemplateError {
                message: format!("undefined variable `env.{name}`"),
                hint: Some(format!(
                    "set the environment variable {name}, add it to .env, or use `| default(...)`"
                )),
            })
    }
}

/// `NAME` when `e` is `env.NAME` or `env['NAME']`.
fn env_name(e: &ast::Expr<'_>) -> Option<String> {
    match e {
        ast::Expr::GetAttr(g) if env_root(&g.expr) => Some(g.name.to_string()),
        ast::Expr::GetItem(g) if env_root(&g.expr) => match &g.subscript_expr {
            ast::Expr::Const(c) => c.value.as_str().map(str::to_string),
            _ => None,
        },
        _ => None,
    }
}

fn env_root(e: &ast::Expr<'_>) -> bool {
    matches!(e, ast::Expr::Var(v) if v.id == "env")
}

fn constant(e: &ast::Expr<'_>) -> Option<Value> {
    match e {
        ast::Expr::Const(c) => Some(c.value.clone()),
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Neg) => match &u.expr {
            ast::Expr::Const(c) => i64::try_from(c.value.clone()).ok().map(|n| Value::from(-n)),
            _ => None,
        },
        _ => None,
    }
}

fn unknown(what: &str, name: &str, known: &[&str]) -> TemplateError {
    let hint = match crate::diagnostic::did_you_mean(name, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if what == "function" => {
            "the functions are totp(), uuid(), now() and jwt_claims()".into()
        }
        None => format!("{what}s include: {}", known.join(", ")),
    };
    let shown = crate::text::excerpt(name, 60);
    TemplateError {
        message: if what == "function" {
            format!("unknown function `{shown}()`")
        } else {
            format!("unknown {what} `{shown}`")
        },
        hint: Some(hint),
    }
}

/// Wrong arguments to sesame's own functions, as far as constants tell.
fn arguments(call: &CallFact<'_>) -> Option<TemplateError> {
    if call.splat {
        return None;
    }
    let wrong = |message: String, hint: &str| {
        Some(TemplateError {
            message,
            hint: Some(hint.to_string()),
        })
    };
    match call.name {
        "uuid" | "now" if call.positional + call.kwargs.len() > 0 => wrong(
            format!("`{}()` takes no arguments", call.name),
            "write it with empty parentheses",
        ),
        "jwt_claims" if call.positional != 1 || !call.kwargs.is_empty() => wrong(
            "`jwt_claims()` takes one argument, the token".into(),
            "e.g. jwt_claims(auth.token).sub",
        ),
        "totp" => totp_arguments(call),
        _ => None,
    }
}

fn totp_arguments(call: &CallFact<'_>) -> Option<TemplateError> {
    let hint = "e.g. totp(secrets.seed, digits=6, period=30, algorithm='SHA1')";
    let wrong = |message: String| {
        Some(TemplateError {
            message,
            hint: Some(hint.to_string()),
        })
    };
    if call.positional != 1 {
        return wrong(format!(
            "`totp()` takes the secret as its one positional argument, not {}",
            call.positional
        ));
    }
    for (name, value) in &call.kwargs {
        let problem = match (*name, value) {
            ("digits" | "period" | "algorithm", None) => None,
            ("digits", Some(v)) => match u32::try_from(v.clone()) {
                Ok(d) if (6..=8).contains(&d) => None,
                _ => Some(format!(
                    "TOTP digits must be 6, 7 or 8, not {}",
                    crate::text::excerpt(&v.to_string(), 40)
                )),
            },
            ("period", Some(v)) => match u64::try_from(v.clone()) {
                Ok(p) if p >= 1 => None,
                _ => Some(format!(
                    "TOTP period must be a whole number of seconds, at least 1, not {}",
                    crate::text::excerpt(&v.to_string(), 40)
                )),
            },
            ("algorithm", Some(v)) => algorithm_problem(v),
            (other, _) => Some(format!(
                "`totp()` has no argument `{}` (it takes digits, period and algorithm)",
                crate::text::excerpt(other, 40)
            )),
        };
        if let Some(p) = problem {
            return wrong(p);
        }
    }
    None
}

fn algorithm_problem(v: &Value) -> Option<String> {
    let name = v.as_str().unwrap_or_default();
    match name.trim().to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" | "SHA256" | "SHA512" => None,
        _ => Some(format!(
            "unknown TOTP algorithm `{}` (expected SHA1, SHA256 or SHA512)",
            crate::text::excerpt(&v.to_string(), 40)
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::Engine;
    use super::super::functions::FixedTotp;
    use super::*;

    fn problem(source: &str) -> Option<String> {
        let engine = Engine::new(Arc::new(FixedTotp("000000")));
        let env: BTreeSet<String> = ["SET".to_string()].into();
        let tpl = engine.compile(source).expect("compiles");
        engine.lint(&tpl, Some(&env)).map(|e| e.message)
    }

    #[test]
    fn env_reads_are_checked_unless_guarded() {
        for bad in [
            "{{ env.UNSET }}",
            "x{{ env.UNSET }}",
            "{{ env['UNSET'] }}",
            "{{ env.UNSET | lower }}",
            "{% if env.UNSET %}a{% endif %}",
            "{{ (env.UNSET ~ 'a') | default('b') }}",
        ] {
            assert_eq!(
                problem(bad).as_deref(),
                Some("undefined variable `env.UNSET`"),
                "{bad}"
            );
        }
        for good in [
            "{{ env.SET }}",
            "{{ env.UNSET | default('a') }}",
            "{{ env.UNSET | d('a') }}",
            "{{ env.UNSET is defined }}",
            "{% if env.UNSET is defined %}{{ env.UNSET }}{% endif %}",
            "{{ env.get('UNSET') }}",
            "{{ env['UNSET'] | default(1) }}",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }

    #[test]
    fn unknown_names_and_wrong_arguments() {
        assert_eq!(
            problem("{{ 1 | nosuch }}").as_deref(),
            Some("unknown filter `nosuch`")
        );
        assert_eq!(
            problem("{{ 1 is nosuch }}").as_deref(),
            Some("unknown test `nosuch`")
        );
        assert_eq!(
            problem("{{ nosuch() }}").as_deref(),
            Some("unknown function `nosuch()`")
        );
        assert_eq!(
            problem("{{ uuid(1) }}").as_deref(),
            Some("`uuid()` takes no arguments")
        );
        assert!(problem("{{ totp('A', digits=0) }}").is_some());
        assert!(problem("{{ totp('A', algorithm='md5') }}").is_some());
        assert!(problem("{% include 'x' %}").is_some());
        for good in [
            "{{ totp('A', digits=8, period=60, algorithm='sha-256') }}",
            "{{ totp(secrets.seed, digits=n) }}",
            "{% macro m() %}x{% endmacro %}{{ m() }}",
            "{% for i in range(3) %}{{ i | string }}{% endfor %}",
            "{{ 'a' | b64encode | b64decode | urlencode }}",
            "{{ x.upper() }}",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }
}
