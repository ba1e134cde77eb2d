use chrono::{NaiveTime, TimeZone};

use super::*;
use crate::i18n::SERVICE_TZ;
use crate::people::{CertificateForm, SkillForm};
use crate::people::{Department, Person, PersonForm};
use crate::roster::{OverrideForm, RotationForm, ShiftForm};
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
        store.list_people(&q, today()).unwrap().into_iter().map(|p| p.details.name).collect::<Vec<_>>()
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
    let structure = team_structure(&store, today()).unwrap();
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
    let alerts = certificate_alerts(&store, today()).unwrap();
    let got: Vec<(&str, i64)> = alerts.iter().map(|a| (a.certificate.as_str(), a.days_left)).collect();
    assert_eq!(got, [("CCNA", -26), ("PMP", 44)]);
}

/// 张伟 and 李娜, and the form of a rotation between them: weekday nights and rest-day days
/// and nights from `start_date`, handing over at 08:30.
fn hotline_rotation(store: &mut Store, start_date: &str) -> (Person, Person, RotationForm) {
    let a = store.create_person(&member("张伟", "implementation", ""), now()).unwrap();
    let b = store.create_person(&member("李娜", "customer_service", ""), now()).unwrap();
    let shift =
        |on: &str, start: &str, end: &str| ShiftForm { on: on.into(), start: start.into(), end: end.into() };
    let form = RotationForm {
        name: "热线值班".into(),
        members: vec![a.id.clone(), b.id.clone()],
        shifts: vec![shift("workday", "17:30", "08:30"), shift("rest_day", "08:30", "20:30")],
        handover: "08:30".into(),
        start_date: start_date.into(),
        desk: false,
    };
    (a, b, form)
}

#[test]
fn a_rotation_with_an_override_builds_the_rota_and_its_coverage() {
    let mut store = in_memory_db();
    let (a, b, form) = hotline_rotation(&mut store, "2026-11-30");
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
    assert_eq!(store.add_override(&backwards, now()).unwrap_err().fields()[0].code(), "not_after_start");

    // Monday 30 November 08:30 to Sunday 6 December 08:30: the rest-day nights are not covered.
    let rota = rota(&store, local(2026, 11, 30, 8, 30), local(2026, 12, 6, 8, 30)).unwrap();
    assert_eq!(rota.names[&a.id], "张伟");
    let first: Vec<&str> = rota.duties.iter().take(3).map(|d| rota.names[&d.person_id].as_str()).collect();
    assert_eq!(first, ["张伟", "李娜", "张伟"], "the override splits Monday night");
    let gaps: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        rota.coverage.gaps.iter().map(|g| (g.start, g.end)).collect();
    assert_eq!(gaps, [(local(2026, 12, 5, 20, 30), local(2026, 12, 6, 8, 30))], "Saturday night");
    assert!(rota.coverage.double_bookings.is_empty());

    let on = on_duty(&store, local(2026, 12, 1, 23, 0)).unwrap();
    assert_eq!((on.people, on.next_handover), (vec!["李娜".to_owned()], Some(local(2026, 12, 2, 8, 30))));
    assert!(!on.office_hours);
    // Tuesday 10:00: nobody on the rota, but it is working time and the desk answers.
    let on = on_duty(&store, local(2026, 12, 1, 10, 0)).unwrap();
    assert!(on.people.is_empty() && on.office_hours, "{on:?}");
    assert_eq!(on.desk, ["李娜"], "the service desk's members");
    // Saturday 23:00: a real gap, out of working time.
    let on = on_duty(&store, local(2026, 12, 5, 23, 0)).unwrap();
    assert!(on.people.is_empty() && !on.office_hours);
    let (from, to) = (local(2026, 11, 30, 0, 0), local(2026, 12, 7, 0, 0));
    let ics = rota_ics(&store, from, to, Some(&a.id), Lang::ZhCn, now()).unwrap();
    assert!(ics.contains("X-WR-CALNAME:值班表 · 张伟") && !ics.contains("李娜"), "{ics}");
    let ics = rota_ics(&store, from, to, None, Lang::En, now()).unwrap();
    assert!(ics.contains("X-WR-CALNAME:Duty rota") && ics.contains("李娜"), "{ics}");
}

// ---- import and export ----

use crate::people::import::{auto_map, read_sheet, Column, Sheet};
use crate::Lang;

fn csv_sheet(text: &str) -> Sheet {
    read_sheet(text.as_bytes(), "people.csv").unwrap()
}

