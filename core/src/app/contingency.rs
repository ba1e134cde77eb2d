//! Emergency plans (应急预案) as the window uses them: the catalogue with where each plan's
//! review stands, saving, and putting a plan to work on an incident.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contingency::{ContingencyForm, ContingencyPlan, Review};
use crate::incident::Incident;
use crate::store::Store;
use crate::timeline::EventData;
use crate::{Lang, Result};

/// One plan of the catalogue and where its review stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanEntry {
    pub plan: ContingencyPlan,
    pub review: Review,
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
        .map(|plan| PlanEntry { review: plan.review(today), plan })
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
    store.save_contingency_plan(id, form, lang, now)
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
    let fault_type = incident
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.data {
            EventData::ReportSubmitted { report, .. } => Some(report.fault_type_code.clone()),
            _ => None,
        })
        .unwrap_or_default();
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
    store.activate_contingency(incident_id, plan_id, lang, now)
}

pub fn step_done(
    store: &mut Store,
    incident_id: &str,
    plan_id: &str,
    step: u32,
    person: &str,
    now: DateTime<Utc>,
) -> Result<Incident> {
    store.contingency_step_done(incident_id, plan_id, step, person, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::NewIncident;
    use crate::store::testing::{in_memory_db, new_incident, now};
    use chrono::Duration;

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
