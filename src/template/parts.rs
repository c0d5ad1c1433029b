//! The common template: text with `{{ expression }}` blocks and nothing else,
//! like `{{ base_url }}/items/7`. Each expression is compiled on its own and
//! owns its source, so such a template leaks nothing and is freed when it is
//! dropped (issue 11), unlike a full minijinja `Template`, which borrows its
//! source for the life of the environment. It renders exactly as the same
//! text would as a template: the text, and each value as `{{ }}` prints it.

use std::collections::HashSet;
use std::fmt::Write;
use std::ops::Range;

use minijinja::{Error, ErrorKind, Expression, Value};

/// A template of text and `{{ expression }}` blocks.
pub struct Parts {
    source: String,
    parts: Vec<Part>,
}

enum Part {
    /// A range of `source`.
    Text(Range<usize>),
    Expr(std::sync::Arc<Expression<'static, 'static>>),
}

impl Parts {
    /// `source` split into text and compiled expressions, or `None` when it
    /// holds anything else (`{%`, `{#`, whitespace control, braces inside an
    /// expression) or an expression that does not compile: the full template
    /// path then gives the answer, and the error message, it always gave.
    pub(super) fn split(engine: super::Engine, source: &str) -> Option<Parts> {
        if source.contains("{%") || source.contains("{#") {
            return None;
        }
        let mut parts = Vec::new();
        let mut at = 0;
        while let Some(found) = source[at..].find("{{") {
            let open = at + found;
            if open > at {
                parts.push(Part::Text(at..open));
            }
            // minijinja ends the block at the first `}}` outside parentheses
            // and strings; where that is not the first `}}`, the text before
            // it has an open parenthesis or string and fails to compile.
            let close = open + 2 + source[open + 2..].find("}}")?;
            let inner = &source[open + 2..close];
            if !plain_expression(inner) {
                return None;
            }
            parts.push(Part::Expr(engine.expression(inner).ok()?));
            at = close + 2;
        }
        if at < source.len() {
            parts.push(Part::Text(at..source.len()));
        }
        Some(Parts {
            source: source.to_string(),
            parts,
        })
    }

    pub(super) fn source(&self) -> &str {
        &self.source
    }

    /// Renders with `root` as the context. Errors are minijinja's, as the
    /// same text rendered as a template would give them.
    pub(super) fn render(&self, root: &Value) -> Result<String, Error> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Text(range) => out.push_str(&self.source[range.clone()]),
                Part::Expr(expr) => {
                    let value = expr.eval(root)?;
                    // What `{{ }}` does in strict mode. The one undefined it
                    // prints as nothing (`a if b` without else) is never here.
                    if value.is_undefined() {
                        return Err(Error::from(ErrorKind::UndefinedError));
                    }
                    write!(out, "{value}").map_err(Error::from)?;
                }
            }
        }
        Ok(out)
    }

    /// The names the expressions read, as `Template::undeclared_variables`.
    pub(super) fn undeclared_variables(&self, nested: bool) -> HashSet<String> {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Expr(expr) => Some(expr.undeclared_variables(nested)),
                Part::Text(_) => None,
            })
            .flatten()
            .collect()
    }
}

