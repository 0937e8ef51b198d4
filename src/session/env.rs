//! Environment requests (`env NAME=value`): which names are kept, in what bounds, and cleaned
//! of control characters before anything logs or uses them.

use crate::sanitize;
use crate::tui::theme::ClientEnv;

/// Environment requests kept per channel, and the longest value kept.
pub const MAX_ENV: usize = 16;
pub const MAX_ENV_VALUE: usize = 256;

/// Applies the `count`-th env request of a channel to `env`; true if it was accepted.
pub fn apply(env: &mut ClientEnv, count: usize, name: &str, value: &str) -> bool {
    if count > MAX_ENV || value.len() > MAX_ENV_VALUE {
        return false;
    }
    let value = sanitize::clean(value, MAX_ENV_VALUE);
    match name {
        "TERM" => env.term = Some(value),
        "COLORTERM" => env.colorterm = Some(value),
        "NO_COLOR" => env.no_color = true,
        "LANG" => env.lang = Some(value),
        "LC_ALL" => env.lc_all = Some(value),
        "LC_CTYPE" => env.lc_ctype = Some(value),
        n => return n.starts_with("LC_"),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_and_bounded() {
        let mut env = ClientEnv::default();
        assert!(apply(&mut env, 1, "TERM", "xterm\r\n\x1b[2Jforged"));
        assert_eq!(env.term.as_deref(), Some("xterm???[2Jforged"));
        assert!(!apply(&mut env, 2, "LANG", &"x".repeat(MAX_ENV_VALUE + 1)));
        assert!(!apply(&mut env, MAX_ENV + 1, "LANG", "C"));
        assert!(apply(&mut env, 3, "LC_NUMERIC", "C"));
        assert!(!apply(&mut env, 4, "PATH", "/bin"));
    }
}
