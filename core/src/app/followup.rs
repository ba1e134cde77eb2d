//! Customer follow-up (回访) of closed incidents, and the period's satisfaction.

use chrono::{DateTime, Utc};

use crate::followup::{satisfaction, FollowUp, FollowUpForm, NotClosed, Satisfaction};
use crate::store::{new_id, Store};
use crate::{Error, Result};

/// Records a follow-up call of incident `id`, which must be closed; the call may not precede the
/// close.
pub fn record(store: &mut Store, id: &str, form: &FollowUpForm, now: DateTime<Utc>) -> Result<FollowUp> {
    let (number, closed) = store.closed_at(id)?;
    let Some(closed) = closed else { return Err(Error::refused(NotClosed { number })) };
    let follow_up = form.validate(new_id(), id, closed, now)?;
    store.add_follow_up(&follow_up)?;
    Ok(follow_up)
}

/// Satisfaction of the calls made in `[from, to)`.
pub fn period(store: &Store, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Satisfaction> {
    Ok(satisfaction(&store.rated_between(from, to)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::IncidentQuery;
    use crate::store::testing::{in_memory_db, new_incident, now};
    use crate::timeline::Status;
    use crate::Lang;

    fn form(satisfaction: &str, called_at: DateTime<Utc>) -> FollowUpForm {
        FollowUpForm {
            satisfaction: satisfaction.into(),
            comment: "等了太久".into(),
            called_by: "周婷".into(),
            contact: "陈刚".into(),
            called_at: called_at.to_rfc3339(),
        }
    }

    #[test]
    fn only_a_closed_incident_is_followed_up_and_its_calls_count_by_level() {
        let mut store = in_memory_db();
        let at = now();
        store.import_incidents(&crate::sample::sample_history(at, 2, 3), None, at).unwrap();
        let closed = store
            .list_incidents(
                &IncidentQuery { statuses: vec![Status::Closed], limit: 2, ..Default::default() },
                at,
            )
            .unwrap()
            .items;
        assert_eq!(closed.len(), 2);
        let (first, second) = (&closed[0], &closed[1]);
        let (_, closed_at) = store.closed_at(&first.id).unwrap();
        let called = closed_at.unwrap() + chrono::Duration::hours(2);
        record(&mut store, &first.id, &form("2", called), at).unwrap();
        {
            let second_closed = store.closed_at(&second.id).unwrap().1.unwrap();
            record(&mut store, &second.id, &form("5", second_closed), at)
        }
        .unwrap();
        assert_eq!(store.follow_ups(&first.id).unwrap()[0].satisfaction, 2);
        let s = period(&store, at - chrono::Duration::days(400), at + chrono::Duration::seconds(1)).unwrap();
        assert_eq!((s.calls, s.mean), (2, Some(3.5)));
        assert_eq!(s.unhappy.len(), 1);
        assert_eq!(s.unhappy[0].number, first.number);
        // An incident still open is refused, naming it.
        let open = store.create_incident(&new_incident("OA 登录失败", &at.to_rfc3339()), at).unwrap();
        let refused = record(&mut store, &open.summary.id, &form("4", at), at).unwrap_err();
        assert!(refused.message(Lang::ZhCn).contains("尚未关闭"), "{}", refused.message(Lang::ZhCn));
        // A call before the close is refused next to its field.
        let early =
            record(&mut store, &first.id, &form("4", called - chrono::Duration::days(30)), at).unwrap_err();
        assert_eq!(early.field_names(), vec!["called_at"]);
    }
}
