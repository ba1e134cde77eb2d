use chrono::TimeZone;

use super::*;
use crate::i18n::SERVICE_TZ;
use crate::inspection::backups::Check;
use crate::inspection::calendar::WorkType;
use crate::inspection::{Recurrence, ResultForm, ON_DUTY};
use crate::people::PersonForm;
use crate::roster::{RotationForm, ShiftForm};
use crate::store::audit::AuditQuery;
use crate::store::testing::in_memory_db;

/// Local Shanghai time in 2026.
fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(2026, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

struct Fixture {
    store: Store,
    engineer: String,
    relay: String,
    pm: String,
}

fn fixture() -> Fixture {
    let mut store = in_memory_db();
    let at = local(11, 1, 9, 0);
    let mut person = |name: &str, department: &str| {
        let form = PersonForm {
            kind: "team".into(),
            name: name.into(),
            department: department.into(),
            ..Default::default()
        };
        store.create_person(&form, at).unwrap().id
    };
    let engineer = person("陈工", "implementation");
    let relay = person("刘洋", "implementation");
    let pm = person("王经理", "project_manager");
    Fixture { store, engineer, relay, pm }
}

fn daily_database(f: &mut Fixture, assignee: &str, first: &str, at: DateTime<Utc>) -> Plan {
    let form = PlanForm {
        name: "数据库日检".into(),
        template_id: "builtin-daily-database".into(),
        recurrence: Recurrence::Daily,
        first_date: first.into(),
        due_time: "10:00".into(),
        assignee: assignee.into(),
        relay_id: f.relay.clone(),
        ..Default::default()
    };
    save_plan(&mut f.store, None, &form, Lang::ZhCn, at).unwrap()
}

fn answer(key: &str, value: &str) -> ResultForm {
    ResultForm { key: key.into(), value: value.into(), ..Default::default() }
}

fn healthy() -> RunForm {
    RunForm {
        results: vec![
            answer("db-free", "120"),
            answer("tablespace", "60"),
            answer("writes", "900"),
            answer("connections", "150"),
            answer("db-log", "pass"),
        ],
        note: String::new(),
    }
}

#[test]
fn runs_are_made_once_per_day_and_the_days_the_laptop_was_shut_show_as_missed() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    let plan = daily_database(&mut f, &engineer, "2026-11-20", local(11, 20, 8, 0));
    let first = generate(&mut f.store, Lang::ZhCn, local(11, 20, 9, 0)).unwrap();
    assert_eq!((first.added, first.missed), (1, 0));
    // Starting the app again the same day makes nothing new.
    assert_eq!(generate(&mut f.store, Lang::ZhCn, local(11, 20, 9, 5)).unwrap().added, 0);
    // Ten days later: the runs of 21–30 November are there; those whose next run fell due are missed.
    let back = generate(&mut f.store, Lang::ZhCn, local(11, 30, 9, 0)).unwrap();
    assert_eq!(back.added, 10);
    assert_eq!(back.missed, 9, "20–28 November closed when the next day's run fell due");
    let runs = runs(&f.store, &RunQuery { plan_id: Some(plan.id.clone()), ..Default::default() }).unwrap();
    assert_eq!(runs.len(), 11);
    assert_eq!(runs.iter().filter(|r| r.state == RunState::Missed).count(), 9);
    assert_eq!(runs[10].due_date, day(11, 30));
    assert_eq!(runs[10].assignee_name, "陈工");
    assert_eq!(runs[9].state, RunState::Open, "29 November is open until 30 November 10:00");
    assert!(runs[9].overdue(local(11, 30, 9, 0)));
}

