//! The asset register (资产台账: servers, databases, network devices, OA modules, each with the
//! person responsible, 专人负责) and maintenance work orders (维护工单) for the plan's §8 kinds,
//! with their states: requested → approved → done, or rejected / cancelled.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Explain, Rule};
use crate::text::Kind;
use crate::{Error, FieldError, Lang, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Server,
    Database,
    Network,
    /// An OA module (公文流转, 邮件, 门户…).
    Application,
}

impl AssetKind {
    pub const ALL: [AssetKind; 4] =
        [AssetKind::Server, AssetKind::Database, AssetKind::Network, AssetKind::Application];

    pub fn code(self) -> &'static str {
        match self {
            AssetKind::Server => "server",
            AssetKind::Database => "database",
            AssetKind::Network => "network",
            AssetKind::Application => "application",
        }
    }

    pub fn from_code(code: &str) -> Option<AssetKind> {
        AssetKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            AssetKind::Server => lang.pick("服务器", "Server"),
            AssetKind::Database => lang.pick("数据库", "Database"),
            AssetKind::Network => lang.pick("网络设备", "Network device"),
            AssetKind::Application => lang.pick("OA 模块", "OA module"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Asset {
    pub id: String,
    pub kind: AssetKind,
    pub name: String,
    /// The person responsible (a roster id).
    pub owner_id: Option<String>,
    pub location: String,
    /// Days between routine maintenance; a work order is proposed when one falls due.
    pub maintenance_days: Option<u16>,
    pub note: String,
    pub retired: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AssetForm {
    pub kind: String,
    pub name: String,
    pub owner_id: String,
    pub location: String,
    /// Whole days, or empty.
    pub maintenance_days: String,
    pub note: String,
    pub retired: bool,
}

impl AssetForm {
    /// Checks the fields; `old` is the asset being edited.
    pub fn validate(&self, id: String, old: Option<&Asset>, now: DateTime<Utc>) -> Result<Asset> {
        let mut errors = Vec::new();
        let kind = AssetKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::NotChosen));
        }
        let name = crate::text::check(&mut errors, "name", &self.name, 60, true, Kind::Line);
        let location = crate::text::check(&mut errors, "location", &self.location, 100, false, Kind::Line);
        let note = crate::text::check(&mut errors, "note", &self.note, 500, false, Kind::Block);
        let maintenance_days = match self.maintenance_days.trim() {
            "" => None,
            text => match text.parse::<u16>() {
                Ok(n) if (1..=3650).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("maintenance_days", Rule::OutOfRange { min: 1, max: 3650 }));
                    None
                }
            },
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(Asset {
                id,
                kind,
                name,
                owner_id: Some(self.owner_id.trim().to_owned()).filter(|o| !o.is_empty()),
                location,
                maintenance_days,
                note,
                retired: self.retired,
                created_at: old.map_or(now, |o| o.created_at),
                updated_at: now,
            }),
            _ => Err(Error::invalid(errors, asset_labels)),
        }
    }
}

/// The plan's §8 kinds of maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    Application,
    Data,
    Code,
    Hardware,
    /// Organisation and staff changes (机构、人员变动).
    Organisation,
}

