use super::*;

fn team_member() -> PersonForm {
    PersonForm {
        kind: "team".into(),
        name: " 张伟 ".into(),
        department: "implementation".into(),
        job_title: "实施工程师".into(),
        phone: "138 1234 5678".into(),
        email: "zhangwei@example.cn".into(),
        skills: vec![SkillForm { name: "Linux".into(), years: "5".into() }],
        certificates: vec![CertificateForm {
            name: "信息系统项目管理师".into(),
            number: "PM-2021-0042".into(),
            issued: "2021-05-20".into(),
            expires: "2027-01-15".into(),
        }],
        resident: true,
        resident_site: "客户机房 3 楼".into(),
        joined: "2024-03-01".into(),
        ..Default::default()
    }
}

fn refused(form: &PersonForm) -> Vec<(String, &'static str)> {
    match form.validate() {
        Err(Error::Validation(fields)) => fields.iter().map(|f| (f.field.to_string(), f.code())).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_complete_team_member_is_accepted_and_trimmed() {
    let person = team_member().validate().unwrap();
    assert_eq!(person.name, "张伟");
    assert_eq!(person.department, Some(Department::Implementation));
    assert_eq!(person.skills, vec![Skill { name: "Linux".into(), years: 5 }]);
    assert_eq!(person.certificates[0].expires, NaiveDate::from_ymd_opt(2027, 1, 15));
    assert!(person.resident);
}

#[test]
fn phone_numbers_mobile_and_landline() {
    for ok in [
        "13812345678",
        "+86 138 1234 5678",
        "010-12345678",
        "0571-8765432",
        "0571-87654321-123",
        "010-12345678转8",
        "87654321",
    ] {
        assert!(valid_phone(ok), "{ok} is a phone number");
    }
    for bad in [
        "12345",
        "1381234567",
        "23812345678",
        "010-123",
        "phone",
        "138-1234-567x",
        "010-12345678转",
        "12812345678",
    ] {
        assert!(!valid_phone(bad), "{bad} is not a phone number");
    }
}

#[test]
fn email_addresses() {
    for ok in ["a@b.cn", "zhang.wei+oa@example.com.cn"] {
        assert!(valid_email(ok), "{ok}");
    }
    for bad in ["a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@b.c", "a@.cn", "a@b..cn", "a@b.c1"] {
        assert!(!valid_email(bad), "{bad}");
    }
}

#[test]
fn every_refusal_is_reported_at_once_with_row_names() {
    let form = PersonForm {
        name: "".into(),
        department: "sales".into(),
        phone: "12345".into(),
        email: "not-an-email".into(),
        joined: "2025-06-01".into(),
        left: "2025-01-01".into(),
        skills: vec![SkillForm { name: "Java".into(), years: "many".into() }],
        certificates: vec![
            CertificateForm::default(),
            CertificateForm {
                name: "".into(),
                issued: "2026-02-01".into(),
                expires: "2025-02-01".into(),
                ..Default::default()
            },
        ],
        ..team_member()
    };
    assert_eq!(
        refused(&form),
        [
            ("name".to_owned(), "required"),
            ("department".into(), "unknown_value"),
            ("phone".into(), "invalid_phone"),
            ("email".into(), "invalid_email"),
            ("left".into(), "out_of_order"),
            ("skills.0.years".into(), "not_a_number"),
            ("certificates.1.name".into(), "required"),
            ("certificates.1.expires".into(), "out_of_order"),
        ]
    );
    let e = form.validate().unwrap_err();
    let expires = e.fields().iter().find(|f| f.field == "certificates.1.expires").unwrap();
    assert_eq!(expires.message(Lang::ZhCn), "第 2 条证书的到期日期不能早于开始");
    let department = e.fields().iter().find(|f| f.field == "department").unwrap();
    assert_eq!(department.message(Lang::En), "Department “sales” is not valid; choose one from the list");
}

#[test]
fn a_client_leader_needs_an_organisation_and_well_formed_availability() {
    let form = PersonForm {
        kind: "client".into(),
        name: "王局长".into(),
        leader: true,
        availability: vec![
            AvailabilityForm {
                weekday: "2".into(),
                start: "14:00".into(),
                end: "16:00".into(),
                ..Default::default()
            },
            AvailabilityForm {
                weekday: "9".into(),
                start: "16:00".into(),
                end: "15:00".into(),
                ..Default::default()
            },
            AvailabilityForm {
                date: "2026-12-03".into(),
                start: "9:00".into(),
                end: "10:30".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    assert_eq!(
        refused(&form),
        [
            ("availability.1.weekday".to_owned(), "unknown_value"),
            ("availability.1.end".into(), "not_after_start"),
            ("organisation".into(), "required"),
        ]
    );
    let ok = PersonForm {
        organisation: "市财政局".into(),
        availability: vec![form.availability[0].clone(), form.availability[2].clone()],
        ..form
    };
    let leader = ok.validate().unwrap();
    assert!(leader.leader && leader.department.is_none());
    assert_eq!(leader.availability[0].weekday, Some(2));
    assert_eq!(leader.availability[1].date, NaiveDate::from_ymd_opt(2026, 12, 3));
}

#[test]
fn departments_parse_from_codes_and_names() {
    assert_eq!(Department::parse("客服服务部"), Some(Department::CustomerService));
    assert_eq!(Department::parse("Quality management"), Some(Department::Quality));
    assert_eq!(Department::parse("training"), Some(Department::Training));
    assert_eq!(Department::parse("市场部"), None);
    let targets: Vec<(u32, u32)> = Department::ALL.iter().map(|d| d.target()).collect();
    assert_eq!(targets, [(1, 1), (5, 7), (4, 6), (2, 4), (2, 4)]);
}

#[test]
fn certificates_within_90_days_or_expired_are_flagged() {
    let mut person = team_member().validate().unwrap();
    person.certificates.push(Certificate {
        name: "CCNA".into(),
        number: String::new(),
        issued: None,
        expires: NaiveDate::from_ymd_opt(2026, 3, 1),
    });
    let stored = Person {
        id: "p".into(),
        details: person,
        created_at: DateTime::UNIX_EPOCH,
        updated_at: DateTime::UNIX_EPOCH,
    };
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let names =
        |today| stored.expiring_certificates(today).iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(day(2025, 10, 1)), Vec::<String>::new());
    assert_eq!(names(day(2025, 12, 1)), ["CCNA"], "3 months before March 1st");
    assert_eq!(
        names(day(2026, 11, 28)),
        ["信息系统项目管理师", "CCNA"],
        "one expires in 48 days, one has expired"
    );
    assert_eq!(names(day(2026, 10, 16)), ["CCNA"], "91 days before 2027-01-15 is not yet flagged");
    assert_eq!(names(day(2026, 10, 17)).len(), 2, "90 days before is flagged");
}

fn stored_person(id: &str, form: PersonForm) -> Person {
    Person {
        id: id.into(),
        details: form.validate().unwrap(),
        created_at: DateTime::UNIX_EPOCH,
        updated_at: DateTime::UNIX_EPOCH,
    }
}

#[test]
fn the_team_structure_holds_each_department_and_the_residents_to_the_plan() {
    let member = |id: &str, department: &str, resident: bool| {
        stored_person(
            id,
            PersonForm { name: id.into(), department: department.into(), resident, ..team_member() },
        )
    };
    let team = [
        member("a", "project_manager", true),
        member("b", "implementation", true),
        member("c", "implementation", false),
        member("d", "training", true),
    ];
    let structure = team_structure(&team);
    let by_code: Vec<(&str, usize, bool)> =
        structure.departments.iter().map(|d| (d.department.code(), d.people.len(), d.below)).collect();
    assert_eq!(
        by_code,
        [
            ("project_manager", 1, false),
            ("implementation", 2, true),
            ("customer_service", 0, true),
            ("quality", 0, true),
            ("training", 1, true)
        ]
    );
    assert_eq!(structure.departments[1].people[1].name, "c");
    assert_eq!(structure.departments[4].people[0].name, "d");
    assert_eq!((structure.resident, structure.resident_min, structure.resident_max), (3, 5, 6));
    assert_eq!(team_structure(&[]).resident, 0);
}

#[test]
fn only_team_members_who_have_not_left_are_current() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let zhang = stored_person("a", team_member());
    assert!(is_current_team_member(&zhang, today));
    let left = stored_person("b", PersonForm { left: "2026-11-30".into(), ..team_member() });
    assert!(!is_current_team_member(&left, today), "left today");
    let client = stored_person(
        "c",
        PersonForm {
            kind: "client".into(),
            name: "王芳".into(),
            organisation: "市政府".into(),
            client_department: "办公室".into(),
            ..Default::default()
        },
    );
    assert!(!is_current_team_member(&client, today));
}

#[test]
fn imported_rows_are_checked_against_the_store_and_each_other() {
    use std::collections::HashSet;
    let row =
        |name: &str, phone: &str| PersonForm { name: name.into(), phone: phone.into(), ..team_member() };
    let stored: HashSet<(String, String)> = [("李娜".to_owned(), "13900000000".to_owned())].into();
    let forms = [
        row("张伟", "13800000000"),
        row("李娜", "13900000000"),
        row("张伟", "13800000000"),
        row("", "13700000000"),
        row("张伟", "13600000000"),
    ];
    let (valid, problems) = import::check_rows(&forms, &stored);
    assert_eq!(valid.len(), 2, "rows 2 and 6");
    let found: Vec<(usize, &str, &str)> =
        problems.iter().map(|(row, f)| (*row, f.field.as_ref(), f.code())).collect();
    assert_eq!(found, [(3, "name", "already_stored"), (4, "name", "repeats_row"), (5, "name", "required")]);
}
