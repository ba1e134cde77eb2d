//! Emergency plans (应急预案), kept as versions.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{from_json, to_json, ts, Store};
use crate::contingency::{builtin_plans, ContingencyPlan};
use crate::error::Missing;
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

    /// Stores `plan`, checked, as its version.
    pub fn insert_contingency_plan(&mut self, plan: &ContingencyPlan, now: DateTime<Utc>) -> Result<()> {
        let by = self.settings()?.user_name;
        self.conn.execute(
            "INSERT INTO contingency_plans (id, version, data, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![plan.id, plan.version, to_json(plan)?, ts(now), by],
        )?;
        Ok(())
    }
}
