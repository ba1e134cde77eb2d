//! The drill report (演练报告): what was exercised and how, who took part, the log, the recovery
//! time against its target, the findings and their corrective actions, and the evaluation.
//! Signed like the other documents.

use chrono::{DateTime, NaiveDate, Utc};

use printpdf::PdfDocument;

use super::layout::{Column, Pages, GREY};
use super::{
    finish_document, header, page_position, sign_off_table, RenderedReport, ReportFonts, SIGN_OFF_HEIGHT,
};
use crate::corrective::{ActionStatus, CorrectiveAction};
use crate::drill::{Drill, PlanCoverage};
use crate::i18n::format_service_time;
use crate::people::Department;
use crate::{Lang, Result};

pub struct DrillInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    pub drill: &'a Drill,
    /// The corrective actions raised from its findings.
    pub actions: &'a [CorrectiveAction],
    /// The day the actions are judged overdue on.
    pub today: NaiveDate,
    pub revision: u32,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    pub signer: Option<(&'a str, &'a str)>,
    /// From the sample sandbox: every page says so.
    pub sample: bool,
}

/// Minutes as a reader reads a duration: `95 分钟（1 小时 35 分）`.
fn minutes_text(minutes: Option<u32>, lang: Lang) -> String {
    let Some(m) = minutes else { return "—".into() };
    match (lang, m >= 60) {
        (Lang::ZhCn, true) => format!("{m} 分钟（{} 小时 {} 分）", m / 60, m % 60),
        (Lang::ZhCn, false) => format!("{m} 分钟"),
        (Lang::En, true) => format!("{m} min ({} h {} min)", m / 60, m % 60),
        (Lang::En, false) => format!("{m} min"),
    }
}

