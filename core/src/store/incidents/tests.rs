use chrono::Duration;

use super::*;
use crate::store::testing::*;
use crate::timeline::ReportFields;

fn all(store: &Store) -> Vec<IncidentSummary> {
    store.list_incidents(&IncidentQuery { limit: 500, ..Default::default() }, now()).unwrap().items
}

/// The titles `query` lists, in order.
fn titles_of(store: &Store, query: &IncidentQuery) -> Vec<String> {
    store.list_incidents(query, now()).unwrap().items.into_iter().map(|i| i.title).collect()
}

/// "邮件告警", whose description says "邮件网关队列积压".
fn create_mail_alert(store: &mut Store) {
    let input = NewIncident {
        description: "邮件网关队列积压".into(),
        ..new_incident("邮件告警", "2026-11-27T09:10:00+08:00")
    };
    store.create_incident(&input, now()).unwrap();
}

fn event(kind: &str) -> NewEvent {
    NewEvent { kind: kind.into(), ..Default::default() }
}

fn create(store: &mut Store, title: &str, level: &str, reported_at: &str) -> Incident {
    let input = NewIncident { level: level.into(), ..new_incident(title, reported_at) };
    store.create_incident(&input, now()).unwrap()
}

#[test]
fn creating_stores_the_incident_with_its_reported_event() {
    let mut store = in_memory_db();
    let created =
        store.create_incident(&new_incident("打印服务不可用", "2026-11-27T09:00:00+08:00"), now()).unwrap();
    assert_eq!(created.summary.number, "INC-2026-0001");
    assert_eq!(created.summary.title, "打印服务不可用");
    assert_eq!(created.summary.status, Status::New);
    assert_eq!(created.created_at, now());
    assert_eq!(created.policy_version, 1);
    assert_eq!(created.events.len(), 1, "one event: reported");
    assert_eq!(created.events[0].data, EventData::Reported);
    assert_eq!(created.events[0].occurred_at, created.summary.reported_at);
    assert_eq!(created.events[0].recorded_at, now());
    assert_eq!(store.get_incident(&created.summary.id, now()).unwrap(), created, "reads back the same");
}

#[test]
fn numbers_are_sequential_per_year() {
    let mut store = in_memory_db();
    let mut number = |at: &str| store.create_incident(&new_incident("x", at), now()).unwrap().summary.number;
    assert_eq!(number("2026-03-01T10:00:00+08:00"), "INC-2026-0001");
    assert_eq!(number("2026-03-02T10:00:00+08:00"), "INC-2026-0002");
    assert_eq!(number("2025-12-30T10:00:00+08:00"), "INC-2025-0001", "a new year starts at 1");
    assert_eq!(number("2026-01-05T10:00:00+08:00"), "INC-2026-0003");
}

#[test]
fn a_refused_incident_writes_nothing() {
    let mut store = in_memory_db();
    let err = store.create_incident(&new_incident("", "2026-11-27T09:00:00+08:00"), now());
    assert_eq!(err.unwrap_err().code(), "validation");
    let future = store.create_incident(&new_incident("x", "2026-11-28T09:00:00+08:00"), now());
    assert_eq!(future.unwrap_err().fields()[0].code(), "in_future");
    assert!(all(&store).is_empty(), "no incident was stored");
    let used: i64 = store.conn.query_row("SELECT count(*) FROM number_sequences", [], |r| r.get(0)).unwrap();
    assert_eq!(used, 0, "no number was consumed");
}

