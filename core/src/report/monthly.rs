//! The monthly service report (运维月报) for leadership: the month's KPIs, SLA compliance by
//! milestone and level, the Pareto and control charts drawn as vector graphics, the level I/II
//! incidents with their outcomes, training delivered, open risks, and a sign-off block. Signed
//! like incident reports.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::chart::{control_chart, pareto_chart};
use super::layout::{self, Column, Pages, GREY};
use super::{sign_off_table, RenderedReport, ReportFonts, SIGN_OFF_HEIGHT};
use crate::i18n::format_service_time;
use crate::incident::Level;
use crate::quality::monthly::{unnamed_major, LevelTally, MajorList, MAJOR_NAMED};
use crate::quality::PeriodStats;
use crate::quality::{PChart, Pareto, XmrChart};
use crate::sla::{format_duration, MilestoneKind};
use crate::{Lang, Result};

/// A level I or II incident of the month and how it ended.
pub struct MajorIncident {
    pub number: String,
    pub title: String,
    pub level: Level,
    pub reported_at: DateTime<Utc>,
    pub status: String,
    pub outcome: String,
}

pub struct MonthlyInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    /// The first day of the month.
    pub month: NaiveDate,
    pub stats: &'a PeriodStats,
    pub pareto: &'a Pareto,
    pub resolution: Option<&'a XmrChart>,
    pub breaches: Option<&'a PChart>,
    /// The level I and II incidents of the month, counted by level.
    pub tally: &'a [LevelTally],
    /// The first of them (most severe first, then oldest), or all of them for the appendix.
    pub major: &'a [MajorIncident],
    pub list: MajorList,
    /// Date, session, audience, trainer, attendance — one row per session held.
    pub training: &'a [Vec<String>],
    /// The month's routine service (inspections and the client's backups).
    pub routine: &'a crate::inspection::figures::MonthFigures,
    /// The follow-up calls (回访) of the month.
    pub satisfaction: &'a crate::followup::Satisfaction,
    /// QA sampling and corrective actions of the month.
    pub qa: &'a crate::corrective::QaFigures,
    /// One line per open risk.
    pub risks: &'a [String],
    pub number: &'a str,
    pub revision: u32,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    pub signer: Option<(&'a str, &'a str)>,
    /// From the sample sandbox: every page says so.
    pub sample: bool,
}

/// The report number of a month: `MR-2026-10`.
pub fn monthly_number(month: NaiveDate) -> String {
    format!("MR-{}-{:02}", month.year(), month.month())
}

