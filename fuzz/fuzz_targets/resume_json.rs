//! Fuzz target: arbitrary bytes as a JSON Resume document for `import` — an error that names the
//! input, or a resume whose JSON export imports back to the very same resume; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use resume_ssh::export::{json, plain};
use resume_ssh::import::import_str;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match import_str(text, std::path::Path::new("f.json")) {
        Ok(imported) => {
            let _ = plain::render(&imported.resume, 40);
            let exported = json::render(&imported.resume);
            let again = import_str(&exported, std::path::Path::new("export.json"))
                .expect("the export of an imported resume imports");
            assert_eq!(again.resume, imported.resume, "the round trip changed the resume");
            assert!(
                !again.notes.iter().any(|n| n.is_loss()),
                "re-importing the export lost something: {:?}",
                again.notes
            );
        }
        Err(e) => assert!(e.to_string().starts_with("f.json"), "{e}"),
    }
});
