//! Speed and size of the signed incident report, against a baseline: the same report printed
//! to PDF by headless Chromium from equivalent HTML, measured in the same run.
//!
//! Run: `make bench-report` (installs Chromium when missing), or
//! `cargo bench -p yunwei-core --bench report` (without Chromium the baseline is skipped).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::incident::{Incident, NewIncident};
use yunwei_core::report::{
    incident_report_content, incident_report_pdf, ReportContent, ReportFonts, ReportInput, SignatureLine,
};
use yunwei_core::signing::{create_identity, sign_pdf, unseal, SignRequest, Subject};
use yunwei_core::store::Store;
use yunwei_core::timeline::{NewEvent, ReportFields};
use yunwei_core::Lang;

const ORGANISATION: &str = "某某信息技术有限公司";

fn incident() -> Incident {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).single().expect("instant");
    let mut store = Store::open_in_memory(yunwei_core::now()).expect("store");
    let input = NewIncident {
        title: "OA 系统登录后白屏，全单位无法办公".into(),
        level: "I".into(),
        channel: "onsite".into(),
        reported_at: (now - Duration::hours(6)).to_rfc3339(),
        reporter: "信息中心 陈刚".into(),
        description: "所有用户登录后页面空白，公文、会议、督办均无法使用。".into(),
        system: "OA 门户与统一认证".into(),
    };
    let id = store.create_incident(&input, now).expect("incident").summary.id;
    let at = |m: i64| (now - Duration::hours(6) + Duration::minutes(m)).to_rfc3339();
    let mut add = |e: NewEvent| {
        store.append_event(&id, &e, now).expect("event");
    };
    add(NewEvent { kind: "responded".into(), occurred_at: at(5), ..Default::default() });
    for n in 0..40 {
        let text =
            format!("第 {n} 次排查：检查应用服务器日志、数据库连接池与负载均衡配置，继续观察 Java 堆内存。");
        add(NewEvent { kind: "note".into(), occurred_at: at(10 + n), text, ..Default::default() });
    }
    add(NewEvent {
        kind: "resolved".into(),
        occurred_at: at(120),
        summary: "重启并修复".into(),
        ..Default::default()
    });
    let report = ReportFields {
        fault_type: "应用故障".into(),
        cause: "内存泄漏".into(),
        method: "重启并升级补丁".into(),
        losses: "停工 2 小时".into(),
        data_protection: "无数据丢失".into(),
        follow_up: "增加内存监控".into(),
        ..Default::default()
    };
    add(NewEvent { kind: "report_submitted".into(), occurred_at: at(150), report, ..Default::default() });
    store.get_incident(&id, now).expect("read back")
}

fn benches(c: &mut Criterion) {
    let incident = incident();
    let now = incident.created_at;
    let fonts = ReportFonts::get().expect("fonts");
    let subject = Subject { organisation: ORGANISATION, person: "李强", title: "项目经理" };
    let identity = create_identity(&subject, "bench passphrase", now).expect("identity");
    let signer = unseal(&identity.signer, "bench passphrase").expect("unseal");
    let logo_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../icons/128x128.png");
    let logo = std::fs::read(&logo_path).expect("logo");
    let input = ReportInput {
        organisation: ORGANISATION,
        incident: &incident,
        revision: 1,
        lang: Lang::ZhCn,
        generated_at: now,
        fields: None,
        signature: Some(SignatureLine { name: "李强", title: "项目经理", at: now }),
        sample: false,
        logo: Some(&logo),
        categories: &Default::default(),
    };
    let generate_and_sign = || {
        let rendered = incident_report_pdf(&input, fonts).expect("pdf");
        let request = SignRequest {
            signer: &signer,
            name: "李强",
            reason: "故障处理报告",
            location: ORGANISATION,
            at: now,
            placement: rendered.stamp,
        };
        sign_pdf(&rendered.pdf, &request).expect("sign")
    };
    let unsigned = incident_report_pdf(&input, fonts).expect("pdf").pdf;
    let signed = generate_and_sign();
    let name = format!("incident report, {} events ({} pages)", incident.events.len(), pages(&signed));
    eprintln!("{name}: {} bytes unsigned, {} bytes signed", unsigned.len(), signed.len());
    // YUNWEI_BENCH_OUT=<dir> keeps both documents, to look at and compare.
    let keep = std::env::var_os("YUNWEI_BENCH_OUT").map(std::path::PathBuf::from);
    if let Some(dir) = &keep {
        std::fs::write(dir.join("yunwei.pdf"), &signed).expect("write the report");
    }

    let mut group = c.benchmark_group(name);
    group.bench_function("generate (fonts loaded)", |b| {
        b.iter(|| black_box(incident_report_pdf(&input, fonts).expect("pdf")))
    });
    group.bench_function("generate + sign", |b| b.iter(|| black_box(generate_and_sign())));

    // Baseline: the same content as HTML (same font files), printed by headless Chromium.
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    let content = incident_report_content(&input);
    let qr = dir.path().join("qr.svg");
    std::fs::write(&qr, qr_svg(&content.qr_data)).expect("write the QR code");
    std::fs::write(&html, report_html(&content, &logo_path, &qr)).expect("write html");
    let out = keep.as_deref().unwrap_or(dir.path()).join("chromium.pdf");
    match chromium() {
        Some(browser) => {
            print_with(&browser, &html, &out);
            let printed = std::fs::read(&out).expect("chromium's PDF");
            eprintln!("baseline: {browser} printed {} bytes, {} pages", printed.len(), pages(&printed));
            group.sample_size(10);
            group.bench_function("baseline: headless Chromium HTML → PDF", |b| {
                b.iter(|| print_with(&browser, &html, &out))
            });
        }
        None => eprintln!("baseline skipped: no chromium on PATH (make bench-report installs it)"),
    }
    group.finish();
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(str::to_owned)
}

