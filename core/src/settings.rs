//! User preferences that outlive a restart.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::{Error, Lang, Result};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
pub struct Settings {
    pub language: Lang,
    /// The person using this copy of Yunwei: the actor of the events they record.
    pub user_name: String,
    /// The service organisation named at the top of every report.
    pub organisation: String,
    /// A logo is printed beside the organisation's name.
    pub has_logo: bool,
    /// The roster record of the current user, when chosen from the roster.
    pub user_person_id: Option<String>,
    /// The first-run setup was finished or skipped.
    pub set_up: bool,
    /// This is the sample sandbox's database, not the real record.
    pub sample: bool,
}

/// The largest logo accepted, in KB.
pub const LOGO_MAX_KB: usize = 1024;

/// Refuses a logo that is too large or not a PNG/JPEG image.
pub fn check_logo(image: &[u8]) -> Result<()> {
    if image.len() > LOGO_MAX_KB * 1024 {
        return Err(Error::invalid(
            vec![FieldError::new("logo", Rule::FileTooLarge { max_kb: LOGO_MAX_KB })],
            labels,
        ));
    }
    crate::report::decode_logo(image).map(|_| ()).map_err(|e| e.labelled(labels))
}

pub const ORGANISATION_MAX_CHARS: usize = 100;
pub const USER_NAME_MAX_CHARS: usize = 50;

/// Trims an organisation name and refuses an overlong one (empty means "not set").
pub fn parse_organisation(name: &str) -> Result<String> {
    short_text("organisation", name, ORGANISATION_MAX_CHARS)
}

/// Trims a user name and refuses an overlong one (empty means "not set").
pub fn parse_user_name(name: &str) -> Result<String> {
    short_text("user_name", name, USER_NAME_MAX_CHARS)
}

fn short_text(field: &'static str, text: &str, max: usize) -> Result<String> {
    let mut errors = Vec::new();
    let text = crate::text::check(&mut errors, field, text, max, false, crate::text::Kind::Line);
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(Error::invalid(errors, labels))
    }
}

/// Reads a language tag from the UI, refusing anything Yunwei does not speak.
pub fn parse_language(tag: &str) -> Result<Lang> {
    Lang::from_tag(tag).ok_or_else(|| {
        Error::invalid(vec![FieldError::new("language", Rule::Unknown { value: tag.to_owned() })], labels)
    })
}

/// How Settings names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "logo" => ("标志图片", "Logo"),
        "language" => ("语言", "Language"),
        "user_name" => ("当前用户", "Current user"),
        "organisation" => ("服务单位名称", "Organisation"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_checked() {
        assert_eq!(parse_language("en").unwrap(), Lang::En);
        let err = parse_language("klingon").unwrap_err();
        assert_eq!(err.code(), "validation");
        assert_eq!(err.fields()[0].field, "language");
    }
}
