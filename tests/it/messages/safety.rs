//! A visitor's escape sequences, bidi overrides and zero-width characters never reach the
//! owner's terminal: `inbox`, `inbox show` and `inbox --json` show them as visible escapes.

use super::*;

/// Characters that act on a terminal or reorder text.
const FORBIDDEN: [char; 6] = ['\x1b', '\x07', '\u{202e}', '\u{200b}', '\u{9b}', '\r'];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escapes_and_bidi_are_shown_safely() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let text = "From: \x1b[31mEve\u{202e}moc.liam\n\
                Hi \x1b]0;pwned\x07 there \x1b[2J\u{202e}desrever\u{200b} \u{9b}31m end";
    let r = reference(&send(server.addr, text).await);
    let data = d.data.as_os_str();
    for args in [
        vec![data],
        vec![data, "show".as_ref(), r.as_ref()],
        vec![data, "--json".as_ref()],
        vec![data, "show".as_ref(), r.as_ref(), "--json".as_ref()],
    ] {
        let mut full = vec!["--data-dir".as_ref()];
        full.extend(args.iter().copied());
        let (out, code) = inbox(&full);
        assert_eq!(code, 0);
        let out = String::from_utf8(out).expect("UTF-8");
        for c in FORBIDDEN {
            assert!(
                !out.contains(c),
                "{c:?} reached the terminal: {out:?} ({args:?})"
            );
        }
        assert!(out.contains("Eve") && out.contains("Hi "), "{out}");
        assert!(
            out.contains("\\u{1b}") || out.contains("\\u001b"),
            "the escape is shown: {out}"
        );
        assert!(
            out.contains("\\u{202e}") || out.contains("\\u202e"),
            "the override is shown: {out}"
        );
    }
    // The JSON is still the visitor's exact text.
    let all = inbox_json(&d.data);
    assert_eq!(
        all[0]["body"],
        "Hi \x1b]0;pwned\x07 there \x1b[2J\u{202e}desrever\u{200b} \u{9b}31m end"
    );
}