#[test]
fn whoever_is_on_duty_takes_the_run_and_the_relay_when_no_one_is() {
    let mut f = fixture();
    let at = local(11, 1, 9, 0);
    // The engineer holds the duty phone every day from 08:30 (all day, every day).
    let rotation = RotationForm {
        name: "值班".into(),
        members: vec![f.engineer.clone()],
        shifts: vec![ShiftForm { on: "every".into(), start: "08:30".into(), end: "08:30".into() }],
        handover: "08:30".into(),
        start_date: "2026-11-25".into(),
        desk: false,
    };
    f.store.save_rotation(None, &rotation, at).unwrap();
    daily_database(&mut f, ON_DUTY, "2026-11-24", local(11, 24, 8, 0));
    generate(&mut f.store, Lang::ZhCn, local(11, 25, 11, 0)).unwrap();
    let runs = runs(&f.store, &RunQuery::default()).unwrap();
    let names: Vec<&str> = runs.iter().map(|r| r.assignee_name.as_str()).collect();
    assert_eq!(names, vec!["刘洋", "陈工"], "no one on duty on the 24th: the relay takes it");
}

#[test]
fn a_run_is_filled_submitted_and_signed_off_by_the_pm_only() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-27", local(11, 27, 8, 0));
    let now = local(11, 27, 9, 30);
    generate(&mut f.store, Lang::ZhCn, now).unwrap();
    let run = runs(&f.store, &RunQuery::default()).unwrap().remove(0);
    // Low free space: abnormal, and its evidence is required before submitting.
    let mut form = healthy();
    form.results[0].value = "12".into();
    let draft = save_run(&mut f.store, &run.id, &form, false, Lang::ZhCn, now).unwrap();
    assert!(draft.results[0].abnormal);
    assert_eq!(draft.run.abnormal, 1);
    let refused = save_run(&mut f.store, &run.id, &form, true, Lang::ZhCn, now).unwrap_err();
    assert_eq!(refused.field_names(), vec!["results.0.attachments"]);
    let photo = add_attachment(&mut f.store, b"df -h output", "df.txt", now).unwrap();
    let again = add_attachment(&mut f.store, b"df -h output", "df-copy.txt", now).unwrap();
    assert_eq!(photo.sha256, again.sha256, "kept once by content");
    form.results[0].attachments = vec![photo.clone()];
    let submitted = save_run(&mut f.store, &run.id, &form, true, Lang::ZhCn, now).unwrap();
    assert_eq!(submitted.run.state, RunState::Submitted);
    assert!(submitted.run.on_time());
    assert_eq!(submitted.results[0].attachments, vec![photo]);
    // Readings of a submitted run no longer change.
    let closed = save_run(&mut f.store, &run.id, &healthy(), false, Lang::ZhCn, now).unwrap_err();
    assert_eq!(closed.refusal::<RunRefusal>(), Some(&RunRefusal::NotOpen { state: RunState::Submitted }));
    // The engineer may not sign off; the PM may.
    let engineer = f.engineer.clone();
    f.store.set_current_person(&engineer, now).unwrap();
    let refused = sign_off(&mut f.store, &run.id, Lang::ZhCn, now).unwrap_err();
    assert!(refused.message(Lang::ZhCn).contains("项目经理或质量人员"));
    let pm = f.pm.clone();
    f.store.set_current_person(&pm, now).unwrap();
    let signed = sign_off(&mut f.store, &run.id, Lang::ZhCn, now).unwrap();
    assert_eq!((signed.run.state, signed.run.signed_off_by.as_str()), (RunState::SignedOff, "王经理"));
    let t = today(&f.store, now).unwrap();
    assert_eq!((t.due, t.done, t.overdue, t.abnormal), (1, 1, 0, 1));
}

#[test]
fn the_next_run_shows_the_previous_readings() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-26", local(11, 26, 8, 0));
    generate(&mut f.store, Lang::ZhCn, local(11, 26, 9, 0)).unwrap();
    let first = runs(&f.store, &RunQuery::default()).unwrap().remove(0);
    save_run(&mut f.store, &first.id, &healthy(), true, Lang::ZhCn, local(11, 26, 9, 30)).unwrap();
    generate(&mut f.store, Lang::ZhCn, local(11, 27, 9, 0)).unwrap();
    let second =
        runs(&f.store, &RunQuery { from: Some(day(11, 27)), ..Default::default() }).unwrap().remove(0);
    let detail = run_detail(&f.store, &second.id, Lang::ZhCn).unwrap();
    let free = detail.previous.iter().find(|p| p.key == "db-free").unwrap();
    assert_eq!((free.value.as_str(), free.due_date), ("120", day(11, 26)));
}