pub fn monthly_report_pdf(input: &MonthlyInput, fonts: &ReportFonts) -> Result<RenderedReport> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = input.stats;
    let title = match lang {
        Lang::ZhCn => format!("运维服务月报 {} 年 {} 月", input.month.year(), input.month.month()),
        Lang::En => format!("Monthly service report, {}", input.month.format("%B %Y")),
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
    let none = "—".to_owned();
    let percent = |p: Option<f64>| p.map_or_else(|| none.clone(), |p| format!("{p:.1}%"));
    let duration = |seconds: Option<f64>| {
        seconds.map_or_else(|| none.clone(), |s| format_duration(chrono::Duration::seconds(s as i64), lang))
    };
    // "text（aside）" in Chinese, "text (aside)" in English.
    let aside = |text: String, note: String| match lang {
        Lang::ZhCn => format!("{text}（{note}）"),
        Lang::En => format!("{text} ({note})"),
    };
    let levels = |counts: &crate::level::LevelCounts| {
        counts.iter().map(|(l, n)| format!("{} {n}", l.code())).collect::<Vec<_>>().join(" · ")
    };

    // 1. KPIs.
    pages.heading(tr("一、关键指标", "1. Key figures"));
    let (opened, resolved) = (s.opened.total(), s.resolved.total());
    let all_times = |list: &[crate::quality::LevelTimes]| {
        let (n, total) = list
            .iter()
            .filter_map(|t| t.mean_seconds.map(|m| (t.count, m * f64::from(t.count))))
            .fold((0u32, 0.0), |(n, sum), (c, s)| (n + c, sum + s));
        (n > 0).then(|| total / f64::from(n))
    };
    let attendance = s.training_attendance.map_or_else(|| none.clone(), |a| format!("{:.0}%", a * 100.0));
    let kpis = [
        (tr("新增故障", "Incidents opened"), aside(opened.to_string(), levels(&s.opened))),
        (tr("解决故障", "Incidents resolved"), aside(resolved.to_string(), levels(&s.resolved))),
        (tr("SLA 达标率", "SLA compliance"), percent(s.overall_compliance)),
        (tr("平均响应时间（MTTA）", "Mean time to respond"), duration(all_times(&s.response))),
        (tr("平均解决时间（MTTR）", "Mean time to resolve"), duration(all_times(&s.resolution))),
        (
            tr("月末积压（<1 天 / 1–3 / 3–7 / >7 天）", "Backlog at month end (<1 d / 1–3 / 3–7 / >7 d)"),
            s.backlog.iter().map(u32::to_string).collect::<Vec<_>>().join(" / "),
        ),
        (
            tr("培训（已举办 / 计划，出勤率）", "Training (held / planned, attendance)"),
            format!("{} / {}{}{attendance}", s.training_held, s.training_planned, lang.pick("，", ", ")),
        ),
    ];
    let columns =
        [Column { header: String::new(), width: 40.0 }, Column { header: String::new(), width: 60.0 }];
    let rows: Vec<Vec<String>> = kpis.iter().map(|(k, v)| vec![(*k).to_owned(), v.clone()]).collect();
    pages.table(&columns, &rows, 9.5);

    // 2. SLA compliance.
    pages.heading(tr("二、SLA 达标情况（按时完成 ÷ 本月到期）", "2. SLA compliance (met on time ÷ due)"));
    let mut columns = vec![Column { header: tr("时限", "Milestone").into(), width: 24.0 }];
    columns.extend(
        Level::ALL.iter().map(|l| Column { header: format!("{} {}", l.code(), tr("级", "")), width: 19.0 }),
    );
    let rows: Vec<Vec<String>> = MilestoneKind::ALL
        .iter()
        .filter(|k| s.compliance.iter().any(|c| c.kind == **k && c.due > 0))
        .map(|k| {
            // The labels are lower case for sentences; a table row starts with a capital.
            let mut chars = k.label(lang).chars();
            let label = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str());
            let mut row = vec![label.unwrap_or_default()];
            row.extend(Level::ALL.iter().map(|l| {
                s.compliance.iter().find(|c| c.kind == *k && c.level == *l && c.due > 0).map_or_else(
                    || none.clone(),
                    |c| format!("{}（{}/{}）", percent(c.percent), c.met, c.due),
                )
            }));
            row
        })
        .collect();
    if rows.is_empty() {
        pages.paragraph(tr("本月没有到期的时限。", "Nothing was due this month."), 9.5, false, GREY);
    } else {
        pages.table(&columns, &rows, 9.0);
    }

    // 3. Quality control charts.
    pages.heading(tr("三、质量控制", "3. Quality control"));
    let pareto_caption = tr("帕雷托图：故障原因", "Pareto chart of causes");
    if input.pareto.bars.is_empty() {
        pages.paragraph(pareto_caption, 9.5, true, GREY);
        pages.paragraph(
            tr("本月没有已解决并提交报告的故障。", "No incident was resolved and reported."),
            9.0,
            false,
            GREY,
        );
    } else {
        pareto_chart(&mut pages, pareto_caption, input.pareto, 45.0);
        let vital: Vec<&str> =
            input.pareto.bars.iter().filter(|b| b.vital).map(|b| b.label.as_str()).collect();
        let line = match lang {
            Lang::ZhCn => format!("关键少数（累计达 80%）：{}", vital.join("、")),
            Lang::En => format!("The vital few (80 % together): {}", vital.join(", ")),
        };
        pages.paragraph(&line, 9.0, false, GREY);
    }
    if input.pareto.uncategorised > 0 {
        let n = input.pareto.uncategorised;
        let line = match lang {
            Lang::ZhCn => format!("另有 {n} 件故障的报告未归入原因分类，未计入上图。"),
            Lang::En => {
                format!("{n} more reported incidents name no cause category and are not in the chart.")
            }
        };
        pages.paragraph(&line, 9.0, false, GREY);
    }
    let xmr_caption = tr(
        "控制图：解决时长（小时，XmR，不含暂停）",
        "Control chart: resolution time (hours, XmR, pauses excluded)",
    );
    match input.resolution {
        Some(x) => {
            control_chart(&mut pages, xmr_caption, &x.points, x.centre, 1.0, 45.0);
            pages.paragraph(&control_summary(&x.points, x.centre, x.ucl, x.lcl, 1.0, lang), 9.0, false, GREY);
        }
        None => {
            pages.paragraph(xmr_caption, 9.5, true, GREY);
            pages.paragraph(
                tr("已解决的故障不足两件。", "Fewer than two incidents were resolved."),
                9.0,
                false,
                GREY,
            );
        }
    }
    let p_caption = tr(
        "控制图：每周 SLA 超时比例（%，p 图）",
        "Control chart: weekly share of SLA breaches (%, p-chart)",
    );
    match input.breaches {
        Some(p) => {
            control_chart(&mut pages, p_caption, &p.points, p.centre, 100.0, 40.0);
            let (ucl, lcl) = p.points.first().map_or((0.0, 0.0), |x| (x.ucl, x.lcl));
            pages.paragraph(&control_summary(&p.points, p.centre, ucl, lcl, 100.0, lang), 9.0, false, GREY);
        }
        None => {
            pages.paragraph(p_caption, 9.5, true, GREY);
            pages.paragraph(tr("本月还没有结束的整周。", "No whole week has ended yet."), 9.0, false, GREY);
        }
    }

    for line in input.qa.lines(lang) {
        pages.paragraph(&line, 9.5, false, layout::BLACK);
    }

    // 4. Level I/II incidents: counted by level, the first named, the rest pointed to.
    pages.heading(tr("四、I 级、II 级故障", "4. Level I and II incidents"));
    let named = &input.major[..input.major.len().min(MAJOR_NAMED as usize)];
    if input.tally.is_empty() {
        pages.paragraph(
            tr("本月没有 I 级、II 级故障。", "No level I or II incident this month."),
            9.5,
            false,
            GREY,
        );
    } else {
        let columns = [
            Column { header: tr("级别", "Level").into(), width: 20.0 },
            Column { header: tr("涉及", "In all").into(), width: 20.0 },
            Column { header: tr("本月报告", "Reported").into(), width: 20.0 },
            Column { header: tr("本月解决", "Resolved").into(), width: 20.0 },
            Column { header: tr("尚未解决", "Unresolved").into(), width: 20.0 },
        ];
        let rows: Vec<Vec<String>> = input
            .tally
            .iter()
            .map(|t| {
                let level = match lang {
                    Lang::ZhCn => format!("{} 级", t.level.code()),
                    Lang::En => format!("Level {}", t.level.code()),
                };
                let counts = [t.touching, t.reported, t.resolved, t.unresolved];
                std::iter::once(level).chain(counts.iter().map(u32::to_string)).collect()
            })
            .collect();
        pages.table(&columns, &rows, 8.5);
        let more = unnamed_major(input.tally, named.len(), input.list, lang);
        if more.is_some() {
            let first = match lang {
                Lang::ZhCn => format!("按级别、报告时间排列的前 {} 件：", named.len()),
                Lang::En => format!("The first {}, by level and time reported:", named.len()),
            };
            pages.paragraph(&first, 9.0, false, GREY);
        }
        pages.table(&major_columns(lang), &major_rows(named), 8.5);
        if let Some(more) = more {
            pages.paragraph(&more, 9.0, false, GREY);
        }
    }

    // 5. Training.
    pages.heading(tr("五、培训", "5. Training"));
    if input.training.is_empty() {
        pages.paragraph(tr("本月没有举办培训。", "No training session was held."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("日期", "Date").into(), width: 14.0 },
            Column { header: tr("课程", "Session").into(), width: 34.0 },
            Column { header: tr("培训对象", "Audience").into(), width: 20.0 },
            Column { header: tr("培训人", "Trainer").into(), width: 14.0 },
            Column { header: tr("出勤", "Attendance").into(), width: 18.0 },
        ];
        pages.table(&columns, input.training, 8.5);
    }

    // 6. Routine service.
    pages.heading(tr("六、例行运维（巡检与备份）", "6. Routine service (inspections and backups)"));
    routine_section(&mut pages, input.routine, lang);

    // 7. Follow-up.
    pages.heading(tr("七、客户回访", "7. Customer follow-up"));
    satisfaction_section(&mut pages, input.satisfaction, lang);

    // 8. Open risks.
    pages.heading(tr("八、风险与待办", "8. Open risks"));
    if input.risks.is_empty() {
        pages.paragraph(tr("没有未处理的风险。", "No open risk."), 9.5, false, GREY);
    }
    for risk in input.risks {
        pages.paragraph(&format!("• {risk}"), 9.0, false, layout::BLACK);
    }

    // 9. Sign-off.
    pages.ensure(SIGN_OFF_HEIGHT);
    pages.heading(tr("九、签字确认", "9. Sign-off"));
    let roles = [
        (tr("编制", "Prepared by"), tr("质量管理部", "Quality management")),
        (tr("审核", "Reviewed by"), tr("项目经理", "Project manager")),
        (tr("批准", "Approved by"), tr("客户方", "Client")),
    ];
    sign_off_table(&mut pages, &roles, lang);
    let stamp = super::stamp(&mut pages, input.signer, input.generated_at, tr("本月报", "this report"), lang);

    // Appendix, on request: every level I and II incident of the month.
    if input.list == MajorList::Full && input.major.len() > named.len() {
        pages.heading(tr("附录：I 级、II 级故障完整清单", "Appendix: every level I and II incident"));
        pages.table(&major_columns(lang), &major_rows(input.major), 8.5);
    }

    super::close(doc, pages, &closing, stamp)
}

