//! Two laptops (two data folders) and one team server (a real PostgreSQL): incidents merge
//! without conflict, numbers come from the server and never change once given, and a sync cut
//! anywhere loses and duplicates nothing.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::{admin_of, fresh_db, member, url_as};
use tempfile::TempDir;
use yunwei_core::app::training;
use yunwei_core::incident::{Incident, IncidentQuery, NewIncident};
use yunwei_core::people::PersonForm;
use yunwei_core::store::Store;
use yunwei_core::sync::Keep;
use yunwei_core::sync::SyncReport;
use yunwei_core::timeline::NewEvent;
use yunwei_core::training::plan::{AttendanceForm, AttendanceRowForm, SessionForm};
use yunwei_core::Lang;
use yunwei_team::{connect, init, SyncError};

struct Laptop {
    store: Store,
    url: String,
    _dir: TempDir,
}

impl Laptop {
    /// A copy of Yunwei joined to the team on `url`.
    fn new(url: &str) -> Laptop {
        let dir = TempDir::new().expect("temp dir");
        let mut store = Store::open(&dir.path().join("yunwei.db"), yunwei_core::now()).expect("open store");
        let login = url.split_once("://").and_then(|(_, r)| r.split_once(':')).map_or("", |(u, _)| u);
        store.join_team(&yunwei_team::without_password(url), login, None, yunwei_core::now()).expect("join");
        Laptop { store, url: url.to_owned(), _dir: dir }
    }

    fn sync(&mut self) -> Result<SyncReport, SyncError> {
        let mut client = connect(&self.url, None)?;
        yunwei_team::sync(&mut self.store, &mut client, Lang::ZhCn, yunwei_core::now())
    }

