//! Customer follow-up (回访): after an incident is closed, someone calls the reporter and records
//! how satisfied they were (1–5), what they said, who called and when. The monthly report shows
//! satisfaction by level and the unhappy cases.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Explain, Rule};
use crate::level::Level;
use crate::text::Kind;
use crate::{Error, FieldError, Lang, Result};

pub const COMMENT_MAX_CHARS: usize = 500;
/// A rating at or below this is an unhappy case the monthly report names.
pub const UNHAPPY_AT_MOST: u8 = 2;

/// One follow-up call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FollowUp {
    pub id: String,
    pub incident_id: String,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub satisfaction: u8,
    pub comment: String,
    /// Who called.
    pub called_by: String,
    /// Who was called (the reporter, by default).
    pub contact: String,
    pub called_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// The follow-up form as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FollowUpForm {
    /// `1`–`5`.
    pub satisfaction: String,
    pub comment: String,
    pub called_by: String,
    pub contact: String,
    /// RFC 3339; not in the future, not before the incident was closed.
    pub called_at: String,
}

impl FollowUpForm {
    /// Checks every field; `closed_at` is when the incident was closed.
    pub fn validate(
        &self,
        id: String,
        incident_id: &str,
        closed_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        let mut errors = Vec::new();
        let satisfaction = match self.satisfaction.trim().parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                let rule = if self.satisfaction.trim().is_empty() {
                    Rule::NotChosen
                } else {
                    Rule::OutOfRange { min: 1, max: 5 }
                };
                errors.push(FieldError::new("satisfaction", rule));
                None
            }
        };
        let comment =
            crate::text::check(&mut errors, "comment", &self.comment, COMMENT_MAX_CHARS, false, Kind::Block);
        let called_by = crate::text::check(&mut errors, "called_by", &self.called_by, 50, true, Kind::Line);
        let contact = crate::text::check(&mut errors, "contact", &self.contact, 50, false, Kind::Line);
        let called_at = crate::instant::parse_past_instant(&mut errors, "called_at", &self.called_at, now);
        if called_at.is_some_and(|at| at < closed_at) {
            let closed = crate::i18n::format_service_time(closed_at);
            errors.push(FieldError::new("called_at", Rule::BeforeClosed { closed }));
        }
        match (satisfaction, called_at) {
            (Some(satisfaction), Some(called_at)) if errors.is_empty() => Ok(FollowUp {
                id,
                incident_id: incident_id.to_owned(),
                satisfaction,
                comment,
                called_by,
                contact,
                called_at,
                created_at: now,
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// A follow-up is for a closed incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotClosed {
    pub number: String,
}

impl Explain for NotClosed {
    fn code(&self) -> &'static str {
        "follow_up_not_closed"
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("故障 {} 尚未关闭，关闭后才能回访", self.number),
            Lang::En => format!("Incident {} is not closed yet; follow up once it is", self.number),
        }
    }
}

/// A follow-up with the incident it is about, for counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rated {
    pub number: String,
    pub title: String,
    pub level: Level,
    pub follow_up: FollowUp,
}

/// Satisfaction of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LevelSatisfaction {
    pub level: Level,
    pub calls: u32,
    /// Mean rating, when there were calls.
    pub mean: Option<f64>,
}

/// A period's follow-ups: satisfaction by level and the unhappy cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Satisfaction {
    pub calls: u32,
    pub mean: Option<f64>,
    pub by_level: Vec<LevelSatisfaction>,
    /// Rated [`UNHAPPY_AT_MOST`] or lower: number, title, rating, comment.
    pub unhappy: Vec<UnhappyCase>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnhappyCase {
    pub number: String,
    pub title: String,
    pub satisfaction: u8,
    pub comment: String,
}

