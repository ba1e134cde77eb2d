//! The one rule for text that reaches the store, from a form, an import or the command line:
//! trimmed, within its length, and free of characters a person cannot see or that would change
//! how a terminal, a PDF or the screen shows it — control characters (NUL, escape codes), and
//! the bidirectional overrides that make text read in another order than it is stored. Tab and
//! newline are allowed only in long text. A value of nothing but spaces and zero-width
//! characters is blank.

use std::borrow::Cow;

use crate::error::{FieldError, Rule};

/// Where a text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line: a title, a name, a number.
    Line,
    /// Long text: a description, an analysis; tabs and line breaks are kept.
    Block,
}

/// Checks `value` for `field` and returns it trimmed, with `\r\n` as `\n` in a block. Adds a
/// refusal to `errors` when it is blank but `required`, longer than `max` characters, or holds
/// a character [`forbidden`] here.
pub fn check(
    errors: &mut Vec<FieldError>,
    field: impl Into<Cow<'static, str>>,
    value: &str,
    max: usize,
    required: bool,
    kind: Kind,
) -> String {
    let field = field.into();
    let value = trim(value);
    let value = match kind {
        Kind::Block => value.replace("\r\n", "\n"),
        Kind::Line => value.to_owned(),
    };
    if value.chars().any(|c| forbidden(c, kind)) {
        errors.push(FieldError::new(field, Rule::ControlCharacters));
    } else if required && is_blank(&value) {
        errors.push(FieldError::new(field, Rule::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, Rule::TooLong { max }));
    }
    value
}

/// Nothing a reader would see: empty, whitespace, or zero-width characters only.
pub fn is_blank(value: &str) -> bool {
    value.chars().all(|c| c.is_whitespace() || invisible(c))
}

/// `value` without spaces and zero-width characters at either end.
pub fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || invisible(c))
}

/// Characters refused in text of `kind`: control characters (tab and line breaks only in a
/// block) and the bidirectional embeddings, overrides and isolates.
pub fn forbidden(c: char, kind: Kind) -> bool {
    let allowed_control = kind == Kind::Block && matches!(c, '\n' | '\t');
    (c.is_control() && !allowed_control) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Zero-width characters that take no room: spaces, joiners, the word joiner and the BOM.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// `value` safe to print on a terminal: every control character (escape codes included) shown
/// as its `\u{…}` escape, so a stored title cannot move the cursor or recolour the screen.
pub fn for_terminal(value: &str) -> Cow<'_, str> {
    if !value.chars().any(|c| forbidden(c, Kind::Line)) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .chars()
            .map(|c| if forbidden(c, Kind::Line) { c.escape_unicode().to_string() } else { c.to_string() })
            .collect(),
    )
}

/// A required `YYYY-MM-DD` on `field`.
pub fn required_date(
    errors: &mut Vec<FieldError>,
    field: impl Into<Cow<'static, str>>,
    value: &str,
) -> Option<chrono::NaiveDate> {
    let parsed = chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        let rule = if value.trim().is_empty() { Rule::Required } else { Rule::InvalidDate };
        errors.push(FieldError::new(field, rule));
    }
    parsed
}

/// A required `HH:MM` on `field`.
pub fn time_of_day(
    errors: &mut Vec<FieldError>,
    field: impl Into<Cow<'static, str>>,
    value: &str,
) -> Option<chrono::NaiveTime> {
    let parsed = chrono::NaiveTime::parse_from_str(value.trim(), "%H:%M").ok();
    if parsed.is_none() {
        let rule = if value.trim().is_empty() { Rule::Required } else { Rule::InvalidTimeOfDay };
        errors.push(FieldError::new(field, rule));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(value: &str, max: usize, required: bool, kind: Kind) -> (String, Vec<Rule>) {
        let mut errors = Vec::new();
        let out = check(&mut errors, "f", value, max, required, kind);
        (out, errors.into_iter().map(|e| e.rule).collect())
    }

    #[test]
    fn text_is_trimmed_and_kept() {
        assert_eq!(run("  OA 登录失败 \u{200B}", 20, true, Kind::Line), ("OA 登录失败".into(), vec![]));
        assert_eq!(run("第一行\r\n\t第二行", 20, false, Kind::Block), ("第一行\n\t第二行".into(), vec![]));
    }

    #[test]
    fn zero_width_only_is_blank() {
        assert_eq!(run("\u{200B}\u{200C} \u{FEFF}", 20, true, Kind::Line).1, vec![Rule::Required]);
        assert_eq!(run("", 20, false, Kind::Line).1, vec![]);
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        for bad in ["a\0b", "\u{1b}[31m红\u{1b}[0m", "a\nb", "tab\there", "abc\u{202E}fdp.exe", "x\u{2066}y"]
        {
            assert_eq!(run(bad, 50, true, Kind::Line).1, vec![Rule::ControlCharacters], "{bad:?}");
        }
        assert_eq!(run("a\0b", 50, false, Kind::Block).1, vec![Rule::ControlCharacters]);
        assert_eq!(run("a\u{7f}b", 50, false, Kind::Block).1, vec![Rule::ControlCharacters]);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(run(&"故".repeat(5), 5, true, Kind::Line).1, vec![]);
        assert_eq!(run(&"故".repeat(6), 5, true, Kind::Line).1, vec![Rule::TooLong { max: 5 }]);
    }

    #[test]
    fn terminals_see_escapes_not_codes() {
        assert_eq!(for_terminal("平常标题"), "平常标题");
        assert_eq!(for_terminal("\u{1b}[2J清屏"), "\\u{1b}[2J清屏");
    }
}
