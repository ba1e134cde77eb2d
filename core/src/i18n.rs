//! The languages Yunwei speaks, and the time zone people read times in.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language of the interface and of everything the core says to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The tag stored in settings and used by the UI (`zh-CN`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh-CN" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

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

    #[test]
    fn tags_round_trip() {
        for lang in [Lang::ZhCn, Lang::En] {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("fr"), None, "unknown languages are refused");
    }
}
