//! The detached CMS `SignedData` inside a PAdES signature (`ETSI.CAdES.detached`): built with
//! the signer's key, and checked back to the key and its issuers.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Reader, Sequence, SliceReader};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, Signature, VerifyingKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::keys::Signer;
use super::Problem;
use crate::{Error, Result};

/// `id-aa-signingCertificateV2` (RFC 5035), required by PAdES baseline signatures.
const SIGNING_CERTIFICATE_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// `hashAlgorithm` is left out: its DEFAULT is SHA-256, which is what is used.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Sequence)]
struct IssuerSerial {
    issuer: GeneralNames,
    serial_number: SerialNumber,
}

fn sha256_id() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid: rfc5912::ID_SHA_256, parameters: None }
}

/// A detached signature over content whose SHA-256 is `digest`, the chain embedded.
pub fn sign_digest(digest: &[u8], signer: &Signer) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| Error::Corrupt(format!("signature: {e}"));
    let cert = &signer.certificate;
    let encap = EncapsulatedContentInfo { econtent_type: rfc5911::ID_DATA, econtent: None };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let mut info =
        SignerInfoBuilder::new(&signer.key, sid, sha256_id(), &encap, Some(digest)).map_err(|e| fail(&e))?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(cert.to_der()?).to_vec())?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(cert.tbs_certificate.issuer.clone())],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            },
        }],
    };
    let value = Any::encode_from(&ess)?;
    info.add_signed_attribute(Attribute {
        oid: SIGNING_CERTIFICATE_V2,
        values: SetOfVec::try_from(vec![value])?,
    })
    .map_err(|e| fail(&e))?;
    let mut data = SignedDataBuilder::new(&encap);
    data.add_digest_algorithm(sha256_id()).map_err(|e| fail(&e))?;
    for c in std::iter::once(cert).chain(&signer.chain) {
        data.add_certificate(CertificateChoices::Certificate(c.clone())).map_err(|e| fail(&e))?;
    }
    data.add_signer_info::<_, DerSignature>(info).map_err(|e| fail(&e))?;
    Ok(data.build().map_err(|e| fail(&e))?.to_der()?)
}

/// What a valid CMS signature says about who signed, and when it claims to have.
pub struct Signed {
    pub signer: Certificate,
    /// The signed `signingTime` attribute, when the writer put one (pyHanko does).
    pub signing_time: Option<chrono::DateTime<chrono::Utc>>,
    /// The issuers found in the signature, nearest first, each signature checked.
    pub chain: Vec<Certificate>,
}

/// The length of the DER element at the start of `bytes` (header and content), if it fits.
pub fn der_length(bytes: &[u8]) -> Option<usize> {
    let mut reader = SliceReader::new(bytes).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    let total = (reader.position() + header.length).ok()?;
    usize::try_from(total).ok().filter(|&n| n <= bytes.len())
}

