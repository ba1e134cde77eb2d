//! A small page-layout engine over printpdf's operations: A4 pages, text measured from the
//! font's glyph advances, wrapping by the Chinese and Unicode line-breaking rules, tables whose rows break across pages with the header row
//! repeated, and a footer added once the page count is known.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, Point, Pt, Rgb,
    TextItem, XObjectId, XObjectTransform,
};

use super::ReportFonts;
use crate::text::{forbidden, is_blank, Kind};

/// A4 portrait, in mm.
const A4: (f32, f32) = (210.0, 297.0);
pub const MARGIN: f32 = 18.0;
/// Space kept free at the bottom for the footer and its QR code.
const FOOTER_SPACE: f32 = 20.0;
/// The side of the footer's QR code.
const QR_SIZE: f32 = 15.0;
const CELL_PAD: f32 = 1.8;
const LINE_GAP: f32 = 1.35;

/// A font loaded for measuring and its handle in the document.
pub struct Face<'a> {
    pub parsed: &'a ParsedFont,
    pub id: FontId,
    /// Characters asked for that the font has no glyph for, printed as [`MISSING_GLYPH`].
    missing: RefCell<BTreeSet<char>>,
}

/// What stands in for a character the font cannot draw: the typesetter's geta mark, visible
/// where a blank box would pass unnoticed.
pub const MISSING_GLYPH: char = '〓';

impl<'a> Face<'a> {
    fn new(parsed: &'a ParsedFont, doc: &mut PdfDocument) -> Face<'a> {
        Face { parsed, id: doc.add_font(parsed), missing: RefCell::default() }
    }

    fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(c as u32).is_some()
    }

    /// `text` as it can be printed: control and bidirectional-override characters as their
    /// visible `\u{…}` escape (line breaks and tabs stay, for wrapping), zero-width characters
    /// the font lacks dropped, and any other character it lacks as [`MISSING_GLYPH`], noted.
    pub fn printable<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let fine = |c: char| !forbidden(c, Kind::Block) && (c.is_whitespace() || self.has_glyph(c));
        if text.chars().all(fine) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if forbidden(c, Kind::Block) {
                out.extend(c.escape_unicode());
            } else if c.is_whitespace() || self.has_glyph(c) {
                out.push(c);
            } else if !is_blank(&c.to_string()) {
                self.missing.borrow_mut().insert(c);
                out.push(MISSING_GLYPH);
            }
        }
        Cow::Owned(out)
    }

    /// The width of `text` at `size` pt, in mm.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let upem = f32::from(self.parsed.font_metrics.units_per_em.max(1));
        let units: u32 = self
            .printable(text)
            .chars()
            .map(|c| {
                let glyph = self.parsed.lookup_glyph_index(c as u32).unwrap_or(0);
                u32::from(self.parsed.get_horizontal_advance(glyph))
            })
            .sum();
        pt_to_mm(units as f32 / upem * size)
    }

    /// `text` broken into lines no wider than `max` mm, by the rules of [`super::linebreak`].
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        super::linebreak::wrap(&self.printable(text), max, |piece| self.width(piece, size))
    }
}

/// The widths of a row of `cells` cells: the columns' own, the last cell spanning any
/// columns the row leaves out.
fn spans(cells: usize, widths: &[f32]) -> Vec<f32> {
    match cells {
        0 => Vec::new(),
        n if n < widths.len() => {
            let mut spans = widths[..n - 1].to_vec();
            spans.push(widths[n - 1..].iter().sum());
            spans
        }
        _ => widths.to_vec(),
    }
}

pub fn pt_to_mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

fn line_height(size: f32) -> f32 {
    pt_to_mm(size) * LINE_GAP
}

/// A table column: its header and its share of the width.
pub struct Column {
    pub header: String,
    pub width: f32,
}

/// Pages being filled top to bottom.
pub struct Pages<'a> {
    pub regular: Face<'a>,
    pub bold: Face<'a>,
    pages: Vec<Vec<Op>>,
    /// Distance from the top of the page, in mm.
    y: f32,
    /// Printed across the top of every page: a draft, a sample.
    mark: Option<String>,
    /// The page size, in mm.
    w: f32,
    h: f32,
}

pub const BLACK: (f32, f32, f32) = (0.1, 0.1, 0.12);
pub const GREY: (f32, f32, f32) = (0.42, 0.45, 0.5);
pub const SIGNATURE_BLUE: (f32, f32, f32) = (0.1, 0.3, 0.65);
const MARK_RED: (f32, f32, f32) = (0.8, 0.1, 0.1);
const RULE: (f32, f32, f32) = (0.75, 0.77, 0.8);
const HEAD_FILL: (f32, f32, f32) = (0.93, 0.95, 0.98);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

