//! The sandbox's routine service: the assets, six inspection plans from the built-in templates
//! run over the last five weeks day by day as a team would (most on time, a few late, a few
//! missed, readings that drift and one burst of writes, abnormal items with their evidence and
//! an incident raised), the client's backups of two months with one weekly gap, and
//! maintenance work orders.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::app::inspection::{
    add_attachment, add_client_backup, generate, raise_incident, request_work, save_asset, save_plan,
    save_run, sign_off, work_step,
};
use crate::inspection::assets::{AssetForm, WorkOrderForm, WorkStep};
use crate::inspection::backups::ClientBackupForm;
use crate::inspection::{
    local_instant, Answer, PlanForm, Recurrence, ResultForm, RunForm, RunState, Workdays, ON_DUTY,
};
use crate::store::inspection::RunQuery;
use crate::store::Store;
use crate::zone::service_date;
use crate::{Lang, Result};

/// How many days of inspections the sandbox holds.
const DAYS: i64 = 35;

/// Who does what in the sample team.
pub(super) struct Crew<'a> {
    pub resident: &'a str,
    pub engineer: &'a str,
    pub desk: &'a str,
}

/// Fills the routine service; returns how many runs were made.
pub(super) fn routine(store: &mut Store, crew: &Crew, lang: Lang, now: DateTime<Utc>) -> Result<usize> {
    let today = service_date(now);
    let start = today - Duration::days(DAYS);
    let made = local_instant(start - Duration::days(1), NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let asset = |kind: &str, name: &str, owner: &str, location: &str, days: &str| AssetForm {
        kind: kind.into(),
        name: name.into(),
        owner_id: owner.into(),
        location: location.into(),
        maintenance_days: days.into(),
        ..Default::default()
    };
    let room = lang.pick("信息中心机房 A 排 3 柜", "Data centre row A rack 3");
    let app_server = save_asset(store, None, &asset("server", "OA-APP-01", crew.resident, room, "90"), made)?;
    let database = save_asset(
        store,
        None,
        &asset("database", lang.pick("OA 数据库", "OA database"), crew.resident, room, ""),
        made,
    )?;
    save_asset(
        store,
        None,
        &asset("network", lang.pick("核心交换机", "Core switch"), crew.engineer, room, "180"),
        made,
    )?;
    save_asset(
        store,
        None,
        &asset("application", lang.pick("公文流转模块", "Document workflow module"), crew.resident, "", ""),
        made,
    )?;

    let plan = |template: &str,
                name: &str,
                recurrence: Recurrence,
                due: &str,
                assignee: &str,
                relay: &str,
                asset: &str| {
        PlanForm {
            name: name.into(),
            template_id: format!("builtin-{template}"),
            recurrence,
            first_date: start.to_string(),
            due_time: due.into(),
            assignee: assignee.into(),
            relay_id: relay.into(),
            asset_id: asset.into(),
            active: true,
        }
    };
    let plans = [
        plan(
            "daily-database",
            lang.pick("数据库日检", "Database daily check"),
            Recurrence::WorkingDays,
            "10:00",
            crew.resident,
            crew.engineer,
            &database.id,
        ),
        plan(
            "daily-servers",
            lang.pick("服务器日检", "Server daily check"),
            Recurrence::WorkingDays,
            "10:00",
            ON_DUTY,
            crew.resident,
            &app_server.id,
        ),
        plan(
            "daily-logs",
            lang.pick("系统日志审查", "Log review"),
            Recurrence::Daily,
            "11:00",
            crew.desk,
            crew.resident,
            "",
        ),
        plan(
            "weekly-incremental",
            lang.pick("每周增量备份", "Weekly incremental backup"),
            Recurrence::Weekdays { days: vec![5] },
            "18:00",
            crew.resident,
            crew.engineer,
            &database.id,
        ),
        plan(
            "monthly-full",
            lang.pick("每月全量备份", "Monthly full backup"),
            Recurrence::MonthlyDay { day: 1, every_months: 1 },
            "18:00",
            crew.resident,
            crew.engineer,
            &database.id,
        ),
        plan(
            "quarterly-restore",
            lang.pick("季度恢复测试", "Quarterly restore test"),
            Recurrence::MonthlyDay { day: 15, every_months: 3 },
            "17:00",
            crew.engineer,
            crew.resident,
            &database.id,
        ),
    ];
    for form in &plans {
        save_plan(store, None, form, lang, made)?;
    }

    let evidence = add_attachment(
        store,
        b"Filesystem  Size  Used Avail Use%\n/u01  500G  452G  48G  91%\n",
        "df-u01.txt",
        made,
    )?;
    // Free space on the database drops below its minimum over the last three working days
    // before today, whatever day of the week the sandbox is made on.
    let calendar = store.working_calendar()?;
    let workdays = Workdays::new(&calendar);
    let low_from = (1..=DAYS)
        .map(|back| today - Duration::days(back))
        .filter(|day| workdays.is_working(*day))
        .nth(2)
        .unwrap_or(start);
    let mut raised = false;
    let mut runs_made = 0;
    for offset in 0..=DAYS {
        let day = start + Duration::days(offset);
        let morning = local_instant(day, NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default());
        if morning > now {
            break;
        }
        generate(store, lang, morning)?;
        let due = RunQuery { from: Some(day), to: Some(day), ..Default::default() };
        for run in store.inspection_runs(&due)? {
            runs_made += 1;
            // Today's later runs are still to do; a few runs are never done (missed).
            let skipped = offset % 11 == 7 && run.plan_name == plans[2].name;
            let late = offset % 9 == 4;
            let at = run.due_at + if late { Duration::minutes(95) } else { Duration::minutes(-40) };
            if skipped || at > now {
                continue;
            }
            let detail = crate::app::inspection::run_detail(store, &run.id, lang)?;
            let mut form = RunForm::default();
            for item in &detail.template.items {
                let value = match &item.answer {
                    Answer::PassFail => {
                        if offset == 23 && item.key == "unusual" { "fail" } else { "pass" }.to_owned()
                    }
                    Answer::Number { .. } => reading(&item.key, offset, (low_from - day).num_days()),
                    Answer::Choice { options, .. } => options.first().cloned().unwrap_or_default(),
                    Answer::Text => String::new(),
                };
                let abnormal_db = item.key == "db-free" && day >= low_from;
                form.results.push(ResultForm {
                    key: item.key.clone(),
                    value,
                    flagged: false,
                    note: if abnormal_db {
                        lang.pick("归档日志增长较快", "Archive logs growing fast").into()
                    } else {
                        String::new()
                    },
                    attachments: if abnormal_db || (offset == 23 && item.key == "unusual") {
                        vec![evidence.clone()]
                    } else {
                        vec![]
                    },
                });
            }
            let done = save_run(store, &run.id, &form, true, lang, at)?;
            if !raised && done.results.iter().any(|r| r.key == "db-free" && r.abnormal) {
                raise_incident(store, &run.id, "db-free", lang, at + Duration::minutes(5))?;
                raised = true;
            }
            // The PM signs off what was submitted two days ago or earlier.
            if day + Duration::days(2) <= service_date(now) && done.run.state == RunState::Submitted {
                sign_off(store, &run.id, lang, at + Duration::hours(26))?;
            }
        }
    }
    generate(store, lang, now)?;
    backups(store, lang, today, now)?;
    maintenance(store, &app_server.id, lang, now)?;
    Ok(runs_made)
}

/// A plausible reading of item `key` on day `offset`: free space running down to below its
/// 50 GB minimum `days_to_low` days from now, one burst of writes, the rest around its usual
/// value.
fn reading(key: &str, offset: i64, days_to_low: i64) -> String {
    let wobble = ((offset * 37) % 11) as f64 - 5.0;
    let value = match key {
        "db-free" => 47.0 + days_to_low as f64 * 3.5,
        "tablespace" => 62.0 + offset as f64 * 0.5 + wobble * 0.3,
        "writes" if offset == 19 => 1960.0,
        "writes" => 820.0 + wobble * 15.0,
        "connections" => 180.0 + wobble * 6.0,
        "system-disk" => 48.0 - offset as f64 * 0.2,
        "data-disk" => 36.0 - offset as f64 * 0.4,
        "cpu" => 55.0 + wobble * 2.0,
        "memory" => 71.0 + wobble,
        "failed-logins" => 12.0 + wobble.abs(),
        "errors" => 30.0 + wobble * 2.0,
        "size" => 18.5 + offset as f64 * 0.05,
        "duration" => 95.0,
        _ => 1.0,
    };
    crate::inspection::template::format_number((value * 10.0).round() / 10.0)
}

/// Two months of the client's backups: a full on the 1st copied off the server, incrementals
/// every Friday night but one, a restore test last month.
fn backups(store: &mut Store, lang: Lang, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let system = lang.pick("OA 数据库", "OA database");
    let record = |kind: &str, day: NaiveDate, off_server: bool, size: &str| {
        let start = local_instant(day, NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default());
        ClientBackupForm {
            kind: kind.into(),
            system: system.into(),
            asset_id: String::new(),
            started_at: start.to_rfc3339(),
            finished_at: (start + Duration::minutes(70)).to_rfc3339(),
            size: size.into(),
            checksum: format!(
                "sha256:{:016x}",
                day.to_string().len() as u64 * 7919 + u64::from(day.ordinal0())
            ),
            location: lang.pick("备份服务器 BAK-02（异机）", "Backup server BAK-02 (off the server)").into(),
            off_server,
            succeeded: true,
            made_by: lang.pick("李强", "Li Qiang").into(),
            note: String::new(),
        }
    };
    use chrono::Datelike;
    let first = today.with_day(1).unwrap_or(today);
    let previous = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
    for month in [previous, first] {
        let at = local_instant(month, NaiveTime::from_hms_opt(23, 30, 0).unwrap_or_default());
        if at < now {
            add_client_backup(store, &record("full", month, true, "182 GB"), at + Duration::hours(1))?;
        }
    }
    let mut day = previous;
    let mut week = 0;
    while day < today {
        if day.weekday() == chrono::Weekday::Fri {
            week += 1;
            // One Friday the job failed and nobody ran it again: that week shows as missing.
            if week != 3 {
                add_client_backup(
                    store,
                    &record("incremental", day, true, "6.4 GB"),
                    local_instant(day + Duration::days(1), NaiveTime::MIN),
                )?;
            }
        }
        day += Duration::days(1);
    }
    let test_day = previous + Duration::days(14);
    if test_day < today {
        let mut test = record("restore_test", test_day, false, "");
        test.note = lang
            .pick(
                "恢复到测试库，抽查公文 20 件一致",
                "Restored to the test database; 20 documents sampled, all match",
            )
            .into();
        add_client_backup(store, &test, local_instant(test_day + Duration::days(1), NaiveTime::MIN))?;
    }
    Ok(())
}

/// A change done last week and one waiting for approval.
fn maintenance(store: &mut Store, server: &str, lang: Lang, now: DateTime<Utc>) -> Result<()> {
    let window = |days: i64| {
        let start = local_instant(
            service_date(now) + Duration::days(days),
            NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default(),
        );
        (start.to_rfc3339(), (start + Duration::hours(2)).to_rfc3339())
    };
    let (start, end) = window(-6);
    let patch = request_work(
        store,
        &WorkOrderForm {
            kind: "code".into(),
            asset_id: server.into(),
            title: lang.pick("公文流转模块补丁升级", "Patch the document workflow module").into(),
            reason: lang.pick("修复附件下载超时缺陷", "Fix the attachment download timeout").into(),
            window_start: start,
            window_end: end,
            risk: lang.pick("升级期间公文流转暂停约 30 分钟", "Workflow paused for about 30 minutes").into(),
            rollback: lang
                .pick(
                    "保留旧版本程序包，失败时 10 分钟内回退",
                    "Keep the old package; roll back within 10 minutes",
                )
                .into(),
            requested_by: lang.pick("李强", "Li Qiang").into(),
        },
        now - Duration::days(9),
    )?;
    work_step(
        store,
        &patch.id,
        &WorkStep::Approve { by: lang.pick("张伟", "Zhang Wei").into() },
        now - Duration::days(8),
    )?;
    work_step(
        store,
        &patch.id,
        &WorkStep::Complete {
            by: lang.pick("李强", "Li Qiang").into(),
            result: lang.pick("升级完成，验证附件下载正常", "Upgraded; attachment downloads verified").into(),
            rolled_back: false,
        },
        now - Duration::days(6),
    )?;
    let (start, end) = window(3);
    request_work(
        store,
        &WorkOrderForm {
            kind: "hardware".into(),
            asset_id: server.into(),
            title: lang.pick("更换 OA-APP-01 故障硬盘", "Replace a failing disk in OA-APP-01").into(),
            reason: lang.pick("RAID 报告 2 号盘预警", "RAID reports a warning on disk 2").into(),
            window_start: start,
            window_end: end,
            risk: lang.pick("热插拔，业务不中断", "Hot swap; no downtime").into(),
            rollback: lang.pick("保留原盘", "Keep the old disk").into(),
            requested_by: lang.pick("王磊", "Wang Lei").into(),
        },
        now - Duration::days(1),
    )?;
    Ok(())
}
