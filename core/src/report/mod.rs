//! The incident report (故障处理报告) as an A4 PDF: header, incident summary, the SLA
//! milestones exactly as the engine computes them, the fault analysis, the timeline, and a
//! sign-off block, with Noto Sans SC embedded as subsets so Chinese renders anywhere.
//!
//! This is the unsigned document; signing appends a PAdES signature to these bytes.

mod chart;
pub mod drill;
pub mod inspection;
mod layout;
pub mod linebreak;
pub mod monthly;
pub mod recovery;
pub mod rota;
pub mod training;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use printpdf::{ParsedFont, PdfDocument, PdfSaveOptions};
use sha2::{Digest, Sha256};

use crate::category::{CategoryKind, Resolver};
use crate::incident::{Channel, Incident, Level};
use crate::signing::Placement;
use crate::sla::{format_duration, MilestoneState};
use crate::timeline::{EventData, PlanKind, ReportFields, Status};
use crate::{Error, Lang, Result};
pub use layout::Column;
use layout::{Pages, GREY};

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Bold.ttf");

/// The two faces of Noto Sans SC, parsed once per process (parsing dominates the cost of a
/// report).
pub struct ReportFonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

impl ReportFonts {
    pub fn get() -> Result<&'static ReportFonts> {
        static FONTS: OnceLock<Option<ReportFonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                let mut warnings = Vec::new();
                Some(ReportFonts {
                    regular: ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)?,
                    bold: ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)?,
                })
            })
            .as_ref()
            .ok_or_else(|| Error::Corrupt("the embedded report font cannot be read".into()))
    }
}

/// What a report is made from.
pub struct ReportInput<'a> {
    pub organisation: &'a str,
    pub incident: &'a Incident,
    pub revision: u32,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    /// The analysis to print; `None` takes the latest `report_submitted` of the timeline.
    pub fields: Option<&'a ReportFields>,
    /// Who signs it digitally, shown as a framed stamp in the sign-off block.
    pub signature: Option<SignatureLine<'a>>,
    /// From the sample sandbox: every page says so.
    pub sample: bool,
    /// The organisation's logo (PNG or JPEG), printed beside its name.
    pub logo: Option<&'a [u8]>,
    /// Names the fault-type and cause categories.
    pub categories: &'a Resolver,
}

/// The visible part of a digital signature.
pub struct SignatureLine<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub at: DateTime<Utc>,
}

/// A rendered report: the PDF and where its signature stamp sits, for the signature widget.
pub struct RenderedReport {
    pub pdf: Vec<u8>,
    pub stamp: Option<Placement>,
    /// Characters the fonts could not draw, printed as [`layout::MISSING_GLYPH`].
    pub missing_glyphs: Vec<char>,
}

/// Printed across the top of every page of a document rendered without its signature (a
/// draft), or from the sample sandbox, or both; `None` for a real signed document.
pub fn page_mark(lang: Lang, draft: bool, sample: bool) -> Option<String> {
    let text = match (draft, sample) {
        (false, false) => return None,
        (true, false) => {
            lang.pick("草稿 DRAFT · 未签名，仅供审阅", "DRAFT 草稿 · not signed, for review only")
        }
        (false, true) => lang.pick("示例数据 SAMPLE · 非真实记录", "SAMPLE 示例数据 · not a real record"),
        (true, true) => {
            lang.pick("示例数据 SAMPLE · 草稿 DRAFT · 未签名", "SAMPLE 示例数据 · DRAFT 草稿 · not signed")
        }
    };
    Some(text.to_owned())
}

/// The report number of an incident: `INC-2026-0007` reports as `RPT-2026-0007`.
pub fn report_number(incident_number: &str) -> String {
    incident_number.replacen("INC-", "RPT-", 1)
}

