//! Emergency plans (应急预案) as the window uses them: the catalogue with where each plan's
//! review stands, saving, and putting a plan to work on an incident.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::CategoryKind;
use crate::contingency::{ContingencyForm, ContingencyPlan, Review};
use crate::error::{FieldError, Rule};
use crate::incident::Incident;
use crate::store::Store;
use crate::timeline::EventData;
use crate::{Error, Lang, Result};

/// One plan of the catalogue, where its review stands, and the form that edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanEntry {
    pub plan: ContingencyPlan,
    pub review: Review,
    pub form: ContingencyForm,
}

/// The catalogue on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Catalogue {
    pub plans: Vec<PlanEntry>,
    pub today: NaiveDate,
    /// Plans in force whose review is past its date.
    pub overdue: u32,
    /// Plans in force whose review falls due within 30 days.
    pub due_soon: u32,
}

pub fn catalogue(store: &Store, lang: Lang, now: DateTime<Utc>) -> Result<Catalogue> {
    let today = crate::zone::service_date(now);
    let plans: Vec<PlanEntry> = store
        .contingency_plans(lang)?
        .into_iter()
        .map(|plan| PlanEntry { review: plan.review(today), form: ContingencyForm::from(&plan), plan })
        .collect();
    let count = |review: Review| plans.iter().filter(|p| p.plan.active && p.review == review).count() as u32;
    Ok(Catalogue { overdue: count(Review::Overdue), due_soon: count(Review::DueSoon), today, plans })
}

pub fn save(
    store: &mut Store,
    id: Option<&str>,
    form: &ContingencyForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ContingencyPlan> {
    let (id, version) = match id {
        Some(id) => (id.to_owned(), store.contingency_plan(id, lang)?.version + 1),
        None => (crate::store::new_id(), 1),
    };
    let plan = form.validate(&id, version, now)?;
    let fault_types = store.categories()?;
    let unknown: Vec<FieldError> = plan
        .trigger_fault_types
        .iter()
        .filter(|code| !fault_types.iter().any(|c| c.kind == CategoryKind::FaultType && &&c.code == code))
        .map(|code| FieldError::new("trigger_fault_types", Rule::Unknown { value: code.clone() }))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::invalid(unknown, crate::contingency::labels));
    }
    store.insert_contingency_plan(&plan, now)?;
    Ok(plan)
}

/// The plans in force an incident may activate, those fitting its level (and fault type, once
/// reported) first.
pub fn for_incident(
    store: &Store,
    incident_id: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<PlanChoice>> {
    let incident = store.get_incident(incident_id, now)?;
    let fault_type = crate::report::latest_report_fields(&incident).fault_type_code;
    let mut choices: Vec<PlanChoice> = store
        .contingency_plans(lang)?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| PlanChoice {
            fits: p.fits(incident.summary.level, &fault_type),
            title: p.title(lang),
            plan: p,
        })
        .collect();
    choices.sort_by_key(|c| !c.fits);
    Ok(choices)
}

/// A plan offered to an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanChoice {
    pub plan: ContingencyPlan,
    /// "《name》第 N 版".
    pub title: String,
    /// Its triggers match the incident.
    pub fits: bool,
}

