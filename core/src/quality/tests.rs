use super::*;

fn labelled(values: &[f64]) -> Vec<(String, f64)> {
    values.iter().enumerate().map(|(i, v)| (format!("{}", i + 1), *v)).collect()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn pareto_sorts_descending_accumulates_and_names_the_vital_few() {
    let counts = [("网络", 10), ("数据库", 30), ("应用", 40), ("硬件", 5), ("账号权限", 15), ("其他", 0)];
    let p = pareto(counts.iter().map(|(l, n)| ((*l).to_owned(), *n)));
    let labels: Vec<&str> = p.bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        ["应用", "数据库", "账号权限", "网络", "硬件"],
        "largest first; empty causes left out"
    );
    let cumulative: Vec<f64> = p.bars.iter().map(|b| b.cumulative).collect();
    assert_eq!(cumulative, [40.0, 70.0, 85.0, 95.0, 100.0]);
    let vital: Vec<bool> = p.bars.iter().map(|b| b.vital).collect();
    assert_eq!(vital, [true, true, true, false, false], "the causes that together first reach 80 %");
    assert_eq!(p.total, 100);
    // Ties go by label, so the chart does not reorder between runs.
    let tied = pareto([("b".to_owned(), 2), ("a".to_owned(), 2)]);
    assert_eq!(tied.bars[0].label, "a");
    assert!(pareto(Vec::new()).bars.is_empty());
}

/// Montgomery, *Introduction to Statistical Quality Control*, the aircraft-primer viscosity
/// example of the individuals chart: x̄ = 33.52, MR̄ = 0.48, limits 32.24–34.80, MR UCL 1.57.
#[test]
fn xmr_limits_match_the_textbook_viscosity_example() {
    let viscosity = [
        33.75, 33.05, 34.00, 33.81, 33.46, 34.02, 33.68, 33.27, 33.49, 33.20, 33.62, 33.00, 33.54, 33.12,
        33.84,
    ];
    let chart = xmr(&labelled(&viscosity), false).unwrap();
    assert!(close(chart.centre, 33.52, 0.005), "{}", chart.centre);
    assert!(close(chart.mean_moving_range, 0.48, 0.005), "{}", chart.mean_moving_range);
    assert!(close(chart.ucl, 34.80, 0.005), "{}", chart.ucl);
    assert!(close(chart.lcl, 32.24, 0.005), "{}", chart.lcl);
    assert!(close(chart.moving_range_ucl, 1.57, 0.005), "{}", chart.moving_range_ucl);
    assert!(chart.points.iter().all(|p| p.rules.is_empty()), "the process is in control");
    assert!(xmr(&labelled(&[1.0]), false).is_none(), "one value has no moving range");
}

/// Montgomery's orange-juice cans (p-chart, 30 samples of 50): p̄ = 347/1500 = 0.2313, limits
/// 0.0524–0.4102; samples 15 (22/50) and 23 (24/50) lie above the upper limit.
#[test]
fn p_chart_limits_and_points_beyond_them_match_the_textbook_example() {
    let defectives = [
        12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13,
        9, 6,
    ];
    let samples: Vec<(String, u32, u32)> =
        defectives.iter().enumerate().map(|(i, d)| (format!("{}", i + 1), 50, *d)).collect();
    let chart = p_chart(&samples).unwrap();
    assert!(close(chart.centre, 0.2313, 0.00005), "{}", chart.centre);
    assert!(close(chart.points[0].ucl, 0.4102, 0.00005), "{}", chart.points[0].ucl);
    assert!(close(chart.points[0].lcl, 0.0524, 0.00005), "{}", chart.points[0].lcl);
    let beyond: Vec<&str> = chart
        .points
        .iter()
        .filter(|p| p.rules.contains(&ControlRule::BeyondLimit))
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(beyond, ["15", "23"]);
    // Smaller samples get wider limits; empty weeks are left out.
    let uneven = p_chart(&[("a".into(), 100, 10), ("b".into(), 25, 5), ("c".into(), 0, 0)]).unwrap();
    assert_eq!(uneven.points.len(), 2);
    assert!(uneven.points[1].ucl - uneven.points[1].lcl > uneven.points[0].ucl - uneven.points[0].lcl);
    assert!(p_chart(&[("x".into(), 0, 0)]).is_none());
}