#[test]
fn an_abnormal_reading_raises_one_incident_or_joins_the_open_one_of_its_asset() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    let now = local(11, 27, 9, 30);
    let asset = save_asset(
        &mut f.store,
        None,
        &AssetForm { kind: "database".into(), name: "OA 数据库".into(), ..Default::default() },
        now,
    )
    .unwrap();
    let mut plan_form = PlanForm {
        name: "数据库日检".into(),
        template_id: "builtin-daily-database".into(),
        recurrence: Recurrence::Daily,
        first_date: "2026-11-27".into(),
        assignee: engineer.clone(),
        asset_id: asset.id.clone(),
        ..Default::default()
    };
    save_plan(&mut f.store, None, &plan_form, Lang::ZhCn, local(11, 27, 8, 0)).unwrap();
    let asset = asset.clone();
    generate(&mut f.store, Lang::ZhCn, now).unwrap();
    let run = runs(&f.store, &RunQuery::default()).unwrap().remove(0);
    let mut form = healthy();
    form.results[0].value = "12".into();
    form.results[3].value = "500".into();
    save_run(&mut f.store, &run.id, &form, false, Lang::ZhCn, now).unwrap();
    let normal = raise_incident(&mut f.store, &run.id, "tablespace", Lang::ZhCn, now).unwrap_err();
    assert!(normal.message(Lang::ZhCn).contains("结果正常"));
    let raised = raise_incident(&mut f.store, &run.id, "db-free", Lang::ZhCn, now).unwrap();
    assert!(!raised.linked && !raised.existing);
    let incident = f.store.get_incident(&raised.incident_id, now).unwrap();
    assert_eq!(incident.summary.channel, crate::incident::Channel::Inspection);
    assert_eq!(incident.summary.level, crate::level::Level::II);
    assert_eq!(incident.summary.title, "巡检异常：数据库剩余空间");
    assert_eq!(incident.system, "OA 数据库");
    assert!(incident.description.contains("读数 12 GB"), "{}", incident.description);
    // Something to put right besides the incident: a corrective action named after the run;
    // a normal answer raises none.
    let put_right = crate::corrective::ActionForm {
        title: "表空间扩容阈值调至 15 GB".into(),
        owner: "陈工".into(),
        due: "2026-12-11".into(),
    };
    let action = raise_action(&mut f.store, &run.id, "db-free", &put_right, Lang::ZhCn, now).unwrap();
    assert_eq!(action.source, crate::corrective::Source::Inspection);
    assert_eq!(action.source_label, "巡检 数据库日检 2026-11-27 数据库剩余空间");
    assert!(raise_action(&mut f.store, &run.id, "tablespace", &put_right, Lang::ZhCn, now).is_err());
    let listed = run_detail(&f.store, &run.id, Lang::ZhCn).unwrap().actions;
    assert_eq!(listed.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), [action.id.as_str()]);
    // Asked again: the same incident, no second one.
    let again = raise_incident(&mut f.store, &run.id, "db-free", Lang::ZhCn, now).unwrap();
    assert_eq!((again.incident_id.as_str(), again.existing), (raised.incident_id.as_str(), true));
    // Another abnormal item on the same asset joins the incident already open.
    let joined = raise_incident(&mut f.store, &run.id, "connections", Lang::ZhCn, now).unwrap();
    assert_eq!((joined.number.as_str(), joined.linked), (raised.number.as_str(), true));
    // And the incident knows where it came from.
    let from = raised_from(&f.store, &raised.incident_id, Lang::ZhCn).unwrap();
    assert_eq!(from.len(), 2);
    assert_eq!(from[0].plan_name, "数据库日检");
    let detail = run_detail(&f.store, &run.id, Lang::ZhCn).unwrap();
    assert_eq!(detail.results[0].incident_number.as_deref(), Some(raised.number.as_str()));
    // Saving the draft again keeps the link.
    save_run(&mut f.store, &run.id, &form, false, Lang::ZhCn, now).unwrap();
    assert!(run_detail(&f.store, &run.id, Lang::ZhCn).unwrap().results[0].incident_id.is_some());
    plan_form.name = String::new();
    assert!(save_plan(&mut f.store, None, &plan_form, Lang::ZhCn, now).is_err());
    // The asset's history holds the run and the incident.
    let history = asset_history(&f.store, &asset.id, Lang::ZhCn, now).unwrap();
    let kinds: Vec<&str> = history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec!["inspection", "incident"],
        "newest first: the run is due at 10:00, raised at 09:30"
    );
    assert_eq!(history[0].state, "待执行，异常 2 项");
    assert!(history[1].title.starts_with(&raised.number));
}

