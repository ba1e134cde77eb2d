//! Emergency plans (应急预案): the catalogue, and plans put to work on incidents.

use tauri::State;
use yunwei_core::app::contingency::{self, Catalogue, PlanChoice};
use yunwei_core::contingency::{ContingencyForm, ContingencyPlan};
use yunwei_core::error::ErrorReport;
use yunwei_core::incident::Incident;

use crate::AppState;

/// The plans, each with where its review stands.
#[tauri::command]
pub async fn contingency_catalogue(state: State<'_, AppState>) -> Result<Catalogue, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::catalogue(s, lang, yunwei_core::now())
    })
}

/// Saves plan `id` as its next version, or a new plan (`id` = `null`).
#[tauri::command]
pub async fn contingency_plan_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: ContingencyForm,
) -> Result<ContingencyPlan, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::save(s, id.as_deref(), &form, lang, yunwei_core::now())
    })
}

/// The plans incident `id` may activate, those fitting it first.
#[tauri::command]
pub async fn contingency_for_incident(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<PlanChoice>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::for_incident(s, &id, lang, yunwei_core::now())
    })
}

/// Puts plan `plan_id` to work on incident `id`.
#[tauri::command]
pub async fn contingency_activate(
    state: State<'_, AppState>,
    id: String,
    plan_id: String,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::activate(s, &id, &plan_id, lang, yunwei_core::now())
    })
}

/// Ticks step `step` of the plan `plan_id` activated on incident `id`, done by `person`.
#[tauri::command]
pub async fn contingency_step_done(
    state: State<'_, AppState>,
    id: String,
    plan_id: String,
    step: u32,
    person: String,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| contingency::step_done(s, &id, &plan_id, step, &person, yunwei_core::now()))
}
