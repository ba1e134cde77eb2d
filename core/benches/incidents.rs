//! Speed of the incident list, search and SLA engine on a database of 100,000 incidents with
//! realistic event logs. Run: `cargo bench -p yunwei-core --bench incidents`.
//!
//! The database is generated once (through the real import path, so every record passes the
//! rules) and kept in `target/bench-data/`; delete it to regenerate.

use std::hint::black_box;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::app::documents::preview_monthly_report;
use yunwei_core::calendar::WorkingCalendar;
use yunwei_core::incident::{
    ImportEvent, ImportFile, ImportRecord, IncidentQuery, IncidentSort, Level, NewIncident,
};
use yunwei_core::quality::monthly::MajorList;
use yunwei_core::quality::ParetoBy;
use yunwei_core::sla::{evaluate, Calendars, SlaPolicy};
use yunwei_core::store::Store;
use yunwei_core::timeline::{EventData, NewEvent, PlanKind, ReportFields, Status};
use yunwei_core::Lang;

const INCIDENTS: usize = 100_000;
const OPEN: usize = 10_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).single().expect("valid instant")
}

/// A small deterministic generator: the same database on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len() as u64) as usize]
    }
}

const SYSTEMS: &[&str] =
    &["公文流转", "会议管理", "督办系统", "邮件网关", "门户网站", "数据库服务器", "统一认证", "移动办公"];
const SYMPTOMS: &[&str] = &[
    "登录后白屏",
    "提交缓慢",
    "附件无法下载",
    "报错 500",
    "权限异常",
    "打印失败",
    "消息推送延迟",
    "数据同步失败",
];
const CAUSES: &[&str] = &["内存泄漏", "磁盘空间不足", "网络抖动", "配置错误", "证书过期", "索引缺失"];
const PEOPLE: &[&str] = &["张伟", "李强", "王磊", "赵敏", "周婷", "陈刚"];

fn record(rng: &mut Lcg, i: usize) -> ImportRecord {
    let level = ["I", "II", "III", "IV"][rng.next(4) as usize];
    // At least 6 days ago, so even the slowest generated timeline lies in the past.
    let reported = now() - Duration::minutes(6 * 24 * 60 + rng.next(2 * 365 * 24 * 60) as i64);
    let at = |minutes: i64| (reported + Duration::minutes(minutes)).to_rfc3339();
    let ev = |minutes: i64, kind: &str| NewEvent {
        kind: kind.into(),
        occurred_at: at(minutes),
        ..Default::default()
    };
    let actor = Some(rng.pick(PEOPLE).to_owned());
    let mut events = vec![ev(5 + rng.next(60) as i64, "responded")];
    events.push(NewEvent { person: rng.pick(PEOPLE).into(), ..ev(70, "assigned") });
    events.push(NewEvent { text: format!("初步判断为{}", rng.pick(CAUSES)), ..ev(90, "note") });
    if level == "I" {
        events.push(NewEvent { plan: "handling".into(), ..ev(100, "plan_submitted") });
    }
    // The first OPEN incidents stay open; the rest are resolved and mostly closed.
    if i >= OPEN {
        if rng.next(5) == 0 {
            events.push(NewEvent { reason: "等待客户确认".into(), ..ev(120, "paused") });
            events.push(ev(240, "resumed"));
        }
        let done = 300 + rng.next(3000) as i64;
        events
            .push(NewEvent { summary: format!("处理{}问题", rng.pick(CAUSES)), ..ev(done, "resolved") });
        let report = ReportFields {
            fault_type: "应用故障".into(),
            cause: rng.pick(CAUSES).into(),
            method: "修复并验证".into(),
            losses: "无".into(),
            ..Default::default()
        };
        events.push(NewEvent { report, ..ev(done + 600, "report_submitted") });
        events.push(ev(done + 610, "closed"));
    }
    ImportRecord {
        external_id: None,
        incident: NewIncident {
            title: format!("{}{}", rng.pick(SYSTEMS), rng.pick(SYMPTOMS)),
            level: level.into(),
            channel: ["onsite", "hotline", "email", "inspection", "monitoring"][rng.next(5) as usize].into(),
            reported_at: reported.to_rfc3339(),
            reporter: rng.pick(PEOPLE).into(),
            description: format!(
                "用户反映{}{}，影响约 {} 人。",
                rng.pick(SYSTEMS),
                rng.pick(SYMPTOMS),
                rng.next(300)
            ),
            system: rng.pick(SYSTEMS).into(),
        },
        events: events.into_iter().map(|event| ImportEvent { event, actor: actor.clone() }).collect(),
    }
}

