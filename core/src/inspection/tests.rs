use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use super::assets::{apply_step, next_routine, Asset, AssetKind, WorkKind, WorkOrder, WorkState, WorkStep};
use super::backups::{compliance, parse_size, BackupKind, Check, ClientBackup};
use super::template::{builtin_templates, format_number, parse_number, range_text};
use super::*;
use crate::calendar::{Holiday, WorkingCalendar};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Mon–Fri, with 1–3 Oct 2026 off and Saturday 10 Oct worked (调休).
fn calendar() -> WorkingCalendar {
    let mut c = WorkingCalendar::china_default();
    c.holidays = (1..=3).map(|day| Holiday { date: d(2026, 10, day), name: "国庆节".into() }).collect();
    c.adjusted_workdays = vec![d(2026, 10, 10)];
    c
}

fn dates(r: &Recurrence, first: NaiveDate, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let c = calendar();
    r.dates(first, from, to, &Workdays::new(&c))
}

#[test]
fn working_days_skip_holidays_and_take_adjusted_saturdays() {
    let got = dates(&Recurrence::WorkingDays, d(2026, 9, 28), d(2026, 9, 28), d(2026, 10, 11));
    // Mon 28 Sep – Wed 30 Sep, then the holidays (Thu 1 – Sat 3), Mon 5 – Fri 9, Sat 10 (调休).
    let expected: Vec<NaiveDate> =
        [(9, 28), (9, 29), (9, 30), (10, 5), (10, 6), (10, 7), (10, 8), (10, 9), (10, 10)]
            .iter()
            .map(|(m, day)| d(2026, *m, *day))
            .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_monthly_day_the_month_lacks_is_its_last_day() {
    let r = Recurrence::MonthlyDay { day: 31, every_months: 1 };
    let got = dates(&r, d(2026, 1, 1), d(2026, 1, 1), d(2026, 5, 31));
    assert_eq!(got, vec![d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30), d(2026, 5, 31)]);
    // Leap year.
    assert_eq!(dates(&r, d(2028, 2, 1), d(2028, 2, 1), d(2028, 2, 29)), vec![d(2028, 2, 29)]);
}

#[test]
fn quarterly_counts_months_from_the_first_date() {
    let r = Recurrence::MonthlyDay { day: 15, every_months: 3 };
    let got = dates(&r, d(2026, 2, 1), d(2026, 1, 1), d(2026, 12, 31));
    assert_eq!(got, vec![d(2026, 2, 15), d(2026, 5, 15), d(2026, 8, 15), d(2026, 11, 15)]);
}

#[test]
fn nth_and_last_weekdays_of_the_month() {
    // The second Tuesday.
    let second_tuesday = Recurrence::MonthlyNth { nth: 2, weekday: 2, every_months: 1 };
    assert_eq!(
        dates(&second_tuesday, d(2026, 1, 1), d(2026, 1, 1), d(2026, 3, 31)),
        vec![d(2026, 1, 13), d(2026, 2, 10), d(2026, 3, 10)]
    );
    // The last Friday, in months of 28, 30 and 31 days.
    let last_friday = Recurrence::MonthlyNth { nth: -1, weekday: 5, every_months: 1 };
    assert_eq!(
        dates(&last_friday, d(2026, 2, 1), d(2026, 2, 1), d(2026, 4, 30)),
        vec![d(2026, 2, 27), d(2026, 3, 27), d(2026, 4, 24)]
    );
    let mut errors = Vec::new();
    Recurrence::MonthlyNth { nth: 5, weekday: 1, every_months: 1 }.check(&mut errors, "recurrence");
    Recurrence::Weekdays { days: vec![] }.check(&mut errors, "recurrence");
    Recurrence::Weekdays { days: vec![8] }.check(&mut errors, "recurrence");
    assert_eq!(errors.len(), 3);
}

#[test]
fn weekdays_and_every_n_days() {
    let fridays = Recurrence::Weekdays { days: vec![5] };
    assert_eq!(
        dates(&fridays, d(2026, 12, 1), d(2026, 12, 1), d(2026, 12, 20)),
        vec![d(2026, 12, 4), d(2026, 12, 11), d(2026, 12, 18)]
    );
    let every_ten = Recurrence::EveryNDays { days: 10 };
    assert_eq!(
        dates(&every_ten, d(2026, 12, 25), d(2026, 12, 1), d(2027, 1, 20)),
        vec![d(2026, 12, 25), d(2027, 1, 4), d(2027, 1, 14)]
    );
    let c = calendar();
    assert_eq!(
        every_ten.next_after(d(2026, 12, 25), d(2026, 12, 25), &Workdays::new(&c)),
        Some(d(2027, 1, 4))
    );
}

