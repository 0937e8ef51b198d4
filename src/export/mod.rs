//! Non-interactive renderings of the resume: plain text, JSON Resume and vCard.

pub mod json;
pub mod plain;
pub mod vcard;
