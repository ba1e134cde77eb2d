use chrono::NaiveTime;

use super::*;

/// Local Shanghai time.
fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(2026, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn booking(
    id: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    trainer: &str,
    room: &str,
    attendees: &[&str],
) -> Booking {
    Booking {
        id: id.into(),
        title: format!("课程 {id}"),
        start,
        end,
        trainer: (trainer.into(), trainer.into()),
        room: room.into(),
        attendees: attendees.iter().map(|a| ((*a).to_owned(), (*a).to_owned())).collect(),
    }
}

#[test]
fn touching_sessions_do_not_clash_overlapping_ones_do() {
    let booked = [booking("a", at(12, 1, 14, 0), at(12, 1, 16, 0), "张伟", "302 会议室", &["王局长"])];
    let after = booking("b", at(12, 1, 16, 0), at(12, 1, 17, 0), "张伟", "302 会议室", &["王局长"]);
    assert!(clashes(&after, &booked).is_empty(), "16:00 start after a 16:00 end is fine");
    let overlapping =
        booking("c", at(12, 1, 15, 30), at(12, 1, 17, 0), "张伟", "302 会议室", &["王局长", "李娜"]);
    let found = clashes(&overlapping, &booked);
    let kinds: Vec<&ClashKind> = found.iter().map(|c| &c.kind).collect();
    assert_eq!(
        kinds,
        [
            &ClashKind::Trainer { name: "张伟".into() },
            &ClashKind::Room { room: "302 会议室".into() },
            &ClashKind::Attendee { name: "王局长".into() },
        ]
    );
    assert_eq!(found[0].message(Lang::ZhCn), "张伟 12-01 14:00–16:00 已在 302 会议室 授课（课程 a）");
    assert!(found[1].message(Lang::En).contains("302 会议室 is taken by “课程 a”"));
}

#[test]
fn a_rescheduled_session_does_not_clash_with_itself() {
    let booked = [booking("a", at(12, 1, 14, 0), at(12, 1, 16, 0), "张伟", "302", &[])];
    let moved = booking("a", at(12, 1, 15, 0), at(12, 1, 17, 0), "张伟", "302", &[]);
    assert!(clashes(&moved, &booked).is_empty());
}

#[test]
fn evenings_and_holidays_are_warnings() {
    let cal = WorkingCalendar::china_default();
    assert!(schedule_warnings(at(12, 1, 9, 0), at(12, 1, 11, 0), &cal).is_empty());
    assert_eq!(
        schedule_warnings(at(12, 1, 17, 0), at(12, 1, 18, 0), &cal),
        [ScheduleWarning::OutsideWorkingHours]
    );
    assert_eq!(
        schedule_warnings(at(10, 1, 9, 0), at(10, 1, 10, 0), &cal),
        [ScheduleWarning::RestDay],
        "National Day (no second warning about hours)"
    );
}

fn weekly(weekday: u8, start: (u32, u32), end: (u32, u32)) -> Availability {
    let t = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    Availability { weekday: Some(weekday), date: None, start: t(start), end: t(end) }
}

fn request<'a>(availability: &'a [Availability], busy: &'a [Busy], rooms: &'a [Room]) -> SlotRequest<'a> {
    SlotRequest {
        availability,
        busy,
        rooms,
        duration: Duration::hours(1),
        from: at(11, 30, 8, 0), // Monday
        weeks: 4,
        count: 3,
    }
}

fn starts(slots: &[SlotSuggestion]) -> Vec<DateTime<Utc>> {
    slots.iter().map(|s| s.start).collect()
}

#[test]
fn slots_fall_inside_the_leaders_windows_and_working_hours() {
    let cal = WorkingCalendar::china_default();
    // Tuesdays 11:00–14:30: working time is 11:00–12:00 and 13:30–14:30 (lunch is not).
    let windows = [weekly(2, (11, 0), (14, 30))];
    let rooms = [("302".to_owned(), vec![])];
    let slots = suggest_slots(&request(&windows, &[], &rooms), &cal);
    assert_eq!(starts(&slots), [at(12, 1, 11, 0), at(12, 1, 13, 30), at(12, 8, 11, 0)]);
    assert_eq!(slots[0].end, at(12, 1, 12, 0));
}

#[test]
fn a_busy_trainer_or_room_moves_the_slot() {
    let cal = WorkingCalendar::china_default();
    let windows = [weekly(2, (9, 0), (12, 0))];
    let busy = [(at(12, 1, 9, 0), at(12, 1, 10, 30))];
    let rooms = [
        ("302".to_owned(), vec![(at(12, 1, 10, 30), at(12, 1, 12, 0))]),
        ("小会议室".to_owned(), vec![(at(12, 1, 10, 0), at(12, 1, 11, 0))]),
    ];
    let slots = suggest_slots(&request(&windows, &busy, &rooms), &cal);
    assert_eq!(starts(&slots)[0], at(12, 1, 11, 0), "trainer free from 10:30, a room free from 11:00");
    assert_eq!(slots[0].room, "小会议室");
}

#[test]
fn holidays_are_skipped_and_no_availability_means_no_slot() {
    let cal = WorkingCalendar::china_default();
    // Thursdays 9–10 from 1 October 2026: the 1st is National Day, the 8th is worked.
    let windows = [weekly(4, (9, 0), (10, 0))];
    let rooms = [("302".to_owned(), vec![])];
    let mut req = request(&windows, &[], &rooms);
    req.from = at(10, 1, 0, 0);
    req.count = 1;
    assert_eq!(starts(&suggest_slots(&req, &cal)), [at(10, 8, 9, 0)]);
    assert!(suggest_slots(&request(&[], &[], &rooms), &cal).is_empty(), "a leader with no availability");
    assert!(suggest_slots(&request(&windows, &[], &[]), &cal).is_empty(), "no room at all");
}

