//! Emergency drills (应急演练).

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, OptionalExtension};

use super::corrective::next_in_sequence;
use super::{from_json, to_json, ts, Store};
use crate::drill::Drill;
use crate::error::Missing;
use crate::{Error, Result};

impl Store {
    /// Stores a new drill, numbered the next of its year (`DR-2026-01`); returns it as stored.
    pub fn insert_drill(&mut self, drill: Drill, now: DateTime<Utc>) -> Result<Drill> {
        let by = self.settings()?.user_name;
        let tx = self.conn.transaction()?;
        let year = drill.date.year();
        let prefix = Store::number_prefix(&tx)?;
        let number = format!("{prefix}DR-{year}-{:02}", next_in_sequence(&tx, "DR", year)?);
        let drill = Drill { id: super::new_id(), number, ..drill };
        tx.execute(
            "INSERT INTO drills (id, number, year, data, created_at, created_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
            params![drill.id, drill.number, year, to_json(&drill)?, ts(now), by],
        )?;
        tx.commit()?;
        Ok(drill)
    }

    /// Replaces the record of drill `drill.id` (its number never changes).
    pub fn update_drill(&mut self, drill: &Drill, now: DateTime<Utc>) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE drills SET year = ?2, data = ?3, updated_at = ?4 WHERE id = ?1 AND number = ?5",
            params![drill.id, drill.date.year(), to_json(drill)?, ts(now), drill.number],
        )?;
        if changed == 0 {
            return Err(Error::NotFound { what: Missing::Drill, id: drill.number.clone() });
        }
        Ok(())
    }

    pub fn drill(&self, id: &str) -> Result<Drill> {
        self.drill_where("id", id)
    }

    /// The drill numbered `number` (`DR-2026-01`).
    pub fn drill_by_number(&self, number: &str) -> Result<Drill> {
        self.drill_where("number", number.trim())
    }

    fn drill_where(&self, column: &'static str, value: &str) -> Result<Drill> {
        let data: Option<String> = self
            .conn
            .query_row(&format!("SELECT data FROM drills WHERE {column} = ?1"), [value], |r| r.get(0))
            .optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::Drill, id: value.to_owned() })?)
    }

    /// The drills of `year` (every drill with `None`), by date then number.
    pub fn drills(&self, year: Option<i32>) -> Result<Vec<Drill>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM drills WHERE ?1 IS NULL OR year = ?1
             ORDER BY json_extract(data, '$.date'), number",
        )?;
        let rows = stmt.query_map([year], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }
}