/// The month's follow-up calls: how many, the mean rating, by level, and the unhappy cases.
fn satisfaction_section(pages: &mut Pages, s: &crate::followup::Satisfaction, lang: Lang) {
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let Some(mean) = s.mean else {
        pages.paragraph(tr("本月没有回访记录。", "No follow-up call this month."), 9.5, false, GREY);
        return;
    };
    let line = match lang {
        Lang::ZhCn => format!("回访 {} 件，平均满意度 {mean:.1} / 5。", s.calls),
        Lang::En => format!("{} incidents followed up, mean satisfaction {mean:.1} / 5.", s.calls),
    };
    pages.paragraph(&line, 9.5, false, layout::BLACK);
    let columns = [
        Column { header: tr("级别", "Level").into(), width: 30.0 },
        Column { header: tr("回访", "Calls").into(), width: 30.0 },
        Column { header: tr("平均满意度", "Mean").into(), width: 40.0 },
    ];
    let rows: Vec<Vec<String>> = s
        .by_level
        .iter()
        .filter(|l| l.calls > 0)
        .map(|l| {
            vec![
                l.level.code().to_owned(),
                l.calls.to_string(),
                l.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.1}")),
            ]
        })
        .collect();
    pages.table(&columns, &rows, 9.0);
    if s.unhappy.is_empty() {
        return;
    }
    pages.paragraph(tr("不满意的回访（2 分及以下）：", "Unhappy calls (2 or lower):"), 9.0, false, GREY);
    let columns = [
        Column { header: tr("编号", "Number").into(), width: 20.0 },
        Column { header: tr("标题", "Title").into(), width: 35.0 },
        Column { header: tr("满意度", "Rating").into(), width: 10.0 },
        Column { header: tr("客户意见", "Comment").into(), width: 35.0 },
    ];
    let rows: Vec<Vec<String>> = s
        .unhappy
        .iter()
        .map(|u| vec![u.number.clone(), u.title.clone(), u.satisfaction.to_string(), u.comment.clone()])
        .collect();
    pages.table(&columns, &rows, 8.5);
}

