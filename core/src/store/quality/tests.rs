use chrono::TimeZone;

use super::*;
use crate::category::CategoryKind;
use crate::document::SignedDocument;
use crate::i18n::SERVICE_TZ;
use crate::incident::NewIncident;
use crate::quality::monthly::MajorList;
use crate::store::testing::{in_memory_db, now};
use crate::timeline::{NewEvent, ReportFields};

/// Shanghai time in 2026.
fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(2026, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn report(fault_type: &str, cause: &str) -> ReportFields {
    ReportFields {
        fault_type: fault_type.into(),
        cause: cause.into(),
        method: "处理".into(),
        losses: "无".into(),
        data_protection: "无数据丢失".into(),
        ..Default::default()
    }
}

/// An incident at `level` reported at `reported`, then `events` as (kind, time, report).
fn incident(
    store: &mut Store,
    level: &str,
    reported: DateTime<Utc>,
    events: &[(&str, DateTime<Utc>)],
    fault: Option<(&str, &str)>,
) -> String {
    let new = NewIncident {
        title: format!("故障 {reported}"),
        level: level.into(),
        channel: "hotline".into(),
        reported_at: reported.to_rfc3339(),
        reporter: "王芳".into(),
        description: String::new(),
        system: String::new(),
    };
    let id = store.create_incident(&new, now()).unwrap().summary.id;
    for (kind, when) in events {
        let mut event =
            NewEvent { kind: (*kind).into(), occurred_at: when.to_rfc3339(), ..Default::default() };
        match *kind {
            "resolved" => event.summary = "已恢复".into(),
            "paused" => event.reason = "等待客户".into(),
            "plan_submitted" => event.plan = "handling".into(),
            "report_submitted" => {
                let (fault_type, cause) = fault.unwrap_or(("应用故障", "配置错误"));
                event.report = report(fault_type, cause);
            }
            _ => {}
        }
        store.append_event(&id, &event, now()).unwrap_or_else(|e| panic!("{kind}: {e:?}"));
    }
    id
}

/// Five incidents around November 2026 whose figures are worked out by hand in the tests.
fn november() -> Store {
    let mut s = in_memory_db();
    // A, level III: responded in 30 min, resolved in 24 h, reported and closed.
    incident(
        &mut s,
        "III",
        at(11, 2, 9, 0),
        &[
            ("responded", at(11, 2, 9, 30)),
            ("resolved", at(11, 3, 9, 0)),
            ("report_submitted", at(11, 3, 10, 0)),
            ("closed", at(11, 3, 11, 0)),
        ],
        Some(("应用故障", "配置错误")),
    );
    // B, level III: responded after 3 h (late), paused 4 h, resolved after 52 h = 48 h of clock
    // (exactly on time); its report never came.
    incident(
        &mut s,
        "III",
        at(11, 5, 9, 0),
        &[
            ("responded", at(11, 5, 12, 0)),
            ("paused", at(11, 5, 13, 0)),
            ("resumed", at(11, 5, 17, 0)),
            ("resolved", at(11, 7, 13, 0)),
        ],
        None,
    );
    // C, level I: everything on time.
    incident(
        &mut s,
        "I",
        at(11, 10, 9, 0),
        &[
            ("responded", at(11, 10, 9, 20)),
            ("plan_submitted", at(11, 10, 10, 0)),
            ("resolved", at(11, 10, 15, 0)),
            ("report_submitted", at(11, 10, 16, 0)),
            ("closed", at(11, 10, 17, 0)),
        ],
        Some(("数据库故障", "连接池耗尽")),
    );
    // D, level III, reported in October: resolved an hour late on 1 November, closed.
    incident(
        &mut s,
        "III",
        at(10, 30, 9, 0),
        &[
            ("responded", at(10, 30, 9, 10)),
            ("resolved", at(11, 1, 10, 0)),
            ("report_submitted", at(11, 1, 11, 0)),
            ("closed", at(11, 1, 12, 0)),
        ],
        Some(("应用故障", "证书过期")),
    );
    // E, level IV, yesterday: not even responded to.
    incident(&mut s, "IV", at(11, 26, 9, 0), &[], None);
    s
}

fn month() -> (DateTime<Utc>, DateTime<Utc>) {
    (at(11, 1, 0, 0), at(12, 1, 0, 0))
}

fn cell(stats: &PeriodStats, kind: MilestoneKind, level: Level) -> (u32, u32) {
    let c = stats.compliance.iter().find(|c| c.kind == kind && c.level == level).unwrap();
    (c.met, c.due)
}

#[test]
fn compliance_is_met_over_due_in_the_period_per_milestone_and_level() {
    let s = november();
    let (from, to) = month();
    let stats = s.period_stats(from, to, now()).unwrap();
    use Level::*;
    use MilestoneKind::*;
    assert_eq!(cell(&stats, Respond, III), (1, 2), "A on time, B three hours for two");
    assert_eq!(cell(&stats, Respond, I), (1, 1));
    assert_eq!(cell(&stats, Respond, IV), (0, 1), "E overdue and still open");
    assert_eq!(cell(&stats, HandlingPlan, I), (1, 1));
    assert_eq!(cell(&stats, Resolve, III), (2, 3), "A, B (the pause moved its due time) on time; D late");
    assert_eq!(cell(&stats, Resolve, IV), (0, 0), "E is due in December");
    assert_eq!(cell(&stats, Report, III), (2, 3), "B's report never came");
    assert_eq!(cell(&stats, Report, I), (1, 1));
    assert_eq!(cell(&stats, EmergencyPlan, I), (0, 0), "C was resolved in time");
    let overall = stats.overall_compliance.unwrap();
    assert!((overall - 9.0 * 100.0 / 13.0).abs() < 1e-9, "{overall}");
    let percent = stats.compliance.iter().find(|c| c.kind == Respond && c.level == III).unwrap().percent;
    assert_eq!(percent, Some(50.0));
    assert_eq!(stats.opened, LevelCounts { I: 1, II: 0, III: 2, IV: 1 });
    assert_eq!(stats.resolved, LevelCounts { I: 1, II: 0, III: 3, IV: 0 });
}

#[test]
fn mtta_and_mttr_exclude_paused_time_and_give_mean_and_median() {
    let s = november();
    let (from, to) = month();
    let stats = s.period_stats(from, to, now()).unwrap();
    let level = |list: &[LevelTimes], l: Level| list.iter().find(|t| t.level == l).cloned().unwrap();
    // Reported in November and responded: A 30 min and B 3 h (level III), C 20 min (level I).
    let respond = level(&stats.response, Level::III);
    assert_eq!(
        (respond.count, respond.mean_seconds, respond.median_seconds),
        (2, Some(6300.0), Some(6300.0))
    );
    assert_eq!(level(&stats.response, Level::I).mean_seconds, Some(1200.0));
    assert_eq!(level(&stats.response, Level::IV).count, 0, "E has not been responded to");
    // Resolved in November: A 24 h, B 52 h less its 4 h pause, D 49 h; C 6 h.
    let resolve = level(&stats.resolution, Level::III);
    assert_eq!(resolve.count, 3);
    assert_eq!(resolve.mean_seconds, Some((86_400.0 + 172_800.0 + 176_400.0) / 3.0));
    assert_eq!(resolve.median_seconds, Some(172_800.0));
    assert_eq!(level(&stats.resolution, Level::I).median_seconds, Some(21_600.0));
}

#[test]
fn backlog_channels_fault_types_and_the_pareto_of_the_period() {
    let s = november();
    let (from, to) = month();
    let stats = s.period_stats(from, to, now()).unwrap();
    assert_eq!(stats.backlog, [0, 1, 0, 0], "E, open for 25 hours");
    let counts = s.incident_counts(now()).unwrap();
    assert_eq!(counts.reports_overdue, 1, "B's report never came");
    let list = s
        .list_incidents(
            &crate::incident::IncidentQuery {
                due: Some(crate::incident::DueFilter::ReportOverdue),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(stats.by_channel, [Tally { key: "hotline".into(), count: 4 }]);
    // Reports written as text: "数据库故障" is not a category's name until mapped; B has no
    // report yet and is not counted.
    let faults: Vec<(&str, u32)> = stats.by_fault_type.iter().map(|t| (t.key.as_str(), t.count)).collect();
    assert_eq!(faults, [("-", 3)]);
    let p = s.pareto(ParetoBy::FaultType, from, to, Lang::ZhCn).unwrap();
    assert_eq!((p.bars.len(), p.uncategorised), (0, 3));
    let mut s = s;
    for (text, code) in [("应用故障", "APP"), ("数据库故障", "DB")] {
        crate::app::categories::map(&mut s, CategoryKind::FaultType, text, code, now()).unwrap();
    }
    let stats = s.period_stats(from, to, now()).unwrap();
    let faults: Vec<(&str, u32)> = stats.by_fault_type.iter().map(|t| (t.key.as_str(), t.count)).collect();
    assert_eq!(faults, [("APP", 2), ("DB", 1)]);
    let p = s.pareto(ParetoBy::FaultType, from, to, Lang::En).unwrap();
    let bars: Vec<(&str, u32, bool)> = p.bars.iter().map(|b| (b.label.as_str(), b.count, b.vital)).collect();
    assert_eq!(bars, [("Application software", 2, true), ("Database", 1, true)]);
    let causes = s.pareto(ParetoBy::Cause, from, to, Lang::ZhCn).unwrap();
    assert_eq!(causes.total + causes.uncategorised, 3);
}

#[test]
fn the_charts_of_the_period() {
    let s = november();
    let (from, to) = month();
    let resolution = s.resolution_chart(from, to).unwrap().unwrap();
    let hours: Vec<f64> = resolution.points.iter().map(|p| p.value).collect();
    assert_eq!(hours, [49.0, 24.0, 48.0, 6.0], "D, A, B, C in order of resolution");
    let weekly = s.breach_chart(from, to, now()).unwrap().unwrap();
    // Weeks from Monday 26 October to the last one ended by 27 November; the week of 16
    // November had nothing due (no sample, no point), the week of 23 November has not ended.
    let weeks: Vec<&str> = weekly.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(weeks, ["10-26", "11-02", "11-09"]);
    // 2–8 November: A's three milestones and D's report on time; B's response and report late.
    let week = weekly.points.iter().find(|p| p.label == "11-02").unwrap();
    assert_eq!((week.n, week.value), (7, 2.0 / 7.0));
}

#[test]
fn a_qa_sample_is_reproducible_from_its_seed_and_keeps_its_reviews() {
    let mut s = november();
    let (from, to) = month();
    let form =
        QaSampleForm { from: from.to_rfc3339(), to: to.to_rfc3339(), size: "2".into(), seed: "42".into() };
    let first = s.draw_qa_sample(&form, "质量管理部 赵敏", now()).unwrap();
    assert_eq!(
        (first.population, first.items.len(), first.seed.as_str()),
        (3, 2, "42"),
        "A, C and D were closed"
    );
    let again = s.draw_qa_sample(&form, "质量管理部 赵敏", now()).unwrap();
    let numbers = |q: &QaSample| q.items.iter().map(|i| i.incident.number.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&again), numbers(&first), "the same seed draws the same incidents");
    let fresh = s.draw_qa_sample(&QaSampleForm { seed: String::new(), ..form.clone() }, "", now()).unwrap();
    assert!(fresh.seed.parse::<u64>().is_ok(), "a drawn seed is recorded");

    let target = first.items[0].incident.id.clone();
    let err = s.review_qa_item(&first.id, &target, "finding", " ", "赵敏", now()).err().unwrap();
    assert_eq!(err.fields()[0].code(), "required", "a finding needs a note");
    let reviewed =
        s.review_qa_item(&first.id, &target, "finding", "处理记录缺少根因分析", "赵敏", now()).unwrap();
    assert_eq!(reviewed.items[0].outcome.as_deref(), Some("finding"));
    assert_eq!(s.qa_samples(now()).unwrap().len(), 3);
    let bad = QaSampleForm { size: "0".into(), ..form };
    assert_eq!(s.draw_qa_sample(&bad, "", now()).err().unwrap().fields()[0].code(), "out_of_range");
}

#[test]
fn milestone_codes_are_the_serialized_names() {
    for kind in MilestoneKind::ALL {
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        assert_eq!(MilestoneKind::from_code(kind.code()), Some(kind));
    }
}

#[test]
fn the_monthly_report_is_signed_passes_pdfsig_and_draws_its_charts() {
    use crate::app::signing::tests::{ca_der, identity_form, PASS};
    use crate::report::tests::{pages, poppler, squash};
    let mut s = november();
    crate::app::signing::create_signing_identity(&mut s, &identity_form(), now()).unwrap();
    let signer = crate::app::signing::unlock_signer(&s, PASS).unwrap();
    let month = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
    let revision = crate::app::documents::sign_monthly_report(
        &mut s,
        month,
        MajorList::Named,
        Lang::ZhCn,
        &signer,
        now(),
    )
    .unwrap();
    assert_eq!((revision.report_number.as_str(), revision.revision), ("MR-2026-11", 1));
    let (_, pdf) = s.revision_pdf(SignedDocument::MonthlyReport, "MR-2026-11", 1).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("monthly-zh.pdf"), &pdf).unwrap();
    }
    crate::signing::tests::assert_pdfsig_accepts(&pdf, &ca_der(&s));
    let verification = crate::app::signing::verify_pdf(&s, &pdf).unwrap();
    assert_eq!(verification.revision.unwrap().document, crate::signing::SignedDocument::MonthlyReport);
    let text = poppler("pdftotext", &pdf);
    for expected in [
        "运维服务月报2026年11月",
        "SLA达标率",
        "69.2%",
        "帕雷托图",
        "关键少数（累计达80%）",
        "控制图",
        "I级、II级故障",
        "已关闭",
        "风险与待办",
        "时限已超",
        "电子签名：李强",
    ] {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?} in:\n{text}");
    }
    assert!(pages(&pdf) >= 2);
    let english =
        crate::app::documents::sign_monthly_report(&mut s, month, MajorList::Named, Lang::En, &signer, now())
            .unwrap();
    assert_eq!(english.revision, 2);
    let (_, pdf) = s.revision_pdf(SignedDocument::MonthlyReport, "MR-2026-11", 2).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("monthly-en.pdf"), &pdf).unwrap();
    }
    assert!(poppler("pdftotext", &pdf).contains(&squash("Monthly service report, November 2026")));
    assert_eq!(s.revisions(SignedDocument::MonthlyReport, None).unwrap().len(), 2);
}

