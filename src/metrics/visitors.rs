//! What visitors read: sections opened and the time spent in each, client families, terminal
//! classes and links copied. Every label is a fixed enum ([`super::labels`]).
//!
//! Time per section is measured without timers: [`Visit`] reads the clock when the visitor
//! switches section and when the session ends (the `Visit` is dropped with the TUI), so nothing
//! runs while a session is idle.

use std::time::{Duration, Instant};

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::labels::{ClientFamily, FamilyLabel, LinkKind, LinkLabel, SectionLabel, TerminalLabel};
use crate::content::SectionId;
use crate::terminal::Size;
use crate::tui::theme::Capabilities;

/// Upper bounds of the time-per-section buckets, in seconds: a glance (1 s) to half an hour.
pub const SECTION_SECONDS_BUCKETS: [f64; 11] = [
    1.0, 3.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1200.0, 1800.0,
];

fn section_histogram() -> Histogram {
    Histogram::new(SECTION_SECONDS_BUCKETS)
}

/// The visitor metrics.
pub struct Visitors {
    sections_opened: Family<SectionLabel, Counter>,
    section_seconds: Family<SectionLabel, Histogram, fn() -> Histogram>,
    clients: Family<FamilyLabel, Counter>,
    terminals: Family<TerminalLabel, Counter>,
    links_copied: Family<LinkLabel, Counter>,
}

impl Visitors {
    pub(super) fn new() -> Visitors {
        Visitors {
            sections_opened: Family::default(),
            section_seconds: Family::new_with_constructor(section_histogram),
            clients: Family::default(),
            terminals: Family::default(),
            links_copied: Family::default(),
        }
    }

    pub(super) fn register(&self, registry: &mut Registry) {
        registry.register(
            "section_views",
            "Sections shown in the TUI (the first one and every switch), by section",
            self.sections_opened.clone(),
        );
        registry.register(
            "section_seconds",
            "Time visitors spent on a section before switching or leaving, by section",
            self.section_seconds.clone(),
        );
        registry.register(
            "clients",
            "Authenticated connections, by the client's SSH implementation",
            self.clients.clone(),
        );
        registry.register(
            "tui_terminals",
            "TUI sessions by the terminal's width class and colour depth at the start",
            self.terminals.clone(),
        );
        registry.register(
            "links_copied",
            "Links a visitor copied to the clipboard, by kind of link",
            self.links_copied.clone(),
        );
    }

    /// A section was shown.
    pub fn section_opened(&self, section: SectionId) {
        self.sections_opened
            .get_or_create(&SectionLabel { section })
            .inc();
    }

    /// A visitor spent `spent` on `section`.
    pub fn section_left(&self, section: SectionId, spent: Duration) {
        self.section_seconds
            .get_or_create(&SectionLabel { section })
            .observe(spent.as_secs_f64());
    }

    /// A client authenticated; `sshid` is the identification line it sent.
    pub fn client(&self, sshid: &[u8]) {
        let family = ClientFamily::of(sshid);
        self.clients.get_or_create(&FamilyLabel { family }).inc();
    }

    /// A TUI session started at `size` with `caps`.
    pub fn terminal(&self, size: Size, caps: Capabilities) {
        self.terminals
            .get_or_create(&TerminalLabel::of(size, caps))
            .inc();
    }

    /// A visitor copied a link (an OSC 52 copy of `kind`).
    pub fn link_copied(&self, kind: LinkKind) {
        self.links_copied.get_or_create(&LinkLabel { kind }).inc();
    }
}

/// One TUI session's reading: which section is shown since when. Created with the TUI, told of
/// the section after every input, dropped with the TUI (which records the last section's time).
pub struct Visit {
    visitors: &'static Visitors,
    section: SectionId,
    since: Instant,
}

impl Visit {
    /// Counts the session's terminal and its first section, in the process-wide metrics.
    pub fn start(section: SectionId, size: Size, caps: Capabilities) -> Visit {
        Visit::start_in(&super::get().visitors, section, size, caps, Instant::now())
    }

