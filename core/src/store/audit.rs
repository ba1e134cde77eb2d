//! The audit trail (变更记录): every change to a record other than an incident — who, when,
//! what (table and key), the values before and after — written by triggers inside the same
//! transaction as the change, so no code path can change a record without leaving its entry.
//!
//! Entries are chained: each carries the SHA-256 of its own fields and the previous entry's
//! hash (`yw_audit_hash`, a function this connection provides), and the table refuses updates
//! and deletes. [`Store::verify_audit`] recomputes the chain and names the first broken link.
//! Incidents need none of this: their timelines are append-only already.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{from_ms, Store};
use crate::{Error, Result};

/// The tables whose rows are audited, with what they hold (for people, in the trail's screen).
pub const AUDITED: &[&str] = &[
    "settings",
    "setting_files",
    "calendars",
    "sla_policies",
    "signing_identities",
    "people",
    "rotations",
    "rota_overrides",
    "training_audiences",
    "training_plans",
    "training_sessions",
    "training_attendees",
    "qa_samples",
    "qa_sample_items",
    "report_revisions",
    "plan_revisions",
    "monthly_revisions",
    "inspection_templates",
    "inspection_plans",
    "inspection_runs",
    "inspection_results",
    "inspection_attachments",
    "client_backups",
    "assets",
    "work_orders",
    "inspection_revisions",
    "follow_ups",
    "categories",
    "category_mappings",
    "corrective_actions",
    "contingency_plans",
    "drills",
    "drill_revisions",
    "team_certificates",
];

/// The tables left out, and why: a new table must be put in one list or the other (a test
/// checks every table of the schema).
pub const NOT_AUDITED: &[(&str, &str)] = &[
    ("incidents", "the incident timeline is append-only: its events are its history"),
    ("incident_events", "append-only by its own triggers"),
    ("milestone_facts", "derived from the timelines"),
    ("incident_text", "the search text, derived from the timelines"),
    ("number_sequences", "counters behind the numbers, derived"),
    ("imports", "the log of imported files, itself a record of what came in"),
    ("report_drafts", "unsigned work in progress, saved as it is typed"),
    ("schema_migrations", "the log of migrations"),
    ("audit_log", "the trail itself"),
    ("team_link", "the sync's own position on the team server, rewritten at every sync"),
    ("sync_outbox", "events waiting to be sent, taken from the append-only timeline"),
    ("record_outbox", "records waiting to be sent, named by their keys"),
    ("record_versions", "the server versions records were synced at, rewritten at every sync"),
    ("sync_conflicts", "both values of a record changed here and on the server, until a person chooses"),
    ("attachments", "files kept by their SHA-256, never changed; which reading holds them is audited"),
];

/// Registers `yw_audit_hash` on `conn`: the SHA-256 of the previous hash and an entry's fields
/// (length-prefixed, so no two entries share an input).
pub(super) fn register(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        "yw_audit_hash",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let mut hash = Sha256::new();
            for i in 0..ctx.len() {
                feed(&mut hash, ctx.get_raw(i));
            }
            Ok(hash.finalize().to_vec())
        },
    )?;
    Ok(())
}

fn feed(hash: &mut Sha256, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => hash.update([0u8]),
        ValueRef::Integer(n) => {
            hash.update([1u8]);
            hash.update(n.to_le_bytes());
        }
        ValueRef::Real(x) => {
            hash.update([2u8]);
            hash.update(x.to_le_bytes());
        }
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            hash.update([3u8]);
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        }
    }
}

/// The columns of an entry, in the order they are hashed.
const FIELDS: &str = "seq, at, actor, action, entity, entity_id, before, after";

/// Creates (or brings up to date) the audit triggers of every audited table: generated from
/// the table's columns, so a migration that adds a column is audited from then on. Triggers
/// already as generated are left alone (rewriting them would change the file at every open).
pub(super) fn install(conn: &Connection) -> Result<()> {
    for table in AUDITED {
        let columns: Vec<(String, bool)> = conn
            .prepare(&format!("SELECT name, pk FROM pragma_table_info('{table}') ORDER BY cid"))?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? > 0)))?
            .collect::<rusqlite::Result<_>>()?;
        if columns.is_empty() {
            continue;
        }
        for (action, timing) in [("create", "INSERT"), ("update", "UPDATE"), ("remove", "DELETE")] {
            let name = format!("audit_{table}_{action}");
            let sql = trigger_sql(table, &columns, &name, action, timing);
            let existing: Option<String> = conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .ok();
            if existing.as_deref() != Some(sql.as_str()) {
                conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}; {sql};"))?;
            }
        }
    }
    Ok(())
}

