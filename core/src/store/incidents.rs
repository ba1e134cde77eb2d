//! Queries of `incidents` and `incident_events`. Writes run inside one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction};

use super::{new_id, parse_ts, ts, Store};
use crate::incident::{
    format_number, Channel, EventKind, Incident, IncidentEvent, IncidentSummary, Level, NewIncident,
    ValidIncident,
};
use crate::sample::sample_incidents;
use crate::{Error, Result};

const SUMMARY_COLUMNS: &str = "id, number, title, level, channel, reported_at, reporter";

impl Store {
    /// Checks `input` against the rules at `now`, then stores the incident, its number and its
    /// `reported` event together. Nothing is written when a rule refuses the input.
    pub fn create_incident(&mut self, input: &NewIncident, now: DateTime<Utc>) -> Result<Incident> {
        let valid = input.validate(now)?;
        let tx = self.conn.transaction()?;
        let id = insert_incident(&tx, &valid, now)?;
        tx.commit()?;
        self.get_incident(&id)
    }

    /// Adds the sample incidents in one transaction and returns how many were added.
    pub fn load_sample_data(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let samples = sample_incidents(now).iter().map(|s| s.validate(now)).collect::<Result<Vec<_>>>()?;
        let tx = self.conn.transaction()?;
        for valid in &samples {
            insert_incident(&tx, valid, now)?;
        }
        tx.commit()?;
        Ok(samples.len())
    }

    /// Every incident, most recently reported first.
    pub fn list_incidents(&self) -> Result<Vec<IncidentSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM incidents ORDER BY reported_at DESC, number DESC"
        ))?;
        let rows = stmt.query_map([], SummaryRow::read)?;
        rows.map(|r| r?.parse()).collect()
    }

    /// One incident with its timeline, oldest event first.
    pub fn get_incident(&self, id: &str) -> Result<Incident> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS}, description, created_at FROM incidents WHERE id = ?1"),
                [id],
                |row| Ok((SummaryRow::read(row)?, row.get::<_, String>(7)?, row.get::<_, String>(8)?)),
            )
            .optional()?;
        let Some((summary, description, created_at)) = found else {
            return Err(Error::IncidentNotFound(id.to_owned()));
        };
        Ok(Incident {
            summary: summary.parse()?,
            description,
            created_at: parse_ts(&created_at)?,
            events: self.incident_events(id)?,
        })
    }

    fn incident_events(&self, incident_id: &str) -> Result<Vec<IncidentEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, actor, occurred_at, recorded_at FROM incident_events
             WHERE incident_id = ?1 ORDER BY occurred_at, recorded_at, id",
        )?;
        let rows = stmt.query_map([incident_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        rows.map(|r| {
            let (id, kind, actor, occurred_at, recorded_at) = r?;
            Ok(IncidentEvent {
                id,
                kind: EventKind::from_code(&kind)
                    .ok_or_else(|| Error::Corrupt(format!("event kind {kind:?}")))?,
                actor,
                occurred_at: parse_ts(&occurred_at)?,
                recorded_at: parse_ts(&recorded_at)?,
            })
        })
        .collect()
    }
}

