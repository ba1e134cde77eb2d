//! Corrective actions (整改项): what a QA review, a drill or an inspection found that someone
//! must put right — one model for all three. Each has an owner and a due date, and is closed
//! only with evidence of what was done; a closed one may be reopened with a reason.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Explain;
use crate::text::Kind;
use crate::{Error, Lang, Result};

pub const TEXT_MAX_CHARS: usize = 2000;
/// A QA finding's action is due this many days after the review.
pub const QA_DUE_DAYS: i64 = 14;

/// Where an action comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A finding of a QA sample review (质量抽检).
    Qa,
    /// A finding of an emergency drill (演练).
    Drill,
    /// An abnormal inspection reading (巡检).
    Inspection,
    /// Raised by hand (a meeting, a complaint).
    Other,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Qa => "qa",
            Source::Drill => "drill",
            Source::Inspection => "inspection",
            Source::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Source> {
        [Source::Qa, Source::Drill, Source::Inspection, Source::Other].into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Closed,
}

/// One corrective action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CorrectiveAction {
    pub id: String,
    /// `ZG-2026-0001`.
    pub number: String,
    pub source: Source,
    /// What it came from, for a link: `sample/incident` ids, a drill's or a run's id.
    pub source_id: String,
    /// What it came from, as a reader names it ("质量抽检 INC-2026-0012").
    pub source_label: String,
    pub title: String,
    /// Who puts it right; empty until someone is named.
    pub owner: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// What was done, shown when closing (required then).
    pub evidence: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: String,
    /// Why it was opened again, the latest time.
    pub reopened_because: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl CorrectiveAction {
    /// Open past its due date, on `today` (service time).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == ActionStatus::Open && self.due < today
    }
}

/// The form that raises or edits an action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ActionForm {
    pub title: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
}

/// What the form says, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAction {
    pub title: String,
    pub owner: String,
    pub due: NaiveDate,
}

impl ActionForm {
    pub fn validate(&self) -> Result<ValidAction> {
        let mut errors = Vec::new();
        // What to put right may be a QA finding's note, lines and all.
        let title = crate::text::check(&mut errors, "title", &self.title, TEXT_MAX_CHARS, true, Kind::Block);
        let owner = crate::text::check(&mut errors, "owner", &self.owner, 50, true, Kind::Line);
        let due = crate::text::required_date(&mut errors, "due", &self.due);
        match due {
            Some(due) if errors.is_empty() => Ok(ValidAction { title, owner, due }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// Checks the evidence of a close, or the reason of a reopening, on `field`.
pub fn required_text(field: &'static str, value: &str) -> Result<String> {
    let mut errors = Vec::new();
    let text = crate::text::check(&mut errors, field, value, TEXT_MAX_CHARS, true, Kind::Block);
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(Error::invalid(errors, labels))
    }
}

/// A change that does not fit the action's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongState {
    pub number: String,
    /// The state it is in.
    pub status: ActionStatus,
}

impl Explain for WrongState {
    fn code(&self) -> &'static str {
        "corrective_action_state"
    }

    fn message(&self, lang: Lang) -> String {
        match (self.status, lang) {
            (ActionStatus::Closed, Lang::ZhCn) => format!("整改项 {} 已关闭，请先重新打开", self.number),
            (ActionStatus::Closed, Lang::En) => {
                format!("Corrective action {} is closed; reopen it first", self.number)
            }
            (ActionStatus::Open, Lang::ZhCn) => format!("整改项 {} 尚未关闭", self.number),
            (ActionStatus::Open, Lang::En) => format!("Corrective action {} is not closed", self.number),
        }
    }
}

/// What a period's actions came to, for the monthly report and the Dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActionCounts {
    /// Raised in the period.
    pub raised: u32,
    /// Closed in the period.
    pub closed: u32,
    /// Open at the end of the period.
    pub open: u32,
    /// Of those, past their due date.
    pub overdue: u32,
}

/// A month's QA sampling and what came of it, for the monthly report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QaFigures {
    /// Incidents drawn by the samples of the period.
    pub sampled: u32,
    pub reviewed: u32,
    pub findings: u32,
    pub actions: ActionCounts,
}

impl QaFigures {
    /// The monthly report's lines.
    pub fn lines(&self, lang: Lang) -> [String; 2] {
        let a = &self.actions;
        match lang {
            Lang::ZhCn => [
                format!("质量抽检：本月抽取 {} 件，已复核 {} 件，发现问题 {} 项。", self.sampled, self.reviewed, self.findings),
                format!(
                    "整改项：本月新增 {} 项，关闭 {} 项；月末未关闭 {} 项，其中逾期 {} 项。",
                    a.raised, a.closed, a.open, a.overdue
                ),
            ],
            Lang::En => [
                format!(
                    "QA sampling: {} incidents drawn this month, {} reviewed, {} findings.",
                    self.sampled, self.reviewed, self.findings
                ),
                format!(
                    "Corrective actions: {} raised and {} closed this month; {} open at its end, {} of them overdue.",
                    a.raised, a.closed, a.open, a.overdue
                ),
            ],
        }
    }
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "title" => lang.pick("整改内容", "What to put right"),
        "owner" => lang.pick("责任人", "Owner"),
        "due" => lang.pick("完成期限", "Due"),
        "evidence" => lang.pick("整改证据", "Evidence"),
        "reason" => lang.pick("重新打开原因", "Reason to reopen"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_needs_what_who_and_when() {
        let refused = ActionForm { due: "2026-13-01".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(refused.field_names(), vec!["title", "owner", "due"]);
        let ok =
            ActionForm {
                title: " 补充损失描述 ".into(), owner: "李强".into(), due: "2026-12-20".into()
            }
            .validate()
            .unwrap();
        assert_eq!((ok.title.as_str(), ok.due.to_string().as_str()), ("补充损失描述", "2026-12-20"));
        assert_eq!(required_text("evidence", "  ").unwrap_err().field_names(), vec!["evidence"]);
        assert_eq!(Source::from_code("drill"), Some(Source::Drill));
    }
}
