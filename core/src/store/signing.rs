//! The signing identities and the signed revisions of every document (incident reports, training
//! plans, monthly reports): rows in, values out. What is signed, and how, is the documents
//! service's (`app::documents`); the keys are the signing layer's.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::incidents::{append_data, load_timeline, refresh_projection, replay};
use super::{parse_ts, ts, Store};
use crate::document::{SignedDocument, StoredRevision};
use crate::error::Missing;
use crate::timeline::EventData;
use crate::{Error, Result};

/// What a signing identity is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRole {
    /// The person who signs with this copy of the app.
    Signer,
    /// The company CA that issued the signers.
    Authority,
}

impl IdentityRole {
    fn key(self) -> &'static str {
        match self {
            IdentityRole::Signer => "signer",
            IdentityRole::Authority => "authority",
        }
    }
}

/// A signing identity as stored: DER certificate, the DER chain above it concatenated, the key
/// sealed with its passphrase, and whether it was `created` here or `imported`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRow {
    pub certificate: Vec<u8>,
    pub chain: Vec<u8>,
    pub encrypted_key: Vec<u8>,
    pub source: String,
}

/// A signed revision to record. `key` is what it is a revision of: the incident's id, the plan's
/// id, or the month (`2026-10`).
#[derive(Debug, Clone, Copy)]
pub struct NewRevision<'a> {
    pub document: SignedDocument,
    pub key: &'a str,
    pub revision: u32,
    pub number: &'a str,
    pub lang: &'a str,
    pub signer: &'a str,
    pub signed_at: DateTime<Utc>,
    pub sha256: &'a str,
    pub pdf: &'a [u8],
}

