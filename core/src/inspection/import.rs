//! Machine-collected readings (`yunwei inspection import FILE`): CSV or JSON rows of plan (or
//! asset), time, item and value, read into rows here; which run and item each row fills is the
//! service's to find (`app::inspection::import_readings`). The format is in
//! `docs/inspection-import.md`.

use serde::Deserialize;

use crate::{Error, Result};

/// One row of a readings file, as written (`row`: the line of the CSV file it is on, the header
/// being line 1; the position of the object, from 1, in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ReadingRow {
    #[serde(skip)]
    pub row: usize,
    /// The plan's name or id.
    pub plan: String,
    /// Or the asset's name, when the plan is not given.
    pub asset: String,
    /// RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (service time).
    pub time: String,
    /// The item's key or title.
    pub item: String,
    pub value: String,
    pub note: String,
}

/// The headers a CSV column may have, for each field (English or Chinese, any case).
const HEADERS: [(&str, &[&str]); 6] = [
    ("plan", &["plan", "计划", "巡检计划"]),
    ("asset", &["asset", "资产", "设备"]),
    ("time", &["time", "时间", "日期"]),
    ("item", &["item", "检查项", "项目"]),
    ("value", &["value", "读数", "值", "结果"]),
    ("note", &["note", "备注"]),
];

/// Reads `bytes` as JSON (an array of objects, or `{ "readings": [...] }`) when it starts with
/// `[` or `{`, else as CSV with a header row.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<ReadingRow>> {
    let text = crate::people::import::decode_text(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum File {
            Rows(Vec<JsonRow>),
            Wrapped { readings: Vec<JsonRow> },
        }
        let file: File =
            serde_json::from_str(trimmed).map_err(|e| Error::ImportFormat(format!("JSON: {e}")))?;
        let rows = match file {
            File::Rows(rows) | File::Wrapped { readings: rows } => rows,
        };
        return Ok(rows.into_iter().enumerate().map(|(i, r)| r.into_row(i + 1)).collect());
    }
    // Each record with the line it starts on, so a refused row is named as the file numbers it.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table: Vec<(usize, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::ImportFormat(format!("CSV: {e}")))?;
        // The reader's position is where a run of blank lines before the record begins.
        let line = record.position().map_or(table.len() + 1, |p| {
            let start = p.byte() as usize;
            let skipped = text[start..].len() - text[start..].trim_start_matches(['\r', '\n']).len();
            text[..start + skipped].matches('\n').count() + 1
        });
        table.push((line, record.iter().map(|c| c.trim().to_owned()).collect()));
    }
    let Some(((_, header), body)) = table.split_first() else { return Ok(Vec::new()) };
    let index = |field: &str| {
        let names = HEADERS.iter().find(|(f, _)| *f == field).map_or(&[][..], |(_, n)| n);
        header.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let missing: Vec<&str> = ["time", "item", "value"].into_iter().filter(|f| index(f).is_none()).collect();
    if !missing.is_empty() || (index("plan").is_none() && index("asset").is_none()) {
        return Err(Error::ImportFormat(format!(
            "CSV: the header row needs time, item, value and plan or asset (missing: {})",
            if missing.is_empty() { "plan/asset".to_owned() } else { missing.join(", ") }
        )));
    }
    let cell =
        |row: &[String], field: &str| index(field).and_then(|i| row.get(i)).cloned().unwrap_or_default();
    Ok(body
        .iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, r)| ReadingRow {
            row: *line,
            plan: cell(r, "plan"),
            asset: cell(r, "asset"),
            time: cell(r, "time"),
            item: cell(r, "item"),
            value: cell(r, "value"),
            note: cell(r, "note"),
        })
        .collect())
}

/// A JSON row: values may be numbers or booleans as well as text.
#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
struct JsonRow {
    plan: String,
    asset: String,
    time: String,
    item: String,
    value: serde_json::Value,
    note: String,
}

impl JsonRow {
    fn into_row(self, row: usize) -> ReadingRow {
        let value = match self.value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(true) => "pass".into(),
            serde_json::Value::Bool(false) => "fail".into(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        ReadingRow {
            row,
            plan: self.plan,
            asset: self.asset,
            time: self.time,
            item: self.item,
            value,
            note: self.note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_chinese_headers_and_json_read_alike() {
        let csv = "计划,时间,检查项,读数\n数据库日检,2026-11-27 09:00,db-free,120\n\n数据库日检,2026-11-27,writes,\"1,024\"\n";
        let rows = read_rows(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].item.as_str(), rows[0].value.as_str()), (2, "db-free", "120"));
        assert_eq!((rows[1].row, rows[1].value.as_str()), (4, "1,024"));
        let json = r#"{"readings": [{"asset": "OA 数据库", "time": "2026-11-27T09:00:00+08:00", "item": "db-log", "value": true},
                                     {"plan": "p", "time": "2026-11-27", "item": "db-free", "value": 12.5}]}"#;
        let rows = read_rows(json.as_bytes()).unwrap();
        assert_eq!((rows[0].asset.as_str(), rows[0].value.as_str()), ("OA 数据库", "pass"));
        assert_eq!((rows[1].row, rows[1].value.as_str()), (2, "12.5"));
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused_whole() {
        let err = read_rows("plan,item\nx,y\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("time, value"), "{err}");
        assert!(read_rows(b"[{\"plan\": 1").is_err());
    }
}