impl<'a> Pages<'a> {
    /// A4 portrait pages of `doc`, in the report fonts.
    pub fn new(doc: &mut PdfDocument, fonts: &'a ReportFonts) -> Pages<'a> {
        let regular = Face::new(&fonts.regular, doc);
        let bold = Face::new(&fonts.bold, doc);
        Pages { regular, bold, pages: vec![Vec::new()], y: MARGIN, mark: None, w: A4.0, h: A4.1 }
    }

    /// A4 landscape pages (the month rota).
    pub fn landscape(doc: &mut PdfDocument, fonts: &'a ReportFonts) -> Pages<'a> {
        Pages { w: A4.1, h: A4.0, ..Pages::new(doc, fonts) }
    }

    /// Prints `mark` across the top of every page (see [`super::page_mark`]).
    pub fn mark(&mut self, mark: Option<String>) {
        self.mark = mark;
    }

    pub fn content_width(&self) -> f32 {
        self.w - 2.0 * MARGIN
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` mm still fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.h - MARGIN - FOOTER_SPACE {
            self.new_page();
        }
    }

    pub fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// Text at `x` mm from the left edge, its top `y_top` mm from the top of the page.
    pub fn text_at(&mut self, x: f32, y_top: f32, text: &str, size: f32, bold: bool, color: (f32, f32, f32)) {
        let face = if bold { &self.bold } else { &self.regular };
        let (font, text) = (face.id.clone(), face.printable(text).into_owned());
        let baseline = self.h - y_top - pt_to_mm(size) * 0.88;
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
            Op::SetTextCursor { pos: Point::new(Mm(x), Mm(baseline)) },
            Op::ShowText { items: vec![TextItem::Text(text)] },
            Op::EndTextSection,
        ]);
    }

    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: (f32, f32, f32), width: f32) {
        let page_h = self.h;
        let p = |x, y| LinePoint { p: Point::new(Mm(x), Mm(page_h - y)), bezier: false };
        self.ops().extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine { line: Line { points: vec![p(x1, y1), p(x2, y2)], is_closed: false } },
        ]);
    }

    /// A dashed straight line.
    pub fn dashed(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: (f32, f32, f32), width: f32) {
        self.dashed_polyline(&[(x1, y1), (x2, y2)], color, width);
    }

    /// Joined straight segments through `points` (mm from the top-left corner).
    pub fn polyline(&mut self, points: &[(f32, f32)], color: (f32, f32, f32), width: f32) {
        if points.len() < 2 {
            return;
        }
        let page_h = self.h;
        let points = points
            .iter()
            .map(|(x, y)| LinePoint { p: Point::new(Mm(*x), Mm(page_h - y)), bezier: false })
            .collect();
        self.ops().extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine { line: Line { points, is_closed: false } },
        ]);
    }

    /// A polyline drawn dashed, then the dash pattern reset.
    pub fn dashed_polyline(&mut self, points: &[(f32, f32)], color: (f32, f32, f32), width: f32) {
        self.ops().push(Op::SetLineDashPattern { dash: printpdf::LineDashPattern::new(0.0, &[3.0, 2.0]) });
        self.polyline(points, color, width);
        self.ops().push(Op::SetLineDashPattern { dash: printpdf::LineDashPattern::solid() });
    }

    /// A filled rectangle, `x`, `y_top` its top-left corner.
    pub fn fill_rect(&mut self, x: f32, y_top: f32, w: f32, h: f32, color: (f32, f32, f32)) {
        let page_h = self.h;
        let p = |x, y| LinePoint { p: Point::new(Mm(x), Mm(page_h - y)), bezier: false };
        self.ops().extend([
            Op::SetFillColor { col: rgb(color) },
            Op::DrawPolygon {
                polygon: printpdf::Polygon {
                    rings: vec![printpdf::PolygonRing {
                        points: vec![p(x, y_top), p(x + w, y_top), p(x + w, y_top + h), p(x, y_top + h)],
                    }],
                    mode: printpdf::PaintMode::Fill,
                    winding_order: printpdf::WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// A QR code `size` mm square with its top-left corner at `x`, `y_top`; dark modules are
    /// drawn as filled runs along each row.
    fn qr(&mut self, x: f32, y_top: f32, size: f32, code: &qrcode::QrCode) {
        let width = code.width();
        // Four modules of quiet zone on each side, as scanners expect.
        let module = size / (width + 8) as f32;
        let colors = code.to_colors();
        for row in 0..width {
            let mut col = 0;
            while col < width {
                if colors[row * width + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < width && colors[row * width + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    let left = x + (start + 4) as f32 * module;
                    let top = y_top + (row + 4) as f32 * module;
                    self.fill_rect(left, top, (col - start) as f32 * module, module, BLACK);
                } else {
                    col += 1;
                }
            }
        }
    }

    /// A QR code of `data`, `size` mm square, centred at the current position.
    pub fn qr_block(&mut self, data: &str, size: f32) -> Result<(), qrcode::types::QrError> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)?;
        self.ensure(size);
        let (x, y) = ((self.w - size) / 2.0, self.y);
        self.qr(x, y, size, &code);
        self.y += size;
        Ok(())
    }

    /// A paragraph across the content width.
    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool, color: (f32, f32, f32)) {
        let face = if bold { &self.bold } else { &self.regular };
        let lines = face.wrap(text, size, self.content_width());
        for line in lines {
            self.ensure(line_height(size));
            let y = self.y;
            self.text_at(MARGIN, y, &line, size, bold, color);
            self.y += line_height(size);
        }
    }

    /// A framed block of lines kept on one page (the visible signature stamp). Returns the
    /// page index and the frame in PDF points from the bottom-left corner.
    pub fn framed(&mut self, lines: &[String], size: f32, color: (f32, f32, f32)) -> (usize, [f32; 4]) {
        let pad = 2.5;
        let height = lines.len() as f32 * line_height(size) + 2.0 * pad;
        let width = lines.iter().map(|l| self.regular.width(l, size)).fold(0.0, f32::max) + 2.0 * pad;
        self.ensure(height);
        let (top, left, right) = (self.y, MARGIN, MARGIN + width.min(self.content_width()));
        let bottom = top + height;
        for (x1, y1, x2, y2) in [
            (left, top, right, top),
            (left, bottom, right, bottom),
            (left, top, left, bottom),
            (right, top, right, bottom),
        ] {
            self.rule(x1, y1, x2, y2, color, 0.6);
        }
        for (i, line) in lines.iter().enumerate() {
            self.text_at(left + pad, top + pad + i as f32 * line_height(size), line, size, false, color);
        }
        self.y = bottom;
        let pt = |mm: f32| mm * 72.0 / 25.4;
        (self.pages.len() - 1, [pt(left), pt(self.h - bottom), pt(right), pt(self.h - top)])
    }

    /// An image `height` mm tall at `x` mm from the left, its top `y_top` mm from the top of the
    /// page; `pixels` is its size. Returns its width in mm.
    pub fn image_at(
        &mut self,
        id: XObjectId,
        x: f32,
        y_top: f32,
        height: f32,
        pixels: (usize, usize),
    ) -> f32 {
        let (w, h) = (pixels.0.max(1) as f32, pixels.1.max(1) as f32);
        let mm_to_pt = |mm: f32| mm * 72.0 / 25.4;
        // At 72 dpi one pixel is one point; then scale to the height wanted.
        let scale = mm_to_pt(height) / h;
        let bottom = self.h - y_top - height;
        self.ops().push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(mm_to_pt(x))),
                translate_y: Some(Pt(mm_to_pt(bottom))),
                scale_x: Some(scale),
                scale_y: Some(scale),
                dpi: Some(72.0),
                ..Default::default()
            },
        });
        w * height / h
    }

    /// The distance from the top of the page where the next block goes, in mm.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Text centred on the page.
    pub fn centered(&mut self, text: &str, size: f32, bold: bool) {
        let face = if bold { &self.bold } else { &self.regular };
        let x = (self.w - face.width(text, size)) / 2.0;
        self.ensure(line_height(size));
        let y = self.y;
        self.text_at(x.max(MARGIN), y, text, size, bold, BLACK);
        self.y += line_height(size);
    }

    /// A section heading with a rule under it; it moves to the next page with the first lines
    /// of its section rather than stand alone at the bottom.
    pub fn heading(&mut self, text: &str) {
        self.ensure(line_height(12.0) + 28.0);
        self.space(3.0);
        let y = self.y;
        self.text_at(MARGIN, y, text, 12.0, true, BLACK);
        self.y += line_height(12.0) + 0.8;
        let y = self.y;
        self.rule(MARGIN, y, self.w - MARGIN, y, BLACK, 0.8);
        self.y += 2.0;
    }

    /// A table; rows that do not fit start a new page, where the header is drawn again.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], size: f32) {
        let total: f32 = columns.iter().map(|c| c.width).sum();
        let scale = self.content_width() / total.max(1.0);
        let widths: Vec<f32> = columns.iter().map(|c| c.width * scale).collect();
        // A key–value grid has no header row.
        let header: Option<Vec<String>> = columns
            .iter()
            .any(|c| !c.header.is_empty())
            .then(|| columns.iter().map(|c| c.header.clone()).collect());
        let header_h = header.as_ref().map_or(0.0, |h| self.row_height(h, &widths, size, true));
        let first_h = rows.first().map_or(0.0, |r| self.row_height(r, &widths, size, false));
        self.ensure(header_h + first_h);
        if let Some(h) = &header {
            self.row(h, &widths, size, true);
        } else {
            let y = self.y;
            self.rule(MARGIN, y, self.w - MARGIN, y, RULE, 0.4);
        }
        for row in rows {
            let h = self.row_height(row, &widths, size, false);
            if self.y + h > self.h - MARGIN - FOOTER_SPACE {
                self.new_page();
                if let Some(h) = &header {
                    self.row(h, &widths, size, true);
                }
            }
            self.row(row, &widths, size, false);
        }
    }

    fn row_height(&self, cells: &[String], widths: &[f32], size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let lines = cells
            .iter()
            .zip(spans(cells.len(), widths))
            .map(|(text, w)| face.wrap(text, size, w - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1);
        lines as f32 * line_height(size) + 2.0 * CELL_PAD
    }

    fn row(&mut self, cells: &[String], widths: &[f32], size: f32, header: bool) {
        let h = self.row_height(cells, widths, size, header);
        let top = self.y;
        if header {
            self.fill_rect(MARGIN, top, self.content_width(), h, HEAD_FILL);
        }
        let mut x = MARGIN;
        for (text, w) in cells.iter().zip(spans(cells.len(), widths)) {
            let face = if header { &self.bold } else { &self.regular };
            let lines = face.wrap(text, size, w - 2.0 * CELL_PAD);
            for (i, line) in lines.iter().enumerate() {
                self.text_at(
                    x + CELL_PAD,
                    top + CELL_PAD + i as f32 * line_height(size),
                    line,
                    size,
                    header,
                    BLACK,
                );
            }
            x += w;
        }
        self.rule(MARGIN, top + h, self.w - MARGIN, top + h, RULE, 0.4);
        if header {
            self.rule(MARGIN, top, self.w - MARGIN, top, RULE, 0.4);
        }
        self.y += h;
    }

    /// Finishes the pages: `footer(page, count)` gives each page's two footer lines, and every
    /// footer carries a QR code of `qr_data`.
    /// Also returns the characters the fonts could not draw (see [`Face::printable`]).
    pub fn finish(
        mut self,
        qr_data: &str,
        footer: impl Fn(usize, usize) -> (String, String),
    ) -> (Vec<PdfPage>, Vec<char>) {
        let qr = qrcode::QrCode::with_error_correction_level(qr_data.as_bytes(), qrcode::EcLevel::M).ok();
        let count = self.pages.len();
        for index in 0..count {
            let (first, second) = footer(index + 1, count);
            let last = self.pages.len() - 1;
            // Draw on page `index`: swap it to the end (where drawing goes), then back.
            self.pages.swap(index, last);
            let top = self.h - MARGIN - QR_SIZE;
            self.rule(MARGIN, top - 2.0, self.w - MARGIN, top - 2.0, RULE, 0.4);
            self.text_at(MARGIN, top + 3.0, &first, 7.5, false, GREY);
            self.text_at(MARGIN, top + 7.5, &second, 7.5, false, GREY);
            if let Some(qr) = &qr {
                self.qr(self.w - MARGIN - QR_SIZE, top, QR_SIZE, qr);
            }
            if let Some(mark) = self.mark.clone() {
                let x = (self.w - self.bold.width(&mark, 11.0)) / 2.0;
                self.text_at(x.max(MARGIN), MARGIN / 2.0 - 2.0, &mark, 11.0, true, MARK_RED);
            }
            self.pages.swap(index, last);
        }
        let (w, h) = (self.w, self.h);
        let mut missing = self.regular.missing.take();
        missing.extend(self.bold.missing.take());
        let pages = self.pages.into_iter().map(|ops| PdfPage::new(Mm(w), Mm(h), ops)).collect();
        (pages, missing.into_iter().collect())
    }
}