impl Store {
    /// The identity in use for `role`, if any.
    pub fn active_identity(&self, role: IdentityRole) -> Result<Option<IdentityRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT certificate, chain, encrypted_key, source FROM signing_identities
                 WHERE role = ?1 AND retired_at IS NULL",
                [role.key()],
                |r| {
                    Ok(IdentityRow {
                        certificate: r.get(0)?,
                        chain: r.get(1)?,
                        encrypted_key: r.get(2)?,
                        source: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every identity ever used, retired ones too (their signatures stay trusted).
    pub fn all_identities(&self) -> Result<Vec<(IdentityRole, IdentityRow)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT role, certificate, chain, encrypted_key, source FROM signing_identities",
        )?;
        let rows = stmt.query_map([], |r| {
            let role = if r.get::<_, String>(0)? == IdentityRole::Authority.key() {
                IdentityRole::Authority
            } else {
                IdentityRole::Signer
            };
            Ok((
                role,
                IdentityRow {
                    certificate: r.get(1)?,
                    chain: r.get(2)?,
                    encrypted_key: r.get(3)?,
                    source: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records new identities, all or none.
    pub fn insert_identities(
        &mut self,
        identities: &[(IdentityRole, &IdentityRow)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (role, row) in identities {
            tx.execute(
                "INSERT INTO signing_identities (role, certificate, chain, encrypted_key, source, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![role.key(), row.certificate, row.chain, row.encrypted_key, row.source, ts(now)],
            )?;
            // A CA made here is the team's to trust: published (through the team server, in
            // team mode) so any laptop verifies the signatures it issues.
            if *role == IdentityRole::Authority {
                tx.execute(
                    "INSERT INTO team_certificates (id, certificate, published_at) VALUES (?1, lower(hex(?2)), ?3)",
                    params![super::new_id(), row.certificate, ts(now)],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The team's CA certificates (DER) this copy trusts besides its own: published by the
    /// copies that made them, received through the team server.
    pub fn team_authorities(&self) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT certificate FROM team_certificates")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|hex| {
            let hex = hex?;
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|b| u8::from_str_radix(b, 16).ok())
                        .ok_or_else(|| Error::Corrupt(format!("team certificate {hex:.16}…")))
                })
                .collect()
        })
        .collect()
    }

    /// Stops using the identity for `role` (it stays on record).
    pub fn retire_identity(&mut self, role: IdentityRole, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE signing_identities SET retired_at = ?1 WHERE role = ?2 AND retired_at IS NULL",
            params![ts(now), role.key()],
        )?;
        Ok(())
    }

    /// The number the next revision of `key` takes.
    pub fn next_revision(&self, document: SignedDocument, key: &str) -> Result<u32> {
        let (table, column) = revision_table(document);
        Ok(self.conn.query_row(
            &format!("SELECT coalesce(max(revision), 0) + 1 FROM {table} WHERE {column} = ?1"),
            [key],
            |r| r.get(0),
        )?)
    }

    /// Stores a signed revision. For an incident report, `submitted` is the `report_submitted`
    /// event (and when it happened) recorded with it in the same transaction, checked against
    /// the timeline first; `actor` is who did it.
    pub fn insert_revision(
        &mut self,
        revision: &NewRevision,
        submitted: Option<(&EventData, DateTime<Utc>)>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (table, column) = revision_table(revision.document);
        let number_column =
            if revision.document == SignedDocument::IncidentReport { "report_number" } else { "number" };
        let tx = self.conn.transaction()?;
        tx.execute(
            &format!(
                "INSERT INTO {table} ({column}, revision, {number_column}, lang, signer, signed_at, sha256, pdf)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ),
            params![
                revision.key,
                revision.revision,
                revision.number,
                revision.lang,
                revision.signer,
                ts(revision.signed_at),
                revision.sha256,
                revision.pdf
            ],
        )?;
        if let Some((data, at)) = submitted {
            let (opened, events) = load_timeline(&tx, revision.key)?;
            let mut state = replay(opened, &events)?;
            state.check(data, at).map_err(Error::refused)?;
            append_data(&tx, revision.key, &mut state, data, Some(revision.signer), at, now)?;
            refresh_projection(&tx, revision.key, now)?;
            // The draft became this revision.
            tx.execute("DELETE FROM report_drafts WHERE incident_id = ?1", [revision.key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Refuses `data` if incident `id`'s timeline does not allow it at `at` (as recording it would).
    pub fn check_event(&self, id: &str, data: &EventData, at: DateTime<Utc>) -> Result<()> {
        let (opened, events) = load_timeline(&self.conn, id)?;
        replay(opened, &events)?.check(data, at).map_err(Error::refused)
    }

    /// The latest revision of incident `id`'s report in language `lang_tag`, when nothing
    /// happened to the incident since it was signed.
    pub fn current_report_revision(&self, id: &str, lang_tag: &str) -> Result<Option<u32>> {
        let (_, events) = load_timeline(&self.conn, id)?;
        let Some(EventData::ReportSubmitted { revision: Some(last), .. }) = events.last().map(|e| &e.data)
        else {
            return Ok(None);
        };
        let stored_lang: Option<String> = self
            .conn
            .query_row(
                "SELECT lang FROM report_revisions WHERE incident_id = ?1 AND revision = ?2",
                params![id, last],
                |r| r.get(0),
            )
            .optional()?;
        Ok(stored_lang.filter(|l| l == lang_tag).map(|_| *last))
    }

    /// Every signed revision of `key` (every month's, for monthly reports, with `None`), newest
    /// first.
    pub fn revisions(&self, document: SignedDocument, key: Option<&str>) -> Result<Vec<StoredRevision>> {
        let (_, column) = revision_table(document);
        let filter = if key.is_some() { format!("WHERE r.{column} = ?1") } else { String::new() };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{} {filter} ORDER BY r.{column} DESC, r.revision DESC",
            revision_select(document)
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(key), |row| revision_row(row, document))?;
        rows.map(|r| r?).collect()
    }

    /// The bytes of one signed revision, exactly as issued. A monthly report is found by its
    /// number (`MR-2026-10`), the others by the key they are a revision of.
    pub fn revision_pdf(
        &self,
        document: SignedDocument,
        key: &str,
        revision: u32,
    ) -> Result<(StoredRevision, Vec<u8>)> {
        let (_, column) = revision_table(document);
        let by_number = matches!(document, SignedDocument::MonthlyReport | SignedDocument::InspectionReport);
        let column = if by_number { "number" } else { column };
        let found = self
            .conn
            .query_row(
                &format!("{} WHERE r.{column} = ?1 AND r.revision = ?2", revision_select(document)),
                params![key, revision],
                |row| Ok((revision_row(row, document)?, row.get::<_, Vec<u8>>(8)?)),
            )
            .optional()?;
        let (info, pdf) = found.ok_or_else(|| Error::NotFound {
            what: Missing::Revision,
            id: match document {
                SignedDocument::MonthlyReport | SignedDocument::InspectionReport => {
                    format!("{key} r{revision}")
                }
                _ => format!("r{revision}"),
            },
        })?;
        Ok((info?, pdf))
    }

    /// The stored revision (report, plan or monthly report) with this SHA-256, if any.
    pub fn revision_by_sha256(&self, sha256: &str) -> Result<Option<StoredRevision>> {
        for document in [
            SignedDocument::IncidentReport,
            SignedDocument::TrainingPlan,
            SignedDocument::MonthlyReport,
            SignedDocument::InspectionReport,
            SignedDocument::DrillReport,
        ] {
            let found = self
                .conn
                .query_row(&format!("{} WHERE r.sha256 = ?1", revision_select(document)), [sha256], |row| {
                    revision_row(row, document)
                })
                .optional()?
                .transpose()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }
}

/// The table of a document's revisions and the column naming what each is a revision of.
fn revision_table(document: SignedDocument) -> (&'static str, &'static str) {
    match document {
        SignedDocument::IncidentReport => ("report_revisions", "incident_id"),
        SignedDocument::TrainingPlan => ("plan_revisions", "plan_id"),
        SignedDocument::MonthlyReport => ("monthly_revisions", "month"),
        SignedDocument::InspectionReport => ("inspection_revisions", "month"),
        SignedDocument::DrillReport => ("drill_revisions", "drill_id"),
    }
}

/// Number, revision, title (or incident number, or month), signer, signed at, lang, sha256,
/// size and the bytes — the column order every revision table is read in.
fn revision_select(document: SignedDocument) -> &'static str {
    match document {
        SignedDocument::IncidentReport => {
            "SELECT r.report_number, r.revision, i.number, r.signer, r.signed_at, r.lang, r.sha256,
             length(r.pdf), r.pdf FROM report_revisions r JOIN incidents i ON i.id = r.incident_id"
        }
        SignedDocument::TrainingPlan => {
            "SELECT r.number, r.revision, json_extract(p.data, '$.title'), r.signer, r.signed_at, r.lang,
             r.sha256, length(r.pdf), r.pdf FROM plan_revisions r JOIN training_plans p ON p.id = r.plan_id"
        }
        SignedDocument::MonthlyReport => {
            "SELECT r.number, r.revision, r.month, r.signer, r.signed_at, r.lang, r.sha256, length(r.pdf),
             r.pdf FROM monthly_revisions r"
        }
        SignedDocument::InspectionReport => {
            "SELECT r.number, r.revision, r.month, r.signer, r.signed_at, r.lang, r.sha256, length(r.pdf),
             r.pdf FROM inspection_revisions r"
        }
        SignedDocument::DrillReport => {
            "SELECT r.number, r.revision, json_extract(d.data, '$.plan_name'), r.signer, r.signed_at, r.lang,
             r.sha256, length(r.pdf), r.pdf FROM drill_revisions r JOIN drills d ON d.id = r.drill_id"
        }
    }
}

fn revision_row(row: &Row, document: SignedDocument) -> rusqlite::Result<Result<StoredRevision>> {
    let signed_at = match parse_ts(&row.get::<_, String>(4)?) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(StoredRevision {
        report_number: row.get(0)?,
        revision: row.get(1)?,
        incident_number: row.get(2)?,
        signer: row.get(3)?,
        signed_at,
        lang: row.get(5)?,
        sha256: row.get(6)?,
        size: row.get::<_, i64>(7)?.max(0) as u64,
        document,
    }))
}
