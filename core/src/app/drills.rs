//! Emergency drills (应急演练) as the window and the command line use them: the year's drill
//! plan with each plan's coverage (the backups' restore drills count for the data-recovery
//! plan), a drill's record, its log and its findings as corrective actions.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::backup::{Backups, RestoreDrill};
use crate::contingency::DATA_RECOVERY;
use crate::corrective::{ActionForm, ActionStatus, CorrectiveAction, Source};
use crate::document::{SignedDocument, StoredRevision};
use crate::drill::{coverage, Drill, DrillForm, LogForm, Participant, PlanCoverage};
use crate::store::Store;
use crate::zone::service_date;
use crate::{Error, Lang, Result};

/// One drill in the year's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrillRow {
    pub drill: Drill,
    /// "《name》第 N 版".
    pub plan_title: String,
    pub actions: u32,
    pub open_actions: u32,
}

/// A year's drill plan (演练计划).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrillYear {
    pub year: i32,
    pub today: NaiveDate,
    pub drills: Vec<DrillRow>,
    /// The backups' restore drills of the year, newest first: drills of the data-recovery plan.
    pub restores: Vec<RestoreDrill>,
    /// Each plan in force: when it was last drilled this year, and drills of it still planned.
    pub coverage: Vec<PlanCoverage>,
    /// The plans in force drilled this year.
    pub drilled: u32,
    /// The next drill still to hold, from today on.
    pub next: Option<Drill>,
}

/// Everything one drill's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DrillDetail {
    pub drill: Drill,
    pub plan_title: String,
    /// Whether the recovery time reached its target; `None` while either is unknown.
    pub met_target: Option<bool>,
    /// The drill as its edit form.
    pub form: DrillForm,
    pub actions: Vec<CorrectiveAction>,
    pub revisions: Vec<StoredRevision>,
    pub today: NaiveDate,
}

/// The backups' restore drills, where the store has a data folder (not a test's memory).
fn restore_drills(store: &Store) -> Result<Vec<RestoreDrill>> {
    match Backups::of_store(store) {
        Ok(backups) => backups.drills(),
        Err(Error::NoDataDir) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The drills of `year` with each plan's coverage.
pub fn year(store: &Store, year: i32, lang: Lang, now: DateTime<Utc>) -> Result<DrillYear> {
    let drills = store.drills(Some(year))?;
    let mut restores = restore_drills(store)?;
    restores.retain(|r| service_date(r.at).year() == year);
    let held: Vec<(String, NaiveDate)> = drills
        .iter()
        .filter(|d| d.held)
        .map(|d| (d.plan_id.clone(), d.date))
        .chain(restores.iter().map(|r| (DATA_RECOVERY.to_owned(), service_date(r.at))))
        .collect();
    let planned: Vec<String> = drills.iter().filter(|d| !d.held).map(|d| d.plan_id.clone()).collect();
    let plans = store.contingency_plans(lang)?;
    let coverage = coverage(
        plans.iter().filter(|p| p.active).map(|p| (p.id.as_str(), p.name.as_str())),
        &held,
        &planned,
    );
    let today = service_date(now);
    let next = drills.iter().filter(|d| !d.held && d.date >= today).min_by_key(|d| d.date).cloned();
    let drilled = coverage.iter().filter(|c| c.last_drilled.is_some()).count() as u32;
    let drills = drills
        .into_iter()
        .map(|drill| {
            let actions = store.actions_from(Source::Drill, &drill.id)?;
            Ok(DrillRow {
                plan_title: drill.plan_title(lang),
                actions: actions.len() as u32,
                open_actions: actions.iter().filter(|a| a.status == ActionStatus::Open).count() as u32,
                drill,
            })
        })
        .collect::<Result<_>>()?;
    Ok(DrillYear { year, today, drills, restores, coverage, drilled, next })
}

pub fn detail(store: &Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<DrillDetail> {
    let drill = store.drill(id)?;
    Ok(DrillDetail {
        plan_title: drill.plan_title(lang),
        met_target: drill.met_target(),
        form: DrillForm::from(&drill),
        actions: store.actions_from(Source::Drill, id)?,
        revisions: store.revisions(SignedDocument::DrillReport, Some(id))?,
        today: service_date(now),
        drill,
    })
}

/// Plans a new drill (`id` = `None`) or records drill `id` from `form`. The plan exercised is
/// taken at its current version when it is first chosen; its RTO is the target unless the
/// form sets one.
pub fn save(
    store: &mut Store,
    id: Option<&str>,
    form: &DrillForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Drill> {
    let valid = form.validate(service_date(now))?;
    let before = id.map(|id| store.drill(id)).transpose()?;
    let (plan_name, plan_version, rto) = match &before {
        Some(d) if d.plan_id == valid.plan_id => (d.plan_name.clone(), d.plan_version, None),
        _ => {
            let plan = store.contingency_plan(&valid.plan_id, lang)?;
            plan.check_in_force()?;
            (plan.name, plan.version, plan.rto_minutes)
        }
    };
    let participants = valid
        .participants
        .into_iter()
        .map(|(person_id, role, status)| {
            let person = store.get_person(&person_id)?;
            Ok(Participant::of(&person, role, status))
        })
        .collect::<Result<Vec<_>>>()?;
    let drill = Drill {
        id: before.as_ref().map(|d| d.id.clone()).unwrap_or_default(),
        number: before.as_ref().map(|d| d.number.clone()).unwrap_or_default(),
        date: valid.date,
        kind: valid.kind,
        scope: valid.scope,
        plan_id: valid.plan_id,
        plan_name,
        plan_version,
        scenario: valid.scenario,
        target_minutes: valid.target_minutes.or(rto),
        achieved_minutes: valid.achieved_minutes,
        participants,
        log: before.map(|d| d.log).unwrap_or_default(),
        held: valid.held,
        verdict: valid.verdict,
        evaluation: valid.evaluation,
    };
    if drill.id.is_empty() {
        store.insert_drill(drill, now)
    } else {
        store.update_drill(&drill, now)?;
        Ok(drill)
    }
}

/// Adds a line to drill `id`'s log, by the user of this copy.
pub fn log(store: &mut Store, id: &str, form: &LogForm, now: DateTime<Utc>) -> Result<Drill> {
    let by = store.settings()?.user_name;
    let mut drill = store.drill(id)?;
    drill.add_log(form.validate(&by, now)?)?;
    store.update_drill(&drill, now)?;
    Ok(drill)
}

/// Raises a finding of drill `id` as a corrective action.
pub fn raise_finding(
    store: &mut Store,
    id: &str,
    form: &ActionForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<CorrectiveAction> {
    let drill = store.drill(id)?;
    store.raise_action(Source::Drill, &drill.id, &drill.action_label(lang), &form.validate()?, now)
}

#[cfg(test)]
mod tests;