#[test]
fn the_roster_exports_to_xlsx_and_imports_back_unchanged() {
    let mut store = in_memory_db();
    let zhang = PersonForm {
        job_title: "实施工程师".into(),
        email: "zw@example.cn".into(),
        skills: vec![
            SkillForm { name: "Linux".into(), years: "5".into() },
            SkillForm { name: "Oracle".into(), years: "3".into() },
        ],
        certificates: vec![CertificateForm {
            name: "PMP".into(),
            expires: "2027-05-01".into(),
            ..Default::default()
        }],
        resident: true,
        joined: "2024-03-01".into(),
        ..member("张伟", "implementation", "13812345678")
    };
    store.create_person(&zhang, now()).unwrap();
    store.create_person(&member("李娜", "customer_service", "13900001111"), now()).unwrap();
    let xlsx = export_people_xlsx(&store, &PeopleQuery::default(), today(), Lang::ZhCn).unwrap();

    let sheet = read_sheet(&xlsx, "roster.xlsx").unwrap();
    assert_eq!(sheet.headers[0], "姓名");
    let mapping = auto_map(&sheet.headers);
    assert!(mapping.iter().all(Option::is_some), "every exported header is recognised: {mapping:?}");
    let mut other = in_memory_db();
    assert_eq!(
        import_people(&mut other, &sheet, &mapping, PersonKind::Team, Lang::ZhCn, now(), |_, _| {}).unwrap(),
        2
    );
    let back = &other.list_people(&PeopleQuery::default(), today()).unwrap()[0];
    let original = &store.list_people(&PeopleQuery::default(), today()).unwrap()[0];
    let strip = |p: &Person| Person { id: String::new(), created_at: now(), updated_at: now(), ..p.clone() };
    assert_eq!(strip(back), strip(original), "every detail survives the round trip");
}

#[test]
fn a_malformed_file_is_refused_row_by_row_and_nothing_is_imported() {
    let mut store = in_memory_db();
    store.create_person(&member("王芳", "quality", "13700000000"), now()).unwrap();
    let sheet = csv_sheet(
        "姓名,部门,电话,技能,入职日期\n\
         张伟,项目实施部,13812345678,Linux:5,2024-03-01\n\
         ,客服服务部,13900001111,,\n\
         李娜,市场部,12345,Java:很多,昨天\n\
         张伟,项目实施部,13812345678,,\n\
         王芳,质量管理部,13700000000,,\n",
    );
    let preview = preview_people_import(&store, &sheet, None, PersonKind::Team, Lang::ZhCn).unwrap();
    assert_eq!((preview.rows, preview.valid), (5, 1));
    let got: Vec<(usize, &str)> = preview.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "name"),
            (4, "department"),
            (4, "phone"),
            (4, "joined"),
            (4, "skills.0.years"),
            (5, "name"),
            (6, "name"),
        ]
    );
    assert_eq!(preview.errors[5].message, "与第 2 行重复（姓名和电话相同）");
    assert_eq!(preview.errors[6].message, "已有同名且电话相同的人员");
    let err =
        import_people(&mut store, &sheet, &preview.mapping, PersonKind::Team, Lang::ZhCn, now(), |_, _| {})
            .unwrap_err();
    assert_eq!(err.code(), "import_rows");
    assert_eq!(
        store.list_people(&PeopleQuery::default(), today()).unwrap().len(),
        1,
        "nothing half-imported"
    );
}

