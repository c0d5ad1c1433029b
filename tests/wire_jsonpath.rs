//! JSONPath result shapes (issue 8, kind 4): a query that is not singular
//! always yields its nodelist as a list, whatever the number of nodes;
//! only singular queries yield the value.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer};

const USERS: &str = r#"{"users": [
  {"name": "ann", "active": true, "roles": ["a", "b"]},
  {"name": "bob", "active": false, "roles": []}
], "owner": {"name": "ann"}}"#;

#[test]
fn non_singular_queries_yield_a_list_however_many_nodes_match() {
    let server = WireServer::start(|_| Reply::json(USERS));
    let p = Project::new();
    p.file(
        "requests/j.yaml",
        &server.yaml(
            r#"
requests:
  - url: "{URL}/users"
    expect:
      json:
        $.users[?@.active == true]: { length: 1 }
        $.users[?@.active == true].name: [ann]
        $.users[?@.name == 'zed']: { length: 0, type: array }
        $.users[?@.name == 'zed'].name: { exists: false }
        $.users[?@.active == false]: { exists: true }
        $.users[*].name: [ann, bob]
        $.users[1:].name: [bob]
        $..owner.name: [ann]
        $.users[0,1].active: [true, false]
        $.users[0].roles: { length: 2 }
        $.owner.name: ann
        $.users[5].name: { exists: false }
    capture:
      active: $.users[?@.active == true].name
      nobody: $.users[?@.name == 'zed']
      first: $.users[0].name
  - url: "{URL}/echo"
    query: { a: "{{ active }}", n: "{{ nobody | length }}", f: "{{ first }}" }
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.hits()[1].query, "a=ann&n=0&f=ann");
}

#[test]
fn a_filter_matching_once_is_not_unwrapped_in_a_failure() {
    let server = WireServer::start(|_| Reply::json(USERS));
    let p = Project::new();
    p.file(
        "requests/f.yaml",
        &server.yaml(
            "requests:\n  - url: \"{URL}/users\"\n    expect: { json: { \"$.users[?@.active == true]\": { length: 2 } } }\n",
        ),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    run.assert_has("got length 1");
}
