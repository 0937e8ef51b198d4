//! Who the visitors are: the mixed workload (sizes and terminals drawn from a stated
//! distribution, seeded and repeatable) and the identical-visitor one.
//!
//! The mixed distribution (weights in percent):
//!
//! | class | weight | sizes (cols×rows, equally likely within the class) |
//! |---|---|---|
//! | phone | 20 | 45×30, 40×20, 50×35, 42×28 |
//! | laptop | 45 | 80×24, 100×30, 120×40, 90×28, 110×35, 132×43 |
//! | big monitor | 20 | 200×60, 220×65, 240×70, 180×50 |
//! | odd | 15 | one of 32 fixed odd sizes, 41..=250 × 13..=75 ([`ODD_SIZES`]) |
//!
//! | TERM | weight |
//! |---|---|
//! | xterm-256color | 36 |
//! | tmux-256color | 12 |
//! | screen-256color | 8 |
//! | alacritty | 8 |
//! | xterm-kitty | 8 |
//! | xterm | 12 |
//! | linux | 6 |
//! | vt100 | 6 |
//! | dumb | 4 |
//!
//! and, independently, NO_COLOR for 10% of visitors. Visitor `i` of seed `s` is always the same
//! visitor, whatever the concurrency: each is drawn from its own generator seeded with (s, i).
//! The support is finite (40 sizes × 9 TERMs × NO_COLOR or not), so the bare server can render
//! every frame of it before it starts ([`support`]) and pays nothing per visitor for drawing.

use clap::ValueEnum;

/// One visitor's terminal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Visitor {
    pub cols: u16,
    pub rows: u16,
    pub term: &'static str,
    pub no_color: bool,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum Workload {
    /// Sizes and TERMs from the distribution above (the default).
    Mixed,
    /// Every visitor the same (`--cols`, `--rows`, `--term`): measures the caches.
    Identical,
}

impl Workload {
    pub fn label(self) -> &'static str {
        match self {
            Workload::Mixed => "mixed",
            Workload::Identical => "identical",
        }
    }
}

const PHONE: [(u16, u16); 4] = [(45, 30), (40, 20), (50, 35), (42, 28)];
const LAPTOP: [(u16, u16); 6] = [
    (80, 24),
    (100, 30),
    (120, 40),
    (90, 28),
    (110, 35),
    (132, 43),
];
const BIG: [(u16, u16); 4] = [(200, 60), (220, 65), (240, 70), (180, 50)];

/// Odd sizes: 32 drawn once from a fixed seed (not the run's), so the support never changes.
pub fn odd_sizes() -> Vec<(u16, u16)> {
    let mut rng = fastrand::Rng::with_seed(0x0dd5_12e5);
    (0..32)
        .map(|_| (rng.u16(41..=250), rng.u16(13..=75)))
        .collect()
}

/// Names of [`odd_sizes`], for the docs.
pub const ODD_SIZES: &str = "32 sizes from fastrand seed 0x0dd512e5";

const TERMS: [(&str, u32); 9] = [
    ("xterm-256color", 36),
    ("tmux-256color", 12),
    ("screen-256color", 8),
    ("alacritty", 8),
    ("xterm-kitty", 8),
    ("xterm", 12),
    ("linux", 6),
    ("vt100", 6),
    ("dumb", 4),
];

fn weighted<T: Copy>(rng: &mut fastrand::Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.u32(0..total);
    for (v, w) in items {
        if pick < *w {
            return *v;
        }
        pick -= w;
    }
    items[items.len() - 1].0
}

/// Visitor `index` of the mixed workload with `seed`.
pub fn mixed(seed: u64, index: u64) -> Visitor {
    let mut rng = fastrand::Rng::with_seed(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let class = weighted(&mut rng, &[(0u8, 20), (1, 45), (2, 20), (3, 15)]);
    let (cols, rows) = match class {
        0 => PHONE[rng.usize(..PHONE.len())],
        1 => LAPTOP[rng.usize(..LAPTOP.len())],
        2 => BIG[rng.usize(..BIG.len())],
        _ => {
            let odd = odd_sizes();
            odd[rng.usize(..odd.len())]
        }
    };
    let term = weighted(&mut rng, &TERMS);
    let no_color = rng.u32(0..100) < 10;
    Visitor {
        cols,
        rows,
        term,
        no_color,
    }
}

/// Every visitor the mixed workload can produce.
pub fn support() -> Vec<Visitor> {
    let mut sizes: Vec<(u16, u16)> = PHONE.iter().chain(&LAPTOP).chain(&BIG).copied().collect();
    sizes.extend(odd_sizes());
    let mut out = Vec::new();
    for (cols, rows) in sizes {
        for (term, _) in TERMS {
            for no_color in [false, true] {
                out.push(Visitor {
                    cols,
                    rows,
                    term,
                    no_color,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn mixed_is_repeatable_varied_and_within_its_support() {
        let support: HashSet<Visitor> = support().into_iter().collect();
        let a: Vec<Visitor> = (0..2000).map(|i| mixed(7, i)).collect();
        let b: Vec<Visitor> = (0..2000).map(|i| mixed(7, i)).collect();
        assert_eq!(a, b, "same seed, same visitors");
        let c: Vec<Visitor> = (0..2000).map(|i| mixed(8, i)).collect();
        assert_ne!(a, c, "another seed, other visitors");
        assert!(a.iter().all(|v| support.contains(v)));
        let sizes: HashSet<(u16, u16)> = a.iter().map(|v| (v.cols, v.rows)).collect();
        let terms: HashSet<&str> = a.iter().map(|v| v.term).collect();
        assert!(sizes.len() >= 35, "{} sizes", sizes.len());
        assert_eq!(terms.len(), TERMS.len());
        let phones = a.iter().filter(|v| v.cols <= 50).count();
        let no_color = a.iter().filter(|v| v.no_color).count();
        // 20% phones (plus odd sizes that narrow: none are) and 10% NO_COLOR, within noise.
        assert!((300..=500).contains(&phones), "{phones} phones of 2000");
        assert!(
            (120..=280).contains(&no_color),
            "{no_color} NO_COLOR of 2000"
        );
        assert!(a.iter().all(|v| v.cols >= 40 && v.rows >= 13));
    }
}