/// What an incident report says, before any layout: the PDF prints exactly this, and so does
/// any other rendering of the same report (the benchmark's HTML baseline).
pub struct ReportContent {
    pub organisation: String,
    pub title: String,
    /// Number, revision and date, under the title.
    pub meta: String,
    /// 一 to 四: each a table, with a note under some.
    pub sections: Vec<Section>,
    /// 五: the heading and each (what, role) row of the sign-off table.
    pub sign_off: (String, Vec<(String, String)>),
    /// The lines of the visible signature stamp, when signed.
    pub stamp: Option<Vec<String>>,
    /// Where the company seal goes.
    pub seal: String,
    /// The footer of every page: number, revision and the content digest.
    pub identity: String,
    /// What the QR code of every page carries.
    pub qr_data: String,
}

/// A numbered section of a report: a heading and a table.
pub struct Section {
    pub heading: String,
    /// Column headers (empty for a table of labels and values) and widths in % of the line.
    pub columns: Vec<Column>,
    /// A row with fewer cells than columns: its last cell spans the columns left (a long text
    /// takes the width of the line).
    pub rows: Vec<Vec<String>>,
    /// Type size of the table, in points.
    pub size: f32,
    /// A paragraph under the table (the pauses of the SLA clock).
    pub note: Option<String>,
}

