//! The command line as clap sees it: raw flags, kept apart from the
//! resolved configuration built from them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

use crate::cli::color::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "sesame",
    version,
    about = "Run declarative HTTP request collections against real API tenants.",
    long_about = "Run declarative HTTP request collections against real API tenants.\n\n\
Requests are YAML files with minijinja templates; each names an auth profile \
(profiles/NAME.yaml) that says how to log in. sesame logs in once per profile, \
runs the requests in order, captures values and checks the responses.",
    after_help = "Examples:\n  sesame demo                          every vendor flow against the built-in sandbox\n  sesame run --env prod                run requests/ with the prod environment of sesame.yaml\n  sesame run requests/smoke.yaml --var org_id=42 --report junit:out/junit.xml\n  sesame validate                      check every file; send nothing\n  curl -H \"Authorization: Bearer $(sesame token code42-api-client --env prod)\" ...\n\nExit codes: 0 passed, 1 a request or expectation failed, 2 invalid input, 3 a profile could not log in, 130 interrupted."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the output: auto (a terminal; NO_COLOR turns it off,
    /// CLICOLOR_FORCE or FORCE_COLOR on), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run request files (default: requests/)
    #[command(after_long_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Parse every file, check templates, JSONPaths, profiles and secret sources; send nothing
    Validate(ValidateArgs),
    /// Print a profile's credential (e.g. the bearer token) for other tools
    Token(TokenArgs),
    /// Print the current TOTP code of a base32 secret, like `oathtool --totp -b`
    Totp(TotpArgs),
    /// Print the equivalent curl commands of a request file
    Curl(CurlArgs),
    /// Print the JSON Schema of request files, profiles and sesame.yaml (for editors)
    #[command(
        after_long_help = "Examples:\n  sesame schema > sesame.schema.json              one document: $defs for each kind, anyOf over them\n  sesame schema request > .sesame/request.schema.json\n\nThen start a request file with\n  # yaml-language-server: $schema=../.sesame/request.schema.json"
    )]
    Schema(SchemaArgs),
    /// Serve the vendor emulator on loopback
    Sandbox(SandboxArgs),
    /// Run the bundled examples against the built-in sandbox
    Demo(DemoArgs),
    /// Manage the credential cache
    Cache(CacheArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_long_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_long_help = "Examples:\n  sesame man | man -l -\n  \
sesame man > ~/.cargo/share/man/man1/sesame.1   (found by `man sesame` beside ~/.cargo/bin)")]
    Man,
    /// Log in to profiles and save the credentials for `run --credentials` (CI)
    Login(LoginArgs),
}

const RUN_EXAMPLES: &str = "Examples:\n  \
sesame run                                   every file under requests/\n  \
sesame run requests/smoke.yaml --env prod    one file, with the prod environment of sesame.yaml\n  \
sesame run --filter users --var org_id=42    only requests or files whose name contains `users`\n  \
sesame run --report junit:out/junit.xml      a JUnit file for the CI's test view (repeatable)\n  \
sesame run --report json:- 2>console.log     the JSON report on stdout; the console goes to stderr\n  \
sesame run --shard 2/3                       the second of three slices of the files (CI matrices)\n  \
sesame run --shard auto                      the slice of a GitLab `parallel:` job\n  \
sesame run --dry-run --verbose               render and print every request; send nothing\n  \
sesame run --color always | less -R          keep colour in a pager\n\n\
The project root (the folder of sesame.yaml) is searched upwards from the current \
folder, else from the first PATH: `sesame run proj/requests/x.yaml` uses proj/sesame.yaml.\n\n\
Exit codes: 0 passed, 1 a request or expectation failed, 2 invalid input (nothing sent), \
3 a profile could not log in, 130 interrupted.";

const COMPLETIONS_HELP: &str = "Install (then open a new shell):\n  \
bash        echo 'source <(sesame completions bash)' >> ~/.bashrc\n  \
zsh         sesame completions zsh > ~/.zfunc/_sesame   (fpath+=(~/.zfunc) before compinit)\n  \
fish        sesame completions fish > ~/.config/fish/completions/sesame.fish\n  \
powershell  sesame completions powershell >> $PROFILE\n  \
elvish      sesame completions elvish >> ~/.config/elvish/rc.elv";

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Options that pick the environment and variables.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct ScopeArgs {
    /// Environment of sesame.yaml whose variables templates see
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Set a template variable (repeatable); wins over the file's vars
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
    /// Folder of auth profiles (default: profiles/ at the project root)
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
    /// Where to look for the project root when the current folder is not
    /// in a project: the first path of the command line.
    #[arg(skip)]
    pub search_from: Option<PathBuf>,
}

