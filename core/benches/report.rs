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
use yunwei_core::report::{incident_report_pdf, ReportFonts, ReportInput, SignatureLine};
use yunwei_core::signing::{create_identity, sign_pdf, unseal, SignRequest, Subject};
use yunwei_core::store::Store;
use yunwei_core::timeline::{EventData, NewEvent, ReportFields};
use yunwei_core::Lang;

const ORGANISATION: &str = "某某信息技术有限公司";

fn incident() -> Incident {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).single().expect("instant");
    let mut store = Store::open_in_memory().expect("store");
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
    let input = ReportInput {
        organisation: ORGANISATION,
        incident: &incident,
        revision: 1,
        lang: Lang::ZhCn,
        generated_at: now,
        fields: None,
        signature: Some(SignatureLine { name: "李强", title: "项目经理", at: now }),
        logo: None,
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
    eprintln!("report: {} bytes unsigned, {} bytes signed", unsigned.len(), signed.len());

    let mut group = c.benchmark_group("incident report, 43 events (3 pages)");
    group.bench_function("generate (fonts loaded)", |b| {
        b.iter(|| black_box(incident_report_pdf(&input, fonts).expect("pdf")))
    });
    group.bench_function("generate + sign", |b| b.iter(|| black_box(generate_and_sign())));

    // Baseline: the same content as HTML (same font files), printed by headless Chromium.
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    std::fs::write(&html, report_html(&incident)).expect("write html");
    let out = dir.path().join("chromium.pdf");
    match chromium() {
        Some(browser) => {
            print_with(&browser, &html, &out);
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            eprintln!("baseline: {browser} printed {size} bytes");
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

/// The report's sections as HTML, with the same Noto Sans SC files embedded by the browser.
fn report_html(incident: &Incident) -> String {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
    let s = &incident.summary;
    let time = |t: chrono::DateTime<Utc>| yunwei_core::i18n::format_service_time(t);
    let rows = |cells: Vec<Vec<String>>| -> String {
        cells
            .iter()
            .map(|r| format!("<tr>{}</tr>", r.iter().map(|c| format!("<td>{c}</td>")).collect::<String>()))
            .collect()
    };
    let milestones = rows(
        incident
            .milestones
            .iter()
            .map(|m| {
                vec![
                    m.kind.label(Lang::ZhCn).to_owned(),
                    m.due.map(time).unwrap_or_default(),
                    m.met_at.map(time).unwrap_or_default(),
                    format!("{:?}", m.state),
                    m.explanation.clone(),
                ]
            })
            .collect(),
    );
    let timeline = rows(
        incident
            .events
            .iter()
            .map(|e| {
                let note = match &e.data {
                    EventData::Note { text } => text.clone(),
                    EventData::Resolved { summary } => summary.clone(),
                    _ => String::new(),
                };
                vec![time(e.occurred_at), e.actor.clone().unwrap_or_default(), e.data.kind().to_owned(), note]
            })
            .collect(),
    );
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Noto; src: url("file://{fonts}/NotoSansSC-Regular.ttf"); }}
@font-face {{ font-family: Noto; font-weight: bold; src: url("file://{fonts}/NotoSansSC-Bold.ttf"); }}
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: Noto; font-size: 9pt; }}
table {{ width: 100%; border-collapse: collapse; }} thead {{ display: table-header-group; }}
td, th {{ border-bottom: 0.5pt solid #ccc; padding: 3pt; text-align: left; vertical-align: top; }}
h1 {{ text-align: center; font-size: 20pt; }} h2 {{ font-size: 12pt; border-bottom: 0.8pt solid #000; }}
</style></head><body>
<p>{org}</p><h1>故障处理报告</h1><p style="text-align:center">报告编号 RPT · 第 1 版</p>
<h2>一、故障概况</h2><table><tr><td>故障编号</td><td>{number}</td><td>故障级别</td><td>{level}</td></tr>
<tr><td>故障标题</td><td>{title}</td><td>报告人</td><td>{reporter}</td></tr>
<tr><td>故障描述</td><td colspan="3">{description}</td></tr></table>
<h2>二、SLA 时限执行情况</h2><table><thead><tr><th>时限</th><th>到期</th><th>实际完成</th><th>结果</th><th>说明</th></tr></thead>{milestones}</table>
<h2>四、处理过程</h2><table><thead><tr><th>时间</th><th>人员</th><th>事件</th><th>说明</th></tr></thead>{timeline}</table>
<h2>五、签字确认</h2><table><tr><td>编制</td><td>工程师</td></tr><tr><td>审核</td><td>质量管理部</td></tr>
<tr><td>批准</td><td>项目经理</td></tr><tr><td>确认</td><td>客户方</td></tr></table>
</body></html>"#,
        fonts = fonts.display(),
        org = ORGANISATION,
        number = s.number,
        level = s.level.code(),
        title = s.title,
        reporter = s.reporter,
        description = incident.description,
    )
}

criterion_group! {
    name = report_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(report_benches);
