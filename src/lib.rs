//! resume-ssh: an SSH server that shows a resume as a full-screen terminal UI.
//!
//! Data flows one way: bytes from the client → [`tui::input`] events → [`tui::app`] state →
//! [`tui::view`] (a pure render into a ratatui buffer) → [`terminal`] diff into escape sequences →
//! the SSH channel ([`session`]). The [`server`] accepts connections and enforces limits; the
//! resume itself comes from [`resume`] and is turned into sections by [`content`]. Visitors'
//! messages (`ssh HOST message`) are kept, limited and delivered by [`messages`].

pub mod activation;
pub mod allocator;
pub mod budget;
pub mod commands;
pub mod config;
pub mod conn;
pub mod content;
pub mod documents;
pub mod export;
pub mod hostkey;
pub mod import;
pub mod locks;
pub mod logging;
pub mod messages;
pub mod metrics;
pub mod preview;
pub mod proxy;
pub mod qr;
pub mod reload;
pub mod render;
pub mod resume;
pub mod sanitize;
pub mod server;
pub mod session;
pub mod shared;
pub mod terminal;
pub mod tui;
pub mod visit;
pub mod web;