#[test]
fn by_report_time_the_list_is_newest_first_or_oldest_first() {
    let mut store = in_memory_db();
    seed_incidents(&mut store, 3);
    store.create_incident(&new_incident("最早", "2026-11-01T08:00:00+08:00"), now()).unwrap();
    let titles = |descending| -> Vec<String> {
        let q = IncidentQuery { sort: IncidentSort::Reported, descending, ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(titles(true), ["故障 2", "故障 1", "故障 0", "最早"]);
    assert_eq!(titles(false), ["最早", "故障 0", "故障 1", "故障 2"]);
}

#[test]
fn the_work_queue_puts_the_next_breach_first_then_the_level_and_closed_last() {
    let mut store = in_memory_db();
    // now() is 10:00 Shanghai.
    let closed = create(&mut store, "已关闭", "I", "2026-11-27T08:00:00+08:00").summary.id;
    for (kind, fields) in
        [("responded", None), ("plan_submitted", None), ("resolved", None), ("report_submitted", Some(()))]
    {
        let mut e = NewEvent { summary: "好了".into(), ..event(kind) };
        if fields.is_some() {
            e.report = ReportFields {
                fault_type: "软件".into(),
                cause: "缓存".into(),
                method: "重启".into(),
                losses: "无".into(),
                ..Default::default()
            };
        }
        store.append_event(&closed, &e, now()).unwrap();
    }
    store.append_event(&closed, &event("closed"), now()).unwrap();
    create(&mut store, "四级，11:00 响应到期", "IV", "2026-11-27T09:00:00+08:00");
    create(&mut store, "一级，09:30 已超时", "I", "2026-11-27T09:00:00+08:00");
    create(&mut store, "一级，10:15 到期", "I", "2026-11-27T09:45:00+08:00");
    create(&mut store, "二级，11:00 到期", "II", "2026-11-27T09:00:00+08:00");
    let paused = create(&mut store, "已暂停", "III", "2026-11-27T09:50:00+08:00").summary.id;
    store.append_event(&paused, &event("responded"), now()).unwrap();
    store.append_event(&paused, &NewEvent { reason: "等用户".into(), ..event("paused") }, now()).unwrap();
    let titles = |descending| -> Vec<String> {
        let q = IncidentQuery { descending, ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(
        titles(false),
        [
            "一级，09:30 已超时",
            "一级，10:15 到期",
            "二级，11:00 到期",
            "四级，11:00 响应到期",
            "已暂停",
            "已关闭"
        ],
        "the default order"
    );
    assert_eq!(
        titles(true)[..4],
        ["二级，11:00 到期", "四级，11:00 响应到期", "一级，10:15 到期", "一级，09:30 已超时"],
        "the latest deadline first; still the level first among equals, closed last"
    );
    let plan: String = store
        .conn
        .query_row(
            &format!(
                "EXPLAIN QUERY PLAN SELECT id FROM incidents ORDER BY {} LIMIT 50",
                order_by(IncidentSort::Urgency, false)
            ),
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("incidents_by_urgency"), "the urgency order reads its index: {plan}");
}

#[test]
fn the_report_due_filter_lists_unreported_resolutions_running_or_late() {
    let mut store = in_memory_db();
    let late = create(&mut store, "报告超时", "IV", "2026-11-25T09:00:00+08:00").summary.id;
    let running = create(&mut store, "报告计时中", "IV", "2026-11-27T09:00:00+08:00").summary.id;
    create(&mut store, "未解决", "IV", "2026-11-27T09:10:00+08:00");
    for (id, responded, resolved) in [
        (&late, "2026-11-25T09:05:00+08:00", "2026-11-25T10:00:00+08:00"),
        (&running, "2026-11-27T09:05:00+08:00", "2026-11-27T09:30:00+08:00"),
    ] {
        let at =
            |kind: &str, t: &str| NewEvent { occurred_at: t.into(), summary: "好了".into(), ..event(kind) };
        store.append_event(id, &at("responded", responded), now()).unwrap();
        store.append_event(id, &at("resolved", resolved), now()).unwrap();
    }
    let titles = |due| -> Vec<String> {
        let q = IncidentQuery { due: Some(due), sort: IncidentSort::Reported, ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(titles(DueFilter::ReportDue), ["报告超时", "报告计时中"]);
    assert_eq!(titles(DueFilter::ReportOverdue), ["报告超时"]);
}

#[test]
fn search_finds_incidents_by_pinyin() {
    let mut store = in_memory_db();
    create(&mut store, "数据库连接池耗尽", "II", "2026-11-27T09:00:00+08:00");
    create_mail_alert(&mut store);
    let found = |s: &str| -> Vec<String> {
        let q = IncidentQuery { search: s.into(), ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(found("shujuku"), ["数据库连接池耗尽"], "the title's pinyin");
    assert_eq!(found("ShuJuKu"), ["数据库连接池耗尽"], "in any case");
    assert_eq!(found("duilie"), ["邮件告警"], "the description's pinyin");
}

#[test]
fn an_unknown_id_is_not_found() {
    let store = in_memory_db();
    let err = store.get_incident("no-such-id", now()).unwrap_err();
    assert!(matches!(err, Error::IncidentNotFound(ref id) if id == "no-such-id"), "{err:?}");
}

#[test]
fn events_cannot_be_edited_or_deleted() {
    let mut store = in_memory_db();
    seed_incidents(&mut store, 1);
    assert!(store.conn.execute("UPDATE incident_events SET kind = 'x'", []).is_err(), "update refused");
    assert!(store.conn.execute("DELETE FROM incident_events", []).is_err(), "delete refused");
}

#[test]
fn sample_data_fills_a_live_list() {
    let mut store = in_memory_db();
    let added =
        store.import_incidents(&crate::sample::sample_incidents(now()), None, now()).unwrap().added.len();
    let list = all(&store);
    assert_eq!(list.len(), added);
    assert!(added >= 5, "a handful of samples");
    assert!(list.iter().any(|i| i.next_milestone.is_some()), "clocks are running");
}

#[test]
fn an_import_writes_the_projection_a_rebuild_would() {
    let mut store = in_memory_db();
    store.import_incidents(&crate::sample::sample_history(now(), 8, 4), None, now()).unwrap();
    store.import_incidents(&crate::sample::sample_incidents(now()), None, now()).unwrap();
    let snapshot = |store: &Store| -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare(
                "SELECT json_array(i.number, i.level, i.status, i.assignee, i.next_due_at, i.resolved_at, i.closed_at,
                        i.fault_type, i.cause, i.response_seconds, i.resolution_seconds,
                        (SELECT json_group_array(json_array(kind, level, due_at, met_at, used_seconds))
                         FROM milestone_facts WHERE incident_seq = i.seq),
                        (SELECT notes FROM incident_text WHERE rowid = i.seq))
                 FROM incidents i ORDER BY i.seq",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    let imported = snapshot(&store);
    assert!(imported.len() > 20, "{} incidents", imported.len());
    store.rebuild_projections(now()).unwrap();
    assert_eq!(snapshot(&store), imported);
}

#[test]
fn the_whole_life_of_a_level_i_incident() {
    let mut store = in_memory_db();
    store.set_user_name("张伟").unwrap();
    let id = create(&mut store, "OA 白屏", "I", "2026-11-27T09:00:00+08:00").summary.id;
    let t = |hm: &str| format!("2026-11-27T{hm}:00+08:00");
    let at = |kind: &str, hm: &str| NewEvent { occurred_at: t(hm), ..event(kind) };
    let later = now() + Duration::hours(12);
    let step = |store: &mut Store, e: NewEvent| store.append_event(&id, &e, later).unwrap();
    step(&mut store, at("responded", "09:20"));
    step(&mut store, at("plan_submitted", "10:30"));
    let paused = step(&mut store, NewEvent { reason: "等待客户提供日志".into(), ..at("paused", "11:00") });
    assert_eq!(paused.summary.status, Status::Paused);
    assert_eq!(paused.allowed_next, ["resumed", "level_changed", "assigned", "note"]);
    step(&mut store, at("resumed", "12:00"));
    let resolved =
        step(&mut store, NewEvent { summary: "重启应用服务并清理缓存".into(), ..at("resolved", "15:00") });
    assert_eq!(resolved.summary.status, Status::Resolved);
    let report = ReportFields {
        fault_type: "应用故障".into(),
        cause: "内存泄漏".into(),
        method: "重启并升级补丁".into(),
        losses: "全单位停工 6 小时".into(),
        data_protection: "无数据丢失".into(),
        ..Default::default()
    };
    step(&mut store, NewEvent { report, ..at("report_submitted", "18:00") });
    let closed = step(&mut store, at("closed", "18:10"));
    assert_eq!(closed.summary.status, Status::Closed);
    assert_eq!(closed.events.len(), 8);
    assert!(closed.events[1..].iter().all(|e| e.actor.as_deref() == Some("张伟")), "the current user acts");
    let state = |kind| closed.milestones.iter().find(|m| m.kind == kind).unwrap().state;
    use crate::sla::MilestoneKind as K;
    assert_eq!(state(K::Respond), MilestoneState::Met);
    assert_eq!(state(K::HandlingPlan), MilestoneState::Met);
    assert_eq!(state(K::Resolve), MilestoneState::Met, "6 h used of 12 (1 h paused)");
    assert_eq!(state(K::Report), MilestoneState::Met);
    assert_eq!(state(K::EmergencyPlan), MilestoneState::NotApplicable);
}

#[test]
fn an_illegal_event_is_refused_with_a_code_and_writes_nothing() {
    let mut store = in_memory_db();
    let id = create(&mut store, "x", "II", "2026-11-27T09:00:00+08:00").summary.id;
    let err = store.append_event(&id, &event("resumed"), now()).unwrap_err();
    assert_eq!(err.code(), "not_paused");
    assert_eq!(err.message(Lang::ZhCn), "计时没有暂停，无需恢复");
    let err = store.append_event(&id, &event("paused"), now()).unwrap_err();
    assert_eq!(err.fields()[0].field, "reason", "a pause needs a reason");
    assert_eq!(store.get_incident(&id, now()).unwrap().events.len(), 1, "nothing was written");
}

#[test]
fn the_projection_matches_a_fresh_replay() {
    let mut store = in_memory_db();
    let id = create(&mut store, "x", "III", "2026-11-27T08:00:00+08:00").summary.id;
    store.append_event(&id, &event("responded"), now()).unwrap();
    store
        .append_event(
            &id,
            &NewEvent { level: "I".into(), reason: "影响扩大".into(), ..event("level_changed") },
            now(),
        )
        .unwrap();
    store.append_event(&id, &NewEvent { person: "李强".into(), ..event("assigned") }, now()).unwrap();
    let before = all(&store);
    assert_eq!(before[0].level, Level::I);
    assert_eq!(before[0].assignee.as_deref(), Some("李强"));
    assert_eq!(before[0].status, Status::InProgress);
    store.conn.execute("UPDATE incidents SET level = 'IV', status = 'new', assignee = NULL", []).unwrap();
    store.rebuild_projections(now()).unwrap();
    assert_eq!(all(&store), before, "the projection is rebuilt from the log");
}

#[test]
fn filters_by_level_status_channel_assignee_and_dates() {
    let mut store = in_memory_db();
    let a = create(&mut store, "一级故障", "I", "2026-11-27T08:00:00+08:00").summary.id;
    create(&mut store, "三级故障", "III", "2026-11-26T08:00:00+08:00");
    store.append_event(&a, &NewEvent { person: "李强".into(), ..event("assigned") }, now()).unwrap();
    let titles = |q: IncidentQuery| -> Vec<String> { titles_of(&store, &q) };
    assert_eq!(titles(IncidentQuery { levels: vec![Level::III], ..Default::default() }), ["三级故障"]);
    assert_eq!(titles(IncidentQuery { assignee: Some("李强".into()), ..Default::default() }), ["一级故障"]);
    assert_eq!(titles(IncidentQuery { statuses: vec![Status::New], ..Default::default() }).len(), 2);
    assert!(titles(IncidentQuery { channels: vec![Channel::Hotline], ..Default::default() }).is_empty());
    let from = "2026-11-27T00:00:00+08:00".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(titles(IncidentQuery { reported_from: Some(from), ..Default::default() }), ["一级故障"]);
}

#[test]
fn due_soon_and_breached() {
    let mut store = in_memory_db();
    // now() is 10:00 Shanghai. Level I at 09:45 → respond due 10:15 (soon); level I at 09:00
    // → respond due 09:30 (breached); level IV at 09:00 → respond due 11:00 (soon); a
    // responded level IV is next due to resolve in 5 days.
    create(&mut store, "快到期", "I", "2026-11-27T09:45:00+08:00");
    create(&mut store, "已超时", "I", "2026-11-27T09:00:00+08:00");
    create(&mut store, "两小时内", "IV", "2026-11-27T09:00:00+08:00");
    let calm = create(&mut store, "不急", "IV", "2026-11-27T09:59:00+08:00").summary.id;
    store.append_event(&calm, &event("responded"), now()).unwrap();
    let titles = |due| -> Vec<String> {
        let q = IncidentQuery { due: Some(due), ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(titles(DueFilter::Breached), ["已超时"]);
    assert_eq!(titles(DueFilter::DueSoon), ["快到期", "两小时内"]);
    let counts = store.incident_counts(now()).unwrap();
    assert_eq!(counts.open_by_level, crate::level::LevelCounts { I: 2, II: 0, III: 0, IV: 2 });
    assert_eq!(
        counts.by_status,
        crate::timeline::StatusCounts { new: 3, in_progress: 1, ..Default::default() },
        "three new, one in progress"
    );
    assert_eq!((counts.due_soon, counts.breached), (2, 1));
}

#[test]
fn the_list_shows_the_most_urgent_milestone() {
    let mut store = in_memory_db();
    create(&mut store, "x", "I", "2026-11-27T09:00:00+08:00");
    let item = &all(&store)[0];
    let next = item.next_milestone.as_ref().expect("a running milestone");
    assert_eq!(next.kind, crate::sla::MilestoneKind::Respond);
    assert_eq!(next.state, MilestoneState::BreachedOpen, "30 min passed at 09:30");
}

#[test]
fn search_finds_chinese_in_titles_descriptions_and_notes() {
    let mut store = in_memory_db();
    let id = create(&mut store, "公文流转卡在审批环节", "II", "2026-11-27T09:00:00+08:00").summary.id;
    create_mail_alert(&mut store);
    store.append_event(&id, &NewEvent { text: "已联系数据库厂商".into(), ..event("note") }, now()).unwrap();
    let found = |s: &str| -> Vec<String> {
        let q = IncidentQuery { search: s.into(), ..Default::default() };
        titles_of(&store, &q)
    };
    assert_eq!(found("审批环节"), ["公文流转卡在审批环节"], "title, FTS");
    assert_eq!(found("队列积压"), ["邮件告警"], "description, FTS");
    assert_eq!(found("数据库厂商"), ["公文流转卡在审批环节"], "timeline notes");
    assert_eq!(found("公文"), ["公文流转卡在审批环节"], "two characters, by the pair index");
    assert_eq!(found("厂商"), ["公文流转卡在审批环节"], "a pair of a note added later");
    assert_eq!(found("转"), ["公文流转卡在审批环节"], "one character, by a scan");
    store.append_event(&id, &NewEvent { text: "流转卡顿".into(), ..event("note") }, now()).unwrap();
    let found = |s: &str| -> Vec<String> {
        let q = IncidentQuery { search: s.into(), ..Default::default() };
        titles_of(&store, &q)
    };
    assert!(found("公文流转卡顿").is_empty(), "every trigram is there (title and note), but not the term");
    assert_eq!(found("流转卡顿"), ["公文流转卡在审批环节"]);
    assert!(found("审批厂商").is_empty(), "two words of different fields are not one term");
    assert!(found("不存在的词").is_empty());
    assert!(found("\"; DROP TABLE incidents; --").is_empty(), "injection is just text");
    assert!(found("100%").is_empty() && found("_").is_empty(), "LIKE wildcards are literal");
    assert_eq!(all(&store).len(), 2);
}

#[test]
fn paging_reports_the_total() {
    let mut store = in_memory_db();
    seed_incidents(&mut store, 7);
    let page =
        store.list_incidents(&IncidentQuery { limit: 3, offset: 6, ..Default::default() }, now()).unwrap();
    assert_eq!((page.items.len(), page.total), (1, 7));
}

#[test]
fn hostile_text_is_stored_as_plain_text() {
    let mut store = in_memory_db();
    let weird = "<script>alert(1)</script> '; DROP TABLE incidents; -- 🚨 故障";
    for control in ["\u{0007}\u{0000}", "\u{1b}[2J", "\u{202E}"] {
        let bad = format!("{weird}{control}");
        let err = store.create_incident(&new_incident(&bad, "2026-11-27T09:00:00+08:00"), now()).unwrap_err();
        assert_eq!(err.fields()[0].code(), "control_characters", "{bad:?} is refused at the boundary");
    }
    let zero_width =
        store.create_incident(&new_incident("\u{200B}\u{200B}", "2026-11-27T09:00:00+08:00"), now());
    assert_eq!(zero_width.unwrap_err().fields()[0].code(), "required", "zero-width spaces are blank");
    let created = store
        .create_incident(
            &NewIncident { description: weird.into(), ..new_incident(weird, "2026-11-27T09:00:00+08:00") },
            now(),
        )
        .unwrap();
    let read = store.get_incident(&created.summary.id, now()).unwrap();
    assert_eq!(read.summary.title, weird.trim());
    assert_eq!(read.description, weird.trim());
    let huge = "字".repeat(1_000_000);
    let err = store.create_incident(
        &NewIncident { description: huge, ..new_incident("x", "2026-11-27T09:00:00+08:00") },
        now(),
    );
    assert_eq!(err.unwrap_err().fields()[0].code(), "too_long", "a 1 MB description is refused");
    let ancient = store.create_incident(&new_incident("x", "0001-01-01T00:00:00Z"), now());
    assert_eq!(ancient.unwrap_err().fields()[0].code(), "too_early", "a date far in the past is refused");
    let far = store.create_incident(&new_incident("x", "9999-12-31T23:59:59Z"), now());
    assert_eq!(far.unwrap_err().fields()[0].code(), "in_future");
    assert_eq!(all(&store).len(), 1, "nothing half-written remains");
}

fn import_file(json: &str) -> crate::incident::import::ReadImport {
    crate::incident::import::parse(json.as_bytes()).expect("valid import JSON")
}

#[test]
fn an_import_stores_incidents_with_their_timelines() {
    let mut store = in_memory_db();
    let file = import_file(
        r#"{"incidents": [
            {"title": "导入一", "level": "II", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00",
             "events": [{"kind": "responded", "occurred_at": "2026-11-20T09:30:00+08:00", "actor": "王芳"},
                        {"kind": "resolved", "occurred_at": "2026-11-20T12:00:00+08:00", "summary": "已处理"}]},
            {"title": "导入二", "level": "IV", "channel": "hotline", "reported_at": "2026-11-21T09:00:00+08:00"}
        ]}"#,
    );
    let numbers = store.import_incidents(&file.file, Some(&file.sha256), now()).unwrap().added;
    assert_eq!(numbers, ["INC-2026-0001", "INC-2026-0002"]);
    let first = store.get_incident(&store.find_incident_id("INC-2026-0001").unwrap(), now()).unwrap();
    assert_eq!(first.summary.status, Status::Resolved);
    assert_eq!(first.events[1].actor.as_deref(), Some("王芳"));
    let next = store.create_incident(&new_incident("之后", "2026-11-26T09:00:00+08:00"), now()).unwrap();
    assert_eq!(next.summary.number, "INC-2026-0003", "numbering goes on after the imported ones");
    let seqs: Vec<i64> = store
        .conn
        .prepare("SELECT seq FROM incidents ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(seqs, [1, 2, 3]);
}

#[test]
fn an_import_with_one_bad_record_stores_nothing_and_names_the_record() {
    let mut store = in_memory_db();
    let file = import_file(
        r#"{"incidents": [
            {"title": "好的", "level": "II", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00"},
            {"title": "坏的", "level": "II", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00",
             "events": [{"kind": "paused", "occurred_at": "2026-11-20T10:00:00+08:00"}]}
        ]}"#,
    );
    let err = store.import_incidents(&file.file, Some(&file.sha256), now()).unwrap_err();
    assert_eq!(err.code(), "import_record");
    let message = err.message(Lang::ZhCn);
    assert!(message.contains("第 2 条记录（“坏的”）") && message.contains("请填写原因"), "{message}");
    assert!(all(&store).is_empty(), "all or nothing");
}

#[test]
fn the_same_file_imported_again_adds_nothing_and_says_when_it_came() {
    let mut store = in_memory_db();
    let json = r#"{"incidents": [
        {"title": "导入一", "level": "II", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00"},
        {"title": "导入二", "level": "IV", "channel": "hotline", "reported_at": "2026-11-21T09:00:00+08:00"}
    ]}"#;
    let file = import_file(json);
    let first = store.import_incidents(&file.file, Some(&file.sha256), now()).unwrap();
    assert_eq!((first.added.len(), first.previously), (2, None));
    // Run again, say after a kill between the commit and the success message.
    let again = store.import_incidents(&file.file, Some(&file.sha256), now() + Duration::hours(1)).unwrap();
    assert!(again.added.is_empty(), "nothing twice");
    assert_eq!(again.already, first.added);
    assert_eq!(again.previously, Some(now()));
    assert_eq!(all(&store).len(), 2);
}

#[test]
fn records_with_a_stored_external_id_are_not_stored_twice() {
    let mut store = in_memory_db();
    let record = |key: &str, title: &str| {
        format!(
            r#"{{"external_id": "{key}", "title": "{title}", "level": "III", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00"}}"#
        )
    };
    let first = import_file(&format!(r#"{{"incidents": [{}]}}"#, record("GLPI-1", "一")));
    store.import_incidents(&first.file, Some(&first.sha256), now()).unwrap();
    // Another export of the source system: one record already here, one new.
    let second = import_file(&format!(
        r#"{{"incidents": [{}, {}]}}"#,
        record("GLPI-1", "一（再次导出）"),
        record("GLPI-2", "二")
    ));
    let outcome = store.import_incidents(&second.file, Some(&second.sha256), now()).unwrap();
    assert_eq!(
        (outcome.added, outcome.already),
        (vec!["INC-2026-0002".to_owned()], vec!["INC-2026-0001".to_owned()])
    );
    assert_eq!(all(&store).len(), 2);
}

#[test]
fn import_keys_and_actors_follow_the_text_rule() {
    let mut store = in_memory_db();
    let file = import_file(&format!(
        r#"{{"incidents": [{{"title": "t", "level": "III", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00",
            "events": [{{"kind": "responded", "occurred_at": "2026-11-20T09:10:00+08:00", "actor": "{}"}}]}}]}}"#,
        "张".repeat(51)
    ));
    let err = store.import_incidents(&file.file, Some(&file.sha256), now()).unwrap_err();
    assert!(err.message(Lang::En).contains("at most 50 characters"), "{}", err.message(Lang::En));
    let file = import_file(
        r#"{"incidents": [{"external_id": "a\u0000b", "title": "t", "level": "III", "channel": "email", "reported_at": "2026-11-20T09:00:00+08:00"}]}"#,
    );
    let err = store.import_incidents(&file.file, None, now()).unwrap_err();
    assert!(err.message(Lang::ZhCn).contains("控制字符"), "{}", err.message(Lang::ZhCn));
    assert!(all(&store).is_empty());
}

#[test]
fn alerts_list_the_warning_of_every_open_milestone() {
    let mut store = in_memory_db();
    create(&mut store, "已超时", "I", "2026-11-27T09:00:00+08:00");
    let alerts = store.milestone_alerts(now()).unwrap();
    let respond = alerts.iter().find(|a| a.kind == crate::sla::MilestoneKind::Respond).unwrap();
    assert_eq!(respond.warning, crate::sla::Warning::Breached, "30 min passed by 09:30");
    assert_eq!(respond.number, "INC-2026-0001");
}

#[test]
fn an_incident_keeps_the_policy_it_was_opened_under_after_the_policy_is_edited() {
    let mut store = in_memory_db();
    let old = create(&mut store, "旧策略下的故障", "I", "2026-11-27T09:00:00+08:00");
    let (_, mut policy) = store.sla_policy().unwrap();
    let respond = policy.rules.iter_mut().find(|r| r.kind == crate::sla::MilestoneKind::Respond).unwrap();
    respond.allowances[0] = Some(crate::sla::Allowance::hours(1));
    store.save_sla_policy(&policy, now()).unwrap();
    let new = create(&mut store, "新策略下的故障", "I", "2026-11-27T09:00:00+08:00");
    let respond_due = |id: &str| {
        let incident = store.get_incident(id, now()).unwrap();
        incident.milestones.iter().find(|m| m.kind == crate::sla::MilestoneKind::Respond).unwrap().due
    };
    let nine = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00+08:00").unwrap().with_timezone(&Utc);
    assert_eq!(respond_due(&old.summary.id), Some(nine + Duration::minutes(30)), "version 1: 30 min");
    assert_eq!(respond_due(&new.summary.id), Some(nine + Duration::hours(1)), "version 2: 1 h");
}
