use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use chrono::TimeZone;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::keys::{export_p12, NewIdentity};
use super::*;
use crate::Error;

const PASS: &str = "correct horse battery";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 1, 30, 0).unwrap()
}

/// One identity for the whole module: scrypt makes each creation cost a little.
fn identity() -> &'static NewIdentity {
    static ID: OnceLock<NewIdentity> = OnceLock::new();
    ID.get_or_init(|| {
        let subject = Subject {
            organisation: "华信运维服务有限公司", person: "李强", title: "项目经理"
        };
        create_identity(&subject, PASS, t0()).unwrap()
    })
}

fn signer() -> Signer {
    unseal(&identity().signer, PASS).unwrap()
}

fn ca() -> Vec<u8> {
    identity().authority.certificate.clone()
}

fn blank_pdf(pages: usize) -> Vec<u8> {
    let pages = (0..pages).map(|_| PdfPage::new(Mm(210.0), Mm(297.0), Vec::new())).collect();
    PdfDocument::new("test").with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
}

fn signed(pdf: &[u8]) -> Vec<u8> {
    sign_as(identity(), pdf)
}

/// Another install: a CA and a signer with the same names as [`identity`], other keys.
pub(crate) fn stranger() -> &'static NewIdentity {
    static ID: OnceLock<NewIdentity> = OnceLock::new();
    ID.get_or_init(|| {
        let subject = Subject {
            organisation: "华信运维服务有限公司", person: "李强", title: "项目经理"
        };
        create_identity(&subject, PASS, t0()).unwrap()
    })
}

pub(crate) fn stranger_signer() -> Signer {
    unseal(&stranger().signer, PASS).unwrap()
}

fn sign_as(identity: &NewIdentity, pdf: &[u8]) -> Vec<u8> {
    let signer = unseal(&identity.signer, PASS).unwrap();
    let request = SignRequest {
        signer: &signer,
        name: "李强",
        reason: "故障处理报告",
        location: "运维台",
        at: t0(),
        placement: Some(Placement { page: 0, rect: [50.0, 60.0, 250.0, 90.0] }),
    };
    sign_pdf(pdf, &request).unwrap()
}

/// Appends a second signature as another tool would (pyHanko writes `/Contents` before
/// `/ByteRange`, in lowercase hex), signed by `signer` at 2026-12-01 10:00 +08:00.
pub(crate) fn countersign(pdf: &[u8], signer: &Signer, contents_first: bool) -> Vec<u8> {
    const HEX: usize = 2 * 8192;
    let mut out = pdf.to_vec();
    out.extend(b"\n90 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached");
    let hole = |out: &mut Vec<u8>| {
        out.extend(b"/Contents ");
        let at = out.len();
        out.push(b'<');
        out.extend(std::iter::repeat_n(b'0', HEX));
        out.push(b'>');
        at
    };
    let range_slot = |out: &mut Vec<u8>| {
        out.extend(b"/ByteRange ");
        let at = out.len();
        out.extend(std::iter::repeat_n(b' ', 60));
        at
    };
    let (contents_start, range_at) = if contents_first {
        let c = hole(&mut out);
        (c, range_slot(&mut out))
    } else {
        let r = range_slot(&mut out);
        (hole(&mut out), r)
    };
    let contents_end = contents_start + HEX + 2;
    out.extend(b"/M(D:20261201100000+08'00')>>\nendobj\n%%EOF\n");
    let range = format!("[0 {contents_start} {contents_end} {}]", out.len() - contents_end);
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    let digest = {
        use sha2::{Digest, Sha256};
        let mut d = Sha256::new();
        d.update(&out[..contents_start]);
        d.update(&out[contents_end..]);
        d.finalize()
    };
    let value = super::cms::sign_digest(&digest, signer).unwrap();
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    out[contents_start + 1..contents_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    out
}

fn signed_sample() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| signed(&blank_pdf(2)))
}

