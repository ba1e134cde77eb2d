//! Verifying a signed PDF from its bytes alone. Signatures are found by scanning for
//! `/ByteRange` rather than by parsing the document, so a file damaged inside the signed range
//! still reports "digest mismatch" instead of "unreadable"; every signature is checked, in file
//! order, whatever the order of the keys in its dictionary.
//!
//! The verdict: **valid** when every signature is intact and the newest covers the whole file
//! and chains to a trusted root; **untrusted** when all that holds but the newest signature's
//! issuer is not trusted (a report forged on another install, or a countersignature by someone
//! this company does not know); **invalid** otherwise, with the first reason.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use der::Encode;

use super::keys::name_part;
use super::{cms, Problem, SignatureCheck, Verdict, Verification};

/// Checks every signature of `pdf`. `trusted_roots` are DER certificates whose chains count as
/// trusted (the company CA, and CAs the user imported).
pub fn verify_pdf(pdf: &[u8], trusted_roots: &[Vec<u8>]) -> Verification {
    if !pdf.starts_with(b"%PDF-") {
        return Verification::refused(Problem::NotPdf);
    }
    let mut seen = BTreeSet::new();
    let mut located = Vec::new();
    let mut first_problem = None;
    for (at, range) in byte_ranges(pdf) {
        if !seen.insert(range) {
            continue; // the same range repeated (a comment quoting it) is the same signature
        }
        match locate(pdf, at, range) {
            Ok(signature) => located.push(signature),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    if located.is_empty() {
        // Nothing well formed: a damaged signature says how, a file without one says so.
        return Verification::refused(first_problem.unwrap_or(Problem::NoSignature));
    }
    located.sort_by_key(|s| s.covered_end);
    let signatures: Vec<SignatureCheck> = located.iter().map(|s| check(pdf, s, trusted_roots)).collect();
    Verification::judge(signatures, pdf.len())
}

/// A signature found in the file: where its value is and what it covers.
struct Located<'a> {
    /// The `<hex>` value of `/Contents`, without the brackets.
    hex: &'a [u8],
    /// The two signed parts: before and after the hole.
    parts: [&'a [u8]; 2],
    covered_end: usize,
    /// The dictionary's text around both keys, for `/M`.
    dictionary: &'a [u8],
}

/// Checks that `range` (found at `at`) describes a signature of `pdf`: starts at 0, a hole that
/// is exactly the hex value of `/Contents`, within the file.
fn locate(pdf: &[u8], at: usize, range: [usize; 4]) -> Result<Located<'_>, Problem> {
    let [start, first_len, second_start, second_len] = range;
    let second_end = second_start.checked_add(second_len).ok_or(Problem::ByteRangeInvalid)?;
    if start != 0 || first_len >= second_start {
        return Err(Problem::ByteRangeInvalid);
    }
    if second_end > pdf.len() {
        return Err(Problem::Truncated);
    }
    let hole = &pdf[first_len..second_start];
    if hole.len() < 2 || hole[0] != b'<' || hole[hole.len() - 1] != b'>' {
        return Err(Problem::ByteRangeInvalid);
    }
    if !trim_end(&pdf[..first_len]).ends_with(b"/Contents") {
        return Err(Problem::ByteRangeInvalid);
    }
    Ok(Located {
        hex: &hole[1..hole.len() - 1],
        parts: [&pdf[..first_len], &pdf[second_start..second_end]],
        covered_end: second_end,
        dictionary: signature_dictionary(pdf, at.min(first_len), at.max(second_start)),
    })
}

/// The checks of one signature: its value, its digest, its chain, its time.
fn check(pdf: &[u8], located: &Located<'_>, trusted_roots: &[Vec<u8>]) -> SignatureCheck {
    let mut c = SignatureCheck {
        signed_at: signing_time(located.dictionary),
        covered_bytes: located.covered_end as u64,
        whole_file: located.covered_end == pdf.len(),
        ..SignatureCheck::default()
    };
    let outcome = decode_contents(located.hex).and_then(|contents| {
        let signed = cms::check(&contents, &located.parts)?;
        c.signed_at = c.signed_at.or(signed.signing_time);
        let subject = &signed.signer.tbs_certificate.subject;
        c.signer = name_part(subject, const_oid::db::rfc4519::CN);
        c.signer_title = name_part(subject, const_oid::db::rfc4519::TITLE);
        c.organisation = name_part(subject, const_oid::db::rfc4519::O);
        c.issuer = name_part(&signed.signer.tbs_certificate.issuer, const_oid::db::rfc4519::CN);
        let root = signed.chain.last().unwrap_or(&signed.signer);
        c.trusted = root.to_der().is_ok_and(|der| trusted_roots.contains(&der));
        if let Some(at) = c.signed_at {
            let validity = &signed.signer.tbs_certificate.validity;
            let (from, to) = (validity.not_before.to_unix_duration(), validity.not_after.to_unix_duration());
            let at = std::time::Duration::from_secs(at.timestamp().max(0) as u64);
            if at < from || at > to {
                return Err(Problem::CertificateNotValidThen);
            }
        }
        Ok(())
    });
    match outcome {
        Ok(()) => c.intact = true,
        Err(problem) => c.problem = Some(problem),
    }
    c
}

/// The signature value: hex digits of one case, no spaces, and after the DER structure only the
/// zero padding its writer reserved. Anything else is a change to the file that the digest does
/// not cover, so it is refused rather than ignored.
fn decode_contents(hex: &[u8]) -> Result<Vec<u8>, Problem> {
    let upper = hex.iter().any(u8::is_ascii_uppercase);
    let lower = hex.iter().any(u8::is_ascii_lowercase);
    if upper && lower {
        return Err(Problem::Malformed);
    }
    let bytes = decode_hex(hex).ok_or(Problem::Malformed)?;
    let used = cms::der_length(&bytes).ok_or(Problem::Malformed)?;
    if bytes[used..].iter().any(|&b| b != 0) {
        return Err(Problem::Malformed);
    }
    Ok(bytes[..used].to_vec())
}

/// The object around a signature's keys: from the `obj` before `from` to the `endobj` after `to`.
fn signature_dictionary(pdf: &[u8], from: usize, to: usize) -> &[u8] {
    let start = pdf[..from].windows(3).rposition(|w| w == b"obj").unwrap_or(from);
    let end = pdf[to..].windows(6).position(|w| w == b"endobj").map_or(pdf.len(), |i| to + i);
    &pdf[start..end]
}

/// The position and values of every `/ByteRange [a b c d]`, in file order.
fn byte_ranges(pdf: &[u8]) -> Vec<(usize, [usize; 4])> {
    let key = b"/ByteRange";
    pdf.windows(key.len())
        .enumerate()
        .filter(|(_, w)| *w == key)
        .filter_map(|(at, _)| parse_range(&pdf[at + key.len()..]).map(|range| (at, range)))
        .collect()
}

fn parse_range(after: &[u8]) -> Option<[usize; 4]> {
    let window = &after[..after.len().min(120)];
    let text = match std::str::from_utf8(window) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&window[..e.valid_up_to()]).ok()?,
    };
    let inner = text.trim_start().strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    let numbers: Vec<usize> = inner.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
    numbers.try_into().ok()
}

