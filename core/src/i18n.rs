//! How Yunwei words things for people: times as they read them in the service zone, quotes of
//! what they typed. The language itself is the `lang` leaf.

pub use crate::lang::Lang;
pub use crate::zone::SERVICE_TZ;

/// An instant as people here read it: `2026-11-28 09:30` in the service time zone.
pub fn format_service_time(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("{} {}", at.with_timezone(&SERVICE_TZ).format("%Y-%m-%d"), time_of_day(at))
}

/// "10:30" in the service zone, or "10:30:40" when the instant has seconds: a deadline missed by
/// seconds must not read as met.
pub fn time_of_day(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&SERVICE_TZ);
    if local.second() == 0 {
        local.format("%H:%M").to_string()
    } else {
        local.format("%H:%M:%S").to_string()
    }
}

/// At most `max` characters of `value` for quoting it in a message, with `…` when cut.
pub fn quote(value: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(value),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &value[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_to_length() {
        assert_eq!(quote("短", 40), "短");
        assert_eq!(quote(&"长".repeat(100), 3), "长长长…");
    }
}