#[test]
fn saving_unchanged_readings_adds_nothing_to_the_audit_trail() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-27", local(11, 27, 8, 0));
    let now = local(11, 27, 9, 30);
    generate(&mut f.store, Lang::ZhCn, now).unwrap();
    let run = runs(&f.store, &RunQuery::default()).unwrap().remove(0);
    let trail = |store: &Store| {
        store
            .audit_entries(&AuditQuery { entity: "inspection_results".into(), ..Default::default() })
            .unwrap()
            .len()
    };
    save_run(&mut f.store, &run.id, &healthy(), false, Lang::ZhCn, now).unwrap();
    assert_eq!(trail(&f.store), 5);
    save_run(&mut f.store, &run.id, &healthy(), false, Lang::ZhCn, now).unwrap();
    assert_eq!(trail(&f.store), 5, "the same readings again change nothing");
    let mut changed = healthy();
    changed.results[1].value = "61".into();
    save_run(&mut f.store, &run.id, &changed, false, Lang::ZhCn, now).unwrap();
    assert_eq!(trail(&f.store), 6);
}

#[test]
fn a_template_edit_is_a_new_version_and_old_runs_keep_theirs() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-26", local(11, 26, 8, 0));
    generate(&mut f.store, Lang::ZhCn, local(11, 26, 9, 0)).unwrap();
    let builtin = f.store.inspection_template("builtin-daily-database", None, Lang::ZhCn).unwrap();
    let mut form =
        TemplateForm { name: builtin.name.clone(), description: builtin.description.clone(), items: vec![] };
    for item in &builtin.items[..2] {
        form.items.push(crate::inspection::template::ItemForm {
            key: item.key.clone(),
            category: item.category.code().into(),
            title: item.title.clone(),
            how: item.how.clone(),
            answer: item.answer.clone(),
            required: item.required,
            attachment_when_abnormal: false,
            level: item.level.code().into(),
        });
    }
    let edited =
        save_template(&mut f.store, Some(&builtin.id), &form, Lang::ZhCn, local(11, 26, 12, 0)).unwrap();
    assert_eq!(edited.version, 2);
    generate(&mut f.store, Lang::ZhCn, local(11, 27, 9, 0)).unwrap();
    let all = runs(&f.store, &RunQuery::default()).unwrap();
    assert_eq!(all.iter().map(|r| r.template_version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(run_detail(&f.store, &all[0].id, Lang::ZhCn).unwrap().template.items.len(), 5);
    assert_eq!(run_detail(&f.store, &all[1].id, Lang::ZhCn).unwrap().template.items.len(), 2);
    let listed = f.store.inspection_templates(Lang::ZhCn).unwrap();
    assert_eq!(listed.len(), 6, "the edited built-in replaces its first version in the list");
}

#[test]
fn a_burst_of_writes_stands_out_on_the_trend() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    let plan = daily_database(&mut f, &engineer, "2026-11-01", local(11, 1, 8, 0));
    for d in 1..=20 {
        let now = local(11, d, 9, 0);
        generate(&mut f.store, Lang::ZhCn, now).unwrap();
        let run =
            runs(&f.store, &RunQuery { from: Some(day(11, d)), to: Some(day(11, d)), ..Default::default() })
                .unwrap()
                .remove(0);
        let mut form = healthy();
        let writes = if d == 15 { 1900 } else { 800 + (d % 3) * 20 };
        form.results[2].value = writes.to_string();
        save_run(&mut f.store, &run.id, &form, true, Lang::ZhCn, now).unwrap();
    }
    let t = trend(&f.store, &plan.id, "writes", day(11, 1), day(11, 30), Lang::ZhCn).unwrap();
    assert_eq!(t.values.len(), 20);
    assert_eq!((t.unit.as_str(), t.max), ("MB", Some(2048.0)));
    assert!(t.abnormal.iter().all(|a| !a), "1,900 MB is within the normal range…");
    assert_eq!(t.bursts, vec![day(11, 15)], "…but far above the usual: a burst");
    let figures = month_figures(&f.store, day(11, 1), Lang::ZhCn, local(11, 20, 12, 0)).unwrap();
    assert_eq!(figures.total.planned, 20);
    assert_eq!(figures.total.done, 20);
    assert_eq!(figures.total.on_time, 20);
}