/// True when `inner`, the text between `{{` and `}}`, is an expression the
/// parts path renders exactly as a template does.
fn plain_expression(inner: &str) -> bool {
    let whitespace_control = |c: Option<char>| matches!(c, Some('-' | '+'));
    if whitespace_control(inner.chars().next())
        || whitespace_control(inner.chars().next_back())
        || inner.contains(['{', '}'])
        || inner.trim().is_empty()
    {
        return false;
    }
    // `a if b` without an else gives minijinja's silent undefined, which
    // `{{ }}` prints as nothing; an expression's value cannot be told apart
    // from the strict undefined that is an error.
    !inner
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == "if")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::super::functions::FixedTotp;
    use super::super::unknown::Unknown;
    use super::super::{Engine, Scope, Tpl, from_json, layer};

    fn engine() -> Engine {
        Engine::new(Arc::new(FixedTotp("123456")))
    }

    fn number(text: &str) -> minijinja::Value {
        from_json(&serde_json::from_str(text).unwrap())
    }

    fn scope() -> Scope {
        let json = serde_json::json!({
            "base_url": "http://127.0.0.1:1",
            "s": "ann <b>&é",
            "nothing": null,
            "list": [1, "a", null, true, 1.5],
            "map": {"a": 1, "b": "x", "c": [1, 2]},
            "env": {"HOME": "/root"},
        });
        let auth = minijinja::Value::from(std::collections::BTreeMap::from([(
            "token".to_string(),
            Unknown::value("<auth.token>"),
        )]));
        let mut pairs: Vec<(String, minijinja::Value)> = json
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), from_json(v)))
            .collect();
        pairs.extend([
            ("n".into(), number("5")),
            ("neg".into(), number("-3")),
            ("big".into(), number("123456789012345678901234567890")),
            (
                "huge".into(),
                number("123456789012345678901234567890123456789012345"),
            ),
            ("u64max".into(), number("18446744073709551615")),
            ("f".into(), number("0.1")),
            ("whole".into(), number("2.0")),
            ("written".into(), number("1.10")),
            ("exp".into(), number("1e3")),
            ("t".into(), minijinja::Value::from(true)),
            ("auth".into(), auth),
        ]);
        Scope::new().with(layer(pairs))
    }

    /// Everything sesame reads from a compiled string, to compare the paths.
    fn observe(tpl: &Tpl, engine: &Engine) -> impl PartialEq + std::fmt::Debug {
        let env_names: BTreeSet<String> = ["HOME".to_string()].into();
        (
            tpl.render(&scope()).map_err(|e| (e.message, e.hint)),
            tpl.render_json(&scope()).map_err(|e| e.message),
            tpl.variables(),
            tpl.nested_names(),
            engine.lint(tpl, Some(&env_names)).map(|e| e.message),
        )
    }

    #[test]
    fn mixed_text_and_expressions_render_like_a_template() {
        let e = engine();
        for source in [
            "{{ base_url }}/items/7",
            "a{{ s }}b",
            "{{ n }}{{ neg }}",
            "x {{ big }} {{ huge }} {{ u64max }}",
            "{{ f }} {{ whole }} {{ written }} {{ exp }} {{ 2.5 * 2 }} {{ 1e300 * 1e10 }}",
            "{{ t }}/{{ false }}",
            "{{ none }}!",
            "v={{ nothing }}",
            "{{ list }} {{ map }} {{ map.c }} {{ [n, s] }}",
            "{{ s | upper }}.",
            "{{ s | urlencode }}&x",
            "{{ map | tojson }} {{ '<b>' | safe }} {{ s | escape }}",
            "{{ totp('JBSWY3DPEHPK3PXP') }}-{{ uuid() | length }}",
            "{{ n + 1 }}/{{ n / 2 }}/{{ n // 2 }}/{{ s ~ '!' }}",
            "{{ missing | default('d') }} {{ missing is defined }}",
            "{{ missing }} x",
            "{{ nme }} x",
            "x {{ env.NOPE }}",
            "x {{ env.HOME }}",
            "x {{ map.zz }}",
            "x {{ map.zz.yy }}",
            "x {{ list[10] }}",
            "{{ n + 'a' }} x",
            "{{ 1 / 0 }} x",
            "{{ nosuch(1) }} x",
            "{{ s | nosuch }} x",
            "{{ uuid(1) }} x",
            "{{ auth.token }} x",
            "x {{ auth.token[:4] }} y",
            "{{ jwt_claims(auth.token).sub | lower }}/x",
            "line\n{{ n }}\n",
            "crlf\r\n{{ n }}\r\n\r\n",
            "{\"id\": {{ n }}}",
            "{ {{ n }} }",
            "}} {{ n }} }}",
            "{{ n }}{{ n }}",
            "  {{ n }}  ",
        ] {
            let parts = e.compile(source).unwrap();
            assert!(matches!(parts, Tpl::Parts(_)), "{source:?} is not parts");
            let full = e.compile_template(source).unwrap();
            assert!(matches!(full, Tpl::Template(..)));
            assert_eq!(observe(&parts, &e), observe(&full, &e), "{source:?}");
        }
    }

    #[test]
    fn what_the_splitter_is_not_sure_of_is_a_full_template() {
        let e = engine();
        for source in [
            "{{- n }} x",
            "x {{ n -}}",
            "{{+ n }} x",
            "x {{ n +}}",
            "{% if t %}a{% endif %}{{ n }}",
            "a {# c #}{{ n }}",
            "{{ 'a' if false }} x",
            "{{ '}}' }} x",
            "{{ '{' }} x",
            "{{ {'a': 1} }} x",
        ] {
            let tpl = e.compile(source).unwrap();
            assert!(matches!(tpl, Tpl::Template(..)), "{source:?}");
        }
        assert_eq!(
            e.compile("{{ 'a' if false }} x")
                .unwrap()
                .render(&scope())
                .unwrap(),
            " x"
        );
        for broken in [
            "a {{ n ",
            "{{ n }} {{ }}",
            "{{ n }} {{ n n }}",
            "{{ (n }} x) }}",
        ] {
            let err = e.compile(broken).unwrap_err();
            assert_eq!(err, e.compile_template(broken).unwrap_err(), "{broken:?}");
        }
    }

    /// Kind: nothing the engine keeps grows with the number of templates
    /// compiled: parts and expressions own their text, full templates own
    /// theirs (`FullTemplate`), and shared compiled expressions are capped.
    #[test]
    fn compiling_many_templates_keeps_a_bounded_amount() {
        let e = engine();
        for i in 0..10_000 {
            let tpl = e
                .compile(&format!("{{{{ base_url }}}}/items/{{{{ n{i} }}}}"))
                .unwrap();
            assert!(matches!(tpl, Tpl::Parts(_)));
            let tpl = e.compile(&format!("{{{{ m{i} }}}}")).unwrap();
            assert!(matches!(tpl, Tpl::Expr(..)));
            let tpl = e
                .compile(&format!("{{% if t %}}{{{{ n }}}}{i}{{% endif %}}"))
                .unwrap();
            assert!(matches!(tpl, Tpl::Template(..)));
            assert_eq!(
                tpl.source(),
                format!("{{% if t %}}{{{{ n }}}}{i}{{% endif %}}")
            );
        }
        assert!(e.kept_expressions() <= super::super::EXPRESSIONS_KEPT);
    }
}
