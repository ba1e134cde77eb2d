//! Quality control (质量控制) as the service plan promises it: Pareto charts of causes, control
//! charts (individuals / moving range, and the p-chart of a proportion) with the two
//! out-of-control rules every reader knows, and reproducible statistical sampling.
//!
//! Everything here is arithmetic on figures the store has already gathered; the UI only draws.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::IncidentSummary;
use crate::level::Level;
use crate::sla::MilestoneKind;
use crate::Lang;

pub mod monthly;

/// The share of milestones met in time that the service aims for, in percent: cells below it are
/// marked on the Dashboard.
pub const COMPLIANCE_TARGET_PERCENT: f64 = 90.0;

/// What a Pareto chart counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ParetoBy {
    FaultType,
    Cause,
}

impl ParetoBy {
    pub fn kind(self) -> crate::category::CategoryKind {
        match self {
            ParetoBy::FaultType => crate::category::CategoryKind::FaultType,
            ParetoBy::Cause => crate::category::CategoryKind::Cause,
        }
    }
}

/// A QA sample: which closed incidents were drawn, with which seed, and their reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QaSample {
    pub id: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub size: u32,
    /// Decimal, as typed to reproduce the draw.
    pub seed: String,
    /// How many closed incidents the period held.
    pub population: u32,
    pub drawn_by: String,
    pub created_at: DateTime<Utc>,
    pub items: Vec<QaItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QaItem {
    pub incident: IncidentSummary,
    /// `ok`, `finding`, or `None` before review.
    pub outcome: Option<String>,
    pub note: String,
    pub reviewed_by: String,
}

/// The form that draws a sample.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct QaSampleForm {
    /// RFC 3339.
    pub from: String,
    pub to: String,
    pub size: String,
    /// Empty: a fresh seed (recorded with the sample).
    pub seed: String,
}

/// SLA compliance of one milestone at one level: met ÷ due in the period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Compliance {
    pub kind: MilestoneKind,
    pub level: Level,
    /// Due within the period (and before now).
    pub due: u32,
    /// Of those, met on time.
    pub met: u32,
    /// `met ÷ due` × 100, or `None` when nothing was due.
    pub percent: Option<f64>,
}

/// Mean and median of a duration per level, in seconds, paused time excluded.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LevelTimes {
    pub level: Level,
    pub count: u32,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
}

/// Counts by a code (channel, fault type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Tally {
    pub key: String,
    pub count: u32,
}

/// The figures of a period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PeriodStats {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Reported within the period, per level (as they stand now).
    pub opened: crate::level::LevelCounts,
    /// Resolved within the period, per level.
    pub resolved: crate::level::LevelCounts,
    /// Per milestone, then per level.
    pub compliance: Vec<Compliance>,
    /// Every milestone of every level together.
    pub overall_compliance: Option<f64>,
    /// Time to respond (MTTA) of incidents reported in the period.
    pub response: Vec<LevelTimes>,
    /// Time to resolve (MTTR) of incidents resolved in the period.
    pub resolution: Vec<LevelTimes>,
    /// Incidents open at the end of the period by age: < 1 day, 1–3, 3–7, > 7 days.
    #[ts(type = "[number, number, number, number]")]
    pub backlog: [u32; 4],
    pub by_channel: Vec<Tally>,
    /// Resolved in the period with a report, by fault-type category code (`-`: the report
    /// names no category).
    pub by_fault_type: Vec<Tally>,
    pub training_planned: u32,
    pub training_held: u32,
    pub training_attendance: Option<f64>,
}

/// One bar of a Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ParetoBar {
    /// The category code counted.
    pub code: String,
    pub label: String,
    pub count: u32,
    /// Share of the total, 0–100.
    pub percent: f64,
    /// Running share up to and including this bar, 0–100.
    pub cumulative: f64,
    /// Among the "vital few": the bars that together first reach 80 %.
    pub vital: bool,
}

/// A Pareto chart: bars sorted by count, largest first (ties by label), with the cumulative
/// line.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Pareto {
    pub bars: Vec<ParetoBar>,
    pub total: u32,
    /// Reported incidents of the period whose report names no known category: not in a bar,
    /// said beside the chart.
    pub uncategorised: u32,
}