    pub fn start_in(
        visitors: &'static Visitors,
        section: SectionId,
        size: Size,
        caps: Capabilities,
        now: Instant,
    ) -> Visit {
        visitors.terminal(size, caps);
        visitors.section_opened(section);
        Visit {
            visitors,
            section,
            since: now,
        }
    }

    /// The section shown now; the clock is read only if it changed.
    pub fn seen(&mut self, section: SectionId) {
        if section != self.section {
            self.switch(section, Instant::now());
        }
    }

    /// The visitor switched to `section` at `now`.
    pub fn switch(&mut self, section: SectionId, now: Instant) {
        if section == self.section {
            return;
        }
        self.visitors
            .section_left(self.section, now.saturating_duration_since(self.since));
        self.visitors.section_opened(section);
        self.section = section;
        self.since = now;
    }
}

impl Drop for Visit {
    fn drop(&mut self) {
        self.visitors
            .section_left(self.section, self.since.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    fn fresh() -> &'static Metrics {
        Box::leak(Box::new(Metrics::new()))
    }

    fn line<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
        text.lines().find(|l| l.starts_with(prefix))
    }

    #[test]
    fn time_is_recorded_per_section_at_each_switch_and_at_the_end() {
        let m = fresh();
        let t0 = Instant::now();
        let caps = Capabilities::default();
        let mut visit = Visit::start_in(&m.visitors, SectionId::About, Size::new(80, 24), caps, t0);
        visit.switch(SectionId::About, t0 + Duration::from_secs(1));
        visit.switch(SectionId::Skills, t0 + Duration::from_secs(5));
        visit.switch(SectionId::Contact, t0 + Duration::from_secs(45));
        let text = m.encode();
        let sum = |s: &str| {
            line(
                &text,
                &format!("resume_ssh_section_seconds_sum{{section=\"{s}\"}}"),
            )
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
        };
        assert_eq!(sum("about"), Some(5.0), "{text}");
        assert_eq!(sum("skills"), Some(40.0), "{text}");
        assert_eq!(sum("contact"), None, "not left yet: {text}");
        // 40 s is over the 30 s bound and within 60 s.
        assert!(
            text.contains("resume_ssh_section_seconds_bucket{le=\"30.0\",section=\"skills\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("resume_ssh_section_seconds_bucket{le=\"60.0\",section=\"skills\"} 1"),
            "{text}"
        );
        drop(visit);
        let text = m.encode();
        assert!(
            text.contains("resume_ssh_section_seconds_count{section=\"contact\"} 1"),
            "{text}"
        );
        for s in ["about", "skills", "contact"] {
            assert!(
                text.contains(&format!(
                    "resume_ssh_section_views_total{{section=\"{s}\"}} 1"
                )),
                "{s}: {text}"
            );
        }
        assert!(
            text.contains("resume_ssh_tui_terminals_total{size=\"standard\",colour=\"256\"} 1"),
            "{text}"
        );
    }

    #[test]
    fn links_copied_by_kind() {
        let m = fresh();
        m.link_copied(LinkKind::of("mailto:ada@example.com"));
        m.link_copied(LinkKind::of("https://github.com/ada"));
        m.link_copied(LinkKind::of("https://github.com/ada/x"));
        let text = m.encode();
        assert!(
            text.contains("resume_ssh_links_copied_total{kind=\"email\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("resume_ssh_links_copied_total{kind=\"github\"} 2"),
            "{text}"
        );
        assert!(!text.contains("ada"), "{text}");
    }

    #[test]
    fn hostile_client_ids_are_other() {
        let m = fresh();
        m.visitors.client(b"SSH-2.0-OpenSSH_9.6");
        m.visitors
            .client(b"SSH-2.0-x\"} 9\nresume_ssh_clients_total{family=\"y");
        m.visitors.client(&[0xff; 255]);
        let text = m.encode();
        assert!(
            text.contains("resume_ssh_clients_total{family=\"openssh\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("resume_ssh_clients_total{family=\"other\"} 2"),
            "{text}"
        );
        assert_eq!(
            text.matches("resume_ssh_clients_total{").count(),
            2,
            "{text}"
        );
    }
}
