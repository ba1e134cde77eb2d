use super::*;
use crate::app::signing::tests::{ca_der, identity_form, PASS};
use crate::contingency::ContingencyForm;
use crate::corrective::ActionStatus;
use crate::drill::{DrillKind, DrillVerdict, ParticipantForm};
use crate::error::Missing;
use crate::people::PersonForm;
use crate::report::tests::{poppler, squash};
use crate::store::testing::{in_memory_db, now};
use crate::training::plan::AttendanceStatus;

const DATABASE: &str = "builtin-database";

fn person(store: &mut Store, name: &str, department: &str) -> String {
    let form = PersonForm {
        kind: "team".into(),
        name: name.into(),
        department: department.into(),
        ..Default::default()
    };
    store.create_person(&form, now()).unwrap().id
}

fn planned(date: &str) -> DrillForm {
    DrillForm {
        date: date.into(),
        kind: "tabletop".into(),
        scope: "special".into(),
        plan_id: DATABASE.into(),
        scenario: "OA 数据库主库宕机，切换至备库".into(),
        ..DrillForm::default()
    }
}

fn finding(title: &str, due: &str) -> ActionForm {
    ActionForm { title: title.into(), owner: "王伟".into(), due: due.into() }
}

#[test]
fn drills_are_numbered_in_their_year_and_take_the_plans_version_and_rto() {
    let mut store = in_memory_db();
    let plan = store.contingency_plan(DATABASE, Lang::ZhCn).unwrap();
    let first = save(&mut store, None, &planned("2026-12-20"), Lang::ZhCn, now()).unwrap();
    let second = save(&mut store, None, &planned("2026-06-01"), Lang::ZhCn, now()).unwrap();
    let next_year = save(&mut store, None, &planned("2027-03-01"), Lang::ZhCn, now()).unwrap();
    assert_eq!(
        [first.number.as_str(), second.number.as_str(), next_year.number.as_str()],
        ["DR-2026-01", "DR-2026-02", "DR-2027-01"]
    );
    assert_eq!((first.plan_name.as_str(), first.plan_version), (plan.name.as_str(), 1));
    assert_eq!(first.target_minutes, plan.rto_minutes);
    assert!(first.target_minutes.is_some());
    // The plan moves on to version 2; the drill keeps the version it was planned with.
    let mut edit = ContingencyForm::from(&plan);
    edit.name = "数据库故障专项应急预案（修订）".into();
    crate::app::contingency::save(&mut store, Some(DATABASE), &edit, Lang::ZhCn, now()).unwrap();
    let again = save(&mut store, Some(&first.id), &DrillForm::from(&first), Lang::ZhCn, now()).unwrap();
    assert_eq!((again.number.as_str(), again.plan_version), ("DR-2026-01", 1));
    let listed = year(&store, 2026, Lang::ZhCn, now()).unwrap();
    let numbers: Vec<&str> = listed.drills.iter().map(|r| r.drill.number.as_str()).collect();
    assert_eq!(numbers, ["DR-2026-02", "DR-2026-01"], "by date");
    // June has passed on 27 November: the December drill is the next one.
    assert_eq!(listed.next.map(|d| d.number).as_deref(), Some("DR-2026-01"));
    assert_eq!(listed.drilled, 0);
    assert_eq!(store.drill_by_number("DR-2027-01").unwrap().id, next_year.id);
}

#[test]
fn a_withdrawn_plan_an_unknown_person_or_drill_is_refused() {
    let mut store = in_memory_db();
    let mut plan = ContingencyForm::from(&store.contingency_plan(DATABASE, Lang::ZhCn).unwrap());
    plan.active = false;
    crate::app::contingency::save(&mut store, Some(DATABASE), &plan, Lang::ZhCn, now()).unwrap();
    let e = save(&mut store, None, &planned("2026-12-20"), Lang::ZhCn, now()).unwrap_err();
    assert_eq!(e.field_names(), ["plan_id"]);
    let form = DrillForm {
        plan_id: "builtin-network".into(),
        participants: vec![ParticipantForm { person_id: "nobody".into(), ..Default::default() }],
        ..planned("2026-12-20")
    };
    assert!(matches!(
        save(&mut store, None, &form, Lang::ZhCn, now()),
        Err(Error::NotFound { what: Missing::Person, .. })
    ));
    assert!(matches!(store.drill("nope"), Err(Error::NotFound { what: Missing::Drill, .. })));
    assert!(store.drills(None).unwrap().is_empty(), "nothing half-stored");
}

