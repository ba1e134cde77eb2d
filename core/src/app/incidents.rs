//! Incidents: recording what happened, with the checks that need more than the timeline, and
//! the SLA figures of what has not happened yet (a resolution or close being considered, a
//! report being signed).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::incident::{Incident, IncidentQuery, IncidentSort};
use crate::sla::{evaluate, Calendars, MilestoneReport, MilestoneState};
use crate::store::Store;
use crate::timeline::{EventData, NewEvent, ReportFields, Status};
use crate::{Error, Lang, Result};

/// The resolved and closed incidents reported in the month starting `first` (service time),
/// oldest first.
pub fn resolved_in_month(store: &Store, first: NaiveDate, now: DateTime<Utc>) -> Result<Vec<String>> {
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let mut query = IncidentQuery {
        statuses: vec![Status::Resolved, Status::Closed],
        reported_from: Some(crate::zone::service_midnight(first)),
        reported_to: Some(crate::zone::service_midnight(next)),
        sort: IncidentSort::Reported,
        limit: IncidentQuery::MAX_LIMIT,
        ..Default::default()
    };
    let mut ids = Vec::new();
    loop {
        let page = store.list_incidents(&query, now)?;
        ids.extend(page.items.iter().map(|i| i.id.clone()));
        if page.items.len() < query.limit as usize {
            return Ok(ids);
        }
        query.offset += query.limit;
    }
}

/// Keeps what was typed into incident `id`'s report form (see [`ReportFields::parse_draft`]).
pub fn save_report_draft(
    store: &mut Store,
    id: &str,
    fields: &ReportFields,
    now: DateTime<Utc>,
) -> Result<()> {
    store.save_report_draft(id, &fields.parse_draft()?, now)
}

/// Records what happened to incident `id`: an assignment to someone of the roster must name a
/// current team member, a report's categories must be in use; the store then checks the event's fields and that it may follow the
/// timeline. The actor is the current user of Settings.
pub fn record_event(store: &mut Store, id: &str, input: &NewEvent, now: DateTime<Utc>) -> Result<Incident> {
    if input.kind == "assigned" && !input.person_id.trim().is_empty() {
        store
            .current_team_member(input.person_id.trim(), "person", now)
            .map_err(|e| e.labelled(crate::timeline::labels))?;
    }
    if input.kind == "report_submitted" {
        store.check_report_categories(&input.report)?;
    }
    // A plan submitted says what it is: in its own words, or by the activated plan it follows.
    if input.kind == "plan_submitted"
        && crate::text::is_blank(&input.text)
        && input.contingency.trim().is_empty()
    {
        return Err(Error::invalid(vec![FieldError::new("text", Rule::Required)], crate::timeline::labels));
    }
    store.append_event(id, input, now)
}

/// The milestones of `incident` at `now` as they would stand had `event` happened at `at`.
pub fn milestones_if(
    store: &Store,
    incident: &Incident,
    event: EventData,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<MilestoneReport>> {
    let policy = store.sla_policy_version(incident.policy_version)?;
    let calendars = Calendars::new(store.working_calendar()?);
    let mut timeline: Vec<(EventData, DateTime<Utc>)> =
        incident.events.iter().map(|e| (e.data.clone(), e.occurred_at)).collect();
    timeline.push((event, at));
    Ok(evaluate(&policy, &calendars, incident.opened_level, &timeline, now, lang))
}

/// An event that ends clocks for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockEnder {
    Resolved,
    Closed,
}

/// The milestones of incident `id` that resolving or closing it now would leave missed for
/// good: what the resolve and close dialogs ask the user to confirm.
pub fn milestones_ended_by(
    store: &Store,
    id: &str,
    ender: ClockEnder,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<MilestoneReport>> {
    let incident = store.get_incident_in(id, now, lang)?;
    let event = match ender {
        ClockEnder::Resolved => EventData::Resolved { summary: String::new() },
        ClockEnder::Closed => EventData::Closed,
    };
    let at = now.max(incident.events.last().map_or(now, |e| e.occurred_at));
    let after = milestones_if(store, &incident, event, at, at, lang)?;
    Ok(after
        .into_iter()
        .filter(|m| m.state == MilestoneState::Missed)
        .filter(|m| incident.milestones.iter().any(|b| b.kind == m.kind && b.state != MilestoneState::Missed))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::NewIncident;
    use crate::sla::MilestoneKind;
    use chrono::TimeZone;

    fn sh(h: u32, m: u32) -> DateTime<Utc> {
        crate::zone::SERVICE_TZ.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn event(kind: &str, at: DateTime<Utc>) -> NewEvent {
        NewEvent {
            kind: kind.into(),
            occurred_at: at.to_rfc3339(),
            summary: "已修复".into(),
            ..Default::default()
        }
    }

    #[test]
    fn resolving_without_a_handling_plan_names_it_and_closing_after_names_nothing_new() {
        let mut store = Store::open_in_memory(sh(9, 0)).unwrap();
        let form = NewIncident {
            title: "公文系统白屏".into(),
            level: "I".into(),
            channel: "hotline".into(),
            reported_at: sh(9, 0).to_rfc3339(),
            ..Default::default()
        };
        let id = store.create_incident(&form, sh(9, 0)).unwrap().summary.id;
        store.append_event(&id, &event("responded", sh(9, 2)), sh(9, 2)).unwrap();

        let ended = milestones_ended_by(&store, &id, ClockEnder::Resolved, sh(9, 5), Lang::ZhCn).unwrap();
        let kinds: Vec<MilestoneKind> = ended.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MilestoneKind::HandlingPlan], "only the plan is still owed");
        assert_eq!(ended[0].missed_at, Some(sh(9, 5)));

        store.append_event(&id, &event("resolved", sh(9, 5)), sh(9, 5)).unwrap();
        let ended = milestones_ended_by(&store, &id, ClockEnder::Closed, sh(9, 6), Lang::ZhCn).unwrap();
        let kinds: Vec<MilestoneKind> = ended.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MilestoneKind::Report], "closing now would miss the report");
        let report = NewEvent {
            report: crate::timeline::ReportFields {
                fault_type: "软件".into(),
                cause: "缓存".into(),
                method: "重启".into(),
                losses: "无".into(),
                ..Default::default()
            },
            ..event("report_submitted", sh(9, 6))
        };
        store.append_event(&id, &report, sh(9, 6)).unwrap();
        let ended = milestones_ended_by(&store, &id, ClockEnder::Closed, sh(9, 7), Lang::ZhCn).unwrap();
        assert!(ended.is_empty(), "the plan was already missed at the resolution: {ended:?}");
    }
}
