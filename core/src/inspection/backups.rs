//! The client's backups (客户系统备份) as records, and the plan's rule for them: "除了对全系统进行
//! 每月一次的备份外，还对修改过的数据进行每周一次的备份…存放在不同的服务器上", with a restore test
//! each quarter. [`compliance`] answers, for a month: the full done? copied off the server? every
//! weekly incremental done? a restore tested this quarter?

use chrono::{DateTime, Datelike, Duration, IsoWeek, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Rule;
use crate::text::Kind;
use crate::zone::service_date;
use crate::{Error, FieldError, Lang, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Full,
    Incremental,
    /// A backup restored to a test system and checked.
    RestoreTest,
}

impl BackupKind {
    pub const ALL: [BackupKind; 3] = [BackupKind::Full, BackupKind::Incremental, BackupKind::RestoreTest];

    pub fn code(self) -> &'static str {
        match self {
            BackupKind::Full => "full",
            BackupKind::Incremental => "incremental",
            BackupKind::RestoreTest => "restore_test",
        }
    }

    pub fn from_code(code: &str) -> Option<BackupKind> {
        BackupKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            BackupKind::Full => lang.pick("全量备份", "Full backup"),
            BackupKind::Incremental => lang.pick("增量备份", "Incremental backup"),
            BackupKind::RestoreTest => lang.pick("恢复测试", "Restore test"),
        }
    }
}

/// One backup of a client system, or one restore test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClientBackup {
    pub id: String,
    pub kind: BackupKind,
    /// The system backed up (an asset's name, or as typed).
    pub system: String,
    pub asset_id: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub size_bytes: Option<i64>,
    pub checksum: String,
    /// Where the copy is kept (another server, a tape, a site).
    pub location: String,
    /// The copy is on another server than the system's.
    pub off_server: bool,
    /// The backup completed, or the restore test passed.
    pub succeeded: bool,
    pub made_by: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The backup form as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ClientBackupForm {
    /// One of the [`BackupKind`] codes.
    pub kind: String,
    pub system: String,
    pub asset_id: String,
    /// RFC 3339.
    pub started_at: String,
    pub finished_at: String,
    /// Bytes, or with a unit: `12 GB`, `800 MB`.
    pub size: String,
    pub checksum: String,
    pub location: String,
    pub off_server: bool,
    pub succeeded: bool,
    pub made_by: String,
    pub note: String,
}

impl Default for ClientBackupForm {
    fn default() -> Self {
        ClientBackupForm {
            kind: String::new(),
            system: String::new(),
            asset_id: String::new(),
            started_at: String::new(),
            finished_at: String::new(),
            size: String::new(),
            checksum: String::new(),
            location: String::new(),
            off_server: false,
            succeeded: true,
            made_by: String::new(),
            note: String::new(),
        }
    }
}

impl ClientBackupForm {
    /// Checks every field; the record gets `id` and `created_at`.
    pub fn validate(&self, id: String, now: DateTime<Utc>) -> Result<ClientBackup> {
        let mut errors = Vec::new();
        let kind = BackupKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::NotChosen));
        }
        let line = |errors: &mut Vec<FieldError>, field: &'static str, value: &str, max, required| {
            crate::text::check(errors, field, value, max, required, Kind::Line)
        };
        let system = line(&mut errors, "system", &self.system, 60, true);
        let checksum = line(&mut errors, "checksum", &self.checksum, 200, false);
        let location = line(&mut errors, "location", &self.location, 200, false);
        let made_by = line(&mut errors, "made_by", &self.made_by, 50, false);
        let note = crate::text::check(&mut errors, "note", &self.note, 500, false, Kind::Block);
        let started_at = crate::instant::parse_past_instant(&mut errors, "started_at", &self.started_at, now);
        let finished_at =
            crate::instant::parse_past_instant(&mut errors, "finished_at", &self.finished_at, now);
        if let (Some(s), Some(f)) = (started_at, finished_at) {
            if f < s {
                errors.push(FieldError::new("finished_at", Rule::DatesOutOfOrder));
            }
        }
        let size_bytes = match crate::text::trim(&self.size) {
            "" => None,
            text => {
                let parsed = parse_size(text);
                if parsed.is_none() {
                    errors.push(FieldError::new("size", Rule::NotNumeric));
                }
                parsed
            }
        };
        if kind == Some(BackupKind::Full) && self.off_server && location.is_empty() {
            errors.push(FieldError::new("location", Rule::Required));
        }
        match (kind, started_at, finished_at) {
            (Some(kind), Some(started_at), Some(finished_at)) if errors.is_empty() => Ok(ClientBackup {
                id,
                kind,
                system,
                asset_id: Some(self.asset_id.trim().to_owned()).filter(|a| !a.is_empty()),
                started_at,
                finished_at,
                size_bytes,
                checksum,
                location,
                off_server: self.off_server,
                succeeded: self.succeeded,
                made_by,
                note,
                created_at: now,
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// `123`, `12 GB`, `1.5T`, `800MB`, `64 KiB` as bytes.
pub fn parse_size(text: &str) -> Option<i64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_alphabetic()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number = super::template::parse_number(number)?;
    let power = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 1,
        "M" => 2,
        "G" => 3,
        "T" => 4,
        _ => return None,
    };
    let bytes = number * 1024f64.powi(power);
    (0.0..9.0e18).contains(&bytes).then_some(bytes.round() as i64)
}

/// Whether one requirement of the month is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BackupCheck")]
pub enum Check {
    Done,
    Missing,
    /// Its period has not ended yet and it is not done.
    Pending,
}

impl Check {
    fn of(done: bool, ended: bool) -> Check {
        match (done, ended) {
            (true, _) => Check::Done,
            (false, true) => Check::Missing,
            (false, false) => Check::Pending,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Check::Done => lang.pick("已完成", "Done"),
            Check::Missing => lang.pick("缺失", "Missing"),
            Check::Pending => lang.pick("未到期", "Pending"),
        }
    }
}

/// One ISO week of the month (a week belongs to the month of its Thursday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekCheck {
    /// `2026-W49`.
    pub week: String,
    #[ts(type = "string")]
    pub monday: NaiveDate,
    pub incremental: Check,
}

