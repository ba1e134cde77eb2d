//! The report rendered for real and read back with poppler (pdftotext, pdfinfo), as a reader's
//! machine would.

use std::process::Command;

use super::*;
use crate::incident::NewIncident;
use crate::store::testing::{in_memory_db, now};
use crate::store::Store;
use crate::timeline::NewEvent;

/// A level I incident resolved and reported, with `notes` extra notes in its timeline.
fn incident(store: &mut Store, title: &str, notes: usize) -> Incident {
    let input = NewIncident {
        title: title.into(),
        level: "I".into(),
        channel: "onsite".into(),
        reported_at: "2026-11-27T06:00:00+08:00".into(),
        reporter: "信息中心 陈刚".into(),
        description: "上午 6 点起所有用户登录后页面空白，公文、会议、督办均无法使用。".into(),
        system: "OA 门户与统一认证".into(),
    };
    let id = store.create_incident(&input, now()).unwrap().summary.id;
    let at = |minutes: i64| (now() - chrono::Duration::minutes(240 - minutes)).to_rfc3339();
    let mut add = |e: NewEvent| store.append_event(&id, &e, now()).unwrap();
    add(NewEvent { kind: "responded".into(), occurred_at: at(0), ..Default::default() });
    for person in ["周婷", "李强"] {
        add(NewEvent {
            kind: "assigned".into(),
            occurred_at: at(0),
            person: person.into(),
            ..Default::default()
        });
    }
    for n in 0..notes {
        let text = format!(
            "第 {n} 次排查：检查应用服务器日志、数据库连接池与负载均衡配置，结果正常，继续观察 Java 堆内存。"
        );
        add(NewEvent { kind: "note".into(), occurred_at: at(1 + n as i64), text, ..Default::default() });
    }
    add(NewEvent {
        kind: "paused".into(),
        occurred_at: at(60),
        reason: "等待客户提供数据库日志".into(),
        ..Default::default()
    });
    add(NewEvent { kind: "resumed".into(), occurred_at: at(90), ..Default::default() });
    add(NewEvent {
        kind: "resolved".into(),
        occurred_at: at(120),
        summary: "重启应用服务并修复内存泄漏".into(),
        ..Default::default()
    });
    add(NewEvent {
        kind: "report_submitted".into(),
        occurred_at: at(150),
        report: ReportFields {
            fault_type: "应用服务器故障".into(),
            cause: "定时任务未释放数据库连接，内存耗尽".into(),
            method: "重启服务，升级补丁，增加连接池监控".into(),
            losses: "全单位停止办公约 2 小时".into(),
            data_protection: "故障前已完成全量备份，无数据丢失".into(),
            follow_up: "每周检查连接池指标；补丁纳入变更管理".into(),
            ..Default::default()
        },
        ..Default::default()
    })
}

/// The app icon as a logo (PNG).
pub(crate) fn logo_png() -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../icons/128x128.png")).unwrap()
}

fn render(incident: &Incident, lang: Lang) -> Vec<u8> {
    let logo = logo_png();
    let input = ReportInput {
        organisation: "某某信息技术有限公司 OA 运维项目组",
        incident,
        revision: 1,
        lang,
        generated_at: now(),
        fields: None,
        signature: Some(SignatureLine { name: "李强", title: "项目经理", at: now() }),
        sample: false,
        logo: Some(&logo),
        categories: &crate::category::Resolver::default(),
    };
    let rendered = incident_report_pdf(&input, ReportFonts::get().unwrap()).unwrap();
    assert!(rendered.stamp.is_some(), "the signature stamp has a place for its widget");
    let pdf = rendered.pdf;
    // `YUNWEI_REPORT_DIR=dir cargo test report` keeps the PDFs to look at (pdftoppm).
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        let name = format!(
            "{}-{}-{}.pdf",
            incident.summary.title.chars().count(),
            incident.events.len(),
            lang.tag()
        );
        std::fs::write(std::path::Path::new(&dir).join(name), &pdf).unwrap();
    }
    pdf
}

pub(crate) fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    // pdftotext decides spacing by glyph distance: compare text without whitespace.
    squash(&String::from_utf8_lossy(&out.stdout))
}

pub(crate) fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