#[test]
fn month_figures_count_missed_runs_abnormal_items_and_backups() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-02", local(11, 2, 8, 0));
    generate(&mut f.store, Lang::ZhCn, local(11, 2, 9, 0)).unwrap();
    let run = runs(&f.store, &RunQuery::default()).unwrap().remove(0);
    let mut form = healthy();
    form.results[1].value = "95".into();
    // Submitted late, after the 10:00 due time.
    save_run(&mut f.store, &run.id, &form, true, Lang::ZhCn, local(11, 2, 11, 0)).unwrap();
    raise_incident(&mut f.store, &run.id, "tablespace", Lang::ZhCn, local(11, 2, 11, 5)).unwrap();
    generate(&mut f.store, Lang::ZhCn, local(11, 5, 12, 0)).unwrap();
    let backup = |kind: &str, at: &str, off: bool| ClientBackupForm {
        kind: kind.into(),
        system: "OA".into(),
        started_at: at.into(),
        finished_at: at.into(),
        size: "12 GB".into(),
        off_server: off,
        location: "备份服务器".into(),
        ..Default::default()
    };
    add_client_backup(&mut f.store, &backup("full", "2026-11-01T23:00:00+08:00", true), local(11, 5, 12, 0))
        .unwrap();
    let bad = add_client_backup(
        &mut f.store,
        &backup("full", "2026-12-30T23:00:00+08:00", true),
        local(11, 5, 12, 0),
    );
    assert_eq!(bad.unwrap_err().field_names(), vec!["started_at", "finished_at"], "in the future");
    let figures = month_figures(&f.store, day(11, 1), Lang::ZhCn, local(11, 5, 12, 0)).unwrap();
    assert_eq!((figures.total.planned, figures.total.done, figures.total.on_time), (4, 1, 0));
    assert_eq!(figures.total.missed, 2, "3 and 4 November");
    assert_eq!(figures.missed.len(), 2);
    assert_eq!(figures.by_category, vec![Counted { name: "数据库".into(), count: 1 }]);
    assert_eq!(figures.incidents.len(), 1);
    assert_eq!(figures.incidents[0].status, "待响应");
    assert_eq!((figures.backups.full, figures.backups.off_server), (Check::Done, Check::Done));
}

