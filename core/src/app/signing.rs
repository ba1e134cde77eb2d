//! Signing identities (the user's certificate and the company CA that issued it) and the check
//! of a signed file against them and the stored revisions.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use ts_rs::TS;
use x509_cert::Certificate;

use crate::document::{sha256_hex, StoredRevision};
use crate::error::Rule;
use crate::signing::keys::{self, name_part, parse_certificate, SealedIdentity, Signer, Subject};
use crate::signing::{verify_pdf as verify_bytes, Verification};
use crate::signing::{CertificateInfo, NewSigningIdentity, SigningStatus};
use crate::store::{IdentityRole, IdentityRow, Store};
use crate::{Error, FieldError, Result};

/// What signing is set up with.
pub fn signing_status(store: &Store) -> Result<SigningStatus> {
    let signer = active(store, IdentityRole::Signer)?;
    let authority = match active(store, IdentityRole::Authority)? {
        Some((sealed, source)) => Some(certificate_info(&sealed.certificate, &source)?),
        None => match signer.as_ref().and_then(|(sealed, _)| sealed.chain.last()) {
            Some(root) => Some(certificate_info(root, "imported")?),
            None => None,
        },
    };
    let signer = signer.map(|(sealed, source)| certificate_info(&sealed.certificate, &source)).transpose()?;
    Ok(SigningStatus { signer, authority })
}

/// Creates the signing identity of this copy's user, issued by the company CA: the CA is created
/// too on first use, otherwise it is unlocked with the same passphrase.
pub fn create_signing_identity(
    store: &mut Store,
    form: &NewSigningIdentity,
    now: DateTime<Utc>,
) -> Result<SigningStatus> {
    if form.passphrase != form.confirm {
        return Err(Error::invalid(vec![FieldError::new("confirm", Rule::Mismatch)], crate::signing::labels));
    }
    if store.active_identity(IdentityRole::Signer)?.is_some() {
        return Err(Error::SigningIdentityExists);
    }
    let subject = Subject { organisation: &form.organisation, person: &form.name, title: &form.title };
    let (authority, new_authority) = match active(store, IdentityRole::Authority)? {
        Some((sealed, _)) => (keys::unseal(&sealed, &form.passphrase)?, None),
        None => {
            let sealed = keys::create_authority(&form.organisation, &form.passphrase, now)?;
            (keys::unseal(&sealed, &form.passphrase)?, Some(row(&sealed, "created")))
        }
    };
    let signer = row(&keys::issue_signer(&authority, &subject, &form.passphrase, now)?, "created");
    let mut rows = Vec::new();
    if let Some(authority) = &new_authority {
        rows.push((IdentityRole::Authority, authority));
    }
    rows.push((IdentityRole::Signer, &signer));
    store.insert_identities(&rows, now)?;
    signing_status(store)
}

/// Takes the signing identity from a `.p12`, its key sealed with `passphrase`.
pub fn import_signing_p12(
    store: &mut Store,
    p12: &[u8],
    password: &str,
    passphrase: &str,
    now: DateTime<Utc>,
) -> Result<SigningStatus> {
    if store.active_identity(IdentityRole::Signer)?.is_some() {
        return Err(Error::SigningIdentityExists);
    }
    let sealed = keys::import_p12(p12, password, passphrase)?;
    store.insert_identities(&[(IdentityRole::Signer, &row(&sealed, "imported"))], now)?;
    signing_status(store)
}

/// What the PM types to issue a colleague a signing certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(default)]
pub struct ColleagueCertificateForm {
    /// The colleague's name and title, as their signature will show them.
    pub name: String,
    pub title: String,
    /// Unlocks this copy's company CA.
    pub ca_passphrase: String,
    /// Protects the `.p12` on its way to the colleague (they type it when importing).
    pub password: String,
    pub confirm: String,
}

