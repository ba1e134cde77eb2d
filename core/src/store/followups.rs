//! Follow-up calls (回访) of closed incidents.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{from_json, ms, parse_ts, to_json, ts, Store};
use crate::followup::{FollowUp, Rated};
use crate::level::Level;
use crate::{Error, Result};

impl Store {
    /// Incident `id`'s number and when it was closed (`None` while it is not).
    pub fn closed_at(&self, id: &str) -> Result<(String, Option<DateTime<Utc>>)> {
        let row: Option<(String, String, Option<String>)> = self
            .conn
            .query_row("SELECT number, status, closed_at FROM incidents WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let (number, status, closed) = row.ok_or_else(|| Error::IncidentNotFound(id.to_owned()))?;
        let closed = match (status.as_str(), closed) {
            ("closed", Some(at)) => Some(parse_ts(&at)?),
            _ => None,
        };
        Ok((number, closed))
    }

    pub fn add_follow_up(&mut self, f: &FollowUp) -> Result<()> {
        self.conn.execute(
            "INSERT INTO follow_ups (id, incident_id, satisfaction, called_at, data, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![f.id, f.incident_id, f.satisfaction, ms(f.called_at), to_json(f)?, ts(f.created_at)],
        )?;
        Ok(())
    }

    /// The follow-ups of incident `id`, oldest first.
    pub fn follow_ups(&self, id: &str) -> Result<Vec<FollowUp>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM follow_ups WHERE incident_id = ?1 ORDER BY called_at")?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    /// The follow-ups called in `[from, to)` with their incidents' number, title and level.
    pub fn rated_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Rated>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.number, i.title, i.level, f.data FROM follow_ups f JOIN incidents i ON i.id = f.incident_id
             WHERE f.called_at >= ?1 AND f.called_at < ?2 ORDER BY f.called_at",
        )?;
        let rows = stmt.query_map(params![ms(from), ms(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (number, title, level, data) = row?;
            let level = Level::from_code(&level).ok_or_else(|| Error::Corrupt(format!("level {level:?}")))?;
            out.push(Rated { number, title, level, follow_up: from_json(&data)? });
        }
        Ok(out)
    }
}
