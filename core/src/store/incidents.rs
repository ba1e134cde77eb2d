//! Queries of `incidents`, `incident_events` and the search tables. Writes run inside one
//! transaction; every append replays the timeline, checks the rules, and rewrites the
//! incident's projection columns (level, status, assignee, next due) from the replay.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};

use super::sla::{current_policy, policy_version, working_calendar};
use super::{from_ms, ms, parse_ts, ts, Store};
use crate::alerts::MilestoneAlert;
use crate::category::CategoryKind;
use crate::incident::{
    format_number, most_urgent, Channel, DueFilter, ImportFile, ImportOutcome, ImportRecord, Incident,
    IncidentCounts, IncidentEvent, IncidentPage, IncidentQuery, IncidentSort, IncidentSummary, Level,
    NewIncident, ValidIncident,
};
use crate::search::{self, Lookup};
use crate::sla::{evaluate, Calendars, MilestoneKind, MilestoneReport, MilestoneState, SlaPolicy};
use crate::timeline::{EventData, IncidentState, NewEvent, Status};
use crate::{Error, Lang, Result};

/// The page cache of an import, in KiB.
const IMPORT_CACHE_KIB: i64 = 64 << 10;

const SUMMARY_COLUMNS: &str = "id, number, title, level, channel, reported_at, reporter, status, assignee";

impl Store {
    /// Checks `input` against the rules at `now`, then stores the incident, its number and its
    /// `reported` event together. Nothing is written when a rule refuses the input.
    pub fn create_incident(&mut self, input: &NewIncident, now: DateTime<Utc>) -> Result<Incident> {
        let valid = input.validate(now)?;
        let tx = self.conn.transaction()?;
        let timeline = [(EventData::Reported, valid.reported_at)];
        let state = IncidentState::new(valid.reported_at, valid.level);
        let new = NewIncidentRows {
            valid: &valid,
            external_id: None,
            timeline: &timeline,
            actors: &[None],
            notes: "",
        };
        let mut rows = NewRows::read(&tx)?;
        let (id, _, text) = insert_incident(&tx, &mut rows, &new, &state, now)?;
        text.insert(&tx)?;
        rows.write_numbers(&tx)?;
        tx.commit()?;
        self.get_incident(&id, now)
    }

    /// Records what happened to incident `id`, after checking the event's fields and that it
    /// may follow the timeline. The actor is the current user of Settings. Who may be assigned is
    /// `app::incidents::record_event`'s check.
    pub fn append_event(&mut self, id: &str, input: &NewEvent, now: DateTime<Utc>) -> Result<Incident> {
        self.append_with(id, now, |state| input.parse(state.level, now))
    }

    /// Records `data` at `now` on incident `id`: an event built and checked for its fields by
    /// the caller (an emergency plan's activation, a step done), checked here against the
    /// timeline. The actor is the current user of Settings.
    pub fn append_event_data(&mut self, id: &str, data: &EventData, now: DateTime<Utc>) -> Result<Incident> {
        self.append_with(id, now, |_| Ok((data.clone(), now)))
    }

    /// Appends to incident `id` the event `make` gives (with its time) from the replayed
    /// timeline, after the timeline's rules, in one transaction with the projection.
    fn append_with(
        &mut self,
        id: &str,
        now: DateTime<Utc>,
        make: impl FnOnce(&IncidentState) -> Result<(EventData, DateTime<Utc>)>,
    ) -> Result<Incident> {
        let actor = self.settings()?.user_name;
        let tx = self.conn.transaction()?;
        let (opened_level, events) = load_timeline(&tx, id)?;
        let mut state = replay(opened_level, &events)?;
        let (data, at) = make(&state)?;
        append_data(&tx, id, &mut state, &data, Some(actor.as_str()), at, now)?;
        refresh_projection(&tx, id, now)?;
        tx.commit()?;
        self.get_incident(id, now)
    }

    /// Brings incidents with their whole timelines over from another tool: every record is
    /// checked like a form and every event like an action, and either all are stored or none.
    ///
    /// An import has an identity: `source` (the file's SHA-256) is remembered with what it
    /// added, so the same file again adds nothing and says so, and a record whose
    /// `external_id` is already stored is reported as already there instead of stored twice.
    pub fn import_incidents(
        &mut self,
        file: &ImportFile,
        source: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        self.import_each(source, now, |add| file.incidents.iter().try_for_each(add))
    }

    /// [`Store::import_incidents`] of records handed over one at a time by `feed` (a file read
    /// as it is parsed, never whole): each goes to `add` as it comes; an error from `add` or
    /// from `feed` itself undoes the whole import.
    pub fn import_each(
        &mut self,
        source: Option<&str>,
        now: DateTime<Utc>,
        feed: impl FnOnce(&mut dyn FnMut(&ImportRecord) -> Result<()>) -> Result<()>,
    ) -> Result<ImportOutcome> {
        // A bulk load writes to some fifteen b-trees per incident at once: with SQLite's default
        // 2 MB page cache it spills to the WAL and reads back (2.7× the floor at 100,000); a
        // 64 MB cache for the import's length bounds memory and keeps the pages in it.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        let outcome = self.import_in_transaction(source, now, feed);
        self.conn.pragma_update(None, "cache_size", cache)?;
        outcome
    }