/// The content of the report of `input`.
pub fn incident_report_content(input: &ReportInput) -> ReportContent {
    let lang = input.lang;
    let i = input.incident;
    let s = &i.summary;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let time = crate::i18n::format_service_time;
    let number = report_number(&s.number);
    let title = tr("故障处理报告", "Incident Report");
    let meta = match lang {
        Lang::ZhCn => {
            format!("报告编号 {number}    第 {} 版    日期 {}", input.revision, time(input.generated_at))
        }
        Lang::En => {
            format!("Report {number}    revision {}    date {}", input.revision, time(input.generated_at))
        }
    };
    // Summary.
    let event_time =
        |kind: &str| i.events.iter().rev().find(|e| e.data.kind() == kind).map(|e| e.occurred_at);
    let responded = event_time("responded");
    let resolved = event_time("resolved").filter(|_| matches!(s.status, Status::Resolved | Status::Closed));
    let downtime = resolved.map(|r| format_duration(r - s.reported_at, lang));
    let none = tr("—", "—").to_owned();
    let level_meaning = match (s.level, lang) {
        (Level::I, Lang::ZhCn) => "I 级 · 紧急（系统崩溃导致业务停止，或数据丢失）",
        (Level::II, Lang::ZhCn) => "II 级 · 严重（部分功能失效或性能下降，业务仍可进行）",
        (Level::III, Lang::ZhCn) => "III 级 · 较严重（出现错误或告警，业务不受影响）",
        (Level::IV, Lang::ZhCn) => "IV 级 · 普通（咨询、安装、配置或预约服务）",
        (Level::I, Lang::En) => "Level I · Critical (business stopped or data lost)",
        (Level::II, Lang::En) => "Level II · Major (parts failed or slow; business runs)",
        (Level::III, Lang::En) => "Level III · Moderate (errors or warnings; unaffected)",
        (Level::IV, Lang::En) => "Level IV · Minor (questions, installation, configuration)",
    };
    let channel = match (s.channel, lang) {
        (Channel::Onsite, _) => tr("现场", "On site"),
        (Channel::Hotline, _) => tr("热线电话", "Hotline"),
        (Channel::Email, _) => tr("电子邮件", "E-mail"),
        (Channel::Inspection, _) => tr("巡检", "Inspection"),
        (Channel::Monitoring, _) => tr("监控", "Monitoring"),
    };
    let summary = vec![
        vec![
            tr("故障编号", "Number").into(),
            s.number.clone(),
            tr("故障级别", "Level").into(),
            level_meaning.into(),
        ],
        vec![
            tr("故障标题", "Title").into(),
            s.title.clone(),
            tr("报告渠道", "Channel").into(),
            channel.into(),
        ],
        vec![
            tr("报告人", "Reporter").into(),
            if s.reporter.is_empty() { none.clone() } else { s.reporter.clone() },
            tr("负责人", "Assignees").into(),
            assignees(i, lang).unwrap_or_else(|| none.clone()),
        ],
        vec![
            tr("报告时间", "Reported").into(),
            time(s.reported_at),
            tr("响应时间", "Responded").into(),
            responded.map(time).unwrap_or_else(|| none.clone()),
        ],
        vec![
            tr("解决时间", "Resolved").into(),
            resolved.map(time).unwrap_or_else(|| none.clone()),
            tr("停机时长", "Downtime").into(),
            downtime.unwrap_or_else(|| none.clone()),
        ],
        vec![
            tr("影响系统", "Affected system").into(),
            if i.system.is_empty() { none.clone() } else { i.system.clone() },
        ],
        vec![tr("故障描述", "Description").into(), i.description.clone()],
    ];
    let columns = |cells: &[(&str, f32)]| -> Vec<Column> {
        cells.iter().map(|(h, w)| Column { header: (*h).into(), width: *w }).collect()
    };
    let mut sections = vec![Section {
        heading: tr("一、故障概况", "1. Incident summary").into(),
        columns: columns(&[("", 16.0), ("", 34.0), ("", 16.0), ("", 34.0)]),
        rows: summary,
        size: 9.0,
        note: None,
    }];

    // SLA milestones: the engine's figures and sentences.
    let state_label = |st: MilestoneState| match st {
        MilestoneState::NotStarted => tr("未开始", "Not started"),
        MilestoneState::Running => tr("计时中", "Running"),
        MilestoneState::Paused => tr("已暂停", "Paused"),
        MilestoneState::Met => tr("按时完成", "Met"),
        MilestoneState::BreachedOpen => tr("已超时", "Overdue"),
        MilestoneState::BreachedMet => tr("超时完成", "Met late"),
        MilestoneState::Missed => tr("未完成", "Missed"),
        MilestoneState::NotApplicable => tr("不适用", "Not applicable"),
    };
    // The report milestone of a signed report is met by the very report being signed.
    let by_this_report = |m: &crate::sla::MilestoneReport| {
        m.kind == crate::sla::MilestoneKind::Report
            && input.signature.as_ref().is_some_and(|s| m.met_at == Some(s.at))
    };
    let sla_rows: Vec<Vec<String>> = i
        .milestones
        .iter()
        .map(|m| {
            let label = if by_this_report(m) {
                tr("本报告提交", "Submitted by this report")
            } else {
                state_label(m.state)
            };
            let outcome = match m.state {
                MilestoneState::BreachedMet | MilestoneState::BreachedOpen | MilestoneState::Missed
                    if m.left_seconds < 0 =>
                {
                    let late = format_duration(chrono::Duration::seconds(-m.left_seconds), lang);
                    // "超时完成（15 分钟）", but "未完成（超时 15 分钟）".
                    let over = if m.state == MilestoneState::Missed { tr("超时 ", "late by ") } else { "" };
                    match lang {
                        Lang::ZhCn => format!("{label}（{over}{late}）"),
                        Lang::En => format!("{label} ({over}{late})"),
                    }
                }
                _ => label.to_owned(),
            };
            vec![
                m.kind.label(lang).to_owned(),
                m.due.map(time).unwrap_or_else(|| none.clone()),
                m.met_at.map(time).unwrap_or_else(|| none.clone()),
                outcome,
                m.explanation.clone(),
            ]
        })
        .collect();
    let pauses: Vec<String> = i
        .events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::Paused { reason } => Some(format!("{} {}", time(e.occurred_at), reason)),
            _ => None,
        })
        .collect();
    sections.push(Section {
        heading: tr("二、SLA 时限执行情况", "2. SLA milestones").into(),
        columns: columns(&[
            // Wide enough for a time with seconds ("2026-12-05 03:54:50") on one line.
            (tr("时限", "Milestone"), 15.0),
            (tr("到期", "Due"), 20.0),
            (tr("实际完成", "Done"), 20.0),
            (tr("结果", "Outcome"), 17.0),
            (tr("说明", "How it was computed"), 28.0),
        ]),
        rows: sla_rows,
        size: 8.5,
        note: (!pauses.is_empty())
            .then(|| format!("{}{}", tr("暂停记录：", "Pauses: "), pauses.join(tr("；", "; ")))),
    });

    // Analysis: the fields of the latest report.
    let r = input.fields.cloned().unwrap_or_else(|| latest_report_fields(i));
    let missing = tr("（未填写）", "(not written)");
    let or_missing = |v: &str| if v.trim().is_empty() { missing.to_owned() } else { v.to_owned() };
    // The category, then the typed text where it says more ("数据库：主库连接数耗尽").
    let categorised = |kind: CategoryKind, code: &str, text: &str| -> String {
        match input.categories.resolve(kind, code, text) {
            Some(code) => {
                let label = input.categories.label(kind, code, input.lang);
                match crate::category::normalise(text) {
                    t if t.is_empty() || t == crate::category::normalise(&label) => label,
                    _ => format!("{label}{}{}", tr("：", ": "), text.trim()),
                }
            }
            None => text.to_owned(),
        }
    };
    // The plans: each activated emergency plan with its steps done, then the latest handling
    // and emergency plans submitted.
    let plans = activated_plans(&i.events, lang);
    let mut plan_rows: Vec<Vec<String>> = plans
        .iter()
        .map(|(id, title, steps)| {
            let done = i
                .events
                .iter()
                .filter(|e| matches!(&e.data, EventData::StepDone { plan_id, .. } if plan_id == id))
                .count();
            let status = match lang {
                Lang::ZhCn => format!("{title}（已完成 {done}/{steps} 步）"),
                Lang::En => format!("{title} ({done} of {steps} steps done)"),
            };
            vec![tr("启动应急预案", "Emergency plan activated").into(), status]
        })
        .collect();
    for kind in [PlanKind::Handling, PlanKind::Emergency] {
        let latest = i.events.iter().rev().find_map(|e| match &e.data {
            EventData::PlanSubmitted { plan, text, contingency } if *plan == kind => {
                Some((text, contingency))
            }
            _ => None,
        });
        if let Some((text, contingency)) = latest {
            let follows =
                contingency.as_deref().and_then(|id| plans.iter().find(|p| p.0 == id)).map(|p| p.1.as_str());
            plan_rows.push(vec![plan_label(kind, lang).into(), or_missing(&plan_said(text, follows, lang))]);
        }
    }
    sections.push(Section {
        heading: tr("三、故障分析与处理", "3. Analysis and handling").into(),
        columns: columns(&[("", 22.0), ("", 78.0)]),
        rows: [
            vec![
                tr("故障种类", "Fault type").into(),
                or_missing(&categorised(CategoryKind::FaultType, &r.fault_type_code, &r.fault_type)),
            ],
            vec![
                tr("故障原因", "Cause").into(),
                or_missing(&categorised(CategoryKind::Cause, &r.cause_code, &r.cause)),
            ],
            vec![tr("解决方法", "Method").into(), or_missing(&r.method)],
            vec![tr("故障损失", "Losses").into(), or_missing(&r.losses)],
            vec![
                tr("数据保护与恢复", "Data protection and restoration").into(),
                or_missing(&r.data_protection),
            ],
            vec![tr("后续措施", "Follow-up actions").into(), or_missing(&r.follow_up)],
        ]
        .into_iter()
        .chain(plan_rows)
        .collect(),
        size: 9.0,
        note: None,
    });

    sections.push(Section {
        heading: tr("四、处理过程", "4. Timeline").into(),
        columns: columns(&[
            (tr("时间", "Time"), 20.0),
            (tr("人员", "By"), 15.0),
            (tr("事件", "Event"), 17.0),
            (tr("说明", "Notes"), 48.0),
        ]),
        rows: i
            .events
            .iter()
            .map(|e| {
                vec![
                    time(e.occurred_at),
                    e.actor.clone().unwrap_or_default(),
                    event_label(&e.data, lang).to_owned(),
                    event_detail(&e.data, &plans, lang),
                ]
            })
            .collect(),
        size: 8.5,
        note: None,
    });

    let roles = [
        (tr("编制", "Prepared by"), tr("工程师", "Engineer")),
        (tr("审核", "Reviewed by"), tr("质量管理部", "Quality management")),
        (tr("批准", "Approved by"), tr("项目经理", "Project manager")),
        (tr("确认", "Confirmed by"), tr("客户方", "Client")),
    ];
    let stamp = input.signature.as_ref().map(|sig| stamp_lines(sig, tr("本报告", "this report"), lang));

    // Everything the reader sees, in order, for the content digest of the footer.
    let mut content = vec![input.organisation.to_owned(), title.to_owned(), meta.clone()];
    for section in &sections {
        content.extend(section.rows.iter().flatten().cloned());
        content.extend(section.note.iter().cloned());
    }
    content.extend(stamp.iter().flatten().cloned());
    let digest = Sha256::digest(content.join("\n").as_bytes());
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let identity = match lang {
        Lang::ZhCn => format!("{number} · 第 {} 版 · 内容摘要 SHA-256 {short}", input.revision),
        Lang::En => format!("{number} · revision {} · content SHA-256 {short}", input.revision),
    };
    ReportContent {
        organisation: input.organisation.to_owned(),
        title: title.to_owned(),
        meta,
        sections,
        sign_off: (
            tr("五、签字确认", "5. Sign-off").into(),
            roles.iter().map(|(what, role)| ((*what).into(), (*role).into())).collect(),
        ),
        stamp,
        seal: tr("（单位盖章）", "(Company seal)").into(),
        identity,
        // The QR code carries what identifies this exact report: number, revision, content digest.
        qr_data: format!("{number};rev={};sha256={short}", input.revision),
    }
}

