//! Team mode for the records other than incidents (people, rota, training, plans…): which
//! changed here since the last sync (the audit trail says, as it says every change), their
//! values and the server versions they were edited from; the values others changed, written
//! here; and the conflicts both values are kept in until a person chooses.
//!
//! Table and column names in the SQL below come from [`SHARED_RECORDS`] and this database's
//! own schema, never from the server; every value is a bound parameter.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde_json::Value;

use super::{parse_ts, ts, Store};
use crate::sync::{
    differing_fields, is_shared, Keep, PulledRecord, PushOutcome, RecordChange, RecordConflict, RecordCursor,
    SHARED_RECORDS,
};
use crate::{Error, Result};

/// A shared table's columns, and which make its key.
struct Table {
    name: &'static str,
    columns: Vec<String>,
    key: Vec<String>,
}

impl Table {
    fn of(conn: &Connection, entity: &str) -> Result<Option<Table>> {
        let Some(name) = SHARED_RECORDS.iter().find(|t| **t == entity) else {
            return Ok(None);
        };
        let mut stmt = conn.prepare_cached("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
        let rows: Vec<(String, i64)> =
            stmt.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        // In column order, as the audit trail's triggers join them.
        let key = rows.iter().filter(|(_, pk)| *pk > 0).map(|(c, _)| c.clone()).collect();
        Ok(Some(Table { name, columns: rows.into_iter().map(|(c, _)| c).collect(), key }))
    }

    /// The SQL expression of a row's key as the audit trail writes it.
    fn key_sql(&self) -> String {
        self.key.iter().map(|c| format!("CAST(\"{c}\" AS TEXT)")).collect::<Vec<_>>().join(" || '/' || ")
    }

    /// The record keyed `id` as a JSON object of its fields, `None` when there is none.
    fn read(&self, conn: &Connection, id: &str) -> Result<Option<Value>> {
        let pairs: Vec<String> = self.columns.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
        let json: Option<String> = conn
            .prepare_cached(&format!(
                "SELECT json_object({}) FROM \"{}\" WHERE {} = ?1",
                pairs.join(", "),
                self.name,
                self.key_sql()
            ))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Corrupt(e.to_string()))).transpose()
    }

    /// The keys of every record.
    fn keys(&self, conn: &Connection) -> Result<Vec<String>> {
        let mut stmt = conn.prepare(&format!("SELECT {} FROM \"{}\"", self.key_sql(), self.name))?;
        let keys = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }

    /// Writes `data` as record `id` (`None`: removes it). Fields this copy does not know (from a
    /// newer Yunwei) are left out; a field missing keeps the column's default.
    fn write(&self, tx: &Transaction, id: &str, data: Option<&Value>) -> Result<()> {
        let Some(fields) = data.and_then(Value::as_object) else {
            tx.execute(&format!("DELETE FROM \"{}\" WHERE {} = ?1", self.name, self.key_sql()), [id])?;
            return Ok(());
        };
        let columns: Vec<&String> = self.columns.iter().filter(|c| fields.contains_key(*c)).collect();
        if self.key.iter().any(|k| !fields.contains_key(k)) {
            return Err(Error::Corrupt(format!("{} {id}: a record without its key", self.name)));
        }
        let values: Vec<Sql> = columns.iter().map(|c| sql_value(&fields[c.as_str()])).collect();
        let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let updates: Vec<String> = columns
            .iter()
            .filter(|c| !self.key.contains(c))
            .map(|c| format!("\"{c}\" = excluded.\"{c}\""))
            .collect();
        let on_conflict = if updates.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            format!("DO UPDATE SET {}", updates.join(", "))
        };
        let keys: Vec<String> = self.key.iter().map(|c| format!("\"{c}\"")).collect();
        tx.execute(
            &format!(
                "INSERT INTO \"{}\" ({}) VALUES ({}) ON CONFLICT ({}) {on_conflict}",
                self.name,
                names.join(", "),
                marks.join(", "),
                keys.join(", ")
            ),
            params_from_iter(values),
        )?;
        Ok(())
    }
}

fn sql_value(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => {
            n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0)))
        }
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// The label a person knows a record by.
fn label(data: Option<&Value>, id: &str) -> String {
    let field = |name: &str| data.and_then(|d| d.get(name)).and_then(Value::as_str).filter(|s| !s.is_empty());
    field("name").or_else(|| field("title")).or_else(|| field("label")).unwrap_or(id).to_owned()
}

