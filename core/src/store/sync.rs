//! Team mode on this copy: the link to the team server, the outbox of timeline events recorded
//! here and not yet acknowledged, and the events pulled from the server, stored with the ids
//! they were recorded under and replayed into the projections.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::incidents::{
    index_event_text, insert_event_as, load_timeline, parse_event, refresh_projection, SearchText,
};
use super::{from_ms, new_id, parse_ts, ts, Store};
use crate::incident::NewIncident;
use crate::sync::{provisional_number, Applied, Cursor, Header, Pulled, SyncedEvent, TeamLink, Unusable};
use crate::zone::SERVICE_TZ;
use crate::{Error, Result};

impl Store {
    /// This copy's link to its team server, `None` when it works alone.
    pub fn team_link(&self) -> Result<Option<TeamLink>> {
        let link = self
            .conn
            .query_row(
                "SELECT server, login, device, joined_at, last_sync_at, last_error, cursor_xid, cursor_id,
                        (SELECT count(*) FROM sync_outbox),
                        (SELECT count(*) FROM incidents WHERE provisional = 1), ca
                 FROM team_link",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                        r.get::<_, i64>(9)?,
                        r.get::<_, Option<String>>(10)?,
                    ))
                },
            )
            .optional()?;
        let Some((server, login, device, joined, last, last_error, xid, id, unsent, provisional, ca)) = link
        else {
            return Ok(None);
        };
        Ok(Some(TeamLink {
            server,
            login,
            ca,
            device,
            joined_at: parse_ts(&joined)?,
            last_sync_at: last.as_deref().map(parse_ts).transpose()?,
            last_error,
            cursor: Cursor { xid, id: Uuid::parse_str(&id).map_err(|e| Error::Corrupt(e.to_string()))? },
            unsent: u64::try_from(unsent).unwrap_or(0),
            provisional: u64::try_from(provisional).unwrap_or(0),
        }))
    }

    /// Joins the team on `server` as `login` (its TLS certificate checked against `ca`, the team
    /// CA's PEM, when given): from now on every event recorded here is queued for it, and so is
    /// every record already held (the first sync sends this copy's history). Joining another
    /// server starts reading it from its beginning.
    pub fn join_team(
        &mut self,
        server: &str,
        login: &str,
        ca: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TeamLink> {
        let tx = self.conn.transaction()?;
        let current: Option<String> =
            tx.query_row("SELECT server FROM team_link", [], |r| r.get(0)).optional()?;
        match current {
            Some(same) if same == server => {
                tx.execute("UPDATE team_link SET login = ?1, ca = ?2", params![login, ca])?;
            }
            _ => {
                tx.execute("DELETE FROM team_link", [])?;
                tx.execute(
                    "INSERT INTO team_link (id, server, login, ca, device, joined_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                    params![server, login, ca, new_id(), ts(now)],
                )?;
                tx.execute(
                    "INSERT INTO sync_outbox (incident_seq, event_id)
                     SELECT incident_seq, id FROM incident_events ORDER BY recorded_at, incident_seq, id
                     ON CONFLICT (event_id) DO NOTHING",
                    [],
                )?;
                tx.execute_batch(
                    "DELETE FROM record_outbox; DELETE FROM record_versions; DELETE FROM sync_conflicts;",
                )?;
                Store::queue_all_records(&tx)?;
            }
        }
        tx.commit()?;
        self.team_link()?.ok_or_else(|| Error::Corrupt("team link".into()))
    }

    /// Up to `max` events waiting to be sent, oldest first, each a `reported` one with its
    /// incident.
    pub fn outbox(&self, max: usize) -> Result<Vec<SyncedEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.event_id, i.id, e.kind, e.payload, e.actor, e.occurred_at, e.recorded_at,
                    i.title, i.opened_level, i.channel, i.reported_at, i.reporter, i.description, i.system,
                    i.number, i.provisional, i.policy_version, i.external_id, i.created_at
             FROM (SELECT seq, incident_seq, event_id FROM sync_outbox ORDER BY seq LIMIT ?1) o
             -- The outbox drives (CROSS JOIN keeps it outermost): with the whole timeline as the
             -- outer loop instead, a first push of 100,000 incidents ran at a seventh of the speed.
             CROSS JOIN incident_events e ON e.incident_seq = o.incident_seq AND e.id = o.event_id
             CROSS JOIN incidents i ON i.seq = o.incident_seq
             ORDER BY o.seq",
        )?;
        let rows = stmt.query_map([i64::try_from(max).unwrap_or(i64::MAX)], |r| {
            let header = (
                NewIncident {
                    title: r.get(7)?,
                    level: r.get(8)?,
                    channel: r.get(9)?,
                    reported_at: r.get(10)?,
                    reporter: r.get(11)?,
                    description: r.get(12)?,
                    system: r.get(13)?,
                },
                r.get::<_, String>(14)?,
                r.get::<_, bool>(15)?,
                r.get::<_, i64>(16)?,
                r.get::<_, Option<String>>(17)?,
                r.get::<_, String>(18)?,
            );
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                header,
            ))
        })?;
        rows.map(|row| {
            let (event_id, incident_id, kind, payload, actor, occurred_at, recorded_at, header) = row?;
            let (incident, number, provisional, policy_version, external_id, created_at) = header;
            let data = parse_event(&kind, payload.as_deref())?;
            let header = if kind == "reported" {
                let reported_at = parse_ts(&incident.reported_at)?;
                Some(Header {
                    year: reported_at.with_timezone(&SERVICE_TZ).year(),
                    incident: NewIncident { reported_at: reported_at.to_rfc3339(), ..incident },
                    number: (!provisional).then_some(number),
                    policy_version,
                    external_id,
                    created_at: parse_ts(&created_at)?,
                })
            } else {
                None
            };
            Ok(SyncedEvent {
                id: uuid_of(&event_id)?,
                incident_id: Uuid::parse_str(&incident_id).map_err(|e| Error::Corrupt(e.to_string()))?,
                data,
                actor,
                occurred_at: from_ms(occurred_at)?,
                recorded_at: from_ms(recorded_at)?,
                header,
            })
        })
        .collect()
    }

    /// Takes events the server now holds off the outbox.
    pub fn outbox_sent(&mut self, ids: &[Uuid]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM sync_outbox WHERE event_id = ?1")?;
            for id in ids {
                delete.execute([id.as_bytes().as_slice()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores one page of events pulled from the server and moves the cursor past it, all in
    /// one transaction: each event is opened (its digest checked, its data read) and stored
    /// under its own id — one already held is not stored twice — an incident new here is
    /// created with the server's number, a provisional number is replaced by the server's,
    /// and the projections of the incidents touched are rebuilt by replay. An event that cannot
    /// be opened refuses the page: nothing of it is stored and the cursor stays.
    pub fn apply_pulled(&mut self, page: &[Pulled], cursor: &Cursor, now: DateTime<Utc>) -> Result<Applied> {
        let tx = self.conn.transaction()?;
        let mut applied = Applied::default();
        let mut touched = BTreeSet::new();
        for pulled in page {
            let event = SyncedEvent::open(&pulled.event)?;
            let incident_id = event.incident_id.to_string();
            let local: Option<(i64, String, bool)> = tx
                .prepare_cached("SELECT seq, number, provisional FROM incidents WHERE id = ?1")?
                .query_row([&incident_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let seq = match local {
                Some((seq, number, provisional)) => {
                    if let Some(server_number) = &pulled.number {
                        let renumbered = *server_number != number;
                        if renumbered {
                            free_number(&tx, server_number, &incident_id)?;
                        }
                        if renumbered || provisional {
                            tx.execute(
                                "UPDATE incidents SET number = ?1, provisional = 0 WHERE seq = ?2",
                                params![server_number, seq],
                            )?;
                        }
                        if renumbered {
                            applied.numbered.push((number, server_number.clone()));
                        }
                    }
                    seq
                }
                None => {
                    let Some(header) = &event.header else {
                        return Err(Error::refused(Unusable::orphan(event.id)));
                    };
                    let Some(number) = &pulled.number else {
                        return Err(Error::refused(Unusable::unnumbered(event.id)));
                    };
                    free_number(&tx, number, &incident_id)?;
                    applied.new_incidents += 1;
                    insert_incident(&tx, &incident_id, number, header, now.max(event.recorded_at))?
                }
            };
            let held: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM incident_events WHERE incident_seq = ?1 AND id = ?2)",
                )?
                .query_row(params![seq, event.id.as_bytes().as_slice()], |r| r.get(0))?;
            if held {
                continue;
            }
            insert_event_as(
                &tx,
                seq,
                event.id,
                &event.data,
                event.actor.as_deref(),
                event.occurred_at,
                event.recorded_at,
            )?;
            index_event_text(&tx, seq, &event.data)?;
            // Queued by the trigger as any stored event is; it came from the server.
            tx.prepare_cached("DELETE FROM sync_outbox WHERE event_id = ?1")?
                .execute([event.id.as_bytes().as_slice()])?;
            applied.pulled += 1;
            touched.insert(incident_id);
        }
        for id in &touched {
            refresh_projection(&tx, id, now)?;
            let (_, events) = load_timeline(&tx, id)?;
            if events.iter().any(|e| e.contradicted) {
                let number: String =
                    tx.query_row("SELECT number FROM incidents WHERE id = ?1", [id], |r| r.get(0))?;
                applied.contradictions.push(number);
            }
        }
        tx.execute(
            "UPDATE team_link SET cursor_xid = ?1, cursor_id = ?2",
            params![cursor.xid, cursor.id.to_string()],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// The number of an incident reported before `to` that still carries a provisional number,
    /// if any: a document covering the period waits for the sync that numbers it.
    pub fn provisional_before(&self, to: DateTime<Utc>) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT number FROM incidents WHERE provisional = 1 AND reported_at < ?1 ORDER BY reported_at LIMIT 1",
                [ts(to)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records how the last sync ended: `error` worded for the person, `None` when it went through.
    pub fn sync_finished(&mut self, at: DateTime<Utc>, error: Option<&str>) -> Result<()> {
        self.conn
            .execute("UPDATE team_link SET last_sync_at = ?1, last_error = ?2", params![ts(at), error])?;
        Ok(())
    }
}

fn uuid_of(bytes: &[u8]) -> Result<Uuid> {
    Uuid::from_slice(bytes).map_err(|_| Error::Corrupt(format!("event id {bytes:02x?}")))
}

/// Creates incident `id`, numbered `number` by the server, from the header its `reported` event
/// carried, checked as the create form is; returns its `seq`. Its events follow.
fn insert_incident(
    tx: &Transaction,
    id: &str,
    number: &str,
    header: &Header,
    now: DateTime<Utc>,
) -> Result<i64> {
    let valid = header.incident.validate(now)?;
    let seq: i64 = tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM incidents", [], |r| r.get(0))?;
    // The policy version it runs under, when this copy holds it; else this copy's current one.
    let policy_version: i64 = tx.query_row(
        "SELECT coalesce((SELECT version FROM sla_policies WHERE version = ?1), (SELECT max(version) FROM sla_policies))",
        [header.policy_version],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO incidents (id, number, title, level, opened_level, channel, reported_at, reporter, description,
                                created_at, policy_version, system, external_id, seq, provisional)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0)",
        params![
            id,
            number,
            valid.title,
            valid.level.code(),
            valid.channel.code(),
            ts(valid.reported_at),
            valid.reporter,
            valid.description,
            ts(header.created_at),
            policy_version,
            valid.system,
            header.external_id,
            seq,
        ],
    )?;
    SearchText::new(seq, &valid.title, &valid.description).insert(tx)?;
    Ok(seq)
}

/// Makes `number` free for incident `id`: another incident here holding it (numbered by this
/// copy before it joined, the server having given the number to someone else's) gets a
/// provisional label until its own echo brings the server's number for it.
fn free_number(tx: &Transaction, number: &str, id: &str) -> Result<()> {
    let holder: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, reported_at FROM incidents WHERE number = ?1 AND id <> ?2",
            [number, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((seq, reported_at)) = holder else {
        return Ok(());
    };
    let year = parse_ts(&reported_at)?.with_timezone(&SERVICE_TZ).year();
    let last: i64 = tx.query_row(
        "INSERT INTO number_sequences (scope, year, last) VALUES ('TMP', ?1, 1)
         ON CONFLICT (scope, year) DO UPDATE SET last = last + 1 RETURNING last",
        [year],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE incidents SET number = ?1, provisional = 1 WHERE seq = ?2",
        params![provisional_number(year, last), seq],
    )?;
    Ok(())
}