pub(crate) fn pages(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

#[test]
fn the_chinese_report_is_real_text_in_every_section() {
    let mut store = in_memory_db();
    let incident = incident(&mut store, "OA 系统登录后白屏，全单位无法办公", 2);
    let pdf = render(&incident, Lang::ZhCn);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = poppler("pdftotext", &pdf);
    for expected in [
        "故障处理报告",
        "RPT-2026-0001",
        "一、故障概况",
        "OA 系统登录后白屏",
        "二、SLA 时限执行情况",
        "到期",
        "三、故障分析与处理",
        "定时任务未释放数据库连接",
        "四、处理过程",
        "等待客户提供数据库日志",
        "周婷、李强",
        "后续措施",
        "每周检查连接池指标",
        "五、签字确认",
        "项目经理",
        "电子签名：李强（项目经理）",
        "第 1 页 / 共",
        "影响系统",
        "OA 门户与统一认证",
    ] {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?} in:\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let list = Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages (poppler-utils)");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.lines().any(|l| l.split_whitespace().next() == Some("1")), "the logo on page 1:\n{list}");
}

#[test]
fn a_forty_event_timeline_spills_onto_a_third_page_and_stays_small() {
    let mut store = in_memory_db();
    let incident = incident(&mut store, "OA 系统登录后白屏，全单位无法办公", 40);
    let pdf = render(&incident, Lang::ZhCn);
    assert!(pages(&pdf) >= 3, "40 events take at least three pages");
    assert!(pdf.len() < 200 * 1024, "a 3-page report is under 200 KB (fonts subset): {} bytes", pdf.len());
    let text = poppler("pdftotext", &pdf);
    assert!(text.contains("第39次排查"), "the last note is there");
    assert!(text.matches("人员").count() >= 2, "the timeline's header row repeats on the next page");
}

#[test]
fn the_english_report_and_a_very_long_title() {
    let mut store = in_memory_db();
    let title =
        "数据库服务器在月末结账高峰期间出现间歇性连接超时导致财务、人事与公文系统同时响应缓慢".repeat(2);
    let incident = incident(&mut store, &title, 1);
    let text = poppler("pdftotext", &render(&incident, Lang::En));
    for expected in
        ["Incident Report", "1. Incident summary", "2. SLA milestones", "Page 1 of", "Prepared by"]
    {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?}");
    }
    assert!(text.contains("数据库服务器在月末结账"), "Chinese text inside the English report still renders");
}

#[test]
fn every_page_footer_carries_a_qr_code_a_scanner_reads() {
    let mut store = in_memory_db();
    let incident = incident(&mut store, "OA 系统登录后白屏", 1);
    let pdf = render(&incident, Lang::ZhCn);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let png = dir.path().join("page");
    let rendered = Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(&png)
        .status();
    assert!(rendered.expect("pdftoppm (poppler-utils)").success());
    let page = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("page image");
    let out =
        Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&page).output().expect("zbarimg (zbar-tools)");
    let decoded = String::from_utf8_lossy(&out.stdout);
    assert!(decoded.starts_with("RPT-2026-0001;rev=1;sha256="), "the QR code decodes: {decoded:?}");
    let text = poppler("pdftotext", &pdf);
    let digest = decoded.trim().rsplit('=').next().unwrap();
    assert!(text.contains(digest), "the printed digest matches the QR code");
}

#[test]
fn control_characters_print_as_escapes_and_a_missing_glyph_is_visible_and_listed() {
    let mut store = in_memory_db();
    let mut incident = incident(&mut store, "OA 白屏", 1);
    // A row from before text was checked on the way in: a bidi override, a bell and an emoji
    // the CJK font has no glyph for.
    incident.summary.title = "门户\u{202E}白屏\u{7}告警 😀 修复".into();
    let input = ReportInput {
        organisation: "运维项目组",
        incident: &incident,
        revision: 1,
        lang: Lang::ZhCn,
        generated_at: now(),
        fields: None,
        signature: None,
        sample: false,
        logo: None,
        categories: &crate::category::Resolver::default(),
    };
    let rendered = incident_report_pdf(&input, ReportFonts::get().unwrap()).unwrap();
    assert_eq!(rendered.missing_glyphs, vec!['😀']);
    let text = poppler("pdftotext", &rendered.pdf);
    assert!(text.contains(r"门户\u{202e}白屏\u{7}告警〓修复"), "{text}");
    assert!(!text.contains(['\u{202E}', '\u{7}', '😀']));
    assert!(text.contains("草稿DRAFT"), "an unsigned report is a draft");
}
