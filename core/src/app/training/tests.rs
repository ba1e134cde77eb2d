use chrono::TimeZone;

use super::*;
use crate::app::signing::tests::{ca_der, identity_form, PASS};
use crate::document::SignedDocument;
use crate::i18n::SERVICE_TZ;
use crate::people::{AvailabilityForm, PersonForm};
use crate::report::tests::{pages, poppler, squash};
use crate::store::testing::{in_memory_db, now};
use crate::training::plan::{AttendanceForm, AttendanceStatus, Plan};
use crate::training::{AudienceForm, ClashKind, ScheduleWarning};

/// Local Shanghai time in 2026.
fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(2026, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

struct Fixture {
    store: Store,
    plan: Plan,
    trainer: String,
    other_trainer: String,
    engineer: String,
    leader: String,
    clerks: Vec<String>,
}

fn fixture() -> Fixture {
    let mut store = in_memory_db();
    let mut person = |form: PersonForm| store.create_person(&form, now()).unwrap().id;
    let team = |name: &str, department: &str| PersonForm {
        kind: "team".into(),
        name: name.into(),
        department: department.into(),
        ..Default::default()
    };
    let client = |name: &str| PersonForm {
        kind: "client".into(),
        name: name.into(),
        organisation: "市财政局".into(),
        client_department: "办公室".into(),
        ..Default::default()
    };
    let trainer = person(team("张伟", "training"));
    let other_trainer = person(team("刘洋", "training"));
    let engineer = person(team("陈工", "implementation"));
    let leader = person(PersonForm {
        leader: true,
        position: "副局长".into(),
        // Tuesdays 09:00–12:00.
        availability: vec![AvailabilityForm {
            weekday: "2".into(),
            start: "09:00".into(),
            end: "12:00".into(),
            ..Default::default()
        }],
        ..client("王局长")
    });
    let clerks = vec![person(client("李娜")), person(client("赵敏"))];
    let template = plan_template(&store, Lang::ZhCn, now()).unwrap();
    let plan = store.save_training_plan(None, &template, now()).unwrap();
    Fixture { store, plan, trainer, other_trainer, engineer, leader, clerks }
}

impl Fixture {
    fn form(&self, title: &str, start: DateTime<Utc>, hours: i64, room: &str) -> SessionForm {
        SessionForm {
            plan_id: self.plan.id.clone(),
            row_id: self.plan.rows[3].id.clone(),
            title: title.into(),
            audience: "operator".into(),
            trainer_id: self.trainer.clone(),
            room: room.into(),
            start: start.to_rfc3339(),
            end: (start + Duration::hours(hours)).to_rfc3339(),
            mode: "classroom".into(),
            attendee_ids: self.clerks.clone(),
            ..Default::default()
        }
    }

    fn save(&mut self, form: &SessionForm) -> Result<SavedSession> {
        save_session(&mut self.store, None, form, now())
    }

    fn count(&self) -> usize {
        self.store.training_sessions(&SessionQuery::default()).unwrap().len()
    }
}

#[test]
fn plans_are_numbered_by_year_and_keep_their_rows_when_edited() {
    let mut f = fixture();
    assert_eq!(f.plan.number, "TP-2026-01");
    assert_eq!(f.plan.rows.len(), 5);
    assert_eq!(f.plan.rows[4].audience, "leadership");
    let mut form = plan_template(&f.store, Lang::ZhCn, now()).unwrap();
    form.rows = f
        .plan
        .rows
        .iter()
        .map(|r| crate::training::plan::PlanRowForm {
            id: r.id.clone(),
            period: "2026 年 12 月".into(),
            audience: r.audience.clone(),
            content: r.content.clone(),
            trainer: "张伟".into(),
        })
        .collect();
    let edited = f.store.save_training_plan(Some(&f.plan.id), &form, now()).unwrap();
    assert_eq!(
        (edited.number.as_str(), edited.rows[0].id.as_str()),
        ("TP-2026-01", f.plan.rows[0].id.as_str())
    );
    assert_eq!(f.store.training_plan("TP-2026-01").unwrap().rows[0].period, "2026 年 12 月");
    let second = f.store.save_training_plan(None, &form, now()).unwrap();
    assert_eq!(second.number, "TP-2026-02");
    assert_eq!(f.store.training_plans().unwrap().len(), 2);

    let custom = f
        .store
        .add_training_audience(
            &AudienceForm { name: "新入职驻场人员".into(), default_content: "驻场规范".into() },
            now(),
        )
        .unwrap();
    assert_eq!(f.store.training_audiences().unwrap().len(), 6);
    let again = f
        .store
        .add_training_audience(&AudienceForm { name: "新入职驻场人员".into(), ..Default::default() }, now());
    assert_eq!(again.err().unwrap().fields()[0].code(), "duplicate");
    assert!(custom.code.starts_with("custom-"));
}

#[test]
fn a_double_booked_trainer_room_or_attendee_is_refused_naming_the_other_session() {
    let mut f = fixture();
    let first = f.save(&f.form("公文流转操作", local(12, 1, 14, 0), 2, "302 会议室")).unwrap();
    assert!(first.warnings.is_empty());

    // Same trainer, other room and people, overlapping: refused with the other session named.
    let mut clash = f.form("档案管理", local(12, 1, 15, 0), 2, "小会议室");
    clash.attendee_ids = vec![];
    let err = f.save(&clash).err().unwrap();
    assert_eq!(err.code(), "clash");
    assert_eq!(
        err.message(Lang::ZhCn),
        "时间冲突，未保存：张伟 12-01 14:00–16:00 已在 302 会议室 授课（公文流转操作）"
    );
    assert_eq!(f.count(), 1, "nothing saved");

    // Another trainer in the same room, with one of the same attendees.
    let mut room = f.form("档案管理", local(12, 1, 15, 0), 2, "302 会议室");
    room.trainer_id = f.other_trainer.clone();
    room.attendee_ids = vec![f.clerks[1].clone()];
    let err = f.save(&room).err().unwrap();
    let found = &err.refusal::<crate::training::Clashes>().expect("a clash").0;
    let kinds: Vec<&ClashKind> = found.iter().map(|c| &c.kind).collect();
    assert_eq!(
        kinds,
        [&ClashKind::Room { room: "302 会议室".into() }, &ClashKind::Attendee { name: "赵敏".into() }]
    );

    // Touching is fine; the evening part earns a warning, not a refusal.
    let after = f.save(&f.form("公文流转答疑", local(12, 1, 16, 0), 2, "302 会议室")).unwrap();
    assert_eq!(after.warnings, [ScheduleWarning::OutsideWorkingHours]);

    // Rescheduling re-checks: moving the first session onto the second is refused, elsewhere fine.
    let moved = f.form("公文流转操作", local(12, 1, 15, 0), 2, "302 会议室");
    let err = save_session(&mut f.store, Some(&first.session.id), &moved, now()).err().unwrap();
    assert!(err.message(Lang::En).contains("公文流转答疑"), "{}", err.message(Lang::En));
    let moved = f.form("公文流转操作", local(12, 2, 9, 0), 2, "302 会议室");
    let saved = save_session(&mut f.store, Some(&first.session.id), &moved, now()).unwrap();
    assert_eq!(saved.session.start, local(12, 2, 9, 0));
    assert_eq!(f.count(), 2);
}

#[test]
fn trainers_come_from_the_training_group_and_attendees_from_the_client() {
    let mut f = fixture();
    let mut form = f.form("公文流转操作", local(12, 1, 14, 0), 2, "302");
    form.trainer_id = f.engineer.clone();
    form.attendee_ids = vec![f.engineer.clone()];
    let err = f.save(&form).err().unwrap();
    let messages: Vec<String> = err.fields().iter().map(|e| e.message(Lang::ZhCn)).collect();
    assert_eq!(messages, ["培训人“陈工”无效，请从列表中选择", "参训人员“陈工”无效，请从列表中选择"]);
    // An external professional trainer is named instead.
    let external = SessionForm {
        trainer_id: String::new(),
        trainer_name: "赵工（华为认证讲师）".into(),
        audience: "hardware".into(),
        ..f.form("服务器硬件故障诊断", local(12, 1, 14, 0), 2, "机房")
    };
    let saved = f.save(&external).unwrap().session;
    assert_eq!((saved.trainer_id, saved.trainer_name.as_str()), (None, "赵工（华为认证讲师）"));
    let by_trainer = f
        .store
        .training_sessions(&SessionQuery {
            trainer: "ext:赵工（华为认证讲师）".into(), ..Default::default()
        })
        .unwrap();
    assert_eq!(by_trainer.len(), 1);
}

#[test]
fn attendance_is_kept_across_a_reschedule_and_feeds_the_progress() {
    let mut f = fixture();
    let held = f.save(&f.form("公文流转操作", local(11, 24, 9, 0), 2, "302")).unwrap().session;
    let row = |id: &str, status: &str| crate::training::plan::AttendanceRowForm {
        person_id: id.into(),
        status: status.into(),
        rating: "4".into(),
        ..Default::default()
    };
    let form = AttendanceForm {
        attendees: vec![row(&f.clerks[0], "present"), row(&f.clerks[1], "absent")],
        outcome: "基本掌握".into(),
        needs_follow_up: false,
    };
    f.store.record_attendance(&held.id, &form, now()).unwrap();
    // Moving it an hour keeps what was recorded.
    let moved = f.form("公文流转操作", local(11, 24, 10, 0), 2, "302");
    let moved = save_session(&mut f.store, Some(&held.id), &moved, now()).unwrap().session;
    assert_eq!(moved.attendees[0].status, AttendanceStatus::Present);
    assert_eq!(moved.outcome, "基本掌握");
    f.save(&f.form("公文流转进阶", local(12, 8, 9, 0), 2, "302")).unwrap();

    let progress = plan_progress(&f.store, &f.plan.id, now()).unwrap();
    assert_eq!((progress.planned, progress.held, progress.attendance_rate), (2, 1, Some(0.5)));
    let operator = progress.audiences.iter().find(|a| a.audience == "operator").unwrap();
    assert_eq!(operator.not_attended.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["赵敏"]);
    let leadership = progress.audiences.iter().find(|a| a.audience == "leadership").unwrap();
    assert_eq!(leadership.not_attended.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["王局长"]);
}

#[test]
fn a_leaders_slot_is_found_around_trainer_and_rooms_and_booked() {
    let mut f = fixture();
    // The trainer teaches Tuesday 1 December 09:00–10:30; room 302 is taken 10:30–12:00.
    let mut busy = f.form("公文流转操作", local(12, 1, 9, 0), 1, "小会议室");
    busy.end = local(12, 1, 10, 30).to_rfc3339();
    f.save(&busy).unwrap();
    let mut other = f.form("档案管理", local(12, 1, 10, 30), 1, "302");
    other.trainer_id = f.other_trainer.clone();
    other.attendee_ids = vec![];
    other.end = local(12, 1, 12, 0).to_rfc3339();
    f.save(&other).unwrap();

    let query = SlotQuery {
        leader_id: f.leader.clone(),
        trainer_id: f.trainer.clone(),
        duration_minutes: 60,
        from: local(11, 30, 8, 0).to_rfc3339(),
        weeks: 2,
        count: 3,
        rooms: vec!["302".into()],
    };
    let answer = suggest_training_slots(&f.store, &query, now()).unwrap();
    let starts: Vec<DateTime<Utc>> = answer.slots.iter().map(|s| s.start).collect();
    // 1 Dec: trainer busy until 10:30, 302 busy from 10:30 → next Tuesday.
    assert_eq!(starts, [local(12, 8, 9, 0), local(12, 8, 10, 0), local(12, 8, 11, 0)]);

    // Any room sessions have used: 小会议室 is free at 10:30 on the 1st.
    let answer =
        suggest_training_slots(&f.store, &SlotQuery { rooms: vec![], ..query.clone() }, now()).unwrap();
    assert_eq!((answer.slots[0].start, answer.slots[0].room.as_str()), (local(12, 1, 10, 30), "小会议室"));

    // Booking the slot makes the leader busy there.
    let slot = &answer.slots[0];
    let booking = SlotBooking {
        plan_id: f.plan.id.clone(),
        leader_id: f.leader.clone(),
        trainer_id: f.trainer.clone(),
        start: slot.start.to_rfc3339(),
        end: slot.end.to_rfc3339(),
        room: slot.room.clone(),
        ..Default::default()
    };
    let booked = book_training_slot(&mut f.store, &booking, Lang::ZhCn, now()).unwrap().session;
    assert_eq!(
        (booked.title.as_str(), booked.mode, booked.audience.as_str()),
        ("领导一对一：王局长", Mode::OneToOne, "leadership")
    );
    assert_eq!(booked.row_id.as_deref(), Some(f.plan.rows[4].id.as_str()), "under the plan's leadership row");
    let next =
        suggest_training_slots(&f.store, &SlotQuery { rooms: vec![], ..query.clone() }, now()).unwrap();
    assert_eq!(next.slots[0].start, local(12, 8, 9, 0));

    // A leader without availability: no slot, and the answer says why.
    let clerk = SlotQuery { leader_id: f.clerks[0].clone(), ..query.clone() };
    let answer = suggest_training_slots(&f.store, &clerk, now()).unwrap();
    assert!(answer.slots.is_empty() && answer.no_availability);
    let err =
        suggest_training_slots(&f.store, &SlotQuery { duration_minutes: 5, ..query }, now()).err().unwrap();
    assert_eq!(err.fields()[0].message(Lang::ZhCn), "时长须为 15–480 之间的整数");
}

#[test]
fn the_signed_plan_passes_pdfsig_and_verifies_as_a_plan() {
    let mut f = fixture();
    f.save(&f.form("公文流转操作", local(12, 1, 14, 0), 2, "302 会议室")).unwrap();
    crate::app::signing::create_signing_identity(&mut f.store, &identity_form(), now()).unwrap();
    let signer = crate::app::signing::unlock_signer(&f.store, PASS).unwrap();
    let revision =
        crate::app::documents::sign_training_plan(&mut f.store, &f.plan.id, Lang::ZhCn, &signer, now())
            .unwrap();
    assert_eq!((revision.report_number.as_str(), revision.revision), ("TP-2026-01", 1));
    let (_, pdf) = f.store.revision_pdf(SignedDocument::TrainingPlan, &f.plan.id, 1).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("plan-zh.pdf"), &pdf).unwrap();
    }
    crate::signing::tests::assert_pdfsig_accepts(&pdf, &ca_der(&f.store));
    let verification = crate::app::signing::verify_pdf(&f.store, &pdf).unwrap();
    assert!(verification.valid() && verification.trusted);
    assert_eq!(verification.revision.unwrap().document, SignedDocument::TrainingPlan);
    let text = poppler("pdftotext", &pdf);
    for expected in [
        "培训计划",
        "2026年度培训计划",
        "系统定制：应用、权限、模板",
        "公文流转操作",
        "签字确认",
        "电子签名：李强",
    ] {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?} in:\n{text}");
    }
    let second =
        crate::app::documents::sign_training_plan(&mut f.store, &f.plan.id, Lang::En, &signer, now())
            .unwrap();
    assert_eq!(second.revision, 2);
    assert_eq!(f.store.revisions(SignedDocument::TrainingPlan, Some(&f.plan.id)).unwrap().len(), 2);
    let (_, english) = f.store.revision_pdf(SignedDocument::TrainingPlan, &f.plan.id, 2).unwrap();
    assert!(poppler("pdftotext", &english).contains("TrainingPlan"));
}

