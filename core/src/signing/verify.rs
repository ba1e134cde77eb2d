//! Verifying a signed PDF from its bytes alone. The signature is found by scanning for
//! `/ByteRange` rather than by parsing the document, so a file damaged inside the signed
//! range still reports "digest mismatch" instead of "unreadable".

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use der::Encode;

use super::keys::name_part;
use super::{cms, Problem, Verification};

/// Checks the last signature of `pdf`. `trusted_roots` are DER certificates whose chains count
/// as trusted (the company CA).
pub fn verify_pdf(pdf: &[u8], trusted_roots: &[Vec<u8>]) -> Verification {
    let mut v = Verification::default();
    if let Err(problem) = check(pdf, trusted_roots, &mut v) {
        v.valid = false;
        v.problem = Some(problem);
    } else {
        v.valid = true;
    }
    v
}

fn check(pdf: &[u8], trusted_roots: &[Vec<u8>], v: &mut Verification) -> Result<(), Problem> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(Problem::NotPdf);
    }
    let (at, range) = last_byte_range(pdf).ok_or(Problem::NoSignature)?;
    let [start, first_len, second_start, second_len] = range;
    let second_end = second_start.checked_add(second_len).ok_or(Problem::ByteRangeInvalid)?;
    if start != 0 || first_len >= second_start {
        return Err(Problem::ByteRangeInvalid);
    }
    if second_end > pdf.len() {
        return Err(Problem::Truncated);
    }
    // The hole must be exactly the `<hex>` value of `/Contents` in the same dictionary.
    let hole = &pdf[first_len..second_start];
    if hole.first() != Some(&b'<') || hole.last() != Some(&b'>') {
        return Err(Problem::ByteRangeInvalid);
    }
    let before = trim_end(&pdf[at..first_len]);
    if !before.ends_with(b"/Contents") {
        return Err(Problem::ByteRangeInvalid);
    }
    let contents = decode_hex(&hole[1..hole.len() - 1]).ok_or(Problem::Malformed)?;
    v.signed_at = signing_time(signature_dictionary(pdf, at, second_start));
    v.whole_file = second_end == pdf.len();
    v.appended_bytes = (pdf.len() - second_end) as u64;

    let signed = cms::check(&contents, &[&pdf[..first_len], &pdf[second_start..second_end]])?;
    let subject = &signed.signer.tbs_certificate.subject;
    v.signer = name_part(subject, const_oid::db::rfc4519::CN);
    v.signer_title = name_part(subject, const_oid::db::rfc4519::TITLE);
    v.organisation = name_part(subject, const_oid::db::rfc4519::O);
    v.issuer = name_part(&signed.signer.tbs_certificate.issuer, const_oid::db::rfc4519::CN);
    let root = signed.chain.last().unwrap_or(&signed.signer);
    v.trusted = root.to_der().is_ok_and(|der| trusted_roots.contains(&der));
    if let Some(at) = v.signed_at {
        let validity = &signed.signer.tbs_certificate.validity;
        let (from, to) = (validity.not_before.to_unix_duration(), validity.not_after.to_unix_duration());
        let at = std::time::Duration::from_secs(at.timestamp().max(0) as u64);
        if at < from || at > to {
            return Err(Problem::CertificateNotValidThen);
        }
    }
    if !v.whole_file {
        return Err(Problem::ModifiedAfterSigning);
    }
    Ok(())
}

/// The object around the `/ByteRange` at `at`: from its `obj` to the `endobj` after the hole.
fn signature_dictionary(pdf: &[u8], at: usize, hole_end: usize) -> &[u8] {
    let from = pdf[..at].windows(3).rposition(|w| w == b"obj").unwrap_or(at);
    let to = pdf[hole_end..].windows(6).position(|w| w == b"endobj").map_or(pdf.len(), |i| hole_end + i);
    &pdf[from..to]
}

/// The position and values of the last `/ByteRange [a b c d]`.
fn last_byte_range(pdf: &[u8]) -> Option<(usize, [usize; 4])> {
    let key = b"/ByteRange";
    let mut end = pdf.len();
    while let Some(at) = pdf[..end].windows(key.len()).rposition(|w| w == key) {
        if let Some(values) = parse_range(&pdf[at + key.len()..]) {
            return Some((at, values));
        }
        end = at;
    }
    None
}

fn parse_range(after: &[u8]) -> Option<[usize; 4]> {
    let text = std::str::from_utf8(&after[..after.len().min(120)]).ok().or_else(|| {
        let valid = std::str::from_utf8(&after[..after.len().min(120)]).err()?.valid_up_to();
        std::str::from_utf8(&after[..valid]).ok()
    })?;
    let inner = text.trim_start().strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    let numbers: Vec<usize> = inner.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
    numbers.try_into().ok()
}

/// `/M (D:20261128093000+08'00')` of the dictionary around the byte range, hex or literal.
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
    let offset = chrono::FixedOffset::east_opt(offset_minutes * 60)?;
    offset.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc))
}

fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &bytes[..end]
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}