fn plan(recurrence: Recurrence, first: NaiveDate) -> Plan {
    let made = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Plan {
        id: "p".into(),
        name: "每日数据库检查".into(),
        template_id: "builtin-daily-database".into(),
        recurrence,
        first_date: first,
        due_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        assignee: Assignee::OnDuty,
        relay_id: None,
        asset_id: None,
        active: true,
        created_at: made,
        updated_at: made,
    }
}

#[test]
fn owed_dates_catch_up_from_the_last_run_and_never_before_the_plan() {
    let c = calendar();
    let w = Workdays::new(&c);
    let p = plan(Recurrence::Daily, d(2026, 11, 20));
    // Ten days shut: every day since the last run is owed, up to today.
    let owed = p.dates_owed(Some(d(2026, 11, 24)), d(2026, 12, 4), &w);
    assert_eq!(owed.first(), Some(&d(2026, 11, 25)));
    assert_eq!(owed.len(), 10);
    // Nothing twice: the last run's date and before are not owed again.
    assert!(p.dates_owed(Some(d(2026, 12, 4)), d(2026, 12, 4), &w).is_empty());
    // A plan made today with a first date long past owes nothing before today.
    let mut late = plan(Recurrence::Daily, d(2025, 1, 1));
    late.created_at = Utc.with_ymd_and_hms(2026, 12, 4, 1, 0, 0).unwrap();
    assert_eq!(late.dates_owed(None, d(2026, 12, 4), &w), vec![d(2026, 12, 4)]);
    late.active = false;
    assert!(late.dates_owed(None, d(2026, 12, 4), &w).is_empty());
}

#[test]
fn a_run_closes_when_the_next_falls_due() {
    let c = calendar();
    let w = Workdays::new(&c);
    let p = plan(Recurrence::WorkingDays, d(2026, 9, 1));
    // Wednesday 30 Sep closes at the next working day's due time: Monday 5 Oct 10:00 Shanghai.
    assert_eq!(p.closes_at(d(2026, 9, 30), &w), Utc.with_ymd_and_hms(2026, 10, 5, 2, 0, 0).unwrap());
    assert_eq!(p.due_at(d(2026, 9, 30)), Utc.with_ymd_and_hms(2026, 9, 30, 2, 0, 0).unwrap());
}

fn database_template() -> Template {
    builtin_templates(Lang::ZhCn).into_iter().find(|t| t.id == "builtin-daily-database").unwrap()
}

fn answer(key: &str, value: &str) -> ResultForm {
    ResultForm { key: key.into(), value: value.into(), ..Default::default() }
}

#[test]
fn readings_are_judged_against_their_range() {
    let t = database_template();
    let form = RunForm {
        results: vec![
            answer("db-free", "12.5"),
            answer("tablespace", "70"),
            answer("writes", "1,024"),
            answer("connections", "５００"),
            answer("db-log", "pass"),
        ],
        note: String::new(),
    };
    // Saving a draft: the abnormal free space needs its evidence only on submit.
    let (results, _) = check_readings(&t, &form, false).unwrap();
    let by = |key: &str| results.iter().find(|r| r.key == key).unwrap();
    assert!(by("db-free").abnormal, "12.5 GB is below the 50 GB minimum");
    assert!(!by("tablespace").abnormal);
    assert_eq!(by("writes").number, Some(1024.0));
    assert!(by("connections").abnormal, "full-width 500 read as 500 > 400");
    let refused = check_readings(&t, &form, true).unwrap_err();
    assert_eq!(refused.field_names(), vec!["results.0.attachments"]);
    let mut with_photo = form.clone();
    with_photo.results[0].attachments =
        vec![AttachmentRef { sha256: "ab".repeat(32), name: "磁盘截图.png".into(), size: 0 }];
    assert!(check_readings(&t, &with_photo, true).is_ok());
}

#[test]
fn a_submit_needs_every_required_item_and_refuses_what_is_not_an_answer() {
    let t = database_template();
    let form =
        RunForm { results: vec![answer("db-free", "lots"), answer("db-log", "maybe")], note: String::new() };
    let refused = check_readings(&t, &form, true).unwrap_err();
    let names = refused.field_names();
    assert!(names.contains(&"results.0.value".to_owned()), "{names:?}");
    assert!(names.contains(&"results.1.value".to_owned()), "a missing required item: {names:?}");
    assert!(names.contains(&"results.4.value".to_owned()), "not pass/fail: {names:?}");
    assert!(refused.fields()[0].message(Lang::ZhCn).contains("须为数字"));
    // A person may mark a normal reading abnormal; a blank stays blank.
    let flagged = RunForm {
        results: vec![
            ResultForm { flagged: true, ..answer("tablespace", "60") },
            ResultForm { flagged: true, ..answer("writes", "") },
        ],
        note: String::new(),
    };
    let (results, _) = check_readings(&t, &flagged, false).unwrap();
    assert!(results[1].abnormal && results[1].flagged);
    assert!(!results[2].abnormal && !results[2].flagged);
}