#[test]
fn a_sign_in_sheet_has_a_page_per_working_day_with_names_and_blank_rows() {
    let mut f = fixture();
    let one_day = f.save(&f.form("公文流转操作", local(12, 1, 14, 0), 2, "302 会议室")).unwrap().session;
    let pdf = crate::app::documents::signin_sheet_pdf(&f.store, &one_day.id, Lang::ZhCn, now()).unwrap();
    if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("signin-zh.pdf"), &pdf).unwrap();
    }
    assert_eq!(pages(&pdf), 1);
    let text = poppler("pdftotext", &pdf);
    for expected in
        ["培训签到表", "公文流转操作", "302会议室", "张伟", "李娜", "赵敏", "办公室", "签到时间", "11"]
    {
        assert!(text.contains(&squash(expected)), "pdftotext finds {expected:?} in:\n{text}");
    }
    // Friday 4 to Monday 7 December: the weekend gets no sheet.
    let mut course = f.form("系统管理员培训", local(12, 4, 9, 0), 0, "机房");
    course.end = local(12, 7, 17, 0).to_rfc3339();
    course.attendee_ids = vec![];
    let course = f.save(&course).unwrap().session;
    let pdf = crate::app::documents::signin_sheet_pdf(&f.store, &course.id, Lang::En, now()).unwrap();
    assert_eq!(pages(&pdf), 2);
    assert!(poppler("pdftotext", &pdf).contains(&squash("(day 2 of 2)")));
}

#[test]
fn a_plans_sessions_export_to_ics() {
    let mut f = fixture();
    f.save(&f.form("公文流转操作, 第一讲", local(12, 1, 14, 0), 2, "302 会议室")).unwrap();
    let ics = training_ics(
        &f.store,
        &SessionQuery { plan_id: f.plan.id.clone(), ..Default::default() },
        Lang::ZhCn,
        now(),
    )
    .unwrap();
    let parsed: icalendar::Calendar = ics.parse().expect("an independent parser reads it");
    use icalendar::{Component, EventLike};
    let events: Vec<_> = parsed.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].get_summary(), Some("公文流转操作, 第一讲"));
    assert_eq!(events[0].get_location(), Some("302 会议室"));
}
