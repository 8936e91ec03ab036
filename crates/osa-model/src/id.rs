//! The identifier grammar of `docs/formats.md`: ASCII letters, digits, `-`, `_` and `.`, starting
//! with a letter or digit, at most [`MAX_ID_LEN`] characters. Lowercase kebab-case is the house
//! style (`euv-lithography`); imported ids keep their case (ETO's `N20`). The grammar keeps out
//! what prints as something else: bidirectional overrides, invisible and look-alike characters.

/// Longest identifier (characters).
pub const MAX_ID_LEN: usize = 128;

/// Checks an identifier; the message says what is wrong (with the character's code point when
/// it is one that does not print as itself).
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the id is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "the id is {} bytes long, beyond the limit of {MAX_ID_LEN}",
            id.len()
        ));
    }
    for (k, c) in id.chars().enumerate() {
        let ok = c.is_ascii_alphanumeric() || (k > 0 && matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(format!(
                "character {} (U+{:04X}) at position {} is not allowed in an id (letters, digits, `-`, `_`, `.`; starting with a letter or digit)",
                if c.is_control() || !c.is_ascii() {
                    String::from("?")
                } else {
                    format!("`{c}`")
                },
                c as u32,
                k + 1
            ));
        }
    }
    Ok(())
}

/// The text with every character outside printable ASCII shown as `\u{XXXX}`, for messages
/// that quote ids a user wrote (a right-to-left override must not reorder the message).
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_graphic() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar() {
        for ok in [
            "gallium",
            "N20",
            "euv-lithography",
            "P313",
            "a.b_c-1",
            "EU27",
        ] {
            assert_eq!(check_id(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "\u{202e}muillag",
            "gal\u{200b}lium",
            "-x",
            "a b",
            "gallium\u{0430}",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_id(&"a".repeat(MAX_ID_LEN + 1)).is_err());
        assert!(check_id("\u{202e}muillag").unwrap_err().contains("U+202E"));
        assert_eq!(escaped("\u{202e}ab"), "\\u{202e}ab");
    }
}
