//! The monthly inspection report (巡检月报): planned vs done vs on time per plan, abnormal items by
//! category and asset, the incidents they became and where those stand, missed runs, the client
//! backup compliance table, and the trend charts of the key readings (vector, like the monthly
//! report's). Signed like the other documents.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::chart::control_chart;
use super::layout::{Column, GREY};
use super::{sign_off_table, RenderedReport, ReportFonts, SIGN_OFF_HEIGHT};
use crate::inspection::backups::Check;
use crate::inspection::figures::{MonthFigures, PlanMonth, Trend};
use crate::{Lang, Result};

pub struct InspectionInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    /// The first day of the month.
    pub month: NaiveDate,
    pub figures: &'a MonthFigures,
    /// The key readings' trends over the month, each with its control chart.
    pub trends: &'a [(String, Trend)],
    pub number: &'a str,
    pub revision: u32,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    pub signer: Option<(&'a str, &'a str)>,
    /// From the sample sandbox: every page says so.
    pub sample: bool,
}

/// The report number of a month: `IR-2026-11`.
pub fn inspection_number(month: NaiveDate) -> String {
    format!("IR-{}-{:02}", month.year(), month.month())
}

pub fn inspection_report_pdf(input: &InspectionInput, fonts: &ReportFonts) -> Result<RenderedReport> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let f = input.figures;
    let title = match lang {
        Lang::ZhCn => format!("巡检月报 {} 年 {} 月", input.month.year(), input.month.month()),
        Lang::En => format!("Monthly inspection report, {}", input.month.format("%B %Y")),
    };
    let closing = super::Closing {
        number: input.number,
        revision: input.revision,
        subject: &title,
        title: &title,
        organisation: input.organisation,
        generated_at: input.generated_at,
        lang,
        sample: input.sample,
    };
    let (doc, mut pages) = super::open(fonts, &closing, input.logo)?;

    // 1. Runs per plan.
    pages.heading(tr("一、巡检完成情况", "1. Inspections done"));
    if f.plans.is_empty() {
        pages.paragraph(tr("本月没有巡检任务。", "No inspection was due this month."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("巡检计划", "Plan").into(), width: 34.0 },
            Column { header: tr("应检", "Due").into(), width: 11.0 },
            Column { header: tr("已完成", "Done").into(), width: 11.0 },
            Column { header: tr("按时", "On time").into(), width: 11.0 },
            Column { header: tr("完成率", "Done %").into(), width: 11.0 },
            Column { header: tr("错过", "Missed").into(), width: 11.0 },
            Column { header: tr("异常项", "Abnormal").into(), width: 11.0 },
        ];
        let row = |p: &PlanMonth| {
            let rate = if p.planned == 0 {
                "—".to_owned()
            } else {
                format!("{:.0}%", f64::from(p.done) * 100.0 / f64::from(p.planned))
            };
            vec![
                p.name.clone(),
                p.planned.to_string(),
                p.done.to_string(),
                p.on_time.to_string(),
                rate,
                p.missed.to_string(),
                p.abnormal.to_string(),
            ]
        };
        let mut rows: Vec<Vec<String>> = f.plans.iter().map(row).collect();
        rows.push(row(&f.total));
        pages.table(&columns, &rows, 9.0);
    }

    // 2. Abnormal items.
    pages.heading(tr("二、异常项", "2. Abnormal items"));
    if f.by_category.is_empty() {
        pages.paragraph(tr("本月巡检未发现异常。", "No abnormal reading this month."), 9.5, false, GREY);
    } else {
        let half = [
            Column { header: tr("类别", "Category").into(), width: 35.0 },
            Column { header: tr("异常项数", "Abnormal").into(), width: 15.0 },
        ];
        let rows: Vec<Vec<String>> =
            f.by_category.iter().map(|c| vec![c.name.clone(), c.count.to_string()]).collect();
        pages.table(&half, &rows, 9.0);
        let by_asset = [
            Column { header: tr("资产", "Asset").into(), width: 35.0 },
            Column { header: tr("异常项数", "Abnormal").into(), width: 15.0 },
        ];
        let rows: Vec<Vec<String>> =
            f.by_asset.iter().map(|c| vec![c.name.clone(), c.count.to_string()]).collect();
        pages.table(&by_asset, &rows, 9.0);
    }

    // 3. Incidents raised.
    pages.heading(tr("三、异常转故障", "3. Incidents raised from inspections"));
    if f.incidents.is_empty() {
        pages.paragraph(
            tr("本月没有由巡检转为故障的异常。", "No abnormal reading became an incident."),
            9.5,
            false,
            GREY,
        );
    } else {
        let columns = [
            Column { header: tr("故障编号", "Incident").into(), width: 20.0 },
            Column { header: tr("巡检计划", "Plan").into(), width: 26.0 },
            Column { header: tr("日期", "Date").into(), width: 14.0 },
            Column { header: tr("检查项", "Item").into(), width: 26.0 },
            Column { header: tr("状态", "Status").into(), width: 14.0 },
        ];
        let rows: Vec<Vec<String>> = f
            .incidents
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.plan_name.clone(),
                    r.due_date.to_string(),
                    r.item.clone(),
                    r.status.clone(),
                ]
            })
            .collect();
        pages.table(&columns, &rows, 8.5);
    }

    // 4. Missed runs.
    pages.heading(tr("四、未按期完成（已错过）的巡检", "4. Missed runs"));
    if f.missed.is_empty() {
        pages.paragraph(tr("本月没有错过的巡检。", "No run was missed."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("巡检计划", "Plan").into(), width: 30.0 },
            Column { header: tr("次数", "Runs").into(), width: 10.0 },
            Column { header: tr("日期", "Dates").into(), width: 60.0 },
        ];
        let mut plans: Vec<(&str, Vec<NaiveDate>)> = Vec::new();
        for m in &f.missed {
            match plans.iter_mut().find(|(name, _)| *name == m.plan_name) {
                Some((_, dates)) => dates.push(m.due_date),
                None => plans.push((&m.plan_name, vec![m.due_date])),
            }
        }
        let rows: Vec<Vec<String>> = plans
            .into_iter()
            .map(|(name, dates)| vec![name.to_owned(), dates.len().to_string(), date_ranges(&dates, lang)])
            .collect();
        pages.table(&columns, &rows, 8.5);
    }

    // 5. Client backups.
    pages.heading(tr("五、客户系统备份", "5. Client system backups"));
    let b = &f.backups;
    let check = |c: Check| c.name(lang).to_owned();
    let weeks: Vec<String> =
        b.weeks.iter().map(|w| format!("{} {}", w.week, w.incremental.name(lang))).collect();
    let columns = [
        Column { header: tr("要求", "Requirement").into(), width: 45.0 },
        Column { header: tr("结果", "Result").into(), width: 55.0 },
    ];
    let rows = vec![
        vec![tr("每月全量备份", "Monthly full backup").into(), check(b.full)],
        vec![tr("全量备份异机存放", "Full backup copied off the server").into(), check(b.off_server)],
        vec![tr("每周增量备份", "Weekly incremental backups").into(), weeks.join(lang.pick("；", "; "))],
        vec![tr("本季度恢复测试", "Restore test this quarter").into(), check(b.restore_test)],
        vec![
            tr("结论", "Conclusion").into(),
            if b.compliant {
                tr("符合备份要求", "Meets the backup plan").into()
            } else {
                tr("不符合备份要求", "Does not meet the backup plan").into()
            },
        ],
    ];
    pages.table(&columns, &rows, 9.0);

    // 6. Trends.
    pages.heading(tr("六、关键读数趋势", "6. Key readings"));
    if input.trends.is_empty() {
        pages.paragraph(
            tr("本月数值读数不足两次，无法绘制趋势。", "Fewer than two readings: no trend."),
            9.5,
            false,
            GREY,
        );
    }
    for (plan, trend) in input.trends {
        let Some(chart) = &trend.chart else { continue };
        let caption = match (lang, trend.unit.is_empty()) {
            (Lang::ZhCn, false) => format!("{plan}：{}（{}，XmR 控制图）", trend.title, trend.unit),
            (Lang::ZhCn, true) => format!("{plan}：{}（XmR 控制图）", trend.title),
            (Lang::En, false) => format!("{plan}: {} ({}, XmR)", trend.title, trend.unit),
            (Lang::En, true) => format!("{plan}: {} (XmR)", trend.title),
        };
        control_chart(&mut pages, &caption, &chart.points, chart.centre, 1.0, 38.0);
        let mut notes = Vec::new();
        let range = crate::inspection::template::range_text(&crate::inspection::Answer::Number {
            unit: trend.unit.clone(),
            min: trend.min,
            max: trend.max,
        });
        if !range.is_empty() {
            notes.push(match lang {
                Lang::ZhCn => format!("正常范围 {range}"),
                Lang::En => format!("normal {range}"),
            });
        }
        notes.push(match lang {
            Lang::ZhCn => format!("均值 {:.1}，控制限 {:.1}–{:.1}", chart.centre, chart.lcl, chart.ucl),
            Lang::En => format!("mean {:.1}, limits {:.1}–{:.1}", chart.centre, chart.lcl, chart.ucl),
        });
        let abnormal = trend.abnormal.iter().filter(|a| **a).count();
        if abnormal > 0 {
            notes.push(match lang {
                Lang::ZhCn => format!("超出正常范围 {abnormal} 次"),
                Lang::En => format!("{abnormal} outside the normal range"),
            });
        }
        if !trend.bursts.is_empty() {
            let days: Vec<String> = trend.bursts.iter().map(|d| d.format("%m-%d").to_string()).collect();
            notes.push(match lang {
                Lang::ZhCn => format!("突增：{}", days.join("、")),
                Lang::En => format!("bursts: {}", days.join(", ")),
            });
        }
        pages.paragraph(&notes.join(lang.pick("；", "; ")), 8.5, false, GREY);
    }

    // 7. Sign-off.
    pages.ensure(SIGN_OFF_HEIGHT);
    pages.heading(tr("七、签字确认", "7. Sign-off"));
    let roles = [
        (tr("编制", "Prepared by"), tr("实施部", "Implementation")),
        (tr("审核", "Reviewed by"), tr("项目经理", "Project manager")),
        (tr("批准", "Approved by"), tr("客户方", "Client")),
    ];
    sign_off_table(&mut pages, &roles, lang);
    let stamp = super::stamp(&mut pages, input.signer, input.generated_at, tr("本月报", "this report"), lang);
    super::close(doc, pages, &closing, stamp)
}

/// Dates as runs of consecutive days: `11-04、11-07–11-29`.
fn date_ranges(dates: &[NaiveDate], lang: Lang) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in dates {
        match runs.last_mut() {
            Some((_, end)) if *end + chrono::Duration::days(1) == d => *end = d,
            _ => runs.push((d, d)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            if a == b {
                a.format("%m-%d").to_string()
            } else {
                format!("{}–{}", a.format("%m-%d"), b.format("%m-%d"))
            }
        })
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_as_runs_of_days() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let dates = [d(4), d(7), d(8), d(9), d(12)];
        assert_eq!(date_ranges(&dates, Lang::ZhCn), "11-04、11-07–11-09、11-12");
        assert_eq!(date_ranges(&[], Lang::En), "");
    }
}