/// The report of `input` as PDF bytes.
pub fn incident_report_pdf(input: &ReportInput, fonts: &ReportFonts) -> Result<RenderedReport> {
    let c = incident_report_content(input);
    let mut doc = PdfDocument::new(&c.title);
    let mut pages = Pages::new(&mut doc, fonts);

    header(&mut doc, &mut pages, &c.organisation, input.logo)?;
    pages.centered(&c.title, 20.0, true);
    pages.centered(&c.meta, 9.0, false);
    for section in &c.sections {
        pages.heading(&section.heading);
        pages.table(&section.columns, &section.rows, section.size);
        if let Some(note) = &section.note {
            pages.space(1.5);
            pages.paragraph(note, 8.5, false, GREY);
        }
    }

    // Sign-off: heading, table, stamp and seal stay on one page.
    pages.ensure(SIGN_OFF_HEIGHT + 25.0);
    let (heading, roles) = &c.sign_off;
    pages.heading(heading);
    let roles: Vec<(&str, &str)> = roles.iter().map(|(what, role)| (what.as_str(), role.as_str())).collect();
    sign_off_table(&mut pages, &roles, input.lang);
    let stamp = c.stamp.as_ref().map(|lines| {
        let (page, rect) = pages.framed(lines, 8.5, layout::SIGNATURE_BLUE);
        pages.space(3.0);
        Placement { page, rect }
    });
    pages.paragraph(&c.seal, 9.0, false, GREY);

    pages.mark(page_mark(input.lang, stamp.is_none(), input.sample));
    let (pdf_pages, missing_glyphs) =
        pages.finish(&c.qr_data, |page, count| (c.identity.clone(), page_position(page, count, input.lang)));
    let number = report_number(&input.incident.summary.number);
    let pdf = finish_document(
        doc,
        pdf_pages,
        &format!("{} {number}", c.title),
        &c.organisation,
        input.generated_at,
    )?;
    Ok(RenderedReport { pdf, stamp, missing_glyphs })
}

