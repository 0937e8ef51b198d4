//! `resume-ssh import` as an owner runs it, on the real binary: the round trip
//! `export json | import | export json` is exact (the shipped resume and three real-world style
//! JSON Resume files), every field is carried over or named on stderr, the new sections reach the
//! UI and the exports, and bad input gets a JSON-path (or line:col) error.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");
const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// Runs the binary (no RESUME_SSH_* from the environment), feeding `stdin`, at most 30 s.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("RESUME_SSH_") {
            c.env_remove(k);
        }
    }
    let mut child = c
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn resume-ssh");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    // A refused input is not read to its end: a broken pipe here is expected then.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("resume-ssh {args:?} did not finish within 30 s");
        }
    };
    let _ = writer.join();
    out
}

fn ok(args: &[&str], stdin: &[u8]) -> (String, String) {
    let out = run(args, stdin);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    assert!(out.status.success(), "{args:?} failed:\n{stderr}");
    (stdout, stderr)
}

/// `resume-ssh import` that must fail: its stderr.
fn fails(args: &[&str], stdin: &[u8]) -> String {
    let out = run(args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail:\n{stderr}"
    );
    stderr
}

fn export_json(toml: &Path) -> String {
    ok(
        &["export", "json", "--resume", &toml.to_string_lossy()],
        b"",
    )
    .0
}

/// The import notes on stderr (lines after "resume-ssh import: ", without the final "wrote").
fn notes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("resume-ssh import: "))
        .filter(|l| !l.starts_with("wrote "))
        .collect()
}

/// JSON → resume.toml (through standard input and output, as in a pipe), then back to JSON.
fn through_toml(json: &str, dir: &Path, name: &str) -> (String, Vec<String>) {
    let (toml, stderr) = ok(&["import", "-"], json.as_bytes());
    let path = dir.join(name);
    std::fs::write(&path, &toml).unwrap();
    ok(&["check", &path.to_string_lossy()], b"");
    let notes = notes(&stderr).into_iter().map(str::to_owned).collect();
    (export_json(&path), notes)
}

#[test]
fn shipped_resume_round_trips_exactly_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let j1 = export_json(Path::new(SHIPPED));
    let (j2, notes) = through_toml(&j1, dir.path(), "r.toml");
    assert_eq!(
        j1, j2,
        "export json | import | export json changed the document"
    );
    assert_eq!(
        notes,
        Vec::<String>::new(),
        "our own export imports without a note"
    );
}

#[test]
fn real_world_files_round_trip_exactly_after_their_first_import() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "education-profiles.json",
        "schema-sample.json",
        "unicode.json",
    ] {
        let path = fixture(name);
        let out = dir.path().join(name.replace(".json", ".toml"));
        ok(
            &[
                "import",
                &path.to_string_lossy(),
                "-o",
                &out.to_string_lossy(),
            ],
            b"",
        );
        let j1 = export_json(&out);
        let (j2, notes) = through_toml(&j1, dir.path(), "again.toml");
        assert_eq!(j1, j2, "{name}: the round trip changed the document");
        assert_eq!(
            notes,
            Vec::<String>::new(),
            "{name}: re-import lost something"
        );
    }
}

#[test]
fn education_and_profiles_without_projects() {
    let (toml, stderr) = ok(
        &[
            "import",
            &fixture("education-profiles.json").to_string_lossy(),
        ],
        b"",
    );
    let notes = notes(&stderr);
    for want in [
        "not carried over: $schema",
        "not carried over: basics.profiles[2].url (empty)",
        "not carried over: basics.profiles[2] (a profile needs a network and a url)",
        "derived: basics.tagline: not in JSON Resume; used the first sentence of basics.summary",
        "derived: basics.summary: first paragraph kept as the summary, the other 1 became about.paragraphs",
        "derived: basics.location: its parts joined into one line (resume.toml keeps the location as text)",
    ] {
        assert!(notes.contains(&want), "missing note {want:?} in {notes:#?}");
    }
    assert_eq!(notes.len(), 7, "{notes:#?}");
    assert!(
        toml.contains("tagline = \"SRE who keeps payment systems boring.\""),
        "{toml}"
    );
    assert!(
        toml.contains("location = \"Chennai, Tamil Nadu, IN\""),
        "{toml}"
    );
    assert!(
        toml.contains("[[education]]") && toml.contains("studyType = \"Bachelor of Technology\"")
    );
    assert!(!toml.contains("[[projects]]"));
    // The new sections reach the plain export (the UI's blocks) and the JSON export.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(&path, &toml).unwrap();
    let p = path.to_string_lossy().into_owned();
    let (plain, _) = ok(&["export", "plain", "--resume", &p, "--width", "200"], b"");
    for want in [
        "Education",
        "Bachelor of Technology · Computer Science and Engineering",
        "Indian Institute of Technology Madras",
        "Jul 2013 - May 2017 · Score: 8.9/10",
        "CS3300 Compiler Design",
        "Certified Kubernetes Administrator",
        "CNCF · Sep 2022",
        "Tamil: Native speaker",
        "German",
        "Before SRE I wrote compilers",
        "On call for the card-authorisation path",
        "Mastodon: https://hachyderm.io/@praman",
    ] {
        assert!(
            plain.contains(want),
            "plain export lacks {want:?}:\n{plain}"
        );
    }
    let (md, _) = ok(&["export", "markdown", "--resume", &p], b"");
    assert!(
        md.contains("Certified Kubernetes Administrator") && md.contains("Tamil: Native speaker")
    );
    let (screen, _) = ok(
        &[
            "render",
            "--resume",
            &p,
            "--section",
            "skills",
            "--width",
            "100",
            "--height",
            "60",
        ],
        b"",
    );
    for want in [
        "Languages",
        "Tamil: Native speaker",
        "Certificates",
        "Expert",
    ] {
        assert!(
            screen.contains(want),
            "the Skills tab lacks {want:?}:\n{screen}"
        );
    }
    let (screen, _) = ok(
        &[
            "render",
            "--resume",
            &p,
            "--section",
            "experience",
            "--width",
            "100",
            "--height",
            "80",
        ],
        b"",
    );
    assert!(
        screen.contains("Education") && screen.contains("Indian Institute"),
        "{screen}"
    );
}

