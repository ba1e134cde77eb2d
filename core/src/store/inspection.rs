//! Routine service records: templates by version, plans, runs and their readings, attachments by
//! SHA-256, the client's backups, assets and work orders.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use super::{from_json, ms, to_json, ts, Store};
use crate::error::Missing;
use crate::inspection::assets::{Asset, ValidWorkOrder, WorkOrder, WorkState};
use crate::inspection::backups::ClientBackup;
use crate::inspection::template::{builtin_templates, Template};
use crate::inspection::{AttachmentRef, ItemResult, Plan, PreviousReading, Run, RunRefusal, RunState};
use crate::{Error, Lang, Result};

/// Which runs to list.
#[derive(Debug, Clone, Default)]
pub struct RunQuery {
    /// Due dates from `from` to `to`, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub plan_id: Option<String>,
    pub states: Vec<RunState>,
}

/// One numeric reading over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub due_date: NaiveDate,
    pub number: f64,
    pub abnormal: bool,
}

/// One answer of a run, for counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub run_id: String,
    pub key: String,
    pub abnormal: bool,
    pub incident_id: Option<String>,
}

/// An incident on an asset (by its affected system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentOn {
    pub id: String,
    pub number: String,
    pub title: String,
    pub reported_at: DateTime<Utc>,
    pub status: crate::timeline::Status,
}

const RUN_COLUMNS: &str = "r.id, r.plan_id, p.name, r.template_id, r.template_version, r.due_date, r.due_at,
    r.closes_at, r.assignee_id, r.assignee_name, r.asset_id, r.state, r.abnormal, r.note, r.submitted_at,
    r.submitted_by, r.signed_off_at, r.signed_off_by";

fn run_from(row: &Row) -> rusqlite::Result<(Run, String, String)> {
    let optional_ms = |v: Option<i64>| v.and_then(DateTime::from_timestamp_millis);
    Ok((
        Run {
            id: row.get(0)?,
            plan_id: row.get(1)?,
            plan_name: row.get(2)?,
            template_id: row.get(3)?,
            template_version: row.get(4)?,
            due_date: NaiveDate::MIN,
            due_at: DateTime::from_timestamp_millis(row.get(6)?).unwrap_or_default(),
            closes_at: DateTime::from_timestamp_millis(row.get(7)?).unwrap_or_default(),
            assignee_id: row.get(8)?,
            assignee_name: row.get(9)?,
            asset_id: row.get(10)?,
            state: RunState::Open,
            abnormal: row.get(12)?,
            note: row.get(13)?,
            submitted_at: optional_ms(row.get(14)?),
            submitted_by: row.get(15)?,
            signed_off_at: optional_ms(row.get(16)?),
            signed_off_by: row.get(17)?,
        },
        row.get(5)?,
        row.get(11)?,
    ))
}

fn finish_run((mut run, date, state): (Run, String, String)) -> Result<Run> {
    run.due_date = date.parse().map_err(|_| Error::Corrupt(format!("date {date:?}")))?;
    run.state = RunState::from_code(&state).ok_or_else(|| Error::Corrupt(format!("run state {state:?}")))?;
    Ok(run)
}

impl Store {
    /// The current version of every template: the built-in ones (as edited here, if they were)
    /// and those made here, built-in first.
    pub fn inspection_templates(&self, lang: Lang) -> Result<Vec<Template>> {
        super::current_versions(&self.conn, "inspection_templates", builtin_templates(lang), |t| &t.id)
    }

