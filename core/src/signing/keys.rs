//! Keys and certificates: a company CA and a signing certificate per person (ECDSA P-256),
//! or an identity imported from a `.p12`. Private keys leave this module only as PKCS#8
//! `EncryptedPrivateKeyInfo` (PBES2: scrypt + AES-256-CBC); the clear key lives in memory.

use chrono::{DateTime, Datelike, Duration, Utc};
use der::asn1::{GeneralizedTime, SetOfVec, UtcTime, Utf8StringRef};
use der::{Any, Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo};
use rand_core::{OsRng, RngCore};
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use crate::error::Rule;
use crate::{Error, FieldError, Result};

/// The shortest passphrase accepted for protecting keys.
pub const MIN_PASSPHRASE: usize = 8;

/// A key pair with its certificate chain, the key encrypted: what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedIdentity {
    /// The end-entity certificate, DER.
    pub certificate: Vec<u8>,
    /// The issuers, nearest first, DER; the last is the root.
    pub chain: Vec<Vec<u8>>,
    /// PKCS#8 `EncryptedPrivateKeyInfo`, DER.
    pub encrypted_key: Vec<u8>,
}

/// An identity whose key has been decrypted for signing.
pub struct Signer {
    pub key: SigningKey,
    pub certificate: Certificate,
    pub chain: Vec<Certificate>,
}

impl Signer {
    /// The signer's name and title, from their certificate.
    pub fn name_and_title(&self) -> (String, String) {
        let subject = &self.certificate.tbs_certificate.subject;
        (
            name_part(subject, const_oid::db::rfc4519::CN).unwrap_or_default(),
            name_part(subject, const_oid::db::rfc4519::TITLE).unwrap_or_default(),
        )
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("subject", &self.certificate.tbs_certificate.subject).finish()
    }
}

/// Who a new identity is for.
pub struct Subject<'a> {
    pub organisation: &'a str,
    pub person: &'a str,
    /// The person's role, printed with the signature (项目经理).
    pub title: &'a str,
}

/// A new company CA and a signing certificate it issued, both keys sealed with one passphrase.
#[derive(Debug)]
pub struct NewIdentity {
    pub authority: SealedIdentity,
    pub signer: SealedIdentity,
}

/// Refuses a passphrase too short to protect a key.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(Error::invalid(
            vec![FieldError::new("passphrase", Rule::TooShort { min: MIN_PASSPHRASE })],
            super::labels,
        ));
    }
    Ok(())
}

/// Creates a company CA (20 years) and a signing certificate for `subject` (5 years).
pub fn create_identity(subject: &Subject, passphrase: &str, now: DateTime<Utc>) -> Result<NewIdentity> {
    check_subject(subject)?;
    let authority = create_authority(subject.organisation, passphrase, now)?;
    let signer = issue_signer(&unseal(&authority, passphrase)?, subject, passphrase, now)?;
    Ok(NewIdentity { authority, signer })
}

/// A new self-signed company CA for `organisation`, valid 20 years.
pub fn create_authority(organisation: &str, passphrase: &str, now: DateTime<Utc>) -> Result<SealedIdentity> {
    check_new_passphrase(passphrase)?;
    let organisation = organisation.trim();
    let key = SigningKey::random(&mut OsRng);
    let subject = name(&[
        (const_oid::db::rfc4519::O, organisation),
        (const_oid::db::rfc4519::CN, &format!("{organisation} 电子签名 CA")),
    ])?;
    let cert = issue(Profile::Root, subject, &key, &key, now, 20)?;
    Ok(SealedIdentity {
        certificate: cert.to_der()?,
        chain: Vec::new(),
        encrypted_key: seal(&key, passphrase)?,
    })
}

