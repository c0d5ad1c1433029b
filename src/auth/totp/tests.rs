use super::*;

const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

fn spec(secret: &str) -> TotpSpec {
    TotpSpec::parse(secret, None, None, None).unwrap_or_else(|err| panic!("{secret}: {err}"))
}

fn raw(seed: &[u8], algorithm: Algorithm, digits: u32, period: u64) -> TotpSpec {
    TotpSpec::build(seed.to_vec(), algorithm, digits, period).unwrap_or_else(|err| panic!("{err}"))
}

/// RFC 6238 Appendix B: time, SHA1, SHA256, SHA512 (8 digits, 30 s).
const RFC6238: &[(u64, &str, &str, &str)] = &[
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
];

#[test]
fn rfc6238_appendix_b_vectors() {
    let sha1 = raw(SEED_SHA1, Algorithm::Sha1, 8, 30);
    let sha256 = raw(SEED_SHA256, Algorithm::Sha256, 8, 30);
    let sha512 = raw(SEED_SHA512, Algorithm::Sha512, 8, 30);
    for &(time, code1, code256, code512) in RFC6238 {
        assert_eq!(sha1.code_at(time), code1, "SHA1 at {time}");
        assert_eq!(sha256.code_at(time), code256, "SHA256 at {time}");
        assert_eq!(sha512.code_at(time), code512, "SHA512 at {time}");
    }
}

#[test]
fn rfc6238_vectors_through_parse() {
    let sha256 = TotpSpec::parse(
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====",
        Some(8),
        None,
        Some("sha256"),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let sha1 = TotpSpec::parse(
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
        Some(8),
        Some(30),
        None,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    for &(time, code1, code256, _) in RFC6238 {
        assert_eq!(sha1.code_at(time), code1);
        assert_eq!(sha256.code_at(time), code256);
    }
}

#[test]
fn steps_and_defaults() {
    let spec = spec("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(spec.period(), 30);
    assert_eq!(spec.digits(), 6);
    assert_eq!(spec.algorithm(), Algorithm::Sha1);
    assert_eq!(spec.step_at(59), 1);
    assert_eq!(spec.step_at(60), 2);
    // 6-digit codes are the last 6 digits of the 8-digit ones.
    assert_eq!(spec.code_at(59), "287082");
}

#[test]
fn base32_lengths_and_forms() {
    let secrets = [
        "BMYFK6U7YTUQ4M2Y",                                     // 80 bits
        "BMYFK6U7YTUQ4M2YPWRMP3ARGY",                           // 128 bits
        "BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK",                     // 160 bits
        "BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK54KDSXUDVDG7EFZ4MGDA", // 256 bits
    ];
    for (secret, bytes) in secrets.iter().zip([10, 16, 20, 32]) {
        assert_eq!(
            decode_base32(secret).map(|b| b.len()),
            Ok(bytes),
            "{secret}"
        );
        let lower_spaced_padded = format!("{} ==", secret.to_lowercase().replace("YT", "yt "));
        assert_eq!(
            spec(&lower_spaced_padded).code_at(1767225600),
            spec(secret).code_at(1767225600)
        );
    }
}

#[test]
fn invalid_base32_is_refused_without_echoing_it() {
    let err = TotpSpec::parse("ABCD1FGH", None, None, None)
        .err()
        .unwrap_or_default();
    assert_eq!(
        err,
        "TOTP secret is not base32: character 5 is not in A–Z, 2–7"
    );
    assert!(TotpSpec::parse("ABC", None, None, None).is_err());
    assert!(TotpSpec::parse("JBSWY3DPEHPK3P", None, None, None).is_err());
    assert_eq!(
        TotpSpec::parse("  ", None, None, None).err().as_deref(),
        Some("TOTP secret is empty")
    );
    assert!(TotpSpec::parse("GEZDGNBVGY3TQOJQ", Some(5), None, None).is_err());
    assert!(TotpSpec::parse("GEZDGNBVGY3TQOJQ", Some(9), None, None).is_err());
    assert!(TotpSpec::parse("GEZDGNBVGY3TQOJQ", None, Some(0), None).is_err());
    assert!(TotpSpec::parse("GEZDGNBVGY3TQOJQ", None, None, Some("md5")).is_err());
}

#[test]
fn otpauth_uri_parameters_are_honoured() {
    let uri = "otpauth://totp/ACME:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&issuer=ACME&algorithm=SHA256&digits=8&period=60";
    let from_uri = spec(uri);
    assert_eq!(from_uri.algorithm(), Algorithm::Sha256);
    assert_eq!(from_uri.digits(), 8);
    assert_eq!(from_uri.period(), 60);
    // Step n of a 60 s period has the code of step n of a 30 s period.
    let same_key = raw(SEED_SHA256, Algorithm::Sha256, 8, 30);
    for time in [59, 1111111109, 1234567890, 2000000000] {
        assert_eq!(from_uri.code_at(time), same_key.code_at(time / 60 * 30));
    }
    // The URI wins over explicit arguments.
    let overridden = TotpSpec::parse(uri, Some(6), Some(30), Some("SHA1"));
    assert_eq!(overridden.map(|s| s.code_at(59)), Ok(from_uri.code_at(59)));
}

#[test]
fn otpauth_uri_defaults_and_errors() {
    let plain = spec("otpauth://totp/x?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq");
    assert_eq!(plain.code_at(59), "287082");
    let err = |uri: &str| {
        TotpSpec::parse(uri, None, None, None)
            .err()
            .unwrap_or_default()
    };
    assert_eq!(
        err("otpauth://hotp/x?secret=GEZDGNBV&counter=1"),
        "otpauth URI is for HOTP; only TOTP is supported"
    );
    assert_eq!(
        err("otpauth://totp/x?digits=6"),
        "invalid otpauth URI: no `secret` parameter"
    );
    assert_eq!(
        err("otpauth://totp/x?secret=GEZDGNBV&digits=10"),
        "TOTP digits must be 6, 7 or 8, not 10"
    );
    assert_eq!(
        err("otpauth://totp/x?secret=GEZDGNBV&period=0"),
        "TOTP period must be at least 1 second"
    );
}

#[test]
fn fingerprint_is_stable_and_not_the_secret() {
    let a = spec("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    let b = spec("gezdgnbvgy3tqojqgezdgnbvgy3tqojq");
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!(a.fingerprint().len(), 64);
    assert!(!a.fingerprint().contains("12345678901234567890"));
    let eight = TotpSpec::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Some(8), None, None);
    assert_ne!(eight.map(|s| s.fingerprint()), Ok(a.fingerprint()));
    assert!(!format!("{a:?}").contains("GEZ"));
}

#[test]
fn current_code_has_six_digits() {
    let code = current_code("JBSWY3DPEHPK3PXP").unwrap_or_default();
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| c.is_ascii_digit()));
    assert!(current_code("not base32!").is_err());
}

/// One `oathtool` comparison: secret, extra oathtool flags, and our
/// digits, period, algorithm.
type OathCase<'a> = (
    &'a str,
    &'a [&'a str],
    Option<u32>,
    Option<u64>,
    Option<&'a str>,
);