fn database() -> Store {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let path = dir.join("incidents-100k.db");
    let mut store = Store::open(&path, now()).expect("open bench database");
    let have =
        store.list_incidents(&IncidentQuery { limit: 1, ..Default::default() }, now()).expect("count").total;
    if have as usize != INCIDENTS {
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("incidents-100k.db{suffix}")));
        }
        store = Store::open(&path, now()).expect("create bench database");
        let mut rng = Lcg(7);
        let started = std::time::Instant::now();
        for chunk in (0..INCIDENTS).collect::<Vec<_>>().chunks(5_000) {
            let file = ImportFile { incidents: chunk.iter().map(|&i| record(&mut rng, i)).collect() };
            store.import_incidents(&file, None, now()).expect("import generated incidents");
        }
        eprintln!("generated {INCIDENTS} incidents in {:.1} s", started.elapsed().as_secs_f64());
    }
    store
}

/// An incident's opening level and its timeline, as the engine receives them.
type Timeline = (Level, Vec<(EventData, DateTime<Utc>)>);

/// Timelines of open incidents.
fn open_timelines(n: usize) -> Vec<Timeline> {
    let mut rng = Lcg(11);
    (0..n)
        .map(|_| {
            let level = [Level::I, Level::II, Level::III, Level::IV][rng.next(4) as usize];
            let reported = now() - Duration::minutes(rng.next(3 * 24 * 60) as i64);
            let at = |m: i64| reported + Duration::minutes(m);
            let mut events = vec![(EventData::Reported, reported), (EventData::Responded, at(10))];
            events.push((EventData::Assigned { person: "李强".into(), person_id: None }, at(12)));
            if level == Level::I {
                events.push((EventData::plan_submitted(PlanKind::Handling), at(40)));
            }
            if rng.next(4) == 0 {
                events.push((EventData::Paused { reason: "等待客户".into() }, at(50)));
                events.push((EventData::Resumed, at(80)));
            }
            events.retain(|(_, t)| *t <= now());
            (level, events)
        })
        .collect()
}

