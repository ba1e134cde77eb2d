//! People and the on-call rota.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};

use super::{new_id, ts, Store};
use crate::error::{Missing, Rule};
use crate::people::{Department, PeopleQuery, Person, PersonDetails, PersonForm, PersonKind};
use crate::roster::{Override, OverrideForm, Rotation, RotationForm};
use crate::{Error, FieldError, Result};

impl Store {
    /// Adds a person. A second person with the same name and phone needs `confirm_duplicate`.
    pub fn create_person(&mut self, form: &PersonForm, now: DateTime<Utc>) -> Result<Person> {
        let valid = form.validate()?;
        let tx = self.conn.transaction()?;
        refuse_duplicate(&tx, &valid, None, form.confirm_duplicate)?;
        let person = stored(new_id(), valid, now, now);
        write_person(&tx, &person)?;
        tx.commit()?;
        Ok(person)
    }

    pub fn update_person(&mut self, id: &str, form: &PersonForm, now: DateTime<Utc>) -> Result<Person> {
        let valid = form.validate()?;
        let created_at = self.get_person(id)?.created_at;
        let tx = self.conn.transaction()?;
        refuse_duplicate(&tx, &valid, Some(id), form.confirm_duplicate)?;
        let person = stored(id.to_owned(), valid, created_at, now);
        write_person(&tx, &person)?;
        tx.commit()?;
        Ok(person)
    }

    /// The team member `id` if they have not left by `now`; otherwise a refusal of `field`.
    pub fn current_team_member(&self, id: &str, field: &'static str, now: DateTime<Utc>) -> Result<Person> {
        let today = crate::zone::service_date(now);
        self.get_person(id).ok().filter(|p| crate::people::is_current_team_member(p, today)).ok_or_else(
            || Error::Validation(vec![FieldError::new(field, Rule::Unknown { value: id.to_owned() })]),
        )
    }

