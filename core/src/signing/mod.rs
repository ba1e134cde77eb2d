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
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Lang;

pub use keys::{create_identity, import_p12, unseal, SealedIdentity, Signer, Subject};
pub use pdf::{sign_pdf, Placement, SignRequest};
pub use verify::verify_pdf;

pub use crate::document::{SignedDocument, StoredRevision};

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
    /// Intact, but the newest signature does not chain to a trusted CA.
    UntrustedIssuer,
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
            Problem::UntrustedIssuer => tr(
                "签名证书不是由本单位 CA 或已导入的受信任 CA 签发，无法确认签名人身份",
                "The signing certificate was not issued by this company's CA or a CA imported as trusted, so the signer cannot be confirmed",
            ),
        }
    }
}

/// The verdict on a signed PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every signature intact, the newest covers the whole file and chains to a trusted CA.
    Valid,
    /// Intact and complete, but the newest signature's issuer is not trusted.
    Untrusted,
    /// Damaged, changed after signing, or not signed at all.
    #[default]
    Invalid,
}

/// One signature of a file, checked on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct SignatureCheck {
    /// The signature value matches the bytes it covers, with a sound certificate chain.
    pub intact: bool,
    pub problem: Option<Problem>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub organisation: Option<String>,
    pub issuer: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    /// The chain ends at a trusted root.
    pub trusted: bool,
    /// The revision it signs: the file's first this many bytes.
    #[ts(type = "number")]
    pub covered_bytes: u64,
    pub whole_file: bool,
}

/// The outcome of checking a signed PDF: the verdict, the first reason when not valid, the
/// newest signature's details, and every signature in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Verification {
    pub verdict: Verdict,
    pub problem: Option<Problem>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub organisation: Option<String>,
    pub issuer: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    /// The newest signature covers every byte of the file.
    pub whole_file: bool,
    /// Bytes after the newest signed revision (an unsigned update).
    #[ts(type = "number")]
    pub appended_bytes: u64,
    /// The newest signature chains to a trusted root (the company CA or an imported one).
    pub trusted: bool,
    /// Oldest first; a countersigned report has two.
    pub signatures: Vec<SignatureCheck>,
    /// The stored report revision with exactly these bytes, if any.
    pub revision: Option<StoredRevision>,
    /// When the file is no stored revision: the stored revision that the part covered by one of
    /// its signatures is (a countersigned report, or one with bytes appended).
    pub covered_revision: Option<StoredRevision>,
}

impl Verification {
    pub fn valid(&self) -> bool {
        self.verdict == Verdict::Valid
    }

    /// One line for people, the reason first: valid with signer and time, or why not.
    pub fn summary(&self, lang: Lang) -> String {
        let signer = self.signer.as_deref().unwrap_or("?");
        match (self.verdict, self.problem) {
            (Verdict::Valid, _) => {
                let at = self.signed_at.map(crate::i18n::format_service_time).unwrap_or_default();
                match lang {
                    Lang::ZhCn => format!("签名有效：{signer}，签名时间 {at}，证书受信任"),
                    Lang::En => format!("Signature valid: {signer}, signed {at}; certificate trusted"),
                }
            }
            (Verdict::Untrusted, problem) => {
                let reason = problem.unwrap_or(Problem::UntrustedIssuer).message(lang);
                let issuer = self.issuer.as_deref().unwrap_or("?");
                match lang {
                    Lang::ZhCn => format!("签名未被信任：{reason}（签名人 {signer}，签发者 {issuer}）"),
                    Lang::En => format!("Signature not trusted: {reason} (signer {signer}, issuer {issuer})"),
                }
            }
            (Verdict::Invalid, problem) => problem.unwrap_or(Problem::NoSignature).message(lang).to_owned(),
        }
    }
}

impl Verification {
    /// The whole outcome as lines for a terminal: the summary, then each signature (who, which
    /// issuer, trusted or not, what it covers, intact or why not), then the stored revision.
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![self.summary(lang)];
        let count = self.signatures.len();
        for (i, s) in self.signatures.iter().enumerate() {
            let mut who = s.signer.clone().unwrap_or_else(|| "?".into());
            if let Some(title) = s.signer_title.as_deref().filter(|t| !t.is_empty()) {
                who.push_str(lang.pick(&format!("（{title}）"), &format!(" ({title})")));
            }
            let issuer = s.issuer.as_deref().unwrap_or("?");
            let at = s
                .signed_at
                .map(|t| format!("{}{}", crate::i18n::format_service_time(t), lang.pick("，", ", ")));
            let at = at.unwrap_or_default();
            let trust = match s.trusted {
                true => lang.pick("受信任", "trusted"),
                false => lang.pick("未受信任", "not trusted"),
            };
            let cover = match (s.whole_file, lang) {
                (true, Lang::ZhCn) => "覆盖整个文件".to_owned(),
                (true, Lang::En) => "covers the whole file".to_owned(),
                (false, Lang::ZhCn) => {
                    format!("覆盖文件前 {} 字节（其后的修订不在此签名内）", s.covered_bytes)
                }
                (false, Lang::En) => {
                    format!("covers the first {} bytes (later revisions are outside it)", s.covered_bytes)
                }
            };
            let state = match s.problem {
                None => lang.pick("完好", "intact").to_owned(),
                Some(p) => p.message(lang).to_owned(),
            };
            lines.push(match lang {
                Lang::ZhCn => {
                    format!("签名 {}/{count}：{who}，签发者 {issuer}（{trust}），{at}{cover}，{state}", i + 1)
                }
                Lang::En => {
                    format!(
                        "Signature {}/{count}: {who}, issuer {issuer} ({trust}), {at}{cover}, {state}",
                        i + 1
                    )
                }
            });
        }
        if let Some(r) = &self.revision {
            lines.push(match lang {
                Lang::ZhCn => {
                    format!("与存档一致：{} 第 {} 版（{}）", r.report_number, r.revision, r.incident_number)
                }
                Lang::En => {
                    format!(
                        "Matches the stored {} revision {} ({})",
                        r.report_number, r.revision, r.incident_number
                    )
                }
            });
        }
        if let Some(r) = &self.covered_revision {
            lines.push(match lang {
                Lang::ZhCn => format!(
                    "签名覆盖的部分与存档 {} 第 {} 版（{}）一致，其后的内容是之后追加的",
                    r.report_number, r.revision, r.incident_number
                ),
                Lang::En => format!(
                    "The signed part matches the stored {} revision {} ({}); what follows was added later",
                    r.report_number, r.revision, r.incident_number
                ),
            });
        }
        lines
    }
}

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

/// How the signing forms (a new certificate, a `.p12` import) name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "passphrase" => ("口令", "Passphrase"),
        "confirm" => ("确认口令", "Confirmation"),
        "signer_name" => ("签名人姓名", "Signer's name"),
        "signer_title" => ("职务", "Role"),
        "p12" => ("证书文件", "Certificate file"),
        "name" => ("姓名", "Name"),
        "title" => ("职务", "Title"),
        "organisation" => ("单位", "Organisation"),
        "password" => ("证书文件口令", "File password"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
pub(crate) mod tests;
