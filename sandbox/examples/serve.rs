//! Serves the sandbox in the foreground until Ctrl-C, without building sesame:
//! `cargo run -p sesame-sandbox --example serve [PORT [VENDOR]]` (default
//! 8080; VENDOR is also served at `/`, as `sesame sandbox --root VENDOR`).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let root = match std::env::args().nth(2) {
        Some(name) => Some(name.parse().map_err(std::io::Error::other)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    println!("{}", sesame_sandbox::fixtures_text(&base));
    println!("serving on {base} (Ctrl-C to stop)");
    sesame_sandbox::serve(listener, root, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