/// A signing certificate for `subject` issued by `authority`, valid 5 years, its key sealed
/// with `passphrase`.
pub fn issue_signer(
    authority: &Signer,
    subject: &Subject,
    passphrase: &str,
    now: DateTime<Utc>,
) -> Result<SealedIdentity> {
    check_new_passphrase(passphrase)?;
    check_subject(subject)?;
    let key = SigningKey::random(&mut OsRng);
    let person = name(&[
        (const_oid::db::rfc4519::O, subject.organisation.trim()),
        (const_oid::db::rfc4519::TITLE, subject.title.trim()),
        (const_oid::db::rfc4519::CN, subject.person.trim()),
    ])?;
    let issuer = authority.certificate.tbs_certificate.subject.clone();
    let profile = Profile::Leaf { issuer, enable_key_agreement: false, enable_key_encipherment: false };
    let cert = issue(profile, person, &key, &authority.key, now, 5)?;
    let mut chain = vec![authority.certificate.to_der()?];
    for c in &authority.chain {
        chain.push(c.to_der()?);
    }
    Ok(SealedIdentity { certificate: cert.to_der()?, chain, encrypted_key: seal(&key, passphrase)? })
}

fn check_subject(subject: &Subject) -> Result<()> {
    let errors: Vec<FieldError> = [("organisation", subject.organisation), ("signer_name", subject.person)]
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| FieldError::new(field, Rule::Required))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(errors, super::labels))
    }
}

/// Reads a `.p12` (PKCS#12) with its password and seals its key with `passphrase`.
pub fn import_p12(p12: &[u8], password: &str, passphrase: &str) -> Result<SealedIdentity> {
    check_new_passphrase(passphrase)?;
    let store = p12_keystore::KeyStore::from_pkcs12(p12, password).map_err(|e| match e {
        p12_keystore::error::Error::MacError(_) | p12_keystore::error::Error::UnpadError => {
            Error::WrongP12Password
        }
        other => Error::BadP12(other.to_string()),
    })?;
    let (_, chain) =
        store.private_key_chain().ok_or_else(|| Error::BadP12("no private key in the file".into()))?;
    let key = SigningKey::from_pkcs8_der(chain.key()).map_err(|_| Error::UnsupportedKey)?;
    let mut certs = chain.chain().iter().map(|c| c.as_der().to_vec());
    let certificate = certs.next().ok_or_else(|| Error::BadP12("no certificate in the file".into()))?;
    let parsed = Certificate::from_der(&certificate).map_err(|e| Error::BadP12(e.to_string()))?;
    let public = key.verifying_key().to_public_key_der().map_err(|e| Error::BadP12(e.to_string()))?;
    if parsed.tbs_certificate.subject_public_key_info.to_der()? != public.as_bytes() {
        return Err(Error::BadP12("the certificate does not belong to the private key".into()));
    }
    Ok(SealedIdentity { certificate, chain: certs.collect(), encrypted_key: seal(&key, passphrase)? })
}

/// Decrypts a sealed identity for signing. A wrong passphrase is [`Error::WrongPassphrase`].
pub fn unseal(sealed: &SealedIdentity, passphrase: &str) -> Result<Signer> {
    let encrypted = EncryptedPrivateKeyInfo::try_from(sealed.encrypted_key.as_slice())
        .map_err(|e| Error::Corrupt(format!("encrypted key: {e}")))?;
    let clear = encrypted.decrypt(passphrase).map_err(|_| Error::WrongPassphrase)?;
    let key = SigningKey::from_pkcs8_der(clear.as_bytes()).map_err(|_| Error::WrongPassphrase)?;
    let certificate = parse_certificate(&sealed.certificate)?;
    let chain = sealed.chain.iter().map(|c| parse_certificate(c)).collect::<Result<_>>()?;
    Ok(Signer { key, certificate, chain })
}

/// Writes the identity as a `.p12` protected by `password` (for use in other tools).
pub fn export_p12(signer: &Signer, password: &str) -> Result<Vec<u8>> {
    let key = signer.key.to_pkcs8_der().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut chain = vec![p12_cert(&signer.certificate)?];
    for c in &signer.chain {
        chain.push(p12_cert(c)?);
    }
    let mut local_id = [0u8; 8];
    OsRng.fill_bytes(&mut local_id);
    let entry = p12_keystore::PrivateKeyChain::new(key.as_bytes(), local_id, chain);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry("yunwei", p12_keystore::KeyStoreEntry::PrivateKeyChain(entry));
    store.writer(password).write().map_err(|e| Error::Corrupt(e.to_string()))
}

