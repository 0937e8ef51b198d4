//! `resume-ssh import` as an owner runs it, on the real binary: the round trip
//! `export json | import | export json` is exact (the shipped resume and three real-world style
//! JSON Resume files) and loses nothing, an existing file is never overwritten without --force,
//! and --strict refuses to leave anything behind.

use crate::import_util;

use std::path::Path;

use import_util::*;

#[test]
fn shipped_resume_round_trips_exactly_and_nothing_is_lost() {
    let _gate = crate::common::shared_blocking();
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
    let _gate = crate::common::shared_blocking();
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
fn never_overwrites_without_force_and_replaces_whole_with_it() {
    let _gate = crate::common::shared_blocking();
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
    let _gate = crate::common::shared_blocking();
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