pub fn drill_report_pdf(input: &DrillInput, fonts: &ReportFonts) -> Result<RenderedReport> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let d = input.drill;
    let title = tr("应急演练报告", "Emergency drill report");
    let subject = format!("{title} {}", d.number);
    let closing = super::Closing {
        number: &d.number,
        revision: input.revision,
        subject: &subject,
        title,
        organisation: input.organisation,
        generated_at: input.generated_at,
        lang,
        sample: input.sample,
    };
    let (doc, mut pages) = super::open(fonts, &closing, input.logo)?;
    let two = [
        Column { header: tr("项目", "Item").into(), width: 24.0 },
        Column { header: tr("内容", "Details").into(), width: 76.0 },
    ];

    // 1. The drill.
    pages.heading(tr("一、演练概况", "1. The drill"));
    let attended = d.participants.iter().filter(|p| p.status.attended()).count();
    let rows = vec![
        vec![tr("演练编号", "Number").into(), d.number.clone()],
        vec![tr("演练日期", "Date").into(), d.date.to_string()],
        vec![tr("演练形式", "Form").into(), d.kind.label(lang).into()],
        vec![tr("演练范围", "Scope").into(), d.scope.label(lang).into()],
        vec![tr("演练预案", "Plan exercised").into(), d.plan_title(lang)],
        vec![tr("演练场景", "Scenario").into(), d.scenario.clone()],
        vec![
            tr("参演人数", "Participants").into(),
            match lang {
                Lang::ZhCn => format!("应到 {} 人，实到 {attended} 人", d.participants.len()),
                Lang::En => format!("{attended} of {} took part", d.participants.len()),
            },
        ],
        vec![
            tr("状态", "Status").into(),
            if d.held { tr("已实施", "Held") } else { tr("计划中", "Planned") }.into(),
        ],
    ];
    pages.table(&two, &rows, 9.0);

    // 2. Participants.
    pages.heading(tr("二、参演人员", "2. Participants"));
    if d.participants.is_empty() {
        pages.paragraph(tr("未登记参演人员。", "No participant recorded."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("姓名", "Name").into(), width: 22.0 },
            Column { header: tr("部门", "Department").into(), width: 26.0 },
            Column { header: tr("演练角色", "Role").into(), width: 34.0 },
            Column { header: tr("出勤", "Attendance").into(), width: 18.0 },
        ];
        let rows: Vec<Vec<String>> = d
            .participants
            .iter()
            .map(|p| {
                let department =
                    Department::from_code(&p.department).map_or(p.department.as_str(), |x| x.label(lang));
                vec![p.name.clone(), department.into(), p.role.clone(), p.status.label(lang).into()]
            })
            .collect();
        pages.table(&columns, &rows, 9.0);
    }

    // 3. Log.
    pages.heading(tr("三、演练过程记录", "3. Log"));
    if d.log.is_empty() {
        pages.paragraph(tr("没有过程记录。", "Nothing was logged."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("时间", "Time").into(), width: 22.0 },
            Column { header: tr("记录内容", "Entry").into(), width: 62.0 },
            Column { header: tr("记录人", "By").into(), width: 16.0 },
        ];
        let rows: Vec<Vec<String>> =
            d.log.iter().map(|e| vec![format_service_time(e.at), e.text.clone(), e.by.clone()]).collect();
        pages.table(&columns, &rows, 8.5);
    }

    // 4. Recovery time.
    pages.heading(tr("四、恢复时间", "4. Recovery time"));
    let verdict = match d.met_target() {
        Some(true) => tr("达到目标", "Target met"),
        Some(false) => tr("未达到目标", "Target missed"),
        None => "—",
    };
    let rows = vec![
        vec![tr("目标恢复时间（RTO）", "Target (RTO)").into(), minutes_text(d.target_minutes, lang)],
        vec![tr("实际恢复时间", "Achieved").into(), minutes_text(d.achieved_minutes, lang)],
        vec![tr("结论", "Conclusion").into(), verdict.into()],
    ];
    pages.table(&two, &rows, 9.0);

    // 5. Findings.
    pages.heading(tr("五、发现问题与整改", "5. Findings and corrective actions"));
    if input.actions.is_empty() {
        pages.paragraph(
            tr("演练未发现需整改的问题。", "The drill found nothing to put right."),
            9.5,
            false,
            GREY,
        );
    } else {
        let columns = [
            Column { header: tr("整改编号", "Action").into(), width: 17.0 },
            Column { header: tr("问题与整改要求", "Finding").into(), width: 37.0 },
            Column { header: tr("责任人", "Owner").into(), width: 11.0 },
            Column { header: tr("期限", "Due").into(), width: 13.0 },
            Column { header: tr("状态与证据", "Status, evidence").into(), width: 22.0 },
        ];
        let rows: Vec<Vec<String>> = input
            .actions
            .iter()
            .map(|a| {
                let status = match a.status {
                    ActionStatus::Closed => format!("{}：{}", tr("已关闭", "Closed"), a.evidence),
                    ActionStatus::Open if a.overdue(input.today) => tr("逾期未关闭", "Open, overdue").into(),
                    ActionStatus::Open => tr("整改中", "Open").into(),
                };
                vec![a.number.clone(), a.title.clone(), a.owner.clone(), a.due.to_string(), status]
            })
            .collect();
        pages.table(&columns, &rows, 8.5);
        let closed = input.actions.iter().filter(|a| a.status == ActionStatus::Closed).count();
        pages.paragraph(
            &match lang {
                Lang::ZhCn => format!("共 {} 项，已关闭 {closed} 项。", input.actions.len()),
                Lang::En => format!("{} in all, {closed} closed.", input.actions.len()),
            },
            9.0,
            false,
            GREY,
        );
    }

    // 6. Evaluation.
    pages.heading(tr("六、演练评估", "6. Evaluation"));
    let conclusion = d.verdict.map_or("—", |v| v.label(lang));
    pages.paragraph(&format!("{}{conclusion}", tr("评估结论：", "Verdict: ")), 10.0, true, (0.0, 0.0, 0.0));
    if !d.evaluation.is_empty() {
        pages.paragraph(&d.evaluation, 9.5, false, (0.0, 0.0, 0.0));
    }

    // 7. Sign-off.
    pages.ensure(SIGN_OFF_HEIGHT);
    pages.heading(tr("七、签字确认", "7. Sign-off"));
    let roles = [
        (tr("演练组织", "Organised by"), tr("实施部", "Implementation")),
        (tr("审核", "Reviewed by"), tr("项目经理", "Project manager")),
        (tr("批准", "Approved by"), tr("客户方", "Client")),
    ];
    sign_off_table(&mut pages, &roles, lang);
    let stamp = super::stamp(&mut pages, input.signer, input.generated_at, tr("本报告", "this report"), lang);
    super::close(doc, pages, &closing, stamp)
}