    fn import_in_transaction(
        &mut self,
        source: Option<&str>,
        now: DateTime<Utc>,
        feed: impl FnOnce(&mut dyn FnMut(&ImportRecord) -> Result<()>) -> Result<()>,
    ) -> Result<ImportOutcome> {
        let tx = self.conn.transaction()?;
        if let Some(sha256) = source {
            let previous: Option<(String, String)> = tx
                .query_row("SELECT imported_at, numbers FROM imports WHERE sha256 = ?1", [sha256], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((at, numbers)) = previous {
                let already = serde_json::from_str(&numbers).map_err(|e| Error::Corrupt(e.to_string()))?;
                return Ok(ImportOutcome { added: Vec::new(), already, previously: Some(parse_ts(&at)?) });
            }
        }
        let mut rows = NewRows::read(&tx)?;
        // The search indexes are written once at the end: FTS5 writes out what it holds at every
        // statement that opens a savepoint, which made an import interleaving them 4× slower.
        tx.execute_batch(
            "CREATE TEMP TABLE import_text (seq INTEGER PRIMARY KEY, title, description, notes, pinyin, pairs)",
        )?;
        let mut outcome = ImportOutcome::default();
        let mut index = 0;
        feed(&mut |record: &ImportRecord| {
            index += 1;
            let in_record = |e: Error| Error::Import {
                record: index,
                title: record.incident.title.clone(),
                source: Box::new(e),
            };
            let (external_id, actors) = record.check_keys().map_err(in_record)?;
            if let Some(key) = &external_id {
                let stored: Option<String> = tx
                    .prepare_cached("SELECT number FROM incidents WHERE external_id = ?1")?
                    .query_row([key], |r| r.get(0))
                    .optional()?;
                if let Some(number) = stored {
                    outcome.already.push(number);
                    return Ok(());
                }
            }
            let valid = record.incident.validate(now).map_err(in_record)?;
            let mut state = IncidentState::new(valid.reported_at, valid.level);
            let mut timeline = vec![(EventData::Reported, valid.reported_at)];
            let mut actors_of = vec![None];
            let mut notes = String::new();
            for (event, actor) in record.events.iter().zip(&actors) {
                let (data, at) = event.event.parse(state.level, now).map_err(in_record)?;
                state.apply(&data, at).map_err(|r| in_record(Error::refused(r)))?;
                if let Some(text) = searchable_text(&data) {
                    notes.push(' ');
                    notes.push_str(text);
                }
                timeline.push((data, at));
                actors_of.push(actor.as_deref());
            }
            let new = NewIncidentRows {
                valid: &valid,
                external_id: external_id.as_deref(),
                timeline: &timeline,
                actors: &actors_of,
                notes: &notes,
            };
            let (_, number, text) = insert_incident(&tx, &mut rows, &new, &state, now)?;
            text.stage(&tx)?;
            outcome.added.push(number);
            Ok(())
        })?;
        tx.execute_batch(
            "INSERT INTO incident_text (rowid, title, description, notes, pinyin)
             SELECT seq, title, description, notes, pinyin FROM temp.import_text;
             INSERT INTO incident_pairs (rowid, pairs) SELECT seq, pairs FROM temp.import_text;
             DROP TABLE temp.import_text;",
        )?;
        rows.write_numbers(&tx)?;
        if let Some(sha256) = source {
            let numbers = serde_json::to_string(&outcome.added).map_err(|e| Error::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO imports (sha256, imported_at, numbers) VALUES (?1, ?2, ?3)",
                params![sha256, ts(now), numbers],
            )?;
        }
        tx.commit()?;
        // A bulk load changes the shape of the data: let the query planner look again.
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(outcome)
    }

    /// One page of incidents matching `query`, most recently reported first, each with its most
    /// urgent milestone as of `now`.
    pub fn list_incidents(&self, query: &IncidentQuery, now: DateTime<Utc>) -> Result<IncidentPage> {
        let (mut filter, mut params) = where_clause(query, now);
        for (kind, wanted) in
            [(CategoryKind::FaultType, &query.fault_type), (CategoryKind::Cause, &query.cause)]
        {
            if let Some(wanted) = wanted.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                let (condition, values) = self.category_condition(kind, wanted)?;
                filter = if filter.is_empty() {
                    format!("WHERE {condition}")
                } else {
                    format!("{filter} AND {condition}")
                };
                params.extend(values);
            }
        }
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM incidents {filter}"),
            params_from_iter(params.iter()),
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM incidents {filter}
             ORDER BY {} LIMIT {} OFFSET {}",
            order_by(query.sort, query.descending),
            query.page_size(),
            query.offset
        ))?;
        let rows = stmt.query_map(params_from_iter(params.iter()), SummaryRow::read)?;
        let lang = self.lang();
        let calendars = Calendars::new(working_calendar(&self.conn)?);
        let mut items = Vec::new();
        for row in rows {
            let mut summary = row?.parse()?;
            let milestones = self.milestones(&summary.id, &calendars, now, lang)?;
            summary.next_milestone = most_urgent(&milestones);
            items.push(summary);
        }
        Ok(IncidentPage { items, total: u64::try_from(total).unwrap_or(0) })
    }

    /// One incident with its timeline and every milestone as of `now`, explained in the
    /// language of Settings.
    pub fn get_incident(&self, id: &str, now: DateTime<Utc>) -> Result<Incident> {
        self.get_incident_in(id, now, self.lang())
    }

    /// The same, explained in `lang` (a report may be printed in another language).
    pub fn get_incident_in(&self, id: &str, now: DateTime<Utc>, lang: Lang) -> Result<Incident> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {SUMMARY_COLUMNS}, description, created_at, opened_level, policy_version, system,
                            provisional
                     FROM incidents WHERE id = ?1"
                ),
                [id],
                |row| {
                    Ok((
                        SummaryRow::read(row)?,
                        row.get::<_, String>(9)?,
                        row.get::<_, String>(10)?,
                        row.get::<_, String>(11)?,
                        row.get::<_, i64>(12)?,
                        row.get::<_, String>(13)?,
                        row.get::<_, bool>(14)?,
                    ))
                },
            )
            .optional()?;
        let Some((summary, description, created_at, opened_level, policy_version, system, provisional)) =
            found
        else {
            return Err(Error::IncidentNotFound(id.to_owned()));
        };
        let mut summary = summary.parse()?;
        let opened_level = parse_level(&opened_level)?;
        let events = self.incident_events(id)?;
        let state = replay(opened_level, &events)?;
        let calendars = Calendars::new(working_calendar(&self.conn)?);
        let milestones = self.milestones(id, &calendars, now, lang)?;
        summary.next_milestone = most_urgent(&milestones);
        Ok(Incident {
            summary,
            description,
            system,
            opened_level,
            created_at: parse_ts(&created_at)?,
            policy_version,
            provisional,
            allowed_next: state.allowed_next(now).into_iter().map(str::to_owned).collect(),
            events,
            milestones,
        })
    }

    /// Counts by level, status and deadline for the dashboard, as of `now`.
    pub fn incident_counts(&self, now: DateTime<Utc>) -> Result<IncidentCounts> {
        let mut counts = IncidentCounts::default();
        let mut stmt =
            self.conn.prepare("SELECT level, status, count(*) FROM incidents GROUP BY level, status")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for row in rows {
            let (level, status, n) = row?;
            let (level, status, n) =
                (parse_level(&level)?, parse_status(&status)?, u32::try_from(n).unwrap_or(0));
            counts.by_status.add(status, n);
            if status.is_open() {
                counts.open_by_level.add(level, n);
            }
        }
        let count = |due| -> Result<u64> {
            let (filter, params) = where_clause(&IncidentQuery { due: Some(due), ..Default::default() }, now);
            let n: i64 = self.conn.query_row(
                &format!("SELECT count(*) FROM incidents {filter}"),
                params_from_iter(params.iter()),
                |r| r.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        counts.due_soon = count(DueFilter::DueSoon)?;
        counts.breached = count(DueFilter::Breached)?;
        counts.reports_overdue = count(DueFilter::ReportOverdue)?;
        Ok(counts)
    }

    /// The warning level of every open milestone of every incident not closed, for desktop
    /// alerts. Runs the engine on each such incident: call it from a background thread.
    pub fn milestone_alerts(&self, now: DateTime<Utc>) -> Result<Vec<MilestoneAlert>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, number, title FROM incidents WHERE status <> 'closed' AND next_due_at IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let calendars = Calendars::new(working_calendar(&self.conn)?);
        let lang = self.lang();
        let mut alerts = Vec::new();
        for row in rows {
            let (id, number, title) = row?;
            for m in self.milestones(&id, &calendars, now, lang)? {
                if matches!(m.state, MilestoneState::Running | MilestoneState::BreachedOpen) {
                    alerts.push(MilestoneAlert {
                        incident_id: id.clone(),
                        number: number.clone(),
                        title: title.clone(),
                        kind: m.kind,
                        warning: m.warning,
                        due: m.due,
                    });
                }
            }
        }
        Ok(alerts)
    }

    /// The incident whose human number is `number` (`INC-2026-0001`).
    pub fn find_incident_id(&self, number: &str) -> Result<String> {
        self.conn
            .query_row("SELECT id FROM incidents WHERE number = ?1", [number.trim()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::IncidentNotFound(number.to_owned()))
    }

    /// Every milestone of incident `id` at `now`, under the policy version it was opened with.
    fn milestones(
        &self,
        id: &str,
        calendars: &Calendars,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> Result<Vec<MilestoneReport>> {
        milestones_of(&self.conn, id, calendars, now, lang)
    }

    /// Rewrites every incident's projection columns from its timeline.
    pub fn rebuild_projections(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM incidents")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in &ids {
            refresh_projection(&tx, id, now)?;
        }
        // The pinyin the search finds, for rows written before it was kept (a row whose pinyin
        // is right is left alone, so its search index is not rewritten), and every row's pairs.
        let rows: Vec<SearchText> = {
            let mut stmt =
                tx.prepare("SELECT rowid, title, description, notes, pinyin FROM incident_text")?;
            let rows = stmt.query_map([], SearchText::read)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        tx.execute("DELETE FROM incident_pairs", [])?;
        let mut update = tx.prepare("UPDATE incident_text SET pinyin = ?1 WHERE rowid = ?2")?;
        for mut text in rows {
            let pinyin = searchable_pinyin(&text.title, &text.description);
            if pinyin != text.pinyin {
                update.execute((&pinyin, text.seq))?;
                text.pinyin = pinyin;
            }
            text.write_pairs(&tx)?;
        }
        drop(update);
        tx.commit()?;
        Ok(ids.len())
    }

    fn incident_events(&self, incident_id: &str) -> Result<Vec<IncidentEvent>> {
        load_timeline(&self.conn, incident_id).map(|(_, events)| events)
    }

    fn lang(&self) -> Lang {
        self.settings().map(|s| s.language).unwrap_or_default()
    }
}

pub(super) fn milestones_of(
    conn: &Connection,
    id: &str,
    calendars: &Calendars,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<MilestoneReport>> {
    let (opened_level, events) = load_timeline(conn, id)?;
    let version: i64 =
        conn.query_row("SELECT policy_version FROM incidents WHERE id = ?1", [id], |r| r.get(0))?;
    let policy = policy_version(conn, version)?;
    let timeline = accepted(events);
    Ok(evaluate(&policy, calendars, opened_level, &timeline, now, lang))
}

/// Appends an event already checked for its fields, after checking it may follow `state`.
pub(super) fn append_data(
    tx: &Transaction,
    id: &str,
    state: &mut IncidentState,
    data: &EventData,
    actor: Option<&str>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    state.apply(data, at).map_err(Error::refused)?;
    let seq: i64 =
        tx.prepare_cached("SELECT seq FROM incidents WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    insert_event(tx, seq, data, actor.filter(|a| !a.trim().is_empty()), at, now)?;
    index_event_text(tx, seq, data)
}

/// Adds the text event `data` says to the searchable notes of incident `seq`.
pub(super) fn index_event_text(tx: &Transaction, seq: i64, data: &EventData) -> Result<()> {
    if let Some(text) = searchable_text(data) {
        let text = tx.query_row(
            "UPDATE incident_text SET notes = notes || ' ' || ?1 WHERE rowid = ?2
             RETURNING rowid, title, description, notes, pinyin",
            (text, seq),
            SearchText::read,
        )?;
        tx.execute("DELETE FROM incident_pairs WHERE rowid = ?1", [text.seq])?;
        text.write_pairs(tx)?;
    }
    Ok(())
}

/// An incident's searchable text, as `incident_text` keeps it.
pub(super) struct SearchText {
    seq: i64,
    title: String,
    description: String,
    notes: String,
    pinyin: String,
}

impl SearchText {
    /// The text of a new incident, before any event adds notes.
    pub(super) fn new(seq: i64, title: &str, description: &str) -> SearchText {
        SearchText {
            seq,
            title: title.to_owned(),
            description: description.to_owned(),
            notes: String::new(),
            pinyin: searchable_pinyin(title, description),
        }
    }

    fn read(row: &Row) -> rusqlite::Result<SearchText> {
        Ok(SearchText {
            seq: row.get(0)?,
            title: row.get(1)?,
            description: row.get(2)?,
            notes: row.get(3)?,
            pinyin: row.get(4)?,
        })
    }

    fn pairs(&self) -> String {
        let fields = [&self.title, &self.description, &self.notes, &self.pinyin];
        search::pair_tokens(fields.iter().map(|f| f.as_str()))
    }

    /// Indexes the text's pairs of characters for two-character terms (the row must not be
    /// indexed yet).
    fn write_pairs(&self, tx: &Transaction) -> Result<()> {
        tx.prepare_cached("INSERT INTO incident_pairs (rowid, pairs) VALUES (?1, ?2)")?
            .execute((self.seq, self.pairs()))?;
        Ok(())
    }

    /// Stores the text of a new incident and indexes it.
    pub(super) fn insert(&self, tx: &Transaction) -> Result<()> {
        tx.prepare_cached("INSERT INTO incident_text (rowid, title, description, notes, pinyin) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute((self.seq, &self.title, &self.description, &self.notes, &self.pinyin))?;
        self.write_pairs(tx)
    }

    /// Keeps the text of a new incident for the end of an import (`temp.import_text`).
    fn stage(&self, tx: &Transaction) -> Result<()> {
        tx.prepare_cached("INSERT INTO temp.import_text VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute((
            self.seq,
            &self.title,
            &self.description,
            &self.notes,
            &self.pinyin,
            self.pairs(),
        ))?;
        Ok(())
    }
}

/// Replays a stored timeline, leaving out the events a merge found contradicted.
pub(super) fn replay(opened_level: Level, events: &[IncidentEvent]) -> Result<IncidentState> {
    IncidentState::replay(
        opened_level,
        events.iter().filter(|e| !e.contradicted).map(|e| (&e.data, e.occurred_at)),
    )
    .map_err(broken)
}

/// A stored timeline that breaks the rules even merged means damaged data.
fn broken(refusal: crate::timeline::Refusal) -> Error {
    Error::Corrupt(format!("timeline breaks a rule: {}", crate::error::Explain::code(&refusal)))
}

/// The events of a timeline the state is made of (a contradicted one is not), with their times.
pub(super) fn accepted(events: Vec<IncidentEvent>) -> Vec<(EventData, DateTime<Utc>)> {
    events.into_iter().filter(|e| !e.contradicted).map(|e| (e.data, e.occurred_at)).collect()
}

/// The level an incident was opened at and its events, oldest first.
pub(super) fn load_timeline(conn: &Connection, incident_id: &str) -> Result<(Level, Vec<IncidentEvent>)> {
    let opened: Option<(String, i64)> = conn
        .query_row("SELECT opened_level, seq FROM incidents WHERE id = ?1", [incident_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (opened, seq) = opened.ok_or_else(|| Error::IncidentNotFound(incident_id.to_owned()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, payload, actor, occurred_at, recorded_at FROM incident_events
         WHERE incident_seq = ?1 ORDER BY occurred_at, recorded_at, id",
    )?;
    let rows = stmt.query_map([seq], |row| {
        Ok((
            row.get::<_, Vec<u8>>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, i64>(5)?,
        ))
    })?;
    let events = rows
        .map(|r| {
            let (id, kind, payload, actor, occurred_at, recorded_at) = r?;
            let id =
                uuid::Uuid::from_slice(&id).map_err(|_| Error::Corrupt(format!("event id {id:02x?}")))?;
            Ok(IncidentEvent {
                id: id.to_string(),
                data: parse_event(&kind, payload.as_deref())?,
                actor,
                occurred_at: from_ms(occurred_at)?,
                recorded_at: from_ms(recorded_at)?,
                contradicted: false,
            })
        })
        .collect::<Result<Vec<IncidentEvent>>>()?;
    let opened = parse_level(&opened)?;
    // Events merged from another copy may contradict (closed here, reopened there).
    let (_, refused) = IncidentState::replay_merged(opened, events.iter().map(|e| (&e.data, e.occurred_at)))
        .map_err(broken)?;
    let mut events = events;
    for i in refused {
        if let Some(event) = events.get_mut(i) {
            event.contradicted = true;
        }
    }
    Ok((opened, events))
}

/// The stored payload is the event's fields as JSON without its kind (NULL when it has none);
/// the kind column gives the tag.
pub(super) fn parse_event(kind: &str, payload: Option<&str>) -> Result<EventData> {
    let corrupt = |e: serde_json::Error| Error::Corrupt(format!("event {kind:?}: {e}"));
    let mut fields: serde_json::Map<String, serde_json::Value> = match payload {
        Some(payload) => serde_json::from_str(payload).map_err(corrupt)?,
        None => serde_json::Map::new(),
    };
    fields.insert("kind".into(), kind.into());
    serde_json::from_value(fields.into()).map_err(corrupt)
}

/// What [`parse_event`] reads: the event's fields without its kind, `None` when it has none.
fn event_payload(data: &EventData) -> Result<Option<String>> {
    let corrupt = |e: serde_json::Error| Error::Corrupt(format!("event {:?}: {e}", data.kind()));
    let mut fields = match serde_json::to_value(data).map_err(corrupt)? {
        serde_json::Value::Object(fields) => fields,
        other => return Err(Error::Corrupt(format!("event {:?} is not an object: {other}", data.kind()))),
    };
    fields.remove("kind");
    if fields.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&fields).map(Some).map_err(corrupt)
}

/// Appends an event to the timeline of the incident whose `seq` is `incident_seq`.
fn insert_event(
    tx: &Transaction,
    incident_seq: i64,
    data: &EventData,
    actor: Option<&str>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    insert_event_as(tx, incident_seq, uuid::Uuid::now_v7(), data, actor, at, now)
}

/// [`insert_event`] of an event whose id is given (one recorded on another copy).
pub(super) fn insert_event_as(
    tx: &Transaction,
    incident_seq: i64,
    id: uuid::Uuid,
    data: &EventData,
    actor: Option<&str>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO incident_events (incident_seq, id, kind, payload, actor, occurred_at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((
        incident_seq,
        id.as_bytes().as_slice(),
        data.kind(),
        event_payload(data)?,
        actor,
        ms(at),
        ms(now),
    ))?;
    Ok(())
}

/// The pinyin of an incident's title and description, searched with them.
fn searchable_pinyin(title: &str, description: &str) -> String {
    format!("{} {}", crate::pinyin::full(title), crate::pinyin::full(description))
}

/// Text an event adds to the incident's searchable notes.
fn searchable_text(data: &EventData) -> Option<&str> {
    match data {
        EventData::Note { text } => Some(text),
        EventData::Workaround { summary } | EventData::Resolved { summary } => Some(summary),
        EventData::Paused { reason }
        | EventData::Reopened { reason }
        | EventData::LevelChanged { reason, .. } => Some(reason),
        _ => None,
    }
}

/// Rewrites the projection columns of incident `id` from a replay of its timeline.
pub(super) fn refresh_projection(tx: &Transaction, id: &str, now: DateTime<Utc>) -> Result<()> {
    let (opened_level, events) = load_timeline(tx, id)?;
    let state = replay(opened_level, &events)?;
    let calendars = Calendars::new(working_calendar(tx)?);
    let version: i64 =
        tx.query_row("SELECT policy_version FROM incidents WHERE id = ?1", [id], |r| r.get(0))?;
    let policy = policy_version(tx, version)?;
    let timeline = accepted(events);
    Projection::of(opened_level, &timeline, &state, &policy, &calendars, now).update(tx, id)
}

/// An incident's projection columns and milestone facts, as a replay of its timeline gives them.
struct Projection {
    level: Level,
    status: Status,
    assignee: Option<String>,
    next_due_at: Option<String>,
    resolved_at: Option<String>,
    closed_at: Option<String>,
    fault_type: String,
    cause: String,
    fault_type_code: String,
    cause_code: String,
    response_seconds: Option<i64>,
    resolution_seconds: Option<i64>,
    /// Milestone kind, due (ms), met (ms), seconds used: the applicable milestones.
    facts: Vec<(&'static str, Option<i64>, Option<i64>, i64)>,
}

impl Projection {
    /// The projection of a timeline (oldest first) that replays to `state`.
    fn of(
        opened_level: Level,
        timeline: &[(EventData, DateTime<Utc>)],
        state: &IncidentState,
        policy: &SlaPolicy,
        calendars: &Calendars,
        now: DateTime<Utc>,
    ) -> Projection {
        let milestones = evaluate(policy, calendars, opened_level, timeline, now, Lang::default());
        let next_due = milestones
            .iter()
            .filter(|m| matches!(m.state, MilestoneState::Running | MilestoneState::BreachedOpen))
            .filter_map(|m| m.due)
            .min();
        let last =
            |kind: &str| timeline.iter().rev().find(|(data, _)| data.kind() == kind).map(|(_, at)| ts(*at));
        let status = state.status();
        let resolved_at = last("resolved").filter(|_| matches!(status, Status::Resolved | Status::Closed));
        let closed_at = last("closed").filter(|_| status == Status::Closed);
        // The time a milestone used, once met (the engine leaves paused time out).
        let used = |kind: MilestoneKind| {
            milestones.iter().find(|m| m.kind == kind && m.met_at.is_some()).map(|m| m.used_seconds)
        };
        let report = timeline.iter().rev().find_map(|(data, _)| match data {
            EventData::ReportSubmitted { report, .. } => Some(report),
            _ => None,
        });
        Projection {
            level: state.level,
            status,
            assignee: state.assignee.clone(),
            next_due_at: next_due.map(ts),
            resolution_seconds: used(MilestoneKind::Resolve).filter(|_| resolved_at.is_some()),
            resolved_at,
            closed_at,
            fault_type: report.map_or_else(String::new, |r| r.fault_type.clone()),
            cause: report.map_or_else(String::new, |r| r.cause.clone()),
            fault_type_code: report.map_or_else(String::new, |r| r.fault_type_code.clone()),
            cause_code: report.map_or_else(String::new, |r| r.cause_code.clone()),
            response_seconds: used(MilestoneKind::Respond),
            facts: milestones
                .iter()
                .filter(|m| m.state != MilestoneState::NotApplicable)
                .map(|m| (m.kind.code(), m.counts_at().map(ms), m.met_at.map(ms), m.used_seconds))
                .collect(),
        }
    }

    /// Rewrites the projection of stored incident `id`.
    fn update(&self, tx: &Transaction, id: &str) -> Result<()> {
        let seq: i64 = tx
            .prepare_cached(
                "UPDATE incidents SET level = ?1, status = ?2, assignee = ?3, next_due_at = ?4, resolved_at = ?5,
                    closed_at = ?6, fault_type = ?7, cause = ?8, response_seconds = ?9, resolution_seconds = ?10,
                    fault_type_code = ?11, cause_code = ?12
                 WHERE id = ?13 RETURNING seq",
            )?
            .query_row(
                params![
                    self.level.code(),
                    status_code(self.status),
                    self.assignee,
                    self.next_due_at,
                    self.resolved_at,
                    self.closed_at,
                    self.fault_type,
                    self.cause,
                    self.response_seconds,
                    self.resolution_seconds,
                    self.fault_type_code,
                    self.cause_code,
                    id
                ],
                |r| r.get(0),
            )?;
        tx.prepare_cached("DELETE FROM milestone_facts WHERE incident_seq = ?1")?.execute([seq])?;
        self.insert_facts(tx, seq)
    }

    /// Writes the milestone facts of incident `seq`, which has none.
    fn insert_facts(&self, tx: &Transaction, seq: i64) -> Result<()> {
        let mut insert = tx.prepare_cached(
            "INSERT INTO milestone_facts (incident_seq, kind, level, due_at, met_at, used_seconds)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (kind, due, met, used) in &self.facts {
            insert.execute(params![seq, kind, self.level.code(), due, met, used])?;
        }
        Ok(())
    }
}

/// What every new incident row takes from the file: the SLA policy version in force (with the
/// policy and the working calendar its milestones are computed with), the number prefix
/// (`DEMO-` in the sample sandbox), and the keys handed out: the next `seq` and the last number
/// of each year. Read once per import and counted on in memory (an import asked the store for
/// both at every incident, and a statement that returns its row journals every page it
/// touches); [`NewRows::write_numbers`] stores the counters before the transaction commits.
struct NewRows {
    policy_version: i64,
    policy: SlaPolicy,
    calendars: Calendars,
    prefix: &'static str,
    /// In team mode: numbers are provisional until the team server gives its own.
    provisional: bool,
    next_seq: i64,
    /// The last number handed out in each year touched (read when first needed).
    numbers: HashMap<i32, i64>,
}

impl NewRows {
    fn read(tx: &Transaction) -> Result<NewRows> {
        let (policy_version, policy) = current_policy(tx)?;
        Ok(NewRows {
            policy_version,
            policy,
            calendars: Calendars::new(working_calendar(tx)?),
            prefix: super::Store::number_prefix(tx)?,
            provisional: tx.query_row("SELECT EXISTS (SELECT 1 FROM team_link)", [], |r| r.get(0))?,
            next_seq: tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM incidents", [], |r| r.get(0))?,
            numbers: HashMap::new(),
        })
    }

    /// The `seq` and the number of the next incident reported in `year`.
    fn take(&mut self, tx: &Transaction, year: i32) -> Result<(i64, String)> {
        let scope = self.scope();
        let last = match self.numbers.entry(year) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(
                tx.prepare_cached("SELECT last FROM number_sequences WHERE scope = ?1 AND year = ?2")?
                    .query_row((scope, year), |r| r.get(0))
                    .optional()?
                    .unwrap_or(0),
            ),
        };
        *last += 1;
        let seq = self.next_seq;
        self.next_seq += 1;
        let number = if self.provisional {
            crate::sync::provisional_number(year, *last)
        } else {
            format!("{}{}", self.prefix, format_number(year, *last))
        };
        Ok((seq, number))
    }

    /// The counter the numbers come from.
    fn scope(&self) -> &'static str {
        if self.provisional {
            "TMP"
        } else {
            "INC"
        }
    }

    /// Stores the last number handed out in each year.
    fn write_numbers(&self, tx: &Transaction) -> Result<()> {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO number_sequences (scope, year, last) VALUES (?1, ?2, ?3)
             ON CONFLICT (scope, year) DO UPDATE SET last = excluded.last",
        )?;
        for (year, last) in &self.numbers {
            upsert.execute((self.scope(), year, last))?;
        }
        Ok(())
    }
}

/// A checked incident with its whole timeline, to be inserted at once.
struct NewIncidentRows<'a> {
    valid: &'a ValidIncident,
    external_id: Option<&'a str>,
    /// Oldest first, `reported` first.
    timeline: &'a [(EventData, DateTime<Utc>)],
    /// Who did each event of `timeline`.
    actors: &'a [Option<&'a str>],
    /// The text the events add to the search (each after a space).
    notes: &'a str,
}

/// Inserts `new`, whose timeline replays to `state`, with the next number of its year, its
/// projection, its events and its milestone facts; returns its id, number and searchable text
/// (for the caller to index).
fn insert_incident(
    tx: &Transaction,
    rows: &mut NewRows,
    new: &NewIncidentRows,
    state: &IncidentState,
    now: DateTime<Utc>,
) -> Result<(String, String, SearchText)> {
    let valid = new.valid;
    let (seq, number) = rows.take(tx, valid.number_year())?;
    let id = super::new_id();
    let p = Projection::of(valid.level, new.timeline, state, &rows.policy, &rows.calendars, now);
    tx.prepare_cached(
        "INSERT INTO incidents (id, number, title, level, opened_level, channel, reported_at, reporter,
                                    description, created_at, policy_version, system, external_id, status,
                                    assignee, next_due_at, resolved_at, closed_at, fault_type, cause,
                                    response_seconds, resolution_seconds, seq, fault_type_code, cause_code,
                                    provisional)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                     ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
    )?
    .execute(params![
        id,
        number,
        valid.title,
        p.level.code(),
        valid.level.code(),
        valid.channel.code(),
        ts(valid.reported_at),
        valid.reporter,
        valid.description,
        ts(now),
        rows.policy_version,
        valid.system,
        new.external_id,
        status_code(p.status),
        p.assignee,
        p.next_due_at,
        p.resolved_at,
        p.closed_at,
        p.fault_type,
        p.cause,
        p.response_seconds,
        p.resolution_seconds,
        seq,
        p.fault_type_code,
        p.cause_code,
        rows.provisional,
    ])?;
    for ((data, at), actor) in new.timeline.iter().zip(new.actors) {
        insert_event(tx, seq, data, *actor, *at, now)?;
    }
    p.insert_facts(tx, seq)?;
    let text = SearchText {
        seq,
        title: valid.title.clone(),
        description: valid.description.clone(),
        notes: new.notes.to_owned(),
        pinyin: searchable_pinyin(&valid.title, &valid.description),
    };
    Ok((id, number, text))
}

/// The SQL `WHERE` of `query` and its parameters.
fn where_clause(query: &IncidentQuery, now: DateTime<Utc>) -> (String, Vec<Value>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    any_of("level", query.levels.iter().map(|l| l.code()).collect(), &mut conditions, &mut params);
    any_of("status", query.statuses.iter().map(|s| status_code(*s)).collect(), &mut conditions, &mut params);
    any_of("channel", query.channels.iter().map(|c| c.code()).collect(), &mut conditions, &mut params);
    if let Some(assignee) = query.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        conditions.push("assignee = ?".into());
        params.push(Value::Text(assignee.to_owned()));
    }
    if let Some(from) = query.reported_from {
        conditions.push("reported_at >= ?".into());
        params.push(Value::Text(ts(from)));
    }
    if let Some(to) = query.reported_to {
        conditions.push("reported_at <= ?".into());
        params.push(Value::Text(ts(to)));
    }
    match query.due.map(|due| due.next_due_window(now)) {
        Some(Some((after, until))) => {
            if let Some(after) = after {
                conditions.push("next_due_at > ?".into());
                params.push(Value::Text(ts(after)));
            }
            conditions.push("next_due_at <= ? AND status <> 'closed'".into());
            params.push(Value::Text(ts(until)));
        }
        Some(None) => {
            // The report's clock, started and unmet: overdue only, or any.
            let due = if query.due == Some(DueFilter::ReportOverdue) {
                "due_at <= ?"
            } else {
                "due_at IS NOT NULL"
            };
            conditions.push(format!(
                "status <> 'closed' AND seq IN (SELECT incident_seq FROM milestone_facts
                        WHERE kind = 'report' AND met_at IS NULL AND {due})"
            ));
            if query.due == Some(DueFilter::ReportOverdue) {
                params.push(Value::Integer(ms(now)));
            }
        }
        None => {}
    }
    let search = query.search.trim();
    if !search.is_empty() {
        let (condition, values) = search_condition(search);
        conditions.push(condition);
        params.extend(values);
    }
    let filter =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    (filter, params)
}