    /// Syncs until the server's snapshot horizon lets every committed event through (another
    /// test's transaction on the same cluster may hold one back for a moment).
    fn sync_all(&mut self, want_unsent: u64) -> SyncReport {
        let mut total = SyncReport::default();
        for _ in 0..100 {
            let report = self.sync().expect("sync");
            total.pushed += report.pushed;
            total.pulled += report.pulled;
            total.new_incidents += report.new_incidents;
            total.numbered.extend(report.numbered);
            total.contradictions.extend(report.contradictions);
            total.unsent = report.unsent;
            total.records_sent += report.records_sent;
            total.records_received += report.records_received;
            total.conflicts = report.conflicts;
            if report.unsent == want_unsent
                && self.store.team_link().expect("link").expect("joined").provisional == 0
            {
                return total;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("not synced within 5 s")
    }

    fn create(&mut self, title: &str, hours_ago: i64) -> Incident {
        let reported_at = (yunwei_core::now() - TimeDelta::hours(hours_ago)).to_rfc3339();
        let form = NewIncident {
            title: title.into(),
            level: "I".into(),
            channel: "hotline".into(),
            reported_at,
            ..Default::default()
        };
        self.store.create_incident(&form, yunwei_core::now()).expect("create incident")
    }

    fn record(&mut self, id: &str, kind: &str, minutes_ago: i64, text: &str) -> Incident {
        let event = NewEvent {
            kind: kind.into(),
            occurred_at: (yunwei_core::now() - TimeDelta::minutes(minutes_ago)).to_rfc3339(),
            text: text.into(),
            summary: text.into(),
            reason: text.into(),
            ..Default::default()
        };
        self.store.append_event(id, &event, yunwei_core::now()).unwrap_or_else(|e| panic!("{kind}: {e}"))
    }

    /// Every incident as of `at`, by id.
    fn incidents(&self, at: DateTime<Utc>) -> BTreeMap<String, Incident> {
        let page =
            self.store.list_incidents(&IncidentQuery { limit: 500, ..Default::default() }, at).expect("list");
        page.items.iter().map(|s| (s.id.clone(), self.store.get_incident(&s.id, at).expect("get"))).collect()
    }
}

/// A team server on a database of its own, and the URL of an engineer's login to it.
fn server() -> (String, String) {
    let db = fresh_db();
    let admin = admin_of(&db);
    init(&mut connect(&admin, None).expect("admin")).expect("init");
    let (user, password) = member("yunwei_engineer");
    (admin, url_as(&user, &password, &db))
}

fn events_on_server(admin: &str) -> (i64, i64) {
    let mut c = connect(admin, None).expect("admin");
    let row = c.query_one("SELECT count(*), count(DISTINCT id) FROM yunwei.events", &[]).expect("count");
    (row.get(0), row.get(1))
}

/// Acceptance 1: both offline, each creates incidents and adds events to the same shared
/// incident; once both reconnect, both laptops and the server hold the same events, the same
/// SLA results and the same numbers.
#[test]
fn two_laptops_offline_then_synced_hold_the_same_incidents_numbers_and_sla() {
    let (admin, url) = server();
    let mut a = Laptop::new(&url);
    let mut b = Laptop::new(&url);

    // A shared incident, made on A and synced to B.
    let shared = a.create("公文流转系统无法登录", 3);
    assert!(shared.provisional, "numbered by the server, not here");
    assert!(shared.summary.number.starts_with("TMP-"), "{}", shared.summary.number);
    let first = a.sync_all(0);
    assert_eq!((first.pushed, first.numbered.len()), (1, 1));
    let number = a.store.get_incident(&shared.summary.id, yunwei_core::now()).unwrap().summary.number;
    assert_eq!(first.numbered[0], (shared.summary.number.clone(), number.clone()));
    assert!(number.starts_with("INC-"), "{number}");
    let got = b.sync_all(0);
    assert_eq!((got.pulled, got.new_incidents), (1, 1));
    assert_eq!(b.store.get_incident(&shared.summary.id, yunwei_core::now()).unwrap().summary.number, number);

    // Offline: each records its own incident and works on the shared one.
    let id = shared.summary.id.clone();
    let a_own = a.create("邮件网关退信", 2);
    a.record(&id, "responded", 170, "");
    a.record(&id, "note", 160, "A: 已远程查看日志");
    let b_own = b.create("OA 待办不刷新", 1);
    b.record(&id, "note", 165, "B: 用户'; DROP TABLE incidents; -- 反馈仍无法登录");
    b.record(&b_own.summary.id, "responded", 50, "");
    assert!(b.store.get_incident(&b_own.summary.id, yunwei_core::now()).unwrap().provisional);

    // Reconnect: A, then B, then A again.
    a.sync_all(0);
    let b_sync = b.sync_all(0);
    assert_eq!(b_sync.new_incidents, 1, "A's own incident");
    assert_eq!(b_sync.numbered.len(), 1, "B's own incident gets its number");
    a.sync_all(0);

    let at = yunwei_core::now();
    let (on_a, on_b) = (a.incidents(at), b.incidents(at));
    assert_eq!(on_a.len(), 3);
    assert_eq!(on_a, on_b, "the same incidents, events, SLA figures and numbers on both");
    let merged = &on_a[&id];
    let notes: Vec<&str> = merged
        .events
        .iter()
        .filter_map(|e| match &e.data {
            yunwei_core::timeline::EventData::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        notes,
        ["B: 用户'; DROP TABLE incidents; -- 反馈仍无法登录", "A: 已远程查看日志"],
        "time order"
    );
    let numbers: Vec<&str> = on_a.values().map(|i| i.summary.number.as_str()).collect();
    assert!(numbers.iter().all(|n| n.starts_with("INC-")), "{numbers:?}");
    let mut unique = numbers.clone();
    unique.dedup();
    assert_eq!(unique.len(), 3);
    assert!(on_a.values().all(|i| !i.provisional));
    assert_eq!(on_a[&a_own.summary.id].summary.number, on_b[&a_own.summary.id].summary.number);
    // The server holds each event once: 3 reported + 2 on A + 2 on B.
    assert_eq!(events_on_server(&admin), (7, 7));
    // The search finds text that came from the other laptop.
    let found = b
        .store
        .list_incidents(&IncidentQuery { search: "远程查看".into(), ..Default::default() }, at)
        .unwrap();
    assert_eq!(found.total, 1);
}

/// A contradictory pair — closed on one laptop, reopened on the other — is kept and shown on
/// both, never dropped; the state is the one the rules allow.
#[test]
fn closed_on_one_laptop_and_reopened_on_the_other_is_kept_and_marked() {
    let (_, url) = server();
    let mut a = Laptop::new(&url);
    let mut b = Laptop::new(&url);
    let incident = a.create("打印服务中断", 5);
    let id = incident.summary.id.clone();
    a.record(&id, "responded", 290, "");
    a.record(&id, "plan_submitted", 280, "重启打印服务");
    a.record(&id, "resolved", 200, "已重启");
    a.sync_all(0);
    b.sync_all(0);
    // Offline: A closes (after the report), B reopens.
    let report = NewEvent {
        kind: "report_submitted".into(),
        occurred_at: (yunwei_core::now() - TimeDelta::minutes(100)).to_rfc3339(),
        report: yunwei_core::timeline::ReportFields {
            fault_type: "软件".into(),
            cause: "服务挂起".into(),
            method: "重启".into(),
            losses: "无".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    a.store.append_event(&id, &report, yunwei_core::now()).expect("report");
    a.record(&id, "closed", 90, "");
    b.record(&id, "reopened", 60, "用户仍无法打印");
    a.sync_all(0);
    let on_b = b.sync_all(0);
    a.sync_all(0);
    let number = a.store.get_incident(&id, yunwei_core::now()).unwrap().summary.number;
    assert_eq!(on_b.contradictions, [number]);
    let at = yunwei_core::now();
    let (x, y) = (a.store.get_incident(&id, at).unwrap(), b.store.get_incident(&id, at).unwrap());
    assert_eq!(x, y);
    let reopened = x.events.iter().find(|e| e.data.kind() == "reopened").expect("kept");
    assert!(reopened.contradicted, "marked");
    assert_eq!(x.events.iter().filter(|e| e.contradicted).count(), 1);
    assert_eq!(x.summary.status, yunwei_core::timeline::Status::Closed);
}

/// The pid of the laptop's session on the server, once it waits on `what`.
fn backend_waiting(admin: &mut postgres::Client, what: &str) -> i32 {
    for _ in 0..200 {
        let row = admin
            .query_opt(
                "SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'yunwei'
                   AND pid <> pg_backend_pid() AND query LIKE $1
                   AND state = 'active'",
                &[&format!("%{what}%")],
            )
            .expect("pg_stat_activity");
        if let Some(row) = row {
            return row.get(0);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("no session running {what}")
}

/// Acceptance 2 and 7: a connection cut in the middle of a push (the backend killed while it
/// waits inside the push's transaction) → retry → no duplicate, no loss; the same for a pull.
#[test]
fn a_connection_cut_mid_push_or_mid_pull_loses_and_duplicates_nothing() {
    let (admin_url, url) = server();
    let mut a = Laptop::new(&url);
    let mut b = Laptop::new(&url);
    for n in 0..5 {
        let incident = a.create(&format!("网络中断 {n}"), 2);
        a.record(&incident.summary.id, "responded", 100, "");
    }
    // Hold the year's number counter, so the push stops inside its transaction, then kill it.
    let mut admin = connect(&admin_url, None).unwrap();
    let mut holder = connect(&admin_url, None).unwrap();
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute(
        "INSERT INTO yunwei.number_sequences (year, last) SELECT y, 0 FROM generate_series(2000, 2999) y
         ON CONFLICT DO NOTHING;
         SELECT * FROM yunwei.number_sequences FOR UPDATE;",
    )
    .unwrap();
    let pushing = std::thread::spawn(move || {
        let result = a.sync();
        (a, result)
    });
    let pid = backend_waiting(&mut admin, "push_events");
    admin.execute("SELECT pg_terminate_backend($1)", &[&pid]).unwrap();
    let (mut a, cut) = pushing.join().unwrap();
    let e = cut.unwrap_err();
    assert!(e.message(Lang::ZhCn).contains("无法连接团队服务器"), "{}", e.message(Lang::ZhCn));
    assert_eq!(
        a.store.team_link().unwrap().unwrap().last_error.as_deref(),
        Some(e.message(Lang::ZhCn).as_str())
    );
    hold.rollback().unwrap();
    assert_eq!(events_on_server(&admin_url), (0, 0), "the cut push stored nothing");
    assert_eq!(a.store.team_link().unwrap().unwrap().unsent, 10, "still queued");

    let retried = a.sync_all(0);
    assert_eq!(retried.pushed, 10);
    assert_eq!(events_on_server(&admin_url), (10, 10));
    assert_eq!(a.sync_all(0).pushed, 0, "nothing twice");

    // A pull cut in the middle: the server function made slow for the test, the session killed.
    admin
        .batch_execute(
            "CREATE OR REPLACE FUNCTION yunwei.pull_events(after_xid xid8, after_id uuid, max_rows integer)
             RETURNS TABLE (id uuid, incident_id uuid, kind text, payload jsonb, device text, xid text, number text)
             LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
             BEGIN
                 PERFORM pg_sleep(30);
                 RETURN;
             END $$;",
        )
        .unwrap();
    let pulling = std::thread::spawn(move || {
        let result = b.sync();
        (b, result)
    });
    let pid = backend_waiting(&mut admin, "pull_events");
    admin.execute("SELECT pg_terminate_backend($1)", &[&pid]).unwrap();
    let (mut b, cut) = pulling.join().unwrap();
    assert!(cut.unwrap_err().message(Lang::En).contains("cannot be reached"));
    assert!(b.incidents(yunwei_core::now()).is_empty(), "nothing half-stored");
    restore_pull(&mut admin);
    let got = b.sync_all(0);
    assert_eq!((got.pulled, got.new_incidents), (10, 5));
    let at = yunwei_core::now();
    assert_eq!(a.incidents(at), b.incidents(at));
}

/// The server's pull function as version 2 of the schema defines it.
fn restore_pull(admin: &mut postgres::Client) {
    let sql = yunwei_team::MIGRATIONS[1].1;
    let start = sql.find("DROP FUNCTION yunwei.pull_events").expect("pull in migration 2");
    let end = sql.find("REVOKE ALL ON yunwei.incidents").expect("end of pull");
    admin.batch_execute(&sql[start..end]).expect("restore pull_events");
}

/// Acceptance 7: a payload altered on the wire (a server function that mangles it) is refused
/// with a clear message; nothing is stored, and the next clean pull stores it once.
#[test]
fn an_event_altered_on_the_wire_is_refused_and_nothing_is_stored() {
    let (admin_url, url) = server();
    let mut a = Laptop::new(&url);
    let mut b = Laptop::new(&url);
    let incident = a.create("视频会议卡顿", 2);
    a.record(&incident.summary.id, "note", 100, "已收集日志");
    a.sync_all(0);
    let mut admin = connect(&admin_url, None).unwrap();
    admin
        .batch_execute(
            "CREATE OR REPLACE FUNCTION yunwei.pull_events(after_xid xid8, after_id uuid, max_rows integer)
             RETURNS TABLE (id uuid, incident_id uuid, kind text, payload jsonb, device text, xid text, number text)
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
                 SELECT e.id, e.incident_id, e.kind,
                        CASE WHEN e.kind = 'note' THEN jsonb_set(e.payload, '{data,text}', '\"改过的内容\"')
                             ELSE e.payload END,
                        e.device, e.xid::text, n.number
                 FROM events e LEFT JOIN incidents n ON e.kind = 'reported' AND n.id = e.incident_id
                 WHERE (e.xid, e.id) > (after_xid, after_id) AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
                 ORDER BY e.xid, e.id LIMIT max_rows
             $$;",
        )
        .unwrap();
    let e = b.sync().unwrap_err();
    assert!(e.message(Lang::ZhCn).contains("传输中被改动"), "{}", e.message(Lang::ZhCn));
    assert!(e.message(Lang::En).contains("altered on the way"));
    assert!(b.incidents(yunwei_core::now()).is_empty(), "the page is refused whole");
    let link = b.store.team_link().unwrap().unwrap();
    assert_eq!(link.cursor, yunwei_core::sync::Cursor::default(), "the cursor stays");
    assert!(link.last_error.unwrap().contains("传输中被改动"));
    restore_pull(&mut admin);
    let got = b.sync_all(0);
    assert_eq!((got.pulled, got.new_incidents), (2, 1));
    assert!(b.store.team_link().unwrap().unwrap().last_error.is_none());
}

/// A server older or newer than the laptop, and a wrong password: each a clear message, and
/// what is queued stays queued.
#[test]
fn a_wrong_password_or_a_server_of_another_version_keeps_the_queue() {
    let (admin_url, url) = server();
    let mut a = Laptop::new(&url);
    a.create("门户首页打不开", 1);
    let wrong = Laptop { url: url.replace("member-pw", "not-it"), ..a };
    let e = connect(&wrong.url, None).map(|_| ()).unwrap_err();
    assert!(e.message(Lang::ZhCn).contains("拒绝了用户名或密码"));
    let mut a = Laptop { url: url.clone(), ..wrong };
    let mut admin = connect(&admin_url, None).unwrap();
    for (version, says) in [("1", "旧"), ("99", "新")] {
        admin.execute("UPDATE yunwei.meta SET value = $1 WHERE key = 'schema_version'", &[&version]).unwrap();
        let e = a.sync().unwrap_err();
        assert!(e.message(Lang::ZhCn).contains(says), "{}", e.message(Lang::ZhCn));
        assert_eq!(a.store.team_link().unwrap().unwrap().unsent, 1);
    }
    let current = yunwei_team::SCHEMA_VERSION.to_string();
    admin.execute("UPDATE yunwei.meta SET value = $1 WHERE key = 'schema_version'", &[&current]).unwrap();
    assert_eq!(a.sync_all(0).pushed, 1);
}

/// A laptop logged in as a member of `role`.
fn laptop_as(db: &str, role: &str) -> Laptop {
    let (user, password) = member(role);
    Laptop::new(&url_as(&user, &password, db))
}

/// A team server on a database of its own; its name.
fn team_db() -> String {
    let db = fresh_db();
    init(&mut connect(&admin_of(&db), None).expect("admin")).expect("init");
    db
}

fn person_form(name: &str, phone: &str) -> PersonForm {
    PersonForm {
        kind: "team".into(),
        name: name.into(),
        department: "training".into(),
        phone: phone.into(),
        ..Default::default()
    }
}

/// Acceptance 3: the same person edited on both laptops offline → a conflict shown with both
/// values, never a silent overwrite; the person chooses, and the choice reaches the other.
#[test]
fn the_same_person_edited_on_both_laptops_is_a_conflict_with_both_values() {
    let db = team_db();
    let mut a = laptop_as(&db, "yunwei_pm");
    let mut b = laptop_as(&db, "yunwei_pm");
    let now = yunwei_core::now();
    let person = a.store.create_person(&person_form("张伟", "13800000000"), now).unwrap();
    let sent = a.sync_all(0);
    assert!(sent.records_sent >= 1, "{sent:?}");
    let got = b.sync_all(0);
    assert!(got.records_received >= 1, "{got:?}");
    assert_eq!(
        got.conflicts,
        0,
        "the records both copies started with are the same: {:?}",
        b.store.record_conflicts()
    );
    assert_eq!(b.store.get_person(&person.id).unwrap().details.phone, "13800000000");

    // Offline, both change the phone.
    a.store.update_person(&person.id, &person_form("张伟", "13811111111"), now).unwrap();
    b.store.update_person(&person.id, &person_form("张伟", "13922222222"), now).unwrap();
    assert_eq!(a.sync_all(0).records_sent, 1);
    let on_b = b.sync_all(0);
    assert_eq!(on_b.conflicts, 1);
    let conflicts = b.store.record_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let conflict = &conflicts[0];
    assert_eq!(
        (conflict.entity.as_str(), conflict.label.as_str(), conflict.refused),
        ("people", "张伟", false)
    );
    assert!(conflict.their_author.starts_with("pm_"), "{}", conflict.their_author);
    let phone = conflict
        .fields
        .iter()
        .find(|f| f.field.contains("phone") || f.mine.as_deref().is_some_and(|m| m.contains("139")));
    let phone = phone.unwrap_or_else(|| panic!("{:?}", conflict.fields));
    assert!(phone.mine.as_deref().unwrap_or_default().contains("13922222222"), "{phone:?}");
    assert!(phone.theirs.as_deref().unwrap_or_default().contains("13811111111"), "{phone:?}");
    // Nothing overwritten: each keeps its own until a person chooses.
    assert_eq!(b.store.get_person(&person.id).unwrap().details.phone, "13922222222");
    assert_eq!(a.store.get_person(&person.id).unwrap().details.phone, "13811111111");
    // A later sync keeps the conflict and sends nothing over it.
    assert_eq!(b.sync_all(0).records_sent, 0);
    assert_eq!(b.store.record_conflicts().unwrap().len(), 1);

    // B keeps its own: sent at the next sync, over the version it was shown; A receives it.
    b.store.resolve_conflict("people", &person.id, Keep::Mine).unwrap();
    assert!(b.store.record_conflicts().unwrap().is_empty());
    assert_eq!(b.sync_all(0).records_sent, 1);
    a.sync_all(0);
    assert_eq!(a.store.get_person(&person.id).unwrap().details.phone, "13922222222");
    assert!(a.store.record_conflicts().unwrap().is_empty());

    // Again, and this time B takes the server's value.
    a.store.update_person(&person.id, &person_form("张伟", "13833333333"), now).unwrap();
    b.store.update_person(&person.id, &person_form("张伟", "13944444444"), now).unwrap();
    a.sync_all(0);
    b.sync_all(0);
    b.store.resolve_conflict("people", &person.id, Keep::Theirs).unwrap();
    assert_eq!(b.store.get_person(&person.id).unwrap().details.phone, "13833333333");
    assert_eq!(b.sync_all(0).conflicts, 0);
}

/// Acceptance 5: a trainer records attendance on her laptop → the PM's plan progress shows it
/// after sync.
#[test]
fn attendance_recorded_by_the_trainer_reaches_the_pms_plan_progress() {
    let db = team_db();
    let mut pm = laptop_as(&db, "yunwei_pm");
    let mut trainer = laptop_as(&db, "yunwei_trainer");
    let now = yunwei_core::now();
    let store = &mut pm.store;
    let teacher = store.create_person(&person_form("刘洋", ""), now).unwrap();
    let client = |name: &str| PersonForm {
        kind: "client".into(),
        name: name.into(),
        organisation: "市财政局".into(),
        client_department: "办公室".into(),
        ..Default::default()
    };
    let clerks = [
        store.create_person(&client("李娜"), now).unwrap(),
        store.create_person(&client("赵敏"), now).unwrap(),
    ];
    let template = training::plan_template(store, Lang::ZhCn, now).unwrap();
    let plan = store.save_training_plan(None, &template, now).unwrap();
    let start = now - TimeDelta::days(2);
    let form = SessionForm {
        plan_id: plan.id.clone(),
        row_id: plan.rows[3].id.clone(),
        title: "公文流转操作".into(),
        audience: "operator".into(),
        trainer_id: teacher.id.clone(),
        room: "302".into(),
        start: start.to_rfc3339(),
        end: (start + TimeDelta::hours(2)).to_rfc3339(),
        mode: "classroom".into(),
        attendee_ids: clerks.iter().map(|c| c.id.clone()).collect(),
        ..Default::default()
    };
    let session = training::save_session(store, None, &form, now).unwrap().session;
    assert_eq!(training::plan_progress(&pm.store, &plan.id, now).unwrap().attendance_rate, None);
    pm.sync_all(0);
    trainer.sync_all(0);

    let row = |id: &str, status: &str| AttendanceRowForm {
        person_id: id.into(),
        status: status.into(),
        rating: "4".into(),
        ..Default::default()
    };
    let attendance = AttendanceForm {
        attendees: vec![row(&clerks[0].id, "present"), row(&clerks[1].id, "absent")],
        outcome: "基本掌握".into(),
        needs_follow_up: false,
    };
    trainer.store.record_attendance(&session.id, &attendance, now).unwrap();
    let sent = trainer.sync_all(0);
    assert!(sent.records_sent >= 1 && sent.conflicts == 0, "{sent:?} {:?}", trainer.store.record_conflicts());
    pm.sync_all(0);
    let progress = training::plan_progress(&pm.store, &plan.id, yunwei_core::now()).unwrap();
    assert_eq!((progress.held, progress.attendance_rate), (1, Some(0.5)));
}

/// Acceptance 4: a leadership login reads everything, and the server refuses every write — a
/// record change waits as refused (the server's value untouched), an incident is refused whole.
#[test]
fn a_leadership_login_reads_everything_and_every_write_is_refused() {
    let db = team_db();
    let mut pm = laptop_as(&db, "yunwei_pm");
    let mut leader = laptop_as(&db, "yunwei_leadership");
    let now = yunwei_core::now();
    let person = pm.store.create_person(&person_form("张伟", "13800000000"), now).unwrap();
    pm.create("公文流转系统无法登录", 1);
    pm.sync_all(0);
    let read = leader.sync().expect("reads");
    assert_eq!(read.new_incidents, 1);
    assert_eq!(leader.store.get_person(&person.id).unwrap().details.phone, "13800000000");

    leader.store.update_person(&person.id, &person_form("张伟", "13999999999"), now).unwrap();
    let synced = leader.sync().expect("a refused record does not stop the sync");
    assert_eq!((synced.records_sent, synced.conflicts), (0, 1));
    let refused = &leader.store.record_conflicts().unwrap()[0];
    assert!(refused.refused);
    pm.sync_all(0);
    assert_eq!(
        pm.store.get_person(&person.id).unwrap().details.phone,
        "13800000000",
        "the server's value untouched"
    );

    leader.create("领导新建的故障", 1);
    pm.create("邮件网关退信", 1);
    pm.sync_all(0);
    let e = leader.sync().unwrap_err();
    // Refused to write, the sync still read what the others sent.
    assert_eq!(leader.incidents(yunwei_core::now()).len(), 3);
    assert!(e.message(Lang::ZhCn).contains("权限不足"), "{}", e.message(Lang::ZhCn));
    assert_eq!(leader.store.team_link().unwrap().unwrap().unsent, 1, "kept here, not lost");
}

/// Acceptance 6: the PM's copy issues a colleague a signing certificate (.p12); the colleague
/// signs on her own laptop; the document verifies on the PM's laptop, and — once synced, the
/// team CA published through the server — on a laptop that never had a signing identity.
#[test]
fn a_document_signed_with_a_colleagues_certificate_verifies_on_the_other_laptops() {
    use yunwei_core::app::{documents, signing};
    use yunwei_core::document::SignedDocument;
    use yunwei_core::signing::{NewSigningIdentity, Verdict};

    let db = team_db();
    let mut pm = laptop_as(&db, "yunwei_pm");
    let mut engineer = laptop_as(&db, "yunwei_engineer");
    let mut leader = laptop_as(&db, "yunwei_leadership");
    let now = yunwei_core::now();
    let pm_pass = "pm signing passphrase";
    let identity = NewSigningIdentity {
        name: "王经理".into(),
        title: "项目经理".into(),
        organisation: "运维服务公司".into(),
        passphrase: pm_pass.into(),
        confirm: pm_pass.into(),
    };
    signing::create_signing_identity(&mut pm.store, &identity, now).unwrap();
    let form = signing::ColleagueCertificateForm {
        name: "李强".into(),
        title: "实施工程师".into(),
        ca_passphrase: pm_pass.into(),
        password: "colleague p12 password".into(),
        confirm: "colleague p12 password".into(),
    };
    let wrong =
        signing::ColleagueCertificateForm { ca_passphrase: "not the passphrase".into(), ..form.clone() };
    assert!(signing::issue_colleague_p12(&pm.store, &wrong, now).is_err(), "the CA stays locked");
    let p12 = signing::issue_colleague_p12(&pm.store, &form, now).unwrap();
    let engineer_pass = "engineer signing passphrase";
    signing::import_signing_p12(&mut engineer.store, &p12, "colleague p12 password", engineer_pass, now)
        .unwrap();

    // The engineer resolves an incident and signs its report once the server has numbered it.
    let incident = engineer.create("邮件网关退信", 3);
    let id = incident.summary.id.clone();
    engineer.record(&id, "responded", 170, "");
    engineer.record(&id, "resolved", 100, "切换备用 DNS");
    engineer.sync_all(0);
    let signer = signing::unlock_signer(&engineer.store, engineer_pass).unwrap();
    let fields = yunwei_core::timeline::ReportFields {
        fault_type: "网络故障".into(),
        cause: "外部 DNS 超时".into(),
        method: "切换备用 DNS".into(),
        losses: "外发邮件延迟".into(),
        ..Default::default()
    };
    let info =
        documents::sign_incident_report(&mut engineer.store, &id, Lang::ZhCn, &signer, Some(&fields), now)
            .unwrap();
    let (_, pdf) = engineer.store.revision_pdf(SignedDocument::IncidentReport, &id, info.revision).unwrap();

    let on_pm = signing::verify_pdf(&pm.store, &pdf).unwrap();
    assert_eq!((on_pm.verdict, on_pm.signer.as_deref()), (Verdict::Valid, Some("李强")), "{on_pm:?}");
    assert_eq!(
        signing::verify_pdf(&leader.store, &pdf).unwrap().verdict,
        Verdict::Untrusted,
        "not yet synced"
    );
    pm.sync_all(0);
    leader.sync().expect("the leader reads");
    let on_leader = signing::verify_pdf(&leader.store, &pdf).unwrap();
    assert_eq!(on_leader.verdict, Verdict::Valid, "{on_leader:?}");
}

/// A connection cut while records are being sent (the backend killed inside `push_record`)
/// loses nothing: the change goes at the next sync, once.
#[test]
fn a_connection_cut_while_records_are_sent_sends_them_at_the_next_sync() {
    let db = team_db();
    let admin_url = admin_of(&db);
    let mut pm = laptop_as(&db, "yunwei_pm");
    pm.sync_all(0);
    let person = pm.store.create_person(&person_form("张伟", "13800000000"), yunwei_core::now()).unwrap();
    let mut admin = connect(&admin_url, None).unwrap();
    let mut holder = connect(&admin_url, None).unwrap();
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute("LOCK TABLE yunwei.records IN EXCLUSIVE MODE").unwrap();
    let sending = std::thread::spawn(move || {
        let result = pm.sync();
        (pm, result)
    });
    let pid = backend_waiting(&mut admin, "push_record");
    admin.execute("SELECT pg_terminate_backend($1)", &[&pid]).unwrap();
    let (mut pm, cut) = sending.join().unwrap();
    assert!(cut.is_err());
    hold.rollback().unwrap();
    let on_server = |admin: &mut postgres::Client| -> i64 {
        admin
            .query_one(
                "SELECT count(*) FROM yunwei.records WHERE entity = 'people' AND entity_id = $1",
                &[&person.id],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(on_server(&mut admin), 0, "the cut push stored nothing");
    assert_eq!(pm.sync_all(0).records_sent, 1);
    assert_eq!(on_server(&mut admin), 1);
    assert_eq!(pm.sync_all(0).records_sent, 0, "nothing twice");
}

/// The organisation named on every report is the team's; each laptop keeps its own user and
/// language.
#[test]
fn the_teams_organisation_travels_and_each_laptop_keeps_its_user() {
    let db = team_db();
    let mut pm = laptop_as(&db, "yunwei_pm");
    let mut engineer = laptop_as(&db, "yunwei_engineer");
    engineer.store.set_user_name("李强").unwrap();
    pm.store.set_user_name("王经理").unwrap();
    pm.store.set_organisation("市财政局 OA 运维项目组").unwrap();
    pm.sync_all(0);
    engineer.sync_all(0);
    let settings = engineer.store.settings().unwrap();
    assert_eq!(
        (settings.organisation.as_str(), settings.user_name.as_str()),
        ("市财政局 OA 运维项目组", "李强")
    );
    assert_eq!(pm.store.settings().unwrap().user_name, "王经理");
}
