//! The `resume-ssh` command line (clap): the subcommands and the serve options, with their
//! defaults and environment variables. main.rs acts on what is parsed here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use resume_ssh::config::Limits;
use resume_ssh::messages::Limits as MessageLimits;
use resume_ssh::server;

#[derive(Parser, Debug)]
#[command(
    name = "resume-ssh",
    version,
    about = "Serve a resume over SSH as a full-screen terminal UI"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Fonts for the PDF's characters that Inter lacks, tried before the system's: font files or
    /// directories, `:`-separated in the environment variable.
    #[arg(
        long,
        global = true,
        env = "RESUME_SSH_PDF_FONTS",
        value_delimiter = ':'
    )]
    pub pdf_fonts: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Serve the resume (the default).
    Serve(Box<ServeArgs>),
    /// Validate a resume.toml; exit 0 if it is good, 1 with the error if not.
    Check {
        #[arg(default_value = "resume.toml", env = "RESUME_SSH_RESUME")]
        path: PathBuf,
    },
    /// Turn a JSON Resume document (resume.json) into resume.toml; says on stderr what was not
    /// carried over and what was derived.
    Import {
        /// The JSON Resume file (`-` for standard input).
        input: PathBuf,
        /// Where to write resume.toml (standard output if not given). Never overwritten
        /// without --force.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (atomically: old or new, never half).
        #[arg(long)]
        force: bool,
        /// Fail (exit 1, nothing written) if any field would not be carried over.
        #[arg(long)]
        strict: bool,
    },
    /// Print the resume as plain text, Markdown, PDF, JSON Resume or vCard.
    Export {
        format: ExportFormat,
        /// Paper size of the PDF.
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, default_value = "resume.toml", env = "RESUME_SSH_RESUME")]
        resume: PathBuf,
        /// Width of plain text (40-200).
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(40..=200))]
        width: u16,
    },
    /// Print one frame of the UI as a client would see it.
    Render {
        #[arg(long, default_value = "resume.toml", env = "RESUME_SSH_RESUME")]
        resume: PathBuf,
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(1..=400))]
        width: u16,
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u16).range(1..=200))]
        height: u16,
        /// Section to open (about, experience, case-studies, initiatives, skills, contact).
        #[arg(long, default_value = "about")]
        section: String,
        #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
        format: RenderFormat,
        /// TERM to render for (picks colours and character set).
        #[arg(long, default_value = "xterm-256color")]
        term: String,
        /// Open the help overlay.
        #[arg(long)]
        help_overlay: bool,
    },
    /// Show the UI in this terminal, redrawn when the resume file changes; q quits.
    Preview {
        #[arg(long, default_value = "resume.toml", env = "RESUME_SSH_RESUME")]
        resume: PathBuf,
        #[arg(long, default_value = "about")]
        section: String,
    },
    /// Print the host key's SHA256 fingerprint (the key must exist).
    Fingerprint {
        #[arg(
            long,
            default_value = "keys/ssh_host_ed25519_key",
            env = "RESUME_SSH_HOST_KEY"
        )]
        host_key: PathBuf,
    },
    /// Read the messages visitors left (`ssh HOST message`): newest first, or one of them.
    Inbox {
        /// The directory the server keeps its data in (its --data-dir).
        #[arg(long, default_value = "data", env = "RESUME_SSH_DATA_DIR")]
        data_dir: PathBuf,
        /// A database file to read instead (a copy of DATA_DIR/messages.db, e.g. from a replica).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        action: Option<InboxCmd>,
    },
    /// Print the SSHFP DNS record of the host key.
    Sshfp {
        #[arg(long)]
        name: String,
        #[arg(
            long,
            default_value = "keys/ssh_host_ed25519_key",
            env = "RESUME_SSH_HOST_KEY"
        )]
        host_key: PathBuf,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum InboxCmd {
    /// Every message, newest first: reference, time, unread mark, from, first line (the default).
    List,
    /// One message in full.
    Show { reference: String },
    /// Mark a message read.
    Read { reference: String },
    /// Delete a message.
    Delete { reference: String },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum ExportFormat {
    Plain,
    Text,
    Json,
    Vcard,
    Markdown,
    Md,
    Pdf,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum RenderFormat {
    Text,
    Ansi,
    /// An SVG picture of the frame (colours, attributes, box drawing).
    Svg,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on; repeat it (or separate with commas) for several. The
    /// default, [::]:2222, takes IPv6 and IPv4 (falling back to IPv4 on a host without IPv6).
    #[arg(
        long,
        default_value = server::listen::DEFAULT_LISTEN,
        env = "RESUME_SSH_LISTEN",
        value_delimiter = ','
    )]
    pub listen: Vec<std::net::SocketAddr>,
    /// The resume to serve.
    #[arg(long, default_value = "resume.toml", env = "RESUME_SSH_RESUME")]
    pub resume: PathBuf,
    /// The Ed25519 host key (created if missing).
    #[arg(
        long,
        default_value = "keys/ssh_host_ed25519_key",
        env = "RESUME_SSH_HOST_KEY"
    )]
    pub host_key: PathBuf,
    /// Log format: text for people, json for machines.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, env = "RESUME_SSH_LOG_FORMAT")]
    pub log_format: LogFormat,
    /// How client addresses are logged: full, hashed (keyed hash, new key each start) or none.
    #[arg(long, value_enum, default_value_t = LogIpArg::Hashed, env = "RESUME_SSH_LOG_IP")]
    pub log_ip: LogIpArg,
    /// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9222). Off by default.
    #[arg(long, env = "RESUME_SSH_METRICS")]
    pub metrics: Option<std::net::SocketAddr>,
    /// Serve the resume as a web page (and its files) over HTTP on this address; repeat it (or
    /// separate with commas) for several. Off by default. Put TLS in front (see deploy/Caddyfile).
    #[arg(long, env = "RESUME_SSH_HTTP", value_delimiter = ',')]
    pub http: Vec<std::net::SocketAddr>,
    /// A proxy (IP or CIDR) whose X-Forwarded-For and X-Forwarded-Proto the HTTP side believes;
    /// repeat it (or separate with commas) for several.
    #[arg(long, env = "RESUME_SSH_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_net)]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// Expect a PROXY protocol v2 header on every connection (behind HAProxy or a load balancer).
    #[arg(long, env = "RESUME_SSH_PROXY_PROTOCOL")]
    pub proxy_protocol: bool,
    /// The command visitors type to reach this server ("ssh resume.example.com"), shown in every
    /// hint; overrides `[site] ssh` in resume.toml.
    #[arg(long, env = "RESUME_SSH_PUBLIC_COMMAND", value_parser = parse_public_command)]
    pub public_command: Option<resume_ssh::resume::SshCommand>,
    /// Do not watch resume.toml for changes (SIGHUP still reloads).
    #[arg(long)]
    pub no_watch: bool,
    /// Open connections in total.
    #[arg(long, default_value_t = Limits::default().max_connections, env = "RESUME_SSH_MAX_CONNECTIONS")]
    pub max_connections: usize,
    /// Open connections per source address.
    #[arg(long, default_value_t = Limits::default().max_per_ip, env = "RESUME_SSH_MAX_PER_IP")]
    pub max_per_ip: usize,
    /// New connections per source address per minute.
    #[arg(long, default_value_t = Limits::default().rate_per_ip_per_minute, env = "RESUME_SSH_RATE_PER_MINUTE")]
    pub rate_per_minute: u32,
    /// Seconds from connect to authentication.
    #[arg(long, default_value_t = Limits::default().handshake_timeout.as_secs(), env = "RESUME_SSH_HANDSHAKE_TIMEOUT")]
    pub handshake_timeout: u64,
    /// Seconds without input before a session is closed.
    #[arg(long, default_value_t = Limits::default().idle_timeout.as_secs(), env = "RESUME_SSH_IDLE_TIMEOUT")]
    pub idle_timeout: u64,
    /// Where visitors' messages are kept (created 0700; the database messages.db, 0600).
    #[arg(long, default_value = "data", env = "RESUME_SSH_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Take no messages (`ssh HOST message` is refused; no data directory is created).
    #[arg(long, env = "RESUME_SSH_NO_MESSAGES")]
    pub no_messages: bool,
    /// Post each new message to this URL (repeatable): JSON {id, received_at, from, body} with
    /// an Idempotency-Key header; prefix slack:, discord: or ntfy: for those receivers' shapes.
    #[arg(
        long = "notify-url",
        env = "RESUME_SSH_NOTIFY_URL",
        value_delimiter = ' '
    )]
    pub notify_urls: Vec<String>,
    /// Messages one address (an IPv6 /64) may leave per hour.
    #[arg(long, default_value_t = MessageLimits::default().per_address_per_hour, env = "RESUME_SSH_MESSAGES_PER_ADDRESS")]
    pub messages_per_address: u32,
    /// Messages everyone together may leave per hour.
    #[arg(long, default_value_t = MessageLimits::default().global_per_hour, env = "RESUME_SSH_MESSAGES_PER_HOUR")]
    pub messages_per_hour: u32,
    /// Messages the store holds at most (then new ones are refused until some are deleted).
    #[arg(long, default_value_t = MessageLimits::default().max_messages, env = "RESUME_SSH_MAX_MESSAGES")]
    pub max_messages: u64,
    /// Bytes of message text the store holds at most.
    #[arg(long, default_value_t = MessageLimits::default().max_bytes, env = "RESUME_SSH_MAX_MESSAGE_BYTES")]
    pub max_message_bytes: u64,
    /// Tests only: the first wait, in milliseconds, before a failed delivery is retried.
    #[arg(long, default_value_t = 1000, hide = true)]
    pub notify_backoff_ms: u64,
    /// Longest session, in seconds.
    #[arg(long, default_value_t = Limits::default().max_session.as_secs(), env = "RESUME_SSH_MAX_SESSION")]
    pub max_session: u64,
}

/// `--public-command`: checked as `[site] ssh` is.
fn parse_public_command(s: &str) -> Result<resume_ssh::resume::SshCommand, String> {
    resume_ssh::resume::SshCommand::try_from(s)
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum LogIpArg {
    Full,
    Hashed,
    None,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// An address (`10.0.0.1`, a /32 or /128) or a network (`10.0.0.0/8`).
fn parse_net(s: &str) -> Result<ipnet::IpNet, String> {
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{s}' is not an IP address or CIDR network"))
}