/// The SQL condition on `incidents` that finds `term` in an incident's searchable text (title,
/// description, notes, pinyin), and its parameters: see [`crate::search`].
fn search_condition(term: &str) -> (String, Vec<Value>) {
    // Four parameters: the term's LIKE pattern for each field.
    const TEXT_HAS: &str = "(t.title LIKE ? ESCAPE '\\' OR t.description LIKE ? ESCAPE '\\'
        OR t.notes LIKE ? ESCAPE '\\' OR t.pinyin LIKE ? ESCAPE '\\')";
    let like = || Value::Text(search::like_pattern(term));
    match search::lookup(term) {
        Lookup::Trigrams { query, exact: true } => (
            "seq IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)".into(),
            vec![Value::Text(query)],
        ),
        Lookup::Trigrams { query, exact: false } => (
            format!(
                "seq IN (SELECT t.rowid FROM incident_text t
                         WHERE t.rowid IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)
                           AND {TEXT_HAS})"
            ),
            vec![Value::Text(query), like(), like(), like(), like()],
        ),
        Lookup::Pair(token) => (
            "seq IN (SELECT rowid FROM incident_pairs WHERE incident_pairs MATCH ?)".into(),
            vec![Value::Text(token)],
        ),
        Lookup::Scan => (
            format!("seq IN (SELECT t.rowid FROM incident_text t WHERE {TEXT_HAS})"),
            vec![like(), like(), like(), like()],
        ),
    }
}