impl WorkKind {
    pub const ALL: [WorkKind; 5] =
        [WorkKind::Application, WorkKind::Data, WorkKind::Code, WorkKind::Hardware, WorkKind::Organisation];

    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Application => "application",
            WorkKind::Data => "data",
            WorkKind::Code => "code",
            WorkKind::Hardware => "hardware",
            WorkKind::Organisation => "organisation",
        }
    }

    pub fn from_code(code: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            WorkKind::Application => lang.pick("应用维护", "Application"),
            WorkKind::Data => lang.pick("数据维护", "Data"),
            WorkKind::Code => lang.pick("代码维护", "Code"),
            WorkKind::Hardware => lang.pick("硬件维护", "Hardware"),
            WorkKind::Organisation => lang.pick("机构人员变动", "Organisation and staff"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkState {
    Requested,
    Approved,
    Done,
    Rejected,
    Cancelled,
}

impl WorkState {
    pub const ALL: [WorkState; 5] = [
        WorkState::Requested,
        WorkState::Approved,
        WorkState::Done,
        WorkState::Rejected,
        WorkState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkState::Requested => "requested",
            WorkState::Approved => "approved",
            WorkState::Done => "done",
            WorkState::Rejected => "rejected",
            WorkState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<WorkState> {
        WorkState::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            WorkState::Requested => lang.pick("待审批", "Requested"),
            WorkState::Approved => lang.pick("已批准", "Approved"),
            WorkState::Done => lang.pick("已完成", "Done"),
            WorkState::Rejected => lang.pick("已驳回", "Rejected"),
            WorkState::Cancelled => lang.pick("已取消", "Cancelled"),
        }
    }

    /// No further step.
    pub fn is_final(self) -> bool {
        matches!(self, WorkState::Done | WorkState::Rejected | WorkState::Cancelled)
    }
}

/// A step on a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum WorkStep {
    Approve {
        by: String,
    },
    Reject {
        by: String,
        reason: String,
    },
    /// Done: what happened; `rolled_back` when the change was undone by the rollback plan.
    Complete {
        by: String,
        result: String,
        rolled_back: bool,
    },
    Cancel {
        reason: String,
    },
}

impl WorkStep {
    fn target(&self) -> WorkState {
        match self {
            WorkStep::Approve { .. } => WorkState::Approved,
            WorkStep::Reject { .. } => WorkState::Rejected,
            WorkStep::Complete { .. } => WorkState::Done,
            WorkStep::Cancel { .. } => WorkState::Cancelled,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkOrder {
    pub id: String,
    /// `WO-2026-0001`.
    pub number: String,
    pub kind: WorkKind,
    pub asset_id: Option<String>,
    pub title: String,
    pub reason: String,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub risk: String,
    pub rollback: String,
    pub state: WorkState,
    pub requested_by: String,
    pub approved_by: String,
    pub approved_at: Option<DateTime<Utc>>,
    pub done_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub result: String,
    pub rolled_back: bool,
    /// The routine maintenance date it was made for (from the asset's interval).
    #[ts(type = "string | null")]
    pub routine_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct WorkOrderForm {
    pub kind: String,
    pub asset_id: String,
    pub title: String,
    pub reason: String,
    /// RFC 3339.
    pub window_start: String,
    pub window_end: String,
    pub risk: String,
    pub rollback: String,
    pub requested_by: String,
}

/// A work order form checked on its own.
pub struct ValidWorkOrder {
    pub kind: WorkKind,
    pub asset_id: Option<String>,
    pub title: String,
    pub reason: String,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub risk: String,
    pub rollback: String,
    pub requested_by: String,
}

impl WorkOrderForm {
    pub fn validate(&self) -> Result<ValidWorkOrder> {
        let mut errors = Vec::new();
        let kind = WorkKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::NotChosen));
        }
        let title = crate::text::check(&mut errors, "title", &self.title, 100, true, Kind::Line);
        let reason = crate::text::check(&mut errors, "reason", &self.reason, 1000, true, Kind::Block);
        let risk = crate::text::check(&mut errors, "risk", &self.risk, 1000, false, Kind::Block);
        let rollback = crate::text::check(&mut errors, "rollback", &self.rollback, 1000, false, Kind::Block);
        let requested_by =
            crate::text::check(&mut errors, "requested_by", &self.requested_by, 50, false, Kind::Line);
        let instant = |errors: &mut Vec<FieldError>, field: &'static str, text: &str| {
            match chrono::DateTime::parse_from_rfc3339(text.trim()) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    let rule = if text.trim().is_empty() { Rule::Required } else { Rule::InvalidTime };
                    errors.push(FieldError::new(field, rule));
                    None
                }
            }
        };
        let start = instant(&mut errors, "window_start", &self.window_start);
        let end = instant(&mut errors, "window_end", &self.window_end);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.push(FieldError::new("window_end", Rule::EndNotAfterStart));
            } else if e - s > Duration::days(31) {
                errors.push(FieldError::new("window_end", Rule::OutOfRange { min: 1, max: 31 }));
            }
        }
        match (kind, start, end) {
            (Some(kind), Some(window_start), Some(window_end)) if errors.is_empty() => Ok(ValidWorkOrder {
                kind,
                asset_id: Some(self.asset_id.trim().to_owned()).filter(|a| !a.is_empty()),
                title,
                reason,
                window_start,
                window_end,
                risk,
                rollback,
                requested_by,
            }),
            _ => Err(Error::invalid(errors, work_labels)),
        }
    }
}

