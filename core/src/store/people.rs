//! People and the on-call rota.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sla::working_calendar;
use super::{new_id, ts, Store};
use crate::error::{Missing, Rule};
use crate::people::import::{auto_map, export_xlsx, rows_to_forms, Column, RowError, Sheet};
use crate::people::{Department, Person, PersonDetails, PersonForm, PersonKind};
use crate::roster::{self, Duty, Override, Rota, Rotation, RotationForm};
use crate::{Error, FieldError, Lang, Result};

/// What the people list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PeopleQuery {
    /// Words in the name (or its pinyin), phone, e-mail, skills or organisation.
    pub search: String,
    /// `team`, `client`, or empty for both.
    pub kind: String,
    /// A department code, or empty.
    pub department: String,
    pub resident_only: bool,
    pub leaders_only: bool,
    /// People who left are hidden unless asked for.
    pub include_left: bool,
}

/// One department of the plan against its head-count target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DepartmentStaffing {
    pub department: Department,
    pub people: Vec<StaffMember>,
    pub min: u32,
    pub max: u32,
    /// Fewer people than the plan promises.
    pub below: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub job_title: String,
    pub resident: bool,
}

/// The team by department, and the resident (驻场) head count against the plan's 5–6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TeamStructure {
    pub departments: Vec<DepartmentStaffing>,
    pub resident: u32,
    pub resident_min: u32,
    pub resident_max: u32,
}

/// Who holds the duty phone now, and when it next changes hands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OnDuty {
    pub people: Vec<String>,
    pub next_handover: Option<DateTime<Utc>>,
}

/// An override as entered: a person takes an interval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OverrideForm {
    pub person_id: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    pub note: String,
}

/// The plan's resident head count.
const RESIDENT_TARGET: (u32, u32) = (5, 6);

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
        self.get_person(id)
            .ok()
            .filter(|p| p.details.kind == PersonKind::Team && !p.has_left(today))
            .ok_or_else(|| {
                Error::Validation(vec![FieldError::new(field, Rule::Unknown { value: id.to_owned() })])
            })
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

    /// The team by the plan's departments, for the org chart.
    pub fn team_structure(&self, today: NaiveDate) -> Result<TeamStructure> {
        let team = self.list_people(&PeopleQuery { kind: "team".into(), ..Default::default() }, today)?;
        let departments = Department::ALL
            .into_iter()
            .map(|department| {
                let people: Vec<StaffMember> = team
                    .iter()
                    .filter(|p| p.details.department == Some(department))
                    .map(|p| StaffMember {
                        id: p.id.clone(),
                        name: p.details.name.clone(),
                        job_title: p.details.job_title.clone(),
                        resident: p.details.resident,
                    })
                    .collect();
                let (min, max) = department.target();
                DepartmentStaffing { department, below: (people.len() as u32) < min, people, min, max }
            })
            .collect();
        let resident = team.iter().filter(|p| p.details.resident).count() as u32;
        Ok(TeamStructure {
            departments,
            resident,
            resident_min: RESIDENT_TARGET.0,
            resident_max: RESIDENT_TARGET.1,
        })
    }

    /// Certificates of current team members expiring within 90 days of `today`, soonest first.
    pub fn certificate_alerts(&self, today: NaiveDate) -> Result<Vec<crate::people::CertificateAlert>> {
        let team = self.list_people(&PeopleQuery { kind: "team".into(), ..Default::default() }, today)?;
        Ok(crate::people::certificate_alerts(&team, today))
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
                return Err(Error::Validation(vec![FieldError::new(
                    format!("members.{i}.person"),
                    Rule::Unknown { value },
                )]));
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
                errors.push(FieldError::new("end", Rule::DatesOutOfOrder));
            }
        }
        if self.get_person(&form.person_id).is_err() {
            errors.push(FieldError::new("person_id", Rule::Required));
        }
        let (Some(start), Some(end)) = (start, end) else { return Err(Error::Validation(errors)) };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
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

    /// Every duty in `[from, to)`, with names and the coverage check.
    pub fn rota(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Rota> {
        let calendar = working_calendar(&self.conn)?;
        let duties = roster::schedule(&self.rotations()?, &self.overrides(from, to)?, &calendar, from, to);
        let coverage = roster::coverage(&duties, &calendar, from, to);
        let mut names = HashMap::new();
        for d in &duties {
            if !names.contains_key(&d.person_id) {
                let name =
                    self.get_person(&d.person_id).map_or_else(|_| d.person_id.clone(), |p| p.details.name);
                names.insert(d.person_id.clone(), name);
            }
        }
        Ok(Rota { duties, names, coverage })
    }

    /// Who is on duty at `now` and the next hand-over (within a week).
    pub fn on_duty(&self, now: DateTime<Utc>) -> Result<OnDuty> {
        let rota = self.rota(now - chrono::Duration::days(1), now + chrono::Duration::days(7))?;
        let (current, next) = roster::on_duty(&rota.duties, now);
        let people =
            current.iter().map(|d| rota.names.get(&d.person_id).cloned().unwrap_or_default()).collect();
        Ok(OnDuty { people, next_handover: next })
    }

    /// The rota of `[from, to)` as an iCalendar file; only `person_id`'s shifts when given.
    pub fn rota_ics(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        person_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let rota = self.rota(from, to)?;
        let duties: Vec<Duty> =
            rota.duties.into_iter().filter(|d| person_id.is_none_or(|p| p == d.person_id)).collect();
        let title = match person_id.and_then(|p| rota.names.get(p)) {
            Some(name) => format!("值班表 · {name}"),
            None => "值班表".to_owned(),
        };
        Ok(roster::duties_ics(&duties, &rota.names, &title, now))
    }
}