/// The height of a sign-off block (heading, three signature rows, the stamp), in mm; each
/// further row (and the seal line) needs about 16 mm more.
const SIGN_OFF_HEIGHT: f32 = 90.0;

/// The sign-off table: a row per (what, role) with room to sign by hand.
fn sign_off_table(pages: &mut Pages, roles: &[(&str, &str)], lang: Lang) {
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    // Room above each line for a handwritten signature.
    let blank = "\n\n________________".to_owned();
    let rows: Vec<Vec<String>> = roles
        .iter()
        .map(|(what, role)| vec![(*what).into(), (*role).into(), blank.clone(), blank.clone(), blank.clone()])
        .collect();
    let columns = [
        Column { header: String::new(), width: 14.0 },
        Column { header: tr("角色", "Role").into(), width: 22.0 },
        Column { header: tr("姓名", "Name").into(), width: 22.0 },
        Column { header: tr("签字", "Signature").into(), width: 22.0 },
        Column { header: tr("日期", "Date").into(), width: 20.0 },
    ];
    pages.table(&columns, &rows, 9.5);
    pages.space(4.0);
}

/// The visible stamp of a digital signature on `document` (本报告, this report).
fn stamp_lines(sig: &SignatureLine, document: &str, lang: Lang) -> Vec<String> {
    let who = match (sig.title.trim(), lang) {
        ("", _) => sig.name.to_owned(),
        (title, Lang::ZhCn) => format!("{}（{title}）", sig.name),
        (title, Lang::En) => format!("{} ({title})", sig.name),
    };
    let at = crate::i18n::format_service_time(sig.at);
    match lang {
        Lang::ZhCn => vec![
            format!("电子签名：{who}"),
            format!("签名时间：{at}"),
            format!("{document}已加数字签名，可用 PDF 阅读器或“运维台 → 验证 PDF”核验"),
        ],
        Lang::En => vec![
            format!("Digitally signed by {who}"),
            format!("Signed at {at}"),
            format!("Check the signature of {document} in a PDF reader or Yunwei → Verify a PDF"),
        ],
    }
}

