//! Training documents: the training plan (培训计划) — the plan table, the session schedule,
//! progress and a sign-off block, signed like incident reports — and the sign-in sheet (签到表)
//! of a session, a page per day it runs.

use chrono::{DateTime, NaiveDate, Utc};
use printpdf::PdfDocument;

use super::layout::{Column, Pages, GREY};
use super::{
    finish_document, header, page_position, sign_off_table, RenderedReport, ReportFonts, SIGN_OFF_HEIGHT,
};
use crate::i18n::{format_service_time, SERVICE_TZ};
use crate::training::plan::{audience_name, Audience, Plan, PlanProgress, Session};
use crate::{Lang, Result};

pub struct PlanPdfInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    pub plan: &'a Plan,
    pub sessions: &'a [Session],
    pub audiences: &'a [Audience],
    pub progress: &'a PlanProgress,
    pub revision: u32,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    /// The digital signer's name and title, for the stamp.
    pub signer: Option<(&'a str, &'a str)>,
    /// From the sample sandbox: every page says so.
    pub sample: bool,
}

/// Blank rows a sign-in sheet keeps for walk-ins, and the fewest rows it prints.
const WALK_IN_ROWS: usize = 5;
const MIN_SIGNIN_ROWS: usize = 11;

pub fn training_plan_pdf(input: &PlanPdfInput, fonts: &ReportFonts) -> Result<RenderedReport> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let plan = input.plan;
    let title = tr("培训计划", "Training Plan");
    let mut doc = PdfDocument::new(title);
    let mut pages = Pages::new(&mut doc, fonts);
    header(&mut doc, &mut pages, input.organisation, input.logo)?;
    pages.centered(title, 20.0, true);
    pages.centered(&plan.title, 12.0, true);
    let meta = match lang {
        Lang::ZhCn => format!(
            "计划编号 {}    第 {} 版    培训期间 {} 至 {}    日期 {}",
            plan.number,
            input.revision,
            plan.start,
            plan.end,
            format_service_time(input.generated_at)
        ),
        Lang::En => format!(
            "Plan {}    revision {}    period {} to {}    date {}",
            plan.number,
            input.revision,
            plan.start,
            plan.end,
            format_service_time(input.generated_at)
        ),
    };
    pages.centered(&meta, 9.0, false);
    let audience = |code: &str| audience_name(input.audiences, code, lang);

    pages.heading(tr("一、培训计划表", "1. The plan"));
    let columns = [
        Column { header: tr("培训时期", "Period").into(), width: 17.0 },
        Column { header: tr("培训对象", "Audience").into(), width: 20.0 },
        Column { header: tr("培训内容", "Content").into(), width: 45.0 },
        Column { header: tr("培训人", "Trainer").into(), width: 18.0 },
    ];
    let rows: Vec<Vec<String>> = plan
        .rows
        .iter()
        .map(|r| vec![r.period.clone(), audience(&r.audience), r.content.clone(), r.trainer.clone()])
        .collect();
    pages.table(&columns, &rows, 9.0);
    if !plan.notes.is_empty() {
        pages.paragraph(&plan.notes, 9.0, false, GREY);
    }

    pages.heading(tr("二、课程安排", "2. Sessions"));
    if input.sessions.is_empty() {
        pages.paragraph(tr("尚未安排课程。", "No session is scheduled yet."), 9.5, false, GREY);
    } else {
        let columns = [
            Column { header: tr("日期", "Date").into(), width: 13.0 },
            Column { header: tr("时间", "Time").into(), width: 12.0 },
            Column { header: tr("课程", "Session").into(), width: 23.0 },
            Column { header: tr("培训对象", "Audience").into(), width: 15.0 },
            Column { header: tr("培训人", "Trainer").into(), width: 11.0 },
            Column { header: tr("地点", "Room").into(), width: 13.0 },
            Column { header: tr("形式 / 人数", "Mode / people").into(), width: 13.0 },
        ];
        let rows: Vec<Vec<String>> = input
            .sessions
            .iter()
            .map(|s| {
                let (start, end) = (s.start.with_timezone(&SERVICE_TZ), s.end.with_timezone(&SERVICE_TZ));
                let date = if start.date_naive() == end.date_naive() {
                    start.format("%Y-%m-%d").to_string()
                } else {
                    format!("{} –\n{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
                };
                vec![
                    date,
                    format!("{}–{}", start.format("%H:%M"), end.format("%H:%M")),
                    s.title.clone(),
                    audience(&s.audience),
                    s.trainer_name.clone(),
                    s.room.clone(),
                    format!("{} / {}", s.mode.label(lang), s.attendees.len()),
                ]
            })
            .collect();
        pages.table(&columns, &rows, 8.5);
    }

    pages.heading(tr("三、执行情况", "3. Progress"));
    let p = input.progress;
    let percent = |rate: Option<f64>| rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0));
    let summary = match lang {
        Lang::ZhCn => format!(
            "已举办 {} / 计划 {} 场，出勤率 {}（出席与迟到 ÷ 已记录）。",
            p.held,
            p.planned,
            percent(p.attendance_rate)
        ),
        Lang::En => format!(
            "{} of {} sessions held; attendance {} (present or late ÷ recorded).",
            p.held,
            p.planned,
            percent(p.attendance_rate)
        ),
    };
    pages.paragraph(&summary, 9.5, false, GREY);
    let columns = [
        Column { header: tr("培训对象", "Audience").into(), width: 22.0 },
        Column { header: tr("已举办 / 计划", "Held / planned").into(), width: 15.0 },
        Column { header: tr("出勤率", "Attendance").into(), width: 11.0 },
        Column { header: tr("评价", "Rating").into(), width: 9.0 },
        Column { header: tr("尚未参训", "Not yet attended").into(), width: 43.0 },
    ];
    let rows: Vec<Vec<String>> = p
        .audiences
        .iter()
        .map(|a| {
            let names: Vec<&str> = a.not_attended.iter().map(|r| r.name.as_str()).collect();
            vec![
                audience(&a.audience),
                format!("{} / {}", a.held, a.planned),
                percent(a.attendance_rate),
                a.evaluation.map_or_else(|| "—".to_owned(), |e| format!("{e:.1}")),
                names.join(lang.pick("、", ", ")),
            ]
        })
        .collect();
    pages.table(&columns, &rows, 9.0);

    // The sign-off block (heading, three rows, the stamp) stays on one page.
    pages.ensure(SIGN_OFF_HEIGHT);
    pages.heading(tr("四、签字确认", "4. Sign-off"));
    let roles = [
        (tr("编制", "Prepared by"), tr("培训组", "Training group")),
        (tr("审核", "Reviewed by"), tr("项目经理", "Project manager")),
        (tr("批准", "Approved by"), tr("客户方", "Client")),
    ];
    sign_off_table(&mut pages, &roles, lang);
    let stamp = super::stamp(&mut pages, input.signer, input.generated_at, tr("本计划", "this plan"), lang);
    let document_title = format!("{title} {}", plan.number);
    let closing = super::Closing {
        number: &plan.number,
        revision: input.revision,
        subject: &plan.title,
        title: &document_title,
        organisation: input.organisation,
        generated_at: input.generated_at,
        lang,
        sample: input.sample,
    };
    super::close(doc, pages, &closing, stamp)
}

