//! Signing identities and signed report revisions.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use x509_cert::Certificate;

use super::incidents::{append_data, load_timeline, refresh_projection, replay};
use super::{parse_ts, ts, Store};
use crate::error::{Missing, Rule};
use crate::report::{incident_report_pdf, latest_report_fields, report_number, RenderedReport, ReportFonts};
use crate::report::{ReportInput, SignatureLine};
use crate::signing::keys::{self, name_part, parse_certificate, SealedIdentity, Signer, Subject};
use crate::signing::{sign_pdf, verify_pdf, SignRequest, SignedDocument, StoredRevision, Verification};
use crate::timeline::{EventData, NewEvent, ReportFields};
use crate::{Error, FieldError, Lang, Result};

/// A certificate as the Settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CertificateInfo {
    pub name: String,
    pub title: String,
    pub organisation: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
    /// `created` here or `imported` from a `.p12`.
    pub source: String,
    /// SHA-256 of the certificate, hex in groups of four, for comparing by phone.
    pub fingerprint: String,
}

/// What signing is set up with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SigningStatus {
    pub signer: Option<CertificateInfo>,
    /// The company CA recipients should trust (created here, or the root of an imported chain).
    pub authority: Option<CertificateInfo>,
}

/// The form that creates a signing identity.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewSigningIdentity {
    pub name: String,
    pub title: String,
    pub organisation: String,
    pub passphrase: String,
    pub confirm: String,
}

const SIGNER: &str = "signer";
const AUTHORITY: &str = "authority";

impl Store {
    pub fn signing_status(&self) -> Result<SigningStatus> {
        let signer = self.active_identity(SIGNER)?;
        let authority = match self.active_identity(AUTHORITY)? {
            Some((sealed, source)) => Some(certificate_info(&sealed.certificate, &source)?),
            None => match &signer {
                Some((sealed, _)) => match sealed.chain.last() {
                    Some(root) => Some(certificate_info(root, "imported")?),
                    None => None,
                },
                None => None,
            },
        };
        let signer =
            signer.map(|(sealed, source)| certificate_info(&sealed.certificate, &source)).transpose()?;
        Ok(SigningStatus { signer, authority })
    }

    /// Creates the signing identity of this copy's user, issued by the company CA: the CA is
    /// created too on first use, otherwise it is unlocked with the same passphrase.
    pub fn create_signing_identity(
        &mut self,
        form: &NewSigningIdentity,
        now: DateTime<Utc>,
    ) -> Result<SigningStatus> {
        if form.passphrase != form.confirm {
            return Err(Error::Validation(vec![FieldError::new("confirm", Rule::Mismatch)]));
        }
        if self.active_identity(SIGNER)?.is_some() {
            return Err(Error::SigningIdentityExists);
        }
        let subject = Subject { organisation: &form.organisation, person: &form.name, title: &form.title };
        let tx = self.conn.transaction()?;
        let authority = match active_identity(&tx, AUTHORITY)? {
            Some((sealed, _)) => keys::unseal(&sealed, &form.passphrase)?,
            None => {
                let sealed = keys::create_authority(&form.organisation, &form.passphrase, now)?;
                insert_identity(&tx, AUTHORITY, &sealed, "created", now)?;
                keys::unseal(&sealed, &form.passphrase)?
            }
        };
        let signer = keys::issue_signer(&authority, &subject, &form.passphrase, now)?;
        insert_identity(&tx, SIGNER, &signer, "created", now)?;
        tx.commit()?;
        self.signing_status()
    }

    /// Takes the signing identity from a `.p12`, its key sealed with `passphrase`.
    pub fn import_signing_p12(
        &mut self,
        p12: &[u8],
        password: &str,
        passphrase: &str,
        now: DateTime<Utc>,
    ) -> Result<SigningStatus> {
        if self.active_identity(SIGNER)?.is_some() {
            return Err(Error::SigningIdentityExists);
        }
        let sealed = keys::import_p12(p12, password, passphrase)?;
        insert_identity(&self.conn, SIGNER, &sealed, "imported", now)?;
        self.signing_status()
    }

