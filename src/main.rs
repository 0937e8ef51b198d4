//! The `resume-ssh` command: serve the resume over SSH, or check, export and render it locally.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

mod cli;
mod start_messages;

use anyhow::Context as _;
use clap::Parser as _;
use resume_ssh::config::{Limits, LogIp, Settings};
use resume_ssh::content::SectionId;
use resume_ssh::export::{json, markdown, pdf, plain, vcard};
use resume_ssh::resume::Resume;
use resume_ssh::{hostkey, reload, render, server, shared::Shared};

use cli::{
    Cli, Cmd, ExportFormat, InboxCmd, LogFormat, LogIpArg, PaperArg, RenderFormat, ServeArgs,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("resume-ssh: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    pdf::set_owner_fonts(cli.pdf_fonts.clone());
    match cli.command {
        None => serve(cli.serve),
        Some(Cmd::Serve(args)) => serve(*args),
        Some(Cmd::Check { path }) => match Resume::load(&path) {
            Ok(r) => {
                // Content the PDF cannot set (a character the shipped font lacks) is an error too.
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                let errors = pdf::font_errors(&r, &source, &path);
                if !errors.is_empty() {
                    for e in errors {
                        eprintln!("{e}");
                    }
                    return Ok(ExitCode::FAILURE);
                }
                println!(
                    "{}: OK ({}, {} roles, {} case studies)",
                    path.display(),
                    r.basics.name,
                    r.work.len(),
                    r.projects.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("{e}");
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                if source.trim_start().starts_with('{') {
                    eprintln!(
                        "(this looks like JSON; for a JSON Resume: resume-ssh import {} -o resume.toml)",
                        path.display()
                    );
                }
                Ok(ExitCode::FAILURE)
            }
        },
        Some(Cmd::Import {
            input,
            output,
            force,
            strict,
        }) => import(&input, output, force, strict),
        Some(Cmd::Export {
            format,
            paper,
            resume,
            width,
        }) => {
            let r = Resume::load(&resume)?;
            let out = match format {
                ExportFormat::Plain | ExportFormat::Text => plain::render(&r, usize::from(width)),
                ExportFormat::Json => json::render(&r),
                ExportFormat::Vcard => vcard::render(&r),
                ExportFormat::Markdown | ExportFormat::Md => markdown::render(&r),
                ExportFormat::Pdf => {
                    let paper = match paper {
                        PaperArg::A4 => pdf::Paper::A4,
                        PaperArg::Letter => pdf::Paper::Letter,
                    };
                    return write_stdout(&pdf::render(&r, paper)?);
                }
            };
            write_stdout(out.as_bytes())
        }
        Some(Cmd::Render {
            resume,
            width,
            height,
            section,
            format,
            term,
            help_overlay,
        }) => {
            let r = Resume::load(&resume)?;
            let tab = SectionId::from_slug(&section)
                .with_context(|| format!("unknown section '{section}'"))?;
            let opts = render::Options {
                size: resume_ssh::terminal::Size::new(width, height),
                tab,
                term,
                help: help_overlay,
            };
            let out = match format {
                RenderFormat::Text => render::text(&r, &opts),
                RenderFormat::Ansi => render::ansi(&r, &opts),
                RenderFormat::Svg => render::svg(&r, &opts),
            };
            write_stdout(&out)
        }
        Some(Cmd::Preview { resume, section }) => {
            let tab = SectionId::from_slug(&section)
                .with_context(|| format!("unknown section '{section}'"))?;
            resume_ssh::preview::run(&resume, tab)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Fingerprint { host_key }) => {
            let key = hostkey::load(&host_key)?;
            println!("{}", hostkey::fingerprint(&key));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Inbox {
            data_dir,
            db,
            json,
            action,
        }) => {
            use resume_ssh::messages::inbox::Action;
            let db = db.unwrap_or_else(|| resume_ssh::messages::store::db_path(&data_dir));
            let action = match action {
                None | Some(InboxCmd::List) => Action::List,
                Some(InboxCmd::Show { reference }) => Action::Show(reference),
                Some(InboxCmd::Read { reference }) => Action::Read(reference),
                Some(InboxCmd::Delete { reference }) => Action::Delete(reference),
            };
            match resume_ssh::messages::inbox::run(&db, &action, json) {
                Ok(text) => write_stdout(text.as_bytes()),
                Err(e) => {
                    eprintln!("resume-ssh inbox: {e:#}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Some(Cmd::Sshfp { name, host_key }) => {
            let key = hostkey::load(&host_key)?;
            println!("{}", hostkey::sshfp(&key, name.trim_end_matches('.')));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `resume-ssh import`: notes on stderr, the TOML to `-o` or standard output.
fn import(
    input: &std::path::Path,
    output: Option<std::path::PathBuf>,
    force: bool,
    strict: bool,
) -> anyhow::Result<ExitCode> {
    let imported = match resume_ssh::import::import(input) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut lost = false;
    for note in &imported.notes {
        lost |= note.is_loss();
        eprintln!("resume-ssh import: {note}");
    }
    if strict && lost {
        eprintln!(
            "resume-ssh import: --strict: some fields would not be carried over; nothing written"
        );
        return Ok(ExitCode::FAILURE);
    }
    let out = match output {
        Some(path) => resume_ssh::import::Output::File { path, force },
        None => resume_ssh::import::Output::Stdout,
    };
    resume_ssh::import::write_output(&imported.toml, &out)?;
    if let resume_ssh::import::Output::File { path, .. } = &out {
        eprintln!(
            "resume-ssh import: wrote {} ({}, {} roles); next: resume-ssh check {}",
            path.display(),
            imported.resume.basics.name,
            imported.resume.work.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `resume-ssh export json | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let _log = resume_ssh::logging::init(match args.log_format {
        LogFormat::Text => resume_ssh::logging::Format::Text,
        LogFormat::Json => resume_ssh::logging::Format::Json,
    });
    // A panic ends only the task it happens in (one connection); the hook says so in the log.
    resume_ssh::logging::panic::install_hook();
    let settings = Settings {
        listen: args.listen.clone(),
        resume_path: args.resume.clone(),
        host_key_path: args.host_key.clone(),
        limits: Limits {
            max_connections: args.max_connections,
            max_per_ip: args.max_per_ip,
            rate_per_ip_per_minute: args.rate_per_minute,
            handshake_timeout: std::time::Duration::from_secs(args.handshake_timeout.max(1)),
            idle_timeout: std::time::Duration::from_secs(args.idle_timeout.max(1)),
            max_session: std::time::Duration::from_secs(args.max_session.max(1)),
            ..Limits::default()
        },
    };
    let resume = Resume::load(&settings.resume_path)?;
    let (key, origin) = hostkey::load_or_create(&settings.host_key_path)?;
    let messages = start_messages::start(&args)?;
    let fingerprint = hostkey::fingerprint(&key);
    resume_ssh::allocator::tune();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listeners = server::listen::inherited_or_bind(&settings.listen)?;
        let locals = listeners
            .iter()
            .map(|l| l.local_addr())
            .collect::<Result<Vec<_>, _>>()?;
        let verb = match origin {
            hostkey::Origin::Created => "created",
            hostkey::Origin::Loaded => "loaded",
        };
        let shown: Vec<String> = locals.iter().map(|a| a.to_string()).collect();
        tracing::info!(
            listen = %shown.join(","),
            host_key = %settings.host_key_path.display(),
            fingerprint = %fingerprint,
            "host key {verb}; serving the resume of {}",
            resume.basics.name
        );
        // One write, whose failure (stderr already closed) is not fatal.
        let mut banner = String::new();
        for local in &locals {
            banner.push_str(&format!("resume-ssh listening on {local}\n"));
        }
        banner.push_str(&format!(
            "  host key {}: {fingerprint}\n  try it: ssh -p {} localhost\n",
            settings.host_key_path.display(),
            locals.first().map_or(0, |a| a.port())
        ));
        let _ = std::io::stderr().write_all(banner.as_bytes());
        let log_ip = match args.log_ip {
            LogIpArg::Full => LogIp::Full,
            LogIpArg::Hashed => LogIp::Hashed,
            LogIpArg::None => LogIp::None,
        };
        let mut shared = Shared::new(
            resume_ssh::shared::with_command(resume, args.public_command.as_ref()),
            settings.limits.clone(),
        )
        .with_log_ip(log_ip)
        .with_proxy_protocol(args.proxy_protocol)
        .with_public_command(args.public_command.clone());
        if let Some(service) = messages {
            shared = shared.with_messages(service);
        }
        let shared = Arc::new(shared);
        reload::spawn(
            Arc::clone(&shared),
            settings.resume_path.clone(),
            !args.no_watch,
        );
        if let Some(addr) = args.metrics {
            let l = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for metrics on {addr}"))?;
            if !addr.ip().is_loopback() {
                tracing::warn!(%addr, "metrics are served on a non-loopback address");
            }
            // The bound address (port 0 picks one), on stderr like the SSH listener's banner.
            let bound = l.local_addr().unwrap_or(addr);
            let _ = writeln!(std::io::stderr(), "resume-ssh metrics on {bound}");
            tracing::info!(%bound, "metrics at http://{bound}/metrics");
            tokio::spawn(resume_ssh::metrics::serve(l));
        }
        // One web state for every HTTP listener: the per-address rate counts across them.
        let web = resume_ssh::web::Web::new(
            Arc::clone(&shared),
            resume_ssh::web::Config {
                ssh_port: locals.first().map_or(22, |a| a.port()),
                trusted_proxies: args.trusted_proxy.clone(),
                limits: resume_ssh::web::Limits::default(),
            },
        );
        for addr in &args.http {
            let l = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for HTTP on {addr}"))?;
            let bound = l.local_addr().unwrap_or(*addr);
            let _ = writeln!(std::io::stderr(), "resume-ssh http on {bound}");
            tracing::info!(%bound, "the resume's web page at http://{bound}/");
            tokio::spawn(resume_ssh::web::conn::serve(l, Arc::clone(&web)));
        }
        let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Ready]);
        let mut watchdog_usec = 0u64;
        let watchdog = sd_notify::watchdog_enabled(false, &mut watchdog_usec);
        let server = server::Server::new(shared, key);
        server
            .run(listeners, shutdown_signal(), move || {
                resume_ssh::logging::report_drops();
                if watchdog {
                    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Watchdog]);
                }
            })
            .await?;
        let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
        tracing::info!("stopped");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for SIGTERM");
            return std::future::pending().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: shutting down"),
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
    }
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
}