#[test]
fn the_monthly_report_names_the_first_major_incidents_and_lists_all_on_request() {
    use crate::report::tests::{pages, poppler, squash};
    let mut s = in_memory_db();
    // 3 level I and 19 level II incidents in October, and a level III that is never major.
    let mut numbers = Vec::new();
    for i in 0..22u32 {
        let level = if i % 8 == 0 { "I" } else { "II" };
        let reported = at(10, 1 + i, 9, 0);
        let id = incident(&mut s, level, reported, &[("responded", at(10, 1 + i, 9, 10))], None);
        numbers.push((level, s.get_incident(&id, now()).unwrap().summary.number));
    }
    incident(&mut s, "III", at(10, 3, 9, 0), &[], None);
    let (from, to) = (at(10, 1, 0, 0), at(11, 1, 0, 0));
    let tally = s.touching_tally(from, to, &crate::quality::monthly::MAJOR_LEVELS).unwrap();
    assert_eq!(
        tally.iter().map(|t| (t.level, t.touching, t.reported, t.resolved, t.unresolved)).collect::<Vec<_>>(),
        [(Level::I, 3, 3, 0, 3), (Level::II, 19, 19, 0, 19)]
    );
    // Most severe first, each level oldest first.
    numbers.sort_by_key(|(level, _)| level.len());
    let october = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let body =
        crate::app::documents::preview_monthly_report(&s, october, MajorList::Named, Lang::ZhCn, now())
            .unwrap()
            .pdf;
    let text = poppler("pdftotext", &body);
    // The section itself (the risks later name overdue incidents of their own accord).
    let section =
        &text[text.find(&squash("四、I级、II级故障")).unwrap()..text.find(&squash("五、培训")).unwrap()];
    for (_, number) in &numbers[..15] {
        assert!(section.contains(number.as_str()), "{number} is named");
    }
    for (_, number) in &numbers[15..] {
        assert!(!section.contains(number.as_str()), "{number} is only counted");
    }
    assert!(text.contains(&squash("按级别、报告时间排列的前15件")), "{text}");
    assert!(text.contains(&squash("另有7件未列出")), "{text}");
    assert!(!text.contains(&squash("附录")));

    let full = crate::app::documents::preview_monthly_report(&s, october, MajorList::Full, Lang::ZhCn, now())
        .unwrap()
        .pdf;
    let text = poppler("pdftotext", &full);
    let appendix = &text[text.find(&squash("附录：I级、II级故障完整清单")).expect("an appendix")..];
    for (_, number) in &numbers {
        assert!(appendix.contains(number.as_str()), "{number} is in the appendix");
    }
    assert!(text.contains(&squash("另有7件，完整清单见附录")));
    assert!(pages(&full) > pages(&body));
}

