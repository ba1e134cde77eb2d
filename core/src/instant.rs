//! Instants typed into forms and import files: RFC 3339, not in the future, not before 2000.

use chrono::{DateTime, Utc};

use crate::error::{FieldError, Rule};

/// Reads an RFC 3339 time that must lie between 2000 and `now`, noting why it is refused.
pub fn parse_past_instant(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    text: &str,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let rule = match DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)) {
        Err(_) => Rule::InvalidTime,
        Ok(t) if t > now => Rule::InFuture,
        Ok(t) if t < earliest_plausible() => Rule::TooEarly,
        Ok(t) => return Some(t),
    };
    errors.push(FieldError::new(field, rule));
    None
}

/// Times before this are typing mistakes (a year of 0026 for 2026), not incidents.
pub fn earliest_plausible() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default() // 2000-01-01T00:00:00Z
}