/// The month's backups against the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupCompliance {
    /// `YYYY-MM`.
    pub month: String,
    pub full: Check,
    /// A successful full of the month has its copy on another server.
    pub off_server: Check,
    pub weeks: Vec<WeekCheck>,
    /// A passing restore test in the month's quarter, up to the month's end.
    pub restore_test: Check,
    /// Every requirement done (a pending one is not a failure yet).
    pub compliant: bool,
}

/// The requirements of the month beginning `first` against `records`, as of `today`.
pub fn compliance(first: NaiveDate, records: &[ClientBackup], today: NaiveDate) -> BackupCompliance {
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let in_range = |r: &ClientBackup, from: NaiveDate, to: NaiveDate| {
        let day = service_date(r.finished_at);
        r.succeeded && day >= from && day < to
    };
    let month_ended = today >= next;
    let fulls: Vec<&ClientBackup> =
        records.iter().filter(|r| r.kind == BackupKind::Full && in_range(r, first, next)).collect();
    let full = Check::of(!fulls.is_empty(), month_ended);
    let off_server = Check::of(fulls.iter().any(|r| r.off_server), month_ended);
    let mut weeks = Vec::new();
    let mut monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    while monday < next {
        let thursday = monday + Duration::days(3);
        if thursday >= first && thursday < next {
            let sunday_after = monday + Duration::days(7);
            // A full backup that week covers the changed data too.
            let done = records.iter().any(|r| {
                matches!(r.kind, BackupKind::Incremental | BackupKind::Full)
                    && in_range(r, monday, sunday_after)
            });
            weeks.push(WeekCheck {
                week: week_label(monday.iso_week()),
                monday,
                incremental: Check::of(done, today >= sunday_after),
            });
        }
        monday += Duration::days(7);
    }
    let quarter_first =
        NaiveDate::from_ymd_opt(first.year(), (first.month() - 1) / 3 * 3 + 1, 1).unwrap_or(first);
    let quarter_ends = quarter_first.checked_add_months(chrono::Months::new(3)).unwrap_or(next);
    let tested =
        records.iter().any(|r| r.kind == BackupKind::RestoreTest && in_range(r, quarter_first, next));
    let restore_test = Check::of(tested, today >= quarter_ends && next >= quarter_ends);
    let compliant = [full, off_server, restore_test]
        .into_iter()
        .chain(weeks.iter().map(|w| w.incremental))
        .all(|c| c != Check::Missing);
    BackupCompliance {
        month: first.format("%Y-%m").to_string(),
        full,
        off_server,
        weeks,
        restore_test,
        compliant,
    }
}

fn week_label(week: IsoWeek) -> String {
    format!("{}-W{:02}", week.year(), week.week())
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "kind" => lang.pick("类型", "Kind"),
        "system" => lang.pick("系统", "System"),
        "started_at" => lang.pick("开始时间", "Started"),
        "finished_at" => lang.pick("完成时间", "Finished"),
        "size" => lang.pick("大小", "Size"),
        "checksum" => lang.pick("校验和", "Checksum"),
        "location" => lang.pick("副本位置", "Copy kept at"),
        "made_by" => lang.pick("执行人", "Made by"),
        "note" => lang.pick("备注", "Note"),
        _ => return None,
    })
}