pub fn activate(
    store: &mut Store,
    incident_id: &str,
    plan_id: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Incident> {
    let plan = store.contingency_plan(plan_id, lang)?;
    plan.check_in_force()?;
    // A copy of its steps at this version: later edits of the plan leave the record as it was.
    let activation = EventData::PlanActivated {
        plan_id: plan.id,
        name: plan.name,
        version: plan.version,
        steps: plan.steps,
    };
    store.append_event_data(incident_id, &activation, now)
}

pub fn step_done(
    store: &mut Store,
    incident_id: &str,
    plan_id: &str,
    step: u32,
    person: &str,
    now: DateTime<Utc>,
) -> Result<Incident> {
    let person = crate::timeline::check_step_person(person)?;
    // The step worded as the incident's copy of the plan has it; whether that plan is active
    // and the step still open is the timeline's rule.
    let title = store
        .get_incident(incident_id, now)?
        .events
        .into_iter()
        .find_map(|e| match e.data {
            EventData::PlanActivated { plan_id: id, steps, .. } if id == plan_id => {
                steps.into_iter().nth(step as usize).map(|s| s.title)
            }
            _ => None,
        })
        .unwrap_or_default();
    let done = EventData::StepDone { plan_id: plan_id.to_owned(), step, title, person };
    store.append_event_data(incident_id, &done, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contingency::builtin_plans;
    use crate::incident::NewIncident;
    use crate::store::testing::{in_memory_db, new_incident, now};
    use crate::timeline::{IncidentState, NewEvent};
    use chrono::Duration;

    fn refusal(err: Error) -> String {
        err.code().to_owned()
    }

    #[test]
    fn an_activated_plan_is_a_check_list_of_the_incident_ticked_step_by_step() {
        let now = now();
        let mut store = Store::open_in_memory(now).unwrap();
        let incident = store
            .create_incident(
                &NewIncident {
                    level: "I".into(), ..new_incident("OA 客户端无法启动", &now.to_rfc3339())
                },
                now,
            )
            .unwrap();
        let plan = "builtin-app-start";
        let activated = activate(&mut store, &incident.summary.id, plan, Lang::ZhCn, now).unwrap();
        let copy = activated.events.iter().find_map(|e| match &e.data {
            EventData::PlanActivated { version, steps, .. } => Some((*version, steps.len())),
            _ => None,
        });
        assert_eq!(copy, Some((1, 5)));
        let again = activate(&mut store, &incident.summary.id, plan, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refusal(again), "plan_already_active");

        let t = |m| now + chrono::Duration::minutes(m);
        step_done(&mut store, &incident.summary.id, plan, 0, "李强", t(5)).unwrap();
        assert_eq!(
            refusal(step_done(&mut store, &incident.summary.id, plan, 0, "李强", t(6)).unwrap_err()),
            "step_already_done"
        );
        assert_eq!(
            refusal(step_done(&mut store, &incident.summary.id, plan, 9, "李强", t(6)).unwrap_err()),
            "no_such_step"
        );
        assert_eq!(
            refusal(
                step_done(&mut store, &incident.summary.id, "builtin-network", 0, "李强", t(6)).unwrap_err()
            ),
            "plan_not_active"
        );
        assert_eq!(
            step_done(&mut store, &incident.summary.id, plan, 1, " ", t(6)).unwrap_err().field_names(),
            vec!["person"]
        );
        let done = step_done(&mut store, &incident.summary.id, plan, 1, "王芳", t(7)).unwrap();
        let ticked: Vec<(u32, &str, &str)> = done
            .events
            .iter()
            .filter_map(|e| match &e.data {
                EventData::StepDone { step, title, person, .. } => {
                    Some((*step, title.as_str(), person.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            ticked,
            vec![
                (0, "确认故障现象，记录错误提示和日志", "李强"),
                (1, "备份应用软件数据文件和配置文件", "王芳")
            ]
        );

        // The handling plan follows the activated plan; the replay of the stored timeline
        // (what the SLA and the report read) keeps every step.
        let follows = NewEvent {
            kind: "plan_submitted".into(),
            contingency: plan.into(),
            occurred_at: t(8).to_rfc3339(),
            ..Default::default()
        };
        let with_plan = store.append_event(&incident.summary.id, &follows, t(9)).unwrap();
        let handling =
            with_plan.milestones.iter().find(|m| m.kind == crate::sla::MilestoneKind::HandlingPlan).unwrap();
        assert_eq!(handling.met_at, Some(t(8)));
        let state = IncidentState::replay(
            with_plan.opened_level,
            with_plan.events.iter().map(|e| (&e.data, e.occurred_at)),
        )
        .unwrap();
        assert_eq!(state.active_plan(plan).unwrap().done, vec![true, true, false, false, false]);
        let unknown =
            NewEvent { contingency: "builtin-network".into(), occurred_at: String::new(), ..follows };
        let refused = store.append_event(&incident.summary.id, &unknown, t(10)).unwrap_err();
        assert_eq!(refusal(refused), "plan_not_active");
    }

    #[test]
    fn saving_a_plan_makes_its_next_version_and_activation_keeps_the_one_used() {
        let now = now();
        let mut store = Store::open_in_memory(now).unwrap();
        let incident = store.create_incident(&new_incident("网络中断", &now.to_rfc3339()), now).unwrap();
        activate(&mut store, &incident.summary.id, "builtin-network", Lang::ZhCn, now).unwrap();
        let mut form = ContingencyForm::from(&store.contingency_plan("builtin-network", Lang::ZhCn).unwrap());
        form.steps.truncate(2);
        form.trigger_fault_types = vec!["NOPE".into()];
        let refused = save(&mut store, Some("builtin-network"), &form, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refused.field_names(), vec!["trigger_fault_types"]);
        form.trigger_fault_types = vec!["net".into()];
        let saved = save(&mut store, Some("builtin-network"), &form, Lang::ZhCn, now).unwrap();
        assert_eq!(
            (saved.version, saved.steps.len(), saved.trigger_fault_types.clone()),
            (2, 2, vec!["NET".to_owned()])
        );
        let list = store.contingency_plans(Lang::En).unwrap();
        assert_eq!(
            list.iter().find(|p| p.id == "builtin-network").unwrap().version,
            2,
            "the saved version, in its words"
        );
        assert_eq!(list.iter().filter(|p| p.is_builtin()).count(), builtin_plans(Lang::En).len());
        let kept = store.get_incident(&incident.summary.id, now).unwrap();
        let steps = kept.events.iter().find_map(|e| match &e.data {
            EventData::PlanActivated { version, steps, .. } => Some((*version, steps.len())),
            _ => None,
        });
        assert_eq!(steps, Some((1, 4)), "the incident keeps the version it activated");

        let mine =
            save(&mut store, None, &ContingencyForm { name: "机房断电".into(), ..form }, Lang::ZhCn, now)
                .unwrap();
        assert_eq!(mine.version, 1);
        assert_eq!(store.contingency_plans(Lang::ZhCn).unwrap().last().unwrap().id, mine.id);
        let withdrawn = ContingencyForm { active: false, ..ContingencyForm::from(&mine) };
        save(&mut store, Some(&mine.id), &withdrawn, Lang::ZhCn, now).unwrap();
        let refused = activate(&mut store, &incident.summary.id, &mine.id, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refused.field_names(), vec!["plan_id"]);
    }

    #[test]
    fn the_catalogue_counts_reviews_due_and_overdue_of_plans_in_force() {
        let mut store = in_memory_db();
        let today = crate::zone::service_date(now());
        let plans = store.contingency_plans(Lang::ZhCn).unwrap();
        let with_review = |i: usize, due: NaiveDate, active: bool| ContingencyForm {
            review_due: due.to_string(),
            effective_on: String::new(),
            active,
            ..ContingencyForm::from(&plans[i])
        };
        for (i, due, active) in [
            (0, today - Duration::days(1), true),
            (1, today - Duration::days(40), false),
            (2, today + Duration::days(10), true),
            (3, today + Duration::days(200), true),
        ] {
            save(&mut store, Some(&plans[i].id), &with_review(i, due, active), Lang::ZhCn, now()).unwrap();
        }
        let c = catalogue(&store, Lang::ZhCn, now()).unwrap();
        assert_eq!((c.overdue, c.due_soon), (1, 1), "a withdrawn plan is not announced");
        assert_eq!(c.plans[0].review, Review::Overdue);
        assert_eq!(c.plans[1].review, Review::Overdue);
        assert_eq!(c.plans[3].review, Review::Current);
    }

    #[test]
    fn an_incident_is_offered_the_plans_that_fit_it_first() {
        let mut store = in_memory_db();
        let form = NewIncident { level: "II".into(), ..new_incident("病毒", &now().to_rfc3339()) };
        let incident = store.create_incident(&form, now()).unwrap();
        let offered = for_incident(&store, &incident.summary.id, Lang::ZhCn, now()).unwrap();
        let fitting: Vec<&str> = offered.iter().filter(|c| c.fits).map(|c| c.plan.id.as_str()).collect();
        assert!(!fitting.contains(&"builtin-overall"), "the overall plan is for level I");
        assert!(fitting.contains(&"builtin-security"));
        assert!(offered.iter().take_while(|c| c.fits).count() == fitting.len(), "fitting first");
        assert_eq!(offered.len(), store.contingency_plans(Lang::ZhCn).unwrap().len());
        assert!(offered[0].title.starts_with('《'));
    }
}