#[test]
fn ten_thousand_rows_import_in_one_go_or_not_at_all() {
    let mut store = in_memory_db();
    let mut rows: Vec<Vec<String>> =
        (0..10_000).map(|i| vec![format!("员工{i:05}"), "项目实施部".into(), format!("138{i:08}")]).collect();
    let headers = vec!["姓名".to_owned(), "部门".into(), "手机".into()];
    let mapping = auto_map(&headers);
    assert_eq!(mapping, [Some(Column::Name), Some(Column::Department), Some(Column::Phone)]);
    let mut bad = Sheet { headers: headers.clone(), rows: rows.clone() };
    bad.rows.push(vec!["末行".into(), "项目实施部".into(), "phone?".into()]);
    assert!(import_people(&mut store, &bad, &mapping, PersonKind::Team, Lang::En, now(), |_, _| {}).is_err());
    assert!(store.list_people(&PeopleQuery::default(), today()).unwrap().is_empty());

    let mut calls = Vec::new();
    let sheet = Sheet { headers, rows: std::mem::take(&mut rows) };
    let n = import_people(&mut store, &sheet, &mapping, PersonKind::Team, Lang::En, now(), |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert_eq!(n, 10_000);
    assert_eq!(calls.first(), Some(&(500, 10_000)));
    assert_eq!(calls.last(), Some(&(10_000, 10_000)));
    assert_eq!(
        store
            .list_people(&PeopleQuery { search: "员工09999".into(), ..Default::default() }, today())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn csv_in_gbk_and_spreadsheets_that_are_not_are_handled() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("姓名,单位,领导\n王局长,市财政局,是\n");
    let sheet = read_sheet(&gbk, "clients.csv").unwrap();
    assert_eq!(sheet.rows[0], ["王局长", "市财政局", "是"]);
    let mut store = in_memory_db();
    let mapping = auto_map(&sheet.headers);
    import_people(&mut store, &sheet, &mapping, PersonKind::Client, Lang::ZhCn, now(), |_, _| {}).unwrap();
    let leaders =
        store.list_people(&PeopleQuery { leaders_only: true, ..Default::default() }, today()).unwrap();
    assert_eq!(leaders[0].details.organisation, "市财政局");

    assert_eq!(read_sheet(b"hello", "people.xlsx").unwrap_err().code(), "import_format");
    assert_eq!(read_sheet(b"\n\n", "people.csv").unwrap_err().code(), "import_format");
    let no_name = csv_sheet("电话\n13812345678\n");
    assert_eq!(
        preview_people_import(&store, &no_name, None, PersonKind::Team, Lang::ZhCn).unwrap_err().code(),
        "import_format"
    );
}

#[test]
fn coverage_is_checked_from_the_rotations_start_not_before() {
    let mut store = in_memory_db();
    let (_, _, form) = hotline_rotation(&mut store, "2026-12-02");
    store.save_rotation(None, &form, now()).unwrap();
    // The month from 1 December: nothing owed before Wednesday 2 December 08:30.
    let rota = rota(&store, local(2026, 12, 1, 0, 0), local(2027, 1, 1, 0, 0)).unwrap();
    let first = rota.coverage.gaps.first().map(|g| g.start);
    assert!(first.is_none_or(|s| s >= local(2026, 12, 2, 8, 30)), "first gap {first:?}");
    assert!(!rota.coverage.gaps.is_empty(), "the rest-day nights of the month are still gaps");
}

#[test]
fn the_month_rota_prints_on_a4_landscape_with_names_and_gaps() {
    let mut store = in_memory_db();
    let (_, _, form) = hotline_rotation(&mut store, "2026-12-01");
    store.save_rotation(None, &form, now()).unwrap();
    let pdf = crate::app::documents::rota_month_pdf(
        &store,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        Lang::ZhCn,
        now(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rota.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Some(keep) = std::env::var_os("YUNWEI_REPORT_DIR") {
        std::fs::write(std::path::Path::new(&keep).join("rota-2026-12.pdf"), &pdf).unwrap();
    }
    let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("841.89 x 595.276 pts") || info.contains("842 x 595"), "landscape A4: {info}");
    let text = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    for expected in ["值班表2026年12月", "周一", "17:30张伟", "08:30李娜", "覆盖检查", "无人值班"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn incidents_are_assigned_to_people_of_the_roster() {
    use crate::timeline::{EventData, NewEvent};
    let mut store = in_memory_db();
    let zhang = store.create_person(&member("张伟", "implementation", ""), now()).unwrap();
    let incident = store
        .create_incident(
            &crate::store::testing::new_incident("打印机脱机", "2026-11-27T09:00:00+08:00"),
            now(),
        )
        .unwrap();
    let assign = |person_id: &str| NewEvent {
        kind: "assigned".into(),
        person: "张伟".into(),
        person_id: person_id.into(),
        ..Default::default()
    };
    let record = crate::app::incidents::record_event;
    let err = record(&mut store, &incident.summary.id, &assign("no-such-person"), now()).unwrap_err();
    assert_eq!(err.fields()[0].field, "person");
    assert_eq!(err.fields()[0].message(Lang::ZhCn), "负责人“no-such-person”无效，请从列表中选择");
    let updated = record(&mut store, &incident.summary.id, &assign(&zhang.id), now()).unwrap();
    assert_eq!(updated.summary.assignee.as_deref(), Some("张伟"));
    let last = &updated.events.last().unwrap().data;
    assert_eq!(last, &EventData::Assigned { person: "张伟".into(), person_id: Some(zhang.id.clone()) });
}
