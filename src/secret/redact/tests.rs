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
    assert_eq!(redactor.redact("alice wonderland"), "*** ***");
}

#[test]
fn overlapping_secrets_leave_nothing_visible() {
    let redactor = Redactor::new(false);
    redactor.add("abcdef");
    redactor.add("defghi");
    assert_eq!(redactor.redact("x abcdefghi y"), "x *** y");
    // One secret inside another: the longer one wins.
    redactor.add("bcde");
    assert_eq!(redactor.redact("abcdef bcde"), "*** ***");
    // Overlapping occurrences of one secret.
    redactor.add("xyxy");
    assert_eq!(redactor.redact("<xyxyxy>"), "<***>");
}

#[test]
fn short_values_are_masked_only_as_whole_fields() {
    let redactor = Redactor::new(false);
    redactor.add("h");
    redactor.add("ab");
    redactor.add("a+b");
    // Never inside free text or a longer value.
    assert_eq!(
        redactor.redact("http https cab about"),
        "http https cab about"
    );
    assert_eq!(redactor.field("abc"), "abc");
    // A whole header or query value, in any form.
    assert_eq!(redactor.field("ab"), MASK);
    assert_eq!(redactor.field("a%2Bb"), MASK);
    assert_eq!(redactor.header_value("X-Code", "h"), MASK);
    assert_eq!(
        redactor.redact("GET http://h/x?k=ab&j=ab&l=abc&m=a%2bb#f"),
        "GET http://h/x?k=***&j=***&l=abc&m=***#f"
    );
}

#[test]
fn four_characters_are_masked_in_free_text() {
    let redactor = Redactor::new(false);
    redactor.add("9876");
    assert_eq!(redactor.redact("code 9876 sent"), "code *** sent");
}

#[test]
fn partially_percent_encoded_forms_are_masked() {
    let redactor = Redactor::new(false);
    redactor.add("AKx9/Qr+7Zw=");
    for echoed in [
        "AKx9/Qr+7Zw=",
        "AKx9/Qr%2B7Zw%3D",
        "AKx9%2FQr%2B7Zw%3D",
        "AKx9%2fQr%2b7Zw%3d",
        "AKx9/Qr%2B7Zw=",
        "AKx9/Qr 7Zw=",
        "AKx9%252FQr%252B7Zw%253D",
    ] {
        assert_eq!(
            redactor.redact(&format!("key={echoed}&x=1")),
            "key=***&x=1",
            "{echoed}"
        );
    }
}

#[test]
fn every_reserved_character_in_every_encoding() {
    let secret = "a b+c/d?e#f&g=h%i\"j'k:l@m;n,o$p!q*r(s)t[u]v{w}x~y|z^1`2<3>";
    let redactor = Redactor::new(false);
    redactor.add(secret);
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let json = serde_json::to_string(secret).unwrap_or_default();
    let encodings = [
        secret.to_string(),
        form.clone(),
        form.replace('+', "%20"),
        json.trim_matches('"').to_string(),
        json.trim_matches('"').replace('/', "\\/"),
    ];
    for text in encodings {
        assert_eq!(redactor.redact(&format!("<{text}>")), "<***>", "{text}");
    }
}

#[test]
fn a_secret_pasted_raw_into_a_url_is_masked() {
    let secret = "a\"b\\c+d&e f";
    let redactor = Redactor::new(false);
    redactor.add(secret);
    for template in ["http://h/x?k={}&z=1", "http://h/{}/x"] {
        let url = url::Url::parse(&template.replace("{}", secret))
            .map(String::from)
            .unwrap_or_default();
        let masked = redactor.redact(&url);
        assert!(
            !masked.contains("e f") && !masked.contains("e%20f"),
            "{url} → {masked}"
        );
        assert!(masked.contains(MASK), "{url} → {masked}");
    }
}

