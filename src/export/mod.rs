//! Non-interactive renderings of the resume: plain text, Markdown, PDF, JSON Resume and vCard.

pub mod json;
pub mod markdown;
pub mod pdf;
pub mod plain;
pub mod vcard;