fn print_with(browser: &str, html: &Path, out: &Path) {
    let status = Command::new(browser)
        .args(["--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer"])
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(status.status.success(), "chromium failed: {}", String::from_utf8_lossy(&status.stderr));
}

/// The report's content as HTML — every section, the logo, the stamp, the seal and the
/// footer with its QR code and page numbers — with the same Noto Sans SC files, for the browser
/// to lay out and embed.
fn report_html(content: &ReportContent, logo: &Path, qr: &Path) -> String {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('\n', "<br>");
    let mut body = String::new();
    for section in &content.sections {
        body.push_str(&format!("<h2>{}</h2><table>", escape(&section.heading)));
        if section.columns.iter().any(|c| !c.header.is_empty()) {
            let head: String =
                section.columns.iter().map(|c| format!("<th>{}</th>", escape(&c.header))).collect();
            body.push_str(&format!("<thead><tr>{head}</tr></thead>"));
        }
        for row in &section.rows {
            // A short row's last cell spans the columns left, as in the PDF.
            let span = section.columns.len().saturating_sub(row.len()) + 1;
            let cells: String = row
                .iter()
                .zip(&section.columns)
                .enumerate()
                .map(|(i, (cell, c))| {
                    let span = if i + 1 == row.len() { span } else { 1 };
                    format!(r#"<td colspan="{span}" style="width:{}%">{}</td>"#, c.width, escape(cell))
                })
                .collect();
            body.push_str(&format!("<tr>{cells}</tr>"));
        }
        body.push_str("</table>");
        if let Some(note) = &section.note {
            body.push_str(&format!(r#"<p class="grey">{}</p>"#, escape(note)));
        }
    }
    let (heading, roles) = &content.sign_off;
    let blank = "<br><br>________________";
    let roles: String = roles
        .iter()
        .map(|(what, role)| {
            format!("<tr><td>{what}</td><td>{role}</td><td>{blank}</td><td>{blank}</td><td>{blank}</td></tr>")
        })
        .collect();
    let stamp = content
        .stamp
        .as_ref()
        .map(|lines| {
            format!(
                r#"<div class="stamp">{}</div>"#,
                lines.iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>")
            )
        })
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Noto; src: url("file://{fonts}/NotoSansSC-Regular.ttf"); }}
@font-face {{ font-family: Noto; font-weight: bold; src: url("file://{fonts}/NotoSansSC-Bold.ttf"); }}
@page {{ size: A4; margin: 18mm 18mm 26mm;
  @bottom-left {{ content: "{identity}\A第 " counter(page) " 页 / 共 " counter(pages) " 页"; white-space: pre;
    font: 7.5pt Noto; color: #666; }}
  @bottom-right {{ content: url("file://{qr}"); }} }}
body {{ font-family: Noto; font-size: 9pt; }}
table {{ width: 100%; border-collapse: collapse; margin-bottom: 4pt; }} thead {{ display: table-header-group; }}
td, th {{ border: 0.4pt solid #999; padding: 2pt 3pt; text-align: left; vertical-align: top; }}
h1 {{ text-align: center; font-size: 20pt; margin: 4pt 0; }} h2 {{ font-size: 12pt; border-bottom: 0.8pt solid #000; }}
.grey {{ color: #666; }} .head {{ display: flex; align-items: center; gap: 3mm; font-weight: bold; color: #666; }}
.stamp {{ border: 0.8pt solid #1f4e9e; color: #1f4e9e; padding: 3pt 5pt; margin: 6pt 0; font-size: 8.5pt; }}
</style></head><body>
<div class="head"><img src="file://{logo}" style="height:12mm">{org}</div>
<h1>{title}</h1><p style="text-align:center">{meta}</p>
{body}
<div style="break-inside: avoid"><h2>{heading}</h2>
<table><thead><tr><th></th><th>角色</th><th>姓名</th><th>签字</th><th>日期</th></tr></thead>{roles}</table>
{stamp}<p class="grey">{seal}</p></div>
</body></html>"#,
        fonts = fonts.display(),
        logo = logo.display(),
        org = escape(&content.organisation),
        title = escape(&content.title),
        meta = escape(&content.meta),
        identity = content.identity.replace('"', "\\\""),
        qr = qr.display(),
        seal = escape(&content.seal),
    )
}

/// The footer's QR code as inline SVG (15 mm, as in the PDF).
fn qr_svg(data: &str) -> String {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).expect("qr");
    let width = code.width();
    let cells: String = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == qrcode::Color::Dark)
        .map(|(i, _)| format!(r#"<rect x="{}" y="{}" width="1" height="1"/>"#, i % width, i / width))
        .collect();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width}" width="15mm" height="15mm">{cells}</svg>"#
    )
}

/// The number of pages of a PDF.
fn pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).expect("a PDF").get_pages().len()
}

criterion_group! {
    name = report_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(report_benches);
