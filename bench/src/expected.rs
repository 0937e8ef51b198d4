//! The first frame resume-ssh draws for a visitor, from its library: what bare_server sends
//! and how many bytes loadgen waits for (`--until frame`), so that neither depends on what the
//! frame shows (the view changes; the byte count of the same library's frame does not lie).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::theme::ClientEnv;

use anyhow::Context as _;

use crate::cli::{SessionArgs, Until, WorkloadArgs};
use crate::workload::{self, Visitor, Workload};

/// The bytes of the first frame for `v` (no env requests but NO_COLOR).
pub fn first_frame(
    resume: &Arc<Resume>,
    cols: u16,
    rows: u16,
    term: &str,
    no_color: bool,
) -> Vec<u8> {
    let caps = ClientEnv {
        term: Some(term.to_owned()),
        no_color,
        ..ClientEnv::default()
    }
    .capabilities();
    let mut tui = Tui::new(SectionId::About, Size::new(cols, rows), caps);
    let mut out = Vec::new();
    tui.frame(resume, &mut out);
    out
}

/// First frames by visitor: every visitor of the mixed workload, plus `extra`.
pub struct Frames {
    by_visitor: HashMap<(u16, u16, String, bool), Arc<Vec<u8>>>,
    resume: Arc<Resume>,
}

impl Frames {
    /// `extra`: one more visitor (cols, rows, TERM, NO_COLOR).
    pub fn load(
        path: &Path,
        workload: Workload,
        extra: (u16, u16, &str, bool),
    ) -> anyhow::Result<Frames> {
        let resume =
            Arc::new(Resume::load(path).with_context(|| format!("load {}", path.display()))?);
        let mut all = vec![(extra.0, extra.1, extra.2.to_owned(), extra.3)];
        if workload == Workload::Mixed {
            all.extend(
                workload::support()
                    .into_iter()
                    .map(|v| (v.cols, v.rows, v.term.to_owned(), v.no_color)),
            );
        }
        let mut by_visitor = HashMap::new();
        for (cols, rows, term, no_color) in all {
            let size = Size::new(cols, rows);
            let f = first_frame(&resume, size.cols, size.rows, &term, no_color);
            by_visitor.insert((size.cols, size.rows, term, no_color), Arc::new(f));
        }
        Ok(Frames { by_visitor, resume })
    }

    /// The frame for this visitor: from the table, or drawn now (and not kept: a visitor
    /// outside the workload is rare and must not grow the table).
    pub fn get(&self, cols: u16, rows: u16, term: &str, no_color: bool) -> Arc<Vec<u8>> {
        let size = Size::new(cols, rows);
        match self
            .by_visitor
            .get(&(size.cols, size.rows, term.to_owned(), no_color))
        {
            Some(f) => Arc::clone(f),
            None => Arc::new(first_frame(
                &self.resume,
                size.cols,
                size.rows,
                term,
                no_color,
            )),
        }
    }

    pub fn len(&self) -> usize {
        self.by_visitor.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_visitor.is_empty()
    }
}

/// The session arguments of every visitor of a run.
pub struct Plan {
    base: SessionArgs,
    workload: Workload,
    seed: u64,
    frames: Option<Frames>,
}

impl Plan {
    /// `workload` None: every session is `base` (modes without a workload).
    pub fn new(base: &SessionArgs, workload: Option<&WorkloadArgs>) -> anyhow::Result<Plan> {
        let (w, seed) = workload.map_or((Workload::Identical, 0), |w| (w.workload, w.seed));
        let frames = match base.until {
            Until::Frame => Some(Frames::load(
                &base.resume,
                w,
                (base.cols, base.rows, &base.term, base.no_color),
            )?),
            _ => None,
        };
        Ok(Plan {
            base: base.clone(),
            workload: w,
            seed,
            frames,
        })
    }

    pub fn workload(&self) -> Workload {
        self.workload
    }

    /// The visitor of session `index`.
    pub fn visitor(&self, index: u64) -> Visitor {
        match self.workload {
            Workload::Mixed => workload::mixed(self.seed, index),
            Workload::Identical => Visitor {
                cols: self.base.cols,
                rows: self.base.rows,
                term: "",
                no_color: self.base.no_color,
            },
        }
    }

    /// Session `index`'s arguments: its visitor's size and terminal, and its frame's length.
    pub fn session(&self, index: u64) -> SessionArgs {
        let mut a = self.base.clone();
        if self.workload == Workload::Mixed {
            let v = workload::mixed(self.seed, index);
            a.cols = v.cols;
            a.rows = v.rows;
            a.term = v.term.to_owned();
            a.no_color = v.no_color;
        }
        if let Some(f) = &self.frames {
            a.expect_bytes = Some(f.get(a.cols, a.rows, &a.term, a.no_color).len());
        }
        a
    }
}