#[test]
fn numbers_parse_and_print_the_way_people_write_them() {
    assert_eq!(parse_number(" 1,024.50 "), Some(1024.5));
    assert_eq!(parse_number("－３．５"), Some(-3.5));
    assert_eq!(parse_number("12GB"), None);
    assert_eq!(parse_number("1e9"), None);
    assert_eq!(format_number(1024.5), "1024.5");
    assert_eq!(format_number(20.0), "20");
    assert_eq!(range_text(&Answer::Number { unit: "GB".into(), min: Some(50.0), max: None }), "≥ 50 GB");
    assert_eq!(range_text(&Answer::Number { unit: "%".into(), min: Some(10.0), max: Some(90.0) }), "10–90 %");
    assert_eq!(parse_size("12 GB"), Some(12 * 1024 * 1024 * 1024));
    assert_eq!(parse_size("800mb"), Some(800 * 1024 * 1024));
    assert_eq!(parse_size("1.5T"), Some((1.5 * 1024f64.powi(4)) as i64));
    assert_eq!(parse_size("12 parsecs"), None);
}

#[test]
fn the_built_in_templates_are_whole_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let all = builtin_templates(lang);
        assert_eq!(all.len(), 6);
        for t in &all {
            assert!(t.is_builtin());
            let form = template::TemplateForm {
                name: t.name.clone(),
                description: t.description.clone(),
                items: t
                    .items
                    .iter()
                    .map(|i| template::ItemForm {
                        key: i.key.clone(),
                        category: i.category.code().into(),
                        title: i.title.clone(),
                        how: i.how.clone(),
                        answer: i.answer.clone(),
                        required: i.required,
                        attachment_when_abnormal: i.attachment_when_abnormal,
                        level: i.level.code().into(),
                    })
                    .collect(),
            };
            assert_eq!(&form.validate(t.id.clone(), 1).unwrap(), t, "{} passes its own form", t.name);
        }
    }
}

#[test]
fn a_template_form_refuses_a_bad_range_and_repeated_keys() {
    let form = template::TemplateForm {
        name: "磁盘".into(),
        description: String::new(),
        items: vec![
            template::ItemForm {
                key: "a".into(),
                category: "server".into(),
                title: "剩余空间".into(),
                answer: Answer::Number { unit: "%".into(), min: Some(90.0), max: Some(10.0) },
                ..Default::default()
            },
            template::ItemForm {
                key: "a".into(),
                category: "disk".into(),
                title: "x".into(),
                ..Default::default()
            },
        ],
    };
    let names = form.validate("t".into(), 1).unwrap_err().field_names();
    assert_eq!(names, vec!["items.0.answer.max", "items.1.category", "items.1.key"]);
}

#[test]
fn an_abnormal_reading_words_its_incident() {
    let t = database_template();
    let run = Run {
        id: "r".into(),
        plan_id: "p".into(),
        plan_name: "每日数据库检查".into(),
        template_id: t.id.clone(),
        template_version: 1,
        due_date: d(2026, 12, 4),
        due_at: Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).unwrap(),
        closes_at: Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 0).unwrap(),
        assignee_id: None,
        assignee_name: "张伟".into(),
        asset_id: None,
        state: RunState::Open,
        abnormal: 1,
        note: String::new(),
        submitted_at: None,
        submitted_by: String::new(),
        signed_off_at: None,
        signed_off_by: String::new(),
    };
    let (results, _) =
        check_readings(&t, &RunForm { results: vec![answer("db-free", "12")], note: String::new() }, false)
            .unwrap();
    let draft = incident_draft(&run, t.item("db-free").unwrap(), &results[0], Lang::ZhCn);
    assert_eq!(draft.title, "巡检异常：数据库剩余空间");
    assert_eq!(draft.level, crate::level::Level::II);
    assert!(draft.description.contains("读数 12 GB（正常范围 ≥ 50 GB）"), "{}", draft.description);
}

fn backup(kind: BackupKind, day: NaiveDate, off_server: bool) -> ClientBackup {
    let at = local_instant(day, NaiveTime::from_hms_opt(23, 0, 0).unwrap());
    ClientBackup {
        id: format!("{kind:?}{day}"),
        kind,
        system: "OA".into(),
        asset_id: None,
        started_at: at,
        finished_at: at,
        size_bytes: None,
        checksum: String::new(),
        location: "备份服务器 B".into(),
        off_server,
        succeeded: true,
        made_by: String::new(),
        note: String::new(),
        created_at: at,
    }
}