/// The acceptance drill: a tabletop with a log, two findings, one closed; the year's coverage
/// and the signed report show it all.
#[test]
fn a_tabletop_drill_with_two_findings_one_closed_is_reported_and_signed() {
    let mut store = in_memory_db();
    store.set_user_name("王伟").unwrap();
    let lead = person(&mut store, "王伟", "implementation");
    let dba = person(&mut store, "陈工", "implementation");
    let absent = person(&mut store, "刘洋", "customer_service");
    let drill = save(&mut store, None, &planned("2026-11-26"), Lang::ZhCn, now()).unwrap();
    let who = |id: &str, role: &str, status: &str| ParticipantForm {
        person_id: id.into(),
        role: role.into(),
        status: status.into(),
    };
    let held = DrillForm {
        held: true,
        achieved_minutes: "95".into(),
        target_minutes: "120".into(),
        verdict: "partly".into(),
        evaluation: "切换流程可行，通讯录需更新。".into(),
        participants: vec![
            who(&lead, "指挥", "present"),
            who(&dba, "数据库恢复", "late"),
            who(&absent, "", "absent"),
        ],
        ..planned("2026-11-26")
    };
    let drill = save(&mut store, Some(&drill.id), &held, Lang::ZhCn, now()).unwrap();
    assert_eq!(drill.participants[1].status, AttendanceStatus::Late);
    assert_eq!(drill.participants[0].department, "implementation");
    assert_eq!(drill.met_target(), Some(true));
    assert_eq!(drill.verdict, Some(DrillVerdict::Partly));
    for (at, text) in [("2026-11-26 09:00", "宣布演练开始"), ("2026-11-26 10:35", "备库接管，业务恢复")]
    {
        log(&mut store, &drill.id, &LogForm { at: at.into(), text: text.into() }, now()).unwrap();
    }
    let a = raise_finding(&mut store, &drill.id, &finding("更新应急通讯录", "2026-12-10"), Lang::ZhCn, now())
        .unwrap();
    raise_finding(&mut store, &drill.id, &finding("备库切换脚本加入巡检", "2026-12-20"), Lang::ZhCn, now())
        .unwrap();
    assert_eq!((a.source, a.source_label.as_str()), (Source::Drill, "演练 DR-2026-01"));
    crate::app::corrective::close(&mut store, &a.id, "通讯录已更新并发布", now()).unwrap();

    let detail = detail(&store, &drill.id, Lang::ZhCn, now()).unwrap();
    assert_eq!(detail.met_target, Some(true));
    assert_eq!(detail.drill.log.len(), 2);
    assert_eq!(detail.drill.log[0].by, "王伟");
    assert_eq!(detail.actions.len(), 2);
    assert_eq!(detail.actions.iter().filter(|a| a.status == ActionStatus::Closed).count(), 1);
    let listed = year(&store, 2026, Lang::ZhCn, now()).unwrap();
    assert_eq!((listed.drills[0].actions, listed.drills[0].open_actions), (2, 1));
    let database = listed.coverage.iter().find(|c| c.plan_id == DATABASE).unwrap();
    assert_eq!(database.last_drilled, NaiveDate::from_ymd_opt(2026, 11, 26));
    assert!(listed.coverage[0].last_drilled.is_none(), "plans never drilled first");
    assert_eq!(listed.coverage.last().unwrap().plan_id, DATABASE);
    assert_eq!((listed.drilled, listed.next.as_ref()), (1, None), "the one drill is held");

    crate::app::signing::create_signing_identity(&mut store, &identity_form(), now()).unwrap();
    let signer = crate::app::signing::unlock_signer(&store, PASS).unwrap();
    let revision =
        crate::app::documents::sign_drill_report(&mut store, &drill.id, Lang::ZhCn, &signer, now()).unwrap();
    assert_eq!((revision.report_number.as_str(), revision.revision), ("DR-2026-01", 1));
    let (_, pdf) = store.revision_pdf(SignedDocument::DrillReport, &drill.id, 1).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("drill-zh.pdf"), &pdf).unwrap();
    }
    crate::signing::tests::assert_pdfsig_accepts(&pdf, &ca_der(&store));
    let verification = crate::app::signing::verify_pdf(&store, &pdf).unwrap();
    assert_eq!(verification.revision.unwrap().document, SignedDocument::DrillReport);
    let text = squash(&poppler("pdftotext", &pdf));
    for expected in [
        "应急演练报告",
        "DR-2026-01",
        "桌面推演",
        "专项演练",
        "OA数据库主库宕机",
        "应到3人，实到2人",
        "迟到",
        "宣布演练开始",
        "95分钟（1小时35分）",
        "达到目标",
        "更新应急通讯录",
        "已关闭：通讯录已更新并发布",
        "整改中",
        "共2项，已关闭1项。",
        "基本达到",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert_eq!(detail_revisions(&store, &drill.id), 1);
    let en = crate::app::documents::preview_drill_report(&store, &drill.id, Lang::En, now()).unwrap();
    let text = squash(&poppler("pdftotext", &en.pdf));
    for expected in ["Emergencydrillreport", "Tabletop", "2of3tookpart", "Partlyachieved", "DRAFT"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

fn detail_revisions(store: &Store, id: &str) -> usize {
    detail(store, id, Lang::ZhCn, now()).unwrap().revisions.len()
}

#[test]
fn a_hands_on_drill_missing_its_target_says_so() {
    let mut store = in_memory_db();
    let form = DrillForm {
        kind: "hands_on".into(),
        held: true,
        target_minutes: "60".into(),
        achieved_minutes: "75".into(),
        ..planned("2026-11-20")
    };
    let drill = save(&mut store, None, &form, Lang::ZhCn, now()).unwrap();
    assert_eq!((drill.kind, drill.met_target()), (DrillKind::HandsOn, Some(false)));
}

/// The restore drill every backup run makes counts as a drill of the data-recovery plan.
#[test]
fn a_backup_restore_drill_counts_for_the_data_recovery_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_app(Some(dir.path()), now()).expect("store");
    let before = year(&store, 2026, Lang::ZhCn, now()).unwrap();
    let recovery =
        |y: &DrillYear| y.coverage.iter().find(|c| c.plan_id == DATA_RECOVERY).cloned().expect("in force");
    assert_eq!(recovery(&before).last_drilled, None);
    let backups = Backups::of_store(&store).unwrap();
    backups.set_up(None, None).expect("set up");
    backups.run(true, None, now(), &mut |_| {}).expect("backup run");
    let after = year(&store, 2026, Lang::ZhCn, now()).unwrap();
    assert_eq!(after.restores.len(), 1);
    assert!(after.restores[0].ok);
    assert_eq!(recovery(&after).last_drilled, Some(service_date(now())));
    assert!(year(&store, 2025, Lang::ZhCn, now()).unwrap().restores.is_empty(), "only the year's");
}

#[test]
fn the_years_drill_plan_prints_every_drill_and_the_plans_not_yet_drilled() {
    let mut store = in_memory_db();
    save(&mut store, None, &planned("2026-12-20"), Lang::ZhCn, now()).unwrap();
    let held = DrillForm { held: true, ..planned("2026-03-10") };
    save(&mut store, None, &held, Lang::ZhCn, now()).unwrap();
    let pdf = crate::app::documents::drill_plan_pdf(&store, 2026, Lang::ZhCn, now()).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("drill-plan-zh.pdf"), &pdf).unwrap();
    }
    let text = squash(&poppler("pdftotext", &pdf));
    for expected in
        ["2026年度应急演练计划", "DR-2026-01", "DR-2026-02", "2026-03-10", "已实施", "计划", "未演练", "审批"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let empty = crate::app::documents::drill_plan_pdf(&store, 2027, Lang::En, now()).unwrap();
    assert!(squash(&poppler("pdftotext", &empty)).contains("Nodrillisplannedthisyear."));
}
