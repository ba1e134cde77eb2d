//! One SLA truth: a set of incidents in every state the contract knows, read through every path
//! that shows their clocks — the detail, the list row, each list filter, the Dashboard's
//! counts, the period's compliance, the report's table, the signed PDF and
//! `yunwei incident show --json` — and each path must say what the detail says.

use std::collections::BTreeSet;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use yunwei_core::data_dir::Access;
use yunwei_core::incident::{most_urgent, DueFilter, Incident, IncidentQuery, NewIncident};
use yunwei_core::report::linebreak::{NO_LINE_END, NO_LINE_START};
use yunwei_core::report::{incident_report_content, ReportInput};
use yunwei_core::sla::{MilestoneKind, MilestoneReport, MilestoneState};
use yunwei_core::store::Store;
use yunwei_core::timeline::{NewEvent, ReportFields, Status};
use yunwei_core::Lang;

const NOW: &str = "2026-11-20T12:00:00+08:00";

/// Punctuation at every turn, brackets, numbers with units: the printed lines must keep the
/// Chinese line-breaking rules.
const DESCRIPTION: &str =
    "上午九点起，多个部门反映公文系统打开后白屏（包括办公室、财务处、人事处），刷新无效；\
    初步判断为应用服务器缓存失效，导致前端资源加载失败。已通知厂商（远程协助），并要求工程师到场。\
    影响约 120 人，持续 35 分钟，累计 2 小时内反复出现 3 次！是否需要扩容？";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("RFC 3339").with_timezone(&Utc)
}

/// `(title, level, reported at, [(event kind, at)])`, times on the service clock.
type Case = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const CASES: &[Case] = &[
    (
        "closed without a handling plan",
        "I",
        "2026-11-20T08:00:00+08:00",
        &[
            ("responded", "2026-11-20T08:02:00+08:00"),
            ("resolved", "2026-11-20T08:05:00+08:00"),
            ("report_submitted", "2026-11-20T08:10:00+08:00"),
            ("closed", "2026-11-20T08:15:00+08:00"),
        ],
    ),
    (
        "handling plan due soon",
        "I",
        "2026-11-20T10:30:00+08:00",
        &[("responded", "2026-11-20T10:35:00+08:00")],
    ),
    ("no response yet", "II", "2026-11-20T08:00:00+08:00", &[]),
    (
        "report overdue",
        "III",
        "2026-11-17T09:00:00+08:00",
        &[("responded", "2026-11-17T09:10:00+08:00"), ("resolved", "2026-11-18T09:00:00+08:00")],
    ),
    (
        "paused",
        "II",
        "2026-11-20T09:00:00+08:00",
        &[("responded", "2026-11-20T09:10:00+08:00"), ("paused", "2026-11-20T09:30:00+08:00")],
    ),
    (
        "resolved late without an emergency plan, closed",
        "I",
        "2026-11-18T00:00:00+08:00",
        &[
            ("responded", "2026-11-18T00:10:00+08:00"),
            ("plan_submitted", "2026-11-18T01:00:00+08:00"),
            ("resolved", "2026-11-18T17:00:00+08:00"),
            ("report_submitted", "2026-11-18T18:00:00+08:00"),
            ("closed", "2026-11-18T19:00:00+08:00"),
        ],
    ),
    (
        "resolved before the engineer was due",
        "III",
        "2026-11-19T09:00:00+08:00",
        &[
            ("responded", "2026-11-19T09:10:00+08:00"),
            ("on_site_requested", "2026-11-19T10:00:00+08:00"),
            ("resolved", "2026-11-19T11:00:00+08:00"),
            ("report_submitted", "2026-11-19T15:00:00+08:00"),
        ],
    ),
    (
        "reopened, resolved again, its new report running",
        "IV",
        "2026-11-20T08:00:00+08:00",
        &[
            ("responded", "2026-11-20T08:20:00+08:00"),
            ("resolved", "2026-11-20T09:00:00+08:00"),
            ("report_submitted", "2026-11-20T09:30:00+08:00"),
            ("reopened", "2026-11-20T10:00:00+08:00"),
            ("resolved", "2026-11-20T11:00:00+08:00"),
        ],
    ),
];