/// The SQL `ORDER BY` terms of `sort`, the last ones breaking ties newest first. The urgency
/// terms are those of the `incidents_by_urgency` index.
fn order_by(sort: IncidentSort, descending: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    match sort {
        IncidentSort::Urgency => {
            format!("status = 'closed', next_due_at IS NULL, next_due_at {dir}, level, reported_at DESC, number DESC")
        }
        IncidentSort::Reported => format!("reported_at {dir}, number {dir}"),
        IncidentSort::Level => format!("level {dir}, reported_at DESC, number DESC"),
        IncidentSort::Number => format!("number {dir}"),
        IncidentSort::Status => format!(
            "CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'paused' THEN 2 \
             WHEN 'resolved' THEN 3 ELSE 4 END {dir}, reported_at DESC, number DESC"
        ),
    }
}

/// `column IN (?, ?, …)` when any codes are given.
fn any_of(column: &str, codes: Vec<&str>, conditions: &mut Vec<String>, params: &mut Vec<Value>) {
    if !codes.is_empty() {
        let marks = vec!["?"; codes.len()].join(", ");
        conditions.push(format!("{column} IN ({marks})"));
        params.extend(codes.into_iter().map(|c| Value::Text(c.to_owned())));
    }
}

fn status_code(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::InProgress => "in_progress",
        Status::Paused => "paused",
        Status::Resolved => "resolved",
        Status::Closed => "closed",
    }
}

