//! The examples in the docs are real: every request-file block validates.

use crate::support::Project;

/// The ```yaml blocks of a markdown file.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => current = Some(String::new()),
            (Some(b), l) if l.starts_with("```") => {
                blocks.push(std::mem::take(b));
                current = None;
            }
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn format_md_request_examples_validate() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    let blocks = yaml_blocks(&text);
    assert!(
        blocks.len() >= 6,
        "expected the format examples, found {}",
        blocks.len()
    );
    let mut checked = 0;
    for block in blocks {
        let p = Project::new();
        p.file(
            "profiles/code42-api-client.yaml",
            "secrets:\n  token: { env: DOC_TOKEN }\napply:\n  headers: { Authorization: \"Bearer {{ secrets.token }}\" }\n",
        );
        if block.starts_with("# sesame.yaml") {
            p.file("sesame.yaml", &block);
            p.file(
                "requests/a.yaml",
                "requests:\n  - url: \"{{ base_url }}/x\"\n",
            );
            eprintln!("sesame.yaml example:\n{block}");
            p.test()
                .args(&["validate", "--env", "sandbox"])
                .stdout(
                    r#"
                    1 file, 1 request and 1 profile: valid
                "#,
                )
                .run();
        } else {
            p.file("requests/example.yaml", &block);
            // The files an example sends (`file: PATH`) exist beside it.
            for (i, _) in block.match_indices("file: ") {
                let path: String = block[i + 6..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '_' | '-'))
                    .collect();
                p.file(&format!("requests/{path}"), "example bytes");
            }
            eprintln!("example:\n{block}");
            p.test()
                .args(&["validate", "--var", "base_url=http://127.0.0.1:9"])
                .normalise(r"\d+ requests?", "N requests")
                .stdout("1 file, N requests and 1 profile: valid\n")
                .run();
        }
        checked += 1;
    }
    assert!(checked >= 6);
}
