//! Corrective actions (整改项).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{parse_ts, ts, Store};
use crate::corrective::{
    ActionCounts, ActionStatus, CorrectiveAction, QaFigures, Source, ValidAction, WrongState,
};
use crate::error::Missing;
use crate::{Error, Result};

const COLUMNS: &str =
    "id, number, source, source_id, source_label, title, owner, due, status, evidence, closed_at,
                       closed_by, reopened_because, created_at, created_by";

/// The number after the last of `scope` in `year` (`WO`, `ZG`), taken.
pub(super) fn next_in_sequence(conn: &Connection, scope: &str, year: i32) -> Result<i64> {
    let last: i64 = conn
        .query_row(
            "SELECT last FROM number_sequences WHERE scope = ?1 AND year = ?2",
            params![scope, year],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    conn.execute(
        "INSERT INTO number_sequences (scope, year, last) VALUES (?1, ?2, ?3)
         ON CONFLICT (scope, year) DO UPDATE SET last = ?3",
        params![scope, year, last + 1],
    )?;
    Ok(last + 1)
}

/// Stores a new open action raised from `source` (`source_id`, named `source_label`).
pub(super) fn insert_action(
    conn: &Connection,
    source: Source,
    source_id: &str,
    source_label: &str,
    valid: &ValidAction,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let year = crate::zone::service_date(now).year();
    let prefix = Store::number_prefix(conn)?;
    let number = format!("{prefix}ZG-{year}-{:04}", next_in_sequence(conn, "ZG", year)?);
    let id = super::new_id();
    conn.execute(
        "INSERT INTO corrective_actions (id, number, source, source_id, source_label, title, owner, due, status,
                                         created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10)",
        params![
            id,
            number,
            source.code(),
            source_id,
            source_label,
            valid.title,
            valid.owner,
            valid.due.to_string(),
            ts(now),
            actor
        ],
    )?;
    Ok(id)
}

/// A row: the action with its text columns, and the columns still to parse (source, due,
/// status, closed at, created at).
type RawAction = (CorrectiveAction, [String; 4], Option<String>);

fn read(r: &Row) -> rusqlite::Result<RawAction> {
    let action = CorrectiveAction {
        id: r.get(0)?,
        number: r.get(1)?,
        source: Source::Other,
        source_id: r.get(3)?,
        source_label: r.get(4)?,
        title: r.get(5)?,
        owner: r.get(6)?,
        due: NaiveDate::MIN,
        status: ActionStatus::Open,
        evidence: r.get(9)?,
        closed_at: None,
        closed_by: r.get(11)?,
        reopened_because: r.get(12)?,
        created_at: DateTime::<Utc>::MIN_UTC,
        created_by: r.get(14)?,
    };
    Ok((action, [r.get(2)?, r.get(7)?, r.get(8)?, r.get(13)?], r.get(10)?))
}

fn action((action, [source, due, status, created_at], closed_at): RawAction) -> Result<CorrectiveAction> {
    let corrupt = |what: &str| Error::Corrupt(format!("corrective action {} {what}", action.number));
    Ok(CorrectiveAction {
        source: Source::from_code(&source).ok_or_else(|| corrupt("source"))?,
        due: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(|_| corrupt("due"))?,
        status: match status.as_str() {
            "open" => ActionStatus::Open,
            "closed" => ActionStatus::Closed,
            _ => return Err(corrupt("status")),
        },
        closed_at: closed_at.as_deref().map(parse_ts).transpose()?,
        created_at: parse_ts(&created_at)?,
        ..action
    })
}

impl Store {
    /// Raises an action by hand (or from a drill or an inspection run).
    pub fn raise_action(
        &mut self,
        source: Source,
        source_id: &str,
        source_label: &str,
        valid: &ValidAction,
        now: DateTime<Utc>,
    ) -> Result<CorrectiveAction> {
        let actor = self.settings()?.user_name;
        let id = insert_action(&self.conn, source, source_id, source_label, valid, &actor, now)?;
        self.corrective_action(&id)
    }

    pub fn corrective_action(&self, id: &str) -> Result<CorrectiveAction> {
        let row = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM corrective_actions WHERE id = ?1"), [id], read)
            .optional()?
            .ok_or_else(|| Error::NotFound { what: Missing::CorrectiveAction, id: id.to_owned() })?;
        action(row)
    }

