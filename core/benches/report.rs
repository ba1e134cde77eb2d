//! Speed and size of the incident report. Run: `cargo bench -p yunwei-core --bench report`.

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::incident::NewIncident;
use yunwei_core::report::{incident_report_pdf, ReportFonts, ReportInput};
use yunwei_core::store::Store;
use yunwei_core::timeline::{NewEvent, ReportFields};
use yunwei_core::Lang;

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).single().expect("instant");
    let mut store = Store::open_in_memory().expect("store");
    let input = NewIncident {
        title: "OA 系统登录后白屏，全单位无法办公".into(),
        level: "I".into(),
        channel: "onsite".into(),
        reported_at: (now - Duration::hours(6)).to_rfc3339(),
        reporter: "信息中心 陈刚".into(),
        description: "所有用户登录后页面空白，公文、会议、督办均无法使用。".into(),
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
    };
    add(NewEvent { kind: "report_submitted".into(), occurred_at: at(150), report, ..Default::default() });
    let incident = store.get_incident(&id, now).expect("read back");
    let fonts = ReportFonts::get().expect("fonts");
    let input = ReportInput {
        organisation: "某某信息技术有限公司",
        incident: &incident,
        revision: 1,
        lang: Lang::ZhCn,
        generated_at: now,
    };
    let pdf = incident_report_pdf(&input, fonts).expect("pdf");
    eprintln!("report: {} bytes", pdf.len());
    c.bench_function("incident report, 43 events (3 pages), fonts loaded", |b| {
        b.iter(|| black_box(incident_report_pdf(&input, fonts).expect("pdf")))
    });
}

criterion_group! {
    name = report_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(report_benches);