/// A copy of the bench database as the list ran on before its own indexes (migration 0002:
/// `incidents_by_time`, `_by_status`, `_by_level`, `_by_reported_response`; migration 0010:
/// `incidents_by_urgency`) and without the planner statistics kept since: the baseline of the
/// list figures, rebuilt on every run.
fn baseline_database(store: &Store) -> Store {
    let path = store.path().expect("a file").with_file_name("incidents-100k-baseline.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let source = rusqlite::Connection::open(store.path().expect("a file")).expect("open");
    source.execute("VACUUM INTO ?1", [path.to_string_lossy()]).expect("copy");
    let copy = rusqlite::Connection::open(&path).expect("open the copy");
    copy.execute_batch(
        "DROP INDEX incidents_by_time; DROP INDEX incidents_by_status; DROP INDEX incidents_by_level;
         DROP INDEX incidents_by_reported_response; DROP INDEX incidents_by_urgency;
         DELETE FROM sqlite_stat1;",
    )
    .expect("drop the list's indexes");
    drop(copy);
    Store::open(&path, now()).expect("open the baseline")
}

fn benches(c: &mut Criterion) {
    let store = database();
    let baseline = baseline_database(&store);
    let t = now();

    let lists = [
        ("first page, no filter (50 rows)", IncidentQuery::default()),
        (
            "first page by reported time, newest first (the default before urgency)",
            IncidentQuery { sort: IncidentSort::Reported, descending: true, ..Default::default() },
        ),
        (
            "list page with filters (levels I-II, open, 50 rows)",
            IncidentQuery {
                levels: vec![Level::I, Level::II],
                statuses: vec![Status::New, Status::InProgress, Status::Paused],
                ..Default::default()
            },
        ),
        (
            "list page deep in the list (offset 50,000)",
            IncidentQuery { offset: 50_000, ..Default::default() },
        ),
        (
            "full-text search, Chinese trigram (数据库服务器)",
            IncidentQuery { search: "数据库服务器".into(), ..Default::default() },
        ),
        (
            "full-text search, two characters by substring (白屏)",
            IncidentQuery { search: "白屏".into(), ..Default::default() },
        ),
        ("pinyin search (shujuku)", IncidentQuery { search: "shujuku".into(), ..Default::default() }),
    ];
    for (name, q) in &lists {
        let found = store.list_incidents(q, t).expect("list");
        let same = baseline.list_incidents(q, t).expect("list");
        assert_eq!(
            found.items.iter().map(|i| &i.id).collect::<Vec<_>>(),
            same.items.iter().map(|i| &i.id).collect::<Vec<_>>(),
            "the baseline answers {name} the same"
        );
        eprintln!("{name}: {} matches", found.total);
        c.bench_function(name, |b| b.iter(|| black_box(store.list_incidents(q, t).expect("list"))));
        c.bench_function(&format!("baseline: {name}"), |b| {
            b.iter(|| black_box(baseline.list_incidents(q, t).expect("list")))
        });
    }

    // The Dashboard's period figures (issue 7): a month and a whole year of the 100,000, from the
    // SLA projection; the baseline replays the month's incidents through the engine instead.
    let month = (
        Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).single().expect("instant"),
        Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).single().expect("instant"),
    );
    let year = (Utc.with_ymd_and_hms(2025, 11, 26, 16, 0, 0).single().expect("instant"), t);
    c.bench_function("period figures, a month (compliance, MTTA/MTTR, backlog, tallies)", |b| {
        b.iter(|| black_box(store.period_stats(month.0, month.1, t).expect("stats")))
    });
    c.bench_function("period figures, a year", |b| {
        b.iter(|| black_box(store.period_stats(year.0, year.1, t).expect("stats")))
    });
    c.bench_function("QC charts of a month (Pareto, XmR, weekly p-chart)", |b| {
        b.iter(|| {
            black_box(store.pareto(ParetoBy::Cause, month.0, month.1, Lang::ZhCn).expect("pareto"));
            black_box(store.resolution_chart(month.0, month.1).expect("xmr"));
            black_box(store.breach_chart(month.0, month.1, t).expect("p-chart"));
        })
    });
    // The month's compliance without the projection: list the incidents that can have anything
    // due in the month (reported from 10 days before it: no milestone of the generated
    // timelines falls due later than that) and replay each through the SLA engine.
    let replayed = || {
        let q = IncidentQuery {
            reported_from: Some(month.0 - Duration::days(10)),
            reported_to: Some(month.1),
            limit: 500,
            ..Default::default()
        };
        let (mut due, mut met) = (0u32, 0u32);
        let mut page = q.clone();
        loop {
            let found = store.list_incidents(&page, t).expect("list");
            for summary in &found.items {
                let incident = store.get_incident(&summary.id, t).expect("incident");
                for m in
                    incident.milestones.iter().filter(|m| m.due.is_some_and(|d| d >= month.0 && d < month.1))
                {
                    due += 1;
                    met += u32::from(m.met_at.is_some_and(|at| Some(at) <= m.due));
                }
            }
            if found.items.len() < page.limit as usize {
                break;
            }
            page.offset += page.limit;
        }
        (due, met)
    };
    let stats = store.period_stats(month.0, month.1, t).expect("stats");
    let counted = stats.compliance.iter().fold((0, 0), |(d, m), c| (d + c.due, m + c.met));
    assert_eq!(replayed(), counted, "the baseline's replay and the projection agree on the month");
    eprintln!("a month's compliance: {} met of {} due", counted.1, counted.0);
    c.bench_function("baseline: a month's compliance by replaying each incident", |b| {
        b.iter(|| black_box(replayed()))
    });

    // The monthly report at 100,000 (issue 16): the body names the first level I/II incidents and
    // counts the rest; the baseline is the report as it was, listing every one of them (now the
    // appendix on request). Unsigned drafts: signing adds the same few ms to both.
    let october = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    for (name, list) in [
        ("monthly report of a month (first 15 major incidents named)", MajorList::Named),
        ("baseline: monthly report listing every major incident", MajorList::Full),
    ] {
        let draft = preview_monthly_report(&store, october, list, Lang::ZhCn, t).expect("report");
        let pages = lopdf::Document::load_mem(&draft.pdf).expect("a PDF").get_pages().len();
        eprintln!("{name}: {pages} pages, {} bytes", draft.pdf.len());
        c.bench_function(name, |b| {
            b.iter(|| {
                black_box(preview_monthly_report(&store, october, list, Lang::ZhCn, t).expect("report"))
            })
        });
    }

    let policy = SlaPolicy::contract_default();
    let calendars = Calendars::new(WorkingCalendar::china_default());
    let timelines = open_timelines(OPEN);
    c.bench_function("SLA of 10,000 open incidents (engine)", |b| {
        b.iter(|| {
            for (level, events) in &timelines {
                black_box(evaluate(&policy, &calendars, *level, events, t, Lang::ZhCn));
            }
        })
    });
}

criterion_group! {
    name = incident_benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = benches
}
criterion_main!(incident_benches);
