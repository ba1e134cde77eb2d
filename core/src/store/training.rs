//! Training plans, sessions, attendance, the slot finder and the signed plan.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sla::working_calendar;
use super::{new_id, ts, Store};
use crate::error::{Missing, Rule};
use crate::ics::{self, IcsEvent};
use crate::people::{Department, Person, PersonKind};
use crate::training::plan::{
    audience_name, builtin_audiences, progress, AttendanceForm, AttendanceStatus, Attendee, Audience, Mode,
    PersonRef, Plan, PlanForm, PlanProgress, Session, SessionForm, LEADERSHIP,
};
use crate::training::{
    clashes, schedule_warnings, suggest_slots, Booking, Busy, ScheduleWarning, SlotRequest,
};
use crate::training::{Room, SlotSuggestion};
use crate::{Error, FieldError, Lang, Result};

/// An audience as added in the app: one name and its usual content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AudienceForm {
    pub name: String,
    pub default_content: String,
}

/// A saved session and what deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedSession {
    pub session: Session,
    pub warnings: Vec<ScheduleWarning>,
}

/// Which sessions a calendar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SessionQuery {
    /// RFC 3339; sessions overlapping `[from, to)`. Empty for no bound.
    pub from: String,
    pub to: String,
    pub plan_id: String,
    /// A trainer's person id, or `ext:` and an external trainer's name.
    pub trainer: String,
    pub room: String,
    pub audience: String,
    /// A person booked on the session.
    pub attendee: String,
}

/// What the one-to-one slot finder is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SlotQuery {
    pub leader_id: String,
    /// A training-group member's id.
    pub trainer_id: String,
    pub duration_minutes: u32,
    /// RFC 3339; empty for now.
    pub from: String,
    pub weeks: u32,
    pub count: u32,
    /// The rooms that may be used; empty for every room sessions have used.
    pub rooms: Vec<String>,
}

/// A suggested slot as booked: a one-to-one session of the leadership audience.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SlotBooking {
    pub plan_id: String,
    pub leader_id: String,
    pub trainer_id: String,
    /// RFC 3339, as the slot finder gave them.
    pub start: String,
    pub end: String,
    pub room: String,
    /// Empty: "领导一对一：<leader>".
    pub title: String,
    /// The session this one follows up, or empty.
    pub follow_up_of: String,
}

/// The slot finder's answer: the slots, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SlotAnswer {
    pub slots: Vec<SlotSuggestion>,
    pub weeks: u32,
    /// The leader has no availability windows at all.
    pub no_availability: bool,
}

