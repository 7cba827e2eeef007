//! Reading a register file strictly: where text stops being UTF-8, fields
//! the format does not have (with the field probably meant), type errors by
//! their path, and keys from the file shown at a bounded length. Used by
//! the JSON import, which lists every problem of a file in one run.

use crate::error::{Error, FieldError, ValidationCode};
use crate::supplier::validate;
use serde::Serialize;
use serde_json::Value;

/// Where a file stops being UTF-8: the path of the text that holds the
/// first invalid byte when the rest reads as JSON, else its line and column.
pub(super) fn not_utf8(bytes: &[u8], at: usize) -> Error {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    let lossy = String::from_utf8_lossy(bytes);
    let path = serde_json::from_str::<Value>(&lossy)
        .ok()
        .and_then(|value| first_replacement(&value, String::new()));
    let (field, supplier) = match &path {
        Some((path, supplier)) => (path.clone(), supplier.clone()),
        None => ("file".to_owned(), None),
    };
    let mut message = format!(
        "is not UTF-8 text (the byte at offset {at}, line {line}, column {column}); save the file as UTF-8"
    );
    if let Some(name) = supplier {
        message.push_str(&format!(" (supplier {})", validate::shown(&name)));
    }
    Error::Invalid(vec![super::bounded(FieldError::new(
        field,
        ValidationCode::Format,
        message,
    ))])
}

/// The path of the first key or text in `value` holding U+FFFD (where a
/// lossy reading replaced bytes that are not UTF-8), and the name of the
/// supplier it is in.
fn first_replacement(value: &Value, path: String) -> Option<(String, Option<String>)> {
    const REPLACEMENT: char = '\u{FFFD}';
    match value {
        Value::String(text) if text.contains(REPLACEMENT) => Some((path, None)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let found = first_replacement(item, format!("{path}[{i}]"))?;
            let name = (path == "suppliers")
                .then(|| supplier_name(item))
                .flatten()
                .or(found.1);
            Some((found.0, name))
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let here = join(&path, key);
            if key.contains(REPLACEMENT) {
                return Some((here, None));
            }
            first_replacement(item, here)
        }),
        _ => None,
    }
}

/// `path.key`; a key from the file is shown as [`key_shown`] has it.
pub(super) fn join(path: &str, key: &str) -> String {
    let key = key_shown(key);
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}

/// The longest key a path shows whole, in characters.
const KEY_SHOWN: usize = 64;

/// A key of the file as a path names it: at most [`KEY_SHOWN`] characters,
/// control characters escaped, so that a hostile key cannot make a message
/// of any size or drive a terminal.
pub(super) fn key_shown(key: &str) -> String {
    let mut shown: String = key
        .chars()
        .take(KEY_SHOWN)
        .map(|c| {
            if crate::text::is_unsafe_char(c, false) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if key.chars().count() > KEY_SHOWN {
        shown.push('…');
    }
    shown
}

/// The legal name a supplier's record in a file carries, if any.
pub(super) fn supplier_name(record: &Value) -> Option<String> {
    record
        .get("legal_name")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The keys of `input` that `known` (the same value as Tillit reads and
/// writes it) does not have, as paths under `path`: fields the register
/// format does not have, whose data would otherwise be lost without a word.
/// A key holding nothing (null, "", [], {}, false, 0) is not reported,
/// since writing leaves such values out.
fn unknown_fields(input: &Value, known: &Value, path: &str, found: &mut Vec<FieldError>) {
    match (input, known) {
        (Value::Object(input), Value::Object(known)) => {
            for (key, value) in input {
                let here = join(path, key);
                match known.get(key) {
                    Some(known) => unknown_fields(value, known, &here, found),
                    None if holds_nothing(value) => {}
                    None => {
                        let hint = closest(key, known.keys())
                            .map(|k| format!("; did you mean {k}?"))
                            .unwrap_or_default();
                        found.push(FieldError::new(
                            here,
                            ValidationCode::UnknownValue,
                            format!("is not a field of the register format, and its data would be lost{hint}"),
                        ));
                    }
                }
            }
        }
        (Value::Array(input), Value::Array(known)) => {
            for (i, (value, known)) in input.iter().zip(known).enumerate() {
                unknown_fields(value, known, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

fn holds_nothing(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(true) => false,
    }
}

/// The known key a misspelt `key` most likely meant: at most a third of
/// its letters different.
fn closest<'k>(key: &str, known: impl Iterator<Item = &'k String>) -> Option<&'k String> {
    known
        .map(|k| (edit_distance(key, k), k))
        .filter(|(d, k)| *d * 3 <= k.chars().count().max(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Reads `value` as a `T`, or the errors that say where and why: a type
/// error names the path under `path`; fields the format does not have are
/// each named.
pub(super) fn typed<T: serde::de::DeserializeOwned + Serialize>(
    value: &Value,
    path: &str,
) -> std::result::Result<T, Vec<FieldError>> {
    let read: T = serde_path_to_error::deserialize(value).map_err(|error| {
        let segments: Vec<String> = error.path().iter().map(|s| s.to_string()).collect();
        let message = error.inner().to_string();
        // Inside a flattened part the path stops at the object: find the
        // field whose value is at fault by leaving each out in turn.
        let culprit = locate::<T>(value, &error, &message);
        let mut at = path.to_owned();
        for segment in segments.iter().chain(culprit.as_ref()) {
            if segment.starts_with('[') {
                at.push_str(segment);
            } else if segment != "?" {
                at = join(&at, segment.trim_start_matches('.'));
            }
        }
        vec![FieldError::new(at, ValidationCode::Format, message)]
    })?;
    let mut unknown = Vec::new();
    if let Ok(known) = serde_json::to_value(&read) {
        unknown_fields(value, &known, path, &mut unknown);
    }
    if unknown.is_empty() {
        Ok(read)
    } else {
        Err(unknown)
    }
}

/// The key of the object at the error's path whose value the error is
/// about, when the path stops at that object (a flattened part): the key
/// without which reading no longer fails with the same message.
fn locate<T: serde::de::DeserializeOwned>(
    value: &Value,
    error: &serde_path_to_error::Error<serde_json::Error>,
    message: &str,
) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut target = value;
    for segment in error.path().iter() {
        target = match segment {
            Segment::Seq { index } => target.get(*index)?,
            Segment::Map { key } => target.get(key)?,
            _ => return None,
        };
    }
    let Value::Object(object) = target else {
        return None;
    };
    if object.len() > 200 {
        return None;
    }
    // Leaving the culprit out makes the reading succeed, or fail for
    // another reason (another field at fault), but for a required field,
    // it fails because that field is missing.
    let rank = |key: &String| -> Option<u8> {
        let mut without = value.clone();
        let mut at = &mut without;
        for segment in error.path().iter() {
            at = match segment {
                Segment::Seq { index } => at.get_mut(*index)?,
                Segment::Map { key } => at.get_mut(key)?,
                _ => return None,
            };
        }
        at.as_object_mut()?.remove(key);
        match serde_json::from_value::<T>(without) {
            Ok(_) => Some(0),
            Err(e) if e.to_string() == message => None,
            Err(e) if e.to_string().starts_with("missing field") => Some(2),
            Err(_) => Some(1),
        }
    };
    object
        .keys()
        .filter_map(|key| rank(key).map(|r| (r, key)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, key)| key.clone())
}
