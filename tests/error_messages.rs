//! Every kind of diagnostic the binary prints, pinned in full: load errors
//! (YAML, keys, types, templates, JSONPath, references), flag errors,
//! secrets, failed expectations of each matcher kind, transport errors,
//! login failures and `hosts` refusals. When a message changes on purpose,
//! update it here (or paste it with `tests/support/bless.py`).

use crate::support::TestServer;
use crate::test::Test;

/// Where nothing listens: load errors never get as far as sending.
const NOWHERE: &str = "http://127.0.0.1:9";

/// `sesame run` over one request file that fails to load (exit 2).
fn load_error(yaml: &str) -> Test {
    load_error_without_run(yaml).arg("run")
}

/// One request file that fails to load, and no command yet.
fn load_error_without_run(yaml: &str) -> Test {
    Test::new()
        .substitute(NOWHERE, "{URL}")
        .file(
            "profiles/api-key.yaml",
            "apply:\n  headers:\n    X-Api-Key: k-123\n",
        )
        .file("requests/a.yaml", yaml)
        .status(2)
}

/// `sesame run` over one request file against `server`.
fn run_file(server: &TestServer, yaml: &str) -> Test {
    Test::new()
        .server(server)
        .file("requests/a.yaml", yaml)
        .arg("run")
}

// ---- load errors: located, with a hint, exit 2, nothing sent ----