fn p12_cert(cert: &Certificate) -> Result<p12_keystore::Certificate> {
    p12_keystore::Certificate::from_der(&cert.to_der()?).map_err(|e| Error::Corrupt(e.to_string()))
}

pub fn parse_certificate(der: &[u8]) -> Result<Certificate> {
    Certificate::from_der(der).map_err(|e| Error::Corrupt(format!("certificate: {e}")))
}

/// A certificate as PEM, for recipients to trust.
pub fn certificate_pem(der: &[u8]) -> Result<String> {
    use der::EncodePem;
    parse_certificate(der)?.to_pem(der::pem::LineEnding::LF).map_err(Error::from)
}

/// The value of the first `oid` attribute of a name (e.g. its common name).
pub fn name_part(name: &Name, oid: const_oid::ObjectIdentifier) -> Option<String> {
    name.0.iter().flat_map(|rdn| rdn.0.iter()).find(|atv| atv.oid == oid).and_then(|atv| {
        Utf8StringRef::try_from(&atv.value)
            .map(|s| s.as_str().to_owned())
            .or_else(|_| der::asn1::PrintableStringRef::try_from(&atv.value).map(|s| s.as_str().to_owned()))
            .ok()
    })
}

fn seal(key: &SigningKey, passphrase: &str) -> Result<Vec<u8>> {
    let clear = key.to_pkcs8_der().map_err(|e| Error::Corrupt(e.to_string()))?;
    let info = PrivateKeyInfo::try_from(clear.as_bytes()).map_err(|e| Error::Corrupt(e.to_string()))?;
    let sealed = info.encrypt(OsRng, passphrase).map_err(|e| Error::Corrupt(e.to_string()))?;
    Ok(sealed.as_bytes().to_vec())
}

fn issue(
    profile: Profile,
    subject: Name,
    key: &SigningKey,
    issuer_key: &SigningKey,
    now: DateTime<Utc>,
    years: i32,
) -> Result<Certificate> {
    let mut serial = [0u8; 16];
    OsRng.fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and no leading zero byte
    let serial = SerialNumber::new(&serial)?;
    let not_before = now - Duration::minutes(5);
    let not_after = now.with_year(now.year() + years).unwrap_or(now + Duration::days(365 * years as i64));
    let validity = Validity { not_before: time(not_before)?, not_after: time(not_after)? };
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
        .map_err(|e| Error::Corrupt(format!("public key: {e}")))?;
    let builder = CertificateBuilder::new(profile, serial, validity, subject, spki, issuer_key)
        .map_err(|e| Error::Corrupt(format!("certificate: {e}")))?;
    builder.build::<DerSignature>().map_err(|e| Error::Corrupt(format!("certificate: {e}")))
}

/// RFC 5280: UTCTime through 2049, GeneralizedTime after.
fn time(at: DateTime<Utc>) -> Result<Time> {
    let since_epoch = std::time::Duration::from_secs(at.timestamp().max(0) as u64);
    Ok(if at.year() < 2050 {
        Time::UtcTime(UtcTime::from_unix_duration(since_epoch)?)
    } else {
        Time::GeneralTime(GeneralizedTime::from_unix_duration(since_epoch)?)
    })
}

/// A distinguished name of UTF-8 parts, most general first, skipping empty ones; built from parts, never parsed
/// from text, so a comma in a company name stays a comma.
fn name(parts: &[(const_oid::ObjectIdentifier, &str)]) -> Result<Name> {
    let mut rdns = Vec::new();
    for (oid, value) in parts.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let value = Any::encode_from(&Utf8StringRef::new(value)?)?;
        let atv = AttributeTypeAndValue { oid: *oid, value };
        rdns.push(RelativeDistinguishedName::from(SetOfVec::try_from(vec![atv])?));
    }
    Ok(RdnSequence::from(rdns))
}
