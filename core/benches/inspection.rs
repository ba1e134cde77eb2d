//! Routine service over a year: 10 daily plans of 20 items each (≈ 73,000 item results). Run:
//! `cargo bench --workspace --bench inspection`.
//!
//! The store is filled as a team fills it: each day's runs generated, then every run's readings
//! saved and submitted through the service (audit trail and all). Measured on it:
//! *month figures* (planned/done/on time per plan, abnormal items by category and asset,
//! incidents raised, missed runs, backup compliance) for one month — target < 100 ms;
//! *inspection report* (the 巡检月报 rendered, unsigned) — target < 300 ms;
//! *trend* (one item over the year with its XmR chart) — target < 20 ms.
//! *Baseline*, same run: reading the month's answers (`results_between`), the floor of the figures.

use std::hint::black_box;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::app::inspection::{generate, month_figures, save_plan, save_run, save_template, trend};
use yunwei_core::inspection::template::{Answer, ItemForm, TemplateForm};
use yunwei_core::inspection::{local_instant, PlanForm, Recurrence, ResultForm, RunForm};
use yunwei_core::store::inspection::RunQuery;
use yunwei_core::store::Store;
use yunwei_core::Lang;

const PLANS: usize = 10;
const ITEMS: usize = 20;

fn year_of_inspections() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let made = Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).single().expect("instant");
    let mut store = Store::open(&dir.path().join("yunwei.db"), made).expect("store");
    let categories = ["server", "database", "logs", "network", "backup", "application"];
    let items: Vec<ItemForm> = (0..ITEMS)
        .map(|i| ItemForm {
            key: format!("k{i:02}"),
            category: categories[i % categories.len()].into(),
            title: format!("检查项 {i}"),
            answer: if i % 4 == 3 {
                Answer::PassFail
            } else {
                Answer::Number { unit: "%".into(), min: Some(10.0), max: Some(90.0) }
            },
            ..Default::default()
        })
        .collect();
    let form = TemplateForm { name: "二十项巡检".into(), description: String::new(), items };
    let template = save_template(&mut store, None, &form, Lang::ZhCn, made).expect("template");
    let mut first_plan = String::new();
    for p in 0..PLANS {
        let plan = PlanForm {
            name: format!("巡检计划 {p:02}"),
            template_id: template.id.clone(),
            recurrence: Recurrence::Daily,
            first_date: start.to_string(),
            ..Default::default()
        };
        let saved = save_plan(&mut store, None, &plan, Lang::ZhCn, made).expect("plan");
        if p == 0 {
            first_plan = saved.id;
        }
    }
    for d in 0..365 {
        let day = start + Duration::days(d);
        let morning = local_instant(day, NaiveTime::from_hms_opt(8, 0, 0).expect("time"));
        generate(&mut store, Lang::ZhCn, morning).expect("generate");
        let runs = store
            .inspection_runs(&RunQuery { from: Some(day), to: Some(day), ..Default::default() })
            .expect("runs");
        for (r, run) in runs.iter().enumerate() {
            // A few runs a month are missed; a value now and then is out of range.
            if (d as usize + r) % 37 == 5 {
                continue;
            }
            let results = (0..ITEMS)
                .map(|i| ResultForm {
                    key: format!("k{i:02}"),
                    value: if i % 4 == 3 {
                        if (d as usize + i).is_multiple_of(97) { "fail" } else { "pass" }.into()
                    } else {
                        (50 + ((d as usize * 7 + i * 13 + r) % 45)).to_string()
                    },
                    ..Default::default()
                })
                .collect();
            let at = run.due_at - Duration::minutes(30);
            save_run(&mut store, &run.id, &RunForm { results, note: String::new() }, true, Lang::ZhCn, at)
                .expect("run");
        }
    }
    (dir, store, first_plan)
}

fn benches(c: &mut Criterion) {
    let (_dir, store, plan) = year_of_inspections();
    let now = Utc.with_ymd_and_hms(2027, 1, 2, 0, 0, 0).single().expect("instant");
    let first = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let last = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let figures = month_figures(&store, first, Lang::ZhCn, now).expect("figures");
    assert!(figures.total.planned >= 300, "{:?}", figures.total);
    let mut group = c.benchmark_group("inspection");
    group.sample_size(20);
    group.bench_function("month figures", |b| {
        b.iter(|| black_box(month_figures(&store, first, Lang::ZhCn, now).expect("figures")))
    });
    group.bench_function("baseline: the month's answers", |b| {
        b.iter(|| black_box(store.results_between(first, last).expect("answers")))
    });
    group.bench_function("inspection report (unsigned)", |b| {
        b.iter(|| {
            black_box(
                yunwei_core::app::documents::preview_inspection_report(&store, first, Lang::ZhCn, now)
                    .expect("report"),
            )
        })
    });
    let year = (
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
    );
    group.bench_function("trend of one item over the year", |b| {
        b.iter(|| black_box(trend(&store, &plan, "k00", year.0, year.1, Lang::ZhCn).expect("trend")))
    });
    group.finish();
}

criterion_group!(inspection, benches);
criterion_main!(inspection);