#[test]
fn a_signed_pdf_verifies_with_signer_time_and_trust() {
    let v = verify_pdf(signed_sample(), &[ca()]);
    assert!(v.valid(), "{v:?}");
    assert!(v.whole_file && v.trusted && v.appended_bytes == 0);
    assert_eq!(v.signer.as_deref(), Some("李强"));
    assert_eq!(v.signer_title.as_deref(), Some("项目经理"));
    assert_eq!(v.organisation.as_deref(), Some("华信运维服务有限公司"));
    assert_eq!(v.issuer.as_deref(), Some("华信运维服务有限公司 电子签名 CA"));
    assert_eq!(v.signed_at, Some(t0()));
    assert!(v.summary(Lang::ZhCn).starts_with("签名有效：李强"), "{}", v.summary(Lang::ZhCn));
}

#[test]
fn without_the_ca_the_signature_is_intact_but_the_verdict_is_untrusted() {
    let v = verify_pdf(signed_sample(), &[]);
    assert_eq!((v.verdict, v.problem), (Verdict::Untrusted, Some(Problem::UntrustedIssuer)), "{v:?}");
    assert!(!v.valid() && !v.trusted && v.signatures[0].intact);
    assert!(v.summary(Lang::En).starts_with("Signature not trusted: The signing certificate was not issued"));
    assert!(v.summary(Lang::ZhCn).starts_with("签名未被信任"), "the reason comes first");
}

#[test]
fn a_report_forged_on_another_install_with_the_same_names_is_not_valid() {
    // Another install makes a CA of the same name and a signer of the same name.
    let forged = sign_as(stranger(), &blank_pdf(2));
    let v = verify_pdf(&forged, &[ca()]);
    assert_eq!(v.signer.as_deref(), Some("李强"));
    assert_eq!(v.issuer.as_deref(), Some("华信运维服务有限公司 电子签名 CA"), "the same names");
    assert_eq!(v.verdict, Verdict::Untrusted, "{v:?}");
}

