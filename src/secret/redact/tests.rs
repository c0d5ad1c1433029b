use super::*;

#[test]
fn nothing_registered_borrows() {
    let redactor = Redactor::new(false);
    assert!(matches!(redactor.redact("hello"), Cow::Borrowed("hello")));
}

#[test]
fn no_match_borrows() {
    let redactor = Redactor::new(false);
    redactor.add("s3cr3t-value");
    assert!(matches!(redactor.redact("nothing here"), Cow::Borrowed(_)));
}

#[test]
fn registered_value_is_masked_everywhere() {
    let redactor = Redactor::new(false);
    redactor.add("s3cr3t");
    assert_eq!(redactor.redact("a s3cr3t b s3cr3t"), "a *** b ***");
}

#[test]
fn url_encoded_forms_are_masked() {
    let redactor = Redactor::new(false);
    redactor.add("p@ss word/+&");
    assert_eq!(
        redactor.redact("grant_type=x&client_secret=p%40ss+word%2F%2B%26&y=1"),
        "grant_type=x&client_secret=***&y=1"
    );
    assert_eq!(
        redactor.redact("/login?pw=p%40ss%20word%2F%2B%26"),
        "/login?pw=***"
    );
}

#[test]
fn value_parsed_raw_into_a_url_is_masked() {
    let redactor = Redactor::new(false);
    redactor.add("p@ss wörd");
    for template in ["https://h/x?pw={}", "https://h/{}/x"] {
        let url = url::Url::parse(&template.replace("{}", "p@ss wörd"))
            .map(String::from)
            .unwrap_or_default();
        assert_eq!(
            redactor.redact(&url),
            template.replace("{}", "***"),
            "{url}"
        );
    }
}

#[test]
fn json_escaped_form_is_masked() {
    let redactor = Redactor::new(false);
    redactor.add("quote\"back\\slash\nline");
    let body = serde_json::json!({ "password": "quote\"back\\slash\nline" }).to_string();
    assert_eq!(redactor.redact(&body), r#"{"password":"***"}"#);
}

#[test]
fn basic_pair_base64_is_masked() {
    let redactor = Redactor::new(false);
    redactor.add_basic_pair("alice", "wonderland");
    // base64("alice:wonderland")
    assert_eq!(
        redactor.redact("Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="),
        "Authorization: Basic ***"
    );
    assert_eq!(redactor.redact("alice wonderland"), "alice ***");
}

#[test]
fn overlapping_secrets_leave_nothing_visible() {
    let redactor = Redactor::new(false);
    redactor.add("abcdef");
    redactor.add("defghi");
    assert_eq!(redactor.redact("x abcdefghi y"), "x *** y");
    // One secret inside another: the longer one wins.
    redactor.add("cd");
    assert_eq!(redactor.redact("abcdef cd"), "*** ***");
}

#[test]
fn short_values_are_still_masked() {
    let redactor = Redactor::new(false);
    redactor.add("ab");
    assert_eq!(redactor.redact("cab"), "c***");
}

#[test]
fn empty_value_is_ignored() {
    let redactor = Redactor::new(false);
    redactor.add("");
    assert!(matches!(redactor.redact("text"), Cow::Borrowed("text")));
}

#[test]
fn values_added_later_are_masked_after_rebuild() {
    let redactor = Redactor::new(false);
    redactor.add("first1");
    assert_eq!(redactor.redact("first1 second2"), "*** second2");
    redactor.add("second2");
    assert_eq!(redactor.redact("first1 second2"), "*** ***");
}

#[test]
fn multibyte_text_around_secrets() {
    let redactor = Redactor::new(false);
    redactor.add("clé-секрет");
    assert_eq!(redactor.redact("ünï clé-секрет ✓"), "ünï *** ✓");
}

#[test]
fn show_secrets_passes_everything_through() {
    let redactor = Redactor::new(true);
    redactor.add("s3cr3t");
    assert!(redactor.show_secrets());
    assert_eq!(redactor.redact("s3cr3t"), "s3cr3t");
    assert_eq!(
        redactor.header_value("Authorization", "Bearer s3cr3t"),
        "Bearer s3cr3t"
    );
}

#[test]
fn sensitive_headers_are_case_insensitive() {
    for name in [
        "Authorization",
        "AUTHORIZATION",
        "proxy-authorization",
        "Cookie",
        "set-cookie",
        "TOTP-Auth",
        "ps-auth",
        "X-API-Key",
    ] {
        assert!(Redactor::is_sensitive_header(name), "{name}");
    }
    assert!(!Redactor::is_sensitive_header("Content-Type"));
    assert!(!Redactor::is_sensitive_header("Authorization-Hint"));
}

#[test]
fn header_values_keep_scheme_and_names() {
    let redactor = Redactor::new(false);
    assert_eq!(
        redactor.header_value("Authorization", "Bearer eyJ.abc.def"),
        "Bearer ***"
    );
    assert_eq!(
        redactor.header_value("authorization", "Basic dXNlcjpwYXNz"),
        "Basic ***"
    );
    assert_eq!(
        redactor.header_value("Authorization", "rawtokenwithoutscheme"),
        "***"
    );
    assert_eq!(
        redactor.header_value("Authorization", "PS-Auth key=abc; runas=svc; pwd=[p];"),
        "PS-Auth ***"
    );
    assert_eq!(
        redactor.header_value("Cookie", "sid=abc; theme=dark"),
        "sid=***; theme=***"
    );
    assert_eq!(
        redactor.header_value("Set-Cookie", "sid=abc; Path=/; HttpOnly"),
        "sid=***; Path=/; HttpOnly"
    );
    assert_eq!(redactor.header_value("totp-auth", "123456"), "***");
    assert_eq!(redactor.header_value("PS-Auth", "anything at all"), "***");
}

#[test]
fn ordinary_headers_are_redacted_by_value() {
    let redactor = Redactor::new(false);
    redactor.add("tenant-key-123");
    assert_eq!(redactor.header_value("X-Tenant", "tenant-key-123"), "***");
    assert!(matches!(
        redactor.header_value("Content-Type", "application/json"),
        Cow::Borrowed("application/json")
    ));
}

#[test]
fn shared_across_threads() {
    let redactor = Arc::new(Redactor::new(false));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let redactor = Arc::clone(&redactor);
            std::thread::spawn(move || {
                let value = format!("thread-secret-{i}");
                redactor.add(&value);
                redactor.redact(&format!("<{value}>")).into_owned()
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().ok().as_deref(), Some("<***>"));
    }
}
