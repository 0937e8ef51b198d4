//! loadgen's modes, one module each. Every mode is bounded in session count and in time, talks
//! to the address it is given (meant for 127.0.0.1 only) and stops by itself.

pub mod capture;
pub mod handshake;
pub mod idle;
pub mod inproc;
pub mod keys;
pub mod winch;