/// Whether a monthly report may be issued for the month that starts on `first`: not for a
/// month that has not begun by `today`, nor for one before the service's first record
/// (`data_begins`; `None` when nothing is recorded yet). A report is a permanent signed
/// revision, so an impossible month is refused instead of signed.
pub fn check_report_month(
    first: chrono::NaiveDate,
    today: chrono::NaiveDate,
    data_begins: Option<chrono::NaiveDate>,
) -> crate::Result<()> {
    use chrono::Datelike;
    let month_of = |d: chrono::NaiveDate| (d.year(), d.month());
    let rule = if month_of(first) > month_of(today) {
        Some(crate::error::Rule::InFuture)
    } else {
        match data_begins {
            Some(begins) if month_of(first) >= month_of(begins) => None,
            begins => Some(crate::error::Rule::BeforeRecords {
                first: begins.map(|d| d.format("%Y-%m").to_string()).unwrap_or_else(|| "—".into()),
            }),
        }
    };
    match rule {
        None => Ok(()),
        Some(rule) => Err(crate::Error::invalid(vec![crate::FieldError::new("month", rule)], labels)),
    }
}

/// The cumulative share that separates the vital few from the useful many.
pub const PARETO_CUT: f64 = 80.0;

/// The chart of `(code, count)`, each bar labelled with its code until named.
pub fn pareto(counts: impl IntoIterator<Item = (String, u32)>) -> Pareto {
    let mut bars: Vec<(String, u32)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: u32 = bars.iter().map(|(_, n)| n).sum();
    let mut running = 0;
    let mut reached = false;
    let bars = bars
        .into_iter()
        .map(|(code, count)| {
            running += count;
            let share = |n: u32| if total == 0 { 0.0 } else { f64::from(n) * 100.0 / f64::from(total) };
            // A bar is vital while the cut has not been reached before it.
            let vital = !reached;
            reached = reached || share(running) >= PARETO_CUT - 1e-9;
            ParetoBar {
                label: code.clone(),
                code,
                count,
                percent: share(count),
                cumulative: share(running),
                vital,
            }
        })
        .collect();
    Pareto { bars, total, uncategorised: 0 }
}

/// Why a point is out of statistical control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ControlRule {
    /// Above the upper or below the lower control limit.
    BeyondLimit,
    /// The eighth (or later) point in a row on the same side of the centre line.
    RunOfEight,
}

/// One point of a control chart with its limits (a p-chart's limits vary with the sample).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ControlPoint {
    pub label: String,
    pub value: f64,
    pub ucl: f64,
    pub lcl: f64,
    /// The sample size (p-chart), or 1.
    pub n: u32,
    pub rules: Vec<ControlRule>,
}

/// An individuals chart with its moving-range chart (XmR).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct XmrChart {
    pub centre: f64,
    pub ucl: f64,
    pub lcl: f64,
    pub points: Vec<ControlPoint>,
    /// Mean moving range and the moving-range chart's upper limit (3.267 × MR̄).
    pub mean_moving_range: f64,
    pub moving_range_ucl: f64,
    pub moving_ranges: Vec<f64>,
}

/// XmR constants: 3 / d2 with d2 = 1.128 for ranges of two, and D4 for n = 2.
pub const XMR_LIMIT: f64 = 2.66;
pub const MR_UCL: f64 = 3.267;
/// Points in a row on one side of the centre that signal a shift.
pub const RUN_LENGTH: usize = 8;

/// The XmR chart of `values` (at least two): centre = mean, limits = mean ± 2.66 × mean moving
/// range. With `floor_zero` the lower limit stops at zero (durations cannot be negative).
pub fn xmr(values: &[(String, f64)], floor_zero: bool) -> Option<XmrChart> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let centre = values.iter().map(|(_, v)| v).sum::<f64>() / n;
    let moving_ranges: Vec<f64> = values.windows(2).map(|w| (w[1].1 - w[0].1).abs()).collect();
    let mean_moving_range = moving_ranges.iter().sum::<f64>() / moving_ranges.len() as f64;
    let ucl = centre + XMR_LIMIT * mean_moving_range;
    let lcl = centre - XMR_LIMIT * mean_moving_range;
    let lcl = if floor_zero { lcl.max(0.0) } else { lcl };
    let mut points: Vec<ControlPoint> = values
        .iter()
        .map(|(label, value)| ControlPoint {
            label: label.clone(),
            value: *value,
            ucl,
            lcl,
            n: 1,
            rules: Vec::new(),
        })
        .collect();
    apply_rules(&mut points, centre);
    Some(XmrChart {
        centre,
        ucl,
        lcl,
        points,
        mean_moving_range,
        moving_range_ucl: MR_UCL * mean_moving_range,
        moving_ranges,
    })
}