/// What an import would do: the columns as mapped, how many rows, and every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    pub headers: Vec<String>,
    pub mapping: Vec<Option<Column>>,
    pub rows: usize,
    /// Rows that would be imported as they are.
    pub valid: usize,
    /// The first problems (at most 200), in row order.
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

/// How many problems a preview lists.
const PREVIEW_ERRORS: usize = 200;

impl Store {
    /// Checks `sheet` under `mapping` (`None`: matched from the headers) without writing.
    pub fn preview_people_import(
        &self,
        sheet: &Sheet,
        mapping: Option<&[Option<Column>]>,
        kind: PersonKind,
        lang: Lang,
    ) -> Result<ImportPreview> {
        let mapping = mapping.map_or_else(|| auto_map(&sheet.headers), <[_]>::to_vec);
        let (valid, errors) = self.check_import(sheet, &mapping, kind, lang)?;
        Ok(ImportPreview {
            headers: sheet.headers.clone(),
            rows: sheet.rows.len(),
            valid: valid.len(),
            error_count: errors.len(),
            errors: errors.into_iter().take(PREVIEW_ERRORS).collect(),
            mapping,
        })
    }

    /// Imports every row of `sheet` in one transaction, or nothing when any row is wrong.
    /// `progress(done, total)` is called every 500 rows.
    pub fn import_people(
        &mut self,
        sheet: &Sheet,
        mapping: &[Option<Column>],
        kind: PersonKind,
        lang: Lang,
        now: DateTime<Utc>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize> {
        let (valid, errors) = self.check_import(sheet, mapping, kind, lang)?;
        if !errors.is_empty() {
            return Err(Error::ImportRows { count: errors.len() });
        }
        let total = valid.len();
        let tx = self.conn.transaction()?;
        for (i, person) in valid.into_iter().enumerate() {
            write_person(&tx, &stored(new_id(), person, now, now))?;
            if (i + 1).is_multiple_of(500) {
                progress(i + 1, total);
            }
        }
        tx.commit()?;
        progress(total, total);
        Ok(total)
    }

    fn check_import(
        &self,
        sheet: &Sheet,
        mapping: &[Option<Column>],
        kind: PersonKind,
        lang: Lang,
    ) -> Result<(Vec<PersonDetails>, Vec<RowError>)> {
        if !mapping.contains(&Some(Column::Name)) {
            return Err(Error::ImportFormat(
                lang.pick("没有“姓名”列：请为一列选择“姓名”", "No name column: map one column to Name")
                    .into(),
            ));
        }
        let mut stored: HashSet<(String, String)> = HashSet::new();
        let mut stmt = self.conn.prepare("SELECT name, phone FROM people")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            stored.insert(row?);
        }
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut valid = Vec::new();
        let mut errors = Vec::new();
        for (i, form) in rows_to_forms(sheet, mapping, kind).iter().enumerate() {
            let row = i + 2; // the header is row 1
            let mut problem = |f: FieldError| {
                errors.push(RowError { row, field: f.field.to_string(), message: f.message(lang) })
            };
            match form.validate() {
                Ok(person) => {
                    let key = (person.name.clone(), person.phone.clone());
                    if stored.contains(&key) {
                        problem(FieldError::new("name", Rule::AlreadyStored));
                    } else if let Some(first) = seen.get(&key) {
                        problem(FieldError::new("name", Rule::RepeatsRow { row: *first }));
                    } else {
                        seen.insert(key, row);
                        valid.push(person);
                    }
                }
                Err(e) => e.fields().iter().cloned().for_each(&mut problem),
            }
        }
        Ok((valid, errors))
    }

    /// The roster (who match `query`) as an `.xlsx` workbook.
    pub fn export_people_xlsx(&self, query: &PeopleQuery, today: NaiveDate, lang: Lang) -> Result<Vec<u8>> {
        export_xlsx(&self.list_people(query, today)?, lang)
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
        return Err(Error::Validation(vec![FieldError::new("name", Rule::DuplicatePerson)]));
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

#[cfg(test)]
mod tests;
