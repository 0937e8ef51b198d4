//! The screen rows' tests: every fact of the resume on screen, widths, cards and grids.

use super::*;
use std::collections::HashSet;
use std::path::Path;

fn resume() -> Resume {
    Resume::parse(
        include_str!("../../../resume.toml"),
        Path::new("resume.toml"),
    )
    .unwrap()
}

fn frame(width: usize, rail: bool, unicode: bool) -> Frame {
    Frame {
        width,
        measure: width.min(96),
        unicode,
        rail,
        tagline: !rail,
    }
}

/// The words of the resume a section must show (the rail's, on wide screens, are beside it).
fn source_words(r: &Resume, id: SectionId, rail: bool) -> Vec<String> {
    let b = &r.basics;
    let mut texts: Vec<String> = Vec::new();
    match id {
        SectionId::About => {
            texts.push(b.summary.to_string());
            texts.extend(r.about.paragraphs.iter().map(|p| p.to_string()));
            if !rail {
                texts.push(b.tagline.to_string());
                for g in &r.focus {
                    texts.push(g.name.to_string());
                    texts.extend(g.items.iter().map(|i| i.to_string()));
                }
            }
        }
        SectionId::Experience => {
            for w in &r.work {
                texts.extend([w.position.to_string(), w.name.to_string()]);
                texts.extend(w.duration.iter().map(|d| d.to_string()));
                texts.extend(w.highlights.iter().map(|h| h.to_string()));
            }
        }
        SectionId::CaseStudies => {
            for p in &r.projects {
                texts.extend([p.name.to_string(), p.challenge.to_string()]);
                texts.extend([p.solution.to_string(), p.impact.figure.to_string()]);
                texts.extend([p.impact.label.to_string(), p.impact.detail.to_string()]);
            }
        }
        SectionId::Initiatives => {
            for i in &r.initiatives {
                texts.extend([i.name.to_string(), i.description.to_string()]);
            }
        }
        SectionId::Skills => {
            for s in &r.skills {
                texts.push(s.name.to_string());
                texts.extend(s.keywords.iter().map(|k| k.to_string()));
            }
            for c in &r.competencies {
                texts.extend([c.name.to_string(), c.description.to_string()]);
            }
        }
        SectionId::Contact => {
            let c = &r.contact;
            texts.extend([c.heading.to_string(), c.title.to_string()]);
            texts.extend([c.message.to_string(), c.email_lead.to_string()]);
            texts.push(b.email.to_string());
        }
    }
    texts
        .iter()
        .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn every_row_fits_and_every_word_of_the_section_shows_whole() {
    let r = resume();
    for unicode in [true, false] {
        // ASCII frames show the text with ASCII dashes.
        let ascii = (!unicode)
            .then(|| crate::content::ascii::dashes(&r))
            .flatten();
        let source = ascii.as_ref().unwrap_or(&r);
        for rail in [false, true] {
            // From the narrowest body (40 columns, no side borders) up.
            for width in (37..=200).step_by(7).chain([37, 44, 76, 96, 155, 200]) {
                let f = frame(width, rail, unicode);
                for id in SectionId::ALL {
                    let rows = compose(&r, id, &f);
                    let mut shown = HashSet::new();
                    for row in &rows {
                        assert!(row.width() <= width, "{width} {id:?}: {:?}", row.text);
                        assert_eq!(row.runs().map(|(s, _)| s).collect::<String>(), row.text);
                        shown.extend(row.text.split_whitespace().map(str::to_owned));
                    }
                    assert!(!rows.first().is_some_and(Row::is_blank), "{id:?}");
                    assert!(!rows.last().is_some_and(Row::is_blank), "{id:?}");
                    for w in source_words(source, id, rail) {
                        assert!(shown.contains(&w), "{width} {rail} {id:?}: {w:?} missing");
                    }
                }
            }
        }
    }
}

#[test]
fn experience_is_a_timeline_with_dates_in_a_gutter_where_there_is_room() {
    let r = resume();
    let wide = compose(&r, SectionId::Experience, &frame(120, true, true));
    let nodes: Vec<&Row> = wide.iter().filter(|row| row.text.contains('●')).collect();
    assert_eq!(nodes.len(), r.work.len());
    // Each role's dates start its row, in one column; the nodes line up after them.
    let col = nodes[0].text.find('●');
    for (row, w) in nodes.iter().zip(&r.work) {
        assert!(
            row.text.starts_with(&w.dates().replacen(" - ", " – ", 1)),
            "{row:?}"
        );
        assert_eq!(row.text.find('●'), col);
    }
    // Narrow: no gutter; the dates under the company.
    let narrow = compose(&r, SectionId::Experience, &frame(44, false, true));
    assert!(narrow[0].text.starts_with("● "));
    assert!(
        narrow[2].text.contains("Oct 2023 – Present · 2+ years"),
        "{:?}",
        narrow[2]
    );
}

#[test]
fn case_study_figures_are_stat_cards_beside_the_text_or_in_a_band() {
    let r = resume();
    // Very wide: each case's card beside its challenge, its figure on a row of that text.
    let widest = compose(&r, SectionId::CaseStudies, &frame(155, true, true));
    let figures: Vec<&Row> = widest
        .iter()
        .filter(|row| row.runs().any(|(_, role)| role == Role::Figure))
        .collect();
    assert_eq!(figures.len(), r.projects.len());
    for row in figures {
        assert!(
            row.runs()
                .next()
                .is_some_and(|(s, role)| role == Role::Text && s.trim().len() > 20),
            "{row:?}"
        );
    }
    let wide = compose(&r, SectionId::CaseStudies, &frame(90, true, true));
    // One band of three cards: three top-left corners on its first row.
    assert_eq!(wide[0].text.matches('╭').count(), 3, "{:?}", wide[0]);
    let figures: Vec<&Row> = wide
        .iter()
        .filter(|row| row.runs().any(|(_, role)| role == Role::Figure))
        .collect();
    assert_eq!(figures.len(), 1, "all figures on one row");
    // Standard: each case its own card, figure and label on consecutive rows.
    let std = compose(&r, SectionId::CaseStudies, &frame(76, false, true));
    let fig_rows: Vec<usize> = std
        .iter()
        .enumerate()
        .filter(|(_, row)| row.runs().any(|(_, role)| role == Role::Figure))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(fig_rows.len(), r.projects.len());
    for i in fig_rows {
        assert!(std[i - 1].text.starts_with('╭'));
        assert!(std[i + 1].runs().any(|(_, role)| role == Role::FigureLabel));
    }
}