#[test]
fn yaml_syntax_error_in_a_quoted_scalar() {
    load_error("requests:\n  - url: \"{URL}/x\n    method: GET\n")
        .stderr(
            r#"
            error: invalid indentation in multiline quoted scalar
              --> requests/a.yaml:3:5
              |
            3 |     method: GET
              |     ^
              = hint: check the indentation and the quotes on this line and the one before
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn yaml_indentation_error() {
    load_error("requests:\n  - url: \"{URL}/x\"\n   method: GET\n")
        .stderr(
            r#"
            error: while parsing a block collection, did not find expected '-' indicator
              --> requests/a.yaml:3:4
              |
            3 |    method: GET
              |    ^
              = hint: check the indentation and the quotes on this line and the one before
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn unknown_key_in_a_request_suggests_the_nearest() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    metod: GET\n")
        .stderr(
            r#"
            error: unknown key `metod` in a request file
              --> requests/a.yaml:3:5
              |
            3 |     metod: GET
              |     ^^^^^
              = hint: did you mean `method`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn invalid_boolean() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    follow_redirects: maybe\n")
        .stderr(
            r#"
            error: invalid boolean: expected true or false
              --> requests/a.yaml:3:23
              |
            3 |     follow_redirects: maybe
              |                       ^^^^^
              = hint: write true or false
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn a_scalar_where_a_list_is_expected() {
    load_error("tags: smoke\nrequests:\n  - url: \"{URL}/x\"\n")
        .stderr(
            r#"
            error: wrong type: expected a list here
              --> requests/a.yaml:1:7
              |
            1 | tags: smoke
              |       ^^^^^
              = hint: write a list: `[a, b]`, or one `- item` per line
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn invalid_whole_number() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    retry: { count: many }\n")
        .stderr(
            r#"
            error: invalid number: expected a whole number from 0 to 4294967295
              --> requests/a.yaml:3:21
              |
            3 |     retry: { count: many }
              |                     ^^^^
              = hint: write a whole number, e.g. 3
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn invalid_duration() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    timeout: soon\n")
        .stderr(
            r#"
            error: `soon` is not a duration (write e.g. 250ms, 2s, 5m, 1h)
              --> requests/a.yaml:3:14
              |
            3 |     timeout: soon
              |              ^^^^
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn invalid_jsonpath() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.data[: 1\n")
        .stderr(
            r#"
            error: invalid JSONPath `$.data[`: unexpected end of the query
              --> requests/a.yaml:5:18
              |
            5 |         $.data[: 1
              |                  ^
              = hint: JSONPath as in RFC 9535, e.g. $.data.users[0].name
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn template_syntax_error() {
    load_error("requests:\n  - url: \"{URL}/{{ id }\"\n")
        .stderr(
            r#"
            error: template syntax error: unexpected `}`, expected end of variable block
              --> requests/a.yaml:2:10
              |
            2 |   - url: "{URL}/{{ id }"
              |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: templates use minijinja syntax: {{ variable }}, {{ value | filter }}
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn undefined_variable_suggests_the_nearest() {
    load_error("vars:\n  base_url: \"{URL}\"\nrequests:\n  - url: \"{{ base_ur }}/x\"\n")
        .stderr(
            r#"
            error: undefined variable `base_ur`
              --> requests/a.yaml:4:10
              |
            4 |   - url: "{{ base_ur }}/x"
              |          ^^^^^^^^^^^^^^^^^
              = hint: did you mean `base_url`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn an_unknown_filter_is_found_before_sending() {
    load_error("requests:\n  - url: \"{URL}/{{ 1 | nofilter }}\"\n")
        .stderr(
            r#"
            error: unknown filter `nofilter`
              --> requests/a.yaml:2:10
              |
            2 |   - url: "{URL}/{{ 1 | nofilter }}"
              |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: filters include: b64encode, b64decode, urlencode, jwt_claims, default, lower, upper, trim, replace, length, first, last, join, tojson, int, float, string
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn unknown_profile_suggests_the_nearest() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    profile: api-ky\n")
        .stderr(
            r#"
            error: unknown profile `api-ky`
              --> requests/a.yaml:3:14
              |
            3 |     profile: api-ky
              |              ^^^^^^
              = hint: did you mean `api-key`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn unknown_matcher_operator_suggests_the_nearest() {
    load_error(
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { gtt: 1 }\n",
    )
    .stderr(
        r#"
            error: unknown matcher operator `gtt`
              --> requests/a.yaml:5:14
              |
            5 |         $.a: { gtt: 1 }
              |              ^
              = hint: did you mean `gt`?
            nothing was sent
        "#,
    )
    .run();
}

#[test]
fn unknown_nested_operator_suggests_the_nearest() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { length: { lenght: 1 } }\n")
        .stderr(r#"
            error: invalid matcher: in `length`: unknown operator `lenght` (did you mean `length`?)
              --> requests/a.yaml:5:14
              |
            5 |         $.a: { length: { lenght: 1 } }
              |              ^
              = hint: did you mean `length`?
            nothing was sent
        "#)
        .run();
}

#[test]
fn invalid_status() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    expect: { status: 9000 }\n")
        .stderr(
            r#"
            error: invalid status 9000
              --> requests/a.yaml:3:23
              |
            3 |     expect: { status: 9000 }
              |                       ^^^^
              = hint: write 200, [200, 201] or "2xx"
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn unknown_capture_kind() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    capture:\n      a: { heder: X }\n")
        .stderr(r#"
            error: capture `a`: unknown capture kind
              --> requests/a.yaml:4:10
              |
            4 |       a: { heder: X }
              |          ^
              = hint: write a JSONPath ($.token), or {header: NAME}, {cookie: NAME}, {regex: PATTERN, from: body}, {status: true}
            nothing was sent
        "#)
        .run();
}

#[test]
fn missing_url() {
    load_error("requests:\n  - method: GET\n")
        .stderr(
            r#"
            error: missing key `url` in a request file
              --> requests/a.yaml:2:5
              |
            2 |   - method: GET
              |     ^^^^^^
              = hint: add `url:`
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn two_bodies() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    json: {}\n    form: { a: b }\n")
        .stderr(
            r#"
            error: a request has at most one body
              --> requests/a.yaml:2:5
              |
            2 |   - url: "{URL}/x"
              |     ^
              = hint: keep one of `json:`, `form:`, `body:`, `multipart:`
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn missing_inputs_are_listed_together() {
    load_error("inputs:\n  org: { description: the organisation }\n  user: {}\nrequests:\n  - url: \"{URL}/{{ org }}/{{ user }}\"\n")
        .stderr(r#"
            error: missing input `org` (the organisation)
              --> requests/a.yaml
              = hint: pass --var org=VALUE, or run in a terminal to be asked
            error: missing input `user`
              --> requests/a.yaml
              = hint: pass --var user=VALUE, or run in a terminal to be asked
            2 problems found; nothing was sent
        "#)
        .run();
}

#[test]
fn unknown_secret_name() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    profile: api-key\n    headers: { X-S: \"{{ secrets.nope }}\" }\n")
        .stderr(r#"
            error: undefined variable `secrets.nope`
              --> requests/a.yaml:4:21
              |
            4 |     headers: { X-S: "{{ secrets.nope }}" }
              |                     ^^^^^^^^^^^^^^^^^^^^
              = hint: the profile defines no secrets
            nothing was sent
        "#)
        .run();
}

#[test]
fn unknown_key_in_a_profile_suggests_the_nearest() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    profile: p\n")
        .file("profiles/p.yaml", "aply:\n  headers: { X-Api-Key: k }\n")
        .stderr(
            r#"
            error: unknown key `aply` in a profile
              --> profiles/p.yaml:1:1
              |
            1 | aply:
              | ^^^^
              = hint: did you mean `apply`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn unknown_key_in_sesame_yaml_suggests_the_nearest() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .file(
            "sesame.yaml",
            "environments:\n  sandbox:\n    base_url: http://x\ndefault:\n  timeout: 1s\n",
        )
        .stderr(
            r#"
            error: unknown key `default` in sesame.yaml
              --> sesame.yaml:4:1
              |
            4 | default:
              | ^^^^^^^
              = hint: did you mean `defaults`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn undefined_variable_defined_only_in_an_environment_suggests_env() {
    load_error("requests:\n  - url: \"{{ base_url }}/x\"\n")
        .file(
            "sesame.yaml",
            "environments:\n  sandbox:\n    base_url: http://127.0.0.1:9\n",
        )
        .stderr(r#"
            error: undefined variable `base_url`
              --> requests/a.yaml:2:10
              |
            2 |   - url: "{{ base_url }}/x"
              |          ^^^^^^^^^^^^^^^^^^
              = hint: `base_url` is defined in the environment sandbox of sesame.yaml: pass --env sandbox
            nothing was sent
        "#)
        .run();
}

#[test]
fn problems_in_several_files_are_all_listed_and_counted() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    metod: GET\n")
        .file("requests/b.yaml", "requests:\n  - url: \"{{ nope }}\"\n")
        .stderr(r#"
            error: unknown key `metod` in a request file
              --> requests/a.yaml:3:5
              |
            3 |     metod: GET
              |     ^^^^^
              = hint: did you mean `method`?
            error: undefined variable `nope`
              --> requests/b.yaml:2:10
              |
            2 |   - url: "{{ nope }}"
              |          ^^^^^^^^^^^^
              = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
            2 problems found; nothing was sent
        "#)
        .run();
}

// ---- secrets ----

#[test]
fn a_secret_file_that_does_not_exist_is_found_before_sending() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    profile: p\n")
        .file(
            "profiles/p.yaml",
            "secrets:\n  key: { env: T_UNSET_KEY, file: missing.txt }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )
        .env_remove("T_UNSET_KEY")
        .stderr(r#"
            error: secret `key`: file `missing.txt` does not exist
              --> profiles/p.yaml:2:8
              |
            2 |   key: { env: T_UNSET_KEY, file: missing.txt }
              |        ^
              = hint: a relative path is read from profiles; or give `env:`, `command:` or `prompt:`
            nothing was sent
        "#)
        .run();
}

#[test]
fn a_secret_command_that_fails_is_reported() {
    load_error("requests:\n  - url: \"{URL}/x\"\n    profile: p\n")
        .file(
            "profiles/p.yaml",
            "secrets:\n  key: { command: [sh, -c, 'echo no access >&2; exit 4'] }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )
        .status(3)
        .stderr("")
        .stdout(r#"
            requests/a.yaml
              ✗ request 1  GET no response  0ms

            failures:

            ✗ requests/a.yaml › request 1
              GET {URL}/x → no response
              error: login p: profile p could not log in: secret `key` of profile `p`: no source yielded a value (command sh -c "echo no access >&2; exit 4": exited with status 4: no access)
                --> requests/a.yaml:2:5
                |
              2 |   - url: "{URL}/x"
                |     ^

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn validate_reports_a_secret_without_source() {
    load_error_without_run("requests:\n  - url: \"{URL}/x\"\n    profile: p\n")
        .file(
            "profiles/p.yaml",
            "secrets:\n  key: {}\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )
        .arg("validate")
        .stderr(
            r#"
            error: secret `key`: no source given (add `env`, `file`, `command` or `prompt`)
              --> profiles/p.yaml:2:8
              |
            2 |   key: {}
              |        ^
              = hint: give at least one of env, file, command, prompt
            nothing was sent
        "#,
        )
        .run();
}

// ---- flags ----

#[test]
fn unknown_environment_lists_the_known_ones() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .file("sesame.yaml", "environments:\n  sandbox: {}\n  prod: {}\n")
        .args(&["--env", "sandbx"])
        .stderr(
            r#"
            error: unknown environment `sandbx`
              --> sesame.yaml
              = hint: did you mean `sandbox`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn a_var_without_a_value() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .args(&["--var", "novalue"])
        .stderr(
            r#"
            error: invalid --var `novalue`
              = hint: write --var NAME=VALUE
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn a_shard_beyond_the_count() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .args(&["--shard", "3/2"])
        .stderr(
            r#"
            error: invalid --shard `3/2`
              = hint: write --shard K/N with 1 <= K <= N, e.g. --shard 2/4
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn an_unknown_flag() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .arg("--frobnicate")
        .stderr(
            r#"
            error: unexpected argument '--frobnicate' found

              tip: to pass '--frobnicate' as a value, use '-- --frobnicate'

            Usage: sesame run [OPTIONS] [PATHS]...

            For more information, try '--help'.
        "#,
        )
        .run();
}

#[test]
fn an_unknown_command() {
    Test::new()
        .arg("rnu")
        .status(2)
        .stderr(
            r#"
            error: unrecognized subcommand 'rnu'

            Usage: sesame [OPTIONS] <COMMAND>

            For more information, try '--help'.
        "#,
        )
        .run();
}

#[test]
fn a_report_of_an_unknown_kind() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .args(&["--report", "xml:out.xml"])
        .stderr(
            r#"
            error: unknown report kind `xml`; use junit:PATH, json:PATH or tap:PATH
              = hint: write --report junit:PATH, json:PATH or tap:PATH
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn a_path_that_does_not_exist() {
    load_error("requests:\n  - url: \"{URL}/x\"\n")
        .arg("requests/nope.yaml")
        .stderr(
            r#"
            error: no such file or folder
              --> requests/nope.yaml
              = hint: pass request files or folders; the default is requests/
            nothing was sent
        "#,
        )
        .run();
}

// ---- runtime failures: the request, the key, expected and actual (exit 1) ----

/// `sesame run` of one request to `/json` whose `expect:` is `expect`.
fn failed_expectation(server: &TestServer, expect: &str) -> Test {
    let yaml =
        format!("requests:\n  - name: users\n    url: \"{{URL}}/json\"\n    expect:\n{expect}");
    run_file(server, &yaml).status(1)
}

#[test]
fn failed_status_class() {
    let server = TestServer::start();
    failed_expectation(&server, "      status: \"3xx\"\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: status: expected status 3xx, got 200
                --> requests/a.yaml:5:15
                |
              5 |       status: "3xx"
                |               ^^^^^
                = expected: 3xx
                = actual:   200
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_status() {
    let server = TestServer::start();
    failed_expectation(&server, "      status: 201\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: status: expected status 201, got 200
                --> requests/a.yaml:5:15
                |
              5 |       status: 201
                |               ^^^
                = expected: 201
                = actual:   200
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_status_list() {
    let server = TestServer::start();
    failed_expectation(&server, "      status: [201, 202]\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: status: expected status one of 201, 202, got 200
                --> requests/a.yaml:5:15
                |
              5 |       status: [201, 202]
                |               ^
                = expected: one of 201, 202
                = actual:   200
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .stderr("")
        .run();
}

#[test]
fn failed_header_equality() {
    let server = TestServer::start();
    failed_expectation(&server, "      headers:\n        etag: '\"v2\"'\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: headers etag: expected == "\"v2\"", got "\"v1\""
                --> requests/a.yaml:6:15
                |
              6 |         etag: '"v2"'
                |               ^^^^^^
                = expected: == "\"v2\""
                = actual:   "\"v1\""
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_header_exists() {
    let server = TestServer::start();
    failed_expectation(&server, "      headers:\n        x-request-id: { exists: true }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: headers x-request-id: expected exists, got nothing
                --> requests/a.yaml:6:23
                |
              6 |         x-request-id: { exists: true }
                |                       ^
                = expected: exists
                = actual:   (nothing)
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_equality() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: 3\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected == 3, got 2
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: 3
                |                            ^
                = expected: == 3
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_ne() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.build: { ne: build-4711 }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.build: expected != "build-4711", got "build-4711"
                --> requests/a.yaml:6:18
                |
              6 |         $.build: { ne: build-4711 }
                |                  ^
                = expected: != "build-4711"
                = actual:   "build-4711"
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_gt() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: { gt: 2 }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected > 2, got 2
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: { gt: 2 }
                |                            ^
                = expected: > 2
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_gte() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: { gte: 3 }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected >= 3, got 2
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: { gte: 3 }
                |                            ^
                = expected: >= 3
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_lt() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: { lt: 2 }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected < 2, got 2
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: { lt: 2 }
                |                            ^
                = expected: < 2
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_lte() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: { lte: 1 }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected <= 1, got 2
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: { lte: 1 }
                |                            ^
                = expected: <= 1
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_contains_on_a_string_and_an_array() {
    let server = TestServer::start();
    failed_expectation(
        &server,
        "      json:\n        $.build: { contains: nightly }\n        $.data.users[0].roles: { contains: owner }\n",
    )
    .stdout(r#"
        requests/a.yaml
          ✗ users  GET 200  0ms

        failures:

        ✗ requests/a.yaml › users
          GET {URL}/json → 200
          error: json $.build: expected contains "nightly", got "build-4711"
            --> requests/a.yaml:6:18
            |
          6 |         $.build: { contains: nightly }
            |                  ^
            = expected: contains "nightly"
            = actual:   "build-4711"
          error: json $.data.users[0].roles: expected contains "owner", got ["admin","user"]
            --> requests/a.yaml:7:32
            |
          7 |         $.data.users[0].roles: { contains: owner }
            |                                ^
            = expected: contains "owner"
            = actual:   ["admin","user"]
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
}

#[test]
fn failed_json_matches() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.build: { matches: '^rel-\\d+$' }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.build: expected matches /^rel-\d+$/, got "build-4711"
                --> requests/a.yaml:6:18
                |
              6 |         $.build: { matches: '^rel-\d+$' }
                |                  ^
                = expected: matches /^rel-\d+$/
                = actual:   "build-4711"
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_exists_both_ways() {
    let server = TestServer::start();
    failed_expectation(
        &server,
        "      json:\n        $.missing: { exists: true }\n        $.build: { exists: false }\n",
    )
    .stdout(r#"
        requests/a.yaml
          ✗ users  GET 200  0ms

        failures:

        ✗ requests/a.yaml › users
          GET {URL}/json → 200
          error: json $.missing: expected exists, got nothing
            --> requests/a.yaml:6:20
            |
          6 |         $.missing: { exists: true }
            |                    ^
            = expected: exists
            = actual:   (nothing)
          error: json $.build: expected no value, got "build-4711"
            --> requests/a.yaml:7:18
            |
          7 |         $.build: { exists: false }
            |                  ^
            = expected: does not exist
            = actual:   "build-4711"
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
}

#[test]
fn failed_json_type() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.totalCount: { type: string }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.totalCount: expected type string, got 2 (number)
                --> requests/a.yaml:6:28
                |
              6 |         $.data.totalCount: { type: string }
                |                            ^
                = expected: type string
                = actual:   2
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_length() {
    let server = TestServer::start();
    failed_expectation(
        &server,
        "      json:\n        $.data.users: { length: 3 }\n        $.build: { length: { lt: 5 } }\n",
    )
    .stdout(r#"
        requests/a.yaml
          ✗ users  GET 200  0ms

        failures:

        ✗ requests/a.yaml › users
          GET {URL}/json → 200
          error: json $.data.users: expected length == 3, got length 2
            --> requests/a.yaml:6:23
            |
          6 |         $.data.users: { length: 3 }
            |                       ^
            = expected: length == 3
            = actual:   [{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]
          error: json $.build: expected length < 5, got length 10
            --> requests/a.yaml:7:18
            |
          7 |         $.build: { length: { lt: 5 } }
            |                  ^
            = expected: length < 5
            = actual:   "build-4711"
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
}

#[test]
fn failed_json_one_of() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.ratio: { one_of: [1, 2] }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.ratio: expected one of [1, 2], got 0.5
                --> requests/a.yaml:6:18
                |
              6 |         $.ratio: { one_of: [1, 2] }
                |                  ^
                = expected: one of [1, 2]
                = actual:   0.5
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_json_selection_of_several_nodes() {
    let server = TestServer::start();
    failed_expectation(&server, "      json:\n        $.data.users[*].active: [true, true]\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: json $.data.users[*].active: expected == [true,true], got [true,false]
                --> requests/a.yaml:6:33
                |
              6 |         $.data.users[*].active: [true, true]
                |                                 ^
                = expected: == [true,true]
                = actual:   [true,false]
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_body_contains() {
    let server = TestServer::start();
    failed_expectation(&server, "      body: { contains: nobody }\n")
        .stdout(r#"
            requests/a.yaml
              ✗ users  GET 200  0ms

            failures:

            ✗ requests/a.yaml › users
              GET {URL}/json → 200
              error: body: expected contains "nobody", got "{\"data\":{\"totalCount\":2,\"users\":[{\"userUid\":\"u-1\",\"username\":\"alice@example.com\",\"active\":true,\"roles\":[\"admin\",\"user\"]},{\"userUid\":\"u-2\",\"username\":\"bob@example.com\",\"active\":false,\"roles\":[]}]},\"build\":\"build-4711\",\"ratio\":0.5,\"nothing\":null}"
                --> requests/a.yaml:5:13
                |
              5 |       body: { contains: nobody }
                |             ^
                = expected: contains "nobody"
                = actual:   "{\"data\":{\"totalCount\":2,\"users\":[{\"userUid\":\"u-1\",\"username\":\"alice@example.com\",\"active\":true,\"roles\":[\"admin\",\"user\"]},{\"userUid\":\"u-2\",\"username\":\"bob@example.com\",\"active\":false,\"roles\":[]}]},\"build\":\"build-4711\",\"ratio\":0.5,\"nothing\":null}"
              body:
                {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn failed_duration() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/slow/60\"\n    expect: { duration: { lt: 1 } }\n",
    )
    .status(1)
    // The measured time is not frozen by SESAME_TEST_MODE.
    .normalise(r"(got |actual:   )\d+ms", "${1}<ms>")
    .stdout(
        r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/slow/60 → 200
          error: duration: expected < 1ms, got <ms>
            --> requests/a.yaml:3:25
            |
          3 |     expect: { duration: { lt: 1 } }
            |                         ^
            = expected: < 1ms
            = actual:   <ms>
          body:
            slow

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#,
    )
    .run();
}

#[test]
fn a_failure_skips_the_rest_of_the_file() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - name: first\n    url: \"{URL}/status/500\"\n    expect: { status: 200 }\n  - name: second\n    url: \"{URL}/json\"\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✗ first  GET 500  0ms
          - second  skipped: `first` failed

        failures:

        ✗ requests/a.yaml › first
          GET {URL}/status/500 → 500
          error: status: expected status 200, got 500
            --> requests/a.yaml:4:23
            |
          4 |     expect: { status: 200 }
            |                       ^^^
            = expected: 200
            = actual:   500
          body:
            status 500

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#)
    .run();
    server.expect_hits(1);
}

#[test]
fn a_capture_that_finds_nothing() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/json\"\n    capture:\n      uid: $.data.nobody\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → 200
          error: capture uid: capture `uid`: $.data.nobody selected nothing
            --> requests/a.yaml:4:12
            |
          4 |       uid: $.data.nobody
            |            ^^^^^^^^^^^^^
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
}

#[test]
fn an_unset_env_variable_is_found_before_sending() {
    let server = TestServer::start();
    server.expect_no_hits();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/json\"\n  - url: \"{URL}/echo/{{ env.T_NOT_SET }}\"\n",
    )
    .env_remove("T_NOT_SET")
    .status(2)
    .stderr(
        r#"
        error: undefined variable `env.T_NOT_SET`
          --> requests/a.yaml:3:10
          |
        3 |   - url: "{URL}/echo/{{ env.T_NOT_SET }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: set the environment variable T_NOT_SET, add it to .env, or use `| default(...)`
        nothing was sent
    "#,
    )
    .run();
}

// ---- transport ----

#[test]
fn connection_refused() {
    Test::new()
        .substitute(NOWHERE, "{URL}")
        .file("requests/a.yaml", "requests:\n  - url: \"{URL}/x\"\n")
        .arg("run")
        .status(1)
        .stdout(r#"
            requests/a.yaml
              ✗ request 1  GET no response  0ms

            failures:

            ✗ requests/a.yaml › request 1
              GET {URL}/x → no response
              error: transport: GET {URL}/x: error sending request for url ({URL}/x): client error (Connect): tcp connect error: Connection refused (os error 111)
                --> requests/a.yaml:2:5
                |
              2 |   - url: "{URL}/x"
                |     ^

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#)
        .run();
}

#[test]
fn timeout() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/slow/300\"\n    timeout: 50ms\n",
    )
    .status(1)
    .stdout(
        r#"
        requests/a.yaml
          ✗ request 1  GET no response  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/slow/300 → no response
          error: transport: GET {URL}/slow/300: timed out after 50ms
            --> requests/a.yaml:2:5
            |
          2 |   - url: "{URL}/slow/300"
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#,
    )
    .run();
}

#[test]
fn confirm_without_a_terminal() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/json\"\n    confirm: delete everything?\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✗ request 1  GET no response  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → no response
          error: confirm: this request asks "delete everything?" and there is no terminal to answer it: pass --yes to confirm
            --> requests/a.yaml:2:5
            |
          2 |   - url: "{URL}/json"
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
    server.expect_no_hits();
}

// ---- profiles: login failures (exit 3) and hosts refusals ----

#[test]
fn a_login_step_that_fails_its_expectation() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/protected\"\n    profile: json\n",
    )
    .file(
        "profiles/json.yaml",
        "login:\n  - url: \"{URL}/login/json\"\n    method: POST\n    json: { username: u, password: wrong }\n    expect: { status: 200 }\n    capture: { token: $.token }\napply:\n  headers: { Authorization: \"Bearer {{ token }}\" }\n",
    )
    .status(3)
    .stdout(r#"
        requests/a.yaml
          ✗ request 1  GET no response  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/protected → no response
          error: login json: profile json could not log in: login step `request 1`: expected status 200, got 401; response: {"status":401,"message":"Invalid user, password or mfaCode"}
            --> requests/a.yaml:2:5
            |
          2 |   - url: "{URL}/protected"
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .stderr("")
    .run();
}

#[test]
fn token_of_a_profile_that_cannot_log_in() {
    let server = TestServer::start();
    Test::new()
        .server(&server)
        .file(
            "profiles/json.yaml",
            "login:\n  - url: \"{URL}/login/json\"\n    method: POST\n    json: { username: u, password: wrong }\n    expect: { status: 200 }\n    capture: { token: $.token }\napply:\n  headers: { Authorization: \"Bearer {{ token }}\" }\n",
        )
        .args(&["token", "json"])
        .status(3)
        .stderr(r#"
            error: profile json could not log in: login step `request 1`: expected status 200, got 401; response: {"status":401,"message":"Invalid user, password or mfaCode"}
        "#)
        .run();
}

#[test]
fn hosts_refuses_another_origin() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/needs-key\"\n    profile: key\n",
    )
    .file(
        "profiles/key.yaml",
        "hosts: [\"http://api.example.com\"]\napply:\n  headers: { X-Api-Key: k-123 }\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✗ request 1  GET no response  0ms

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/needs-key → no response
          error: hosts: refused before sending: {URL} is not among the hosts of profile key (http://api.example.com); add it to the profile's `hosts:` if it should receive these credentials
            --> requests/a.yaml:2:5
            |
          2 |   - url: "{URL}/needs-key"
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
    server.expect_no_hits();
}

// ---- other commands and flags ----

#[test]
fn token_of_an_unknown_profile() {
    load_error_without_run("requests:\n  - url: \"{URL}/x\"\n")
        .args(&["token", "api-ky"])
        .stderr(
            r#"
            error: unknown profile `api-ky`
              = hint: did you mean `api-key`?
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn totp_of_a_secret_that_is_not_base32() {
    Test::new()
        .args(&["totp", "not base32!"])
        .status(2)
        .stderr(
            r#"
            error: TOTP secret is not base32: character 11 is not in A–Z, 2–7
        "#,
        )
        .run();
}

#[test]
fn curl_of_an_unknown_request() {
    load_error_without_run("requests:\n  - name: create\n    url: \"{URL}/x\"\n")
        .args(&["curl", "requests/a.yaml", "--request", "crate"])
        .stderr(
            r#"
            error: no request named `crate` in requests/a.yaml
        "#,
        )
        .run();
}

#[test]
fn when_that_is_not_a_boolean() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/json\"\n  - url: \"{URL}/json\"\n    when: \"{{ 'maybe' }}\"\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✓ request 1  GET 200  0ms
          ✗ request 2  GET no response  0ms

        failures:

        ✗ requests/a.yaml › request 2
          GET {URL}/json → no response
          error: when: `when` rendered to `maybe`, not true or false
            --> requests/a.yaml:3:5
            |
          3 |   - url: "{URL}/json"
            |     ^

        1 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
}

#[test]
fn retries_exhausted() {
    let server = TestServer::start();
    run_file(
        &server,
        "requests:\n  - url: \"{URL}/count/job\"\n    retry: { count: 1, delay: 10ms }\n    expect:\n      json:\n        $.state: done\n",
    )
    .status(1)
    .stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms  (2 attempts)

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/count/job → 200 after 2 attempts
          error: json $.state: expected == "done", got "pending"
            --> requests/a.yaml:6:18
            |
          6 |         $.state: done
            |                  ^^^^
            = expected: == "done"
            = actual:   "pending"
          body:
            {"count":2,"state":"pending"}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#)
    .run();
    server.expect_hits(2);
}

#[test]
fn insecure_is_loudly_warned() {
    let server = TestServer::start();
    run_file(&server, "requests:\n  - url: \"{URL}/json\"\n")
        .arg("--insecure")
        .stdout(r#"
            requests/a.yaml
              ✓ request 1  GET 200  0ms

            1 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#)
        .stderr(r#"
            warning: --insecure: TLS certificates are NOT verified; anyone on the network path can read and change this traffic
        "#)
        .run();
}