/// A step the work order's state does not allow.
#[derive(Debug)]
pub struct StepRefused {
    pub number: String,
    pub from: WorkState,
    pub to: WorkState,
}

impl Explain for StepRefused {
    fn code(&self) -> &'static str {
        "work_order_step"
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "工单 {} 当前为“{}”，不能改为“{}”",
                self.number,
                self.from.name(lang),
                self.to.name(lang)
            ),
            Lang::En => format!(
                "Work order {} is {}; it cannot become {}",
                self.number,
                self.from.name(lang).to_lowercase(),
                self.to.name(lang).to_lowercase()
            ),
        }
    }
}

/// `order` after `step` at `now`: approval and rejection only from requested, completion only
/// once approved (a change is not made before it is approved), cancelling before it is done.
pub fn apply_step(order: &WorkOrder, step: &WorkStep, now: DateTime<Utc>) -> Result<WorkOrder> {
    let to = step.target();
    let allowed = matches!(
        (order.state, to),
        (WorkState::Requested, WorkState::Approved | WorkState::Rejected | WorkState::Cancelled)
            | (WorkState::Approved, WorkState::Done | WorkState::Cancelled)
    );
    if !allowed {
        return Err(Error::refused(StepRefused { number: order.number.clone(), from: order.state, to }));
    }
    let mut errors = Vec::new();
    let mut next = WorkOrder { state: to, updated_at: now, ..order.clone() };
    match step {
        WorkStep::Approve { by } => {
            next.approved_by = crate::text::check(&mut errors, "by", by, 50, true, Kind::Line);
            next.approved_at = Some(now);
        }
        WorkStep::Reject { by, reason } => {
            next.approved_by = crate::text::check(&mut errors, "by", by, 50, true, Kind::Line);
            next.approved_at = Some(now);
            next.result = crate::text::check(&mut errors, "reason", reason, 1000, true, Kind::Block);
        }
        WorkStep::Complete { by, result, rolled_back } => {
            next.done_by = crate::text::check(&mut errors, "by", by, 50, true, Kind::Line);
            next.result = crate::text::check(&mut errors, "result", result, 1000, true, Kind::Block);
            next.rolled_back = *rolled_back;
            next.done_at = Some(now);
        }
        WorkStep::Cancel { reason } => {
            next.result = crate::text::check(&mut errors, "reason", reason, 1000, true, Kind::Block);
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors, work_labels));
    }
    Ok(next)
}

/// The next routine maintenance date of an asset: its interval after the last routine order's
/// date (or, with none, after the asset was registered).
pub fn next_routine(asset: &Asset, last_done: Option<NaiveDate>) -> Option<NaiveDate> {
    let days = asset.maintenance_days?;
    if asset.retired {
        return None;
    }
    let from = last_done.unwrap_or_else(|| crate::zone::service_date(asset.created_at));
    Some(from + Duration::days(i64::from(days)))
}

pub fn asset_labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "kind" => lang.pick("类型", "Kind"),
        "name" => lang.pick("名称", "Name"),
        "owner_id" => lang.pick("负责人", "Responsible"),
        "location" => lang.pick("位置", "Location"),
        "maintenance_days" => lang.pick("维护周期（天）", "Maintenance interval (days)"),
        "note" => lang.pick("备注", "Note"),
        _ => return None,
    })
}

pub fn work_labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "kind" => lang.pick("维护类型", "Kind"),
        "title" => lang.pick("标题", "Title"),
        "reason" => lang.pick("原因", "Reason"),
        "window_start" => lang.pick("计划开始", "Window start"),
        "window_end" => lang.pick("计划结束", "Window end"),
        "risk" => lang.pick("风险评估", "Risk"),
        "rollback" => lang.pick("回退方案", "Rollback plan"),
        "requested_by" => lang.pick("申请人", "Requested by"),
        "by" => lang.pick("经办人", "By"),
        "result" => lang.pick("结果", "Result"),
        _ => return None,
    })
}
