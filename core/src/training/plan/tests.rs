use chrono::{Duration, TimeZone};

use super::*;
use crate::i18n::SERVICE_TZ;

fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(2026, m, d, h, 0, 0).single().unwrap().with_timezone(&Utc)
}

fn names(errors: &Error) -> Vec<String> {
    errors.fields().iter().map(|f| f.field.to_string()).collect()
}

#[test]
fn the_template_has_the_five_audiences_with_their_contents() {
    let audiences = builtin_audiences();
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let form =
        PlanForm::template(&audiences, start, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), Lang::ZhCn);
    let codes: Vec<&str> = form.rows.iter().map(|r| r.audience.as_str()).collect();
    assert_eq!(codes, ["hardware", "system_admin", "data_admin", "operator", "leadership"]);
    assert_eq!(form.rows[1].content, "系统定制：应用、权限、模板");
    assert_eq!(form.title, "2026 年度培训计划");
    let mut n = 0;
    let plan = form
        .validate(&audiences, || {
            n += 1;
            format!("row-{n}")
        })
        .unwrap();
    assert_eq!(plan.rows.len(), 5);
    assert_eq!(plan.rows[4].id, "row-5");
}

#[test]
fn a_plan_form_reports_every_wrong_field_by_row() {
    let form = PlanForm {
        title: String::new(),
        start: "2026-12-31".into(),
        end: "2026-01-01".into(),
        notes: String::new(),
        rows: vec![
            PlanRowForm { audience: "operator".into(), content: "系统使用".into(), ..Default::default() },
            PlanRowForm::default(), // blank rows are dropped
            PlanRowForm { audience: "pilots".into(), content: String::new(), ..Default::default() },
        ],
    };
    let err = form.validate(&builtin_audiences(), String::new).err().unwrap();
    assert_eq!(names(&err), ["title", "end", "rows.2.audience", "rows.2.content"]);
    let message = err.fields()[2].message(Lang::ZhCn);
    assert_eq!(message, "第 3 条计划的培训对象“pilots”无效，请从列表中选择");
}

fn session_form() -> SessionForm {
    SessionForm {
        plan_id: "p".into(),
        title: "公文流转操作".into(),
        audience: "operator".into(),
        trainer_id: "t".into(),
        room: "302 会议室".into(),
        start: "2026-12-01T14:00:00+08:00".into(),
        end: "2026-12-01T16:00:00+08:00".into(),
        capacity: "2".into(),
        mode: "hands_on".into(),
        attendee_ids: vec!["a".into(), "b".into(), "a".into()],
        ..Default::default()
    }
}

#[test]
fn a_session_form_is_checked_whole() {
    let ok = session_form().validate(&builtin_audiences()).unwrap();
    assert_eq!(ok.attendee_ids, ["a", "b"], "a person listed twice is booked once");
    assert_eq!((ok.mode, ok.capacity), (Mode::HandsOn, Some(2)));
    assert_eq!(ok.end - ok.start, Duration::hours(2));

    let bad = SessionForm {
        trainer_id: String::new(),
        end: "2026-12-01T13:00:00+08:00".into(),
        capacity: "1".into(),
        mode: "lecture".into(),
        room: String::new(),
        ..session_form()
    };
    let err = bad.validate(&builtin_audiences()).err().unwrap();
    assert_eq!(names(&err), ["trainer_id", "room", "end", "mode", "attendee_ids"]);
    assert_eq!(err.fields()[4].message(Lang::ZhCn), "参训人员超过人数上限 1 人");
    assert_eq!(err.fields()[2].message(Lang::En), "End must be after the start");

    let one_to_one = SessionForm { mode: "one_to_one".into(), capacity: String::new(), ..session_form() };
    let err = one_to_one.validate(&builtin_audiences()).err().unwrap();
    assert_eq!(names(&err), ["attendee_ids"], "one-to-one means one attendee");
    let external =
        SessionForm {
            trainer_id: String::new(), trainer_name: "赵工（厂商讲师）".into(), ..session_form()
        };
    assert_eq!(external.validate(&builtin_audiences()).unwrap().trainer_id, None);
}

pub(crate) fn attendee(id: &str, status: AttendanceStatus) -> Attendee {
    Attendee {
        person_id: id.into(),
        name: id.to_uppercase(),
        department: String::new(),
        status,
        score: None,
        passed: None,
        rating: None,
        comment: String::new(),
    }
}