    /// The open actions, soonest due first, then (with `closed`) the closed ones, newest first.
    pub fn corrective_actions(&self, closed: bool) -> Result<Vec<CorrectiveAction>> {
        let filter = if closed { "" } else { "WHERE status = 'open'" };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM corrective_actions {filter}
             ORDER BY status = 'closed', CASE WHEN status = 'open' THEN due END, closed_at DESC, number"
        ))?;
        let rows = stmt.query_map([], read)?;
        rows.map(|row| action(row?)).collect()
    }

    /// The actions raised from `source_id`.
    pub fn actions_from(&self, source: Source, source_id: &str) -> Result<Vec<CorrectiveAction>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM corrective_actions WHERE source = ?1 AND source_id = ?2 ORDER BY number"
        ))?;
        let rows = stmt.query_map(params![source.code(), source_id], read)?;
        rows.map(|row| action(row?)).collect()
    }

    /// Changes what an open action says, who owns it and when it is due.
    pub fn edit_action(&mut self, id: &str, valid: &ValidAction) -> Result<CorrectiveAction> {
        self.open_action(id)?;
        self.conn.execute(
            "UPDATE corrective_actions SET title = ?2, owner = ?3, due = ?4 WHERE id = ?1",
            params![id, valid.title, valid.owner, valid.due.to_string()],
        )?;
        self.corrective_action(id)
    }

    /// Closes an open action with the evidence of what was done.
    pub fn close_action(&mut self, id: &str, evidence: &str, now: DateTime<Utc>) -> Result<CorrectiveAction> {
        self.open_action(id)?;
        let actor = self.settings()?.user_name;
        self.conn.execute(
            "UPDATE corrective_actions SET status = 'closed', evidence = ?2, closed_at = ?3, closed_by = ?4 WHERE id = ?1",
            params![id, evidence, ts(now), actor],
        )?;
        self.corrective_action(id)
    }

    /// Opens a closed action again, saying why; its evidence stays in the trail.
    pub fn reopen_action(&mut self, id: &str, reason: &str) -> Result<CorrectiveAction> {
        let current = self.corrective_action(id)?;
        if current.status != ActionStatus::Closed {
            return Err(Error::refused(WrongState { number: current.number, status: current.status }));
        }
        self.conn.execute(
            "UPDATE corrective_actions SET status = 'open', evidence = '', closed_at = NULL, closed_by = '',
                    reopened_because = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        self.corrective_action(id)
    }

    fn open_action(&self, id: &str) -> Result<()> {
        let current = self.corrective_action(id)?;
        match current.status {
            ActionStatus::Open => Ok(()),
            status => Err(Error::refused(WrongState { number: current.number, status })),
        }
    }

    /// The QA sampling of the samples drawn in `[from, to)` and the period's actions.
    pub fn qa_figures(&self, from: DateTime<Utc>, to: DateTime<Utc>, today: NaiveDate) -> Result<QaFigures> {
        let (sampled, reviewed, findings) = self.conn.query_row(
            "SELECT count(*), count(i.outcome), coalesce(sum(i.outcome = 'finding'), 0)
             FROM qa_sample_items i JOIN qa_samples s ON s.id = i.sample_id
             WHERE s.created_at >= ?1 AND s.created_at < ?2",
            params![ts(from), ts(to)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(QaFigures { sampled, reviewed, findings, actions: self.action_counts(from, to, today)? })
    }

    /// Raised and closed in `[from, to)`, and open (and overdue) at its end — `today` being the
    /// end's service date.
    pub fn action_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<ActionCounts> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(created_at >= ?1 AND created_at < ?2), 0),
                    coalesce(sum(closed_at >= ?1 AND closed_at < ?2), 0),
                    coalesce(sum(created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?2)), 0),
                    coalesce(sum(created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?2) AND due < ?3), 0)
             FROM corrective_actions",
            params![ts(from), ts(to), today.to_string()],
            |r| {
                Ok(ActionCounts { raised: r.get(0)?, closed: r.get(1)?, open: r.get(2)?, overdue: r.get(3)? })
            },
        )?)
    }
}