/// What every page's foot and the file's metadata say about a signed document.
struct Closing<'a> {
    number: &'a str,
    revision: u32,
    /// What the foot calls it (`巡检月报 2026 年 11 月`).
    subject: &'a str,
    /// The file's title metadata.
    title: &'a str,
    organisation: &'a str,
    generated_at: DateTime<Utc>,
    lang: Lang,
    sample: bool,
}

/// A monthly document's first page: the header (organisation, logo), the title, and the line
/// under it (report number, revision, date).
fn open<'a>(
    fonts: &'a ReportFonts,
    closing: &Closing,
    logo: Option<&[u8]>,
) -> Result<(PdfDocument, Pages<'a>)> {
    let mut doc = PdfDocument::new(closing.title);
    let mut pages = Pages::new(&mut doc, fonts);
    header(&mut doc, &mut pages, closing.organisation, logo)?;
    pages.centered(closing.title, 18.0, true);
    let at = crate::i18n::format_service_time(closing.generated_at);
    let meta = match closing.lang {
        Lang::ZhCn => format!("报告编号 {}    第 {} 版    日期 {at}", closing.number, closing.revision),
        Lang::En => format!("Report {}    revision {}    date {at}", closing.number, closing.revision),
    };
    pages.centered(&meta, 9.0, false);
    Ok((doc, pages))
}

/// The signature's stamp at the current place on the page, when the document is signed by
/// `signer` (name, title); `what` is what it signs (`本月报` / `this report`).
fn stamp(
    pages: &mut Pages,
    signer: Option<(&str, &str)>,
    at: DateTime<Utc>,
    what: &str,
    lang: Lang,
) -> Option<crate::signing::Placement> {
    signer.map(|(name, title)| {
        let lines = stamp_lines(&SignatureLine { name, title, at }, what, lang);
        let (page, rect) = pages.framed(&lines, 8.5, layout::SIGNATURE_BLUE);
        crate::signing::Placement { page, rect }
    })
}

/// Marks every page (草稿 / DRAFT unless signed, 示例 in the sandbox), prints the foot (number,
/// revision, subject, page of pages, the QR code) and writes the document.
fn close(
    doc: PdfDocument,
    mut pages: Pages,
    closing: &Closing,
    stamp: Option<crate::signing::Placement>,
) -> Result<RenderedReport> {
    let lang = closing.lang;
    let identity = match lang {
        Lang::ZhCn => format!("{} · 第 {} 版 · {}", closing.number, closing.revision, closing.subject),
        Lang::En => format!("{} · revision {} · {}", closing.number, closing.revision, closing.subject),
    };
    pages.mark(page_mark(lang, stamp.is_none(), closing.sample));
    let (pdf_pages, missing_glyphs) = pages
        .finish(&format!("{};rev={}", closing.number, closing.revision), |page, count| {
            (identity.clone(), page_position(page, count, lang))
        });
    let pdf = finish_document(doc, pdf_pages, closing.title, closing.organisation, closing.generated_at)?;
    Ok(RenderedReport { pdf, stamp, missing_glyphs })
}

