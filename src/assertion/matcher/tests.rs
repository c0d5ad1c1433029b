use super::*;
use serde_json::{Value, json};

fn m(spec: Value) -> Matcher {
    Matcher::parse(&spec, OperandKind::Json).unwrap()
}

fn ok(spec: Value, actual: Value) {
    let matcher = m(spec.clone());
    if let Err(e) = matcher.check(Some(&actual)) {
        panic!("{spec} should accept {actual}: {}", e.message);
    }
}

/// The mismatch message for `actual`.
fn no(spec: Value, actual: Value) -> String {
    match m(spec.clone()).check(Some(&actual)) {
        Ok(()) => panic!("{spec} should reject {actual}"),
        Err(e) => e.message,
    }
}

fn parse_err(spec: Value) -> String {
    Matcher::parse(&spec, OperandKind::Json).unwrap_err()
}

#[test]
fn scalar_means_equality() {
    ok(json!(200), json!(200));
    ok(json!("alice@example.com"), json!("alice@example.com"));
    ok(json!(null), json!(null));
    ok(json!(true), json!(true));
    assert_eq!(no(json!(200), json!(404)), "expected == 200, got 404");
    assert_eq!(m(json!("a")).describe(), r#"== "a""#);
}

#[test]
fn list_means_equality_with_a_list() {
    ok(json!([1, 2]), json!([1, 2]));
    ok(json!([1, {"a": 1.0}]), json!([1.0, {"a": 1}]));
    assert_eq!(
        no(json!([1, 2]), json!([2, 1])),
        "expected == [1,2], got [2,1]"
    );
    no(json!([1]), json!(1));
}

#[test]
fn numbers_compare_by_value() {
    ok(json!(1), json!(1.0));
    ok(json!({"eq": 1.0}), json!(1));
    ok(json!({"gte": 1}), json!(1.0));
    ok(json!({"lt": 0.5}), json!(0));
    ok(json!({"gt": -1}), json!(0));
    ok(json!({"eq": {"a": 1, "b": 2}}), json!({"b": 2.0, "a": 1}));
    // Exact beyond 2^53, where f64 would confuse neighbours.
    no(json!(9007199254740993_u64), json!(9007199254740992_u64));
    ok(
        json!({"gt": 9007199254740992_u64}),
        json!(9007199254740993_u64),
    );
    ok(
        json!({"lt": -9223372036854775807_i64}),
        json!(-9223372036854775808_i64),
    );
    ok(
        json!({"gt": 18446744073709551614_u64}),
        json!(18446744073709551615_u64),
    );
    assert_eq!(no(json!({"ne": 1}), json!(1.0)), "expected != 1, got 1.0");
}

#[test]
fn types_are_strict_with_a_note_when_texts_agree() {
    assert_eq!(
        no(json!(200), json!("200")),
        r#"expected 200 (number), got "200" (string)"#
    );
    assert_eq!(
        no(json!("true"), json!(true)),
        r#"expected "true" (string), got true (boolean)"#
    );
    assert_eq!(
        no(json!(null), json!("null")),
        r#"expected null (null), got "null" (string)"#
    );
    assert_eq!(
        no(json!(200), json!("201")),
        r#"expected == 200, got "201""#
    );
    ok(json!({"ne": 200}), json!("200"));
}

#[test]
fn ordering() {
    ok(json!({"gt": 0}), json!(1));
    ok(json!({"gte": 1, "lte": 1}), json!(1));
    assert_eq!(no(json!({"gt": 0}), json!(0)), "expected > 0, got 0");
    assert_eq!(no(json!({"lt": 10}), json!(10)), "expected < 10, got 10");
    assert_eq!(no(json!({"gte": 2}), json!(1.5)), "expected >= 2, got 1.5");
    assert_eq!(no(json!({"lte": 2}), json!(3)), "expected <= 2, got 3");
    // Header values are text: a numeric string is read as its number.
    ok(json!({"gt": 1000}), json!("1234"));
    assert_eq!(
        no(json!({"gt": 0}), json!("abc")),
        r#"expected > 0, got "abc" (string, not a number)"#
    );
    assert_eq!(
        no(json!({"lt": 1}), json!(null)),
        "expected < 1, got null (null, not a number)"
    );
}

#[test]
fn all_operators_must_hold_and_the_first_failure_is_reported() {
    let matcher = m(json!({"gt": 0, "lt": 10}));
    assert_eq!(matcher.describe(), "> 0 and < 10");
    assert!(matcher.check(Some(&json!(5))).is_ok());
    let e = matcher.check(Some(&json!(10))).unwrap_err();
    assert_eq!(e.message, "expected < 10, got 10");
    assert_eq!(e.expected, "< 10");
    assert_eq!(e.actual, "10");
}

#[test]
fn contains() {
    ok(
        json!({"contains": "json"}),
        json!("application/json; charset=utf-8"),
    );
    ok(json!({"contains": 2}), json!([1, 2.0, 3]));
    ok(json!({"contains": {"id": 1}}), json!([{"id": 1}]));
    ok(json!({"contains": "id"}), json!({"id": 1}));
    assert_eq!(
        m(json!({"contains": "json"})).describe(),
        r#"contains "json""#
    );
    assert_eq!(
        no(json!({"contains": "xml"}), json!("text/html")),
        r#"expected contains "xml", got "text/html""#
    );
    assert_eq!(
        no(json!({"contains": 4}), json!([1, 2])),
        "expected contains 4, got [1,2]"
    );
    assert_eq!(
        no(json!({"contains": "name"}), json!({"id": 1})),
        r#"expected contains "name", got {"id":1}"#
    );
    assert_eq!(
        no(json!({"contains": 2}), json!("123")),
        r#"expected contains 2, got "123" (only a string can be found in a string)"#
    );
    assert_eq!(
        no(json!({"contains": 1}), json!({"1": 1})),
        r#"expected contains 1, got {"1":1} (an object contains keys, which are strings)"#
    );
    assert_eq!(
        no(json!({"contains": 1}), json!(1)),
        "expected contains 1, got 1 (a number contains nothing)"
    );
}

#[test]
fn matches() {
    ok(json!({"matches": "^build-\\d+$"}), json!("build-42"));
    ok(json!({"matches": "\\d{3}"}), json!("x200y"));
    // Non-strings match against their compact JSON text.
    ok(json!({"matches": "^2\\d\\d$"}), json!(204));
    ok(json!({"matches": "^\\[1,2\\]$"}), json!([1, 2]));
    ok(json!({"matches": "^true$"}), json!(true));
    assert_eq!(m(json!({"matches": "^a+$"})).describe(), "matches /^a+$/");
    assert_eq!(
        no(json!({"matches": "^a+$"}), json!("ab")),
        r#"expected matches /^a+$/, got "ab""#
    );
    let e = parse_err(json!({"matches": "(unclosed"}));
    assert!(
        e.starts_with(r#"`matches` has an invalid regex "(unclosed": "#),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    assert_eq!(
        parse_err(json!({"matches": 3})),
        "`matches` expects a regex as a string, found 3"
    );
}

#[test]
fn exists() {
    let yes = m(json!({"exists": true}));
    let no_ = m(json!({"exists": false}));
    assert!(yes.check(Some(&json!(null))).is_ok(), "a null node exists");
    assert!(no_.check(None).is_ok());
    assert_eq!(yes.describe(), "exists");
    assert_eq!(no_.describe(), "does not exist");
    let e = yes.check(None).unwrap_err();
    assert_eq!(e.message, "expected exists, got nothing");
    assert_eq!(e.actual, "(nothing)");
    let e = no_.check(Some(&json!(3))).unwrap_err();
    assert_eq!(e.message, "expected no value, got 3");
    assert_eq!(e.actual, "3");
    assert_eq!(
        parse_err(json!({"exists": 3})),
        "`exists` expects true or false, found 3"
    );
    assert_eq!(
        parse_err(json!({"exists": "yes"})),
        r#"`exists` expects true or false, found "yes""#
    );
}

#[test]
fn every_other_operator_fails_on_nothing() {
    for spec in [
        json!(1),
        json!(null),
        json!({"ne": 1}),
        json!({"gt": 1}),
        json!({"contains": "a"}),
        json!({"matches": "a"}),
        json!({"type": "null"}),
        json!({"length": 0}),
        json!({"one_of": [1]}),
    ] {
        let matcher = m(spec.clone());
        let e = matcher.check(None).unwrap_err();
        assert_eq!(e.actual, "(nothing)", "{spec}");
        assert_eq!(
            e.message,
            format!("expected {}, got nothing", matcher.describe())
        );
    }
    let e = m(json!({"exists": true, "gt": 1})).check(None).unwrap_err();
    assert_eq!(e.message, "expected exists, got nothing");
}

#[test]
fn type_names() {
    ok(json!({"type": "string"}), json!(""));
    ok(json!({"type": "number"}), json!(1));
    ok(json!({"type": "number"}), json!(1.5));
    ok(json!({"type": "integer"}), json!(-3));
    ok(json!({"type": "integer"}), json!(2.0));
    ok(json!({"type": "integer"}), json!(18446744073709551615_u64));
    ok(json!({"type": "boolean"}), json!(false));
    ok(json!({"type": "array"}), json!([]));
    ok(json!({"type": "object"}), json!({}));
    ok(json!({"type": "null"}), json!(null));
    assert_eq!(
        no(json!({"type": "integer"}), json!(1.5)),
        "expected type integer, got 1.5 (number)"
    );
    assert_eq!(
        no(json!({"type": "null"}), json!("null")),
        r#"expected type null, got "null" (string)"#
    );
    assert_eq!(m(json!({"type": "array"})).describe(), "type array");
    assert_eq!(
        parse_err(json!({"type": "bool"})),
        "`type` has unknown type `bool` (did you mean `boolean`?)"
    );
    assert_eq!(
        parse_err(json!({"type": "strng"})),
        "`type` has unknown type `strng` (did you mean `string`?)"
    );
    assert!(parse_err(json!({"type": "date"})).contains("(use one of string, number, integer"));
    assert_eq!(
        parse_err(json!({"type": null})),
        "`type` expects a type name (string, number, integer, boolean, array, object, null), \
         found null; write `type: \"null\"` with quotes"
    );
}

#[test]
fn length() {
    ok(json!({"length": 3}), json!("héé"));
    ok(json!({"length": 2}), json!([1, 2]));
    ok(json!({"length": 1}), json!({"a": 1}));
    ok(json!({"length": {"gt": 0, "lte": 2}}), json!([1]));
    assert_eq!(m(json!({"length": 3})).describe(), "length == 3");
    assert_eq!(m(json!({"length": {"gt": 0}})).describe(), "length > 0");
    assert_eq!(
        m(json!({"length": {"gt": 0, "lt": 5}})).describe(),
        "length (> 0 and < 5)"
    );
    let e = m(json!({"length": 3}))
        .check(Some(&json!([1])))
        .unwrap_err();
    assert_eq!(e.message, "expected length == 3, got length 1");
    assert_eq!(e.actual, "[1]");
    assert_eq!(
        no(json!({"length": {"gt": 0}}), json!(5)),
        "expected length > 0, got 5 (a number has no length)"
    );
    assert!(parse_err(json!({"length": -1})).starts_with("`length` expects a whole number"));
    assert!(parse_err(json!({"length": "3"})).starts_with("`length` expects a whole number"));
    assert_eq!(
        parse_err(json!({"length": {"gt": "x"}})),
        r#"in `length`: `gt` expects a number, found "x""#
    );
}

#[test]
fn one_of() {
    ok(json!({"one_of": [200, 201]}), json!(201));
    ok(json!({"one_of": [1, "a"]}), json!(1.0));
    assert_eq!(
        m(json!({"one_of": [200, "x"]})).describe(),
        r#"one of [200, "x"]"#
    );
    assert_eq!(
        no(json!({"one_of": [200, 201]}), json!(500)),
        "expected one of [200, 201], got 500"
    );
    assert_eq!(
        parse_err(json!({"one_of": 3})),
        "`one_of` expects a list, found 3"
    );
}

#[test]
fn operand_errors_name_the_operator() {
    assert_eq!(
        parse_err(json!({"gt": "abc"})),
        r#"`gt` expects a number, found "abc""#
    );
    assert_eq!(
        parse_err(json!({"lte": null})),
        "`lte` expects a number, found null"
    );
    assert!(parse_err(json!({})).starts_with("an empty map has no operators"));
}

#[test]
fn unknown_operators_get_a_hint() {
    assert_eq!(
        parse_err(json!({"contain": "x"})),
        "unknown operator `contain` (did you mean `contains`?)"
    );
    assert_eq!(
        parse_err(json!({"lenght": 1})),
        "unknown operator `lenght` (did you mean `length`?)"
    );
    assert_eq!(
        parse_err(json!({"oneof": [1]})),
        "unknown operator `oneof` (did you mean `one_of`?)"
    );
    assert_eq!(
        parse_err(json!({"regex": "a"})),
        "unknown operator `regex` (did you mean `matches`?)"
    );
    assert_eq!(
        parse_err(json!({"equals": 1})),
        "unknown operator `equals` (did you mean `eq`?)"
    );
    let e = parse_err(json!({"name": "alice"}));
    assert!(
        e.starts_with("unknown operator `name` (operators: eq, ne,"),
        "{e}"
    );
    assert!(
        e.ends_with("to compare with an object, write `eq: {…}`)"),
        "{e}"
    );
}

#[test]
fn durations_are_milliseconds() {
    let d = |spec: Value| Matcher::parse(&spec, OperandKind::Duration).unwrap();
    let matcher = d(json!({"lt": "2s"}));
    assert_eq!(matcher.describe(), "< 2000ms");
    assert!(matcher.check(Some(&json!(1999))).is_ok());
    let e = matcher.check(Some(&json!(2350))).unwrap_err();
    assert_eq!(e.message, "expected < 2000ms, got 2350ms");
    assert_eq!(e.actual, "2350ms");
    assert_eq!(d(json!({"lte": 250})).describe(), "<= 250ms");
    assert_eq!(d(json!({"gt": "1.5ms"})).describe(), "> 1.5ms");
    assert_eq!(d(json!("1m")).describe(), "== 60000ms");
    assert_eq!(
        d(json!({"one_of": ["1s", 5]})).describe(),
        "one of [1000ms, 5ms]"
    );
    let err = |spec: Value| Matcher::parse(&spec, OperandKind::Duration).unwrap_err();
    assert!(err(json!({"lt": "2 weeks"})).starts_with("`lt`: "));
    assert_eq!(
        err(json!({"contains": 1})),
        "`contains` does not apply to a duration; use eq, ne, gt, gte, lt, lte or one_of"
    );
}

#[test]
fn mismatch_texts_are_one_line() {
    let e = m(json!({"eq": "a\nb"}))
        .check(Some(&json!("a\nc")))
        .unwrap_err();
    assert_eq!(e.message, r#"expected == "a\nb", got "a\nc""#);
    assert!(!e.message.contains('\n') && !e.expected.contains('\n') && !e.actual.contains('\n'));
}