/// Checks a detached signature over `parts` (the signed byte ranges, in order). `contents` is
/// the DER `ContentInfo`, without padding.
///
/// Everything of a `SignedData` outside its signed attributes is unsigned, so a change there
/// would pass unnoticed: those fields are held to the one shape a detached PAdES signature has
/// (version 1, one digest algorithm equal to the signer's, no encapsulated content, no CRLs,
/// one signer, only the certificates of its chain), and anything else is refused as malformed.
pub fn check(contents: &[u8], parts: &[&[u8]]) -> std::result::Result<Signed, Problem> {
    let malformed = |_| Problem::Malformed;
    let mut reader = SliceReader::new(contents).map_err(malformed)?;
    let info = ContentInfo::decode(&mut reader).map_err(malformed)?;
    if info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Problem::Malformed);
    }
    let data: SignedData = info.content.decode_as().map_err(malformed)?;
    let signer_info = match data.signer_infos.0.as_slice() {
        [one] => one,
        _ => return Err(Problem::Malformed),
    };
    let canonical = data.version == CmsVersion::V1
        && signer_info.version == CmsVersion::V1
        && data.encap_content_info.econtent_type == rfc5911::ID_DATA
        && data.encap_content_info.econtent.is_none()
        && data.crls.is_none()
        && data.digest_algorithms.as_slice() == std::slice::from_ref(&signer_info.digest_alg)
        && signer_info.signature_algorithm.parameters.is_none();
    if !canonical {
        return Err(Problem::Malformed);
    }
    let certs: Vec<Certificate> = data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .map(|c| match c {
            CertificateChoices::Certificate(c) => Ok(c.clone()),
            CertificateChoices::Other(_) => Err(Problem::Malformed),
        })
        .collect::<std::result::Result<_, _>>()?;
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer_info.sid else {
        return Err(Problem::UnsupportedAlgorithm);
    };
    let signer = certs
        .iter()
        .find(|c| {
            c.tbs_certificate.issuer == sid.issuer && c.tbs_certificate.serial_number == sid.serial_number
        })
        .ok_or(Problem::SignerCertificateMissing)?
        .clone();

    let attrs = signer_info.signed_attrs.as_ref().ok_or(Problem::Malformed)?;
    let claimed = attrs
        .iter()
        .find(|a| a.oid == rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or(Problem::Malformed)?;
    let actual = digest(&signer_info.digest_alg.oid, parts).ok_or(Problem::UnsupportedAlgorithm)?;
    if claimed.as_bytes() != actual.as_slice() {
        return Err(Problem::DigestMismatch);
    }
    let signed_attrs = attrs.to_der().map_err(malformed)?;
    verify_ecdsa(
        &signer,
        &signer_info.signature_algorithm.oid,
        &signed_attrs,
        signer_info.signature.as_bytes(),
    )?;

    let mut chain: Vec<Certificate> = Vec::new();
    let mut current = signer.clone();
    loop {
        // The outer algorithm is not signed: it must repeat the signed one (RFC 5280 4.1.1.2).
        if current.signature_algorithm != current.tbs_certificate.signature {
            return Err(Problem::Malformed);
        }
        if current.tbs_certificate.issuer == current.tbs_certificate.subject || chain.len() >= 8 {
            break;
        }
        let Some(issuer) = certs.iter().find(|c| c.tbs_certificate.subject == current.tbs_certificate.issuer)
        else {
            break;
        };
        let tbs = current.tbs_certificate.to_der().map_err(malformed)?;
        let sig = current.signature.as_bytes().ok_or(Problem::Malformed)?;
        verify_ecdsa(issuer, &current.signature_algorithm.oid, &tbs, sig)
            .map_err(|_| Problem::CertificateSignatureInvalid)?;
        chain.push(issuer.clone());
        current = issuer.clone();
    }
    // No certificate rides along unused.
    if certs.iter().any(|c| *c != signer && !chain.contains(c)) {
        return Err(Problem::Malformed);
    }
    let signing_time = attrs
        .iter()
        .find(|a| a.oid == rfc5911::ID_SIGNING_TIME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| x509_cert::time::Time::from_der(&v.to_der().ok()?).ok())
        .and_then(|t| chrono::DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0));
    Ok(Signed { signer, signing_time, chain })
}

fn digest(algorithm: &ObjectIdentifier, parts: &[&[u8]]) -> Option<Vec<u8>> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut d = D::new();
        parts.iter().for_each(|p| d.update(p));
        d.finalize().to_vec()
    }
    match *algorithm {
        rfc5912::ID_SHA_256 => Some(run::<Sha256>(parts)),
        rfc5912::ID_SHA_384 => Some(run::<Sha384>(parts)),
        rfc5912::ID_SHA_512 => Some(run::<Sha512>(parts)),
        _ => None,
    }
}

/// ECDSA P-256 with SHA-256 is what this app writes; other algorithms are reported as such.
fn verify_ecdsa(
    by: &Certificate,
    algorithm: &ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> std::result::Result<(), Problem> {
    if *algorithm != rfc5912::ECDSA_WITH_SHA_256 {
        return Err(Problem::UnsupportedAlgorithm);
    }
    let spki = &by.tbs_certificate.subject_public_key_info;
    let key_bytes = spki.subject_public_key.as_bytes().ok_or(Problem::Malformed)?;
    let key = VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| Problem::UnsupportedAlgorithm)?;
    let signature = Signature::from_der(signature).map_err(|_| Problem::SignatureInvalid)?;
    key.verify(message, &signature).map_err(|_| Problem::SignatureInvalid)
}
