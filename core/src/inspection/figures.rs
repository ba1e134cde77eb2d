//! The figures of routine service: a numeric item's trend, and a month's runs, abnormal
//! answers, incidents raised, missed runs and the client's backups (the 巡检月报 and the
//! Dashboard read these).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::backups::BackupCompliance;
use crate::quality::XmrChart;

/// One numeric item of a plan over time, with its normal range and control chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "InspectionTrend")]
pub struct Trend {
    pub plan_id: String,
    pub key: String,
    pub title: String,
    pub unit: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[ts(type = "Array<string>")]
    pub dates: Vec<NaiveDate>,
    pub values: Vec<f64>,
    /// Outside the normal range (or marked abnormal).
    pub abnormal: Vec<bool>,
    /// The XmR chart of the readings (two or more), flagging drifts by the control rules.
    pub chart: Option<XmrChart>,
    /// Readings above the upper control limit: a burst (突发的大量写入 for write volume).
    #[ts(type = "Array<string>")]
    pub bursts: Vec<NaiveDate>,
}

/// A plan's month: planned, done, on time, missed, abnormal answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionPlanMonth")]
pub struct PlanMonth {
    pub plan_id: String,
    pub name: String,
    pub planned: u32,
    pub done: u32,
    pub on_time: u32,
    pub missed: u32,
    pub abnormal: u32,
}

/// A count under a name (abnormal answers by category or asset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Counted {
    pub name: String,
    pub count: u32,
}

/// An incident raised from the month's inspections and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RaisedRow {
    pub number: String,
    pub status: String,
    pub plan_name: String,
    pub item: String,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
}

/// A missed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MissedRow {
    pub plan_name: String,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    pub assignee: String,
}

/// The month's routine service in figures: the 巡检月报 and the 运维月报's section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionMonth")]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub plans: Vec<PlanMonth>,
    pub total: PlanMonth,
    pub by_category: Vec<Counted>,
    pub by_asset: Vec<Counted>,
    pub incidents: Vec<RaisedRow>,
    pub missed: Vec<MissedRow>,
    pub backups: BackupCompliance,
}

/// One event in an asset's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryEntry {
    /// `inspection`, `incident` or `maintenance`.
    pub kind: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The run's plan, the incident's number and title, the work order's number and title.
    pub title: String,
    /// Where it stands, in words.
    pub state: String,
    /// The run, incident or work order id.
    pub id: String,
}
