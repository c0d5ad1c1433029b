//! The HTTP stack's own floor for `bench/run.sh`: the same N requests as the
//! benchmark collection (bearer header, status check, one JSON field read),
//! sent by a bare reqwest loop on one connection, with no sesame in between.
//!
//!     cargo run --release --example reqwest_floor -- http://127.0.0.1:18090 5000

use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:18090".into());
    let n: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5000);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let start = Instant::now();
    for i in 1..=n {
        let resp = client
            .get(format!("{base}/items/{i}"))
            .header("Authorization", "Bearer bench-token")
            .send()
            .await?;
        assert_eq!(resp.status(), 200);
        let body = resp.bytes().await?;
        let doc: serde_json::Value = serde_json::from_slice(&body)?;
        assert_eq!(doc["id"], i);
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!("{:.0}", 1.0 / per);
    Ok(())
}
