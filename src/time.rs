//! Timestamps as the library stores them: RFC 3339 UTC with seconds, sortable as text.

use chrono::{DateTime, SecondsFormat, Utc};

/// Now, as stored in the database.
pub fn now() -> String {
    format(Utc::now())
}

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored time as a reader sees it in a citation: "2026-11-26 23:05 UTC"
/// (a time that does not parse is shown as stored).
pub fn human(t: &str) -> String {
    match parse(t) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => t.to_string(),
    }
}

/// Parses an RFC 3339 time or a plain date (`2026-11-26`, taken as midnight UTC).
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    None
}
