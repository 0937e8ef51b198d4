//! The integration tests: one test binary, one module per concern, so the server and its
//! dependencies are linked once. `cargo test --test it NAME` runs the tests whose path contains
//! NAME (`hostile_cost::` for one module). All tests share this process: [`common::gate`] keeps
//! the ones that measure the process (memory, latency, global metrics, the log) alone.

mod common;
mod import_util;
mod seqs;

mod admission;
mod cache_metrics;
mod cli;
mod contained_panic;
mod design;
mod e2e_commands;
mod e2e_sftp;
mod e2e_tui;
mod encoder;
mod export_formats;
mod golden;
mod hostile;
mod hostile_cost;
mod hostile_logs;
mod import;
mod import_errors;
mod import_sections;
mod link_encoding;
mod listen;
mod markdown_export;
mod messages;
mod ops;
mod pdf_export;
mod pdf_fonts;
mod properties;
mod qr_code;
mod real_clients;
mod reload_stuck;
mod render_svg;
mod scroll_regions;
mod search;
mod search_render;
mod size_sweep;
mod terminal_protocol;
mod unicode_resume;
mod visitor_metrics;
mod web;
mod wide;