    /// Template `id` at `version`, or its current version.
    pub fn inspection_template(&self, id: &str, version: Option<u32>, lang: Lang) -> Result<Template> {
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM inspection_templates WHERE id = ?1 AND (?2 IS NULL OR version = ?2)
                 ORDER BY version DESC LIMIT 1",
                params![id, version],
                |r| r.get(0),
            )
            .optional()?;
        match data {
            Some(data) => from_json(&data),
            None => builtin_templates(lang)
                .into_iter()
                .find(|t| t.id == id && version.is_none_or(|v| v == t.version))
                .ok_or_else(|| Error::NotFound { what: Missing::InspectionTemplate, id: id.to_owned() }),
        }
    }

    /// Stores `template` as a new version (its `version` must be the next one).
    pub fn write_inspection_template(&mut self, template: &Template, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO inspection_templates (id, version, data, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![template.id, template.version, to_json(template)?, ts(now)],
        )?;
        Ok(())
    }

    pub fn inspection_plans(&self) -> Result<Vec<Plan>> {
        let mut stmt = self.conn.prepare_cached("SELECT data FROM inspection_plans ORDER BY created_at")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    pub fn inspection_plan(&self, id: &str) -> Result<Plan> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM inspection_plans WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::InspectionPlan, id: id.to_owned() })?)
    }

    pub fn write_inspection_plan(&mut self, plan: &Plan) -> Result<()> {
        self.conn.execute(
            "INSERT INTO inspection_plans (id, name, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET name = ?2, data = ?3, updated_at = ?5",
            params![plan.id, plan.name, to_json(plan)?, ts(plan.created_at), ts(plan.updated_at)],
        )?;
        Ok(())
    }

    /// Removes a plan that has no runs yet (one with runs is paused instead, so its record stays).
    pub fn delete_inspection_plan(&mut self, id: &str) -> Result<()> {
        let runs: i64 =
            self.conn
                .query_row("SELECT count(*) FROM inspection_runs WHERE plan_id = ?1", [id], |r| r.get(0))?;
        if runs > 0 {
            return Err(Error::refused(RunRefusal::PlanHasRuns));
        }
        if self.conn.execute("DELETE FROM inspection_plans WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound { what: Missing::InspectionPlan, id: id.to_owned() });
        }
        Ok(())
    }

    /// The newest incident still being worked on (new, in progress or paused) whose affected
    /// system is `system`: (id, number).
    pub fn open_incident_on(&self, system: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, number FROM incidents WHERE system = ?1 AND status IN ('new', 'in_progress', 'paused')
                 ORDER BY reported_at DESC LIMIT 1",
                [system],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The incidents whose affected system is `system`, newest first.
    pub fn incidents_on(&self, system: &str, limit: u32) -> Result<Vec<IncidentOn>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, number, title, reported_at, status FROM incidents WHERE system = ?1
             ORDER BY reported_at DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![system, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, number, title, reported, status) = row?;
            let status = super::incidents::parse_status(&status)?;
            out.push(IncidentOn { id, number, title, reported_at: super::parse_ts(&reported)?, status });
        }
        Ok(out)
    }

    /// Runs made for asset `id`, newest first.
    pub fn runs_of_asset(&self, id: &str, limit: u32) -> Result<Vec<Run>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM inspection_runs r JOIN inspection_plans p ON p.id = r.plan_id
             WHERE r.asset_id = ?1 ORDER BY r.due_date DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![id, limit], run_from)?;
        rows.map(|r| finish_run(r?)).collect()
    }

    /// Work orders for asset `id`, newest window first.
    pub fn work_orders_of_asset(&self, id: &str, limit: u32) -> Result<Vec<WorkOrder>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM work_orders WHERE asset_id = ?1 ORDER BY window_start DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, limit], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    /// The number and status of incident `id`, if there is one.
    pub fn incident_brief(&self, id: &str) -> Result<Option<(String, crate::timeline::Status)>> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT number, status FROM incidents WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(number, status)| Ok((number, super::incidents::parse_status(&status)?))).transpose()
    }

    /// The latest due date each plan has a run for.
    pub fn last_run_dates(&self) -> Result<HashMap<String, NaiveDate>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT plan_id, max(due_date) FROM inspection_runs GROUP BY plan_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut map = HashMap::new();
        for row in rows {
            let (plan, date) = row?;
            map.insert(plan, date.parse().map_err(|_| Error::Corrupt(format!("date {date:?}")))?);
        }
        Ok(map)
    }

    /// Adds the runs not already there (one per plan and date), then marks missed the open runs
    /// whose period closed by `now`, in one transaction. Returns (added, newly missed).
    pub fn add_runs_and_close(&mut self, runs: &[Run], now: DateTime<Utc>) -> Result<(usize, usize)> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO inspection_runs (id, plan_id, due_date, due_at, closes_at, template_id,
                     template_version, assignee_id, assignee_name, asset_id, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open')
                 ON CONFLICT (plan_id, due_date) DO NOTHING",
            )?;
            for run in runs {
                added += insert.execute(params![
                    run.id,
                    run.plan_id,
                    run.due_date.to_string(),
                    ms(run.due_at),
                    ms(run.closes_at),
                    run.template_id,
                    run.template_version,
                    run.assignee_id,
                    run.assignee_name,
                    run.asset_id,
                ])?;
            }
        }
        let missed = tx.execute(
            "UPDATE inspection_runs SET state = 'missed' WHERE state = 'open' AND closes_at <= ?1",
            [ms(now)],
        )?;
        tx.commit()?;
        Ok((added, missed))
    }

    pub fn inspection_runs(&self, query: &RunQuery) -> Result<Vec<Run>> {
        let states: Vec<&str> = query.states.iter().map(|s| s.code()).collect();
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM inspection_runs r JOIN inspection_plans p ON p.id = r.plan_id
             WHERE (?1 IS NULL OR r.due_date >= ?1) AND (?2 IS NULL OR r.due_date <= ?2)
               AND (?3 IS NULL OR r.plan_id = ?3)
               AND (?4 = '' OR instr(?4, ',' || r.state || ',') > 0)
             ORDER BY r.due_at, p.name"
        );
        let state_list = if states.is_empty() { String::new() } else { format!(",{},", states.join(",")) };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                query.from.map(|d| d.to_string()),
                query.to.map(|d| d.to_string()),
                query.plan_id,
                state_list
            ],
            run_from,
        )?;
        rows.map(|r| finish_run(r?)).collect()
    }

    pub fn inspection_run(&self, id: &str) -> Result<Run> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM inspection_runs r JOIN inspection_plans p ON p.id = r.plan_id WHERE r.id = ?1"
        );
        let row = self.conn.query_row(&sql, [id], run_from).optional()?;
        finish_run(row.ok_or_else(|| Error::NotFound { what: Missing::InspectionRun, id: id.to_owned() })?)
    }

    /// The answers of run `id`, with their attachments and the incidents they raised.
    pub fn run_results(&self, id: &str) -> Result<Vec<ItemResult>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.item_key, r.value, r.number, r.abnormal, r.flagged, r.note, r.incident_id, i.number
             FROM inspection_results r LEFT JOIN incidents i ON i.id = r.incident_id
             WHERE r.run_id = ?1",
        )?;
        let mut results: Vec<ItemResult> = stmt
            .query_map([id], |r| {
                Ok(ItemResult {
                    key: r.get(0)?,
                    value: r.get(1)?,
                    number: r.get(2)?,
                    abnormal: r.get(3)?,
                    flagged: r.get(4)?,
                    note: r.get(5)?,
                    attachments: Vec::new(),
                    incident_id: r.get(6)?,
                    incident_number: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.item_key, l.sha256, l.name, a.size FROM inspection_attachments l
             JOIN attachments a ON a.sha256 = l.sha256 WHERE l.run_id = ?1 ORDER BY l.name",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                AttachmentRef { sha256: r.get(1)?, name: r.get(2)?, size: r.get(3)? },
            ))
        })?;
        for row in rows {
            let (key, attachment) = row?;
            if let Some(result) = results.iter_mut().find(|r| r.key == key) {
                result.attachments.push(attachment);
            }
        }
        Ok(results)
    }

    /// Saves a run's answers (only those that changed are written, so the audit trail shows
    /// changes, not saves) and its note; with `submitted`, the run becomes submitted by whom, when.
    pub fn save_run_results(
        &mut self,
        id: &str,
        results: &[ItemResult],
        note: &str,
        submitted: Option<(&str, DateTime<Utc>)>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        write_results(&tx, id, results, note, submitted)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves the answers of several runs (as drafts), all or none.
    pub fn save_runs_results(&mut self, runs: &[(String, Vec<ItemResult>, String)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (id, results, note) in runs {
            write_results(&tx, id, results, note, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn sign_off_run(&mut self, id: &str, by: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE inspection_runs SET state = 'signed_off', signed_off_by = ?2, signed_off_at = ?3 WHERE id = ?1",
            params![id, by, ms(at)],
        )?;
        Ok(())
    }

    /// Records that the answer `key` of run `id` raised (or was linked to) incident `incident_id`.
    pub fn link_result_incident(&mut self, id: &str, key: &str, incident_id: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE inspection_results SET incident_id = ?3 WHERE run_id = ?1 AND item_key = ?2",
            params![id, key, incident_id],
        )?;
        Ok(())
    }

    /// The runs and items that raised or were linked to incident `incident_id`.
    pub fn results_of_incident(&self, incident_id: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT run_id, item_key FROM inspection_results WHERE incident_id = ?1")?;
        let rows = stmt.query_map([incident_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each item's last answer on an earlier run of the plan.
    pub fn previous_readings(&self, plan_id: &str, before: NaiveDate) -> Result<Vec<PreviousReading>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.item_key, r.value, runs.due_date, r.abnormal
             FROM inspection_runs runs JOIN inspection_results r ON r.run_id = runs.id
             WHERE runs.plan_id = ?1 AND runs.due_date < ?2 AND r.value <> ''
             ORDER BY runs.due_date DESC LIMIT 5000",
        )?;
        let rows = stmt.query_map(params![plan_id, before.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
        })?;
        let mut out: Vec<PreviousReading> = Vec::new();
        for row in rows {
            let (key, value, date, abnormal) = row?;
            if out.iter().all(|p| p.key != key) {
                let due_date = date.parse().map_err(|_| Error::Corrupt(format!("date {date:?}")))?;
                out.push(PreviousReading { key, value, due_date, abnormal });
            }
        }
        Ok(out)
    }

    /// The numeric readings of item `key` of a plan's runs due in `[from, to]`, oldest first.
    pub fn item_readings(
        &self,
        plan_id: &str,
        key: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Reading>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT runs.due_date, r.number, r.abnormal
             FROM inspection_runs runs JOIN inspection_results r ON r.run_id = runs.id AND r.item_key = ?2
             WHERE runs.plan_id = ?1 AND runs.due_date BETWEEN ?3 AND ?4 AND r.number IS NOT NULL
             ORDER BY runs.due_date",
        )?;
        let rows = stmt.query_map(params![plan_id, key, from.to_string(), to.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?, r.get::<_, bool>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (date, number, abnormal) = row?;
            let due_date = date.parse().map_err(|_| Error::Corrupt(format!("date {date:?}")))?;
            out.push(Reading { due_date, number, abnormal });
        }
        Ok(out)
    }

    /// Every answer given on the runs due in `[from, to]`.
    pub fn results_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Answered>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.run_id, r.item_key, r.abnormal, r.incident_id
             FROM inspection_runs runs JOIN inspection_results r ON r.run_id = runs.id
             WHERE runs.due_date BETWEEN ?1 AND ?2 AND r.value <> ''",
        )?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
            Ok(Answered { run_id: r.get(0)?, key: r.get(1)?, abnormal: r.get(2)?, incident_id: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps `data` once by its SHA-256 and returns it.
    pub fn put_attachment(&mut self, data: &[u8], media_type: &str, now: DateTime<Utc>) -> Result<String> {
        let sha = crate::document::hex(&Sha256::digest(data));
        self.conn.execute(
            "INSERT INTO attachments (sha256, size, media_type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (sha256) DO NOTHING",
            params![sha, data.len() as i64, media_type, data, ts(now)],
        )?;
        Ok(sha)
    }

    /// An attachment's bytes and media type.
    pub fn attachment(&self, sha256: &str) -> Result<(Vec<u8>, String)> {
        self.conn
            .query_row("SELECT data, media_type FROM attachments WHERE sha256 = ?1", [sha256], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or_else(|| Error::NotFound { what: Missing::Attachment, id: sha256.to_owned() })
    }

    /// An attachment's size; refuses an unknown one.
    pub fn attachment_size(&self, sha256: &str) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT size FROM attachments WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: Missing::Attachment, id: sha256.to_owned() })
    }

    pub fn add_client_backup(&mut self, record: &ClientBackup) -> Result<()> {
        self.conn.execute(
            "INSERT INTO client_backups (id, kind, finished_at, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![record.id, record.kind.code(), ms(record.finished_at), to_json(record)?, ts(record.created_at)],
        )?;
        Ok(())
    }

    pub fn delete_client_backup(&mut self, id: &str) -> Result<()> {
        if self.conn.execute("DELETE FROM client_backups WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound { what: Missing::ClientBackup, id: id.to_owned() });
        }
        Ok(())
    }

    /// The backups finished in `[from, to)`, newest first.
    pub fn client_backups(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ClientBackup>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM client_backups WHERE finished_at >= ?1 AND finished_at < ?2 ORDER BY finished_at DESC",
        )?;
        let rows = stmt.query_map([ms(from), ms(to)], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    pub fn assets(&self) -> Result<Vec<Asset>> {
        let mut stmt = self.conn.prepare_cached("SELECT data FROM assets ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    pub fn asset(&self, id: &str) -> Result<Asset> {
        let data: Option<String> =
            self.conn.query_row("SELECT data FROM assets WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::Asset, id: id.to_owned() })?)
    }

    pub fn write_asset(&mut self, asset: &Asset) -> Result<()> {
        self.conn.execute(
            "INSERT INTO assets (id, name, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET name = ?2, data = ?3, updated_at = ?5",
            params![asset.id, asset.name, to_json(asset)?, ts(asset.created_at), ts(asset.updated_at)],
        )?;
        Ok(())
    }

    /// Creates a work order numbered `WO-yyyy-nnnn` in the year of its window (`routine_date` for
    /// one made from an asset's interval; a second for the same asset and date is not made and
    /// `None` comes back).
    pub fn create_work_order(
        &mut self,
        valid: ValidWorkOrder,
        routine_date: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Option<WorkOrder>> {
        let tx = self.conn.transaction()?;
        if let (Some(asset), Some(date)) = (&valid.asset_id, routine_date) {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM work_orders WHERE asset_id = ?1 AND routine_date = ?2)",
                params![asset, date.to_string()],
                |r| r.get(0),
            )?;
            if exists {
                return Ok(None);
            }
        }
        let year = crate::zone::service_date(valid.window_start).year();
        let prefix = Store::number_prefix(&tx)?;
        let number = super::corrective::next_in_sequence(&tx, "WO", year)?;
        let order = WorkOrder {
            id: super::new_id(),
            number: format!("{prefix}WO-{year}-{number:04}"),
            kind: valid.kind,
            asset_id: valid.asset_id,
            title: valid.title,
            reason: valid.reason,
            window_start: valid.window_start,
            window_end: valid.window_end,
            risk: valid.risk,
            rollback: valid.rollback,
            state: WorkState::Requested,
            requested_by: valid.requested_by,
            approved_by: String::new(),
            approved_at: None,
            done_by: String::new(),
            done_at: None,
            result: String::new(),
            rolled_back: false,
            routine_date,
            created_at: now,
            updated_at: now,
        };
        write_order(&tx, &order)?;
        tx.commit()?;
        Ok(Some(order))
    }

    pub fn write_work_order(&mut self, order: &WorkOrder) -> Result<()> {
        write_order(&self.conn, order)
    }

    pub fn work_order(&self, id: &str) -> Result<WorkOrder> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM work_orders WHERE id = ?1 OR number = ?1", [id], |r| r.get(0))
            .optional()?;
        from_json(&data.ok_or_else(|| Error::NotFound { what: Missing::WorkOrder, id: id.to_owned() })?)
    }

    /// Work orders whose window starts in `[from, to)`, in window order.
    pub fn work_orders(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<WorkOrder>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM work_orders WHERE window_start >= ?1 AND window_start < ?2 ORDER BY window_start",
        )?;
        let rows = stmt.query_map([ms(from), ms(to)], |r| r.get::<_, String>(0))?;
        rows.map(|data| from_json(&data?)).collect()
    }

    /// The latest routine maintenance date each asset has a work order for (whatever its state:
    /// the next falls due an interval after it).
    pub fn last_routine_dates(&self) -> Result<HashMap<String, NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT asset_id, max(routine_date) FROM work_orders
             WHERE routine_date IS NOT NULL AND asset_id IS NOT NULL GROUP BY asset_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut map = HashMap::new();
        for row in rows {
            let (asset, date) = row?;
            map.insert(asset, date.parse().map_err(|_| Error::Corrupt(format!("date {date:?}")))?);
        }
        Ok(map)
    }
}

fn write_results(
    tx: &rusqlite::Transaction,
    id: &str,
    results: &[ItemResult],
    note: &str,
    submitted: Option<(&str, DateTime<Utc>)>,
) -> Result<()> {
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO inspection_results (run_id, item_key, value, number, abnormal, flagged, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (run_id, item_key) DO UPDATE SET value = ?3, number = ?4, abnormal = ?5,
                 flagged = ?6, note = ?7
             WHERE (value, number, abnormal, flagged, note) IS NOT (?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut unlink = tx.prepare_cached(
            "DELETE FROM inspection_attachments WHERE run_id = ?1 AND item_key = ?2 AND sha256 = ?3",
        )?;
        let mut link = tx.prepare_cached(
            "INSERT INTO inspection_attachments (run_id, item_key, sha256, name)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                 (SELECT 1 FROM inspection_attachments WHERE run_id = ?1 AND item_key = ?2 AND sha256 = ?3)",
        )?;
        let mut linked = tx.prepare_cached(
            "SELECT sha256 FROM inspection_attachments WHERE run_id = ?1 AND item_key = ?2",
        )?;
        for r in results {
            upsert.execute(params![id, r.key, r.value, r.number, r.abnormal, r.flagged, r.note])?;
            let before: Vec<String> =
                linked.query_map(params![id, r.key], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
            for gone in before.iter().filter(|sha| r.attachments.iter().all(|a| &&a.sha256 != sha)) {
                unlink.execute(params![id, r.key, gone])?;
            }
            for a in &r.attachments {
                link.execute(params![id, r.key, a.sha256, a.name])?;
            }
        }
    }
    let abnormal = results.iter().filter(|r| r.abnormal).count() as i64;
    match submitted {
        Some((by, at)) => tx.execute(
            "UPDATE inspection_runs SET note = ?2, abnormal = ?3, state = 'submitted', submitted_by = ?4,
                 submitted_at = ?5 WHERE id = ?1",
            params![id, note, abnormal, by, ms(at)],
        )?,
        None => tx.execute(
            "UPDATE inspection_runs SET note = ?2, abnormal = ?3 WHERE id = ?1
                 AND (note, abnormal) IS NOT (?2, ?3)",
            params![id, note, abnormal],
        )?,
    };
    Ok(())
}

fn write_order(conn: &rusqlite::Connection, order: &WorkOrder) -> Result<()> {
    conn.execute(
        "INSERT INTO work_orders (id, number, state, asset_id, window_start, routine_date, data, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET state = ?3, asset_id = ?4, window_start = ?5, data = ?7, updated_at = ?9",
        params![
            order.id,
            order.number,
            order.state.code(),
            order.asset_id,
            ms(order.window_start),
            order.routine_date.map(|d| d.to_string()),
            to_json(order)?,
            ts(order.created_at),
            ts(order.updated_at)
        ],
    )?;
    Ok(())
}
