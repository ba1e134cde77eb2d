//! What the monthly service report (运维服务月报) contains besides the period's figures: its major
//! incidents and how each ended, the training held, and the risks open when it is signed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::format_service_time;
use crate::incident::{IncidentEvent, IncidentSummary};
use crate::level::Level;
use crate::people::CertificateAlert;
use crate::timeline::EventData;
use crate::training::plan::{audience_name, Audience, Session};
use crate::Lang;

/// The levels whose incidents the report lists one by one (reported or resolved in the month).
pub const MAJOR_LEVELS: [Level; 2] = [Level::I, Level::II];

/// How many of those the report names in its body; the rest are counted, and listed in full in
/// an appendix when one is asked for (a month of 4,000 incidents must not print 55 pages).
pub const MAJOR_NAMED: u32 = 15;

/// How the report lists the month's major incidents: the first [`MAJOR_NAMED`] in its body, or
/// those and an appendix with every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MajorList {
    #[default]
    Named,
    Full,
}

impl MajorList {
    /// How many incidents to fetch.
    pub fn limit(self) -> Option<u32> {
        match self {
            MajorList::Named => Some(MAJOR_NAMED),
            MajorList::Full => None,
        }
    }
}

/// The incidents of one level that touch a month: reported in it or resolved in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelTally {
    pub level: Level,
    pub touching: u32,
    pub reported: u32,
    pub resolved: u32,
    /// Not resolved when the report is drawn.
    pub unresolved: u32,
}

/// What the report says of the major incidents it does not name: `None` when it names them all.
pub fn unnamed_major(tally: &[LevelTally], named: usize, list: MajorList, lang: Lang) -> Option<String> {
    let total: u32 = tally.iter().map(|t| t.touching).sum();
    let more = (total as usize).checked_sub(named).filter(|&n| n > 0)?;
    Some(match (lang, list == MajorList::Full) {
        (Lang::ZhCn, true) => format!("另有 {more} 件，完整清单见附录。"),
        (Lang::ZhCn, false) => {
            format!("另有 {more} 件未列出；需要完整清单时，导出月报时选择“附完整故障清单”。")
        }
        (Lang::En, true) => format!("{more} more; the appendix lists them all."),
        (Lang::En, false) => {
            format!("{more} more not listed; choose “with the full incident list” when exporting to list them all.")
        }
    })
}

/// How many overdue incidents the risks name before counting the rest.
pub const OVERDUE_NAMED: usize = 10;

/// How an incident ended: the summary of its latest resolution (empty while unresolved).
pub fn outcome(events: &[IncidentEvent]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| match &e.data {
            EventData::Resolved { summary } => Some(summary.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The training table: each session of the month that has ended by `now`, as date, title,
/// audience, trainer and "attended / invited".
pub fn training_rows(
    sessions: &[Session],
    audiences: &[Audience],
    lang: Lang,
    now: DateTime<Utc>,
) -> Vec<Vec<String>> {
    sessions
        .iter()
        .filter(|s| s.held(now))
        .map(|s| {
            let came = s.attendees.iter().filter(|a| a.status.attended()).count();
            vec![
                format_service_time(s.start)[..10].to_owned(),
                s.title.clone(),
                audience_name(audiences, &s.audience, lang),
                s.trainer_name.clone(),
                format!("{came} / {}", s.attendees.len()),
            ]
        })
        .collect()
}

/// The risks: the first overdue incidents by name (`overdue`, of `overdue_total` in all), then
/// the certificates expiring or expired.
pub fn monthly_risks(
    overdue: &[IncidentSummary],
    overdue_total: u64,
    alerts: &[CertificateAlert],
    lang: Lang,
) -> Vec<String> {
    let mut risks: Vec<String> = overdue
        .iter()
        .map(|i| {
            let (number, title, level, status) = (&i.number, &i.title, i.level.code(), i.status.label(lang));
            match lang {
                Lang::ZhCn => format!("{number} {title}（{level} 级，时限已超，{status}）"),
                Lang::En => format!("{number} {title} (level {level}, overdue, {status})"),
            }
        })
        .collect();
    let more = overdue_total.saturating_sub(overdue.len() as u64);
    if more > 0 {
        risks.push(match lang {
            Lang::ZhCn => format!("另有 {more} 件超时故障"),
            Lang::En => format!("{more} more overdue incidents"),
        });
    }
    risks.extend(alerts.iter().map(|c| {
        let (person, certificate, expires) = (&c.person, &c.certificate, c.expires);
        match (lang, c.days_left < 0) {
            (Lang::ZhCn, false) => format!("{person} 的证书“{certificate}”将于 {expires} 到期"),
            (Lang::ZhCn, true) => format!("{person} 的证书“{certificate}”已于 {expires} 过期"),
            (Lang::En, false) => format!("{person}'s certificate “{certificate}” expires on {expires}"),
            (Lang::En, true) => format!("{person}'s certificate “{certificate}” expired on {expires}"),
        }
    }));
    risks
}

#[cfg(test)]
mod tests;
