use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::*;
use crate::incident::Channel;
use crate::timeline::Status;
use crate::training::plan::builtin_audiences;
use crate::training::plan::tests::{attendee, session};
use crate::training::plan::AttendanceStatus::{Absent, Late, Present};

fn event(data: EventData) -> IncidentEvent {
    let at = Utc.with_ymd_and_hms(2026, 10, 3, 1, 0, 0).unwrap();
    IncidentEvent { id: "e".into(), data, actor: None, occurred_at: at, recorded_at: at, contradicted: false }
}

fn overdue(number: &str, level: Level) -> IncidentSummary {
    IncidentSummary {
        id: number.into(),
        number: number.into(),
        title: "OA 登录失败".into(),
        level,
        channel: Channel::Hotline,
        reported_at: Utc.with_ymd_and_hms(2026, 10, 3, 1, 0, 0).unwrap(),
        reporter: "王芳".into(),
        status: Status::InProgress,
        assignee: None,
        next_milestone: None,
    }
}

fn alert(days_left: i64) -> CertificateAlert {
    CertificateAlert {
        person_id: "p".into(),
        person: "李娜".into(),
        certificate: "PMP".into(),
        expires: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        days_left,
    }
}

#[test]
fn the_outcome_is_the_latest_resolution_summary() {
    assert_eq!(outcome(&[event(EventData::Reported)]), "");
    let events = [
        event(EventData::Resolved { summary: "重启服务".into() }),
        event(EventData::Reported),
        event(EventData::Resolved { summary: "更换硬盘".into() }),
        event(EventData::Closed),
    ];
    assert_eq!(outcome(&events), "更换硬盘");
}

#[test]
fn major_levels_are_one_and_two() {
    assert_eq!(MAJOR_LEVELS, [Level::I, Level::II]);
}

fn tally(level: Level, touching: u32) -> LevelTally {
    LevelTally { level, touching, reported: touching, resolved: 0, unresolved: touching }
}

#[test]
fn the_major_incidents_not_named_are_counted_and_pointed_to() {
    let month = [tally(Level::I, 12), tally(Level::II, 30)];
    assert_eq!(
        unnamed_major(&month, 15, MajorList::Named, Lang::ZhCn).unwrap(),
        "另有 27 件未列出；需要完整清单时，导出月报时选择“附完整故障清单”。"
    );
    assert_eq!(
        unnamed_major(&month, 15, MajorList::Full, Lang::ZhCn).unwrap(),
        "另有 27 件，完整清单见附录。"
    );
    assert_eq!(
        unnamed_major(&month, 15, MajorList::Full, Lang::En).unwrap(),
        "27 more; the appendix lists them all."
    );
    // All named, or none at all: nothing to say.
    assert_eq!(unnamed_major(&month, 42, MajorList::Full, Lang::ZhCn), None);
    assert_eq!(unnamed_major(&[], 0, MajorList::Named, Lang::En), None);
}

#[test]
fn training_lists_only_sessions_held_with_who_came() {
    let start = Utc.with_ymd_and_hms(2026, 10, 12, 1, 0, 0).unwrap();
    let held = session(
        "部门培训",
        "department",
        start,
        vec![attendee("a", Present), attendee("b", Late), attendee("c", Absent)],
    );
    let later = session("未举行", "department", start + Duration::days(3), vec![]);
    let now = start + Duration::days(1);
    let rows = training_rows(&[held, later], &builtin_audiences(), Lang::ZhCn, now);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "2026-10-12");
    assert_eq!(rows[0][1], "部门培训");
    assert_eq!(rows[0][4], "2 / 3");
}

#[test]
fn risks_name_the_overdue_count_the_rest_then_certificates() {
    let named = [overdue("INC-2026-0007", Level::I)];
    let zh = monthly_risks(&named, 3, &[alert(20), alert(-2)], Lang::ZhCn);
    assert_eq!(
        zh,
        [
            "INC-2026-0007 OA 登录失败（I 级，时限已超，处理中）",
            "另有 2 件超时故障",
            "李娜 的证书“PMP”将于 2026-12-01 到期",
            "李娜 的证书“PMP”已于 2026-12-01 过期",
        ]
    );
    let en = monthly_risks(&named, 1, &[], Lang::En);
    assert_eq!(en, ["INC-2026-0007 OA 登录失败 (level I, overdue, In progress)"]);
    assert!(monthly_risks(&[], 0, &[], Lang::En).is_empty());
}
