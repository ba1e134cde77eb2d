//! User preferences that outlive a restart.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::{Error, Lang, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct Settings {
    pub language: Lang,
}

/// Reads a language tag from the UI, refusing anything Yunwei does not speak.
pub fn parse_language(tag: &str) -> Result<Lang> {
    Lang::from_tag(tag).ok_or_else(|| {
        Error::Validation(vec![FieldError::new("language", Rule::Unknown { value: tag.to_owned() })])
    })
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
