//! JSONPath queries (RFC 9535) over response bodies.
//!
//! Why a wrapper rather than calling `jsonpath-rust` directly: the runner
//! compiles every `$.…` key of a request file once, at load time, and needs a
//! short error with a position to point at the user's file; and the crate,
//! although close to RFC 9535, accepts a few ill-typed filters and orders one
//! kind of descendant query wrongly. This module fixes what can be fixed
//! cleanly on top of the crate's public AST (see `validate` and
//! `select_segments`) and the conformance test at the bottom pins the rest
//! (`KNOWN_FAILURES`), so an upgrade that fixes or breaks a case is noticed.
//! User-facing notes live in `docs/jsonpath.md`.

use std::fmt;

use jsonpath_rust::parser::errors::JsonPathError as CrateError;
use jsonpath_rust::parser::model::{
    Comparable, Comparison, FilterAtom, FnArg, JpQuery, Segment, Selector, Test, TestFunction,
};
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::{QueryRef, js_path_process};
use serde_json::Value;

/// A compiled JSONPath query together with the text it was compiled from.
#[derive(Clone, Debug)]
pub struct JsonPath {
    source: String,
    query: std::sync::Arc<JpQuery>,
}

/// Queries parsed so far, by text: a big file asks for `$.ok` thousands of
/// times.
static QUERIES: crate::memo::Memo<JpQuery> = crate::memo::Memo::new(128);

/// Why an expression is not a valid RFC 9535 query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPathError {
    /// One line, without the expression itself (the caller shows it).
    pub message: String,
    /// Character (not byte) offset in the expression, when known.
    pub offset: Option<usize>,
}

impl fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(at) => write!(f, "{} (at character {})", self.message, at + 1),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for JsonPathError {}

impl JsonPath {
    /// Compiles `expr`, which must be a whole RFC 9535 query starting with `$`.
    pub fn parse(expr: &str) -> Result<JsonPath, JsonPathError> {
        if !expr.starts_with('$') {
            return Err(JsonPathError {
                message: "a JSONPath query starts with `$`, e.g. `$.data.id`".into(),
                offset: Some(0),
            });
        }
        if expr.trim_end() != expr {
            // RFC 9535 allows no whitespace after the last segment; the crate
            // accepts it after a segment (not after a lone `$`).
            return Err(JsonPathError {
                message: "unexpected whitespace at the end".into(),
                offset: Some(expr.trim_end().chars().count()),
            });
        }
        let query = QUERIES.get_or_make(expr, || {
            let query = parse_json_path(expr).map_err(|e| syntax_error(expr, &e))?;
            validate_segments(&query.segments).map_err(|message| JsonPathError {
                message,
                offset: None,
            })?;
            Ok(query)
        })?;
        Ok(JsonPath {
            source: expr.to_string(),
            query,
        })
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Nodes selected, in document order, as the RFC says.
    pub fn select<'a>(&self, doc: &'a Value) -> Vec<&'a Value> {
        select_nodes(&self.query.segments, doc)
            .into_iter()
            .map(|r| r.val)
            .collect()
    }

    /// Whether the query is singular (RFC 9535 §2.3.5.1): only name and
    /// index selectors, one per segment, no descendant segment. Only a
    /// singular query can select at most one node whatever the document.
    pub fn is_singular(&self) -> bool {
        let single = |s: &Selector| matches!(s, Selector::Name(_) | Selector::Index(_));
        self.query.segments.iter().all(|segment| match segment {
            Segment::Selector(s) => single(s),
            Segment::Selectors(list) => list.len() == 1 && single(&list[0]),
            Segment::Descendant(_) => false,
        })
    }

    /// What matchers compare and captures keep. A singular query yields
    /// the value of its node, or `None` when there is none. Any other query
    /// (filter, wildcard, slice, descendant, several selectors) yields its
    /// nodelist as an array, in document order, however many nodes it holds:
    /// one match is `[node]`, none is `[]`. The shape depends on the query,
    /// never on the data.
    pub fn select_actual(&self, doc: &Value) -> Option<Value> {
        let mut nodes = self.select(doc);
        if self.is_singular() {
            return nodes.pop().cloned();
        }
        Some(Value::Array(nodes.into_iter().cloned().collect()))
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Turns the crate's error (a multi-line pest report, or a debug-ish message)
/// into one line with a character offset.
fn syntax_error(expr: &str, err: &CrateError) -> JsonPathError {
    match err {
        CrateError::PestError(pest) => {
            // `InputLocation` is not re-exported; its Debug form is `Pos(n)` or
            // `Span((n, m))`, n being a byte offset.
            let loc = format!("{:?}", pest.location);
            let byte = loc
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|&b| expr.is_char_boundary(b));
            let offset = byte.map(|b| expr[..b].chars().count());
            let message = match byte.and_then(|b| expr[b..].chars().next()) {
                Some(c) if c.is_whitespace() => "unexpected whitespace".to_string(),
                Some(c) => format!("unexpected `{c}`"),
                None => "unexpected end of the query".to_string(),
            };
            JsonPathError { message, offset }
        }
        CrateError::MaxNestingDepthExceeded(n) => JsonPathError {
            message: format!("nested deeper than {n} levels"),
            offset: None,
        },
        other => JsonPathError {
            message: other.to_string(),
            offset: None,
        },
    }
}

