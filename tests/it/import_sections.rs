//! What `resume-ssh import` makes of real-world style JSON Resume files (tests/fixtures/import/),
//! on the real binary: every field carried over or named on stderr by JSON path, the rules for
//! what JSON Resume lacks, and the new sections in the UI and every export (plain, Markdown,
//! JSON, vCard, PDF).

use crate::import_util;

use import_util::*;

#[test]
fn education_and_profiles_without_projects() {
    let _gate = crate::common::shared_blocking();
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
    let _gate = crate::common::shared_blocking();
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
    let _gate = crate::common::shared_blocking();
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
