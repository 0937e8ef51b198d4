//! Tests of the matcher: folding, offsets, joins across lines, the cap, the cache.

use super::*;
use crate::content::screen::Role;

fn lines(texts: &[&str]) -> Vec<Line> {
    texts.iter().map(|t| Line::of(Role::Text, t)).collect()
}

fn find(texts: &[&str], q: &str) -> Vec<(u32, u32, u32, u32)> {
    let mut fq = String::new();
    fold(q, &mut fq, &mut Vec::new());
    let mut out = Matches::default();
    Section::new(&lines(texts)).find(SectionId::About, &fq, &mut out);
    out.hits
        .iter()
        .map(|h| (h.line, h.start, h.end_line, h.end))
        .collect()
}

#[test]
fn case_insensitive_in_reading_order() {
    assert_eq!(
        find(&["Kafka and kafka", "", "KAFKA"], "kafKA"),
        [(0, 0, 0, 5), (0, 10, 0, 15), (2, 0, 2, 5)]
    );
    assert!(find(&["nothing here"], "kafka").is_empty());
}

#[test]
fn a_phrase_split_by_wrapping_is_found_once() {
    // The second line is a bullet's continuation with a hanging indent.
    let hits = find(&["• event-driven", "  updates via Kafka"], "driven updates");
    assert_eq!(hits, [(0, 10, 1, 9)], "bytes: the bullet is 3");
    let l = lines(&["x", "  updates"]);
    let h = Hit {
        tab: SectionId::About,
        line: 0,
        start: 0,
        end_line: 1,
        end: 9,
    };
    assert_eq!(h.span_on(0, &l[0].text), Some((0, 1)));
    assert_eq!(h.span_on(1, &l[1].text), Some((2, 9)));
    assert_eq!(h.span_on(2, ""), None);
    // Not across a blank line.
    assert!(find(&["event-driven", "", "updates"], "driven updates").is_empty());
}

#[test]
fn unicode_offsets_are_source_bytes() {
    // "É" and "é" fold alike; CJK has no case but byte offsets must be right.
    assert_eq!(find(&["Café CAFÉ"], "café"), [(0, 0, 0, 5), (0, 6, 0, 11)]);
    let text = "分散システムとシステム";
    let hits = find(&[text], "システム");
    assert_eq!(hits.len(), 2);
    for (_, s, _, e) in hits {
        assert_eq!(&text[s as usize..e as usize], "システム");
    }
    // CJK wraps between characters, with no space to join by.
    let hits = find(&["分散シス", "テムを"], "システム");
    assert_eq!(hits, [(0, 6, 1, 6)]);
    assert!(find(&["分散シス", "テムを"], "シス テム").is_empty());
    // A character whose lower case is longer (İ → i̇): the match covers it whole.
    let hits = find(&["İstanbul"], "i̇stanbul");
    assert_eq!(hits, [(0, 0, 0, "İstanbul".len() as u32)]);
}

#[test]
fn matches_do_not_overlap_and_are_capped() {
    assert_eq!(find(&["aaaa"], "aa"), [(0, 0, 0, 2), (0, 2, 0, 4)]);
    let long = "ab ".repeat(MAX_HITS + 10);
    let mut out = Matches::default();
    Section::new(&lines(&[&long])).find(SectionId::About, "ab", &mut out);
    assert_eq!(out.hits.len(), MAX_HITS);
    assert!(out.truncated);
}

proptest::proptest! {
    /// Any text and query: every match lies on character boundaries of its lines, and a
    /// match within one line covers text whose lower case contains the query (less the
    /// spaces at its ends, which may be the space joining two lines).
    #[test]
    fn matches_map_back_to_the_text(
        texts in proptest::collection::vec("[ aAbBİıßé分散\u{301}-]{0,12}", 1..6),
        q in "[aAbBİıßé分散\u{301} -]{1,4}",
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut fq = String::new();
        fold(&q, &mut fq, &mut Vec::new());
        let ls = lines(&texts);
        let mut out = Matches::default();
        Section::new(&ls).find(SectionId::About, &fq, &mut out);
        for h in &out.hits {
            proptest::prop_assert!(h.line <= h.end_line);
            for line in h.line..=h.end_line {
                let text = &ls[line as usize].text;
                let Some((a, b)) = h.span_on(line, text) else {
                    continue;
                };
                proptest::prop_assert!(a <= b && b <= text.len(), "{h:?} {text:?}");
                proptest::prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
                if h.line == h.end_line {
                    let mut got = String::new();
                    fold(&text[a..b], &mut got, &mut Vec::new());
                    // (A match may begin or end on the space joining two lines.)
                    proptest::prop_assert!(got.contains(fq.trim()), "{got:?} vs {fq:?}");
                }
            }
        }
    }
}

#[test]
#[ignore = "a measurement: cargo test --release --lib search_cost -- --ignored --nocapture"]
fn search_cost() {
    let r = Arc::new(
        Resume::parse(
            include_str!("../../../resume.toml"),
            std::path::Path::new("r"),
        )
        .unwrap(),
    );
    let size = Size::new(100, 30);
    let _ = matches(size, &r, true, &Query::from("warm").unwrap());
    let queries: Vec<Query> = (0..500)
        .map(|i| Query::from(&format!("e{i}")).unwrap())
        .collect();
    let t = std::time::Instant::now();
    for q in &queries {
        matches(size, &r, true, q);
    }
    let miss = t.elapsed() / 500;
    let q = Query::from("e").unwrap();
    let all = matches(size, &r, true, &q).hits.len();
    let t = std::time::Instant::now();
    for _ in 0..5000 {
        matches(size, &r, true, &q);
    }
    println!(
        "search: a new query {miss:?}, a cached one {:?} ({all} hits for \"e\")",
        t.elapsed() / 5000
    );
    let folded: usize = SectionId::ALL
        .iter()
        .map(|&tab| {
            let s = Section::new(&layout::body_lines(size, &r, true, tab));
            s.text.capacity()
                + s.segs.capacity() * std::mem::size_of::<Seg>()
                + s.map.capacity() * 8
        })
        .sum();
    println!(
        "held per thread: folded sections {folded} B per layout, a match list of {all} hits {} B",
        all * std::mem::size_of::<Hit>()
    );
}

#[test]
fn shipped_resume_finds_kafka_in_two_sections() {
    let r = Arc::new(
        Resume::parse(
            include_str!("../../../resume.toml"),
            std::path::Path::new("r"),
        )
        .unwrap(),
    );
    let q = Query::from("kafka").unwrap();
    for cols in [40, 80, 200] {
        let m = matches(Size::new(cols, 30), &r, true, &q);
        let tabs: Vec<SectionId> = m.hits.iter().map(|h| h.tab).collect();
        assert!(tabs.contains(&SectionId::CaseStudies), "{cols}: {tabs:?}");
        assert!(tabs.contains(&SectionId::Skills), "{cols}: {tabs:?}");
        for h in &m.hits {
            let lines = layout::body_lines(Size::new(cols, 30), &r, true, h.tab);
            let text = &lines[h.line as usize].text;
            let (s, e) = h.span_on(h.line, text).unwrap();
            assert!(text[s..e].eq_ignore_ascii_case(&"kafka"[..e - s]), "{text}");
        }
        // The same Rc from the cache the second time.
        assert!(Rc::ptr_eq(&m, &matches(Size::new(cols, 30), &r, true, &q)));
    }
}