/// Sums `rated` (the latest call per incident counts once).
pub fn satisfaction(rated: &[Rated]) -> Satisfaction {
    let mut latest: Vec<&Rated> = Vec::new();
    for r in rated {
        match latest.iter_mut().find(|l| l.number == r.number) {
            Some(l) if l.follow_up.called_at < r.follow_up.called_at => *l = r,
            Some(_) => {}
            None => latest.push(r),
        }
    }
    let mean = |list: &[&Rated]| {
        (!list.is_empty()).then(|| {
            list.iter().map(|r| f64::from(r.follow_up.satisfaction)).sum::<f64>() / list.len() as f64
        })
    };
    let by_level = Level::ALL
        .into_iter()
        .map(|level| {
            let of: Vec<&Rated> = latest.iter().copied().filter(|r| r.level == level).collect();
            LevelSatisfaction { level, calls: of.len() as u32, mean: mean(&of) }
        })
        .collect();
    let mut unhappy: Vec<UnhappyCase> = latest
        .iter()
        .filter(|r| r.follow_up.satisfaction <= UNHAPPY_AT_MOST)
        .map(|r| UnhappyCase {
            number: r.number.clone(),
            title: r.title.clone(),
            satisfaction: r.follow_up.satisfaction,
            comment: r.follow_up.comment.clone(),
        })
        .collect();
    unhappy.sort_by(|a, b| (a.satisfaction, &a.number).cmp(&(b.satisfaction, &b.number)));
    Satisfaction { calls: latest.len() as u32, mean: mean(&latest), by_level, unhappy }
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "satisfaction" => lang.pick("满意度", "Satisfaction"),
        "comment" => lang.pick("客户意见", "Comment"),
        "called_by" => lang.pick("回访人", "Called by"),
        "contact" => lang.pick("受访人", "Contact"),
        "called_at" => lang.pick("回访时间", "Called at"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn form(satisfaction: &str, called_at: DateTime<Utc>) -> FollowUpForm {
        FollowUpForm {
            satisfaction: satisfaction.into(),
            comment: "处理及时".into(),
            called_by: "周婷".into(),
            contact: "陈刚".into(),
            called_at: called_at.to_rfc3339(),
        }
    }

    #[test]
    fn a_follow_up_is_rated_one_to_five_after_the_close_and_not_in_the_future() {
        let (closed, now) = (at(20, 2), at(27, 2));
        let ok = form("4", at(21, 2)).validate("f".into(), "i", closed, now).unwrap();
        assert_eq!((ok.satisfaction, ok.called_by.as_str()), (4, "周婷"));
        let names = |f: FollowUpForm| f.validate("f".into(), "i", closed, now).unwrap_err().field_names();
        assert_eq!(names(form("6", at(21, 2))), vec!["satisfaction"]);
        assert_eq!(names(form("", at(21, 2))), vec!["satisfaction"]);
        assert_eq!(names(form("3", at(19, 2))), vec!["called_at"], "before the incident was closed");
        assert_eq!(names(form("3", at(28, 2))), vec!["called_at"], "in the future");
        let refused = form("3", at(19, 2)).validate("f".into(), "i", closed, now).unwrap_err();
        assert!(refused.fields()[0].message(Lang::ZhCn).starts_with("回访时间不能早于故障关闭时间"));
    }

    #[test]
    fn satisfaction_counts_each_incidents_latest_call_by_level_and_names_the_unhappy() {
        let rated = |number: &str, level, satisfaction, day| Rated {
            number: number.into(),
            title: format!("故障 {number}"),
            level,
            follow_up: FollowUp {
                id: format!("{number}-{day}"),
                incident_id: number.into(),
                satisfaction,
                comment: if satisfaction <= 2 { "响应太慢".into() } else { String::new() },
                called_by: "周婷".into(),
                contact: String::new(),
                called_at: at(day, 2),
                created_at: at(day, 2),
            },
        };
        let s = satisfaction(&[
            rated("A", Level::I, 2, 21),
            rated("A", Level::I, 4, 23), // called again: the latest counts
            rated("B", Level::II, 5, 22),
            rated("C", Level::II, 1, 22),
            rated("D", Level::IV, 2, 22),
        ]);
        assert_eq!(s.calls, 4);
        assert_eq!(s.mean, Some(3.0));
        assert_eq!(s.by_level[0].mean, Some(4.0));
        assert_eq!(s.by_level[1].mean, Some(3.0));
        assert_eq!((s.by_level[2].calls, s.by_level[2].mean), (0, None));
        let unhappy: Vec<(&str, u8)> =
            s.unhappy.iter().map(|u| (u.number.as_str(), u.satisfaction)).collect();
        assert_eq!(unhappy, vec![("C", 1), ("D", 2)]);
    }
}
