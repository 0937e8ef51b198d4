//! The visit's pacing and budgets, without a transport.

use super::*;
use crate::tui::theme::Capabilities;

fn resume() -> Arc<Resume> {
    Arc::new(
        Resume::parse(
            include_str!("../../resume.toml"),
            std::path::Path::new("resume.toml"),
        )
        .unwrap(),
    )
}

fn visit(address: Arc<budget::Address>) -> Visit {
    Visit::new(
        SectionId::About,
        Size::new(100, 30),
        Capabilities::default(),
        address,
    )
}

fn fresh_address() -> Arc<budget::Address> {
    Arc::new(budget::Address::default())
}

#[test]
fn first_frame_at_once_then_one_per_interval_and_the_last_state_drawn() {
    let r = resume();
    let mut v = visit(fresh_address());
    let t0 = Instant::now();
    assert_eq!(v.next(&r, t0), Next::Draw);
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    assert!(!out.is_empty());
    assert_eq!(v.next(&r, t0), Next::Idle, "nothing changed");
    // Keys right after a frame wait for the interval; all of them are drawn as one frame.
    v.input(b"2", &r);
    v.input(b"3", &r);
    match v.next(&r, t0 + Duration::from_millis(1)) {
        Next::At(t) => assert!(t >= t0 + FRAME_INTERVAL, "{:?}", t - t0),
        other => panic!("{other:?}"),
    }
    let later = t0 + FRAME_INTERVAL;
    assert_eq!(v.next(&r, later), Next::Draw);
    out.clear();
    v.draw(&r, later, &mut out);
    assert_eq!(v.tui().app().tab, SectionId::CaseStudies);
    assert_eq!(v.next(&r, later), Next::Idle);
}

#[test]
fn sizes_are_drawn_once_they_settle_at_the_latest() {
    let r = resume();
    let mut v = visit(fresh_address());
    let t0 = Instant::now();
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    // A drag: a new size every 5 ms. The frame waits until the sizes stop for RESIZE_QUIET...
    let at = |ms| t0 + Duration::from_millis(ms);
    for (i, cols) in (40..60).enumerate() {
        v.resize(Size::new(cols, 30), at(5 * i as u64));
    }
    assert_eq!(v.next(&r, at(95)), Next::At(at(95) + RESIZE_QUIET));
    assert_eq!(v.next(&r, at(95) + RESIZE_QUIET), Next::Draw);
    v.draw(&r, at(135), &mut out);
    assert_eq!(v.tui().app().size, Size::new(59, 30));
    // ...or, while they keep coming, until RESIZE_MAX_WAIT after the first one not drawn.
    for i in 0..100u64 {
        v.resize(Size::new(60 + i as u16, 30), at(200 + 5 * i));
    }
    assert_eq!(v.next(&r, at(695)), Next::Draw);
    assert_eq!(
        v.next(&r, at(300)),
        Next::At(at(200) + RESIZE_MAX_WAIT),
        "a flood of sizes is drawn a few times a second"
    );
}

#[test]
fn a_spent_address_budget_delays_every_visit_of_that_address() {
    let r = resume();
    let address = fresh_address();
    let mut a = visit(Arc::clone(&address));
    let b = visit(Arc::clone(&address));
    let t0 = Instant::now();
    // Another connection of the same address spent the address's burst and more.
    address
        .frames
        .spend(budget::ADDR_RATE.burst + Duration::from_millis(60), t0);
    match b.next(&r, t0) {
        Next::At(t) => assert!(t - t0 >= Duration::from_millis(400), "{:?}", t - t0),
        other => panic!("{other:?}"),
    }
    // An unrelated address is not delayed.
    let c = visit(fresh_address());
    assert_eq!(c.next(&r, t0), Next::Draw);
    // Once the debt is paid, the waiting visit draws its latest state.
    a.input(b"2", &r);
    let paid = address.frames.ready_at(t0);
    assert_eq!(a.next(&r, paid), Next::Draw);
}

#[test]
fn the_end_comes_from_quitting_or_from_the_input_ending() {
    let r = resume();
    let mut v = visit(fresh_address());
    let t0 = Instant::now();
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    v.input(b"q", &r);
    assert_eq!(v.next(&r, t0), Next::End);
    out.clear();
    v.finish(&mut out);
    assert_eq!(out, crate::terminal::LEAVE);

    let mut v = visit(fresh_address());
    v.end_input(&r);
    assert_eq!(v.next(&r, t0), Next::End);
    out.clear();
    v.finish(&mut out);
    assert!(out.is_empty(), "never drawn: nothing to restore");
}

#[test]
fn a_lone_esc_asks_the_terminal_once() {
    let r = resume();
    let mut v = visit(fresh_address());
    let t0 = Instant::now();
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    v.input(b"\x1b", &r);
    let t1 = t0 + FRAME_INTERVAL;
    assert_eq!(v.next(&r, t1), Next::Draw);
    out.clear();
    v.draw(&r, t1, &mut out);
    assert!(out.ends_with(crate::terminal::STATUS_QUERY));
    assert_eq!(v.next(&r, t1 + FRAME_INTERVAL), Next::Idle, "asked once");
    v.input(b"\x1b[0n", &r);
    assert_eq!(v.next(&r, t1 + FRAME_INTERVAL), Next::End, "Esc quits");
}

#[test]
fn a_reload_is_drawn_without_input() {
    let r = resume();
    let mut v = visit(fresh_address());
    let t0 = Instant::now();
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    let text =
        include_str!("../../resume.toml").replacen("Arunav Malhotra", "Arunav Q. Malhotra", 1);
    let r2 = Arc::new(Resume::parse(&text, std::path::Path::new("resume.toml")).unwrap());
    let t1 = t0 + FRAME_INTERVAL;
    assert_eq!(v.next(&r2, t1), Next::Draw);
    out.clear();
    v.draw(&r2, t1, &mut out);
    assert!(String::from_utf8_lossy(&out).contains("Q. Malhotra"));
}

#[test]
fn new_sizes_are_paid_from_the_address_resize_budget_too() {
    let r = resume();
    let address = fresh_address();
    let mut v = visit(Arc::clone(&address));
    let t0 = Instant::now();
    let mut out = Vec::new();
    v.draw(&r, t0, &mut out);
    // Another connection of the address spent its resize budget: this visit's keys are drawn
    // at the usual pace, its new size only once that debt is paid.
    address
        .resizes
        .spend(budget::RESIZE_RATE.burst + Duration::from_millis(12), t0);
    let t1 = t0 + FRAME_INTERVAL;
    v.input(b"2", &r);
    assert_eq!(v.next(&r, t1), Next::Draw);
    v.draw(&r, t1, &mut out);
    v.resize(Size::new(90, 28), t1);
    match v.next(&r, t1 + RESIZE_QUIET) {
        Next::At(t) => assert!(t - t1 >= Duration::from_millis(900), "{:?}", t - t1),
        other => panic!("{other:?}"),
    }
}