impl Store {
    /// Queues every shared record to be sent (on joining a team: this copy's records may predate
    /// the audit trail).
    pub(super) fn queue_all_records(tx: &Transaction) -> Result<()> {
        for entity in SHARED_RECORDS {
            let Some(table) = Table::of(tx, entity)? else { continue };
            let mut insert = tx.prepare_cached(
                "INSERT INTO record_outbox (entity, entity_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for key in table.keys(tx)?.into_iter().filter(|key| is_shared(entity, key)) {
                insert.execute((entity, key))?;
            }
        }
        Ok(())
    }

    /// The shared records changed here since the last sync, with their values and the versions
    /// they were edited from, and the audit trail's last entry read (for [`Store::records_sent`]).
    /// A record waiting in a conflict is not sent; its value there is brought up to date.
    pub fn record_changes(&mut self) -> Result<(Vec<RecordChange>, i64)> {
        let tx = self.conn.transaction()?;
        let (sent, last): (i64, i64) = tx.query_row(
            "SELECT audit_sent, (SELECT coalesce(max(seq), 0) FROM audit_log) FROM team_link",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut keys = BTreeSet::new();
        {
            let mut stmt = tx.prepare("SELECT entity, entity_id FROM record_outbox")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                keys.insert(row?);
            }
            let mut stmt =
                tx.prepare("SELECT DISTINCT entity, entity_id FROM audit_log WHERE seq > ?1 AND seq <= ?2")?;
            for row in
                stmt.query_map([sent, last], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            {
                keys.insert(row?);
            }
        }
        // Parents before their children.
        let order = |entity: &str| SHARED_RECORDS.iter().position(|t| *t == entity);
        let mut keys: Vec<(String, String)> = keys.into_iter().filter(|(e, id)| is_shared(e, id)).collect();
        keys.sort_by_key(|(e, _)| order(e));
        let mut changes = Vec::new();
        for (entity, entity_id) in keys {
            let Some(table) = Table::of(&tx, &entity)? else { continue };
            let data = table.read(&tx, &entity_id)?;
            let in_conflict = tx
                .prepare_cached("UPDATE sync_conflicts SET mine = ?3 WHERE entity = ?1 AND entity_id = ?2")?
                .execute(params![entity, entity_id, data.as_ref().map(Value::to_string)])?;
            if in_conflict > 0 {
                continue;
            }
            let base: i64 = tx
                .prepare_cached("SELECT version FROM record_versions WHERE entity = ?1 AND entity_id = ?2")?
                .query_row([&entity, &entity_id], |r| r.get(0))
                .optional()?
                .unwrap_or(0);
            changes.push(RecordChange { entity, entity_id, base, data });
        }
        tx.commit()?;
        Ok((changes, last))
    }

    /// Records what the server did with the changes sent: a record taken is at its new version;
    /// one changed on the server since, or refused, waits in a conflict with both values.
    /// `through`, once every change is sent: the audit trail's last entry they were read up to.
    pub fn records_sent(
        &mut self,
        sent: &[(RecordChange, PushOutcome)],
        through: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (change, outcome) in sent {
            let key = params![change.entity, change.entity_id];
            tx.prepare_cached("DELETE FROM record_outbox WHERE entity = ?1 AND entity_id = ?2")?
                .execute(key)?;
            match outcome {
                PushOutcome::Accepted { version } | PushOutcome::Same { version } => {
                    set_version(&tx, &change.entity, &change.entity_id, *version)?;
                }
                PushOutcome::Conflict { version, data, author }
                | PushOutcome::Refused { version, data, author } => {
                    tx.prepare_cached(
                        "INSERT INTO sync_conflicts (entity, entity_id, mine, theirs, their_version, their_author,
                                                     refused, found_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT (entity, entity_id) DO UPDATE SET mine = excluded.mine, theirs = excluded.theirs,
                            their_version = excluded.their_version, their_author = excluded.their_author,
                            refused = excluded.refused",
                    )?
                    .execute(params![
                        change.entity,
                        change.entity_id,
                        change.data.as_ref().map(Value::to_string),
                        data.as_ref().map(Value::to_string),
                        version,
                        author,
                        matches!(outcome, PushOutcome::Refused { .. }),
                        ts(now),
                    ])?;
                }
            }
        }
        if let Some(through) = through {
            tx.execute("UPDATE team_link SET audit_sent = max(audit_sent, ?1)", [through])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The records pull cursor.
    pub fn record_cursor(&self) -> Result<RecordCursor> {
        Ok(self.conn.query_row("SELECT records_xid, records_seq FROM team_link", [], |r| {
            Ok(RecordCursor { xid: r.get(0)?, change: r.get(1)? })
        })?)
    }

    /// Writes the records others changed (one page from the server) and moves the cursor past
    /// them, in one transaction; returns how many were written. A record this copy already holds
    /// at that version is left; one waiting in a conflict has the server's side brought up to
    /// date. What is written here is not sent back.
    pub fn apply_records(&mut self, page: &[PulledRecord], cursor: &RecordCursor) -> Result<u64> {
        let tx = self.conn.transaction()?;
        // A child may arrive before its parent within a page.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let mut written = 0;
        for record in page {
            // A kind of record this copy does not share (a newer Yunwei's, or a laptop's own
            // setting) is left alone.
            if !is_shared(&record.entity, &record.entity_id) {
                continue;
            }
            let Some(table) = Table::of(&tx, &record.entity)? else { continue };
            let key = params![record.entity, record.entity_id];
            let theirs = record.data.as_ref().map(Value::to_string);
            let in_conflict = tx
                .prepare_cached(
                    "UPDATE sync_conflicts SET theirs = ?3, their_version = ?4, their_author = ?5
                     WHERE entity = ?1 AND entity_id = ?2",
                )?
                .execute(params![record.entity, record.entity_id, theirs, record.version, record.author])?;
            if in_conflict > 0 {
                continue;
            }
            let held: i64 = tx
                .prepare_cached("SELECT version FROM record_versions WHERE entity = ?1 AND entity_id = ?2")?
                .query_row(key, |r| r.get(0))
                .optional()?
                .unwrap_or(0);
            if held >= record.version {
                continue;
            }
            table.write(&tx, &record.entity_id, record.data.as_ref())?;
            set_version(&tx, &record.entity, &record.entity_id, record.version)?;
            written += 1;
        }
        tx.execute(
            "UPDATE team_link SET records_xid = ?1, records_seq = ?2,
                    audit_sent = (SELECT coalesce(max(seq), 0) FROM audit_log)",
            params![cursor.xid, cursor.change],
        )?;
        tx.commit()?;
        Ok(written)
    }

    /// The records waiting for a person to choose between two values, oldest first.
    pub fn record_conflicts(&self) -> Result<Vec<RecordConflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT entity, entity_id, mine, theirs, their_author, refused, found_at FROM sync_conflicts
             ORDER BY found_at, entity, entity_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (entity, entity_id, mine, theirs, their_author, refused, found_at) = row?;
            let json = |t: Option<String>| -> Result<Option<Value>> {
                t.map(|t| serde_json::from_str(&t).map_err(|e| Error::Corrupt(e.to_string()))).transpose()
            };
            let (mine, theirs) = (json(mine)?, json(theirs)?);
            Ok(RecordConflict {
                label: label(mine.as_ref().or(theirs.as_ref()), &entity_id),
                fields: differing_fields(mine.as_ref(), theirs.as_ref()),
                entity,
                entity_id,
                their_author,
                refused,
                found_at: parse_ts(&found_at)?,
            })
        })
        .collect()
    }

