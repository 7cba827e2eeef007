//! The word catalogue: every sentence a person reads, in English and
//! Swedish, kept in `i18n/en.json` and `i18n/sv.json` at the root of the
//! repository and compiled into the binary. The core (errors, reasons,
//! reports, the command line) and the window read the same files; a key is
//! a dotted name (`message.wrong_password`), and `{name}` marks a value
//! filled in, numbers formatted as the language writes them.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use ts_rs::TS;

/// A language Tillit speaks: its UI, its messages and its reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Sv,
}

impl Language {
    /// Every language, in the order the language switch lists them.
    pub const ALL: [Language; 2] = [Language::En, Language::Sv];

    /// The code stored in the database and used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Sv => "sv",
        }
    }
}

impl Language {
    /// The language of a POSIX locale name (`sv_SE.UTF-8`, `en_GB`, `C`):
    /// Swedish for `sv…`, English for anything else that names a language,
    /// `None` for an empty name.
    pub fn of_locale(locale: &str) -> Option<Language> {
        let primary = locale.split(['_', '.', '@', '-']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "" => None,
            "sv" => Some(Language::Sv),
            _ => Some(Language::En),
        }
    }
}

const EN: &str = include_str!("../i18n/en.json");
const SV: &str = include_str!("../i18n/sv.json");

/// The catalogue of `language`, read once.
fn catalogue(language: Language) -> &'static HashMap<String, String> {
    static CATALOGUES: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let [en, sv] = CATALOGUES.get_or_init(|| {
        let read = |text: &str| serde_json::from_str(text).unwrap_or_default();
        [read(EN), read(SV)]
    });
    match language {
        Language::En => en,
        Language::Sv => sv,
    }
}

/// The phrase `key` in `language`, without parameters; a key missing from
/// the catalogue (which the tests rule out) gives the English phrase, or
/// else the key itself.
pub fn phrase(language: Language, key: &str) -> &str {
    entry(language, key).unwrap_or(key)
}

/// The phrase `key` in `language` as the catalogue holds it for the whole
/// run, or `None` when neither language has the key.
pub fn entry(language: Language, key: &str) -> Option<&'static str> {
    catalogue(language)
        .get(key)
        .or_else(|| catalogue(Language::En).get(key))
        .map(String::as_str)
}

/// The sentence `key` in `language`, with each `{name}` of `params` filled
/// in. A key missing from the catalogue (which the tests rule out) gives the
/// English sentence, or else the key itself.
pub fn t(language: Language, key: &str, params: &[(&str, String)]) -> String {
    let mut out = phrase(language, key).to_owned();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A sentence as each language says it, written when it was recorded: the
/// reason of a detected event, so a Swedish window shows it in Swedish. A
/// reason a person typed is the same in both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Said {
    pub en: String,
    pub sv: String,
}

impl Said {
    /// What `say` writes in each language.
    pub fn new(say: impl Fn(Language) -> String) -> Said {
        Said {
            en: say(Language::En),
            sv: say(Language::Sv),
        }
    }

    /// The catalogue's sentence `key` with `params`, in each language.
    pub fn key(key: &str, params: &[(&str, String)]) -> Said {
        Said::new(|l| t(l, key, params))
    }

    /// Text as it was typed: the same in every language.
    pub fn typed(text: &str) -> Said {
        Said {
            en: text.to_owned(),
            sv: text.to_owned(),
        }
    }

    /// The sentence in `language`.
    pub fn in_language(&self, language: Language) -> &str {
        match language {
            Language::En => &self.en,
            Language::Sv => &self.sv,
        }
    }

    /// As stored beside the English text (a JSON object).
    pub fn stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored sentence; none when `text` is not one (an older row).
    pub fn from_stored(text: Option<&str>) -> Option<Said> {
        text.and_then(|t| serde_json::from_str(t).ok())
    }
}

/// A decimal number as `language` writes it (`99.5`, `99,5`).
pub fn decimal(language: Language, n: f64) -> String {
    let text = n.to_string();
    match language {
        Language::Sv => text.replace('.', ","),
        Language::En => text,
    }
}

/// The key of a value's name: `prefix.` and the value as it is written on
/// the wire (`verdict.safeguards`, `location.EU_EEA`), as the window builds
/// the same keys.
pub fn key_of(prefix: &str, value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => format!("{prefix}.{name}"),
        _ => prefix.to_owned(),
    }
}

/// The name of `value` in `language`, from its key `prefix.<value>`.
pub fn name_of(language: Language, prefix: &str, value: &impl Serialize) -> String {
    phrase(language, &key_of(prefix, value)).to_owned()
}

/// One of two texts that data holds in both languages (a criterion's title,
/// a country's name): the Swedish one when it is written.
pub fn pick<'a>(language: Language, en: &'a str, sv: &'a str) -> &'a str {
    match language {
        Language::Sv if !sv.is_empty() => sv,
        _ => en,
    }
}