fn trigger_sql(table: &str, columns: &[(String, bool)], name: &str, action: &str, timing: &str) -> String {
    // Blobs (sealed keys, signed PDFs, logos) are named by their size, not copied.
    let object = |row: &str| {
        let pairs: Vec<String> = columns
            .iter()
            .map(|(c, _)| {
                format!(
                    "'{c}', CASE WHEN typeof({row}.\"{c}\") = 'blob' THEN '(' || length({row}.\"{c}\") || ' bytes)' ELSE {row}.\"{c}\" END"
                )
            })
            .collect();
        format!("json_object({})", pairs.join(", "))
    };
    let key = |row: &str| {
        let pk: Vec<String> =
            columns.iter().filter(|(_, pk)| *pk).map(|(c, _)| format!("{row}.\"{c}\"")).collect();
        if pk.is_empty() {
            format!("{row}.rowid")
        } else {
            pk.join(" || '/' || ")
        }
    };
    let (before, after, id, when) = match timing {
        "INSERT" => ("NULL".to_owned(), object("NEW"), key("NEW"), String::new()),
        "UPDATE" => (
            object("OLD"),
            object("NEW"),
            key("NEW"),
            format!(" WHEN {} IS NOT {}", object("OLD"), object("NEW")),
        ),
        _ => (object("OLD"), "NULL".to_owned(), key("OLD"), String::new()),
    };
    format!(
        "CREATE TRIGGER {name} AFTER {timing} ON {table}{when} BEGIN \
         INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) VALUES (\
         CAST(unixepoch('subsec') * 1000 AS INTEGER), \
         COALESCE((SELECT value FROM settings WHERE key = 'user_name'), ''), \
         '{action}', '{table}', CAST({id} AS TEXT), {before}, {after}); END"
    )
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// The user name set in Settings when the change was made.
    pub actor: String,
    /// `create`, `update`, `remove`, or an action of the app (`backup`, `restore`,
    /// `undo_restore`).
    pub action: String,
    /// The table (or `backup`).
    pub entity: String,
    pub entity_id: String,
    /// The fields that changed, before → after (all fields for a creation or removal).
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    /// A table name, or empty for all.
    pub entity: String,
    /// One record's key, or empty.
    pub entity_id: String,
    /// Part of the actor's name, or empty.
    pub actor: String,
    /// RFC 3339 bounds, or empty.
    pub from: String,
    pub to: String,
    /// At most this many, newest first (1–1000; 0 means 200).
    pub limit: u32,
}

/// What a check of the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditCheck {
    #[ts(type = "number")]
    pub entries: u64,
    /// The first entry whose hash does not follow from its fields and the entry before it.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
}

impl Store {
    /// Entries matching `query`, newest first.
    pub fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut sql = format!("SELECT {FIELDS} FROM audit_log WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut bind = |clause: &str, value: rusqlite::types::Value| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if !query.entity.is_empty() {
            bind(" AND entity = ?", query.entity.clone().into());
        }
        if !query.entity_id.is_empty() {
            bind(" AND entity_id = ?", query.entity_id.clone().into());
        }
        if !query.actor.trim().is_empty() {
            bind(" AND instr(actor, ?) > 0", query.actor.trim().to_owned().into());
        }
        for (text, clause) in [(&query.from, " AND at >= ?"), (&query.to, " AND at < ?")] {
            if !text.trim().is_empty() {
                let t = DateTime::parse_from_rfc3339(text.trim())
                    .map_err(|_| Error::Corrupt(format!("time {text:?}")))?;
                bind(clause, t.timestamp_millis().into());
            }
        }
        let limit = match query.limit {
            0 => 200,
            n => n.min(1000),
        };
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT {limit}"));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (seq, at, actor, action, entity, entity_id, before, after) = row?;
            Ok(AuditEntry {
                seq,
                at: from_ms(at)?,
                actor,
                action,
                entity,
                entity_id,
                changes: changes(before.as_deref(), after.as_deref()),
            })
        })
        .collect()
    }

    /// Adds an entry for an action of the app itself (a backup, a restore).
    pub fn record_audit(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &serde_json::Value,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) VALUES (\
             CAST(unixepoch('subsec') * 1000 AS INTEGER), \
             COALESCE((SELECT value FROM settings WHERE key = 'user_name'), ''), ?1, ?2, ?3, NULL, ?4)",
            (action, entity, entity_id, detail.to_string()),
        )?;
        Ok(())
    }

    /// Recomputes the chain from the first entry: how many there are and the first that does
    /// not follow (an edited or removed entry breaks the link after it).
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        let mut stmt = self.conn.prepare(&format!("SELECT {FIELDS}, hash FROM audit_log ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        let mut previous: Vec<u8> = vec![0; 32];
        let mut entries = 0;
        while let Some(row) = rows.next()? {
            entries += 1;
            let mut hash = Sha256::new();
            feed(&mut hash, ValueRef::Blob(&previous));
            for i in 0..8 {
                feed(&mut hash, row.get_ref(i)?);
            }
            let computed = hash.finalize().to_vec();
            let stored: Vec<u8> = row.get(8)?;
            if stored != computed {
                return Ok(AuditCheck { entries, first_broken: Some(row.get(0)?) });
            }
            previous = stored;
        }
        Ok(AuditCheck { entries, first_broken: None })
    }
}