pub struct SigninInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    pub session: &'a Session,
    pub audience: String,
    /// The days the session runs (one page each).
    pub dates: Vec<NaiveDate>,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
}

/// The sign-in sheet: per day, the session's particulars and a table of attendee / department /
/// signature / time with blank rows for walk-ins.
pub fn signin_sheet_pdf(input: &SigninInput, fonts: &ReportFonts) -> Result<Vec<u8>> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = input.session;
    let title = tr("培训签到表", "Training Sign-in Sheet");
    let mut doc = PdfDocument::new(title);
    let mut pages = Pages::new(&mut doc, fonts);
    let (start, end) = (s.start.with_timezone(&SERVICE_TZ), s.end.with_timezone(&SERVICE_TZ));
    let hours = format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"));
    let days = input.dates.len();
    for (index, date) in input.dates.iter().enumerate() {
        if index > 0 {
            pages.new_page();
        }
        header(&mut doc, &mut pages, input.organisation, input.logo)?;
        pages.centered(title, 18.0, true);
        pages.centered(&s.title, 12.0, true);
        let day = match (days, lang) {
            (1, _) => String::new(),
            (n, Lang::ZhCn) => format!("（第 {} 天，共 {n} 天）", index + 1),
            (n, Lang::En) => format!(" (day {} of {n})", index + 1),
        };
        let trainer = if s.trainer_id.is_none() {
            format!("{}{}", s.trainer_name, tr("（外聘）", " (external)"))
        } else {
            s.trainer_name.clone()
        };
        let facts = [
            (tr("时间", "Time"), format!("{date} {hours}{day}")),
            (tr("地点", "Place"), s.room.clone()),
            (tr("培训人", "Trainer"), trainer),
            (tr("培训对象", "Audience"), input.audience.clone()),
            (tr("形式", "Mode"), s.mode.label(lang).to_owned()),
        ];
        let columns = [
            Column { header: tr("项目", "Item").into(), width: 18.0 },
            Column { header: tr("内容", "Details").into(), width: 82.0 },
        ];
        let rows: Vec<Vec<String>> = facts.iter().map(|(k, v)| vec![(*k).to_owned(), v.clone()]).collect();
        pages.space(2.0);
        pages.table(&columns, &rows, 9.5);
        pages.space(2.0);
        let columns = [
            Column { header: tr("序号", "No.").into(), width: 8.0 },
            Column { header: tr("姓名", "Name").into(), width: 20.0 },
            Column { header: tr("部门", "Department").into(), width: 24.0 },
            Column { header: tr("签名", "Signature").into(), width: 30.0 },
            Column { header: tr("签到时间", "Time").into(), width: 18.0 },
        ];
        let count = (s.attendees.len() + WALK_IN_ROWS).max(MIN_SIGNIN_ROWS);
        let rows: Vec<Vec<String>> = (0..count)
            .map(|i| {
                let (name, department) = s
                    .attendees
                    .get(i)
                    .map_or((String::new(), String::new()), |a| (a.name.clone(), a.department.clone()));
                // The blank line makes the row tall enough to sign in.
                vec![format!("{}\n ", i + 1), name, department, String::new(), String::new()]
            })
            .collect();
        pages.table(&columns, &rows, 10.0);
        pages.space(4.0);
        pages.paragraph(
            tr(
                "培训人（签字）：________________    日期：____________",
                "Trainer (signature): ________________    Date: ____________",
            ),
            9.5,
            false,
            GREY,
        );
    }
    let identity = format!("{} · {}", input.organisation, s.title);
    let (pdf_pages, _) = pages.finish(&format!("signin;{}", s.id), |page, count| {
        (identity.clone(), page_position(page, count, lang))
    });
    finish_document(doc, pdf_pages, &format!("{title} {}", s.title), input.organisation, input.generated_at)
}
