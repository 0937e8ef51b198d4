//! The tab row's slots: every section numbered if they fit, plain names if not, a window around
//! the selected one with arrows, and on narrow screens "‹ 2/6 Experience ›" (arrows clickable).

use unicode_width::UnicodeWidthStr;

use crate::content::SectionId;

/// One tab's place on the tab row (`x` from the row's left edge).
pub struct TabSlot {
    pub id: SectionId,
    pub x: u16,
    pub label: String,
}

/// The tab row's slots for a row `cols` wide, and whether tabs are hidden left and right.
pub fn tab_slots(cols: u16, selected: SectionId, unicode: bool) -> (Vec<TabSlot>, bool, bool) {
    let numbered: Vec<String> = SectionId::ALL
        .iter()
        .enumerate()
        .map(|(i, id)| format!(" {} {} ", i + 1, id.title()))
        .collect();
    let plain: Vec<String> = SectionId::ALL
        .iter()
        .map(|id| format!(" {} ", id.title()))
        .collect();
    let total = |labels: &[String]| -> usize {
        labels.iter().map(|l| l.width()).sum::<usize>() + labels.len().saturating_sub(1)
    };
    let cols_us = usize::from(cols);
    let place = |labels: &[String], range: std::ops::Range<usize>, start: u16| {
        let mut x = start;
        let mut out = Vec::new();
        for i in range {
            out.push(TabSlot {
                id: SectionId::from_index(i),
                x,
                label: labels[i].clone(),
            });
            x = x.saturating_add(labels[i].width() as u16 + 1);
        }
        out
    };
    let n = SectionId::ALL.len();
    if total(&numbered) <= cols_us {
        return (place(&numbered, 0..n, 0), false, false);
    }
    if cols < super::STANDARD_COLS {
        return (compact(cols, selected, unicode), false, false);
    }
    if total(&plain) <= cols_us {
        return (place(&plain, 0..n, 0), false, false);
    }
    // A window: room for "‹ " and " ›".
    let room = cols_us.saturating_sub(4);
    let sel = selected.index();
    let (mut lo, mut hi) = (sel, sel + 1);
    let width = |lo: usize, hi: usize| total(&plain[lo..hi]);
    loop {
        let mut grew = false;
        if hi < n && width(lo, hi + 1) <= room {
            hi += 1;
            grew = true;
        }
        if lo > 0 && width(lo - 1, hi) <= room {
            lo -= 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    (place(&plain, lo..hi, 2), lo > 0, hi < n)
}

/// "‹ 2/6 Experience ›": the arrows are slots of the previous and next section.
fn compact(cols: u16, selected: SectionId, unicode: bool) -> Vec<TabSlot> {
    let (l, r) = if unicode { ("‹", "›") } else { ("<", ">") };
    let n = SectionId::ALL.len();
    let i = selected.index();
    let room = usize::from(cols).saturating_sub(6);
    let title = crate::content::ellipsize(
        &format!("{}/{n} {}", i + 1, selected.title()),
        room,
        if unicode { "…" } else { "..." },
    );
    let label = format!(" {title} ");
    let lw = label.width() as u16;
    vec![
        TabSlot {
            id: SectionId::from_index((i + n - 1) % n),
            x: 1,
            label: l.to_owned(),
        },
        TabSlot {
            id: selected,
            x: 2,
            label,
        },
        TabSlot {
            id: SectionId::from_index((i + 1) % n),
            x: 2 + lw,
            label: r.to_owned(),
        },
    ]
}