#[test]
fn eight_in_a_row_on_one_side_is_flagged_from_the_eighth_point() {
    // Centre 100 (whole numbers, so the mean is exact): seven above, one on the line (it breaks
    // the run), nine below, and a last point that brings the mean back to 100. Limits
    // 100 ± 2.66 × 7.35: every point inside them.
    let values = [
        105.0, 115.0, 108.0, 112.0, 106.0, 114.0, 109.0, 100.0, 95.0, 86.0, 92.0, 88.0, 94.0, 85.0, 91.0,
        89.0, 93.0, 118.0,
    ];
    let chart = xmr(&labelled(&values), false).unwrap();
    assert_eq!(chart.centre, 100.0);
    let run: Vec<usize> = chart
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.rules.contains(&ControlRule::RunOfEight))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(run, [16, 17], "points 9–17 are below: the 8th and 9th of that run");
    assert!(chart.points.iter().all(|p| !p.rules.contains(&ControlRule::BeyondLimit)));
    assert!(close(chart.ucl, 119.56, 0.01) && close(chart.lcl, 80.44, 0.01), "{} {}", chart.lcl, chart.ucl);
}

#[test]
fn a_duration_chart_never_goes_below_zero() {
    let chart = xmr(&labelled(&[1.0, 9.0, 1.0, 9.0]), true).unwrap();
    assert_eq!(chart.lcl, 0.0);
}

#[test]
fn the_same_seed_draws_the_same_sample_in_any_order() {
    let population: Vec<String> = (1..=200).map(|i| format!("INC-2026-{i:04}")).collect();
    let first = draw_sample(&population, 10, 20_261_128);
    let mut reversed = population.clone();
    reversed.reverse();
    assert_eq!(draw_sample(&reversed, 10, 20_261_128), first, "reproducible from the seed alone");
    assert_ne!(draw_sample(&population, 10, 7), first, "another seed, another sample");
    let mut unique = first.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10, "no incident twice");
    assert_eq!(draw_sample(&population[..3], 10, 1).len(), 3, "a small period gives all it has");
    // Pinned (computed by an independent SplitMix64 + Fisher–Yates in Python): the generator must
    // never change, or recorded seeds would draw other samples.
    assert_eq!(first[..4], ["INC-2026-0132", "INC-2026-0024", "INC-2026-0167", "INC-2026-0094"]);
}

#[test]
fn mean_and_median_of_odd_and_even_counts() {
    assert_eq!(mean_median(&[3.0, 1.0, 2.0]), Some((2.0, 2.0)));
    assert_eq!(mean_median(&[4.0, 1.0, 2.0, 3.0]), Some((2.5, 2.5)));
    assert_eq!(mean_median(&[]), None);
}

#[test]
fn a_monthly_report_is_for_a_month_that_has_begun_and_has_records() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let today = d(2026, 12, 4);
    let begins = Some(d(2026, 3, 15));
    assert!(check_report_month(d(2026, 11, 1), today, begins).is_ok());
    assert!(check_report_month(d(2026, 12, 1), today, begins).is_ok(), "the month under way");
    assert!(check_report_month(d(2026, 3, 1), today, begins).is_ok(), "the month the records begin");
    let code = |first| check_report_month(first, today, begins).unwrap_err().fields()[0].code();
    assert_eq!(code(d(2030, 1, 1)), "in_future");
    assert_eq!(code(d(2027, 1, 1)), "in_future");
    assert_eq!(code(d(1999, 12, 1)), "before_records");
    assert_eq!(code(d(2026, 2, 1)), "before_records");
    let nothing = check_report_month(d(2026, 11, 1), today, None).unwrap_err();
    assert_eq!(nothing.fields()[0].code(), "before_records", "no records, nothing to report");
}