/// The routine service of the month in brief: inspections done and on time, abnormal items and
/// the incidents they became, missed runs, and the client backups against the plan (the
/// 巡检月报 has the detail).
fn routine_section(pages: &mut Pages, f: &crate::inspection::figures::MonthFigures, lang: Lang) {
    let t = &f.total;
    if t.planned == 0 {
        pages.paragraph(
            lang.pick("本月没有巡检任务。", "No inspection was due this month."),
            9.5,
            false,
            GREY,
        );
    } else {
        let rate = |n: u32| format!("{:.0}%", f64::from(n) * 100.0 / f64::from(t.planned));
        let line = match lang {
            Lang::ZhCn => format!(
                "巡检应检 {} 次，完成 {}（{}），按时 {}（{}），错过 {}；异常项 {} 个，转为故障 {} 件。",
                t.planned,
                t.done,
                rate(t.done),
                t.on_time,
                rate(t.on_time),
                t.missed,
                t.abnormal,
                f.incidents.len()
            ),
            Lang::En => format!(
                "{} inspections due, {} done ({}), {} on time ({}), {} missed; {} abnormal items, {} raised as incidents.",
                t.planned,
                t.done,
                rate(t.done),
                t.on_time,
                rate(t.on_time),
                t.missed,
                t.abnormal,
                f.incidents.len()
            ),
        };
        pages.paragraph(&line, 9.5, false, layout::BLACK);
    }
    let b = &f.backups;
    let missing =
        b.weeks.iter().filter(|w| w.incremental == crate::inspection::backups::Check::Missing).count();
    let line = match lang {
        Lang::ZhCn => format!(
            "客户系统备份：月度全量{}，异机副本{}，每周增量缺失 {} 周，本季度恢复测试{}——{}。",
            b.full.name(lang),
            b.off_server.name(lang),
            missing,
            b.restore_test.name(lang),
            if b.compliant { "符合备份要求" } else { "不符合备份要求" }
        ),
        Lang::En => format!(
            "Client backups: monthly full {}, off-server copy {}, {} weekly incrementals missing, restore test this quarter {} — {}.",
            b.full.name(lang).to_lowercase(),
            b.off_server.name(lang).to_lowercase(),
            missing,
            b.restore_test.name(lang).to_lowercase(),
            if b.compliant { "meets the backup plan" } else { "does not meet the backup plan" }
        ),
    };
    pages.paragraph(&line, 9.5, false, layout::BLACK);
}

