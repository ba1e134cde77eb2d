//! Emergency plans (应急预案) and their activation on incidents.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::incidents::{append_data, load_timeline, refresh_projection, replay};
use super::{from_json, to_json, ts, Store};
use crate::category::CategoryKind;
use crate::contingency::{builtin_plans, ContingencyForm, ContingencyPlan};
use crate::error::{FieldError, Missing, Rule};
use crate::incident::Incident;
use crate::text::Kind;
use crate::timeline::{EventData, PERSON_MAX_CHARS};
use crate::{Error, Lang, Result};

impl Store {
    /// The catalogue: the built-in plans (or their saved versions), then those made here, each
    /// at its current version.
    pub fn contingency_plans(&self, lang: Lang) -> Result<Vec<ContingencyPlan>> {
        super::current_versions(&self.conn, "contingency_plans", builtin_plans(lang), |p| &p.id)
    }

    /// Plan `id` at its current version.
    pub fn contingency_plan(&self, id: &str, lang: Lang) -> Result<ContingencyPlan> {
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM contingency_plans WHERE id = ?1 ORDER BY version DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match data {
            Some(data) => from_json(&data),
            None => builtin_plans(lang)
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| Error::NotFound { what: Missing::ContingencyPlan, id: id.to_owned() }),
        }
    }

    /// Saves `form` as the next version of plan `id`, or as a new plan.
    pub fn save_contingency_plan(
        &mut self,
        id: Option<&str>,
        form: &ContingencyForm,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<ContingencyPlan> {
        let (id, version) = match id {
            Some(id) => (id.to_owned(), self.contingency_plan(id, lang)?.version + 1),
            None => (super::new_id(), 1),
        };
        let plan = form.validate(&id, version, now)?;
        let fault_types = self.categories()?;
        let unknown: Vec<FieldError> = plan
            .trigger_fault_types
            .iter()
            .filter(|code| !fault_types.iter().any(|c| c.kind == CategoryKind::FaultType && &&c.code == code))
            .map(|code| FieldError::new("trigger_fault_types", Rule::Unknown { value: code.clone() }))
            .collect();
        if !unknown.is_empty() {
            return Err(Error::invalid(unknown, crate::contingency::labels));
        }
        let by = self.settings()?.user_name;
        self.conn.execute(
            "INSERT INTO contingency_plans (id, version, data, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![plan.id, plan.version, to_json(&plan)?, ts(now), by],
        )?;
        Ok(plan)
    }

    /// Puts plan `plan_id` to work on incident `incident_id`: a copy of its steps at its
    /// current version becomes the incident's check-list (an event of its timeline).
    pub fn activate_contingency(
        &mut self,
        incident_id: &str,
        plan_id: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<Incident> {
        let plan = self.contingency_plan(plan_id, lang)?;
        if !plan.active {
            let field = FieldError::new("plan_id", Rule::Unknown { value: plan.name });
            return Err(Error::invalid(vec![field], crate::contingency::labels));
        }
        let data = EventData::PlanActivated {
            plan_id: plan.id,
            name: plan.name,
            version: plan.version,
            steps: plan.steps,
        };
        self.append_checked(incident_id, &data, now)
    }

    /// Ticks step `step` (from 0) of the plan `plan_id` activated on incident `incident_id`,
    /// done by `person`.
    pub fn contingency_step_done(
        &mut self,
        incident_id: &str,
        plan_id: &str,
        step: u32,
        person: &str,
        now: DateTime<Utc>,
    ) -> Result<Incident> {
        let mut errors = Vec::new();
        let person = crate::text::check(&mut errors, "person", person, PERSON_MAX_CHARS, true, Kind::Line);
        if !errors.is_empty() {
            return Err(Error::invalid(errors, crate::contingency::labels));
        }
        let (_, events) = load_timeline(&self.conn, incident_id)?;
        // The step as the incident's copy of the plan words it (its replay refuses a wrong one).
        let title = events
            .iter()
            .find_map(|e| match &e.data {
                EventData::PlanActivated { plan_id: id, steps, .. } if id == plan_id => {
                    steps.get(step as usize).map(|s| s.title.clone())
                }
                _ => None,
            })
            .unwrap_or_default();
        let data = EventData::StepDone { plan_id: plan_id.to_owned(), step, title, person };
        self.append_checked(incident_id, &data, now)
    }

    /// Appends `data` at `now` to incident `id` after its timeline's rules, as the current user.
    fn append_checked(&mut self, id: &str, data: &EventData, now: DateTime<Utc>) -> Result<Incident> {
        let actor = self.settings()?.user_name;
        let tx = self.conn.transaction()?;
        let (opened_level, events) = load_timeline(&tx, id)?;
        let mut state = replay(opened_level, &events)?;
        append_data(&tx, id, &mut state, data, Some(actor.as_str()), now, now)?;
        refresh_projection(&tx, id, now)?;
        tx.commit()?;
        self.get_incident(id, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::NewIncident;
    use crate::store::testing::{new_incident, now};
    use crate::timeline::NewEvent;

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
        let activated = store.activate_contingency(&incident.summary.id, plan, Lang::ZhCn, now).unwrap();
        let copy = activated.events.iter().find_map(|e| match &e.data {
            EventData::PlanActivated { version, steps, .. } => Some((*version, steps.len())),
            _ => None,
        });
        assert_eq!(copy, Some((1, 5)));
        let again = store.activate_contingency(&incident.summary.id, plan, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refusal(again), "plan_already_active");

        let t = |m| now + chrono::Duration::minutes(m);
        store.contingency_step_done(&incident.summary.id, plan, 0, "李强", t(5)).unwrap();
        assert_eq!(
            refusal(store.contingency_step_done(&incident.summary.id, plan, 0, "李强", t(6)).unwrap_err()),
            "step_already_done"
        );
        assert_eq!(
            refusal(store.contingency_step_done(&incident.summary.id, plan, 9, "李强", t(6)).unwrap_err()),
            "no_such_step"
        );
        assert_eq!(
            refusal(
                store
                    .contingency_step_done(&incident.summary.id, "builtin-network", 0, "李强", t(6))
                    .unwrap_err()
            ),
            "plan_not_active"
        );
        assert_eq!(
            store.contingency_step_done(&incident.summary.id, plan, 1, " ", t(6)).unwrap_err().field_names(),
            vec!["person"]
        );
        let done = store.contingency_step_done(&incident.summary.id, plan, 1, "王芳", t(7)).unwrap();
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
        let (level, events) = load_timeline(&store.conn, &incident.summary.id).unwrap();
        let state = replay(level, &events).unwrap();
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
        store.activate_contingency(&incident.summary.id, "builtin-network", Lang::ZhCn, now).unwrap();
        let mut form = ContingencyForm::from(&store.contingency_plan("builtin-network", Lang::ZhCn).unwrap());
        form.steps.truncate(2);
        form.trigger_fault_types = vec!["NOPE".into()];
        let refused =
            store.save_contingency_plan(Some("builtin-network"), &form, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refused.field_names(), vec!["trigger_fault_types"]);
        form.trigger_fault_types = vec!["net".into()];
        let saved = store.save_contingency_plan(Some("builtin-network"), &form, Lang::ZhCn, now).unwrap();
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

        let mine = store
            .save_contingency_plan(
                None,
                &ContingencyForm { name: "机房断电".into(), ..form },
                Lang::ZhCn,
                now,
            )
            .unwrap();
        assert_eq!(mine.version, 1);
        assert_eq!(store.contingency_plans(Lang::ZhCn).unwrap().last().unwrap().id, mine.id);
        let withdrawn = ContingencyForm { active: false, ..ContingencyForm::from(&mine) };
        store.save_contingency_plan(Some(&mine.id), &withdrawn, Lang::ZhCn, now).unwrap();
        let refused =
            store.activate_contingency(&incident.summary.id, &mine.id, Lang::ZhCn, now).unwrap_err();
        assert_eq!(refused.field_names(), vec!["plan_id"]);
    }
}