    pub fn get_person(&self, id: &str) -> Result<Person> {
        let data: Option<String> =
            self.conn.query_row("SELECT data FROM people WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        parse_person(&data.ok_or_else(|| Error::NotFound { what: Missing::Person, id: id.to_owned() })?)
    }

    /// People matching `query`, team first by department then name.
    pub fn list_people(&self, query: &PeopleQuery, today: NaiveDate) -> Result<Vec<Person>> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values: Vec<String> = Vec::new();
        if !query.search.trim().is_empty() {
            for word in query.search.split_whitespace() {
                conditions.push("search LIKE ? ESCAPE '\\'".into());
                values.push(format!("%{}%", like_escape(&word.to_lowercase())));
            }
        }
        if !query.kind.is_empty() {
            conditions.push("kind = ?".into());
            values.push(query.kind.clone());
        }
        if !query.department.is_empty() {
            conditions.push("department = ?".into());
            values.push(query.department.clone());
        }
        if query.resident_only {
            conditions.push("resident = 1".into());
        }
        if query.leaders_only {
            conditions.push("leader = 1".into());
        }
        if !query.include_left {
            conditions.push("(left_on IS NULL OR left_on > ?)".into());
            values.push(today.to_string());
        }
        // Team first, in the plan's department order, then clients; by name within.
        let order: String = Department::ALL
            .iter()
            .enumerate()
            .map(|(i, d)| format!(" WHEN '{}' THEN {i}", d.code()))
            .collect();
        let sql = format!(
            "SELECT data FROM people WHERE {} ORDER BY kind DESC, CASE department{order} ELSE 9 END, name",
            conditions.join(" AND ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(values.iter()), |r| r.get::<_, String>(0))?;
        rows.map(|r| parse_person(&r?)).collect()
    }

    /// The name and phone of everyone stored: what makes a person the same person.
    pub fn people_keys(&self) -> Result<HashSet<(String, String)>> {
        let mut stmt = self.conn.prepare("SELECT name, phone FROM people")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores new people in one transaction, all or none; `progress(done, total)` is called every
    /// 500 rows and at the end.
    pub fn insert_people(
        &mut self,
        people: Vec<PersonDetails>,
        now: DateTime<Utc>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize> {
        let total = people.len();
        let tx = self.conn.transaction()?;
        for (i, person) in people.into_iter().enumerate() {
            write_person(&tx, &stored(new_id(), person, now, now))?;
            if (i + 1).is_multiple_of(500) {
                progress(i + 1, total);
            }
        }
        tx.commit()?;
        progress(total, total);
        Ok(total)
    }

    /// Creates (`id` = `None`) or replaces a rotation. Members must be current team members.
    pub fn save_rotation(
        &mut self,
        id: Option<&str>,
        form: &RotationForm,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let rotation = form.validate(id.map_or_else(new_id, str::to_owned))?;
        for (i, member) in rotation.members.iter().enumerate() {
            if self.current_team_member(member, "person", now).is_err() {
                let value = member.clone();
                return Err(Error::invalid(
                    vec![FieldError::new(format!("members.{i}.person"), Rule::Unknown { value })],
                    crate::roster::labels,
                ));
            }
        }
        let data = serde_json::to_string(&rotation).map_err(|e| Error::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO rotations (id, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            params![rotation.id, data, ts(now)],
        )?;
        Ok(rotation)
    }

    pub fn delete_rotation(&mut self, id: &str) -> Result<()> {
        self.conn.execute("DELETE FROM rotations WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn rotations(&self) -> Result<Vec<Rotation>> {
        let mut stmt = self.conn.prepare_cached("SELECT data FROM rotations ORDER BY created_at")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| serde_json::from_str(&r?).map_err(|e| Error::Corrupt(format!("rotation: {e}"))))
            .collect()
    }

    /// Records that a person takes an interval (a swap or stand-in).
    pub fn add_override(&mut self, form: &OverrideForm, now: DateTime<Utc>) -> Result<Override> {
        let mut errors = Vec::new();
        let start = crate::incident::parse_instant(&mut errors, "start", &form.start);
        let end = crate::incident::parse_instant(&mut errors, "end", &form.end);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.push(FieldError::new("end", Rule::EndNotAfterStart));
            }
        }
        if self.get_person(&form.person_id).is_err() {
            errors.push(FieldError::new("person_id", Rule::Required));
        }
        let (Some(start), Some(end)) = (start, end) else {
            return Err(Error::invalid(errors, crate::roster::labels));
        };
        if !errors.is_empty() {
            return Err(Error::invalid(errors, crate::roster::labels));
        }
        let o = Override {
            id: new_id(),
            person_id: form.person_id.clone(),
            start,
            end,
            note: form.note.trim().to_owned(),
        };
        self.conn.execute(
            "INSERT INTO rota_overrides (id, person_id, start_at, end_at, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![o.id, o.person_id, ts(o.start), ts(o.end), o.note, ts(now)],
        )?;
        Ok(o)
    }

    pub fn delete_override(&mut self, id: &str) -> Result<()> {
        self.conn.execute("DELETE FROM rota_overrides WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Overrides that overlap `[from, to)`.
    pub fn overrides(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Override>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, person_id, start_at, end_at, note FROM rota_overrides
             WHERE start_at < ?2 AND end_at > ?1 ORDER BY start_at",
        )?;
        let rows = stmt.query_map(params![ts(from), ts(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        rows.map(|r| {
            let (id, person_id, start, end, note) = r?;
            Ok(Override { id, person_id, start: super::parse_ts(&start)?, end: super::parse_ts(&end)?, note })
        })
        .collect()
    }
}

fn stored(
    id: String,
    details: PersonDetails,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> Person {
    Person { id, details, created_at, updated_at }
}

/// A second person with the same name and phone is refused unless confirmed.
fn refuse_duplicate(
    tx: &Transaction,
    person: &PersonDetails,
    except: Option<&str>,
    confirmed: bool,
) -> Result<()> {
    if confirmed {
        return Ok(());
    }
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM people WHERE name = ?1 AND phone = ?2 AND id IS NOT ?3)",
        params![person.name, person.phone, except],
        |r| r.get(0),
    )?;
    if exists {
        return Err(Error::invalid(
            vec![FieldError::new("name", Rule::DuplicatePerson)],
            crate::people::labels,
        ));
    }
    Ok(())
}

pub(super) fn write_person(tx: &Transaction, p: &Person) -> Result<()> {
    let data = serde_json::to_string(p).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO people (id, kind, name, phone, department, resident, leader, left_on, search, data, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, phone = excluded.phone,
             department = excluded.department, resident = excluded.resident, leader = excluded.leader,
             left_on = excluded.left_on, search = excluded.search, data = excluded.data,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
            p.id,
            if p.details.kind == PersonKind::Team { "team" } else { "client" },
            p.details.name,
            p.details.phone,
            p.details.department.map(Department::code),
            p.details.resident,
            p.details.leader,
            p.details.left.map(|d| d.to_string()),
            search_text(p),
            data,
            ts(p.created_at),
            ts(p.updated_at),
        ])?;
    Ok(())
}

/// What a search looks through: the name with its pinyin (full and initials), phone (digits
/// too), e-mail, skills, certificates, organisation — lower-cased.
fn search_text(p: &Person) -> String {
    let d = &p.details;
    let mut parts = vec![d.name.clone(), crate::pinyin::full(&d.name), crate::pinyin::initials(&d.name)];
    parts.push(d.phone.chars().filter(char::is_ascii_digit).collect());
    parts.extend(
        [&d.email, &d.job_title, &d.organisation, &d.client_department, &d.position].map(String::clone),
    );
    parts.extend(d.skills.iter().map(|s| s.name.clone()));
    parts.extend(d.certificates.iter().map(|c| c.name.clone()));
    parts.join(" ").to_lowercase()
}

fn parse_person(data: &str) -> Result<Person> {
    serde_json::from_str(data).map_err(|e| Error::Corrupt(format!("person: {e}")))
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