/// A whole number as `language` writes it: 10,000 in English, 10 000 in
/// Swedish (with a no-break space).
pub fn number(language: Language, n: u64) -> String {
    let digits = n.to_string();
    let separator = match language {
        Language::En => ",",
        Language::Sv => "\u{a0}",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(language: Language) -> impl Iterator<Item = &'static str> {
        catalogue(language).keys().map(String::as_str)
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    }

    #[test]
    fn both_catalogues_have_every_key_and_swedish_fills_in_only_what_english_has() {
        let en: BTreeSet<&str> = keys(Language::En).collect();
        let sv: BTreeSet<&str> = keys(Language::Sv).collect();
        assert!(en.len() > 500, "the catalogue was read: {} keys", en.len());
        assert_eq!(
            en.difference(&sv).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in Swedish"
        );
        assert_eq!(
            sv.difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in English"
        );
        for key in &en {
            let (english, swedish) = (t(Language::En, key, &[]), t(Language::Sv, key, &[]));
            assert!(
                !english.trim().is_empty() && !swedish.trim().is_empty(),
                "{key} is empty"
            );
            // A Swedish sentence may leave out a value that exists only in
            // English (SQLite's own words, a reason written in English).
            assert!(
                placeholders(&swedish).is_subset(&placeholders(&english)),
                "{key}: {swedish}"
            );
        }
    }

    /// The Swedish catalogue keeps to docs/GLOSSARY.md: the periodic review
    /// is never "granskning", the officer never "handläggare", the residual
    /// risk never "kvarvarande", and a decision's outcome is not written as
    /// the imperative.
    #[test]
    fn swedish_keeps_one_word_per_concept() {
        let glossary = include_str!("../docs/GLOSSARY.md");
        assert!(glossary.contains("| omprövning, nästa omprövning | granskning |"));
        for key in keys(Language::Sv) {
            let (english, swedish) = (
                t(Language::En, key, &[]).to_lowercase(),
                t(Language::Sv, key, &[]).to_lowercase(),
            );
            for never in ["handläggare", "kvarvarande", "revisionslogg"] {
                assert!(
                    !swedish.contains(never),
                    "{key}: {swedish:?} says {never:?}"
                );
            }
            if english.contains("review") && !english.contains("audit") {
                assert!(
                    !swedish.contains("gransk"),
                    "{key}: the review is \"omprövning\": {swedish:?}"
                );
            }
        }
        for decided in ["approve", "approve_with_conditions", "reject"] {
            let outcome = t(Language::Sv, &format!("decided.{decided}"), &[]);
            assert_ne!(
                outcome,
                t(Language::Sv, &format!("decision.{decided}"), &[])
            );
        }
    }

    /// Every catalogue key the core names in its source (`"refusal.…"`,
    /// `"pdf.…"`, `"message.…"` and the other sentence families) is in the
    /// catalogue: a key that is not would reach a person as it is written.
    #[test]
    fn every_key_the_core_names_is_in_the_catalogue() {
        // A family is the first part of a key (`refusal`, `pdf`, `tier`).
        let families: BTreeSet<&str> = keys(Language::En)
            .filter_map(|k| k.split_once('.').map(|(family, _)| family))
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
        let mut missing = Vec::new();
        let mut named = 0;
        let mut folders = vec![root];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                let mut before = "";
                for (i, piece) in source.split('"').enumerate() {
                    // A literal handed to what reads the catalogue.
                    let handed = ["t(", "say(", "Refusal::new(", "language,", "phrase(self.0,"]
                        .iter()
                        .any(|call| before.trim_end().ends_with(call));
                    let literal = piece;
                    before = piece;
                    if i % 2 == 0 || !handed {
                        continue;
                    }
                    let is_key = literal.split_once('.').is_some_and(|(family, rest)| {
                        families.contains(family) && !rest.is_empty()
                    }) && literal
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                    if is_key {
                        named += 1;
                        if !catalogue(Language::En).contains_key(literal) {
                            missing.push(format!("{}: {literal}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(named > 350, "the source was read: {named} keys named");
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn a_locale_names_its_language() {
        assert_eq!(Language::of_locale("sv_SE.UTF-8"), Some(Language::Sv));
        assert_eq!(Language::of_locale("sv"), Some(Language::Sv));
        assert_eq!(Language::of_locale("en_GB.UTF-8"), Some(Language::En));
        assert_eq!(Language::of_locale("C.UTF-8"), Some(Language::En));
        assert_eq!(Language::of_locale(""), None);
    }

    #[test]
    fn parameters_are_filled_in_and_numbers_written_as_each_language_does() {
        assert_eq!(number(Language::En, 10_000), "10,000");
        assert_eq!(number(Language::Sv, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(number(Language::Sv, 999), "999");
        let text = t(
            Language::Sv,
            "message.locked_out",
            &[("user", "olivia".into()), ("until", "12:15".into())],
        );
        assert!(
            text.contains("olivia") && text.contains("12:15") && !text.contains('{'),
            "{text}"
        );
    }
}