#[test]
fn backup_compliance_checks_the_full_the_copy_each_week_and_the_quarters_restore_test() {
    // November 2026: ISO weeks 45–48 have their Thursday in November (W44's Thursday is 29 Oct).
    let records = vec![
        backup(BackupKind::Full, d(2026, 11, 1), true),
        backup(BackupKind::Incremental, d(2026, 11, 6), false),
        backup(BackupKind::Incremental, d(2026, 11, 13), false),
        // Week 47 has none.
        backup(BackupKind::Incremental, d(2026, 11, 27), false),
        backup(BackupKind::RestoreTest, d(2026, 10, 20), false),
    ];
    let c = compliance(d(2026, 11, 1), &records, d(2026, 12, 4));
    assert_eq!(c.month, "2026-11");
    assert_eq!((c.full, c.off_server, c.restore_test), (Check::Done, Check::Done, Check::Done));
    let weeks: Vec<(&str, Check)> = c.weeks.iter().map(|w| (w.week.as_str(), w.incremental)).collect();
    assert_eq!(
        weeks,
        vec![
            ("2026-W45", Check::Done),
            ("2026-W46", Check::Done),
            ("2026-W47", Check::Missing),
            ("2026-W48", Check::Done),
        ]
    );
    assert!(!c.compliant);
    // December, seen on 4 December: nothing missing yet, only pending.
    let dec = compliance(d(2026, 12, 1), &records, d(2026, 12, 4));
    assert_eq!(dec.full, Check::Pending);
    assert!(dec.weeks.iter().all(|w| w.incremental == Check::Pending));
    assert_eq!(dec.restore_test, Check::Done, "October's test counts for the fourth quarter");
    assert!(dec.compliant);
    assert_eq!(compliance(d(2027, 1, 1), &records, d(2027, 1, 4)).restore_test, Check::Pending);
    // A full without its off-server copy; a failed backup does not count.
    let mut failed = backup(BackupKind::Incremental, d(2026, 11, 20), false);
    failed.succeeded = false;
    let only_local = vec![backup(BackupKind::Full, d(2026, 11, 2), false), failed];
    let c = compliance(d(2026, 11, 1), &only_local, d(2026, 12, 4));
    assert_eq!((c.full, c.off_server), (Check::Done, Check::Missing));
    assert_eq!(c.weeks[2].incremental, Check::Missing);
    // The quarter's last month without a restore test.
    assert_eq!(compliance(d(2026, 12, 1), &[], d(2027, 1, 2)).restore_test, Check::Missing);
}

fn order(state: WorkState) -> WorkOrder {
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    WorkOrder {
        id: "w".into(),
        number: "WO-2026-0001".into(),
        kind: WorkKind::Hardware,
        asset_id: None,
        title: "更换磁盘".into(),
        reason: "SMART 告警".into(),
        window_start: at,
        window_end: at + chrono::Duration::hours(2),
        risk: String::new(),
        rollback: String::new(),
        state,
        requested_by: String::new(),
        approved_by: String::new(),
        approved_at: None,
        done_by: String::new(),
        done_at: None,
        result: String::new(),
        rolled_back: false,
        routine_date: None,
        created_at: at,
        updated_at: at,
    }
}

#[test]
fn work_orders_are_approved_before_they_are_done() {
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
    let done = WorkStep::Complete { by: "李强".into(), result: "已更换".into(), rolled_back: false };
    let refused = apply_step(&order(WorkState::Requested), &done, now).unwrap_err();
    assert!(refused.message(Lang::ZhCn).contains("不能改为“已完成”"), "{}", refused.message(Lang::ZhCn));
    let approved =
        apply_step(&order(WorkState::Requested), &WorkStep::Approve { by: "王经理".into() }, now).unwrap();
    assert_eq!((approved.state, approved.approved_at), (WorkState::Approved, Some(now)));
    let finished = apply_step(&approved, &done, now).unwrap();
    assert_eq!(finished.state, WorkState::Done);
    assert!(apply_step(&finished, &WorkStep::Cancel { reason: "x".into() }, now).is_err());
    // A rejection needs its reason.
    let blank = WorkStep::Reject { by: "王经理".into(), reason: " ".into() };
    assert_eq!(
        apply_step(&order(WorkState::Requested), &blank, now).unwrap_err().field_names(),
        vec!["reason"]
    );
}

#[test]
fn routine_maintenance_falls_due_an_interval_after_the_last() {
    let at = Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap();
    let mut asset = Asset {
        id: "a".into(),
        kind: AssetKind::Server,
        name: "OA-APP-01".into(),
        owner_id: None,
        location: String::new(),
        maintenance_days: Some(90),
        note: String::new(),
        retired: false,
        created_at: at,
        updated_at: at,
    };
    assert_eq!(next_routine(&asset, None), Some(d(2026, 4, 10)));
    assert_eq!(next_routine(&asset, Some(d(2026, 5, 1))), Some(d(2026, 7, 30)));
    asset.retired = true;
    assert_eq!(next_routine(&asset, None), None);
}
