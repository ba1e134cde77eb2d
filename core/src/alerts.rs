//! Desktop alerts: which milestones crossed a warning threshold or breached since the last
//! look, and what to tell the person.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::i18n::SERVICE_TZ;
use crate::sla::{MilestoneKind, Warning};
use crate::Lang;

/// The warning level of one milestone of one incident at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneAlert {
    pub incident_id: String,
    pub number: String,
    pub title: String,
    pub kind: MilestoneKind,
    pub warning: Warning,
    pub due: Option<DateTime<Utc>>,
}

/// What was last seen, to compare the next look with.
pub type Seen = HashMap<(String, MilestoneKind), Warning>;

/// The alerts whose warning rose since `seen` (a milestone not seen before counts from no
/// warning), and the new `seen`.
pub fn crossings(seen: &Seen, now: &[MilestoneAlert]) -> (Vec<MilestoneAlert>, Seen) {
    let rose = now
        .iter()
        .filter(|a| a.warning > Warning::None)
        .filter(|a| a.warning > seen.get(&(a.incident_id.clone(), a.kind)).copied().unwrap_or(Warning::None))
        .cloned()
        .collect();
    let next = now.iter().map(|a| ((a.incident_id.clone(), a.kind), a.warning)).collect();
    (rose, next)
}

impl MilestoneAlert {
    /// "INC-2026-0001 响应已超时" / "INC-2026-0001: Response overdue".
    pub fn headline(&self, lang: Lang) -> String {
        let what = self.kind.label(lang);
        match (lang, self.warning) {
            (Lang::ZhCn, Warning::Breached) => format!("{} {what}已超时", self.number),
            (Lang::ZhCn, _) => format!("{} {what}即将到期", self.number),
            (Lang::En, Warning::Breached) => format!("{}: {what} overdue", self.number),
            (Lang::En, _) => format!("{}: {what} due soon", self.number),
        }
    }

    /// The incident's title and the due time.
    pub fn body(&self, lang: Lang) -> String {
        match self.due {
            Some(due) => {
                let due = due.with_timezone(&SERVICE_TZ).format("%m-%d %H:%M");
                match lang {
                    Lang::ZhCn => format!("{}（到期 {due}）", self.title),
                    Lang::En => format!("{} (due {due})", self.title),
                }
            }
            None => self.title.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(id: &str, kind: MilestoneKind, warning: Warning) -> MilestoneAlert {
        MilestoneAlert {
            incident_id: id.into(),
            number: format!("INC-2026-000{id}"),
            title: "OA 白屏".into(),
            kind,
            warning,
            due: None,
        }
    }

    #[test]
    fn only_rising_warnings_alert() {
        let first = [
            alert("1", MilestoneKind::Respond, Warning::First),
            alert("2", MilestoneKind::Resolve, Warning::None),
        ];
        let (rose, seen) = crossings(&Seen::new(), &first);
        assert_eq!(rose, [first[0].clone()], "a first warning alerts; no warning does not");
        let (rose, seen) = crossings(&seen, &first);
        assert!(rose.is_empty(), "the same warning does not alert twice");
        let later = [
            alert("1", MilestoneKind::Respond, Warning::Breached),
            alert("2", MilestoneKind::Resolve, Warning::Second),
        ];
        let (rose, _) = crossings(&seen, &later);
        assert_eq!(rose.len(), 2, "breach and second warning both alert");
    }

    #[test]
    fn the_message_says_what_is_due() {
        let a = alert("1", MilestoneKind::Respond, Warning::Breached);
        assert_eq!(a.headline(Lang::ZhCn), "INC-2026-0001 响应已超时");
        assert_eq!(
            alert("1", MilestoneKind::Report, Warning::First).headline(Lang::En),
            "INC-2026-0001: Incident report due soon"
        );
    }
}
