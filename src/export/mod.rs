//! Non-interactive renderings of the resume: plain text, JSON Resume and vCard.

pub mod plain;
