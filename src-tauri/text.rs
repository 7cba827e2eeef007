//! Text as people type it and as terminals show it: which characters Tillit
//! refuses to store, and how a value is quoted in a message. Below every
//! aggregate: validation, imports and the command line all use these.

use crate::error::{FieldError, ValidationCode};

/// A value as an error message quotes it: in quotes, with control
/// characters escaped, and cut after 40 characters, so that a message never
/// carries a whole oversized value or raw escapes.
pub fn shown(value: &str) -> String {
    let mut cut: String = value.chars().take(40).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// Whether `c` may not be stored in text: a control character (other than
/// tab, and line breaks in free text), or a character that reorders how
/// text is shown (the bidirectional embeddings, overrides and isolates,
/// which can make a name read differently from what it is).
pub fn is_unsafe_char(c: char, multiline: bool) -> bool {
    match c {
        '\t' => false,
        '\n' | '\r' => !multiline,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// Refuses text holding a character [`is_unsafe_char`] names, saying which
/// (as U+XXXX) and where, without echoing the text.
pub fn plain_text(
    field: &str,
    value: &str,
    multiline: bool,
) -> std::result::Result<(), FieldError> {
    match value
        .chars()
        .enumerate()
        .find(|(_, c)| is_unsafe_char(*c, multiline))
    {
        None => Ok(()),
        Some((at, c)) => Err(FieldError::new(
            field,
            ValidationCode::Format,
            format!(
                "holds the control character U+{:04X} at character {}; {}",
                u32::from(c),
                at + 1,
                if multiline {
                    "only printable text, tabs and line breaks are allowed"
                } else {
                    "only printable text on one line is allowed"
                }
            ),
        )),
    }
}
