//! Digital signatures on the PDFs Yunwei issues: keys and certificates ([`keys`]), PAdES
//! signing as an incremental update ([`pdf`]), and verification of a file from its bytes
//! ([`verify`]). ECDSA P-256 throughout; the CMS is `ETSI.CAdES.detached` with the
//! signing-certificate-v2 attribute and the chain embedded, so standard validators (poppler's
//! `pdfsig`, Acrobat) accept it.

mod cms;
pub mod keys;
pub mod pdf;
mod verify;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::Lang;

pub use keys::{create_identity, import_p12, unseal, SealedIdentity, Signer, Subject};
pub use pdf::{sign_pdf, Placement, SignRequest};
pub use verify::verify_pdf;

/// Why a file does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    NotPdf,
    NoSignature,
    ByteRangeInvalid,
    Truncated,
    Malformed,
    SignerCertificateMissing,
    UnsupportedAlgorithm,
    DigestMismatch,
    SignatureInvalid,
    CertificateSignatureInvalid,
    CertificateNotValidThen,
    ModifiedAfterSigning,
}

impl Problem {
    pub fn message(self, lang: Lang) -> &'static str {
        let tr = |zh, en| lang.pick(zh, en);
        match self {
            Problem::NotPdf => tr("不是 PDF 文件", "This is not a PDF file"),
            Problem::NoSignature => tr("文件中没有数字签名", "The file carries no digital signature"),
            Problem::ByteRangeInvalid => {
                tr("签名的覆盖范围（ByteRange）不合法", "The signature's byte range is not well formed")
            }
            Problem::Truncated => tr(
                "文件不完整：比签名时短，可能在传输中被截断",
                "The file is incomplete: shorter than when it was signed (truncated in transfer?)",
            ),
            Problem::Malformed => {
                tr("签名数据已损坏，无法读取", "The signature data is damaged and cannot be read")
            }
            Problem::SignerCertificateMissing => {
                tr("签名中缺少签名人证书", "The signer's certificate is missing from the signature")
            }
            Problem::UnsupportedAlgorithm => {
                tr("签名使用了本程序不支持的算法", "The signature uses an algorithm this app does not check")
            }
            Problem::DigestMismatch => tr(
                "摘要不符：签名后文件内容被修改过",
                "Digest mismatch: the content was changed after it was signed",
            ),
            Problem::SignatureInvalid => tr(
                "签名值无效：签名与签名人证书不符",
                "The signature value is invalid for the signer's certificate",
            ),
            Problem::CertificateSignatureInvalid => tr(
                "签名人证书不是由所列签发者签发的",
                "The signer's certificate was not issued by its listed issuer",
            ),
            Problem::CertificateNotValidThen => tr(
                "签名时签名人证书不在有效期内",
                "The signer's certificate was not valid at the signing time",
            ),
            Problem::ModifiedAfterSigning => tr(
                "签名后文件末尾被追加了未签名的修改",
                "The file was changed after signing: an unsigned update was appended",
            ),
        }
    }
}

/// The outcome of checking a signed PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Verification {
    pub valid: bool,
    pub problem: Option<Problem>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub organisation: Option<String>,
    pub issuer: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    /// The signature covers every byte of the file.
    pub whole_file: bool,
    /// Bytes after the signed range (an appended update).
    #[ts(type = "number")]
    pub appended_bytes: u64,
    /// The chain ends at a trusted root (this app's company CA).
    pub trusted: bool,
    /// The stored report revision with exactly these bytes, if any.
    pub revision: Option<StoredRevision>,
}

impl Verification {
    /// One line for people: valid with signer and time, or the reason it is not.
    pub fn summary(&self, lang: Lang) -> String {
        if let Some(p) = self.problem {
            return p.message(lang).to_owned();
        }
        let signer = self.signer.as_deref().unwrap_or("?");
        let at = self.signed_at.map(crate::i18n::format_service_time).unwrap_or_default();
        let trust = if self.trusted {
            lang.pick("，证书受信任", "; certificate trusted")
        } else {
            lang.pick("，证书签发者未被信任", "; issuer not trusted")
        };
        match lang {
            Lang::ZhCn => format!("签名有效：{signer}，签名时间 {at}{trust}"),
            Lang::En => format!("Signature valid: {signer}, signed {at}{trust}"),
        }
    }
}

/// What kind of document a signed revision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignedDocument {
    IncidentReport,
    TrainingPlan,
    MonthlyReport,
}

/// A signed document revision as stored: an incident report or a training plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoredRevision {
    /// `RPT-2026-0001`, the plan's `TP-2026-01`, or the month's `MR-2026-10`.
    pub report_number: String,
    pub revision: u32,
    /// The incident's number, the plan's title, or the month (`2026-10`).
    pub incident_number: String,
    pub signer: String,
    pub signed_at: DateTime<Utc>,
    pub lang: String,
    /// SHA-256 of the signed file, hex.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub document: SignedDocument,
}

#[cfg(test)]
pub(crate) mod tests;