#[test]
fn routine_maintenance_is_proposed_once_and_goes_through_approval() {
    let mut f = fixture();
    let at = local(11, 1, 9, 0);
    let asset = save_asset(
        &mut f.store,
        None,
        &AssetForm {
            kind: "server".into(),
            name: "OA-APP-01".into(),
            maintenance_days: "30".into(),
            ..Default::default()
        },
        at,
    )
    .unwrap();
    assert_eq!(generate(&mut f.store, Lang::ZhCn, local(11, 20, 9, 0)).unwrap().work_orders, 0);
    assert_eq!(
        generate(&mut f.store, Lang::ZhCn, local(11, 25, 9, 0)).unwrap().work_orders,
        1,
        "due 1 December, a week ahead"
    );
    assert_eq!(generate(&mut f.store, Lang::ZhCn, local(11, 26, 9, 0)).unwrap().work_orders, 0);
    let orders = f.store.work_orders(local(11, 1, 0, 0), local(12, 31, 0, 0)).unwrap();
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!((order.number.as_str(), order.asset_id.as_deref()), ("WO-2026-0001", Some(asset.id.as_str())));
    assert_eq!(order.title, "OA-APP-01例行维护");
    let approved =
        work_step(&mut f.store, &order.id, &WorkStep::Approve { by: "王经理".into() }, at).unwrap();
    let done = work_step(
        &mut f.store,
        &approved.number,
        &WorkStep::Complete { by: "陈工".into(), result: "已清理日志".into(), rolled_back: false },
        at,
    )
    .unwrap();
    assert_eq!(done.state, crate::inspection::assets::WorkState::Done);
    let asked = WorkOrderForm {
        kind: "code".into(),
        title: "修复公文流转缺陷".into(),
        reason: "用户报告".into(),
        window_start: "2026-12-02T20:00:00+08:00".into(),
        window_end: "2026-12-02T22:00:00+08:00".into(),
        ..Default::default()
    };
    assert_eq!(request_work(&mut f.store, &asked, at).unwrap().number, "WO-2026-0002");
}

#[test]
fn a_plan_with_runs_is_paused_not_removed() {
    let mut f = fixture();
    let engineer = f.engineer.clone();
    let plan = daily_database(&mut f, &engineer, "2026-11-27", local(11, 27, 8, 0));
    generate(&mut f.store, Lang::ZhCn, local(11, 27, 9, 0)).unwrap();
    let refused = delete_plan(&mut f.store, &plan.id).unwrap_err();
    assert_eq!(refused.refusal::<RunRefusal>(), Some(&RunRefusal::PlanHasRuns));
    let fresh = daily_database(&mut f, &engineer, "2026-12-27", local(11, 27, 8, 0));
    delete_plan(&mut f.store, &fresh.id).unwrap();
    assert_eq!(f.store.inspection_plans().unwrap().len(), 1);
}