fn event(kind: &str, occurred_at: &str) -> NewEvent {
    let report = ReportFields {
        fault_type: "软件故障".into(),
        cause: "缓存失效".into(),
        method: "重建缓存".into(),
        losses: "无".into(),
        ..Default::default()
    };
    NewEvent {
        kind: kind.into(),
        occurred_at: occurred_at.into(),
        summary: "已恢复".into(),
        reason: "等待用户确认".into(),
        report,
        ..Default::default()
    }
}

/// The store, with the cases recorded, as of [`NOW`]; the number of each case.
fn record(store: &mut Store) -> Vec<String> {
    let now = at(NOW);
    CASES
        .iter()
        .map(|(title, level, reported_at, events)| {
            let form = NewIncident {
                title: (*title).into(),
                level: (*level).into(),
                channel: "hotline".into(),
                reported_at: (*reported_at).into(),
                description: DESCRIPTION.into(),
                ..Default::default()
            };
            let incident = store.create_incident(&form, now).expect("create");
            for (kind, when) in *events {
                store.append_event(&incident.summary.id, &event(kind, when), now).expect(kind);
            }
            incident.summary.number
        })
        .collect()
}

fn open_clocks(i: &Incident) -> impl Iterator<Item = &MilestoneReport> {
    i.milestones.iter().filter(|m| matches!(m.state, MilestoneState::Running | MilestoneState::BreachedOpen))
}

/// Which incidents each filter must list, read from the details alone.
fn expected(details: &[Incident], filter: DueFilter) -> BTreeSet<String> {
    let now = at(NOW);
    details
        .iter()
        .filter(|i| {
            let next_due = open_clocks(i).filter_map(|m| m.due).min();
            let state_of = |kind| i.milestones.iter().find(|m| m.kind == kind).map(|m| m.state);
            match filter {
                DueFilter::Breached => {
                    let breached = next_due.is_some_and(|d| d <= now);
                    let overdue = i.milestones.iter().any(|m| m.state == MilestoneState::BreachedOpen);
                    assert_eq!(breached, overdue, "{}: overdue means a clock ran out", i.summary.title);
                    breached
                }
                DueFilter::DueSoon => next_due.is_some_and(|d| d > now && d <= now + Duration::hours(2)),
                DueFilter::ReportOverdue => {
                    state_of(MilestoneKind::Report) == Some(MilestoneState::BreachedOpen)
                }
                DueFilter::ReportDue => matches!(
                    state_of(MilestoneKind::Report),
                    Some(MilestoneState::Running | MilestoneState::BreachedOpen)
                ),
            }
        })
        .map(|i| i.summary.number.clone())
        .collect()
}

fn numbers(store: &Store, query: &IncidentQuery) -> BTreeSet<String> {
    let page = store.list_incidents(&IncidentQuery { limit: 500, ..query.clone() }, at(NOW)).expect("list");
    page.items.into_iter().map(|s| s.number).collect()
}

/// How the report names each state, in Chinese.
fn printed(state: MilestoneState) -> &'static str {
    match state {
        MilestoneState::NotStarted => "未开始",
        MilestoneState::Running => "计时中",
        MilestoneState::Paused => "已暂停",
        MilestoneState::Met => "按时完成",
        MilestoneState::BreachedOpen => "已超时",
        MilestoneState::BreachedMet => "超时完成",
        MilestoneState::Missed => "未完成",
        MilestoneState::NotApplicable => "不适用",
    }
}

