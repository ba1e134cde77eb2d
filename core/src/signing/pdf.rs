//! PAdES signing as an incremental update: the original bytes stay untouched and a new section
//! adds the signature dictionary, its field and widget, the page's `/Annots`, the catalog's
//! `/AcroForm`, an xref section and a trailer pointing back to the previous one. The
//! `/ByteRange` covers the whole file except the `/Contents` hole that holds the CMS.

use std::io::Write;

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, ObjectId};

use super::cms;
use super::keys::Signer;
use crate::i18n::SERVICE_TZ;
use crate::{Error, Result};

/// Room reserved for the CMS signature, in bytes (hex-encoded it takes twice as many).
const CONTENTS_BYTES: usize = 8192;
/// Width reserved for the `/ByteRange` array, filled in once the offsets are known.
const BYTE_RANGE_WIDTH: usize = 48;

/// Where the signature shows on paper: a rectangle on a page, in PDF points from the
/// bottom-left corner. Without it the signature is invisible (the widget has no area).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// 0-based page index.
    pub page: usize,
    pub rect: [f32; 4],
}

/// What the signature dictionary says besides the signature itself.
pub struct SignRequest<'a> {
    pub signer: &'a Signer,
    pub name: &'a str,
    pub reason: &'a str,
    pub location: &'a str,
    pub at: DateTime<Utc>,
    pub placement: Option<Placement>,
}

