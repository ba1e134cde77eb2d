//! Queries of `sla_policies` (versioned, append-only) and `calendars`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{ts, Store};
use crate::calendar::WorkingCalendar;
use crate::sla::SlaPolicy;
use crate::{Error, Result};

const WORKING: &str = "working";

/// The newest policy and its version (the contract's defaults, version 1, in a file that has
/// none: [`seed_policy`] stores them when the file is prepared).
pub(super) fn current_policy(conn: &Connection) -> Result<(i64, SlaPolicy)> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT version, policy FROM sla_policies ORDER BY version DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        Some((version, json)) => Ok((version, parse_policy(&json)?)),
        None => Ok((1, SlaPolicy::contract_default())),
    }
}

/// Stores the contract's defaults as policy version 1, stamped `now`, if no policy is stored.
pub(super) fn seed_policy(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    let stored: i64 = conn.query_row("SELECT count(*) FROM sla_policies", [], |r| r.get(0))?;
    if stored == 0 {
        insert_policy(conn, 1, &SlaPolicy::contract_default(), now)?;
    }
    Ok(())
}

pub(super) fn policy_version(conn: &Connection, version: i64) -> Result<SlaPolicy> {
    let json: Option<String> = conn
        .query_row("SELECT policy FROM sla_policies WHERE version = ?1", [version], |r| r.get(0))
        .optional()?;
    match json {
        Some(json) => parse_policy(&json),
        None => current_policy(conn).map(|(_, p)| p),
    }
}

fn parse_policy(json: &str) -> Result<SlaPolicy> {
    serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("SLA policy: {e}")))
}

fn insert_policy(conn: &Connection, version: i64, policy: &SlaPolicy, now: DateTime<Utc>) -> Result<()> {
    let json = serde_json::to_string(policy).map_err(|e| Error::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO sla_policies (version, policy, created_at) VALUES (?1, ?2, ?3)",
        (version, json, ts(now)),
    )?;
    Ok(())
}

pub(super) fn working_calendar(conn: &Connection) -> Result<WorkingCalendar> {
    let json: Option<String> =
        conn.query_row("SELECT calendar FROM calendars WHERE id = ?1", [WORKING], |r| r.get(0)).optional()?;
    match json {
        Some(json) => serde_json::from_str(&json).map_err(|e| Error::Corrupt(format!("calendar: {e}"))),
        None => Ok(WorkingCalendar::china_default()),
    }
}

impl Store {
    /// The SLA policy new incidents open under, with its version.
    pub fn sla_policy(&self) -> Result<(i64, SlaPolicy)> {
        current_policy(&self.conn)
    }

    /// Policy `version`, the one incidents opened under it keep.
    pub fn sla_policy_version(&self, version: i64) -> Result<SlaPolicy> {
        policy_version(&self.conn, version)
    }

    /// Stores `policy` as a new version; incidents keep the version they were opened under.
    pub fn save_sla_policy(&mut self, policy: &SlaPolicy, now: DateTime<Utc>) -> Result<i64> {
        policy.validate()?;
        let tx = self.conn.transaction()?;
        let (version, _) = current_policy(&tx)?;
        insert_policy(&tx, version + 1, policy, now)?;
        tx.commit()?;
        Ok(version + 1)
    }

    pub fn working_calendar(&self) -> Result<WorkingCalendar> {
        working_calendar(&self.conn)
    }

    pub fn save_working_calendar(&mut self, calendar: &WorkingCalendar) -> Result<()> {
        calendar.validate()?;
        let json = serde_json::to_string(calendar).map_err(|e| Error::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO calendars (id, calendar) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET calendar = excluded.calendar",
            [WORKING, &json],
        )?;
        Ok(())
    }
}

impl Store {
    /// Adds the holidays of an `.ics` file to the working calendar; returns it and how many
    /// holidays were new.
    pub fn import_holidays_ics(&mut self, text: &str) -> Result<(WorkingCalendar, usize)> {
        let mut calendar = self.working_calendar()?;
        let added = calendar.import_ics(text)?;
        self.save_working_calendar(&calendar)?;
        Ok((calendar, added))
    }
}

#[cfg(test)]
mod tests {
    use crate::sla::{CalendarRef, SlaPolicy};
    use crate::store::testing::*;

    #[test]
    fn the_contract_defaults_are_version_1_and_edits_make_new_versions() {
        let mut store = in_memory_db();
        let (version, policy) = store.sla_policy().unwrap();
        assert_eq!((version, &policy), (1, &SlaPolicy::contract_default()));
        let mut edited = policy.clone();
        edited.rules[0].calendar = CalendarRef::Working;
        assert_eq!(store.save_sla_policy(&edited, now()).unwrap(), 2);
        assert_eq!(store.sla_policy().unwrap(), (2, edited));
        assert_eq!(super::policy_version(&store.conn, 1).unwrap(), policy, "old versions stay as they were");
    }
}
