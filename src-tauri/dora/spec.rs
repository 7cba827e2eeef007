//! The templates of the register of information as `data/dora/columns.csv`
//! describes them: each template's columns in order, which are mandatory,
//! which form its key, which point at another template's column, and what
//! kind of value each holds (a code of which list, a country, a date …).

use std::sync::OnceLock;

/// What a column holds, for the checks of its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A code of the named list (`LIST0601020`, `LISTANNEXIII` …).
    Code(String),
    /// A country: `eba_GA:` and an ISO 3166-1 code (or the placeholder).
    Country,
    /// A currency: `eba_CU:` and an ISO 4217 code.
    Currency,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A whole or decimal number.
    Number,
    /// An LEI, checked by its ISO 17442 check digits.
    Lei,
    /// The type of an identification code (`eba_qCO:qx2000` …).
    IdentifierType,
    /// The literal `true` of a link.
    Link,
    /// Free text.
    Text,
}

/// One column of a template.
#[derive(Debug, Clone)]
pub struct Column {
    /// `c0010` …
    pub code: String,
    pub name: String,
    pub kind: Kind,
    /// Always required ("Mandatory" without a condition).
    pub mandatory: bool,
    /// Part of the template's key.
    pub key: bool,
    /// A key cell that may not be empty: a confirmed key, or a mandatory
    /// one (a key the EBA has not confirmed that is filled only in some
    /// cases, a branch's code, may be).
    pub key_required: bool,
    /// The template and column a value must be found in.
    pub points_at: Option<(String, String)>,
}

/// One template (`B_01.01` …) and its columns.
#[derive(Debug, Clone)]
pub struct Template {
    pub code: String,
    pub columns: Vec<Column>,
}

impl Template {
    /// The file the template's rows are written to: `b_01.01.csv`.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.code.to_ascii_lowercase())
    }

    /// The position of column `code`.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.code == code)
    }
}

/// Foreign keys in `columns.csv` that join columns of different kinds (a
/// type of code to an LEI, a type of ICT service to a function), which no
/// filing could satisfy: not checked.
const NOT_FOREIGN: &[(&str, &str)] = &[("B_07.01", "c0030"), ("B_07.01", "c0040")];

/// Every template, in order.
pub fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../data/dora/columns.csv").as_bytes());
        let mut templates: Vec<Template> = Vec::new();
        for record in reader.records().filter_map(|r| r.ok()) {
            let (template, code, name, kind, required, key, foreign) = (
                &record[0], &record[1], &record[3], &record[4], &record[5], &record[6], &record[7],
            );
            let points_at = foreign
                .split_once(".c")
                .filter(|_| !NOT_FOREIGN.contains(&(template, code)))
                .map(|(t, c)| (t.to_owned(), format!("c{c}")));
            let column = Column {
                code: code.to_owned(),
                name: name.to_owned(),
                kind: kind_of(kind),
                mandatory: required == "Mandatory",
                key: key.starts_with("PK"),
                key_required: key == "PK" || (key == "PK?" && required == "Mandatory"),
                points_at,
            };
            match templates.last_mut() {
                Some(last) if last.code == template => last.columns.push(column),
                _ => templates.push(Template {
                    code: template.to_owned(),
                    columns: vec![column],
                }),
            }
        }
        templates
    })
}

/// The template `code`.
pub fn template(code: &str) -> &'static Template {
    templates()
        .iter()
        .find(|t| t.code == code)
        .unwrap_or_else(|| panic!("no template {code} in data/dora/columns.csv"))
}

fn kind_of(described: &str) -> Kind {
    if let Some(at) = described.find("(LIST") {
        let list: String = described[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        return match list.as_str() {
            "LISTCOUNTRY" => Kind::Country,
            "LISTCURRENCY" => Kind::Currency,
            _ => Kind::Code(list),
        };
    }
    match described {
        "Date" => Kind::Date,
        "Auto" => Kind::IdentifierType,
        "Boolean" => Kind::Link,
        d if d.starts_with("Numeric") => Kind::Number,
        d if d.contains("LEI pattern") => Kind::Lei,
        // B_07.01 c0110: yes, no or not assessed.
        "Closed set (3 entries)" => Kind::Code("LIST0601050".into()),
        _ => Kind::Text,
    }
}