#[test]
fn a_countersignature_with_contents_before_byte_range_shows_both_signatures() {
    for contents_first in [true, false] {
        let pdf = countersign(signed_sample(), &stranger_signer(), contents_first);
        let v = verify_pdf(&pdf, &[ca()]);
        assert_eq!(v.signatures.len(), 2, "{v:?}");
        let (ours, theirs) = (&v.signatures[0], &v.signatures[1]);
        assert!(ours.intact && ours.trusted && !ours.whole_file, "ours still covers its revision: {ours:?}");
        assert_eq!(ours.covered_bytes, signed_sample().len() as u64);
        assert!(theirs.intact && !theirs.trusted && theirs.whole_file, "{theirs:?}");
        assert_eq!(theirs.signed_at, Some(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
        assert_eq!(v.verdict, Verdict::Untrusted, "the newest revision is signed by a stranger");

        // Trusting the countersigner's CA too makes the whole file valid.
        let v = verify_pdf(&pdf, &[ca(), stranger().authority.certificate.clone()]);
        assert!(v.valid(), "{v:?}");
    }
}

#[test]
fn a_comment_repeating_the_byte_range_appended_is_a_change_not_a_panic() {
    let pdf = signed_sample();
    let at = pdf.windows(10).position(|w| w == b"/ByteRange").unwrap();
    let end = at + pdf[at..].iter().position(|&b| b == b']').unwrap() + 1;
    for comment in
        [pdf[at..end].to_vec(), b"/ByteRange [0 10 99999999 5]".to_vec(), b"/ByteRange [0 1 2 3]".to_vec()]
    {
        let mut bad = pdf.to_vec();
        bad.extend(b"\n% ");
        bad.extend(&comment);
        bad.extend(b"\n");
        let v = verify_pdf(&bad, &[ca()]);
        assert_eq!((v.verdict, v.problem), (Verdict::Invalid, Some(Problem::ModifiedAfterSigning)), "{v:?}");
    }
}

#[test]
fn a_changed_padding_or_hex_case_in_the_signature_value_is_refused() {
    let pdf = signed_sample();
    let hole = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    let end = hole + pdf[hole..].iter().position(|&b| b == b'>').unwrap();
    let mut padding = pdf.to_vec();
    padding[end - 3] = b'1';
    let mut case = pdf.to_vec();
    let letter = (hole..end).find(|&i| pdf[i].is_ascii_uppercase()).unwrap();
    case[letter] = pdf[letter].to_ascii_lowercase();
    let mut space = pdf.to_vec();
    space[end - 5] = b' ';
    for bad in [padding, case, space] {
        let v = verify_pdf(&bad, &[ca()]);
        assert_eq!((v.verdict, v.problem), (Verdict::Invalid, Some(Problem::Malformed)), "{v:?}");
    }
}

#[test]
fn any_flipped_byte_in_the_signed_range_is_a_digest_mismatch() {
    let pdf = signed_sample();
    let hole_start = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 10;
    let hole_end = hole_start + pdf[hole_start..].iter().position(|&b| b == b'>').unwrap() + 1;
    for at in [20, hole_start / 2, hole_start - 12, hole_end, hole_end + 200, pdf.len() - 1] {
        let mut bad = pdf.to_vec();
        bad[at] ^= 0x01;
        let v = verify_pdf(&bad, &[ca()]);
        assert_eq!(v.problem, Some(Problem::DigestMismatch), "byte {at}: {v:?}");
        assert!(!v.valid());
    }
}

#[test]
fn an_appended_update_is_reported_as_a_change_after_signing() {
    let mut pdf = signed_sample().to_vec();
    pdf.extend(b"1 0 obj\n<</Type/Catalog>>\nendobj\n%%EOF\n");
    let v = verify_pdf(&pdf, &[ca()]);
    assert_eq!(v.problem, Some(Problem::ModifiedAfterSigning));
    assert!(!v.whole_file && v.appended_bytes > 0);
}

#[test]
fn damaged_inputs_get_a_reason_not_a_panic() {
    let pdf = signed_sample();
    let cases: [(&[u8], Problem); 6] = [
        (b"hello, not a pdf", Problem::NotPdf),
        (b"", Problem::NotPdf),
        (&pdf[..pdf.len() / 2], Problem::Truncated),
        (&pdf[..1000], Problem::NoSignature),
        (&pdf[..pdf.len() - 100], Problem::Truncated),
        (&blank_pdf(1), Problem::NoSignature),
    ];
    for (bytes, problem) in cases {
        assert_eq!(verify_pdf(bytes, &[]).problem, Some(problem), "{} bytes", bytes.len());
    }
    // A damaged signature value inside the hole.
    let mut bad = pdf.to_vec();
    let hole = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    bad[hole + 300] = if bad[hole + 300] == b'A' { b'B' } else { b'A' };
    let v = verify_pdf(&bad, &[]);
    assert!(!v.valid() && v.problem.is_some(), "{v:?}");
}

#[test]
fn the_signature_covers_an_incremental_update_of_the_original() {
    let original = blank_pdf(1);
    let pdf = signed(&original);
    assert!(pdf.starts_with(&original), "the original bytes are kept as they were");
    let tail = String::from_utf8_lossy(&pdf[original.len()..]);
    for part in ["/SubFilter/ETSI.CAdES.detached", "/SigFlags 3", "/FT/Sig", "/Prev "] {
        assert!(tail.contains(part), "{part} missing");
    }
}

#[test]
fn keys_are_sealed_and_need_the_passphrase() {
    let id = identity();
    let clear = signer().key.to_bytes();
    for sealed in [&id.signer, &id.authority] {
        assert!(!sealed.encrypted_key.windows(clear.len()).any(|w| w == clear.as_slice()));
        let info = pkcs8::EncryptedPrivateKeyInfo::try_from(sealed.encrypted_key.as_slice()).unwrap();
        assert!(info.encryption_algorithm.pbes2().unwrap().kdf.is_scrypt(), "PBES2 with scrypt");
    }
    assert!(matches!(unseal(&id.signer, "wrong passphrase"), Err(Error::WrongPassphrase)));
    let short = Subject { organisation: "A", person: "B", title: "" };
    let err = create_identity(&short, "short", t0()).unwrap_err();
    assert_eq!(err.fields()[0].field, "passphrase");
    let unnamed = Subject { organisation: " ", person: "", title: "" };
    let err = create_identity(&unnamed, PASS, t0()).unwrap_err();
    assert_eq!(err.fields().len(), 2);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

#[test]
fn p12_files_from_openssl_import_and_sign() {
    for name in ["ec-p256.p12", "ec-p256-legacy.p12"] {
        let sealed = import_p12(&fixture(name), "fixture-pass", PASS).unwrap();
        let signer = unseal(&sealed, PASS).unwrap();
        let request = SignRequest {
            signer: &signer,
            name: "",
            reason: "",
            location: "",
            at: crate::now(),
            placement: None,
        };
        let v = verify_pdf(&sign_pdf(&blank_pdf(1), &request).unwrap(), &[]);
        assert!(v.signatures[0].intact && v.verdict == Verdict::Untrusted, "{name}: {v:?}");
        assert_eq!(v.signer.as_deref(), Some("王工"));
    }
}

#[test]
fn bad_p12_files_are_refused_clearly() {
    let good = fixture("ec-p256.p12");
    assert!(matches!(import_p12(&good, "nope", PASS), Err(Error::WrongP12Password)));
    assert!(matches!(import_p12(&good[..good.len() / 2], "fixture-pass", PASS), Err(Error::BadP12(_))));
    assert!(matches!(import_p12(b"not a p12", "x", PASS), Err(Error::BadP12(_))));
    assert!(matches!(import_p12(&fixture("rsa-2048.p12"), "fixture-pass", PASS), Err(Error::UnsupportedKey)));
    assert!(import_p12(&good, "fixture-pass", "short").is_err(), "the new passphrase is checked too");
}

#[test]
fn an_identity_exports_to_p12_and_back() {
    let p12 = export_p12(&signer(), "export-pass").unwrap();
    let again = unseal(&import_p12(&p12, "export-pass", PASS).unwrap(), PASS).unwrap();
    assert_eq!(again.key.to_bytes(), signer().key.to_bytes());
    assert_eq!(again.chain.len(), 1, "the CA travels with it");
}

// ---- an independent validator: poppler's pdfsig (and NSS's certutil for trust) ----

fn pdfsig(pdf: &[u8], nss: Option<&Path>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("signed.pdf");
    std::fs::write(&file, pdf).unwrap();
    let mut cmd = Command::new("pdfsig");
    if let Some(nss) = nss {
        cmd.arg("-nssdir").arg(format!("sql:{}", nss.display()));
    }
    let out = cmd.arg(&file).output().expect("pdfsig (poppler-utils) is installed by `make test`");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// An NSS database trusting `ca_der`, as a recipient would set it up.
pub(crate) fn nss_trusting(ca_der: &[u8], dir: &Path) {
    let pem = dir.join("ca.pem");
    std::fs::write(&pem, keys::certificate_pem(ca_der).unwrap()).unwrap();
    let db = format!("sql:{}", dir.display());
    let run = |args: &[&str]| {
        let out =
            Command::new("certutil").args(args).output().expect("certutil (libnss3-tools) is installed");
        assert!(out.status.success(), "certutil {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["-N", "-d", &db, "--empty-password"]);
    run(&["-A", "-d", &db, "-n", "yunwei-ca", "-t", "CT,C,C", "-i", pem.to_str().unwrap()]);
}

pub(crate) fn assert_pdfsig_accepts(pdf: &[u8], ca_der: &[u8]) {
    let out = pdfsig(pdf, None);
    assert!(out.contains("Signature Validation: Signature is Valid."), "{out}");
    assert!(out.contains("Total document signed"), "{out}");
    let nss = tempfile::tempdir().unwrap();
    nss_trusting(ca_der, nss.path());
    let out = pdfsig(pdf, Some(nss.path()));
    assert!(out.contains("Certificate is Trusted."), "{out}");
    let mut bad = pdf.to_vec();
    let hole = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap();
    bad[hole / 2] ^= 0x20;
    let out = pdfsig(&bad, None);
    assert!(out.contains("Digest Mismatch."), "{out}");
}

#[test]
fn pdfsig_accepts_the_signature_trusts_the_ca_and_sees_tampering() {
    assert_pdfsig_accepts(signed_sample(), &ca());
    let mut appended = signed_sample().to_vec();
    appended.extend(b"% appended\n");
    let out = pdfsig(&appended, None);
    assert!(out.contains("Not total document signed"), "{out}");
}
