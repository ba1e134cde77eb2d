//! Report drafts: the analysis typed for an incident's report and not yet signed.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Store};
use crate::timeline::ReportFields;
use crate::{Error, Result};

impl Store {
    /// Keeps `fields` as incident `id`'s report draft, replacing the one before; an empty
    /// draft removes it.
    pub fn save_report_draft(&mut self, id: &str, fields: &ReportFields, now: DateTime<Utc>) -> Result<()> {
        if fields.is_empty() {
            self.conn.execute("DELETE FROM report_drafts WHERE incident_id = ?1", [id])?;
            return Ok(());
        }
        let json = serde_json::to_string(fields).map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let changed = self.conn.execute(
            "INSERT INTO report_drafts (incident_id, fields, saved_at)
             SELECT id, ?2, ?3 FROM incidents WHERE id = ?1
             ON CONFLICT (incident_id) DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at",
            params![id, json, ts(now)],
        )?;
        if changed == 0 {
            return Err(Error::IncidentNotFound(id.to_owned()));
        }
        Ok(())
    }

    /// Incident `id`'s report draft, if one is kept.
    pub fn report_draft(&self, id: &str) -> Result<Option<ReportFields>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT fields FROM report_drafts WHERE incident_id = ?1", [id], |r| r.get(0))
            .optional()?;
        // A draft this build cannot read is one it never wrote: nothing to restore.
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{in_memory_db, new_incident, now};

    #[test]
    fn a_draft_is_kept_replaced_and_removed_when_emptied() {
        let mut s = in_memory_db();
        let id = s.create_incident(&new_incident("邮件延迟", &now().to_rfc3339()), now()).unwrap().summary.id;
        assert_eq!(s.report_draft(&id).unwrap(), None);
        let mut fields = ReportFields { cause: "磁盘满".into(), ..Default::default() };
        s.save_report_draft(&id, &fields, now()).unwrap();
        fields.method = "清理日志".into();
        s.save_report_draft(&id, &fields, now()).unwrap();
        assert_eq!(s.report_draft(&id).unwrap(), Some(fields));
        s.save_report_draft(&id, &ReportFields::default(), now()).unwrap();
        assert_eq!(s.report_draft(&id).unwrap(), None);
    }

    #[test]
    fn a_draft_for_no_incident_is_refused() {
        let mut s = in_memory_db();
        let fields = ReportFields { cause: "x".into(), ..Default::default() };
        assert!(matches!(s.save_report_draft("nope", &fields, now()), Err(Error::IncidentNotFound(_))));
    }
}