// ---------------------------------------------------------------------------
// Well-typedness (RFC 9535 §2.4.3), which the crate only partly checks.

const FUNCTIONS: &str = "length, count, match, search, value";

fn fn_name(f: &TestFunction) -> &str {
    match f {
        TestFunction::Custom(name, _) => name,
        TestFunction::Length(_) => "length",
        TestFunction::Value(_) => "value",
        TestFunction::Count(_) => "count",
        TestFunction::Search(..) => "search",
        TestFunction::Match(..) => "match",
    }
}

/// True for functions whose result is a value (to be compared), false for
/// those whose result is logical (to be tested).
fn returns_value(f: &TestFunction) -> bool {
    matches!(
        f,
        TestFunction::Length(_) | TestFunction::Value(_) | TestFunction::Count(_)
    )
}

fn validate_segments(segments: &[Segment]) -> Result<(), String> {
    segments.iter().try_for_each(validate_segment)
}

fn validate_segment(segment: &Segment) -> Result<(), String> {
    match segment {
        Segment::Descendant(inner) => validate_segment(inner),
        Segment::Selector(s) => validate_selector(s),
        Segment::Selectors(list) => list.iter().try_for_each(validate_selector),
    }
}

fn validate_selector(selector: &Selector) -> Result<(), String> {
    match selector {
        Selector::Filter(filter) => validate_filter(filter),
        _ => Ok(()),
    }
}

fn validate_filter(filter: &jsonpath_rust::parser::model::Filter) -> Result<(), String> {
    use jsonpath_rust::parser::model::Filter;
    match filter {
        Filter::Or(list) | Filter::And(list) => list.iter().try_for_each(validate_filter),
        Filter::Atom(FilterAtom::Filter { expr, .. }) => validate_filter(expr),
        Filter::Atom(FilterAtom::Test { expr, .. }) => match &**expr {
            Test::RelQuery(segments) => validate_segments(segments),
            Test::AbsQuery(query) => validate_segments(&query.segments),
            Test::Function(f) if returns_value(f) => Err(format!(
                "the result of `{}()` must be compared, e.g. `{}(…) > 0`",
                fn_name(f),
                fn_name(f)
            )),
            Test::Function(f) => validate_function(f),
        },
        Filter::Atom(FilterAtom::Comparison(cmp)) => {
            let (left, right) = match &**cmp {
                Comparison::Eq(l, r)
                | Comparison::Ne(l, r)
                | Comparison::Gt(l, r)
                | Comparison::Gte(l, r)
                | Comparison::Lt(l, r)
                | Comparison::Lte(l, r) => (l, r),
            };
            validate_comparable(left)?;
            validate_comparable(right)
        }
    }
}

fn validate_comparable(c: &Comparable) -> Result<(), String> {
    match c {
        Comparable::Literal(_) | Comparable::SingularQuery(_) => Ok(()),
        Comparable::Function(f) if !returns_value(f) => Err(format!(
            "`{}()` is true or false and cannot be compared; use it alone",
            fn_name(f)
        )),
        Comparable::Function(f) => validate_function(f),
    }
}