/// Nothing worth showing: missing, null or empty text.
fn blank(value: Option<&serde_json::Value>) -> bool {
    match value {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// The fields that differ between two JSON objects (all of them when one side is missing). A
/// column holding a JSON object (a record kept as `data`) is opened: its fields are compared.
fn changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let parse = |text: Option<&str>| -> BTreeMap<String, serde_json::Value> {
        let columns: BTreeMap<String, serde_json::Value> =
            text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
        let mut fields = BTreeMap::new();
        for (column, value) in columns {
            match value.as_str().map(serde_json::from_str::<serde_json::Value>) {
                Some(Ok(serde_json::Value::Object(inner))) => fields.extend(inner),
                _ => {
                    fields.insert(column, value);
                }
            }
        }
        fields
    };
    let (before, after) = (parse(before), parse(after));
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .filter(|f| !(blank(before.get(*f)) && blank(after.get(*f))))
        .map(|f| FieldChange { field: f.clone(), before: show(before.get(f)), after: show(after.get(f)) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;

    #[test]
    fn every_table_is_audited_or_left_out_with_a_reason() {
        let store = in_memory_db();
        let tables: Vec<String> = store
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name NOT LIKE 'incident_search%' AND name NOT LIKE 'incident_pairs%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for table in &tables {
            let audited = AUDITED.contains(&table.as_str());
            let left_out = NOT_AUDITED.iter().any(|(t, _)| t == table);
            assert!(audited != left_out, "{table}: audited or left out with a reason, not both or neither");
        }
        for table in AUDITED {
            assert!(tables.contains(&(*table).to_owned()), "audited table {table} exists");
        }
    }

    #[test]
    fn a_change_is_recorded_with_who_before_and_after_and_the_chain_holds() {
        let mut store = in_memory_db();
        store.set_user_name("赵磊").unwrap();
        store.set_organisation("项目组甲").unwrap();
        store.set_organisation("项目组乙").unwrap();
        let entries =
            store.audit_entries(&AuditQuery { entity: "settings".into(), ..Default::default() }).unwrap();
        let last = &entries[0];
        assert_eq!(
            (last.action.as_str(), last.entity_id.as_str(), last.actor.as_str()),
            ("update", "organisation", "赵磊")
        );
        assert_eq!(
            last.changes,
            [FieldChange {
                field: "value".into(),
                before: Some("项目组甲".into()),
                after: Some("项目组乙".into())
            }]
        );
        // The same value again is no change: no entry.
        store.set_organisation("项目组乙").unwrap();
        assert_eq!(
            store
                .audit_entries(&AuditQuery { entity: "settings".into(), ..Default::default() })
                .unwrap()
                .len(),
            entries.len()
        );
        let check = store.verify_audit().unwrap();
        assert_eq!(check.first_broken, None);
        assert!(check.entries >= 3);
    }

    #[test]
    fn an_entry_cannot_be_changed_and_one_edited_behind_the_triggers_breaks_the_chain() {
        let mut store = in_memory_db();
        for name in ["甲", "乙", "丙"] {
            store.set_organisation(name).unwrap();
        }
        let seqs: Vec<i64> =
            store.audit_entries(&AuditQuery::default()).unwrap().iter().map(|e| e.seq).collect();
        let middle = seqs[1];
        assert!(
            execute_sql(&store, &format!("UPDATE audit_log SET actor = 'x' WHERE seq = {middle}")).is_err()
        );
        assert!(execute_sql(&store, &format!("DELETE FROM audit_log WHERE seq = {middle}")).is_err());
        // Someone who drops the guard and edits an entry is caught by the chain.
        execute_sql(&store, "DROP TRIGGER audit_log_no_update").unwrap();
        execute_sql(
            &store,
            &format!("UPDATE audit_log SET after = '{{\"value\":\"丁\"}}' WHERE seq = {middle}"),
        )
        .unwrap();
        assert_eq!(store.verify_audit().unwrap().first_broken, Some(middle));
    }

    #[test]
    fn a_record_kept_as_json_shows_the_fields_that_changed() {
        let before = r#"{"id":"p1","data":"{\"name\":\"王芳\",\"phone\":\"1\"}"}"#;
        let after = r#"{"id":"p1","data":"{\"name\":\"王芳\",\"phone\":\"2\"}"}"#;
        assert_eq!(
            changes(Some(before), Some(after)),
            [FieldChange { field: "phone".into(), before: Some("1".into()), after: Some("2".into()) }]
        );
    }

    #[test]
    fn triggers_already_in_place_are_not_rewritten() {
        let store = in_memory_db();
        let version =
            |s: &Store| -> i64 { s.conn.query_row("PRAGMA schema_version", [], |r| r.get(0)).unwrap() };
        let before = version(&store);
        install(&store.conn).unwrap();
        assert_eq!(version(&store), before);
    }
}
