//! iCalendar files (RFC 5545) for phones' and desktop calendars: the duty rota and training
//! sessions. Times are written in UTC, text is escaped and lines are folded at 75 octets.

use chrono::{DateTime, Utc};

/// One event of a calendar file.
pub struct IcsEvent {
    /// Stable across exports, so a re-import updates instead of duplicating.
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
}

/// A whole calendar named `name`; `stamp` is the DTSTAMP of every event.
pub fn calendar(name: &str, events: &[IcsEvent], stamp: DateTime<Utc>) -> String {
    let utc = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//Yunwei//Yunwei//ZH".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    for e in events {
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", e.uid),
            format!("DTSTAMP:{}", utc(stamp)),
            format!("DTSTART:{}", utc(e.start)),
            format!("DTEND:{}", utc(e.end)),
            format!("SUMMARY:{}", escape(&e.summary)),
        ]);
        if !e.location.is_empty() {
            lines.push(format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

/// RFC 5545 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// RFC 5545 line folding: at most 75 octets per line, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}