pub(crate) fn session(id: &str, audience: &str, start: DateTime<Utc>, attendees: Vec<Attendee>) -> Session {
    Session {
        id: id.into(),
        plan_id: "p".into(),
        row_id: None,
        title: id.into(),
        audience: audience.into(),
        content: String::new(),
        trainer_id: Some("t".into()),
        trainer_name: "张伟".into(),
        room: "302".into(),
        start,
        end: start + Duration::hours(2),
        capacity: None,
        mode: Mode::Classroom,
        attendees,
        materials: String::new(),
        needs_follow_up: false,
        follow_up_of: None,
        outcome: String::new(),
        created_at: start,
        updated_at: start,
    }
}

#[test]
fn attendance_is_recorded_checked_and_rated() {
    use AttendanceStatus::*;
    let mut s = session("s", "operator", at(11, 20, 9), vec![attendee("a", Invited), attendee("b", Invited)]);
    let row = |id: &str, status: &str, score: &str, result: &str, rating: &str| AttendanceRowForm {
        person_id: id.into(),
        status: status.into(),
        score: score.into(),
        result: result.into(),
        rating: rating.into(),
        comment: String::new(),
    };
    let form = AttendanceForm {
        attendees: vec![row("a", "present", "92", "pass", "5"), row("b", "late", "", "", "4")],
        outcome: "学员已能独立完成公文流转".into(),
        needs_follow_up: false,
    };
    form.apply(&mut s).unwrap();
    assert_eq!(
        (s.attendees[0].status, s.attendees[0].score, s.attendees[0].passed),
        (Present, Some(92), Some(true))
    );
    assert_eq!(s.attendees[1].status, Late);
    let p = progress(&builtin_audiences(), &[], std::slice::from_ref(&s), &[], at(11, 27, 10));
    assert_eq!(p.audiences[0].evaluation, Some(4.5), "the mean of the attendees' ratings");
    assert_eq!(s.outcome, "学员已能独立完成公文流转");

    let wrong = AttendanceForm {
        attendees: vec![row("a", "asleep", "101", "maybe", "0"), row("zz", "present", "", "", "")],
        ..Default::default()
    };
    let err = wrong.apply(&mut s).err().unwrap();
    assert_eq!(
        names(&err),
        [
            "attendees.0.status",
            "attendees.0.score",
            "attendees.0.rating",
            "attendees.0.result",
            "attendees.1.person_id"
        ]
    );
    assert_eq!(err.fields()[1].message(Lang::ZhCn), "第 1 条参训人员的成绩须为 0–100 之间的整数");
}

#[test]
fn progress_counts_held_sessions_attendance_and_who_is_still_missing() {
    use AttendanceStatus::*;
    let now = at(11, 27, 10);
    let sessions = [
        session(
            "s1",
            "operator",
            at(11, 20, 9),
            vec![attendee("a", Present), attendee("b", Late), attendee("c", Absent), attendee("d", Excused)],
        ),
        session("s2", "operator", at(11, 25, 9), vec![attendee("a", Present), attendee("b", Invited)]),
        session("s3", "operator", at(12, 3, 9), vec![attendee("e", Invited)]),
        session("s4", "leadership", at(11, 26, 9), vec![attendee("l1", Present)]),
    ];
    let leaders =
        [PersonRef { id: "l1".into(), name: "L1".into() }, PersonRef { id: "l2".into(), name: "L2".into() }];
    let rows = ["operator".to_owned(), "leadership".to_owned(), "data_admin".to_owned()];
    let p = progress(&builtin_audiences(), &rows, &sessions, &leaders, now);
    let order: Vec<&str> = p.audiences.iter().map(|a| a.audience.as_str()).collect();
    assert_eq!(order, ["data_admin", "operator", "leadership"], "in the plan's audience order");
    let operator = &p.audiences[1];
    // Held: s1 and s2. Recorded: 4 in s1 + 1 in s2 ("invited" is not a record). Attended: a, b, a.
    assert_eq!((operator.planned, operator.held, operator.recorded, operator.attended), (3, 2, 5, 3));
    assert_eq!(operator.attendance_rate, Some(0.6));
    let missing: Vec<&str> = operator.not_attended.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(missing, ["c", "d", "e"]);
    let leadership = &p.audiences[2];
    assert_eq!(leadership.attendance_rate, Some(1.0));
    assert_eq!(
        leadership.not_attended,
        [PersonRef { id: "l2".into(), name: "L2".into() }],
        "every leader is expected"
    );
    assert_eq!((p.audiences[0].planned, p.audiences[0].attendance_rate), (0, None));
    assert_eq!(operator.evaluation, None, "nobody rated");
    assert_eq!((p.planned, p.held), (4, 3));
    assert_eq!(p.attendance_rate, Some(4.0 / 6.0));
}