fn validate_function(f: &TestFunction) -> Result<(), String> {
    let name = fn_name(f);
    match f {
        TestFunction::Custom(..) => Err(format!(
            "unknown function `{name}()` (RFC 9535 defines {FUNCTIONS})"
        )),
        TestFunction::Length(a) => value_arg(name, a),
        TestFunction::Match(a, b) | TestFunction::Search(a, b) => {
            value_arg(name, a)?;
            value_arg(name, b)
        }
        TestFunction::Count(a) | TestFunction::Value(a) => nodes_arg(name, a),
    }
}

/// A ValueType parameter takes a literal, a singular query or a value function.
fn value_arg(name: &str, arg: &FnArg) -> Result<(), String> {
    match arg {
        FnArg::Literal(_) => Ok(()),
        FnArg::Test(test) => match &**test {
            Test::RelQuery(segments) => singular(name, segments),
            Test::AbsQuery(query) => singular(name, &query.segments),
            Test::Function(g) if returns_value(g) => validate_function(g),
            Test::Function(g) => Err(format!(
                "`{}()` is true or false and cannot be an argument of `{name}()`",
                fn_name(g)
            )),
        },
        FnArg::Filter(_) => Err(format!(
            "a logical expression cannot be an argument of `{name}()`"
        )),
    }
}

fn singular(name: &str, segments: &[Segment]) -> Result<(), String> {
    let is_singular = segments
        .iter()
        .all(|s| matches!(s, Segment::Selector(Selector::Name(_) | Selector::Index(_))));
    if is_singular {
        Ok(())
    } else {
        Err(format!(
            "`{name}()` takes a query that selects at most one node (names and indexes only)"
        ))
    }
}

/// A NodesType parameter takes a query.
fn nodes_arg(name: &str, arg: &FnArg) -> Result<(), String> {
    match arg {
        FnArg::Test(test) => match &**test {
            Test::RelQuery(segments) => validate_segments(segments),
            Test::AbsQuery(query) => validate_segments(&query.segments),
            Test::Function(_) => Err(format!("`{name}()` takes a query, not a function")),
        },
        FnArg::Literal(_) | FnArg::Filter(_) => {
            Err(format!("`{name}()` takes a query such as `@.items`"))
        }
    }
}

// ---------------------------------------------------------------------------
// Evaluation.

/// Runs the query with the crate, except around a descendant segment with
/// several selectors (`$..['a','d']`): RFC 9535 §2.5.2.2 applies all the
/// selectors to each visited node in turn, whereas the crate applies the first
/// selector to every node, then the second, which breaks document order. There
/// the query is split: the part before runs as usual, and the segment and the
/// rest run once per visited node, addressed by its normalized path (so that
/// `$` in later filters still means the document root).
fn select_nodes<'a>(segments: &[Segment], doc: &'a Value) -> Vec<QueryRef<'a, Value>> {
    let split = segments.iter().position(
        |s| matches!(s, Segment::Descendant(inner) if matches!(**inner, Segment::Selectors(_))),
    );
    let Some(at) = split else {
        let query = JpQuery::new(segments.to_vec());
        return js_path_process(&query, doc).unwrap_or_default();
    };
    let Segment::Descendant(inner) = &segments[at] else {
        unreachable!("position() matched a descendant segment")
    };
    let mut out = Vec::new();
    for start in select_nodes(&segments[..at], doc) {
        let Ok(base) = parse_json_path(&start.path) else {
            continue; // the crate's normalized paths always parse
        };
        // Pre-order walk: a node, then its descendants in document order.
        let mut stack = vec![(start.val, base.segments)];
        while let Some((node, path)) = stack.pop() {
            let mut query = path.clone();
            query.push((**inner).clone());
            query.extend_from_slice(&segments[at + 1..]);
            out.extend(select_nodes(&query, doc));
            let mut children: Vec<(&Value, Vec<Segment>)> = match node {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v, step(&path, Selector::Index(i as i64))))
                    .collect(),
                Value::Object(map) => map
                    .iter()
                    .map(|(k, v)| (v, step(&path, Selector::Name(k.clone()))))
                    .collect(),
                _ => Vec::new(),
            };
            children.reverse();
            stack.extend(children);
        }
    }
    out
}