/// A p-chart: the proportion of defective items per sample.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PChart {
    /// p̄ = total defectives ÷ total items.
    pub centre: f64,
    pub points: Vec<ControlPoint>,
}

/// The p-chart of samples `(label, items, defectives)`: limits p̄ ± 3·√(p̄(1−p̄)/n) per point,
/// clamped to 0–1. Samples without items are left out; `None` when nothing remains.
pub fn p_chart(samples: &[(String, u32, u32)]) -> Option<PChart> {
    let samples: Vec<&(String, u32, u32)> = samples.iter().filter(|(_, n, _)| *n > 0).collect();
    let items: u32 = samples.iter().map(|(_, n, _)| n).sum();
    if items == 0 {
        return None;
    }
    let defectives: u32 = samples.iter().map(|(_, _, d)| d).sum();
    let centre = f64::from(defectives) / f64::from(items);
    let mut points: Vec<ControlPoint> = samples
        .iter()
        .map(|(label, n, d)| {
            let sigma = (centre * (1.0 - centre) / f64::from(*n)).sqrt();
            ControlPoint {
                label: label.clone(),
                value: f64::from(*d) / f64::from(*n),
                ucl: (centre + 3.0 * sigma).min(1.0),
                lcl: (centre - 3.0 * sigma).max(0.0),
                n: *n,
                rules: Vec::new(),
            }
        })
        .collect();
    apply_rules(&mut points, centre);
    Some(PChart { centre, points })
}

/// Marks points beyond their limits, and every point from the eighth of a run on one side of
/// the centre line (a point on the line breaks the run).
fn apply_rules(points: &mut [ControlPoint], centre: f64) {
    let mut run = 0usize;
    let mut side = 0i8;
    for p in points.iter_mut() {
        if p.value > p.ucl || p.value < p.lcl {
            p.rules.push(ControlRule::BeyondLimit);
        }
        let here = if p.value > centre {
            1
        } else if p.value < centre {
            -1
        } else {
            0
        };
        run = if here != 0 && here == side { run + 1 } else { usize::from(here != 0) };
        side = here;
        if run >= RUN_LENGTH {
            p.rules.push(ControlRule::RunOfEight);
        }
    }
}

/// A reproducible random draw of `n` of `population` (without repetition), by `seed`: the same
/// population, size and seed give the same sample, on any machine. The population is sorted
/// first, so the order it was read in does not matter.
pub fn draw_sample(population: &[String], n: usize, seed: u64) -> Vec<String> {
    let mut pool: Vec<String> = population.to_vec();
    pool.sort();
    pool.dedup();
    let mut rng = SplitMix64(seed);
    let n = n.min(pool.len());
    // Partial Fisher–Yates: the first `n` places end up a uniform sample.
    for i in 0..n {
        let j = i + rng.below((pool.len() - i) as u64) as usize;
        pool.swap(i, j);
    }
    pool.truncate(n);
    pool
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever, which is what a
/// recorded seed needs — a library's generator may change between versions.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (rejection sampling, no modulo bias).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next();
            if x < zone {
                return x % bound;
            }
        }
    }
}

/// Mean and median of `values` (`None` when empty).
pub fn mean_median(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median =
        if sorted.len().is_multiple_of(2) { (sorted[mid - 1] + sorted[mid]) / 2.0 } else { sorted[mid] };
    Some((sorted.iter().sum::<f64>() / sorted.len() as f64, median))
}

/// How the quality forms (QA sample and review, period figures, monthly report) name their fields.
/// The first day of `month` (`2026-10`).
pub fn parse_month(month: &str) -> crate::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").map_err(|_| {
        crate::Error::invalid(vec![crate::FieldError::new("month", crate::error::Rule::InvalidDate)], labels)
    })
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "size" => ("样本量", "Sample size"),
        "seed" => ("随机种子", "Seed"),
        "from" => ("起始时间", "From"),
        "to" => ("截止时间", "To"),
        "month" => ("月份", "Month"),
        "at" => ("查询时间", "The time asked about"),
        "chart" => ("图表", "Chart"),
        "note" => ("复核说明", "Review note"),
        "outcome" => ("复核结论", "Outcome"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests;