pub struct DrillPlanInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    pub year: i32,
    /// The year's drills, by date, each with the plan it exercises as printed.
    pub drills: &'a [(Drill, String)],
    pub coverage: &'a [PlanCoverage],
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
}

/// The year's drill plan (年度应急演练计划) as a printable A4 page: every drill planned or held,
/// then each plan in force with when it was last drilled, and lines for approval. Unsigned,
/// like the rota: it is posted and approved on paper.
pub fn drill_plan_pdf(input: &DrillPlanInput, fonts: &ReportFonts) -> Result<Vec<u8>> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let title = match lang {
        Lang::ZhCn => format!("{} 年度应急演练计划", input.year),
        Lang::En => format!("Emergency drill plan {}", input.year),
    };
    let mut doc = PdfDocument::new(&title);
    let mut pages = Pages::new(&mut doc, fonts);
    header(&mut doc, &mut pages, input.organisation, input.logo)?;
    pages.centered(&title, 18.0, true);
    pages.centered(
        &format!("{} {}", tr("制表", "Printed"), format_service_time(input.generated_at)),
        9.0,
        false,
    );
    pages.space(3.0);

    pages.heading(tr("一、演练安排", "1. Drills"));
    if input.drills.is_empty() {
        pages.paragraph(tr("本年尚未安排演练。", "No drill is planned this year."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("编号", "Number").into(), width: 14.0 },
            Column { header: tr("日期", "Date").into(), width: 12.0 },
            Column { header: tr("演练预案", "Plan").into(), width: 25.0 },
            Column { header: tr("形式", "Form").into(), width: 10.0 },
            Column { header: tr("范围", "Scope").into(), width: 10.0 },
            Column { header: tr("场景", "Scenario").into(), width: 21.0 },
            Column { header: tr("状态", "Status").into(), width: 8.0 },
        ];
        let rows: Vec<Vec<String>> = input
            .drills
            .iter()
            .map(|(d, plan)| {
                vec![
                    d.number.clone(),
                    d.date.to_string(),
                    plan.clone(),
                    d.kind.label(lang).into(),
                    d.scope.label(lang).into(),
                    d.scenario.clone(),
                    if d.held { tr("已实施", "Held") } else { tr("计划", "Planned") }.into(),
                ]
            })
            .collect();
        pages.table(&columns, &rows, 8.5);
    }

    pages.heading(tr("二、预案演练覆盖", "2. Plans drilled"));
    let columns = [
        Column { header: tr("应急预案", "Plan").into(), width: 55.0 },
        Column { header: tr("本年最近演练", "Last drilled this year").into(), width: 25.0 },
        Column { header: tr("待实施", "Still planned").into(), width: 20.0 },
    ];
    let rows: Vec<Vec<String>> = input
        .coverage
        .iter()
        .map(|c| {
            vec![
                c.plan_name.clone(),
                c.last_drilled.map_or_else(|| tr("未演练", "not yet").to_owned(), |d| d.to_string()),
                c.planned.to_string(),
            ]
        })
        .collect();
    pages.table(&columns, &rows, 9.0);
    pages.paragraph(
        tr(
            "每个在用预案每年至少演练一次；备份恢复演练计入数据恢复预案。",
            "Every plan in force is drilled at least once a year; backup restore drills count for the data-recovery plan.",
        ),
        8.5,
        false,
        GREY,
    );

    // The approval table alone (no signature stamp below it, unlike the signed documents).
    pages.ensure(60.0);
    pages.heading(tr("三、审批", "3. Approval"));
    let roles = [
        (tr("编制", "Prepared by"), tr("实施部", "Implementation")),
        (tr("审核", "Reviewed by"), tr("项目经理", "Project manager")),
        (tr("批准", "Approved by"), tr("客户方", "Client")),
    ];
    sign_off_table(&mut pages, &roles, lang);
    let (pdf_pages, _) = pages.finish(&format!("drill-plan;{}", input.year), |page, count| {
        (format!("{} · {title}", input.organisation), page_position(page, count, lang))
    });
    finish_document(doc, pdf_pages, &title, input.organisation, input.generated_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_times_read_in_hours_and_minutes() {
        assert_eq!(minutes_text(Some(95), Lang::ZhCn), "95 分钟（1 小时 35 分）");
        assert_eq!(minutes_text(Some(40), Lang::En), "40 min");
        assert_eq!(minutes_text(None, Lang::En), "—");
    }
}