/// Same answers as `oathtool --totp -b` at a fixed time.
#[test]
fn matches_oathtool() {
    let now = "2026-01-01 00:00:00 UTC";
    let unix = 1767225600;
    let cases: &[OathCase] = &[
        ("BMYFK6U7YTUQ4M2Y", &[], None, None, None),
        ("BMYFK6U7YTUQ4M2YPWRMP3ARGY", &[], None, None, None),
        ("BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK", &[], None, None, None),
        (
            "BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK54KDSXUDVDG7EFZ4MGDA",
            &[],
            None,
            None,
            None,
        ),
        ("JBSWY3DPEHPK3PX", &[], None, None, None),
        ("JBSWY3DPEHPK3", &[], None, None, None),
        ("AB", &[], None, None, None),
        (
            "BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK",
            &["--totp=sha256", "-d", "8", "-s", "60"],
            Some(8),
            Some(60),
            Some("SHA256"),
        ),
        (
            "BMYFK6U7YTUQ4M2YPWRMP3ARGZNYBJOK",
            &["--totp=sha512", "-d", "7"],
            Some(7),
            None,
            Some("sha512"),
        ),
    ];
    for &(secret, extra, digits, period, algorithm) in cases {
        let mut command = std::process::Command::new("oathtool");
        if extra.is_empty() {
            command.arg("--totp");
        }
        command.args(extra).args(["-b", "--now", now, secret]);
        let output = match command.output() {
            Ok(output) => output,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                panic!(
                    "oathtool is not installed: install it (`apt-get install -y oathtool`) to run this test"
                )
            }
            Err(err) => panic!("cannot run oathtool: {err}"),
        };
        assert!(
            output.status.success(),
            "oathtool failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let expected = String::from_utf8_lossy(&output.stdout).trim().to_string();
        let ours = TotpSpec::parse(secret, digits, period, algorithm)
            .map(|spec| spec.code_at(unix))
            .unwrap_or_else(|err| panic!("{secret}: {err}"));
        assert_eq!(ours, expected, "{secret} {extra:?}");
    }
}
