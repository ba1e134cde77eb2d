use chrono::{NaiveTime, TimeZone};

use super::*;
use crate::i18n::SERVICE_TZ;
use crate::people::{CertificateForm, SkillForm};
use crate::roster::ShiftForm;
use crate::store::testing::{in_memory_db, now};

fn today() -> NaiveDate {
    now().with_timezone(&SERVICE_TZ).date_naive()
}

fn member(name: &str, department: &str, phone: &str) -> PersonForm {
    PersonForm {
        kind: "team".into(),
        name: name.into(),
        department: department.into(),
        phone: phone.into(),
        ..Default::default()
    }
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

#[test]
fn people_are_stored_listed_and_found_by_pinyin_phone_and_skill() {
    let mut store = in_memory_db();
    let zhang = PersonForm {
        skills: vec![SkillForm { name: "Oracle".into(), years: "8".into() }],
        resident: true,
        ..member("张伟", "implementation", "13812345678")
    };
    let zhang = store.create_person(&zhang, now()).unwrap();
    store.create_person(&member("李娜", "customer_service", "13900001111"), now()).unwrap();
    let leader = PersonForm {
        kind: "client".into(),
        name: "王局长".into(),
        organisation: "市财政局".into(),
        leader: true,
        ..Default::default()
    };
    store.create_person(&leader, now()).unwrap();

    assert_eq!(store.get_person(&zhang.id).unwrap(), zhang);
    let names = |q: PeopleQuery| {
        store.list_people(&q, today()).unwrap().into_iter().map(|p| p.name).collect::<Vec<_>>()
    };
    assert_eq!(names(PeopleQuery::default()), ["张伟", "李娜", "王局长"], "team by department, then clients");
    assert_eq!(names(PeopleQuery { search: "zhangwei".into(), ..Default::default() }), ["张伟"]);
    assert_eq!(names(PeopleQuery { search: "ln".into(), ..Default::default() }), ["李娜"]);
    assert_eq!(names(PeopleQuery { search: "oracle".into(), ..Default::default() }), ["张伟"]);
    assert_eq!(names(PeopleQuery { search: "0000".into(), ..Default::default() }), ["李娜"]);
    assert_eq!(names(PeopleQuery { search: "财政".into(), ..Default::default() }), ["王局长"]);
    assert_eq!(
        names(PeopleQuery { kind: "client".into(), leaders_only: true, ..Default::default() }),
        ["王局长"]
    );
    assert_eq!(names(PeopleQuery { resident_only: true, ..Default::default() }), ["张伟"]);
    assert_eq!(names(PeopleQuery { department: "customer_service".into(), ..Default::default() }), ["李娜"]);
}

#[test]
fn a_duplicate_name_and_phone_needs_a_confirmation() {
    let mut store = in_memory_db();
    store.create_person(&member("张伟", "implementation", "13812345678"), now()).unwrap();
    let again = member("张伟", "training", "13812345678");
    let err = store.create_person(&again, now()).unwrap_err();
    assert_eq!((err.fields()[0].field.as_ref(), err.fields()[0].code()), ("name", "duplicate_person"));
    store.create_person(&PersonForm { confirm_duplicate: true, ..again }, now()).unwrap();
    store.create_person(&member("张伟", "training", "13800000000"), now()).unwrap();
    assert_eq!(store.list_people(&PeopleQuery::default(), today()).unwrap().len(), 3);
}

#[test]
fn people_who_left_are_hidden_unless_asked_for() {
    let mut store = in_memory_db();
    let gone = PersonForm {
        joined: "2024-01-01".into(),
        left: "2026-06-30".into(),
        ..member("赵敏", "quality", "")
    };
    let gone = store.create_person(&gone, now()).unwrap();
    assert!(store.list_people(&PeopleQuery::default(), today()).unwrap().is_empty());
    let all = store.list_people(&PeopleQuery { include_left: true, ..Default::default() }, today()).unwrap();
    assert_eq!(all[0].id, gone.id);
}

#[test]
fn the_team_structure_counts_against_the_plan() {
    let mut store = in_memory_db();
    store.create_person(&member("张伟", "project_manager", ""), now()).unwrap();
    for (i, name) in ["甲", "乙", "丙", "丁", "戊"].iter().enumerate() {
        let form = PersonForm { resident: i < 3, ..member(name, "implementation", "") };
        store.create_person(&form, now()).unwrap();
    }
    store.create_person(&member("客服一", "customer_service", ""), now()).unwrap();
    let structure = store.team_structure(today()).unwrap();
    let below: Vec<(Department, usize, bool)> =
        structure.departments.iter().map(|d| (d.department, d.people.len(), d.below)).collect();
    assert_eq!(
        below,
        [
            (Department::ProjectManager, 1, false),
            (Department::Implementation, 5, false),
            (Department::CustomerService, 1, true),
            (Department::Quality, 0, true),
            (Department::Training, 0, true),
        ]
    );
    assert_eq!((structure.resident, structure.resident_min), (3, 5));
}

#[test]
fn expiring_certificates_are_listed_soonest_first() {
    let mut store = in_memory_db();
    let cert = |name: &str, expires: &str| CertificateForm {
        name: name.into(),
        expires: expires.into(),
        ..Default::default()
    };
    let form = PersonForm {
        certificates: vec![cert("PMP", "2027-01-10"), cert("CCNA", "2026-11-01"), cert("RHCE", "2028-01-01")],
        ..member("张伟", "implementation", "")
    };
    store.create_person(&form, now()).unwrap();
    let alerts = store.certificate_alerts(today()).unwrap();
    let got: Vec<(&str, i64)> = alerts.iter().map(|a| (a.certificate.as_str(), a.days_left)).collect();
    assert_eq!(got, [("CCNA", -26), ("PMP", 44)]);
}

#[test]
fn a_rotation_with_an_override_builds_the_rota_and_its_coverage() {
    let mut store = in_memory_db();
    let a = store.create_person(&member("张伟", "implementation", ""), now()).unwrap();
    let b = store.create_person(&member("李娜", "customer_service", ""), now()).unwrap();
    let shift =
        |on: &str, start: &str, end: &str| ShiftForm { on: on.into(), start: start.into(), end: end.into() };
    let form = RotationForm {
        name: "热线值班".into(),
        members: vec![a.id.clone(), b.id.clone()],
        shifts: vec![shift("workday", "17:30", "08:30"), shift("rest_day", "08:30", "20:30")],
        handover: "08:30".into(),
        start_date: "2026-11-30".into(),
    };
    let rotation = store.save_rotation(None, &form, now()).unwrap();
    assert_eq!(rotation.handover, NaiveTime::from_hms_opt(8, 30, 0).unwrap());
    let bad = RotationForm { members: vec!["nobody".into()], ..form.clone() };
    assert_eq!(store.save_rotation(None, &bad, now()).unwrap_err().fields()[0].field, "members.0.person");

    let swap = OverrideForm {
        person_id: b.id.clone(),
        start: local(2026, 11, 30, 22, 0).to_rfc3339(),
        end: local(2026, 12, 1, 2, 0).to_rfc3339(),
        note: "换班".into(),
    };
    store.add_override(&swap, now()).unwrap();
    let backwards = OverrideForm { end: swap.start.clone(), start: swap.end.clone(), ..swap.clone() };
    assert_eq!(store.add_override(&backwards, now()).unwrap_err().fields()[0].code(), "out_of_order");

    // Monday 30 November 08:30 to Sunday 6 December 08:30: the rest-day nights are not covered.
    let rota = store.rota(local(2026, 11, 30, 8, 30), local(2026, 12, 6, 8, 30)).unwrap();
    assert_eq!(rota.names[&a.id], "张伟");
    let first: Vec<&str> = rota.duties.iter().take(3).map(|d| rota.names[&d.person_id].as_str()).collect();
    assert_eq!(first, ["张伟", "李娜", "张伟"], "the override splits Monday night");
    let gaps: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        rota.coverage.gaps.iter().map(|g| (g.start, g.end)).collect();
    assert_eq!(gaps, [(local(2026, 12, 5, 20, 30), local(2026, 12, 6, 8, 30))], "Saturday night");
    assert!(rota.coverage.double_bookings.is_empty());

    let on = store.on_duty(local(2026, 12, 1, 23, 0)).unwrap();
    assert_eq!((on.people, on.next_handover), (vec!["李娜".to_owned()], Some(local(2026, 12, 2, 8, 30))));
    let ics =
        store.rota_ics(local(2026, 11, 30, 0, 0), local(2026, 12, 7, 0, 0), Some(&a.id), now()).unwrap();
    assert!(ics.contains("X-WR-CALNAME:值班表 · 张伟") && !ics.contains("李娜"), "{ics}");
}
