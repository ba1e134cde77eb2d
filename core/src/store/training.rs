//! Training plans, sessions, attendance, the slot finder and the signed plan.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, OptionalExtension};

use super::{from_json, new_id, to_json, ts, Store};
use crate::error::{Missing, Rule};
use crate::training::plan::{builtin_audiences, AttendanceForm, Audience, Plan, PlanForm, Session};
use crate::training::{AudienceForm, SessionQuery};
use crate::{Error, FieldError, Result};

impl Store {
    /// The five audiences of the plan, then those added here.
    pub fn training_audiences(&self) -> Result<Vec<Audience>> {
        let mut list = builtin_audiences();
        let mut stmt = self.conn.prepare_cached("SELECT data FROM training_audiences ORDER BY created_at")?;
        for data in stmt.query_map([], |r| r.get::<_, String>(0))? {
            list.push(from_json(&data?)?);
        }
        Ok(list)
    }

    pub fn add_training_audience(&mut self, form: &AudienceForm, now: DateTime<Utc>) -> Result<Audience> {
        let mut errors = Vec::new();
        let name = crate::text::check(&mut errors, "name", &form.name, 50, true, crate::text::Kind::Line);
        let existing = self.training_audiences()?;
        if existing.iter().any(|a| a.name_zh == name || a.name_en.eq_ignore_ascii_case(&name)) {
            errors.push(FieldError::new("name", Rule::Duplicate));
        }
        let max = crate::training::plan::TEXT_MAX_CHARS;
        let content = crate::text::check(
            &mut errors,
            "default_content",
            &form.default_content,
            max,
            false,
            crate::text::Kind::Block,
        );
        if !errors.is_empty() {
            return Err(Error::invalid(errors, crate::training::plan::labels));
        }
        let audience = Audience {
            code: format!("custom-{}", new_id()),
            name_zh: name.clone(),
            name_en: name,
            default_content_zh: content.clone(),
            default_content_en: content,
            builtin: false,
        };
        self.conn.execute(
            "INSERT INTO training_audiences (code, data, created_at) VALUES (?1, ?2, ?3)",
            params![audience.code, to_json(&audience)?, ts(now)],
        )?;
        Ok(audience)
    }

    /// Creates (`id` `None`) or updates a plan.
    pub fn save_training_plan(
        &mut self,
        id: Option<&str>,
        form: &PlanForm,
        now: DateTime<Utc>,
    ) -> Result<Plan> {
        let details = form.validate(&self.training_audiences()?, new_id)?;
        let tx = self.conn.transaction()?;
        let plan = match id {
            Some(id) => {
                let old = get_plan(&tx, id)?;
                Plan {
                    title: details.title,
                    start: details.start,
                    end: details.end,
                    notes: details.notes,
                    rows: details.rows,
                    updated_at: now,
                    ..old
                }
            }
            None => {
                let year = details.start.year();
                let prefix = Store::number_prefix(&tx)?;
                let count: u32 = tx.query_row(
                    "SELECT count(*) FROM training_plans WHERE number LIKE ?1",
                    [format!("{prefix}TP-{year}-%")],
                    |r| r.get(0),
                )?;
                Plan {
                    id: new_id(),
                    number: format!("{prefix}TP-{year}-{:02}", count + 1),
                    title: details.title,
                    start: details.start,
                    end: details.end,
                    notes: details.notes,
                    rows: details.rows,
                    created_at: now,
                    updated_at: now,
                }
            }
        };
        tx.execute(
            "INSERT INTO training_plans (id, number, start_date, data, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET start_date = ?3, data = ?4, updated_at = ?6",
            params![
                plan.id,
                plan.number,
                plan.start.to_string(),
                to_json(&plan)?,
                ts(plan.created_at),
                ts(now)
            ],
        )?;
        tx.commit()?;
        Ok(plan)
    }

    pub fn training_plan(&self, id: &str) -> Result<Plan> {
        get_plan(&self.conn, id)
    }