#[test]
fn sign_in_sheets_cover_working_days_and_both_ends() {
    let cal = WorkingCalendar::china_default();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    // Friday 2026-11-13 to Tuesday 11-17: the weekend between gets no sheet.
    assert_eq!(sheet_dates(day(13), day(17), &cal), [day(13), day(16), day(17)]);
    // A Saturday course: its one day, although it is a day off.
    assert_eq!(sheet_dates(day(14), day(14), &cal), [day(14)]);
    // Saturday to Sunday: both ends.
    assert_eq!(sheet_dates(day(14), day(15), &cal), [day(14), day(15)]);
}

fn person(kind: &str, department: &str, left: &str) -> Person {
    let form = crate::people::PersonForm {
        kind: kind.into(),
        name: "张伟".into(),
        department: department.into(),
        organisation: if kind == "client" { "市政府".into() } else { String::new() },
        client_department: if kind == "client" { "办公室".into() } else { String::new() },
        left: left.into(),
        ..Default::default()
    };
    let details = form.validate().unwrap();
    Person { id: "p1".into(), details, created_at: DateTime::UNIX_EPOCH, updated_at: DateTime::UNIX_EPOCH }
}

#[test]
fn only_current_training_group_members_train() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert!(is_trainer(&person("team", "training", ""), today));
    assert!(!is_trainer(&person("team", "implementation", ""), today), "another department");
    assert!(!is_trainer(&person("team", "training", "2026-11-30"), today), "left today");
    assert!(is_trainer(&person("team", "training", "2026-12-01"), today), "leaves tomorrow");
    assert!(!is_trainer(&person("client", "", ""), today), "client side");
}

#[test]
fn only_current_client_people_are_invited() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let invited = invite(&person("client", "", ""), today).unwrap();
    assert_eq!((invited.person_id.as_str(), invited.name.as_str()), ("p1", "张伟"));
    assert_eq!((invited.department.as_str(), invited.status), ("办公室", plan::AttendanceStatus::Invited));
    assert_eq!(invite(&person("client", "", "2026-11-01"), today), None, "has left");
    assert_eq!(invite(&person("team", "training", ""), today), None, "team members train, not attend");
}

#[test]
fn the_slot_finder_keeps_within_its_limits() {
    assert_eq!(slot_window(0, 0), (DEFAULT_WEEKS, DEFAULT_SLOTS));
    assert_eq!(slot_window(2, 3), (2, 3));
    assert_eq!(slot_window(500, 500), (MAX_WEEKS, MAX_SLOTS));
    assert!(SLOT_MINUTES.contains(&15) && SLOT_MINUTES.contains(&480));
    assert!(!SLOT_MINUTES.contains(&14) && !SLOT_MINUTES.contains(&481));
    assert_eq!(one_to_one_title("王局长", Lang::ZhCn), "领导一对一：王局长");
    assert_eq!(one_to_one_title("Director Wang", Lang::En), "One-to-one: Director Wang");
}

#[test]
fn sessions_are_keyed_by_trainer_and_rows_belong_to_their_plan() {
    let start = at(11, 30, 9, 0);
    let mut session = plan::tests::session("s1", "department", start, vec![]);
    assert_eq!(trainer_key(&session), "t");
    session.trainer_id = None;
    assert_eq!(trainer_key(&session), "ext:张伟");
    let b = super::booking(&session);
    assert_eq!(
        (b.trainer.0.as_str(), b.room.as_str(), b.end - b.start),
        ("ext:张伟", "302", Duration::hours(2))
    );
    let row = plan::PlanRow {
        id: "r1".into(),
        period: "2026 年 12 月".into(),
        audience: "department".into(),
        content: String::new(),
        trainer: "张伟".into(),
    };
    let plan = plan::Plan {
        id: "p".into(),
        number: "TP-2026-01".into(),
        title: "年度培训计划".into(),
        start: start.date_naive(),
        end: start.date_naive(),
        notes: String::new(),
        rows: vec![row],
        created_at: start,
        updated_at: start,
    };
    assert!(row_in_plan(&plan, &plan.rows[0].id));
    assert!(!row_in_plan(&plan, "a row of another plan"));
}

#[test]
fn a_new_session_is_proposed_in_the_next_free_block_never_in_the_past() {
    let cal = WorkingCalendar::china_default();
    // Thursday 3 December 2026, 17:30: today's blocks are over; Friday 09:00 is next.
    let now = at(12, 3, 17, 30);
    assert_eq!(default_slot(now, None, &cal, &[]), Some((at(12, 4, 9, 0), at(12, 4, 11, 0))));
    // Friday morning taken: the afternoon; a day asked for in the past starts from today.
    let booked = [(at(12, 4, 8, 30), at(12, 4, 10, 0))];
    assert_eq!(
        default_slot(now, Some(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()), &cal, &booked),
        Some((at(12, 4, 14, 0), at(12, 4, 16, 0)))
    );
    // A Saturday asked for: the next working day, Monday.
    let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    assert_eq!(default_slot(now, Some(saturday), &cal, &[]), Some((at(12, 7, 9, 0), at(12, 7, 11, 0))));
    // At 10:00 the morning block has begun: the afternoon.
    assert_eq!(default_slot(at(12, 3, 10, 0), None, &cal, &[]), Some((at(12, 3, 14, 0), at(12, 3, 16, 0))));
}
