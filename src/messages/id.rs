//! Message references: `M-` and six characters from an alphabet without look-alikes (no 0/O,
//! 1/I/L, U), random from the OS (getrandom), so a reference says nothing about the count or
//! order of messages. 30^6 (7×10^8) of them: the store retries on the rare collision.

/// The 30 characters a reference uses (Crockford's base 32 without 0, 1 and U).
const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new random reference, e.g. `M-7K3P9Q`.
pub fn new_reference() -> String {
    let mut bytes = [0u8; 6];
    // getrandom fails only on a system without a random source; fall back to the clock's
    // nanoseconds (a collision is caught by the table's primary key).
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes.copy_from_slice(&nanos.to_le_bytes()[..6]);
    }
    let mut s = String::from("M-");
    for b in bytes {
        // 256 % 30: a slight bias towards the first characters, of no consequence here.
        s.push(char::from(ALPHABET[usize::from(b) % 30]));
    }
    s
}

/// Whether `s` looks like a reference (any case): `M-` and six alphabet characters.
pub fn normalise(s: &str) -> Option<String> {
    let up = s.trim().to_ascii_uppercase();
    let rest = up.strip_prefix("M-")?;
    (rest.len() == 6 && rest.bytes().all(|b| ALPHABET.contains(&b))).then_some(up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_and_varied() {
        let a = new_reference();
        assert_eq!(a.len(), 8);
        assert_eq!(normalise(&a.to_lowercase()), Some(a.clone()));
        let distinct: std::collections::HashSet<String> =
            (0..100).map(|_| new_reference()).collect();
        assert!(distinct.len() > 95);
        assert_eq!(normalise("M-0OIL11"), None);
        assert_eq!(normalise("X-ABCDEF"), None);
    }
}