#[test]
fn json_unicode_escapes_are_masked() {
    let redactor = Redactor::new(false);
    redactor.add("p<w>&d+é😀");
    assert_eq!(
        redactor.redact(r#"{"p":"p\u003cw\u003E\u0026d\u002b\u00e9\ud83d\ude00"}"#),
        r#"{"p":"***"}"#
    );
    assert_eq!(redactor.redact("p&lt;w&gt;&amp;d+é😀"), "***");
}

#[test]
fn credentials_split_only_at_a_known_scheme() {
    let redactor = Redactor::new(false);
    redactor.add_credential("Bearer eyJhbGciOi.payload.sig");
    redactor.add_credential("Basic YWxpY2U6d29uZGVybGFuZA==");
    redactor.add_credential("PS-Auth key=k3y-value; runas=svc; pwd=[pa55word];");
    redactor.add_credential("Token whole-value");
    assert_eq!(
        redactor.redact("eyJhbGciOi.payload.sig wonderland k3y-value pa55word svc whole-value Token Bearer Basic"),
        "*** *** *** *** svc whole-value Token Bearer Basic"
    );
    assert_eq!(redactor.redact("Token whole-value"), MASK);
    assert_eq!(redactor.redact("YWxpY2U6d29uZGVybGFuZA%3D%3D"), MASK);
}

#[test]
fn set_cookie_values_are_registered() {
    let redactor = Redactor::new(false);
    redactor.add_set_cookie("ASP.NET_SessionId=s3ss10n-id; Path=/; HttpOnly");
    assert_eq!(
        redactor.redact("{\"sid\":\"s3ss10n-id\"}"),
        "{\"sid\":\"***\"}"
    );
    assert_eq!(
        redactor.redact("ASP.NET_SessionId Path"),
        "ASP.NET_SessionId Path"
    );
}

#[test]
fn oauth_basic_pair_is_form_encoded_before_base64() {
    let redactor = Redactor::new(false);
    redactor.add_basic_pair("id:x", "s e/cret");
    use base64::Engine as _;
    let b64 = STANDARD.encode("id%3Ax:s+e%2Fcret");
    assert_eq!(redactor.redact(&format!("Basic {b64}")), "Basic ***");
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

#[test]
fn hundreds_of_secrets_learned_one_by_one() {
    let redactor = Redactor::new(false);
    for i in 0..300 {
        redactor.add(&format!("token/{i}+x="));
        // Every new value rebuilds the matcher on the next redaction.
        assert_eq!(
            redactor.redact(&format!("a token%2F{i}%2Bx%3D b")),
            "a *** b"
        );
    }
    assert_eq!(redactor.redact("token/7+x= token/299+x="), "*** ***");
}

#[test]
fn secret_values_are_masked_in_base64_too() {
    let redactor = Redactor::new(false);
    redactor.add_secret("k3y?value>");
    use base64::Engine as _;
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("k3y?value>");
    let standard = STANDARD.encode("k3y?value>");
    assert_ne!(url_safe, standard);
    assert_eq!(
        redactor.redact(&format!("{standard} {url_safe}")),
        "*** ***"
    );
}

#[test]
fn short_values_as_whole_form_fields() {
    let redactor = Redactor::new(false);
    redactor.add("ab");
    assert_eq!(redactor.redact("pin=ab&x=1"), "pin=***&x=1");
    assert_eq!(redactor.redact("POST /x\n\npin=ab"), "POST /x\n\npin=***");
    assert_eq!(redactor.redact("pin=abc&cab=1"), "pin=abc&cab=1");
}

/// Kind: a server that escapes every character as `\uXXXX`, and an escape
/// quoted once more (a body shown as a JSON string in a failure's
/// `actual`), in any mix.
#[test]
fn fully_escaped_and_doubly_escaped_json_forms_are_masked() {
    let redactor = Redactor::new(false);
    redactor.add("Ab/c+d=XyZ9");
    let every_char =
        r#"{"v":"\u0041\u0062\u002f\u0063\u002b\u0064\u003d\u0058\u0079\u005a\u0039"}"#;
    assert_eq!(redactor.redact(every_char), r#"{"v":"***"}"#);
    let quoted_again = r#""{\"v\":\"Ab\\/c\\u002bd%3DXyZ9\"}""#;
    assert_eq!(redactor.redact(quoted_again), r#""{\"v\":\"***\"}""#);
    let quoted_every_char = r#"\\u0041\\u0062/c+d=XyZ9"#;
    assert_eq!(redactor.redact(quoted_every_char), "***");
}
