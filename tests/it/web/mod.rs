//! The web side (`serve --http`): a real HTTP server on 127.0.0.1:0 in this process, spoken to
//! with a real HTTP client (hyper) and, for the hostile cases, raw TCP.

mod binary;
mod hostile;
pub mod http;
mod page;
mod routes;
mod server;
mod terminal;