/// Sets the document's metadata and writes it. The header says PDF 1.7 (printpdf writes 1.3):
/// the signature (ETSI.CAdES.detached) is a PDF 1.7 feature.
fn finish_document(
    mut doc: PdfDocument,
    pages: Vec<printpdf::PdfPage>,
    title: &str,
    organisation: &str,
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>> {
    doc.metadata.info.document_title = title.to_owned();
    doc.metadata.info.author = organisation.to_owned();
    doc.metadata.info.creator = "Yunwei".into();
    doc.metadata.info.producer = "Yunwei".into();
    let created = printpdf::OffsetDateTime::from_unix_timestamp(generated_at.timestamp())
        .map_err(|e| Error::Corrupt(e.to_owned()))?;
    doc.metadata.info.creation_date = created;
    doc.metadata.info.modification_date = created;
    doc.metadata.info.metadata_date = created;
    let mut pdf = doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new());
    if pdf.starts_with(b"%PDF-1.") && pdf.len() > 8 {
        pdf[7] = b'7';
    }
    Ok(pdf)
}

/// "第 1 页 / 共 3 页".
fn page_position(page: usize, count: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("第 {page} 页 / 共 {count} 页"),
        Lang::En => format!("Page {page} of {count}"),
    }
}

/// The top of every document: the logo (if any) with the organisation's name beside it.
fn header(doc: &mut PdfDocument, pages: &mut Pages, organisation: &str, logo: Option<&[u8]>) -> Result<()> {
    match logo.map(decode_logo).transpose()? {
        Some(image) => {
            let size = (image.width, image.height);
            let id = doc.add_image(&image);
            let top = pages.y();
            let width = pages.image_at(id, layout::MARGIN, top, LOGO_HEIGHT, size);
            let x = layout::MARGIN + width + 3.0;
            pages.text_at(x, top + LOGO_HEIGHT / 2.0 - 2.0, organisation, 10.0, true, GREY);
            pages.space(LOGO_HEIGHT + 2.0);
        }
        None => {
            pages.paragraph(organisation, 10.0, true, GREY);
            pages.space(2.0);
        }
    }
    Ok(())
}

/// How tall the logo prints, in mm.
const LOGO_HEIGHT: f32 = 12.0;

/// Reads a logo (PNG or JPEG) for printing; anything else is refused as the form field `logo`.
pub fn decode_logo(bytes: &[u8]) -> Result<printpdf::RawImage> {
    printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new())
        .map_err(|_| Error::Validation(vec![crate::FieldError::new("logo", crate::error::Rule::NotAnImage)]))
}

/// Everyone the incident was assigned to, in order of first assignment.
fn assignees(incident: &Incident, lang: Lang) -> Option<String> {
    let mut people: Vec<&str> = Vec::new();
    for e in &incident.events {
        if let EventData::Assigned { person, .. } = &e.data {
            if !people.contains(&person.as_str()) {
                people.push(person);
            }
        }
    }
    if people.is_empty() {
        return incident.summary.assignee.clone();
    }
    Some(people.join(lang.pick("、", ", ")))
}