#[test]
fn schema_sample_fields_are_carried_or_named() {
    let (toml, stderr) = ok(
        &["import", &fixture("schema-sample.json").to_string_lossy()],
        b"",
    );
    let lost: Vec<&str> = notes(&stderr)
        .into_iter()
        .filter(|n| n.starts_with("not carried over"))
        .collect();
    assert_eq!(
        lost,
        [
            "not carried over: basics.image",
            "not carried over: meta.canonical",
            "not carried over: meta.lastModified",
        ]
    );
    for table in [
        "[[work]]",
        "[[skills]]",
        "[[education]]",
        "[[volunteer]]",
        "[[awards]]",
        "[[certificates]]",
        "[[publications]]",
        "[[languages]]",
        "[[interests]]",
        "[[references]]",
    ] {
        assert!(toml.contains(table), "{table} missing:\n{toml}");
    }
    assert!(toml.contains("phone = \"(912) 555-0147\""));
    assert!(
        toml.contains("location = \"14 Harbour Road, San Francisco, California, CA 94110, US\"")
    );
    assert!(toml.contains("startDate = \"2015-02-01\"") && toml.contains("level = \"Master\""));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(&path, &toml).unwrap();
    let p = path.to_string_lossy().into_owned();
    let (vcf, _) = ok(&["export", "vcard", "--resume", &p], b"");
    assert!(
        vcf.contains("\r\nTEL;VALUE=text:(912) 555-0147\r\n"),
        "{vcf}"
    );
    let json: serde_json::Value = serde_json::from_str(&export_json(&path)).unwrap();
    assert_eq!(json["references"][0]["name"], "Sam Okafor");
    assert_eq!(json["publications"][0]["releaseDate"], "2018-06");
    assert_eq!(json["work"][0]["location"], "Oakland, CA");
    assert_eq!(json["work"][0]["description"], "Embedded database company");
    // The schema's kind of project, every field of it, back in `projects`.
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("schema-sample.json")).unwrap())
            .unwrap();
    assert_eq!(json["projects"], sample["projects"]);
    assert_eq!(json["education"], sample["education"]);
    assert_eq!(json["volunteer"], sample["volunteer"]);
    for key in [
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "interests",
        "references",
    ] {
        assert_eq!(json[key], sample[key], "{key}");
    }
    let (plain, _) = ok(&["export", "plain", "--resume", &p, "--width", "200"], b"");
    for want in [
        "Projects",
        "fsync-bench",
        "Personal · application · Jan 2019 - Jun 2019",
        "Author",
        "Used by two database vendors",
        "Embedded database company",
        "Awards",
        "Best Paper",
        "Storage Systems Workshop · Jun 2018",
        "Publications",
        "Volunteering",
        "Code Club",
        "Interests",
        "Sailing",
        "References",
        "Dana is the engineer I call",
        "— Sam Okafor",
    ] {
        assert!(
            plain.contains(want),
            "plain export lacks {want:?}:\n{plain}"
        );
    }
    let pdf = run(&["export", "pdf", "--resume", &p], b"");
    assert!(
        pdf.status.success(),
        "{}",
        String::from_utf8_lossy(&pdf.stderr)
    );
    assert!(pdf.stdout.starts_with(b"%PDF-"));
}

#[test]
fn unicode_survives() {
    let (toml, _) = ok(&["import", &fixture("unicode.json").to_string_lossy()], b"");
    for want in [
        "name = \"Zoë Ångström-Łukasiewicz\"",
        "Оптимизатор циклов: −35 % времени сборки",
        "language = \"Ελληνικά\"",
        "tagline = \"Builds compilers in Kraków — and «tests» them in Αθήνα.\"",
    ] {
        assert!(toml.contains(want), "{want:?} not in\n{toml}");
    }
}

#[test]
fn never_overwrites_without_force_and_replaces_whole_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("resume.toml");
    std::fs::write(&out, "# my hand-written resume\n").unwrap();
    let input = fixture("unicode.json");
    let args = [
        "import",
        &*input.to_string_lossy(),
        "-o",
        &*out.to_string_lossy(),
    ];
    let e = fails(&args, b"");
    assert!(
        e.contains("already exists; not overwritten (pass --force"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "# my hand-written resume\n"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    ok(&forced, b"");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Zoë"));
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    // No temp file left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn strict_refuses_to_lose_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.toml");
    let input = fixture("schema-sample.json");
    let e = fails(
        &[
            "import",
            &input.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
            "--strict",
        ],
        b"",
    );
    assert!(e.contains("not carried over: basics.image"), "{e}");
    assert!(e.contains("--strict: some fields would not be carried over; nothing written"));
    assert!(!out.exists());
    // Derived values alone are not a loss.
    ok(
        &[
            "import",
            "--strict",
            &fixture("unicode.json").to_string_lossy(),
        ],
        b"",
    );
}