/// A signing certificate for a colleague, issued by this copy's company CA, as a `.p12` the
/// colleague imports in their own copy (设置 → 签名证书 → 导入 .p12). Their signatures chain to
/// this CA, which every laptop of the team trusts (it is published through the team server).
pub fn issue_colleague_p12(
    store: &Store,
    form: &ColleagueCertificateForm,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let mut errors = Vec::new();
    let name = crate::text::check(&mut errors, "name", &form.name, 50, true, crate::text::Kind::Line);
    let title = crate::text::check(&mut errors, "title", &form.title, 50, false, crate::text::Kind::Line);
    if form.password != form.confirm {
        errors.push(FieldError::new("confirm", Rule::Mismatch));
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors, crate::signing::labels));
    }
    keys::check_new_passphrase(&form.password)?;
    let (sealed, _) = active(store, IdentityRole::Authority)?.ok_or(Error::NoSigningIdentity)?;
    let authority = keys::unseal(&sealed, &form.ca_passphrase)?;
    // The colleague works for the organisation the CA names.
    let ca = parse_certificate(&sealed.certificate)?;
    let organisation = name_part(&ca.tbs_certificate.subject, const_oid::db::rfc4519::O).unwrap_or_default();
    let subject = Subject { organisation: &organisation, person: &name, title: &title };
    let issued = keys::issue_signer(&authority, &subject, &form.password, now)?;
    keys::export_p12(&keys::unseal(&issued, &form.password)?, &form.password)
}

/// Stops using the current signing identity (it stays on record, and trusted, for the signatures
/// it made).
pub fn retire_signing_identity(store: &mut Store, now: DateTime<Utc>) -> Result<SigningStatus> {
    store.retire_identity(IdentityRole::Signer, now)?;
    signing_status(store)
}

/// The current signing identity, its key decrypted with `passphrase`.
pub fn unlock_signer(store: &Store, passphrase: &str) -> Result<Signer> {
    let (sealed, _) = active(store, IdentityRole::Signer)?.ok_or(Error::NoSigningIdentity)?;
    keys::unseal(&sealed, passphrase)
}

/// The CA certificate recipients install to trust this team's signatures, as PEM.
pub fn authority_certificate_pem(store: &Store) -> Result<String> {
    let der = match active(store, IdentityRole::Authority)? {
        Some((sealed, _)) => sealed.certificate,
        None => {
            let (sealed, _) = active(store, IdentityRole::Signer)?.ok_or(Error::NoSigningIdentity)?;
            sealed.chain.last().cloned().unwrap_or(sealed.certificate)
        }
    };
    keys::certificate_pem(&der)
}

/// Checks a PDF's signatures against this store's trusted certificates (every CA it ever used)
/// and finds the stored revision it is, or the one its signed part is.
pub fn verify_pdf(store: &Store, pdf: &[u8]) -> Result<Verification> {
    let mut roots = Vec::new();
    for (role, identity) in store.all_identities()? {
        let chain = split_chain(&identity.chain)?;
        roots.push(match role {
            IdentityRole::Authority => identity.certificate,
            IdentityRole::Signer => chain.last().cloned().unwrap_or(identity.certificate),
        });
    }
    // The team's CAs, published through the team server: a colleague's signature verifies here.
    roots.extend(store.team_authorities()?);
    let mut verification = verify_bytes(pdf, &roots);
    verification.revision = stored(store, pdf)?;
    if verification.revision.is_none() {
        // Countersigned or appended to: the part a signature covers may be a stored revision.
        for signature in verification.signatures.iter().rev() {
            let Some(part) = pdf.get(..signature.covered_bytes as usize) else { continue };
            if let Some(revision) = stored(store, part)? {
                verification.covered_revision = Some(revision);
                break;
            }
        }
    }
    Ok(verification)
}

/// The stored revision with exactly these bytes, if any.
fn stored(store: &Store, bytes: &[u8]) -> Result<Option<StoredRevision>> {
    store.revision_by_sha256(&sha256_hex(bytes))
}

/// The identity in use for `role`, with where it came from.
fn active(store: &Store, role: IdentityRole) -> Result<Option<(SealedIdentity, String)>> {
    store
        .active_identity(role)?
        .map(|row| {
            let sealed = SealedIdentity {
                certificate: row.certificate,
                chain: split_chain(&row.chain)?,
                encrypted_key: row.encrypted_key,
            };
            Ok((sealed, row.source))
        })
        .transpose()
}

fn row(sealed: &SealedIdentity, source: &str) -> IdentityRow {
    IdentityRow {
        certificate: sealed.certificate.clone(),
        chain: sealed.chain.concat(),
        encrypted_key: sealed.encrypted_key.clone(),
        source: source.to_owned(),
    }
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
    let digest = sha256_hex(der).to_uppercase();
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

#[cfg(test)]
pub(crate) mod tests;