/// `/M (D:20261128093000+08'00')` of a signature dictionary, hex or literal.
fn signing_time(window: &[u8]) -> Option<DateTime<Utc>> {
    let at = window.windows(3).rposition(|w| &w[..2] == b"/M" && b" \r\n(<".contains(&w[2]))?;
    let rest = trim_start(&window[at + 2..]);
    let raw = match rest.first()? {
        b'(' => rest[1..rest.iter().position(|&b| b == b')')?].to_vec(),
        b'<' => decode_hex(&rest[1..rest.iter().position(|&b| b == b'>')?])?,
        _ => return None,
    };
    let text = String::from_utf8(raw).ok()?;
    let digits = text.strip_prefix("D:")?;
    let local = NaiveDateTime::parse_from_str(digits.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let zone = digits.get(14..).unwrap_or("");
    let offset_minutes = match zone.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let parts: Vec<i32> = zone[1..].split('\'').filter_map(|p| p.parse().ok()).collect();
            let minutes = parts.first().copied().unwrap_or(0) * 60 + parts.get(1).copied().unwrap_or(0);
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => 0,
    };
    let offset = chrono::FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
    offset.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc))
}

/// Hex digits, two per byte, nothing else.
fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    // Digits only: `from_str_radix` alone would take `+B` for `0B`, so a changed byte would read
    // as the same value.
    if !hex.len().is_multiple_of(2) || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    hex.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &bytes[..end]
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

impl Verification {
    fn refused(problem: Problem) -> Verification {
        Verification { verdict: Verdict::Invalid, problem: Some(problem), ..Verification::default() }
    }

    /// The verdict over `signatures` (oldest first) of a file of `len` bytes, and the newest
    /// one's details on top.
    fn judge(signatures: Vec<SignatureCheck>, len: usize) -> Verification {
        let newest = signatures.last().cloned().unwrap_or_default();
        let (verdict, problem) = if let Some(broken) = signatures.iter().find_map(|s| s.problem) {
            (Verdict::Invalid, Some(broken))
        } else if !newest.whole_file {
            (Verdict::Invalid, Some(Problem::ModifiedAfterSigning))
        } else if !newest.trusted {
            (Verdict::Untrusted, Some(Problem::UntrustedIssuer))
        } else {
            (Verdict::Valid, None)
        };
        Verification {
            verdict,
            problem,
            signer: newest.signer.clone(),
            signer_title: newest.signer_title.clone(),
            organisation: newest.organisation.clone(),
            issuer: newest.issuer.clone(),
            signed_at: newest.signed_at,
            whole_file: newest.whole_file,
            appended_bytes: (len as u64).saturating_sub(newest.covered_bytes),
            trusted: newest.trusted,
            signatures,
            revision: None,
            covered_revision: None,
        }
    }
}
