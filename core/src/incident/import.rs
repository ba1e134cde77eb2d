//! The incident import file, format version 1 (`docs/import-format.md`). Its own structs, so
//! renaming a field for the window never changes what a file must say; strict, so a misspelt
//! field (`"descripton"`) is refused by name instead of dropped; bounded, so a huge or endless
//! input is refused before it is read whole.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{ImportEvent, ImportRecord, NewIncident};
use crate::timeline::{NewEvent, ReportFields};
use crate::{Error, Result};

/// Files above this size are refused (100,000 incidents with full timelines take 40–100 MB). The
/// file is read record by record, so the limit bounds the time an import takes, not memory.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// A file read whole for import (tests): its records, and its identity (the SHA-256 of its
/// bytes).
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct ReadImport {
    pub file: super::ImportFile,
    pub sha256: String,
}

/// An import file opened for reading: its identity and encoding checked in a first pass, its
/// records parsed one at a time in a second ([`ImportSource::each`]), so a file of 100,000
/// incidents is never held whole in memory.
#[derive(Debug)]
pub struct ImportSource {
    path: PathBuf,
    pub sha256: String,
}

/// How much of the file is read at a time.
const CHUNK: usize = 256 << 10;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Opens the import file at `path`: reads it once for its SHA-256, its size (refused above
/// [`MAX_FILE_BYTES`] before more is read) and its encoding (UTF-8, with or without a
/// byte-order mark; a bad byte is placed by line and column).
pub fn open(path: &Path) -> Result<ImportSource> {
    let file = File::open(path).map_err(|e| Error::file(path, e))?;
    let mut reader = file.take(MAX_FILE_BYTES + 1);
    let mut hasher = Sha256::new();
    let mut check = Utf8Check::default();
    let mut chunk = vec![0; CHUNK];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut chunk).map_err(|e| Error::file(path, e))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > MAX_FILE_BYTES {
            return Err(Error::ImportTooLarge { max_mb: MAX_FILE_BYTES >> 20 });
        }
        hasher.update(&chunk[..n]);
        check.feed(&chunk[..n])?;
    }
    check.finish()?;
    Ok(ImportSource { path: path.to_path_buf(), sha256: hex(&hasher.finalize()) })
}

impl ImportSource {
    /// Parses the file's records, handing each to `add` as soon as it is read; stops at the
    /// first error of either.
    pub fn each(&self, add: &mut dyn FnMut(&ImportRecord) -> Result<()>) -> Result<()> {
        let file = File::open(&self.path).map_err(|e| Error::file(&self.path, e))?;
        let mut reader = BufReader::with_capacity(CHUNK, file);
        let bom = reader.fill_buf().map_err(|e| Error::file(&self.path, e))?.starts_with(BOM);
        if bom {
            reader.consume(BOM.len());
        }
        parse_each(reader, add)
    }
}

/// Parses an import file's bytes: UTF-8 with or without a byte-order mark, JSON of format 1.
#[cfg(test)]
pub(crate) fn parse(bytes: &[u8]) -> Result<ReadImport> {
    let mut check = Utf8Check::default();
    check.feed(bytes)?;
    check.finish()?;
    let mut incidents = Vec::new();
    parse_each(bytes.strip_prefix(BOM).unwrap_or(bytes), &mut |record| {
        incidents.push(record.clone());
        Ok(())
    })?;
    Ok(ReadImport { file: super::ImportFile { incidents }, sha256: hex(&Sha256::digest(bytes)) })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that bytes fed in pieces are UTF-8 (a character may be split between pieces), and
/// places the first bad byte by line and column (both from 1, columns in characters, a leading
/// byte-order mark not counted).
#[derive(Default)]
struct Utf8Check {
    /// The start of a character (or of the byte-order mark) cut by the end of the last piece.
    pending: Vec<u8>,
    line: usize,
    column: usize,
    started: bool,
}

impl Utf8Check {
    fn feed(&mut self, piece: &[u8]) -> Result<()> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(piece);
        let mut body = bytes.as_slice();
        if !self.started {
            if body.len() < BOM.len() && BOM.starts_with(body) {
                self.pending = bytes;
                return Ok(());
            }
            self.started = true;
            body = body.strip_prefix(BOM).unwrap_or(body);
        }
        match std::str::from_utf8(body) {
            Ok(text) => self.advance(text),
            Err(e) => {
                let (valid, rest) = body.split_at(e.valid_up_to());
                self.advance(std::str::from_utf8(valid).unwrap_or_default());
                if e.error_len().is_some() {
                    return Err(self.error());
                }
                self.pending = rest.to_vec();
            }
        }
        Ok(())
    }

    fn advance(&mut self, text: &str) {
        match text.rfind('\n') {
            Some(last) => {
                self.line += text.matches('\n').count();
                self.column = text[last + 1..].chars().count();
            }
            None => self.column += text.chars().count(),
        }
    }

    fn error(&self) -> Error {
        Error::ImportEncoding { line: self.line + 1, column: self.column + 1 }
    }

    /// The end of the input: a character cut short there is a bad byte too.
    fn finish(self) -> Result<()> {
        if self.started && !self.pending.is_empty() {
            return Err(self.error());
        }
        Ok(())
    }
}