/// Inserts a checked incident with the next number of its year and its `reported` event.
fn insert_incident(tx: &Transaction, valid: &ValidIncident, now: DateTime<Utc>) -> Result<String> {
    let year = valid.number_year();
    let seq: i64 = tx.query_row(
        "INSERT INTO number_sequences (scope, year, last) VALUES ('INC', ?1, 1)
         ON CONFLICT (scope, year) DO UPDATE SET last = last + 1
         RETURNING last",
        [year],
        |r| r.get(0),
    )?;
    let id = new_id();
    tx.execute(
        "INSERT INTO incidents (id, number, title, level, channel, reported_at, reporter, description, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        (
            &id,
            format_number(year, seq),
            &valid.title,
            valid.level.code(),
            valid.channel.code(),
            ts(valid.reported_at),
            &valid.reporter,
            &valid.description,
            ts(now),
        ),
    )?;
    tx.execute(
        "INSERT INTO incident_events (id, incident_id, kind, occurred_at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        (new_id(), &id, EventKind::Reported.code(), ts(valid.reported_at), ts(now)),
    )?;
    Ok(id)
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
        })
    }

    fn parse(self) -> Result<IncidentSummary> {
        let level =
            Level::from_code(&self.level).ok_or_else(|| Error::Corrupt(format!("level {:?}", self.level)))?;
        let channel = Channel::from_code(&self.channel)
            .ok_or_else(|| Error::Corrupt(format!("channel {:?}", self.channel)))?;
        Ok(IncidentSummary {
            id: self.id,
            number: self.number,
            title: self.title,
            level,
            channel,
            reported_at: parse_ts(&self.reported_at)?,
            reporter: self.reporter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;

    #[test]
    fn creating_stores_the_incident_with_its_reported_event() {
        let mut store = in_memory_db();
        let created = store
            .create_incident(&new_incident("打印服务不可用", "2026-11-27T09:00:00+08:00"), now())
            .unwrap();
        assert_eq!(created.summary.number, "INC-2026-0001");
        assert_eq!(created.summary.title, "打印服务不可用");
        assert_eq!(created.created_at, now());
        assert_eq!(created.events.len(), 1, "one event: reported");
        assert_eq!(created.events[0].kind, EventKind::Reported);
        assert_eq!(created.events[0].occurred_at, created.summary.reported_at);
        assert_eq!(created.events[0].recorded_at, now());
        assert_eq!(store.get_incident(&created.summary.id).unwrap(), created, "reads back the same");
    }

    #[test]
    fn numbers_are_sequential_per_year() {
        let mut store = in_memory_db();
        let mut number =
            |at: &str| store.create_incident(&new_incident("x", at), now()).unwrap().summary.number;
        assert_eq!(number("2026-03-01T10:00:00+08:00"), "INC-2026-0001");
        assert_eq!(number("2026-03-02T10:00:00+08:00"), "INC-2026-0002");
        assert_eq!(number("2025-12-30T10:00:00+08:00"), "INC-2025-0001", "a new year starts at 1");
        assert_eq!(number("2026-01-05T10:00:00+08:00"), "INC-2026-0003");
    }

    #[test]
    fn a_refused_incident_writes_nothing() {
        let mut store = in_memory_db();
        let err = store.create_incident(&new_incident("", "2026-11-27T09:00:00+08:00"), now());
        assert_eq!(err.unwrap_err().code(), "validation");
        let future = store.create_incident(&new_incident("x", "2026-11-28T09:00:00+08:00"), now());
        assert_eq!(future.unwrap_err().fields()[0].code(), "in_future");
        assert!(store.list_incidents().unwrap().is_empty(), "no incident was stored");
        let used: i64 =
            store.conn.query_row("SELECT count(*) FROM number_sequences", [], |r| r.get(0)).unwrap();
        assert_eq!(used, 0, "no number was consumed");
    }

    #[test]
    fn the_list_is_newest_first() {
        let mut store = in_memory_db();
        seed_incidents(&mut store, 3);
        store.create_incident(&new_incident("最早", "2026-11-01T08:00:00+08:00"), now()).unwrap();
        let titles: Vec<_> = store.list_incidents().unwrap().into_iter().map(|i| i.title).collect();
        assert_eq!(titles, ["故障 2", "故障 1", "故障 0", "最早"]);
    }

    #[test]
    fn an_unknown_id_is_not_found() {
        let store = in_memory_db();
        let err = store.get_incident("no-such-id").unwrap_err();
        assert!(matches!(err, Error::IncidentNotFound(ref id) if id == "no-such-id"), "{err:?}");
    }

    #[test]
    fn events_cannot_be_edited_or_deleted() {
        let mut store = in_memory_db();
        seed_incidents(&mut store, 1);
        let update = store.conn.execute("UPDATE incident_events SET kind = 'x'", []);
        assert!(update.is_err(), "update refused");
        let delete = store.conn.execute("DELETE FROM incident_events", []);
        assert!(delete.is_err(), "delete refused");
    }

    #[test]
    fn sample_data_fills_a_live_list() {
        let mut store = in_memory_db();
        let added = store.load_sample_data(now()).unwrap();
        let list = store.list_incidents().unwrap();
        assert_eq!(list.len(), added);
        assert!(added >= 5, "a handful of samples");
        assert!(list.windows(2).all(|w| w[0].reported_at >= w[1].reported_at), "newest first");
    }
}