/// "中心线 12.3，控制限 0.0–30.1；失控点：INC-2026-0012（超出控制限）".
fn control_summary(
    points: &[crate::quality::ControlPoint],
    centre: f64,
    ucl: f64,
    lcl: f64,
    scale: f64,
    lang: Lang,
) -> String {
    use crate::quality::ControlRule;
    let out: Vec<String> = points
        .iter()
        .filter(|p| !p.rules.is_empty())
        .map(|p| {
            let rules: Vec<&str> = p
                .rules
                .iter()
                .map(|r| match r {
                    ControlRule::BeyondLimit => lang.pick("超出控制限", "beyond a limit"),
                    ControlRule::RunOfEight => lang.pick("连续 8 点同侧", "8 in a row on one side"),
                })
                .collect();
            match lang {
                Lang::ZhCn => format!("{}（{}）", p.label, rules.join("、")),
                Lang::En => format!("{} ({})", p.label, rules.join(", ")),
            }
        })
        .collect();
    let (c, u, l) = (centre * scale, ucl * scale, lcl * scale);
    match (lang, out.is_empty()) {
        (Lang::ZhCn, true) => format!("中心线 {c:.1}，控制限 {l:.1}–{u:.1}；全部点在控制中。"),
        (Lang::ZhCn, false) => format!("中心线 {c:.1}，控制限 {l:.1}–{u:.1}；失控点：{}", out.join("；")),
        (Lang::En, true) => format!("Centre {c:.1}, limits {l:.1}–{u:.1}; every point in control."),
        (Lang::En, false) => {
            format!("Centre {c:.1}, limits {l:.1}–{u:.1}; out of control: {}", out.join("; "))
        }
    }
}

fn major_columns(lang: Lang) -> [Column; 6] {
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    [
        Column { header: tr("编号", "Number").into(), width: 17.0 },
        Column { header: tr("级别", "Level").into(), width: 7.0 },
        Column { header: tr("报告时间", "Reported").into(), width: 17.0 },
        Column { header: tr("标题", "Title").into(), width: 27.0 },
        Column { header: tr("状态", "Status").into(), width: 9.0 },
        Column { header: tr("处理结果", "Outcome").into(), width: 23.0 },
    ]
}

fn major_rows(major: &[MajorIncident]) -> Vec<Vec<String>> {
    major
        .iter()
        .map(|m| {
            vec![
                m.number.clone(),
                m.level.code().to_owned(),
                format_service_time(m.reported_at),
                m.title.clone(),
                m.status.clone(),
                m.outcome.clone(),
            ]
        })
        .collect()
}