    /// Stops using the current signing identity (it stays on record, and trusted, for the
    /// signatures it made).
    pub fn retire_signing_identity(&mut self, now: DateTime<Utc>) -> Result<SigningStatus> {
        self.conn.execute(
            "UPDATE signing_identities SET retired_at = ?1 WHERE role = ?2 AND retired_at IS NULL",
            params![ts(now), SIGNER],
        )?;
        self.signing_status()
    }

    /// The current signing identity, its key decrypted with `passphrase`.
    pub fn unlock_signer(&self, passphrase: &str) -> Result<Signer> {
        let (sealed, _) = self.active_identity(SIGNER)?.ok_or(Error::NoSigningIdentity)?;
        keys::unseal(&sealed, passphrase)
    }

    /// Whether a signing identity is set up.
    pub fn has_signer(&self) -> Result<bool> {
        Ok(self.active_identity(SIGNER)?.is_some())
    }

    /// The CA certificate recipients install to trust this team's signatures, as PEM.
    pub fn authority_certificate_pem(&self) -> Result<String> {
        let der = match self.active_identity(AUTHORITY)? {
            Some((sealed, _)) => sealed.certificate,
            None => {
                let (sealed, _) = self.active_identity(SIGNER)?.ok_or(Error::NoSigningIdentity)?;
                sealed.chain.last().cloned().unwrap_or(sealed.certificate)
            }
        };
        keys::certificate_pem(&der)
    }

