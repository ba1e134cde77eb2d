//! The month rota (值班表) as a printable A4 landscape PDF: the same header, fonts and footer
//! as the incident report, a calendar grid of who is on duty each day, and the coverage check.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use printpdf::PdfDocument;

use super::layout::{Column, Pages, GREY};
use super::{finish_document, header, page_position, ReportFonts};
use crate::i18n::{format_service_time, SERVICE_TZ};
use crate::roster::Rota;
use crate::{Lang, Result};

pub struct RotaPdfInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    /// The first day of the month.
    pub month: NaiveDate,
    pub rota: &'a Rota,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
}

pub fn rota_month_pdf(input: &RotaPdfInput, fonts: &ReportFonts) -> Result<Vec<u8>> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let title = match lang {
        Lang::ZhCn => format!("值班表 {} 年 {} 月", input.month.year(), input.month.month()),
        Lang::En => format!("On-call rota, {}", input.month.format("%B %Y")),
    };
    let mut doc = PdfDocument::new(&title);
    let mut pages = Pages::landscape(&mut doc, fonts);
    header(&mut doc, &mut pages, input.organisation, input.logo)?;
    pages.centered(&title, 18.0, true);
    let meta = match lang {
        Lang::ZhCn => format!(
            "工作时间由热线值守（5×8），其余时间由值班手机 7×24 值守 · 制表 {}",
            format_service_time(input.generated_at)
        ),
        Lang::En => format!(
            "Hotline in working hours (5×8), duty phone 7×24 outside them · printed {}",
            format_service_time(input.generated_at)
        ),
    };
    pages.centered(&meta, 9.0, false);
    pages.space(3.0);

    // The calendar: a row per week, Monday first; each day lists its shifts by start time.
    let names = &input.rota.names;
    let day_of = |t: DateTime<Utc>| t.with_timezone(&SERVICE_TZ).date_naive();
    let cell = |date: NaiveDate| {
        let mut lines = vec![date.day().to_string()];
        for d in input.rota.duties.iter().filter(|d| day_of(d.start) == date) {
            let name = names.get(&d.person_id).map_or("?", String::as_str);
            let start = d.start.with_timezone(&SERVICE_TZ).format("%H:%M");
            let swap = if d.rotation_id.is_none() { tr("（调）", " (swap)") } else { "" };
            lines.push(format!("{start} {name}{swap}"));
        }
        lines.join("\n")
    };
    let first = input.month;
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let mut rows = Vec::new();
    let mut week = vec![String::new(); first.weekday().num_days_from_monday() as usize];
    let mut date = first;
    while date < next {
        week.push(cell(date));
        if week.len() == 7 {
            rows.push(std::mem::take(&mut week));
        }
        date = date.succ_opt().unwrap_or(next);
    }
    if !week.is_empty() {
        week.resize(7, String::new());
        rows.push(week);
    }
    let weekdays = match lang {
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    };
    let columns: Vec<Column> =
        weekdays.iter().map(|d| Column { header: (*d).to_owned(), width: 100.0 / 7.0 }).collect();
    pages.table(&columns, &rows, 8.5);

    // The coverage check.
    pages.heading(tr("覆盖检查", "Coverage check"));
    let coverage = &input.rota.coverage;
    if coverage.gaps.is_empty() && coverage.double_bookings.is_empty() {
        pages.paragraph(
            tr(
                "本月工作时间以外全部有人值班，无重复排班。",
                "Every hour outside working time is covered; no double booking.",
            ),
            9.5,
            false,
            GREY,
        );
    }
    let problem_columns = [
        Column { header: tr("问题", "Problem").into(), width: 20.0 },
        Column { header: tr("时段", "Interval").into(), width: 45.0 },
        Column { header: tr("人员", "People").into(), width: 35.0 },
    ];
    let span = |a: DateTime<Utc>, b: DateTime<Utc>| {
        format!("{} – {}", format_service_time(a), format_service_time(b))
    };
    if !coverage.gaps.is_empty() {
        let rows: Vec<Vec<String>> = coverage
            .gaps
            .iter()
            .map(|g| vec![tr("无人值班", "Uncovered").to_owned(), span(g.start, g.end), String::new()])
            .collect();
        pages.table(&problem_columns, &rows, 9.0);
    }
    if !coverage.double_bookings.is_empty() {
        let rows: Vec<Vec<String>> = coverage
            .double_bookings
            .iter()
            .map(|b| {
                let who = |id: &str| names.get(id).cloned().unwrap_or_default();
                vec![
                    tr("重复排班", "Double booking").to_owned(),
                    span(b.start, b.end),
                    format!("{} / {}", who(&b.first.person_id), who(&b.second.person_id)),
                ]
            })
            .collect();
        pages.table(&problem_columns, &rows, 9.0);
    }
    pages.space(6.0);
    pages.paragraph(
        tr(
            "项目经理（签字）：________________    日期：____________",
            "Project manager (signature): ________________    Date: ____________",
        ),
        9.5,
        false,
        GREY,
    );

    let key = first.format("%Y-%m").to_string();
    let (pdf_pages, _) = pages.finish(&format!("rota;{key}"), |page, count| {
        (format!("{} · {title}", input.organisation), page_position(page, count, lang))
    });
    finish_document(doc, pdf_pages, &title, input.organisation, input.generated_at)
}
