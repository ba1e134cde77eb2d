//! The incident import file, format version 1 (`docs/import-format.md`). Its own structs, so
//! renaming a field for the window never changes what a file must say; strict, so a misspelt
//! field (`"descripton"`) is refused by name instead of dropped; bounded, so a huge or endless
//! input is refused before it is read whole.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{ImportEvent, ImportFile, ImportRecord, NewIncident};
use crate::timeline::{NewEvent, ReportFields};
use crate::{Error, Result};

/// Files above this size are refused unread (100,000 incidents with their timelines take about
/// 40 MB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A file read for import: its records, and its identity (the SHA-256 of its bytes).
#[derive(Debug)]
pub struct ReadImport {
    pub file: ImportFile,
    pub sha256: String,
}

/// Reads and parses the import file at `path`.
pub fn read(path: &Path) -> Result<ReadImport> {
    let file = std::fs::File::open(path).map_err(|e| Error::file(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::file(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::ImportTooLarge { max_mb: MAX_FILE_BYTES >> 20 });
    }
    parse(&bytes)
}

/// Parses an import file's bytes: UTF-8 with or without a byte-order mark, JSON of format 1.
pub fn parse(bytes: &[u8]) -> Result<ReadImport> {
    let sha256 = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let (line, column) = position(&body[..e.valid_up_to()]);
        Error::ImportEncoding { line, column }
    })?;
    let parsed: FileV1 = serde_json::from_str(text)
        .map_err(|e| Error::ImportFormat(crate::i18n::quote(&e.to_string(), 300).into_owned()))?;
    Ok(ReadImport { file: parsed.into(), sha256 })
}

/// The line and column (both from 1, columns in characters) just after `before`.
fn position(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    incidents: Vec<RecordV1>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordV1 {
    #[serde(default)]
    external_id: Option<String>,
    title: String,
    level: String,
    channel: String,
    reported_at: String,
    #[serde(default)]
    reporter: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    events: Vec<EventV1>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventV1 {
    kind: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    report: ReportV1,
    #[serde(default)]
    actor: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ReportV1 {
    fault_type: String,
    cause: String,
    method: String,
    losses: String,
    data_protection: String,
    follow_up: String,
}

impl From<FileV1> for ImportFile {
    fn from(file: FileV1) -> Self {
        ImportFile { incidents: file.incidents.into_iter().map(ImportRecord::from).collect() }
    }
}

impl From<RecordV1> for ImportRecord {
    fn from(r: RecordV1) -> Self {
        ImportRecord {
            external_id: r.external_id,
            incident: NewIncident {
                title: r.title,
                level: r.level,
                channel: r.channel,
                reported_at: r.reported_at,
                reporter: r.reporter,
                description: r.description,
                system: r.system,
            },
            events: r.events.into_iter().map(ImportEvent::from).collect(),
        }
    }
}

impl From<EventV1> for ImportEvent {
    fn from(e: EventV1) -> Self {
        let report = e.report;
        ImportEvent {
            event: NewEvent {
                kind: e.kind,
                occurred_at: e.occurred_at,
                reason: e.reason,
                summary: e.summary,
                person: e.person,
                person_id: String::new(),
                text: e.text,
                level: e.level,
                plan: e.plan,
                report: ReportFields {
                    fault_type: report.fault_type,
                    cause: report.cause,
                    method: report.method,
                    losses: report.losses,
                    data_protection: report.data_protection,
                    follow_up: report.follow_up,
                },
            },
            actor: e.actor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"incidents": [{"title": "白屏", "level": "I", "channel": "onsite",
        "reported_at": "2026-11-02T09:00:00+08:00", "external_id": "GLPI-42",
        "events": [{"kind": "responded", "occurred_at": "2026-11-02T09:20:00+08:00", "actor": "张伟"}]}]}"#;

    #[test]
    fn a_file_parses_into_records_with_their_key_and_identity() {
        let read = parse(ONE.as_bytes()).unwrap();
        let record = &read.file.incidents[0];
        assert_eq!(record.external_id.as_deref(), Some("GLPI-42"));
        assert_eq!(record.incident.title, "白屏");
        assert_eq!(record.events[0].actor.as_deref(), Some("张伟"));
        assert_eq!(read.sha256.len(), 64);
        assert_ne!(read.sha256, parse(ONE.replace("白屏", "黑屏").as_bytes()).unwrap().sha256);
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), ONE.as_bytes()].concat();
        assert_eq!(parse(&with_bom).unwrap().file, parse(ONE.as_bytes()).unwrap().file);
    }

    #[test]
    fn a_misspelt_field_is_refused_by_name() {
        for (json, field) in [
            (ONE.replace("\"title\"", "\"titel\""), "titel"),
            (ONE.replace("\"actor\"", "\"actr\""), "actr"),
            (ONE.replace("{\"incidents\"", "{\"version\": 1, \"incidents\""), "version"),
        ] {
            let Err(Error::ImportFormat(message)) = parse(json.as_bytes()) else {
                panic!("{field} is refused")
            };
            assert!(message.contains(&format!("unknown field `{field}`")), "{message}");
        }
    }

    #[test]
    fn bad_bytes_are_placed_by_line_and_column() {
        let bad = [b"{\"incidents\": [\n  {\"title\": \"".as_slice(), b"\xFF\xFE", b"\"}]}"].concat();
        match parse(&bad) {
            Err(Error::ImportEncoding { line, column }) => assert_eq!((line, column), (2, 14)),
            other => panic!("{other:?}"),
        }
        let surrogate = ONE.replace("白屏", "\\ud800");
        let Err(Error::ImportFormat(message)) = parse(surrogate.as_bytes()) else {
            panic!("a lone surrogate")
        };
        assert!(message.contains("line 1 column"), "{message}");
    }

    #[test]
    fn a_quoted_value_in_an_error_is_cut_short() {
        let long = format!(r#"{{"incidents": [{{"title": 5, "level": "{}"}}]}}"#, "x".repeat(100_000));
        let Err(Error::ImportFormat(message)) = parse(long.as_bytes()) else { panic!("refused") };
        assert!(message.chars().count() <= 301, "{} characters", message.chars().count());
    }

    #[test]
    #[cfg(unix)]
    fn an_endless_input_is_refused_before_it_fills_memory() {
        match read(Path::new("/dev/zero")) {
            Err(Error::ImportTooLarge { max_mb: 64 }) => {}
            other => panic!("{other:?}"),
        }
    }
}