/// Parses JSON of format 1 from `reader`, handing each record to `add` as it is read.
fn parse_each(reader: impl Read, add: &mut dyn FnMut(&ImportRecord) -> Result<()>) -> Result<()> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut stopped = None;
    let parsed = FileSeed { add, stopped: &mut stopped }.deserialize(&mut de).and_then(|()| de.end());
    if let Some(error) = stopped {
        return Err(error);
    }
    parsed.map_err(|e| Error::ImportFormat(format!("JSON: {}", crate::i18n::quote(&e.to_string(), 294))))
}

/// The file's object, whose one field `incidents` is read record by record.
struct FileSeed<'a> {
    add: &'a mut dyn FnMut(&ImportRecord) -> Result<()>,
    /// The error `add` stopped the parse with.
    stopped: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with the field `incidents`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let FileSeed { add, stopped } = self;
        let mut records = Some(RecordsSeed { add, stopped });
        while let Some(key) = map.next_key::<String>()? {
            if key != "incidents" {
                return Err(de::Error::unknown_field(&key, &["incidents"]));
            }
            let Some(seed) = records.take() else { return Err(de::Error::duplicate_field("incidents")) };
            map.next_value_seed(seed)?;
        }
        match records {
            Some(_) => Err(de::Error::missing_field("incidents")),
            None => Ok(()),
        }
    }
}

/// The `incidents` array, each record handed on as soon as it is read.
struct RecordsSeed<'a> {
    add: &'a mut dyn FnMut(&ImportRecord) -> Result<()>,
    stopped: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of incidents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(record) = seq.next_element::<RecordV1>()? {
            if let Err(error) = (self.add)(&record.into()) {
                *self.stopped = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
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
                contingency: String::new(),
                report: ReportFields {
                    fault_type: report.fault_type,
                    cause: report.cause,
                    method: report.method,
                    losses: report.losses,
                    data_protection: report.data_protection,
                    follow_up: report.follow_up,
                    ..Default::default()
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
    fn the_encoding_check_is_the_same_however_the_file_is_cut_into_pieces() {
        let bad =
            [b"\xEF\xBB\xBF{\"incidents\": [\n  {\"title\": \"\xE7\x99\xBD".as_slice(), b"\xFF", b"\"}]}"]
                .concat();
        for size in [1, 2, 3, 5, 1000] {
            let mut check = Utf8Check::default();
            let found = bad.chunks(size).try_for_each(|piece| check.feed(piece));
            match found {
                Err(Error::ImportEncoding { line, column }) => {
                    assert_eq!((line, column), (2, 15), "pieces of {size}")
                }
                other => panic!("pieces of {size}: {other:?}"),
            }
        }
        let mut check = Utf8Check::default();
        check.feed(b"{\"a\": \"\xE7\x99").unwrap();
        assert!(
            matches!(check.finish(), Err(Error::ImportEncoding { line: 1, column: 8 })),
            "cut short at the end"
        );
    }

    #[test]
    fn a_file_is_read_record_by_record_with_the_identity_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        let two = ONE.replace(
            "}]}]}",
            "}]}, {\"title\": \"黑屏\", \"level\": \"II\", \"channel\": \"email\",
            \"reported_at\": \"2026-11-02T10:00:00+08:00\"}]}",
        );
        std::fs::write(&path, [BOM, two.as_bytes()].concat()).unwrap();
        let source = open(&path).unwrap();
        assert_eq!(source.sha256, parse(&std::fs::read(&path).unwrap()).unwrap().sha256);
        let mut titles = Vec::new();
        source
            .each(&mut |record| {
                titles.push(record.incident.title.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(titles, ["白屏", "黑屏"]);
        let mut seen = 0;
        let stopped = source.each(&mut |_| {
            seen += 1;
            Err(Error::Corrupt("stop".into()))
        });
        assert!(matches!(stopped, Err(Error::Corrupt(_))), "the reader's own error comes back: {stopped:?}");
        assert_eq!(seen, 1, "nothing is read after it");
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
        match open(Path::new("/dev/zero")) {
            Err(Error::ImportTooLarge { max_mb: 256 }) => {}
            other => panic!("{other:?}"),
        }
    }
}