    /// Settles a conflict: `Theirs` writes the server's value here; `Mine` keeps this copy's and
    /// sends it at the next sync over the server's version it was shown with.
    pub fn resolve_conflict(&mut self, entity: &str, entity_id: &str, keep: Keep) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let found: Option<(Option<String>, i64)> = tx
            .query_row(
                "SELECT theirs, their_version FROM sync_conflicts WHERE entity = ?1 AND entity_id = ?2",
                [entity, entity_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((theirs, version)) = found else {
            return Err(Error::NotFound {
                what: crate::error::Missing::Conflict,
                id: format!("{entity} {entity_id}"),
            });
        };
        let table = Table::of(&tx, entity)?.ok_or_else(|| Error::Corrupt(format!("conflict of {entity}")))?;
        match keep {
            Keep::Theirs => {
                let theirs: Option<Value> = theirs
                    .map(|t| serde_json::from_str(&t).map_err(|e| Error::Corrupt(e.to_string())))
                    .transpose()?;
                table.write(&tx, entity_id, theirs.as_ref())?;
            }
            Keep::Mine => {
                tx.execute(
                    "INSERT INTO record_outbox (entity, entity_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    [entity, entity_id],
                )?;
            }
        }
        set_version(&tx, entity, entity_id, version)?;
        tx.execute("DELETE FROM sync_conflicts WHERE entity = ?1 AND entity_id = ?2", [entity, entity_id])?;
        tx.commit()?;
        Ok(())
    }
}

fn set_version(tx: &Transaction, entity: &str, entity_id: &str, version: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO record_versions (entity, entity_id, version) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, entity_id) DO UPDATE SET version = excluded.version",
    )?
    .execute(params![entity, entity_id, version])?;
    Ok(())
}