#[test]
fn every_path_tells_the_same_sla_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = at(NOW);
    let mut store = Store::open_data_dir(Some(dir.path()), Access::Change, now).expect("open");
    let numbers_recorded = record(&mut store);
    let details: Vec<Incident> = store
        .list_incidents(&IncidentQuery { limit: 500, ..Default::default() }, now)
        .expect("list")
        .items
        .iter()
        .map(|s| store.get_incident(&s.id, now).expect("detail"))
        .collect();
    assert_eq!(details.len(), CASES.len());

    // The contract's reading, on the issue's own case: closing froze every clock, and the
    // plan that never came is missed, not running.
    let closed = details.iter().find(|i| i.summary.title == CASES[0].0).expect("case");
    assert_eq!(closed.summary.status, Status::Closed);
    let plan = closed.milestones.iter().find(|m| m.kind == MilestoneKind::HandlingPlan).expect("plan");
    assert_eq!(plan.state, MilestoneState::Missed);
    for i in details.iter().filter(|i| i.summary.status == Status::Closed) {
        assert!(
            i.milestones.iter().all(|m| !MilestoneState::OPEN.contains(&m.state)),
            "{}: no clock runs on a closed incident: {:?}",
            i.summary.title,
            i.milestones
        );
    }
    // Each case is in a state of its own kind, so the paths below are tried on each.
    let states: BTreeSet<&str> =
        details.iter().flat_map(|i| i.milestones.iter().map(|m| printed(m.state))).collect();
    for state in ["计时中", "已暂停", "按时完成", "已超时", "超时完成", "未完成", "不适用", "未开始"]
    {
        assert!(states.contains(state), "no milestone is {state}: {states:?}");
    }

    // The list row carries the detail's most urgent clock.
    let rows = store.list_incidents(&IncidentQuery { limit: 500, ..Default::default() }, now).expect("list");
    for row in &rows.items {
        let detail = details.iter().find(|d| d.summary.id == row.id).expect("detail");
        assert_eq!(row.next_milestone, most_urgent(&detail.milestones), "{}", row.title);
        assert_eq!(row.status, detail.summary.status, "{}", row.title);
    }

    // Each filter, and the Dashboard's counts of the same.
    let counts = store.incident_counts(now).expect("counts");
    for (filter, count) in [
        (DueFilter::Breached, counts.breached),
        (DueFilter::DueSoon, counts.due_soon),
        (DueFilter::ReportOverdue, counts.reports_overdue),
    ] {
        let listed = numbers(&store, &IncidentQuery { due: Some(filter), ..Default::default() });
        assert_eq!(listed, expected(&details, filter), "{filter:?}");
        assert_eq!(count, listed.len() as u64, "the Dashboard counts {filter:?} as the list does");
    }
    let report_due = IncidentQuery { due: Some(DueFilter::ReportDue), ..Default::default() };
    assert_eq!(numbers(&store, &report_due), expected(&details, DueFilter::ReportDue), "ReportDue");
    for status in [Status::New, Status::InProgress, Status::Paused, Status::Resolved, Status::Closed] {
        let listed = numbers(&store, &IncidentQuery { statuses: vec![status], ..Default::default() });
        let wanted: BTreeSet<String> =
            details.iter().filter(|i| i.summary.status == status).map(|i| i.summary.number.clone()).collect();
        assert_eq!(listed, wanted, "{status:?}");
        let b = &counts.by_status;
        let counted = match status {
            Status::New => b.new,
            Status::InProgress => b.in_progress,
            Status::Paused => b.paused,
            Status::Resolved => b.resolved,
            Status::Closed => b.closed,
        };
        assert_eq!(counted, wanted.len() as u32, "{status:?}");
    }

    // The period's compliance: every milestone that counted by now, met in time or not.
    let (from, to) = (at("2026-11-01T00:00:00+08:00"), at("2026-12-01T00:00:00+08:00"));
    let stats = store.period_stats(from, to, now).expect("stats");
    for cell in &stats.compliance {
        let counted: Vec<&MilestoneReport> = details
            .iter()
            .filter(|i| i.summary.level == cell.level)
            .flat_map(|i| i.milestones.iter())
            .filter(|m| m.kind == cell.kind && m.state != MilestoneState::NotApplicable)
            .filter(|m| m.counts_at().is_some_and(|t| t >= from && t < to.min(now)))
            .collect();
        let met = counted.iter().filter(|m| m.state == MilestoneState::Met).count();
        assert_eq!(
            (cell.due as usize, cell.met as usize),
            (counted.len(), met),
            "{:?} {:?}",
            cell.kind,
            cell.level
        );
    }

    // The report's table prints each milestone's state.
    for i in &details {
        let content = incident_report_content(&ReportInput {
            organisation: "运维服务项目组",
            incident: i,
            revision: 1,
            lang: Lang::ZhCn,
            generated_at: now,
            fields: None,
            signature: None,
            sample: false,
            logo: None,
            categories: &Default::default(),
        });
        let table = &content.sections[1];
        assert_eq!(table.rows.len(), i.milestones.len());
        for (row, m) in table.rows.iter().zip(&i.milestones) {
            assert!(
                row[3].starts_with(printed(m.state)),
                "{}: {:?} printed {:?}",
                i.summary.title,
                m.kind,
                row[3]
            );
        }
    }
    drop(store);

    // `yunwei incident show --json` at the same instant: the very same milestones.
    let d = dir.path().to_str().expect("utf-8 path");
    for detail in &details {
        let number = &detail.summary.number;
        let out = yunwei(None, &["incident", "show", number, "--at", NOW, "--json", "--data-dir", d]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let known = serde_json::to_value(&detail.milestones).expect("JSON");
        assert_eq!(shown["milestones"], known, "{number}");
    }

    // Signed PDFs: the closed incident prints its plan as missed; a report's own milestone is
    // met by the report being signed. Nothing reads "running" on either.
    let pass = Some("agreement passphrase");
    for (case, expect) in [(0, "未完成"), (CASES.len() - 1, "本报告提交")] {
        let pdf = dir.path().join(format!("report-{case}.pdf"));
        let pdf = pdf.to_str().expect("path");
        let out = yunwei(
            pass,
            &["export-report", "--incident", &numbers_recorded[case], "--out", pdf, "--data-dir", d],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = Command::new("pdftotext").args([pdf, "-"]).output().expect("pdftotext (poppler-utils)");
        let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
        assert!(text.contains("是否需要扩容？"), "the description is printed whole: {text}");
        assert!(text.contains(expect), "{}: {text}", CASES[case].0);
        assert!(!text.contains("计时中"), "{}: {text}", CASES[case].0);
        keeps_the_line_breaking_rules(pdf);
    }
}

fn yunwei(passphrase: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yunwei"));
    command
        .args(args)
        .stdin(std::process::Stdio::null())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("YUNWEI_KEY_PASSPHRASE");
    if let Some(p) = passphrase {
        command.env("YUNWEI_KEY_PASSPHRASE", p);
    }
    command.output().expect("run yunwei")
}

/// Every printed line of `pdf` (as pdftotext reads them): none starts with closing punctuation,
/// none ends with an opening one, and no number is parted from its unit.
fn keeps_the_line_breaking_rules(pdf: &str) {
    let out = Command::new("pdftotext").args([pdf, "-"]).output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert!(lines.len() > 40, "{pdf} reads as lines: {lines:?}");
    for line in &lines {
        let (first, last) = (line.chars().next(), line.chars().last());
        assert!(
            !first.is_some_and(|c| NO_LINE_START.contains(c)),
            "{pdf}: a line starts with {first:?}: {line}"
        );
        assert!(!last.is_some_and(|c| NO_LINE_END.contains(c)), "{pdf}: a line ends with {last:?}: {line}");
    }
    for pair in lines.windows(2) {
        let parted = pair[0].ends_with(|c: char| c.is_ascii_digit())
            && ["分钟", "小时", "人", "次"].iter().any(|unit| pair[1].starts_with(unit));
        assert!(!parted, "{pdf}: a number parted from its unit: {pair:?}");
    }
}
