//! Fuzz target: arbitrary bytes as resume.toml — an error with a location, or a resume that
//! renders; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use resume_ssh::export::plain;
use resume_ssh::resume::Resume;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Resume::parse(text, std::path::Path::new("f.toml")) {
        Ok(r) => {
            let _ = plain::render(&r, 40);
        }
        Err(e) => assert!(e.to_string().starts_with("f.toml:")),
    }
});
