//! Unit tests of loading and validating `resume.toml`.

use super::*;

const SHIPPED: &str = include_str!("../../resume.toml");

fn parse(text: &str) -> Result<Resume, LoadError> {
    Resume::parse(text, Path::new("resume.toml"))
}

fn error_of(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn shipped_resume_loads() {
    let r = parse(SHIPPED).expect("shipped resume.toml is valid");
    assert_eq!(r.basics.name.as_str(), "Arunav Malhotra");
    assert_eq!(r.work.len(), 3);
    assert_eq!(r.projects.len(), 3);
    assert_eq!(r.initiatives.len(), 6);
    assert_eq!(r.competencies.len(), 6);
    assert_eq!(r.work[0].dates(), "Oct 2023 - Present");
    assert_eq!(r.work[2].dates(), "Jan 2020 - Mar 2022");
}

#[test]
fn unknown_key_names_line_column_and_field() {
    let bad = SHIPPED.replacen("[basics]\n", "[basics]\nnickname = \"x\"\n", 1);
    let line = bad.lines().position(|l| l.starts_with("nickname")).unwrap() + 1;
    let e = error_of(&bad);
    assert!(e.starts_with(&format!("resume.toml:{line}:")), "{e}");
    assert!(e.contains("nickname"), "{e}");
}

#[test]
fn bad_date_is_located_on_its_value() {
    let bad = SHIPPED.replacen("startDate = \"2023-10\"", "startDate = \"October 2023\"", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("October 2023"))
        .unwrap()
        + 1;
    let e = error_of(&bad);
    assert!(e.starts_with(&format!("resume.toml:{line}:13: ")), "{e}");
    assert!(e.contains("work[0].startDate"), "{e}");
    assert!(e.contains("YYYY-MM"), "{e}");
}

#[test]
fn bad_email_and_missing_field_and_syntax() {
    let bad = SHIPPED.replacen("@gmail.com", "-at-gmail.com", 1);
    assert!(error_of(&bad).contains("basics.email"));
    let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"\n", "", 1);
    let e = error_of(&bad);
    assert!(e.contains("missing field `name`"), "{e}");
    let e = error_of("[basics\nname = 1");
    assert!(e.starts_with("resume.toml:1:"), "{e}");
    let e = error_of("");
    assert!(e.contains("missing field"), "{e}");
}

#[test]
fn empty_text_and_wrong_type_are_errors() {
    let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"", "name = \"  \"", 1);
    assert!(error_of(&bad).contains("basics.name: must not be empty"));
    let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"", "name = 42", 1);
    assert!(error_of(&bad).contains("basics.name"));
}

#[test]
fn end_before_start_is_an_error() {
    let bad = SHIPPED.replacen("endDate = \"2023-10\"", "endDate = \"2021-10\"", 1);
    assert!(
        error_of(&bad).contains("work[1].endDate"),
        "{}",
        error_of(&bad)
    );
}

#[test]
fn line_col_counts_chars() {
    assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
    assert_eq!(line_col("ab\ncé", 4), (2, 2));
    assert_eq!(line_col("", 10), (1, 1));
}

#[test]
fn io_errors_name_the_file() {
    let e = Resume::load(Path::new("/nonexistent/resume.toml")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/resume.toml: cannot read")
    );
}

#[test]
fn site_ssh_command_is_validated() {
    let with = |v: &str| SHIPPED.replacen("[site]\n", &format!("[site]\nssh = {v}\n"), 1);
    let r = parse(&with("\"ssh resume.example.com\"")).expect("a plain command");
    assert_eq!(r.site.ssh(), "ssh resume.example.com");
    assert_eq!(r.site.scp_host(), "resume.example.com");
    let r = parse(&with("\"ssh -p 2222 me@resume.example.com\"")).expect("with options");
    assert_eq!(r.site.scp_host(), "<this host>");
    assert_eq!(parse(SHIPPED).unwrap().site.ssh(), NO_SSH_COMMAND);
    for (bad, says) in [
        ("\"resume.example.com\"", "must start with 'ssh '"),
        ("\"ssh \"", "must name the host"),
        ("\"ssh a\\nb\"", "printable ASCII"),
        ("\"ssh \\u001b[31mred\"", "printable ASCII"),
        (&format!("\"ssh {}\"", "a".repeat(60)), "longer than"),
    ] {
        let e = error_of(&with(bad));
        assert!(e.contains("site.ssh") && e.contains(says), "{bad}: {e}");
    }
}
