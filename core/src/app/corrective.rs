//! Corrective actions (整改项) as the window and the Dashboard use them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::corrective::{required_text, ActionForm, CorrectiveAction, Source};
use crate::store::Store;
use crate::Result;

/// The actions and the service date they are judged overdue on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActionList {
    pub items: Vec<CorrectiveAction>,
    /// Today in service time: an open action due before it is overdue.
    pub today: NaiveDate,
}

/// The open actions (and with `closed`, the closed ones after them).
pub fn list(store: &Store, closed: bool, now: DateTime<Utc>) -> Result<ActionList> {
    Ok(ActionList { items: store.corrective_actions(closed)?, today: crate::zone::service_date(now) })
}

/// Raises an action by hand.
pub fn raise(store: &mut Store, form: &ActionForm, now: DateTime<Utc>) -> Result<CorrectiveAction> {
    store.raise_action(Source::Other, "", "", &form.validate()?, now)
}

pub fn edit(store: &mut Store, id: &str, form: &ActionForm) -> Result<CorrectiveAction> {
    store.edit_action(id, &form.validate()?)
}

/// Closes an action with the evidence of what was done.
pub fn close(store: &mut Store, id: &str, evidence: &str, now: DateTime<Utc>) -> Result<CorrectiveAction> {
    store.close_action(id, &required_text("evidence", evidence)?, now)
}

pub fn reopen(store: &mut Store, id: &str, reason: &str) -> Result<CorrectiveAction> {
    store.reopen_action(id, &required_text("reason", reason)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corrective::ActionStatus;
    use crate::quality::QaSampleForm;
    use crate::store::testing::{in_memory_db, now};
    use crate::Lang;
    use chrono::Duration;

    fn form(title: &str, due: NaiveDate) -> ActionForm {
        ActionForm { title: title.into(), owner: "李强".into(), due: due.to_string() }
    }

    #[test]
    fn an_action_is_closed_only_with_evidence_and_reopened_only_with_a_reason() {
        let mut store = in_memory_db();
        let today = crate::zone::service_date(now());
        let a =
            raise(&mut store, &form("补充巡检项：连接池使用率", today - Duration::days(1)), now()).unwrap();
        assert!(a.number.starts_with("ZG-") && a.number.ends_with("-0001"), "{}", a.number);
        assert!(a.overdue(today));
        let b = raise(&mut store, &form("更新应急联系人", today + Duration::days(7)), now()).unwrap();
        assert!(!b.overdue(today));

        assert_eq!(close(&mut store, &a.id, " ", now()).unwrap_err().field_names(), vec!["evidence"]);
        let closed = close(&mut store, &a.id, "已加入数据库巡检模板第 7 项", now()).unwrap();
        assert_eq!((closed.status, closed.closed_at), (ActionStatus::Closed, Some(now())));
        assert!(!closed.overdue(today), "a closed action is never overdue");
        // A closed action is not edited or closed again.
        let refused = edit(&mut store, &a.id, &form("改", today)).unwrap_err();
        assert!(refused.message(Lang::ZhCn).contains("已关闭"), "{}", refused.message(Lang::ZhCn));
        assert!(close(&mut store, &a.id, "再次", now()).is_err());
        assert_eq!(
            reopen(&mut store, &b.id, "未完成").unwrap_err().message(Lang::ZhCn),
            format!("整改项 {} 尚未关闭", b.number)
        );
        let period = (now() - Duration::days(1), now() + Duration::seconds(1));
        let counts = store.action_counts(period.0, period.1, today).unwrap();
        assert_eq!((counts.raised, counts.closed, counts.open, counts.overdue), (2, 1, 1, 0));
        let reopened = reopen(&mut store, &a.id, "复查发现模板未同步到所有计划").unwrap();
        assert_eq!((reopened.status, reopened.evidence.as_str()), (ActionStatus::Open, ""));

        let listed = list(&store, false, now()).unwrap();
        let numbers: Vec<&str> = listed.items.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers, vec![a.number.as_str(), b.number.as_str()], "soonest due first");
        let counts = store.action_counts(period.0, period.1, today).unwrap();
        assert_eq!((counts.raised, counts.closed, counts.open, counts.overdue), (2, 0, 2, 1));
    }

    #[test]
    fn a_qa_finding_raises_one_action_owned_by_the_engineer() {
        let mut store = in_memory_db();
        let at = now();
        store.import_incidents(&crate::sample::sample_history(at, 4, 3), None, at).unwrap();
        let sample = store
            .draw_qa_sample(
                &QaSampleForm {
                    from: (at - Duration::days(60)).to_rfc3339(),
                    to: at.to_rfc3339(),
                    size: "3".into(),
                    seed: "7".into(),
                },
                "赵敏",
                at,
            )
            .unwrap();
        let item = &sample.items[0];
        store.review_qa_item(&sample.id, &item.incident.id, "ok", "", "赵敏", at).unwrap();
        assert!(list(&store, true, at).unwrap().items.is_empty(), "no finding, no action");
        // Reviewed again as a finding (twice): one action.
        for _ in 0..2 {
            store
                .review_qa_item(&sample.id, &item.incident.id, "finding", "损失描述不具体", "赵敏", at)
                .unwrap();
        }
        let actions = list(&store, true, at).unwrap().items;
        assert_eq!(actions.len(), 1);
        let a = &actions[0];
        assert_eq!(
            (a.source, a.source_label.as_str(), a.title.as_str()),
            (Source::Qa, item.incident.number.as_str(), "损失描述不具体")
        );
        let engineer = store.get_incident(&item.incident.id, at).unwrap().summary.assignee.unwrap();
        assert_eq!(a.owner, engineer);
        assert_eq!(a.due, crate::zone::service_date(at) + Duration::days(crate::corrective::QA_DUE_DAYS));
    }
}
