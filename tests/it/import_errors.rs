//! Bad input to `resume-ssh import` (errors by JSON path, or line:col from the JSON parser) and
//! to `resume-ssh check` (file:line:col), on the real binary: wrong types, unknown fields, bad
//! dates, a file of the other format, an empty file, and a 50 MB file refused without being read.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");
const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");

/// A minimal valid JSON Resume document, with `edit` applied to it.
fn doc(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = serde_json::json!({
        "basics": {
            "name": "Ada Byron",
            "label": "Analyst",
            "email": "ada@example.org",
            "summary": "Writes programs for engines that do not exist yet."
        },
        "work": [{ "name": "Analytical Engines", "position": "Programmer",
                   "startDate": "1992-09", "highlights": ["Note G"] }]
    });
    edit(&mut v);
    v.to_string()
}

/// Runs `resume-ssh ARGS` that must fail within 20 s: its stderr.
fn fails(args: &[&str]) -> String {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("RESUME_SSH_RESUME")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{args:?} did not finish within 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "{args:?} should fail, said:\n{stderr}"
    );
    stderr
}

fn import_err(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    fails(&["import", &p.to_string_lossy()])
}

fn check_err(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    fails(&["check", &p.to_string_lossy()])
}

#[test]
fn import_names_the_json_path_of_what_is_wrong() {
    let _gate = crate::common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = |n: &str| d.join(n).display().to_string();
    // Wrong type (the schema).
    let e = import_err(d, "t.json", &doc(|v| v["basics"]["name"] = 42.into()));
    assert!(
        e.starts_with(&format!(
            "{}: basics.name: 42 is not of type \"string\"",
            p("t.json")
        )),
        "{e}"
    );
    let e = import_err(
        d,
        "t2.json",
        &doc(|v| v["work"] = serde_json::json!({"name": "x"})),
    );
    assert!(
        e.contains(": work: ") && e.contains("is not of type \"array\""),
        "{e}"
    );
    // Bad dates: the schema's pattern, and a day that does not exist (the model's check).
    let e = import_err(
        d,
        "d.json",
        &doc(|v| v["work"][0]["startDate"] = "March 1992".into()),
    );
    assert!(
        e.contains("work[0].startDate: \"March 1992\" is not a date of the form YYYY-MM"),
        "{e}"
    );
    let e = import_err(
        d,
        "d2.json",
        &doc(|v| v["work"][0]["endDate"] = "1993-02-30".into()),
    );
    assert!(
        e.contains("work[0].endDate: '1993-02-30' is not a date"),
        "{e}"
    );
    let e = import_err(
        d,
        "d3.json",
        &doc(|v| v["work"][0]["endDate"] = "1991-01".into()),
    );
    assert!(
        e.contains("work[0].endDate: 1991-01 is before startDate 1992-09"),
        "{e}"
    );
    // Formats: the schema's e-mail and URL.
    let e = import_err(
        d,
        "e.json",
        &doc(|v| v["basics"]["email"] = "ada at example".into()),
    );
    assert!(
        e.contains("basics.email: \"ada at example\" is not a \"email\""),
        "{e}"
    );
    let e = import_err(
        d,
        "u.json",
        &doc(|v| v["basics"]["url"] = "ftp://x.example/".into()),
    );
    assert!(
        e.contains("basics.url: 'ftp://x.example/' is not an http(s):// URL"),
        "{e}"
    );
    // What resume.toml needs and the document lacks.
    let e = import_err(
        d,
        "m.json",
        &doc(|v| {
            v["basics"].as_object_mut().unwrap().remove("email");
        }),
    );
    assert!(
        e.contains("basics.email: missing; resume.toml needs it"),
        "{e}"
    );
    let e = import_err(
        d,
        "m2.json",
        &doc(|v| {
            v["work"][0].as_object_mut().unwrap().remove("highlights");
        }),
    );
    assert!(
        e.contains("work[0].highlights: must not be empty (or give the role a summary)"),
        "{e}"
    );
    // An unknown field is reported by path (and an error with --strict), a wrong-typed one of
    // ours is an error.
    let e = import_err(
        d,
        "x.json",
        &doc(|v| v["about"] = serde_json::json!({"paragraphs": 3})),
    );
    assert!(
        e.contains("about.paragraphs: expected an array, found a number"),
        "{e}"
    );
    let strict = d.join("k.json");
    std::fs::write(&strict, doc(|v| v["work"][0]["startdate"] = "1992".into())).unwrap();
    let e = fails(&["import", "--strict", &strict.to_string_lossy()]);
    assert!(e.contains("not carried over: work[0].startdate"), "{e}");
    // Not JSON at all: the parser's line:col.
    let toml = std::fs::read_to_string(SHIPPED).unwrap();
    let e = import_err(d, "resume.toml", &toml);
    assert!(
        e.starts_with(&format!(
            "{}:1:1: not JSON: expected value",
            p("resume.toml")
        )),
        "{e}"
    );
    let e = import_err(d, "cut.json", "{\n  \"basics\": {\n    \"name\": \"A\",\n");
    assert!(
        e.starts_with(&format!(
            "{}:4:0: not JSON: EOF while parsing",
            p("cut.json")
        )),
        "{e}"
    );
    let e = import_err(d, "empty.json", "");
    assert!(e.contains("the file is empty"), "{e}");
    let e = import_err(d, "array.json", "[]");
    assert!(
        e.contains("(the document): [] is not of type \"object\""),
        "{e}"
    );
    // Many errors: capped.
    let e = import_err(
        d,
        "many.json",
        &doc(|v| {
            v["skills"] = (0..40).map(|_| serde_json::json!({"name": 1})).collect();
        }),
    );
    assert_eq!(e.lines().count(), 21, "{e}");
    assert!(e.ends_with("... and 20 more\n"), "{e}");
}