#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RunArgs {
    /// Request files or folders (default: requests/)
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Default profile for every file (a request's own `profile:` still wins)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Only requests or files whose name (or file path) contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only files with this tag (repeatable: any of them)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Files run in parallel (default: number of CPUs); requests within a file stay in order
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Run only the K-th of N slices of the files (1-based), for CI matrices;
    /// `auto` reads GitLab's CI_NODE_INDEX and CI_NODE_TOTAL (`parallel:`)
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Write a report: junit:PATH, json:PATH or tap:PATH (repeatable; each
    /// to its own path). PATH `-` is standard output, and the console
    /// report then goes to standard error
    #[arg(long, value_name = "KIND:PATH")]
    pub report: Vec<String>,
    /// Show requests and responses (secrets masked)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print the rendered requests; send nothing, log in to nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Neither read nor write the credential cache
    #[arg(long)]
    pub no_cache: bool,
    /// Answer yes to every `confirm:` question
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Accept invalid TLS certificates (dangerous)
    #[arg(long)]
    pub insecure: bool,
    /// Do not mask secrets in the output
    #[arg(long)]
    pub show_secrets: bool,
    /// A failed request does not stop its file: later requests still run,
    /// except those that need a value the failed one did not capture
    #[arg(long)]
    pub continue_on_error: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Read at most this much of each response body (e.g. 64MiB, 10MB);
    /// expectations on a longer body fail, status and headers still count
    /// [default: 32MiB]
    #[arg(long, value_name = "SIZE", value_parser = crate::http::body::parse_size)]
    pub max_body: Option<u64>,
    /// Keep the TOTP ledger in memory only (`sesame demo`: its sandbox is new)
    #[arg(skip)]
    pub fresh_totp_ledger: bool,
    #[command(flatten)]
    pub creds: Box<CredentialArgs>,
}

/// How the HTTP client connects.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct NetworkArgs {
    /// Give up connecting after this long (e.g. 5s, 500ms); the request's
    /// `timeout:` still bounds the whole exchange
    #[arg(long, value_name = "DURATION")]
    pub connect_timeout: Option<String>,
    /// Send every request through this proxy (http:// or https://);
    /// without it, HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Request files or folders (default: requests/)
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Default profile for every file
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Profile name (profiles/NAME.yaml)
    pub profile: String,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Log in even if a cached credential is valid
    #[arg(long)]
    pub no_cache: bool,
    /// Accept invalid TLS certificates (dangerous)
    #[arg(long)]
    pub insecure: bool,
    /// Print the whole value of this applied header instead (as `sesame curl` does)
    #[arg(long, value_name = "NAME", conflicts_with = "query")]
    pub header: Option<String>,
    /// Print the value of this applied query parameter instead, URL-encoded as sent
    #[arg(long, value_name = "NAME")]
    pub query: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TotpArgs {
    /// Base32 secret or otpauth:// URI (prefer --env: arguments show in `ps`)
    #[arg(required_unless_present = "env", conflicts_with = "env")]
    pub secret: Option<String>,
    /// Read the secret from this environment variable
    #[arg(long, value_name = "VAR")]
    pub env: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CurlArgs {
    /// A request file
    pub file: PathBuf,
    /// Only the request with this name
    #[arg(long, value_name = "NAME")]
    pub request: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Do not mask secrets in the output
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Only one kind of file: request, profile or config (default: one
    /// document for all three)
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_long_help = sesame_sandbox::fixtures_text("http://127.0.0.1:8080"))]
pub(crate) struct SandboxArgs {
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Print the fixture users, secrets and clients, then exit
    #[arg(long)]
    pub fixtures: bool,
    /// Also serve this vendor at `/`, for clients that take a bare host (code42, crisisworks, basicapp, beyondtrust)
    #[arg(long, value_name = "VENDOR")]
    pub root: Option<sesame_sandbox::Vendor>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Show requests and responses (secrets masked)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Keep the extracted example project in this folder instead of a temporary one
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CacheAction {
    /// Delete the credentials and TOTP records sesame cached (nothing else in the folder)
    Clear,
    /// Print the cache folder
    Path,
}

// ---- Credentials for CI pipelines (issue 10): `sesame login --save`, `run --credentials` ----

/// `sesame run --credentials FILE --cacert FILE`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct CredentialArgs {
    /// Use the credentials saved by `sesame login --save FILE` instead of
    /// logging in (encrypted files need SESAME_CREDENTIALS_KEY)
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// Trust this PEM root certificate too, for every request of the run
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
}

/// `sesame login PROFILE... --save FILE`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Profiles to log in to (profiles/NAME.yaml)
    #[arg(required = true, value_name = "PROFILE")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Write the credentials (never the secrets) to FILE, mode 0600; encrypted
    /// with SESAME_CREDENTIALS_KEY (age passphrase) when it is set
    #[arg(long, value_name = "FILE")]
    pub save: PathBuf,
    /// Log in even if a cached credential is valid
    #[arg(long)]
    pub no_cache: bool,
    /// Accept invalid TLS certificates (dangerous)
    #[arg(long)]
    pub insecure: bool,
}