/// Defaults of the slot finder.
const DEFAULT_SLOTS: u32 = 5;
const DEFAULT_WEEKS: u32 = 4;
const MAX_WEEKS: u32 = 52;

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
            return Err(Error::Validation(errors));
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

    /// A new plan's form: this year (from `now`), a row per audience with its default content.
    pub fn training_plan_template(&self, lang: Lang, now: DateTime<Utc>) -> Result<PlanForm> {
        let today = crate::zone::service_date(now);
        let end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
        Ok(PlanForm::template(&self.training_audiences()?, today, end, lang))
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
                let count: u32 = tx.query_row(
                    "SELECT count(*) FROM training_plans WHERE number LIKE ?1",
                    [format!("TP-{year}-%")],
                    |r| r.get(0),
                )?;
                Plan {
                    id: new_id(),
                    number: format!("TP-{year}-{:02}", count + 1),
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

    /// Creates (`id` `None`) or reschedules/edits a session. A trainer, room or attendee booked
    /// twice is refused naming the other session; evenings and rest days come back as warnings.
    pub fn save_training_session(
        &mut self,
        id: Option<&str>,
        form: &SessionForm,
        now: DateTime<Utc>,
    ) -> Result<SavedSession> {
        let audiences = self.training_audiences()?;
        let details = form.validate(&audiences)?;
        let plan = self.training_plan(&details.plan_id).map_err(|_| {
            Error::Validation(vec![FieldError::new(
                "plan_id",
                Rule::Unknown { value: details.plan_id.clone() },
            )])
        })?;
        let mut errors = Vec::new();
        if let Some(row) = &details.row_id {
            if !plan.rows.iter().any(|r| &r.id == row) {
                errors.push(FieldError::new("row_id", Rule::Unknown { value: row.clone() }));
            }
        }
        let today = crate::zone::service_date(now);
        let trainer_name = match &details.trainer_id {
            Some(trainer) => match self.get_person(trainer) {
                Ok(p) if is_trainer(&p, today) => p.details.name,
                Ok(p) => {
                    errors.push(FieldError::new("trainer_id", Rule::Unknown { value: p.details.name }));
                    String::new()
                }
                Err(_) => {
                    errors.push(FieldError::new("trainer_id", Rule::Unknown { value: trainer.clone() }));
                    String::new()
                }
            },
            None => details.trainer_name.clone(),
        };
        let old = id.map(|id| self.training_session(id)).transpose()?;
        let mut attendees = Vec::new();
        for person_id in &details.attendee_ids {
            let kept = old.as_ref().and_then(|o| o.attendees.iter().find(|a| &a.person_id == person_id));
            match (kept, self.get_person(person_id)) {
                (Some(a), _) => attendees.push(a.clone()),
                (None, Ok(p)) if p.details.kind == PersonKind::Client && !p.has_left(today) => attendees
                    .push(Attendee {
                        person_id: p.id,
                        name: p.details.name,
                        department: p.details.client_department,
                        status: AttendanceStatus::Invited,
                        score: None,
                        passed: None,
                        rating: None,
                        comment: String::new(),
                    }),
                (None, Ok(p)) => {
                    errors.push(FieldError::new("attendee_ids", Rule::Unknown { value: p.details.name }))
                }
                (None, Err(_)) => {
                    errors.push(FieldError::new("attendee_ids", Rule::Unknown { value: person_id.clone() }))
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let session = Session {
            id: old.as_ref().map_or_else(new_id, |o| o.id.clone()),
            plan_id: plan.id,
            row_id: details.row_id,
            title: details.title,
            audience: details.audience,
            content: details.content,
            trainer_id: details.trainer_id,
            trainer_name,
            room: details.room,
            start: details.start,
            end: details.end,
            capacity: details.capacity,
            mode: details.mode,
            attendees,
            materials: details.materials,
            needs_follow_up: details.needs_follow_up,
            follow_up_of: details.follow_up_of,
            outcome: old.as_ref().map(|o| o.outcome.clone()).unwrap_or_default(),
            created_at: old.as_ref().map_or(now, |o| o.created_at),
            updated_at: now,
        };
        let nearby = self.sessions_between(session.start, session.end)?;
        let found = clashes(&booking(&session), &nearby.iter().map(booking).collect::<Vec<_>>());
        if !found.is_empty() {
            return Err(Error::refused(crate::training::Clashes(found)));
        }
        self.write_session(&session)?;
        let warnings = schedule_warnings(session.start, session.end, &working_calendar(&self.conn)?);
        Ok(SavedSession { session, warnings })
    }

    pub fn training_session(&self, id: &str) -> Result<Session> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM training_sessions WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::TrainingSession, id: id.to_owned() })?)
    }

    pub fn delete_training_session(&mut self, id: &str) -> Result<()> {
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
                t => DateTime::parse_from_rfc3339(t)
                    .map(|t| Some(ts(t.with_timezone(&Utc))))
                    .map_err(|_| Error::Validation(vec![FieldError::new(field, Rule::InvalidTime)])),
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

    /// Sessions held vs planned per audience, attendance rate, who has not attended yet.
    pub fn training_plan_progress(&self, plan_id: &str, now: DateTime<Utc>) -> Result<PlanProgress> {
        let plan = self.training_plan(plan_id)?;
        let sessions =
            self.training_sessions(&SessionQuery { plan_id: plan_id.into(), ..Default::default() })?;
        let today = crate::zone::service_date(now);
        let leaders: Vec<PersonRef> = self
            .list_people(
                &super::PeopleQuery { kind: "client".into(), leaders_only: true, ..Default::default() },
                today,
            )?
            .into_iter()
            .map(|p| PersonRef { id: p.id, name: p.details.name })
            .collect();
        let rows: Vec<String> = plan.rows.iter().map(|r| r.audience.clone()).collect();
        Ok(progress(&self.training_audiences()?, &rows, &sessions, &leaders, now))
    }

    /// The earliest free slots for a one-to-one session of `leader_id` with `trainer_id`:
    /// inside the leader's availability and working hours, trainer, leader and a room free.
    pub fn suggest_training_slots(&self, query: &SlotQuery, now: DateTime<Utc>) -> Result<SlotAnswer> {
        let mut errors = Vec::new();
        let today = crate::zone::service_date(now);
        let leader = self.get_person(&query.leader_id).ok().filter(|p| p.details.kind == PersonKind::Client);
        if leader.is_none() {
            errors.push(FieldError::new("leader_id", Rule::Required));
        }
        let trainer = self.get_person(&query.trainer_id).ok().filter(|p| is_trainer(p, today));
        if trainer.is_none() {
            errors.push(FieldError::new("trainer_id", Rule::Required));
        }
        if !(15..=8 * 60).contains(&query.duration_minutes) {
            errors.push(FieldError::new("duration", Rule::OutOfRange { min: 15, max: 480 }));
        }
        let from = match query.from.trim() {
            "" => Some(now),
            t => DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc)).or_else(|| {
                errors.push(FieldError::new("from", Rule::InvalidTime));
                None
            }),
        };
        let (Some(leader), Some(trainer), Some(from)) = (leader, trainer, from) else {
            return Err(Error::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let weeks = if query.weeks == 0 { DEFAULT_WEEKS } else { query.weeks.min(MAX_WEEKS) };
        let count = if query.count == 0 { DEFAULT_SLOTS } else { query.count.min(50) };
        let until = from + Duration::weeks(i64::from(weeks)) + Duration::days(1);
        let nearby = self.sessions_between(from, until)?;
        let busy: Vec<Busy> = nearby
            .iter()
            .filter(|s| {
                s.trainer_id.as_deref() == Some(trainer.id.as_str())
                    || s.attendees.iter().any(|a| a.person_id == leader.id)
            })
            .map(|s| (s.start, s.end))
            .collect();
        let names = if query.rooms.is_empty() { self.training_rooms()? } else { query.rooms.clone() };
        let rooms: Vec<Room> = names
            .iter()
            .map(|room| {
                let taken = nearby.iter().filter(|s| s.room == *room).map(|s| (s.start, s.end)).collect();
                (room.clone(), taken)
            })
            .collect();
        if rooms.is_empty() {
            return Err(Error::Validation(vec![FieldError::new("rooms", Rule::Required)]));
        }
        let request = SlotRequest {
            availability: &leader.details.availability,
            busy: &busy,
            rooms: &rooms,
            duration: Duration::minutes(i64::from(query.duration_minutes)),
            from,
            weeks,
            count: count as usize,
        };
        Ok(SlotAnswer {
            slots: suggest_slots(&request, &working_calendar(&self.conn)?),
            weeks,
            no_availability: leader.details.availability.is_empty(),
        })
    }

    /// Books a suggested slot: a one-to-one session of the leadership audience under the plan's
    /// leadership row, with the leader as its one attendee (clashes checked as for any session).
    pub fn book_training_slot(
        &mut self,
        booking: &SlotBooking,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<SavedSession> {
        let row = self
            .training_plan(&booking.plan_id)
            .ok()
            .and_then(|p| p.rows.into_iter().find(|r| r.audience == LEADERSHIP));
        let title = match booking.title.trim() {
            "" => {
                let leader = self.get_person(&booking.leader_id).map(|p| p.details.name).unwrap_or_default();
                format!("{}{leader}", lang.pick("领导一对一：", "One-to-one: "))
            }
            title => title.to_owned(),
        };
        let form = SessionForm {
            plan_id: booking.plan_id.clone(),
            row_id: row.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
            title,
            audience: LEADERSHIP.into(),
            content: row.map(|r| r.content).unwrap_or_default(),
            trainer_id: booking.trainer_id.clone(),
            room: booking.room.clone(),
            start: booking.start.clone(),
            end: booking.end.clone(),
            capacity: "1".into(),
            mode: Mode::OneToOne.code().into(),
            attendee_ids: vec![booking.leader_id.clone()],
            follow_up_of: booking.follow_up_of.clone(),
            ..Default::default()
        };
        self.save_training_session(None, &form, now)
    }

    /// Sessions as an iCalendar file: one plan's, or one trainer's (`query`).
    pub fn training_ics(&self, query: &SessionQuery, lang: Lang, now: DateTime<Utc>) -> Result<String> {
        let sessions = self.training_sessions(query)?;
        let audiences = self.training_audiences()?;
        let name = match (query.plan_id.is_empty(), sessions.first()) {
            (false, _) => {
                format!("{} · {}", lang.pick("培训", "Training"), self.training_plan(&query.plan_id)?.title)
            }
            (true, Some(s)) if !query.trainer.is_empty() => {
                format!("{} · {}", lang.pick("培训", "Training"), s.trainer_name)
            }
            _ => lang.pick("培训", "Training").to_owned(),
        };
        let events: Vec<IcsEvent> = sessions
            .iter()
            .map(|s| IcsEvent {
                uid: format!("training-{}@yunwei", s.id),
                start: s.start,
                end: s.end,
                summary: s.title.clone(),
                location: s.room.clone(),
                description: format!(
                    "{}: {}\n{}: {}\n{}",
                    lang.pick("培训人", "Trainer"),
                    s.trainer_name,
                    lang.pick("培训对象", "Audience"),
                    audience_name(&audiences, &s.audience, lang),
                    s.content
                ),
            })
            .collect();
        Ok(ics::calendar(&name, &events, now))
    }

    /// Sessions overlapping `[start, end)`.
    fn sessions_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<Session>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM training_sessions WHERE start_at < ?2 AND end_at > ?1")?;
        let rows = stmt.query_map(params![ts(start), ts(end)], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    fn write_session(&mut self, session: &Session) -> Result<()> {
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
                trainer_key(session),
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

/// A current member of the training group (培训组).
fn is_trainer(person: &Person, today: NaiveDate) -> bool {
    person.details.kind == PersonKind::Team
        && person.details.department == Some(Department::Training)
        && !person.has_left(today)
}

/// The trainer as clash checks and filters know them.
fn trainer_key(session: &Session) -> String {
    match &session.trainer_id {
        Some(id) => id.clone(),
        None => format!("{}{}", crate::training::EXTERNAL_TRAINER_PREFIX, session.trainer_name),
    }
}

fn booking(session: &Session) -> Booking {
    Booking {
        id: session.id.clone(),
        title: session.title.clone(),
        start: session.start,
        end: session.end,
        trainer: (trainer_key(session), session.trainer_name.clone()),
        room: session.room.clone(),
        attendees: session.attendees.iter().map(|a| (a.person_id.clone(), a.name.clone())).collect(),
    }
}

fn get_plan(conn: &rusqlite::Connection, id: &str) -> Result<Plan> {
    let data: Option<String> = conn
        .query_row("SELECT data FROM training_plans WHERE id = ?1 OR number = ?1", [id], |r| r.get(0))
        .optional()?;
    from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::TrainingPlan, id: id.to_owned() })?)
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T> {
    serde_json::from_str(data).map_err(|e| Error::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests;
