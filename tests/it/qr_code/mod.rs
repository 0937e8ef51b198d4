//! The contact's QR code, read back the way a phone would: what a client received (`ssh HOST
//! qr` with and without a window, and the Contact section on a vt100 screen) is turned back into
//! modules, drawn as an image and decoded by a real QR decoder (rqrr), then compared with the
//! short card. (The same code read from real xterm screenshots by zbarimg:
//! tests/interop/qr_screens.sh.)

mod decode;
mod exec;
mod screen;

use resume_ssh::resume::Resume;

/// The short card the code must hold, checked against the resume itself.
fn short_card(resume: &Resume) -> String {
    let card = resume_ssh::qr::payload(resume);
    assert_eq!(
        card,
        format!(
            "MECARD:N:{};EMAIL:{};;",
            resume.basics.name, resume.basics.email
        )
    );
    card
}
