//! Charts drawn as vector graphics into a report (bars, lines, limit lines, labels), so they
//! print sharp at any size and their text stays text: the Pareto chart and control charts of
//! the monthly report.

use super::layout::{Pages, GREY, MARGIN};
use crate::quality::{ControlPoint, Pareto};

const BLUE: (f32, f32, f32) = (0.15, 0.39, 0.92);
const LIGHT_BLUE: (f32, f32, f32) = (0.58, 0.77, 0.99);
const ORANGE: (f32, f32, f32) = (0.96, 0.62, 0.04);
const RED: (f32, f32, f32) = (0.86, 0.15, 0.15);
const AXIS: (f32, f32, f32) = (0.55, 0.58, 0.62);
const LABEL: f32 = 6.5;

/// The plot area of a chart, in mm from the page's top-left corner.
struct Frame {
    left: f32,
    top: f32,
    width: f32,
    height: f32,
}

impl Frame {
    /// A chart `height` mm tall across the content width at the current position, under its
    /// caption (kept on the same page), with room for axis labels.
    fn place(pages: &mut Pages, caption: &str, height: f32) -> Frame {
        pages.ensure(height + 22.0);
        pages.paragraph(caption, 9.5, true, GREY);
        let top = pages.y() + 4.0;
        pages.space(height + 14.0);
        Frame { left: MARGIN + 12.0, top, width: pages.content_width() - 26.0, height }
    }

    fn bottom(&self) -> f32 {
        self.top + self.height
    }

    /// The y of `value` on a scale from 0 (or `min`) to `max`.
    fn y(&self, value: f64, min: f64, max: f64) -> f32 {
        let span = (max - min).max(f64::EPSILON);
        self.bottom() - ((value - min) / span) as f32 * self.height
    }

    fn axes(&self, pages: &mut Pages) {
        pages.rule(self.left, self.top, self.left, self.bottom(), AXIS, 0.5);
        pages.rule(self.left, self.bottom(), self.left + self.width, self.bottom(), AXIS, 0.5);
    }

    /// A labelled tick on the left axis.
    fn tick(&self, pages: &mut Pages, y: f32, text: &str) {
        pages.rule(self.left - 1.2, y, self.left, y, AXIS, 0.4);
        let w = pages.regular.width(text, LABEL);
        pages.text_at(self.left - 1.8 - w, y - 1.2, text, LABEL, false, GREY);
    }

    /// Category labels under the x axis, thinned so they do not overlap.
    fn categories(&self, pages: &mut Pages, labels: &[String]) {
        let step = self.width / labels.len().max(1) as f32;
        let every = labels.iter().map(|l| pages.regular.width(l, LABEL)).fold(0.0, f32::max) / step;
        let every = (every.ceil() as usize).max(1);
        for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let w = pages.regular.width(label, LABEL);
            let x = self.left + step * (i as f32 + 0.5) - w / 2.0;
            pages.text_at(x, self.bottom() + 1.2, label, LABEL, false, GREY);
        }
    }
}

/// Bars by count (the vital few darker), the cumulative-percentage line on a 0–100 % right
/// axis, and the 80 % line.
pub fn pareto_chart(pages: &mut Pages, caption: &str, pareto: &Pareto, height: f32) {
    let f = Frame::place(pages, caption, height);
    f.axes(pages);
    let top = pareto.bars.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let max = f64::from(top);
    // Whole counts only: 0, the middle when it is whole, the top.
    let mut ticks = vec![0, top];
    if top >= 4 && top % 2 == 0 {
        ticks.insert(1, top / 2);
    }
    for v in ticks {
        f.tick(pages, f.y(f64::from(v), 0.0, max), &v.to_string());
    }
    let right = f.left + f.width;
    pages.rule(right, f.top, right, f.bottom(), AXIS, 0.5);
    for p in [0.0, 50.0, 80.0, 100.0] {
        let y = f.y(p, 0.0, 100.0);
        pages.rule(right, y, right + 1.2, y, AXIS, 0.4);
        pages.text_at(right + 1.8, y - 1.2, &format!("{p:.0}%"), LABEL, false, GREY);
    }
    let y80 = f.y(80.0, 0.0, 100.0);
    pages.dashed(f.left, y80, right, y80, RED, 0.5);
    let step = f.width / pareto.bars.len().max(1) as f32;
    let mut line = Vec::new();
    for (i, bar) in pareto.bars.iter().enumerate() {
        let x = f.left + step * i as f32;
        let top = f.y(f64::from(bar.count), 0.0, max);
        pages.fill_rect(
            x + step * 0.15,
            top,
            step * 0.7,
            f.bottom() - top,
            if bar.vital { BLUE } else { LIGHT_BLUE },
        );
        line.push((x + step / 2.0, f.y(bar.cumulative, 0.0, 100.0)));
    }
    pages.polyline(&line, ORANGE, 0.8);
    for (x, y) in &line {
        pages.fill_rect(x - 0.7, y - 0.7, 1.4, 1.4, ORANGE);
    }
    let labels: Vec<String> = pareto.bars.iter().map(|b| b.label.clone()).collect();
    f.categories(pages, &labels);
}

/// A control chart: the points joined, the centre line, the limits (per point, as steps, for a
/// p-chart), points out of control in red. `scale` turns values into what is printed (100 for
/// percentages).
pub fn control_chart(
    pages: &mut Pages,
    caption: &str,
    points: &[ControlPoint],
    centre: f64,
    scale: f64,
    height: f32,
) {
    let f = Frame::place(pages, caption, height);
    f.axes(pages);
    let top = points.iter().flat_map(|p| [p.value, p.ucl]).fold(centre, f64::max) * 1.08;
    let bottom = points.iter().flat_map(|p| [p.value, p.lcl]).fold(centre, f64::min).min(0.0);
    for v in [bottom, centre, top] {
        f.tick(pages, f.y(v, bottom, top), &format!("{:.1}", v * scale));
    }
    let step = f.width / points.len().max(1) as f32;
    let x = |i: usize| f.left + step * (i as f32 + 0.5);
    let yc = f.y(centre, bottom, top);
    pages.rule(f.left, yc, f.left + f.width, yc, GREY, 0.6);
    for (limit, pick) in [("UCL", true), ("LCL", false)] {
        let value = |p: &ControlPoint| if pick { p.ucl } else { p.lcl };
        let mut steps = Vec::new();
        for (i, p) in points.iter().enumerate() {
            let y = f.y(value(p), bottom, top);
            steps.push((x(i) - step / 2.0, y));
            steps.push((x(i) + step / 2.0, y));
        }
        pages.dashed_polyline(&steps, RED, 0.5);
        if let Some(last) = points.last() {
            let y = f.y(value(last), bottom, top);
            pages.text_at(f.left + f.width + 1.0, y - 1.2, limit, LABEL, false, RED);
        }
    }
    pages.text_at(f.left + f.width + 1.0, yc - 1.2, "CL", LABEL, false, GREY);
    let line: Vec<(f32, f32)> =
        points.iter().enumerate().map(|(i, p)| (x(i), f.y(p.value, bottom, top))).collect();
    pages.polyline(&line, BLUE, 0.7);
    for ((px, py), p) in line.iter().zip(points) {
        let (size, color) = if p.rules.is_empty() { (1.2, BLUE) } else { (2.0, RED) };
        pages.fill_rect(px - size / 2.0, py - size / 2.0, size, size, color);
    }
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    f.categories(pages, &labels);
}