#[test]
fn the_signed_inspection_report_passes_pdfsig_and_says_what_the_month_held() {
    use crate::app::signing::tests::{ca_der, identity_form, PASS};
    use crate::report::tests::{poppler, squash};
    use crate::signing::SignedDocument;
    let mut f = fixture();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-02", local(11, 2, 8, 0));
    for d in 2..=6 {
        let now = local(11, d, 9, 0);
        generate(&mut f.store, Lang::ZhCn, now).unwrap();
        if d == 4 {
            continue;
        }
        let run =
            runs(&f.store, &RunQuery { from: Some(day(11, d)), to: Some(day(11, d)), ..Default::default() })
                .unwrap()
                .remove(0);
        let mut form = healthy();
        form.results[0].value = (120 - d * 10).to_string();
        if d == 6 {
            form.results[1].value = "95".into();
        }
        save_run(&mut f.store, &run.id, &form, true, Lang::ZhCn, now).unwrap();
        if d == 6 {
            raise_incident(&mut f.store, &run.id, "tablespace", Lang::ZhCn, now).unwrap();
        }
    }
    generate(&mut f.store, Lang::ZhCn, local(12, 1, 9, 0)).unwrap();
    let now = local(12, 1, 9, 30);
    crate::app::signing::create_signing_identity(&mut f.store, &identity_form(), now).unwrap();
    let signer = crate::app::signing::unlock_signer(&f.store, PASS).unwrap();
    let revision =
        crate::app::documents::sign_inspection_report(&mut f.store, day(11, 1), Lang::ZhCn, &signer, now)
            .unwrap();
    assert_eq!((revision.report_number.as_str(), revision.revision), ("IR-2026-11", 1));
    let (_, pdf) = f.store.revision_pdf(SignedDocument::InspectionReport, "IR-2026-11", 1).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("inspection-zh.pdf"), &pdf).unwrap();
    }
    crate::signing::tests::assert_pdfsig_accepts(&pdf, &ca_der(&f.store));
    let verification = crate::app::signing::verify_pdf(&f.store, &pdf).unwrap();
    assert_eq!(verification.revision.unwrap().document, SignedDocument::InspectionReport);
    let text = poppler("pdftotext", &pdf);
    for expected in [
        "巡检月报2026年11月",
        "数据库日检",
        "异常转故障",
        "INC-2026-0001",
        "未按期完成（已错过）的巡检",
        "11-04、11-07–11-29",
        "每月全量备份",
        "关键读数趋势",
        "数据库剩余空间",
        "电子签名：李强",
    ] {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?} in:\n{text}");
    }
    let english =
        crate::app::documents::preview_inspection_report(&f.store, day(11, 1), Lang::En, now).unwrap();
    assert!(poppler("pdftotext", &english.pdf).contains(&squash("Monthly inspection report")));
    let future =
        crate::app::documents::preview_inspection_report(&f.store, day(12, 1), Lang::En, local(11, 30, 9, 0));
    assert!(future.is_err(), "a month not begun is refused");
}

#[test]
fn scripted_readings_fill_open_runs_all_or_nothing() {
    use crate::inspection::import::read_rows;
    let mut f = fixture();
    let engineer = f.engineer.clone();
    let now = local(11, 27, 9, 30);
    let asset = save_asset(
        &mut f.store,
        None,
        &AssetForm { kind: "database".into(), name: "OA 数据库".into(), ..Default::default() },
        now,
    )
    .unwrap();
    let form = PlanForm {
        name: "数据库日检".into(),
        template_id: "builtin-daily-database".into(),
        recurrence: Recurrence::Daily,
        first_date: "2026-11-26".into(),
        assignee: engineer,
        asset_id: asset.id,
        ..Default::default()
    };
    save_plan(&mut f.store, None, &form, Lang::ZhCn, local(11, 26, 8, 0)).unwrap();
    let bad = "plan,asset,time,item,value\n\
               数据库日检,,2026-11-27 08:00,db-free,lots\n\
               无此计划,,2026-11-27,db-free,10\n\
               ,OA 数据库,2026-11-27,数据库剩余空间,90\n\
               数据库日检,,2026-11-20,db-free,90\n\
               数据库日检,,2026-11-27,no-such-item,1\n\
               数据库日检,,2026-11-27,db-free,80\n";
    let refused =
        import_readings(&mut f.store, &read_rows(bad.as_bytes()).unwrap(), Lang::ZhCn, now).unwrap_err();
    let message = refused.message(Lang::ZhCn);
    for expected in
        ["5 行无法导入", "第 2 行 value", "第 3 行 plan", "第 5 行 time", "第 6 行 item", "第 7 行 item"]
    {
        assert!(message.contains(expected), "{expected:?} in {message}");
    }
    let run = runs(&f.store, &RunQuery { from: Some(day(11, 27)), ..Default::default() }).unwrap().remove(0);
    assert!(
        run_detail(&f.store, &run.id, Lang::ZhCn).unwrap().results.iter().all(|r| r.value.is_empty()),
        "nothing imported"
    );
    let good = r#"[{"asset": "OA 数据库", "time": "2026-11-27T08:00:00+08:00", "item": "db-free", "value": 12},
                   {"plan": "数据库日检", "time": "2026-11-26", "item": "writes", "value": "900", "note": "脚本采集"},
                   {"plan": "数据库日检", "time": "2026-11-27", "item": "db-log", "value": true}]"#;
    let done = import_readings(&mut f.store, &read_rows(good.as_bytes()).unwrap(), Lang::ZhCn, now).unwrap();
    assert_eq!((done.runs, done.readings), (2, 3));
    let detail = run_detail(&f.store, &run.id, Lang::ZhCn).unwrap();
    assert_eq!(detail.run.state, RunState::Open, "left for a person to submit");
    assert!(detail.results[0].abnormal, "12 GB judged like a typed reading");
    assert_eq!(detail.results[4].value, "pass");
}