pub(super) fn parse_status(code: &str) -> Result<Status> {
    Ok(match code {
        "new" => Status::New,
        "in_progress" => Status::InProgress,
        "paused" => Status::Paused,
        "resolved" => Status::Resolved,
        "closed" => Status::Closed,
        other => return Err(Error::Corrupt(format!("status {other:?}"))),
    })
}

pub(super) fn parse_level(code: &str) -> Result<Level> {
    Level::from_code(code).ok_or_else(|| Error::Corrupt(format!("level {code:?}")))
}

/// The [`SUMMARY_COLUMNS`] as stored, before their text is given meaning.
struct SummaryRow {
    id: String,
    number: String,
    title: String,
    level: String,
    channel: String,
    reported_at: String,
    reporter: String,
    status: String,
    assignee: Option<String>,
}

impl SummaryRow {
    fn read(row: &Row) -> rusqlite::Result<SummaryRow> {
        Ok(SummaryRow {
            id: row.get(0)?,
            number: row.get(1)?,
            title: row.get(2)?,
            level: row.get(3)?,
            channel: row.get(4)?,
            reported_at: row.get(5)?,
            reporter: row.get(6)?,
            status: row.get(7)?,
            assignee: row.get(8)?,
        })
    }

    fn parse(self) -> Result<IncidentSummary> {
        let channel = Channel::from_code(&self.channel)
            .ok_or_else(|| Error::Corrupt(format!("channel {:?}", self.channel)))?;
        Ok(IncidentSummary {
            id: self.id,
            number: self.number,
            title: self.title,
            level: parse_level(&self.level)?,
            channel,
            reported_at: parse_ts(&self.reported_at)?,
            reporter: self.reporter,
            status: parse_status(&self.status)?,
            assignee: self.assignee,
            next_milestone: None,
        })
    }
}

#[cfg(test)]
mod tests;