/// The analysis of the latest `report_submitted` event, or blanks.
pub fn latest_report_fields(incident: &Incident) -> ReportFields {
    incident
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.data {
            EventData::ReportSubmitted { report, .. } => Some(report.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

fn event_label(data: &EventData, lang: Lang) -> &'static str {
    let tr = |zh, en| lang.pick(zh, en);
    match data {
        EventData::Reported => tr("故障上报", "Reported"),
        EventData::Responded => tr("已响应", "Responded"),
        EventData::PlanSubmitted { .. } => tr("提交方案", "Plan submitted"),
        EventData::PlanActivated { .. } => tr("启动应急预案", "Emergency plan activated"),
        EventData::StepDone { .. } => tr("完成预案步骤", "Plan step done"),
        EventData::OnSiteRequested => tr("要求工程师到场", "On-site requested"),
        EventData::EngineerOnSite => tr("工程师到场", "Engineer on site"),
        EventData::Workaround { .. } => tr("临时措施", "Workaround"),
        EventData::Paused { .. } => tr("暂停计时", "Paused"),
        EventData::Resumed => tr("恢复计时", "Resumed"),
        EventData::LevelChanged { .. } => tr("调整级别", "Level changed"),
        EventData::Assigned { .. } => tr("指派", "Assigned"),
        EventData::Note { .. } => tr("备注", "Note"),
        EventData::Resolved { .. } => tr("已解决", "Resolved"),
        EventData::Reopened { .. } => tr("重新打开", "Reopened"),
        EventData::ReportSubmitted { .. } => tr("提交故障处理报告", "Report submitted"),
        EventData::Closed => tr("关闭", "Closed"),
    }
}

/// The emergency plans activated on an incident, by id, as records name them.
fn activated_plans(events: &[crate::incident::IncidentEvent], lang: Lang) -> Vec<(String, String, usize)> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::PlanActivated { plan_id, name, version, steps } => {
                Some((plan_id.clone(), crate::contingency::titled(name, *version, lang), steps.len()))
            }
            _ => None,
        })
        .collect()
}

fn plan_label(plan: PlanKind, lang: Lang) -> &'static str {
    match plan {
        PlanKind::Handling => lang.pick("故障处理方案", "Handling plan"),
        PlanKind::Emergency => lang.pick("应急方案", "Emergency plan"),
    }
}

/// What a submitted plan says: the activated plan it follows, then its text (empty on
/// records from before plans carried text).
fn plan_said(text: &str, follows: Option<&str>, lang: Lang) -> String {
    let follows = follows.map(|title| match lang {
        Lang::ZhCn => format!("依据{title}"),
        Lang::En => format!("following {title}"),
    });
    let parts: Vec<String> =
        follows.into_iter().chain(Some(text.trim().to_owned()).filter(|t| !t.is_empty())).collect();
    parts.join(lang.pick("；", "; "))
}

fn event_detail(data: &EventData, plans: &[(String, String, usize)], lang: Lang) -> String {
    let title_of = |id: &str| plans.iter().find(|p| p.0 == id).map(|p| p.1.as_str());
    match data {
        EventData::PlanSubmitted { plan, text, contingency } => {
            match plan_said(text, contingency.as_deref().and_then(title_of), lang) {
                said if said.is_empty() => plan_label(*plan, lang).to_owned(),
                said => format!("{}{}{said}", plan_label(*plan, lang), lang.pick("：", ": ")),
            }
        }
        EventData::PlanActivated { name, version, steps, .. } => {
            let title = crate::contingency::titled(name, *version, lang);
            match lang {
                Lang::ZhCn => format!("{title}，共 {} 个步骤", steps.len()),
                Lang::En => format!("{title}, {} steps", steps.len()),
            }
        }
        EventData::StepDone { step, title, person, .. } => match lang {
            Lang::ZhCn => format!("第 {} 步 {title}（执行人：{person}）", step + 1),
            Lang::En => format!("step {} {title} (done by {person})", step + 1),
        },
        EventData::Workaround { summary } | EventData::Resolved { summary } => summary.clone(),
        EventData::Paused { reason } | EventData::Reopened { reason } => reason.clone(),
        EventData::LevelChanged { from, to, reason } => format!("{} → {}：{reason}", from.code(), to.code()),
        EventData::Assigned { person, .. } => person.clone(),
        EventData::Note { text } => text.clone(),
        EventData::ReportSubmitted { report, revision } => match (revision, lang) {
            (Some(n), Lang::ZhCn) => format!("第 {n} 版（已签名）· {}", report.fault_type),
            (Some(n), Lang::En) => format!("revision {n} (signed) · {}", report.fault_type),
            (None, _) => report.fault_type.clone(),
        },
        _ => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