fn step(path: &[Segment], selector: Selector) -> Vec<Segment> {
    let mut next = path.to_vec();
    next.push(Segment::Selector(selector));
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_in_document_order() {
        let doc = json!({"data": {"users": [{"id": 1}, {"id": 2}], "total": 2}});
        let path = JsonPath::parse("$.data.users[*].id").unwrap();
        assert_eq!(path.as_str(), "$.data.users[*].id");
        assert_eq!(path.select(&doc), vec![&json!(1), &json!(2)]);
        assert_eq!(path.select_actual(&doc), Some(json!([1, 2])));
    }

    #[test]
    fn singular_queries_yield_the_value_others_the_nodelist() {
        let doc = json!({"a": [7], "b": null, "u": [{"on": true}, {"on": false}]});
        let one = |p: &str| JsonPath::parse(p).unwrap().select_actual(&doc);
        assert_eq!(one("$.missing"), None);
        assert_eq!(one("$.a[0]"), Some(json!(7)));
        assert_eq!(one("$['a'][-1]"), Some(json!(7)));
        assert_eq!(one("$.b"), Some(Value::Null));
        assert_eq!(one("$.a"), Some(json!([7])));
        assert_eq!(one("$"), Some(doc.clone()));
        // Non-singular: a list, whatever the number of nodes.
        assert_eq!(one("$.a[*]"), Some(json!([7])));
        assert_eq!(one("$.a[5:]"), Some(json!([])));
        assert_eq!(one("$.u[?@.on == true]"), Some(json!([{"on": true}])));
        assert_eq!(one("$.u[?@.on == 3]"), Some(json!([])));
        assert_eq!(one("$..on"), Some(json!([true, false])));
        assert_eq!(one("$['a','b']"), Some(json!([[7], null])));
        assert_eq!(one("$.*"), Some(json!([[7], null, doc["u"].clone()])));
    }

    #[test]
    fn descendant_with_several_selectors_keeps_document_order() {
        let doc = json!({"o": [{"a": "b", "d": "e"}, {"a": "c", "d": "f"}]});
        let path = JsonPath::parse("$..['a','d']").unwrap();
        assert_eq!(path.select_actual(&doc), Some(json!(["b", "e", "c", "f"])));
        // Segments after the split still see the real root in filters.
        let doc = json!({"k": 1, "x": [{"a": {"v": 1}, "d": {"v": 2}}]});
        let path = JsonPath::parse("$.x..['a','d'][?@ == $.k]").unwrap();
        assert_eq!(path.select_actual(&doc), Some(json!([1])));
    }

    #[test]
    fn errors_are_one_line_with_offsets() {
        let err = JsonPath::parse("data.id").unwrap_err();
        assert_eq!(err.offset, Some(0));
        assert!(err.message.contains("starts with `$`"), "{err}");

        let err = JsonPath::parse("$.a[").unwrap_err();
        assert_eq!(err.message, "unexpected end of the query");
        assert_eq!(err.offset, Some(4));

        let err = JsonPath::parse("$.é]").unwrap_err();
        assert_eq!(err.message, "unexpected `]`");
        assert_eq!(err.offset, Some(3), "offset counts characters, not bytes");
        assert_eq!(err.to_string(), "unexpected `]` (at character 4)");

        let err = JsonPath::parse("$.a ").unwrap_err();
        assert_eq!(err.message, "unexpected whitespace at the end");
        assert_eq!(err.offset, Some(3));
    }

    #[test]
    fn ill_typed_filters_are_rejected() {
        let message = |p: &str| JsonPath::parse(p).unwrap_err().message;
        assert_eq!(
            message("$[?length(@.a)]"),
            "the result of `length()` must be compared, e.g. `length(…) > 0`"
        );
        assert_eq!(
            message("$[?length(@.*) < 3]"),
            "`length()` takes a query that selects at most one node (names and indexes only)"
        );
        assert_eq!(
            message("$[?in(@.a, 'x')]").split(' ').next(),
            Some("unknown"),
            "the crate's non-standard functions are refused"
        );
        assert!(JsonPath::parse("$[?length(@.a) > 2]").is_ok());
        assert!(JsonPath::parse("$[?count(@.*) == 1]").is_ok());
        assert!(JsonPath::parse("$[?match(@.a, 'x.*')]").is_ok());
        assert!(JsonPath::parse("$[?length(value(@..a)) == 1]").is_ok());
    }

    #[test]
    fn docs_examples_parse() {
        let doc = include_str!("../../docs/jsonpath.md");
        let block = doc
            .split("```jsonpath\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("docs/jsonpath.md has a jsonpath block");
        let mut count = 0;
        for line in block.lines().filter(|l| !l.is_empty()) {
            JsonPath::parse(line).unwrap_or_else(|e| panic!("docs example `{line}`: {e}"));
            count += 1;
        }
        assert!(count > 10);
    }

    #[test]
    fn documented_deviation_nested_filters() {
        let doc = json!([[0, 1, 2], [42], [1], {"tags": ["x"]}, {"tags": ["y"]}]);
        let select = |p: &str| JsonPath::parse(p).unwrap().select_actual(&doc);
        // RFC: [[0,1,2],[42]]; the crate tests `@` itself (see docs).
        assert_eq!(select("$[?@[?@>1]]"), Some(json!([])));
        assert_eq!(
            select("$[?@.tags[?@ == 'x']]"),
            Some(json!([{"tags": ["x"]}]))
        );
        let deep = json!([[5], [[7]], [0]]);
        let got = JsonPath::parse("$[?@..[?@>1]]")
            .unwrap()
            .select_actual(&deep);
        // RFC: [[5], [[7]]]; `[5]` is missed because the filter meets `@` itself.
        assert_eq!(got, Some(json!([[[7]]])));
    }

    // ------------------------------------------------------------------
    // RFC 9535 compliance test suite.

    const CTS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/conformance/jsonpath-cts.json"
    );

    /// Cases of the suite we knowingly fail, with the reason.
    const KNOWN_FAILURES: &[(&str, &str)] = &[(
        "filter, nested",
        "jsonpath-rust evaluates a filter applied directly to `@` inside another \
         filter (`$[?@[?@>1]]`) as a test of `@` itself rather than of its children",
    )];

    #[test]
    fn compliance_suite() {
        let text = std::fs::read_to_string(CTS).expect("read the RFC 9535 compliance suite");
        let suite: Value = serde_json::from_str(&text).expect("suite is JSON");
        let cases = suite["tests"].as_array().expect("tests");
        let mut failed = Vec::new();
        for case in cases {
            let name = case["name"].as_str().expect("name");
            let selector = case["selector"].as_str().expect("selector");
            let parsed = JsonPath::parse(selector);
            let problem = if case["invalid_selector"] == Value::Bool(true) {
                parsed
                    .is_ok()
                    .then(|| "accepted an invalid selector".to_string())
            } else {
                match parsed {
                    Err(e) => Some(format!("rejected a valid selector: {e}")),
                    Ok(path) => {
                        let got = Value::Array(
                            path.select(&case["document"])
                                .into_iter()
                                .cloned()
                                .collect(),
                        );
                        let ok = match case.get("result") {
                            Some(want) => &got == want,
                            None => case["results"].as_array().expect("results").contains(&got),
                        };
                        (!ok).then(|| format!("selected {got}"))
                    }
                }
            };
            if let Some(problem) = problem {
                failed.push((name, format!("{name}: `{selector}` {problem}")));
            }
        }
        let unexpected: Vec<_> = failed
            .iter()
            .filter(|(name, _)| !KNOWN_FAILURES.iter().any(|(k, _)| k == name))
            .map(|(_, why)| why.as_str())
            .collect();
        let fixed: Vec<_> = KNOWN_FAILURES
            .iter()
            .filter(|(k, _)| !failed.iter().any(|(name, _)| name == k))
            .map(|(k, _)| *k)
            .collect();
        assert!(
            unexpected.is_empty() && fixed.is_empty(),
            "{} of {} cases failed.\nunexpected failures:\n  {}\nknown failures now passing (remove them from KNOWN_FAILURES):\n  {}",
            failed.len(),
            cases.len(),
            unexpected.join("\n  "),
            fixed.join("\n  ")
        );
        assert_eq!(
            cases.len(),
            703,
            "the suite changed; update docs/jsonpath.md"
        );
    }
}