#[test]
fn the_service_calendar_shows_every_kind_of_work_with_the_duty_and_exports_to_ics() {
    let mut f = fixture();
    let at = local(11, 1, 9, 0);
    let rotation = RotationForm {
        name: "值班".into(),
        members: vec![f.engineer.clone()],
        shifts: vec![ShiftForm { on: "every".into(), start: "08:30".into(), end: "08:30".into() }],
        handover: "08:30".into(),
        start_date: "2026-11-01".into(),
        desk: false,
    };
    f.store.save_rotation(None, &rotation, at).unwrap();
    let engineer = f.engineer.clone();
    daily_database(&mut f, &engineer, "2026-11-23", local(11, 22, 8, 0));
    let backup_plan = PlanForm {
        name: "每周增量备份".into(),
        template_id: "builtin-weekly-incremental".into(),
        recurrence: Recurrence::Weekdays { days: vec![5] },
        first_date: "2026-11-23".into(),
        due_time: "18:00".into(),
        assignee: engineer.clone(),
        ..Default::default()
    };
    save_plan(&mut f.store, None, &backup_plan, Lang::ZhCn, local(11, 22, 8, 0)).unwrap();
    save_asset(
        &mut f.store,
        None,
        &AssetForm {
            kind: "server".into(),
            name: "OA-APP-01".into(),
            maintenance_days: "30".into(),
            ..Default::default()
        },
        local(10, 30, 9, 0),
    )
    .unwrap();
    let now = local(11, 24, 12, 0);
    generate(&mut f.store, Lang::ZhCn, now).unwrap();
    let week = service_calendar(&f.store, day(11, 23), day(11, 29), Lang::ZhCn, now).unwrap();
    assert_eq!(week.len(), 7);
    let monday = &week[0];
    assert_eq!(monday.duty, vec!["陈工"]);
    assert_eq!(monday.entries[0].title, "数据库日检");
    assert_eq!(monday.entries[0].state, "已错过", "Monday's run closed at Tuesday 10:00");
    assert_eq!(week[2].entries[0].state, "", "Wednesday's is ahead");
    let friday = &week[4];
    let kinds: Vec<WorkType> = friday.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![WorkType::Inspection, WorkType::Backup], "the backup plan counts as backup work");
    let routine = week.iter().flat_map(|d| &d.entries).find(|e| e.kind == WorkType::Maintenance).unwrap();
    assert_eq!(
        (routine.title.as_str(), routine.state.as_str()),
        ("WO-2026-0001 OA-APP-01例行维护", "待审批"),
        "due on 29 November, within a week: its work order is already proposed"
    );
    // Further ahead the routine date shows before any order is made.
    let later = service_calendar(&f.store, day(12, 27), day(12, 31), Lang::ZhCn, now).unwrap();
    let ahead = later.iter().flat_map(|d| &d.entries).find(|e| e.kind == WorkType::Maintenance).unwrap();
    assert_eq!((ahead.title.as_str(), ahead.state.as_str()), ("OA-APP-01例行维护", ""));
    let ics = service_calendar_ics(&f.store, day(11, 23), day(11, 29), Lang::ZhCn, now).unwrap();
    assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains("SUMMARY:[巡检] 数据库日检"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), week.iter().map(|d| d.entries.len()).sum::<usize>());
}