/// Compliance cells as a fresh replay of every incident at `now` gives them: milestones due in
/// `[from, min(to, now))`, and those met by their due time.
fn replayed_compliance(
    store: &Store,
    ids: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(MilestoneKind, Level, u32, u32)> {
    let mut cells = Vec::new();
    for kind in MilestoneKind::ALL {
        for level in Level::ALL {
            let (mut due, mut met) = (0, 0);
            for id in ids {
                let incident = store.get_incident(id, now).unwrap();
                if incident.summary.level != level {
                    continue;
                }
                for m in incident.milestones.iter().filter(|m| m.kind == kind) {
                    if let Some(at) = m.due.filter(|d| *d >= from && *d < to.min(now)) {
                        due += 1;
                        met += u32::from(m.met_at.is_some_and(|t| t <= at));
                    }
                }
            }
            cells.push((kind, level, due, met));
        }
    }
    cells
}

#[test]
fn period_figures_equal_a_fresh_replay_after_time_alone_passes() {
    let mut store = in_memory_db();
    let minute = Duration::minutes(1);
    let open = |store: &mut Store, level: &str, reported: DateTime<Utc>, events: &[(&str, DateTime<Utc>)]| {
        let new = NewIncident {
            title: format!("故障 {reported}"),
            level: level.into(),
            channel: "hotline".into(),
            reported_at: reported.to_rfc3339(),
            ..Default::default()
        };
        let id = store.create_incident(&new, reported + minute).unwrap().summary.id;
        for (kind, when) in events {
            let event = NewEvent {
                kind: (*kind).into(),
                occurred_at: when.to_rfc3339(),
                reason: "等待客户".into(),
                summary: "已恢复".into(),
                plan: "handling".into(),
                ..Default::default()
            };
            // Each event recorded a minute after it happened: the projection is as of then.
            store.append_event(&id, &event, *when + minute).unwrap();
        }
        id
    };
    // Level I, responded, never resolved: resolution breaches at 20:00, which makes the
    // emergency plan due at 00:00 — with no event after 08:10.
    let a = open(&mut store, "I", at(11, 26, 8, 0), &[("responded", at(11, 26, 8, 10))]);
    // Level III, paused at 10:00 and still paused: its due time moves out with the clock.
    let b = open(
        &mut store,
        "III",
        at(11, 26, 9, 0),
        &[("responded", at(11, 26, 9, 10)), ("paused", at(11, 26, 10, 0))],
    );
    // Facts that only an event changes, and that are not replayed: a running resolution clock
    // (level II, never resolved), and a level I resolved in time whose report is still to come
    // (its emergency plan not required).
    let c = open(&mut store, "II", at(11, 26, 11, 0), &[("responded", at(11, 26, 11, 5))]);
    let d = open(
        &mut store,
        "I",
        at(11, 26, 7, 0),
        &[
            ("responded", at(11, 26, 7, 5)),
            ("plan_submitted", at(11, 26, 8, 0)),
            ("resolved", at(11, 26, 11, 0)),
        ],
    );
    let ids = [a, b, c, d];
    let (from, to) = (at(11, 1, 0, 0), at(12, 1, 0, 0));
    for later in [at(11, 26, 12, 0), at(11, 27, 1, 0), at(11, 29, 12, 0), at(12, 3, 9, 0)] {
        let stats = store.period_stats(from, to, later).unwrap();
        let figures: Vec<_> = stats.compliance.iter().map(|c| (c.kind, c.level, c.due, c.met)).collect();
        assert_eq!(figures, replayed_compliance(&store, &ids, from, to, later), "as of {later}");
        let chart = store.breach_chart(from, to, later).unwrap();
        let points: Vec<_> =
            chart.iter().flat_map(|c| &c.points).map(|p| (p.label.clone(), p.n, p.value)).collect();
        assert_eq!(points, replayed_weeks(&store, &ids, from, to, later), "the weekly p-chart as of {later}");
    }
}

/// The weekly breach proportions as a fresh replay of every incident at `now` gives them:
/// `(week, due, breached ÷ due)` for each week from the Monday of `from`, ended by `now`, with
/// anything due.
fn replayed_weeks(
    store: &Store,
    ids: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(String, u32, f64)> {
    let milestones: Vec<_> =
        ids.iter().flat_map(|id| store.get_incident(id, now).unwrap().milestones).collect();
    let first = from.with_timezone(&SERVICE_TZ).date_naive();
    let monday = first - Duration::days(i64::from(chrono::Datelike::weekday(&first).num_days_from_monday()));
    let mut week =
        SERVICE_TZ.from_local_datetime(&monday.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
    let mut points = Vec::new();
    while week < to && week + Duration::weeks(1) <= now {
        let next = week + Duration::weeks(1);
        let due: Vec<_> =
            milestones.iter().filter(|m| m.due.is_some_and(|d| d >= week && d < next)).collect();
        let breached = due.iter().filter(|m| m.met_at.is_none_or(|t| Some(t) > m.due)).count();
        if !due.is_empty() {
            let label = week.with_timezone(&SERVICE_TZ).format("%m-%d").to_string();
            points.push((label, due.len() as u32, breached as f64 / due.len() as f64));
        }
        week = next;
    }
    points
}

/// A file from before the projection (schema 6) holding November's incidents: after the
/// migration rebuilds the projection from the timelines, every period figure and chart equals
/// the figures of the same incidents recorded by this version.
#[test]
fn the_projection_rebuilt_by_the_migration_gives_the_same_figures() {
    let recorded = november();
    let (from, to) = month();
    let expected = recorded.period_stats(from, to, now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("current.db");
    recorded.conn.execute("VACUUM INTO ?1", [current.to_string_lossy()]).unwrap();

    let old = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        crate::store::migrate::migrate_to(&mut conn, 6, now()).unwrap();
        conn.execute("ATTACH ?1 AS current", [current.to_string_lossy()]).unwrap();
        // The columns the incidents had at schema 6, copied from the file of this version.
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM main.pragma_table_info('incidents')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let list = columns.join(", ");
        let copied = conn
            .execute(&format!("INSERT INTO main.incidents ({list}) SELECT {list} FROM current.incidents"), [])
            .unwrap();
        assert!(copied > 0, "incidents copied");
        // Events as schema 6 kept them: text ids, the kind inside the payload, text times.
        let copied = conn
            .execute(
                "INSERT INTO main.incident_events (id, incident_id, kind, payload, actor, occurred_at, recorded_at)
                 SELECT lower(hex(e.id)), i.id, e.kind, json_set(coalesce(e.payload, '{}'), '$.kind', e.kind),
                        e.actor, strftime('%Y-%m-%dT%H:%M:%fZ', e.occurred_at / 1000.0, 'unixepoch'),
                        strftime('%Y-%m-%dT%H:%M:%fZ', e.recorded_at / 1000.0, 'unixepoch')
                 FROM current.incident_events e JOIN current.incidents i ON i.seq = e.incident_seq",
                [],
            )
            .unwrap();
        assert!(copied > 0, "events copied");
        conn.execute("DETACH current", []).unwrap();
    }
    let migrated = Store::open(&old, now()).unwrap();
    assert!(migrated.backup_path().is_some(), "an old file was migrated");
    assert_eq!(migrated.period_stats(from, to, now()).unwrap(), expected);
    for by in [ParetoBy::FaultType, ParetoBy::Cause] {
        assert_eq!(
            migrated.pareto(by, from, to, Lang::ZhCn).unwrap(),
            recorded.pareto(by, from, to, Lang::ZhCn).unwrap()
        );
    }
    assert_eq!(migrated.resolution_chart(from, to).unwrap(), recorded.resolution_chart(from, to).unwrap());
    assert_eq!(
        migrated.breach_chart(from, to, now()).unwrap(),
        recorded.breach_chart(from, to, now()).unwrap()
    );
}