/// `pdf` with a PAdES signature appended.
pub fn sign_pdf(pdf: &[u8], request: &SignRequest) -> Result<Vec<u8>> {
    let unreadable = |e: &dyn std::fmt::Display| Error::Signing(format!("the PDF cannot be read: {e}"));
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| unreadable(&e))?;
    let prev = start_xref(pdf).ok_or_else(|| unreadable(&"no startxref"))?;
    let root_id = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| unreadable(&e))?;
    let mut catalog = doc.get_dictionary(root_id).map_err(|e| unreadable(&e))?.clone();
    let pages = doc.get_pages();
    let page_index = request.placement.map_or(0, |p| p.page);
    let page_id = *pages
        .get(&(page_index as u32 + 1))
        .ok_or_else(|| Error::Signing(format!("the PDF has no page {}", page_index + 1)))?;
    let mut page = doc.get_dictionary(page_id).map_err(|e| unreadable(&e))?.clone();

    let first_new = doc.max_id.max(trailer_size(&doc).saturating_sub(1)) + 1;
    let (sig_id, widget_id, appearance_id) = ((first_new, 0), (first_new + 1, 0), (first_new + 2, 0));

    // The page lists the widget among its annotations.
    let mut annots = match page.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => {
            doc.get_object(*id).and_then(Object::as_array).cloned().unwrap_or_default()
        }
        _ => Vec::new(),
    };
    annots.push(Object::Reference(widget_id));
    page.set("Annots", Object::Array(annots));

    // The catalog gains the form holding the signature field.
    let mut fields = match catalog.get(b"AcroForm") {
        Ok(Object::Dictionary(form)) => {
            form.get(b"Fields").and_then(Object::as_array).cloned().unwrap_or_default()
        }
        Ok(_) => {
            return Err(Error::Signing("the PDF's form is stored in a way this app does not update".into()))
        }
        Err(_) => Vec::new(),
    };
    let field_name = format!("Signature{}", fields.len() + 1);
    fields.push(Object::Reference(widget_id));
    let mut form = Dictionary::new();
    form.set("Fields", Object::Array(fields));
    form.set("SigFlags", Object::Integer(3));
    catalog.set("AcroForm", Object::Dictionary(form));

    let rect = request.placement.map_or([0.0; 4], |p| p.rect);
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(ObjectId, usize)> = Vec::new();

    // The signature dictionary, with the two holes filled in below.
    offsets.push((sig_id, out.len()));
    write!(
        out,
        "{} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange",
        sig_id.0
    )?;
    let byte_range_at = out.len();
    out.extend(std::iter::repeat_n(b' ', BYTE_RANGE_WIDTH));
    out.extend(b"/Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', CONTENTS_BYTES * 2));
    out.push(b'>');
    let contents_end = out.len();
    let when = request.at.with_timezone(&SERVICE_TZ).format("D:%Y%m%d%H%M%S+08'00'").to_string();
    out.extend(b"/M");
    write_object(&mut out, &Object::string_literal(when))?;
    for (key, value) in [("Name", request.name), ("Reason", request.reason), ("Location", request.location)] {
        if !value.is_empty() {
            write!(out, "/{key}")?;
            write_object(&mut out, &lopdf::text_string(value))?;
        }
    }
    out.extend(b"/Prop_Build<</App<</Name/Yunwei>>>>>>\nendobj\n");

    // The field and its widget in one object, with an empty appearance.
    offsets.push((widget_id, out.len()));
    write!(out, "{} 0 obj\n<</Type/Annot/Subtype/Widget/FT/Sig/F 132/T", widget_id.0)?;
    write_object(&mut out, &Object::string_literal(field_name))?;
    write!(
        out,
        "/V {} 0 R/P {} {} R/Rect[{} {} {} {}]/AP<</N {} 0 R>>>>\nendobj\n",
        sig_id.0, page_id.0, page_id.1, rect[0], rect[1], rect[2], rect[3], appearance_id.0
    )?;
    offsets.push((appearance_id, out.len()));
    write!(
        out,
        "{} 0 obj\n<</Type/XObject/Subtype/Form/BBox[0 0 {} {}]/Length 0>>\nstream\n\nendstream\nendobj\n",
        appearance_id.0,
        w.max(0.0),
        h.max(0.0)
    )?;
    for (id, dict) in [(page_id, page), (root_id, catalog)] {
        offsets.push((id, out.len()));
        writeln!(out, "{} {} obj", id.0, id.1)?;
        write_object(&mut out, &Object::Dictionary(dict))?;
        out.extend(b"\nendobj\n");
    }

    // The cross-reference section and trailer of the update.
    offsets.sort_by_key(|(id, _)| *id);
    let xref_at = out.len();
    out.extend(b"xref\n");
    for (id, offset) in &offsets {
        write!(out, "{} 1\n{:010} {:05} n\r\n", id.0, offset, id.1)?;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", Object::Integer(i64::from(appearance_id.0) + 1));
    trailer.set("Root", Object::Reference(root_id));
    for key in [b"Info".as_slice(), b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    trailer.set("Prev", Object::Integer(prev as i64));
    out.extend(b"trailer\n");
    write_object(&mut out, &Object::Dictionary(trailer))?;
    write!(out, "\nstartxref\n{xref_at}\n%%EOF\n")?;

    // Fill the byte range, then the signature over it.
    let range = format!("[0 {contents_start} {contents_end} {}]", out.len() - contents_end);
    if range.len() > BYTE_RANGE_WIDTH {
        return Err(Error::Signing("the PDF is too large to sign".into()));
    }
    out[byte_range_at..byte_range_at + range.len()].copy_from_slice(range.as_bytes());
    let digest = {
        use sha2::{Digest, Sha256};
        let mut d = Sha256::new();
        d.update(&out[..contents_start]);
        d.update(&out[contents_end..]);
        d.finalize()
    };
    let signature = cms::sign_digest(&digest, request.signer)?;
    if signature.len() > CONTENTS_BYTES {
        return Err(Error::Signing(format!("the signature needs {} bytes", signature.len())));
    }
    let hex: String = signature.iter().map(|b| format!("{b:02X}")).collect();
    out[contents_start + 1..contents_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// The offset after the last `startxref`.
pub(super) fn start_xref(pdf: &[u8]) -> Option<usize> {
    let tail_from = pdf.len().saturating_sub(1024);
    let tail = &pdf[tail_from..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let digits: String = tail[at + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    digits.parse().ok()
}

fn trailer_size(doc: &lopdf::Document) -> u32 {
    doc.trailer.get(b"Size").and_then(Object::as_i64).map_or(0, |s| u32::try_from(s).unwrap_or(0))
}

/// Serialises the objects this module writes: dictionaries and arrays of plain values.
fn write_object(out: &mut Vec<u8>, object: &Object) -> Result<()> {
    match object {
        Object::Null => out.extend(b"null"),
        Object::Boolean(b) => out.extend(if *b { b"true".as_slice() } else { b"false" }),
        Object::Integer(i) => write!(out, "{i}")?,
        Object::Real(r) => write!(out, "{r}")?,
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, _) => {
            out.push(b'<');
            for b in bytes {
                write!(out, "{b:02X}")?;
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item)?;
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend(b"<<");
            for (key, value) in dict.iter() {
                write_name(out, key);
                out.push(b' ');
                write_object(out, value)?;
            }
            out.extend(b">>");
        }
        Object::Reference((id, generation)) => write!(out, "{id} {generation} R")?,
        Object::Stream(_) => return Err(Error::Signing("unexpected stream in a page or catalog".into())),
    }
    Ok(())
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b) {
            out.push(b);
        } else {
            out.extend(format!("#{b:02X}").as_bytes());
        }
    }
}