    /// Renders, signs and stores the next revision of incident `id`'s report, records
    /// `report_submitted` with that revision, and archives a copy in `reports/`. `fields` is the analysis to state; `None` keeps
    /// the latest one. The incident must be resolved.
    pub fn sign_incident_report(
        &mut self,
        id: &str,
        lang: Lang,
        signer: &Signer,
        fields: Option<&ReportFields>,
        now: DateTime<Utc>,
    ) -> Result<StoredRevision> {
        let incident = self.get_incident_in(id, now, lang)?;
        let fields = fields.cloned().unwrap_or_else(|| latest_report_fields(&incident));
        // The same checks as a report typed into the event form.
        let (data, at) =
            NewEvent { kind: "report_submitted".into(), report: fields.clone(), ..Default::default() }
                .parse(incident.summary.level, now)?;
        let revision = self.next_revision(id)?;
        let data = match data {
            EventData::ReportSubmitted { report, .. } => {
                EventData::ReportSubmitted { report, revision: Some(revision) }
            }
            other => other,
        };
        let (opened, events) = load_timeline(&self.conn, id)?;
        let mut state = replay(opened, &events)?;
        state.check(&data, at).map_err(Error::refused)?;

        let (name, title) = signer_name(signer);
        let organisation = self.report_organisation(lang)?;
        let logo = self.logo()?;
        let input = ReportInput {
            organisation: &organisation,
            incident: &incident,
            revision,
            lang,
            generated_at: now,
            fields: Some(&fields),
            signature: Some(SignatureLine { name: &name, title: &title, at: now }),
            logo: logo.as_deref(),
        };
        let RenderedReport { pdf, stamp } = incident_report_pdf(&input, ReportFonts::get()?)?;
        let number = report_number(&incident.summary.number);
        let reason = match lang {
            Lang::ZhCn => format!("故障处理报告 {number} 第 {revision} 版"),
            Lang::En => format!("Incident report {number} revision {revision}"),
        };
        let (signed, sha256) = sign_document(&pdf, signer, &reason, &organisation, stamp, now)?;

        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO report_revisions (incident_id, revision, report_number, lang, signer, signed_at, sha256, pdf)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, revision, number, lang.tag(), name, ts(now), sha256, signed],
        )?;
        append_data(&tx, id, &mut state, &data, Some(&name), at, now)?;
        refresh_projection(&tx, id, now)?;
        tx.commit()?;
        let info = StoredRevision {
            report_number: number,
            revision,
            incident_number: incident.summary.number,
            signer: name,
            signed_at: now,
            lang: lang.tag().into(),
            sha256,
            size: signed.len() as u64,
            document: SignedDocument::IncidentReport,
        };
        // As for every signed document: a convenience copy beside the database, the revision
        // being stored whether or not the copy can be written.
        let _ = self.archive(&info, &signed);
        Ok(info)
    }

    /// The latest revision in `lang` when nothing happened to the incident since it was signed.
    pub fn current_report_revision(&self, id: &str, lang: Lang) -> Result<Option<u32>> {
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
        Ok(stored_lang.filter(|l| l == lang.tag()).map(|_| *last))
    }

    /// Every signed revision of incident `id`'s report, newest first.
    pub fn report_revisions(&self, id: &str) -> Result<Vec<StoredRevision>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{REVISION_SELECT} WHERE r.incident_id = ?1 ORDER BY r.revision DESC"
        ))?;
        let rows = stmt.query_map([id], revision_row)?;
        rows.map(|r| r?).collect()
    }

    /// The bytes of one signed revision, exactly as issued.
    pub fn report_revision_pdf(&self, id: &str, revision: u32) -> Result<(StoredRevision, Vec<u8>)> {
        let found = self
            .conn
            .query_row(
                &format!("{REVISION_SELECT} WHERE r.incident_id = ?1 AND r.revision = ?2"),
                params![id, revision],
                |row| Ok((revision_row(row)?, row.get::<_, Vec<u8>>(9)?)),
            )
            .optional()?;
        let (info, pdf) =
            found.ok_or_else(|| Error::NotFound { what: Missing::Revision, id: format!("r{revision}") })?;
        Ok((info?, pdf))
    }

    /// Copies a signed revision into the `reports` folder of the data directory
    /// (`RPT-2026-0001-r1.pdf`, `RPT-2026-0001-r2-en.pdf`) and returns the copy's path.
    pub fn archive_revision(&self, id: &str, revision: u32) -> Result<std::path::PathBuf> {
        let (info, pdf) = self.report_revision_pdf(id, revision)?;
        self.archive(&info, &pdf)
    }

    /// Writes a signed document into the `reports` folder of the data directory, named by its
    /// number, revision and language.
    pub(super) fn archive(&self, info: &StoredRevision, pdf: &[u8]) -> Result<std::path::PathBuf> {
        let dir = self.reports_dir()?;
        std::fs::create_dir_all(dir)?;
        let suffix = if info.lang == Lang::En.tag() { "-en" } else { "" };
        let path = dir.join(format!("{}-r{}{suffix}.pdf", info.report_number, info.revision));
        std::fs::write(&path, pdf)?;
        Ok(path)
    }

    /// Checks a PDF's signature against this store's trusted certificates and revisions.
    pub fn verify_pdf(&self, pdf: &[u8]) -> Result<Verification> {
        let mut roots = Vec::new();
        let mut stmt = self.conn.prepare_cached("SELECT role, certificate, chain FROM signing_identities")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?))
        })?;
        for row in rows {
            let (role, certificate, chain) = row?;
            let chain = split_chain(&chain)?;
            roots.push(if role == AUTHORITY {
                certificate
            } else {
                chain.last().cloned().unwrap_or(certificate)
            });
        }
        let mut verification = verify_pdf(pdf, &roots);
        verification.revision = self.revision_by_sha256(&hex(&Sha256::digest(pdf)))?;
        if verification.revision.is_none() {
            // Countersigned or appended to: the part a signature covers may be a stored revision.
            for signature in verification.signatures.iter().rev() {
                let Some(part) = pdf.get(..signature.covered_bytes as usize) else { continue };
                if let Some(revision) = self.revision_by_sha256(&hex(&Sha256::digest(part)))? {
                    verification.covered_revision = Some(revision);
                    break;
                }
            }
        }
        Ok(verification)
    }

    /// The stored revision (report, plan or monthly report) with this SHA-256, if any.
    fn revision_by_sha256(&self, sha256: &str) -> Result<Option<StoredRevision>> {
        let report = self
            .conn
            .query_row(&format!("{REVISION_SELECT} WHERE r.sha256 = ?1"), [sha256], revision_row)
            .optional()?
            .transpose()?;
        match report {
            Some(revision) => Ok(Some(revision)),
            None => match self.plan_revision_by_sha256(sha256)? {
                Some(revision) => Ok(Some(revision)),
                None => self.monthly_revision_by_sha256(sha256),
            },
        }
    }

    fn next_revision(&self, id: &str) -> Result<u32> {
        let last: Option<u32> = self.conn.query_row(
            "SELECT max(revision) FROM report_revisions WHERE incident_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// The organisation named on reports: Settings, or a neutral default.
    pub fn report_organisation(&self, lang: Lang) -> Result<String> {
        let organisation = self.settings()?.organisation;
        Ok(if organisation.is_empty() {
            lang.pick("运维服务项目组", "Service team").to_owned()
        } else {
            organisation
        })
    }

    fn active_identity(&self, role: &str) -> Result<Option<(SealedIdentity, String)>> {
        active_identity(&self.conn, role)
    }
}

const REVISION_SELECT: &str =
    "SELECT r.report_number, r.revision, i.number, r.signer, r.signed_at, r.lang, r.sha256,
    length(r.pdf), r.id, r.pdf FROM report_revisions r JOIN incidents i ON i.id = r.incident_id";

fn revision_row(row: &Row) -> rusqlite::Result<Result<StoredRevision>> {
    stored_revision_row(row, SignedDocument::IncidentReport)
}

/// A revision from a row of number, revision, title (or incident number), signer, signed at,
/// lang, sha256, size — the column order every revision table is read in.
pub(super) fn stored_revision_row(
    row: &Row,
    document: SignedDocument,
) -> rusqlite::Result<Result<StoredRevision>> {
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

/// The signer's name and title, from their certificate.
pub(super) fn signer_name(signer: &Signer) -> (String, String) {
    let subject = &signer.certificate.tbs_certificate.subject;
    (
        name_part(subject, const_oid::db::rfc4519::CN).unwrap_or_default(),
        name_part(subject, const_oid::db::rfc4519::TITLE).unwrap_or_default(),
    )
}

/// Signs a rendered document; returns the signed bytes and their SHA-256 (hex).
pub(super) fn sign_document(
    pdf: &[u8],
    signer: &Signer,
    reason: &str,
    location: &str,
    placement: Option<crate::signing::Placement>,
    at: DateTime<Utc>,
) -> Result<(Vec<u8>, String)> {
    let (name, _) = signer_name(signer);
    let request = SignRequest { signer, name: &name, reason, location, at, placement };
    let signed = sign_pdf(pdf, &request)?;
    let sha256 = hex(&Sha256::digest(&signed));
    Ok((signed, sha256))
}

fn active_identity(conn: &rusqlite::Connection, role: &str) -> Result<Option<(SealedIdentity, String)>> {
    let row = conn
        .query_row(
            "SELECT certificate, chain, encrypted_key, source FROM signing_identities
             WHERE role = ?1 AND retired_at IS NULL",
            [role],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    row.map(|(certificate, chain, encrypted_key, source)| {
        Ok((SealedIdentity { certificate, chain: split_chain(&chain)?, encrypted_key }, source))
    })
    .transpose()
}

fn insert_identity(
    conn: &rusqlite::Connection,
    role: &str,
    sealed: &SealedIdentity,
    source: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO signing_identities (role, certificate, chain, encrypted_key, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![role, sealed.certificate, sealed.chain.concat(), sealed.encrypted_key, source, ts(now)],
    )?;
    Ok(())
}

/// Concatenated DER certificates, one by one.
fn split_chain(mut bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    let mut certs = Vec::new();
    while !bytes.is_empty() {
        let mut reader = der::SliceReader::new(bytes)?;
        let cert = Certificate::decode(&mut reader)?;
        let der = cert.to_der()?;
        bytes = &bytes[der.len()..];
        certs.push(der);
    }
    Ok(certs)
}

fn certificate_info(der: &[u8], source: &str) -> Result<CertificateInfo> {
    let cert = parse_certificate(der)?;
    let tbs = &cert.tbs_certificate;
    let part = |name, oid| name_part(name, oid).unwrap_or_default();
    let not_after =
        DateTime::<Utc>::from_timestamp(tbs.validity.not_after.to_unix_duration().as_secs() as i64, 0)
            .unwrap_or_default();
    let digest = hex(&Sha256::digest(der)).to_uppercase();
    let fingerprint = digest
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(CertificateInfo {
        name: part(&tbs.subject, const_oid::db::rfc4519::CN),
        title: part(&tbs.subject, const_oid::db::rfc4519::TITLE),
        organisation: part(&tbs.subject, const_oid::db::rfc4519::O),
        issuer: part(&tbs.issuer, const_oid::db::rfc4519::CN),
        not_after,
        source: source.to_owned(),
        fingerprint,
    })
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
pub(crate) mod tests;