    /// Every plan, newest period first.
    pub fn training_plans(&self) -> Result<Vec<Plan>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM training_plans ORDER BY start_date DESC, number DESC")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    pub fn training_session(&self, id: &str) -> Result<Session> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM training_sessions WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::TrainingSession, id: id.to_owned() })?)
    }

    /// Removes a session planned by mistake; one with attendance recorded is the record that
    /// training took place and is refused ([`crate::training::AttendanceKept`]).
    pub fn delete_training_session(&mut self, id: &str) -> Result<()> {
        let session = self.training_session(id)?;
        let recorded = session
            .attendees
            .iter()
            .filter(|a| a.status != crate::training::plan::AttendanceStatus::Invited)
            .count();
        if recorded > 0 {
            return Err(Error::refused(crate::training::AttendanceKept { recorded }));
        }
        let n = self.conn.execute("DELETE FROM training_sessions WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound { what: Missing::TrainingSession, id: id.to_owned() });
        }
        Ok(())
    }

    /// Sessions matching `query`, by start time.
    pub fn training_sessions(&self, query: &SessionQuery) -> Result<Vec<Session>> {
        let mut sql = "SELECT s.data FROM training_sessions s WHERE 1 = 1".to_owned();
        let mut args: Vec<String> = Vec::new();
        let mut bind = |sql: &mut String, clause: &str, value: String| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        let bound = |field: &'static str, text: &str| -> Result<Option<String>> {
            match text.trim() {
                "" => Ok(None),
                t => DateTime::parse_from_rfc3339(t).map(|t| Some(ts(t.with_timezone(&Utc)))).map_err(|_| {
                    Error::invalid(
                        vec![FieldError::new(field, Rule::InvalidTime)],
                        crate::training::plan::labels,
                    )
                }),
            }
        };
        if let Some(to) = bound("to", &query.to)? {
            bind(&mut sql, " AND s.start_at < ?", to);
        }
        if let Some(from) = bound("from", &query.from)? {
            bind(&mut sql, " AND s.end_at > ?", from);
        }
        for (column, value) in [
            ("s.plan_id", &query.plan_id),
            ("s.trainer_key", &query.trainer),
            ("s.room", &query.room),
            ("s.audience", &query.audience),
        ] {
            if !value.trim().is_empty() {
                bind(&mut sql, &format!(" AND {column} = ?"), value.trim().to_owned());
            }
        }
        if !query.attendee.trim().is_empty() {
            bind(
                &mut sql,
                " AND s.id IN (SELECT session_id FROM training_attendees WHERE person_id = ?)",
                query.attendee.trim().to_owned(),
            );
        }
        sql.push_str(" ORDER BY s.start_at");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    /// Every room sessions have used, by name.
    pub fn training_rooms(&self) -> Result<Vec<String>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT DISTINCT room FROM training_sessions ORDER BY room")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Records attendance and the outcome of a session.
    pub fn record_attendance(
        &mut self,
        id: &str,
        form: &AttendanceForm,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        let mut session = self.training_session(id)?;
        form.apply(&mut session)?;
        session.updated_at = now;
        self.write_session(&session)?;
        Ok(session)
    }

    /// Sessions overlapping `[start, end)`.
    pub fn sessions_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<Session>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM training_sessions WHERE start_at < ?2 AND end_at > ?1")?;
        let rows = stmt.query_map(params![ts(start), ts(end)], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    pub fn write_session(&mut self, session: &Session) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO training_sessions
               (id, plan_id, trainer_key, room, audience, start_at, end_at, data, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET plan_id = ?2, trainer_key = ?3, room = ?4, audience = ?5,
               start_at = ?6, end_at = ?7, data = ?8, updated_at = ?10",
            params![
                session.id,
                session.plan_id,
                crate::training::trainer_key(session),
                session.room,
                session.audience,
                ts(session.start),
                ts(session.end),
                to_json(session)?,
                ts(session.created_at),
                ts(session.updated_at)
            ],
        )?;
        tx.execute("DELETE FROM training_attendees WHERE session_id = ?1", [&session.id])?;
        for a in &session.attendees {
            tx.execute(
                "INSERT INTO training_attendees (session_id, person_id) VALUES (?1, ?2)",
                params![session.id, a.person_id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn get_plan(conn: &rusqlite::Connection, id: &str) -> Result<Plan> {
    let data: Option<String> = conn
        .query_row("SELECT data FROM training_plans WHERE id = ?1 OR number = ?1", [id], |r| r.get(0))
        .optional()?;
    from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::TrainingPlan, id: id.to_owned() })?)
}
