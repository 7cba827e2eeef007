//! The names, countries and services generated registers are made of.

use chrono::{DateTime, NaiveDate, Utc};

/// Countries of headquarters with their weights and company-form suffix.
pub(super) const COUNTRIES: &[(u64, (&str, &str))] = &[
    (45, ("SE", "AB")),
    (8, ("DE", "GmbH")),
    (8, ("FI", "Oy")),
    (6, ("NO", "AS")),
    (6, ("DK", "A/S")),
    (5, ("NL", "B.V.")),
    (4, ("IE", "Ltd")),
    (3, ("FR", "SAS")),
    (10, ("US", "Inc.")),
    (5, ("GB", "Ltd")),
];

pub(super) const FIRST: &[&str] = &[
    "Norrsken",
    "Fjäll",
    "Molnbolaget",
    "Datahallen",
    "Kustlinjen",
    "Ekhagen",
    "Blåklint",
    "Granit",
    "Polaris",
    "Nordvind",
    "Älvdalen",
    "Solberga",
    "Vinga",
    "Hamnen",
    "Skärgård",
    "Lindqvist",
    "Berg & Söner",
    "Östra",
    "Västkust",
    "Tallbacka",
];

pub(super) const SECOND: &[&str] = &[
    "Drift",
    "IT-tjänster",
    "Säkerhet",
    "Systems",
    "Cloud",
    "Data",
    "Logistik",
    "Ekonomi",
    "Konsult",
    "Support",
    "Network",
    "Software",
    "Hosting",
    "Analytics",
    "Print",
];

/// An LEI made of `base` (18 letters and digits) and its ISO 17442 check
/// digits, for generated providers.
pub(super) fn lei(base: &str) -> String {
    let remainder = base.chars().chain("00".chars()).fold(0u64, |acc, c| {
        let value = u64::from(c.to_digit(36).unwrap_or(0));
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    format!("{base}{:02}", 98 - remainder)
}

/// The LEI of the generated parent or subcontractor at `index` of its list.
pub(super) fn provider_lei(kind: &str, index: usize) -> String {
    lei(&format!("5493{kind}{index:010}"))
}

pub(super) const PARENTS: &[(&str, &str)] = &[
    ("Cloudco Holdings Inc.", "US"),
    ("Atlantic Software Corp.", "US"),
    ("Nordic Holding Oyj", "FI"),
    ("Baltic Services SE", "DE"),
    ("Fjord Group ASA", "NO"),
    ("Thames Technology plc", "GB"),
];

pub(super) const SERVICES: &[&str] = &[
    "Ärendesystem",
    "Lönehantering",
    "E-post och kalender",
    "Säkerhetskopiering",
    "Drift av datacenter",
    "Kundregister (CRM)",
    "Ekonomisystem",
    "Dokumenthantering",
    "Användarsupport",
    "Molnlagring",
    "Betalningar",
    "Nätverksdrift",
    "Logganalys",
    "Tryck och distribution",
    "Rekrytering",
    "Webbplats och publicering",
];

pub(super) const SUBCONTRACTORS: &[(&str, &str, &str)] = &[
    ("Datahallen i Göteborg AB", "SE", "Drift av servrar"),
    ("Frankfurt Colocation GmbH", "DE", "Serverhallar"),
    ("Helsinki Support Oy", "FI", "Användarsupport"),
    ("Global Cloud LLC", "US", "Molninfrastruktur"),
    ("Dublin Data Ltd", "IE", "Lagring"),
    ("Bangalore Ops Pvt Ltd", "IN", "Övervakning dygnet runt"),
];

/// The dimensions of a generated risk register: the three every service
/// covers, a listed one, and one the officer names (as officers do), each
/// with the words its description uses.
pub(super) const DIMENSIONS: [(&str, &str); 5] = [
    ("data_protection", "skyddet av personuppgifter"),
    ("availability", "tjänstens tillgänglighet"),
    ("business_impact", "verksamheten"),
    ("Leveranskedja", "leveranskedjan"),
    ("regulatory", "regelefterlevnaden"),
];

pub(super) const OWNERS: &[&str] = &[
    "Örjan Ädel",
    "Karin Lund",
    "Ahmed Yusuf",
    "Lena Berg",
    "Mikael Ek",
    "Sara Nyström",
];

/// Midday on `date`, UTC.
pub(super) fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}

/// A valid Swedish organisation number for `n` (Luhn check digit).
pub fn org_number(n: usize) -> String {
    let body = format!("55{:07}", n % 10_000_000);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 2 } else { 1 };
            if d > 9 {
                d - 9
            } else {
                d
            }
        })
        .sum();
    format!("{}-{}{}", &body[..6], &body[6..], (10 - sum % 10) % 10)
}