#[test]
fn check_names_file_line_and_column() {
    let _gate = crate::common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = |n: &str| d.join(n).display().to_string();
    let shipped = std::fs::read_to_string(SHIPPED).unwrap();
    let line_of = |text: &str, needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("needle")
            + 1
    };
    // Wrong type.
    let bad = shipped.replacen("name = \"Arunav Malhotra\"", "name = 42", 1);
    let e = check_err(d, "t.toml", &bad);
    assert!(
        e.starts_with(&format!(
            "{}:{}:8: basics.name: invalid type",
            p("t.toml"),
            line_of(&bad, "name = 42")
        )),
        "{e}"
    );
    // Unknown field, in a new section too.
    let bad = format!("{shipped}\n[[education]]\ninstitution = \"X\"\ndegree = \"BSc\"\n");
    let e = check_err(d, "u.toml", &bad);
    assert!(
        e.starts_with(&format!(
            "{}:{}:1: education[0].degree: unknown field `degree`",
            p("u.toml"),
            line_of(&bad, "degree =")
        )),
        "{e}"
    );
    // Bad date in a new section.
    let bad = format!("{shipped}\n[[certificates]]\nname = \"CKA\"\ndate = \"2022-13\"\n");
    let e = check_err(d, "d.toml", &bad);
    assert!(
        e.starts_with(&format!(
            "{}:{}:8: certificates[0].date: '2022-13' is not a date",
            p("d.toml"),
            line_of(&bad, "2022-13")
        )),
        "{e}"
    );
    // A JSON file given to check.
    let e = check_err(d, "r.json", "{\n  \"basics\": {}\n}\n");
    assert!(e.starts_with(&format!("{}:1:1: ", p("r.json"))), "{e}");
    assert!(
        e.contains("this looks like JSON; for a JSON Resume: resume-ssh import"),
        "{e}"
    );
    // Empty.
    let e = check_err(d, "empty.toml", "");
    assert!(
        e.starts_with(&format!("{}:1:1: missing field `basics`", p("empty.toml"))),
        "{e}"
    );
}

#[test]
fn fifty_megabytes_are_refused_without_being_read() {
    let _gate = crate::common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    // Sparse: 50 MB long, nothing written; reading it all would take visible time and memory.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let e = fails(&["import", &big.to_string_lossy()]);
    assert!(e.contains("big.json: larger than 1048576 bytes"), "{e}");
    let e = fails(&["check", &big.to_string_lossy()]);
    assert!(
        e.contains("big.json: file is larger than 1048576 bytes"),
        "{e}"
    );
    // From a pipe the size is not known: the read stops just past the cap.
    let mut child = Command::new(BIN)
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        let mut sent = 0usize;
        for _ in 0..50 {
            if std::io::Write::write_all(&mut stdin, &chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let out = child.wait_with_output().unwrap();
    let sent = writer.join().unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(e.contains("-: larger than 1048576 bytes"), "{e}");
    assert!(sent < 50 << 20, "the whole 50 MB was read ({sent} bytes)");
}
