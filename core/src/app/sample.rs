//! The sample sandbox: a database of its own, beside the real one, filled so that every screen
//! shows what it is for — the team and client people, a 7×24 rota, a training plan with sessions
//! held and to come, months of incidents for the figures, charts and monthly reports, and a QA
//! sample. Its numbers start with [`SAMPLE_PREFIX`](crate::store::SAMPLE_PREFIX) and its documents
//! say they are samples; removing it removes the folder, and no real record ever shares it.

mod routine;

use std::path::Path;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::contingency::ContingencyForm;
use crate::data_dir::{Access, DataDir};

use crate::people::{AvailabilityForm, CertificateForm, PersonForm, SkillForm};
use crate::quality::QaSampleForm;
use crate::roster::{RotationForm, ShiftForm};
use crate::sample::{sample_history, sample_incidents};
use crate::store::Store;
use crate::training::plan::{AttendanceForm, AttendanceRowForm, PlanForm, SessionForm};
use crate::zone::{service_date, service_midnight};
use crate::{Error, Lang, Result};

/// What the sandbox was filled with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleContents {
    pub people: usize,
    pub incidents: usize,
    pub sessions: usize,
    pub inspection_runs: usize,
}

/// Opens the sample sandbox of the data folder `dir` (or the default one) for `access`, filling
/// it when new — or again from scratch when an earlier fill was cut short.
pub fn open_sandbox(dir: Option<&Path>, access: Access, lang: Lang, now: DateTime<Utc>) -> Result<Store> {
    let root = DataDir::resolve(dir)?.sample_dir();
    let mut store = Store::open_data_dir(Some(&root), access, now)?;
    if store.settings()?.set_up {
        return Ok(store);
    }
    if store.incident_counts(now)?.by_status != Default::default() {
        drop(store);
        remove_sandbox(dir)?;
        store = Store::open_data_dir(Some(&root), access, now)?;
    }
    fill_sandbox(&mut store, lang, now)?;
    Ok(store)
}

/// Removes the sample sandbox of the data folder `dir`, if there is one. Its store must be
/// closed first (the folder is held while it is open).
pub fn remove_sandbox(dir: Option<&Path>) -> Result<()> {
    let root = DataDir::resolve(dir)?.sample_dir();
    match std::fs::remove_dir_all(&root) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::file(&root, e)),
        _ => Ok(()),
    }
}

/// Whether the data folder `dir` has a sample sandbox.
pub fn sandbox_exists(dir: Option<&Path>) -> Result<bool> {
    Ok(DataDir::resolve(dir)?.sample_dir().exists())
}

/// Fills a new, empty database as the sample sandbox (see the module). `now` anchors every
/// date, so the sandbox always looks current.
pub fn fill_sandbox(store: &mut Store, lang: Lang, now: DateTime<Utc>) -> Result<SampleContents> {
    store.mark_sample()?;
    store.set_organisation(
        lang.pick("示例单位 OA 运维项目组（示例数据）", "Example OA service team (sample data)"),
    )?;
    let today = service_date(now);
    let team = people(store, today, now)?;
    store.set_current_person(&team.manager, now)?;

    // Months of closed incidents, then the recent ones in every state.
    let mut incidents = store.import_incidents(&sample_history(now, 16, 6), None, now)?.added.len();
    incidents += store.import_incidents(&sample_incidents(now), None, now)?.added.len();

    store.save_rotation(
        None,
        &RotationForm {
            name: lang.pick("7×24 值班", "7×24 on call").into(),
            members: team.on_call.clone(),
            shifts: vec![
                shift("workday", "17:30", "08:30"),
                shift("rest_day", "08:30", "20:30"),
                shift("rest_day", "20:30", "08:30"),
            ],
            handover: "08:30".into(),
            start_date: (today - Duration::days(120)).to_string(),
            desk: false,
        },
        now,
    )?;

    store.save_rotation(
        None,
        &RotationForm {
            name: lang.pick("热线坐席（5×8）", "Hotline desk (5×8)").into(),
            members: vec![team.on_call[2].clone()],
            shifts: vec![shift("workday", "08:30", "17:30")],
            handover: "08:30".into(),
            start_date: (today - Duration::days(120)).to_string(),
            desk: true,
        },
        now,
    )?;

    let sessions = training(store, &team, today, lang, now)?;
    follow_ups(store, lang, now)?;
    let crew =
        routine::Crew { resident: &team.on_call[0], engineer: &team.on_call[1], desk: &team.on_call[2] };
    let inspection_runs = routine::routine(store, &crew, lang, now)?;
    preparedness(store, &team, lang, now)?;

    let start = service_midnight(today - Duration::days(60));
    let drawn = store.draw_qa_sample(
        &QaSampleForm {
            from: start.to_rfc3339(),
            to: now.to_rfc3339(),
            size: "8".into(),
            seed: "2026".into(),
        },
        "赵敏",
        now,
    )?;
    for (i, item) in drawn.items.iter().take(5).enumerate() {
        let (outcome, note) =
            if i == 2 { ("finding", "报告中故障损失描述不具体") } else { ("ok", "") };
        store.review_qa_item(&drawn.id, &item.incident.id, outcome, note, "赵敏", now)?;
    }
    // Last: a sandbox without it was cut short and is filled again from scratch.
    store.finish_setup()?;
    Ok(SampleContents { people: team.count, incidents, sessions, inspection_runs })
}

/// The plan that sample incidents put to work on the database.
const SAMPLE_ACTIVATED_PLAN: &str = "builtin-database";

/// Emergency plans: the overall plan approved a year ago with its review now overdue, and the
/// database plan at work on an open incident with its first two steps done. Drills: a tabletop
/// of the database plan held ten days ago with two findings (one closed), and a hands-on drill
/// of the network plan planned three weeks ahead.
fn preparedness(store: &mut Store, team: &Team, lang: Lang, now: DateTime<Utc>) -> Result<()> {
    let today = service_date(now);
    let overall = store.contingency_plan("builtin-overall", lang)?;
    let form = ContingencyForm {
        approved_by: lang.pick("王建国", "Wang Jianguo").into(),
        approved_on: (today - Duration::days(400)).to_string(),
        effective_on: (today - Duration::days(390)).to_string(),
        review_due: (today - Duration::days(25)).to_string(),
        ..ContingencyForm::from(&overall)
    };
    crate::app::contingency::save(store, Some(&overall.id), &form, lang, now)?;
    let open = store.list_incidents(&Default::default(), now)?.items.into_iter().find(|i| i.status.is_open());
    if let Some(incident) = open {
        crate::app::contingency::activate(store, &incident.id, SAMPLE_ACTIVATED_PLAN, lang, now)?;
        let by = store.settings()?.user_name;
        for step in 0..2 {
            crate::app::contingency::step_done(store, &incident.id, SAMPLE_ACTIVATED_PLAN, step, &by, now)?;
        }
    }
    drills(store, team, lang, now)
}

/// The sandbox's tabletop drill is held this many days before it is made.
const SAMPLE_DRILL_DAYS_AGO: i64 = 10;

fn drills(store: &mut Store, team: &Team, lang: Lang, now: DateTime<Utc>) -> Result<()> {
    use crate::drill::{DrillForm, LogForm, ParticipantForm};
    let today = service_date(now);
    let held_on = today - Duration::days(SAMPLE_DRILL_DAYS_AGO);
    let who = |id: &str, role: &str, status: &str| ParticipantForm {
        person_id: id.into(),
        role: role.into(),
        status: status.into(),
    };
    let form = DrillForm {
        date: held_on.to_string(),
        kind: "tabletop".into(),
        scope: "special".into(),
        plan_id: SAMPLE_ACTIVATED_PLAN.into(),
        scenario: lang
            .pick(
                "OA 数据库主库存储故障，业务中断；按预案切换至备库并恢复数据。",
                "The OA database's primary storage fails and work stops; switch to the standby and recover the data as the plan says.",
            )
            .into(),
        target_minutes: "120".into(),
        achieved_minutes: "95".into(),
        participants: vec![
            who(&team.manager, lang.pick("总指挥", "Commander"), "present"),
            who(&team.on_call[0], lang.pick("数据库恢复", "Database recovery"), "present"),
            who(&team.on_call[1], lang.pick("应用验证", "Application checks"), "late"),
            who(&team.on_call[2], lang.pick("用户通知", "User notice"), "excused"),
        ],
        held: true,
        verdict: "partly".into(),
        evaluation: lang
            .pick(
                "切换步骤清晰，恢复时间达到目标；应急通讯录有两处号码过期，备库切换脚本未纳入日常巡检。",
                "The switch-over steps were clear and recovery met its target; two numbers in the contact list were out of date and the standby switch-over script is not in the daily inspection.",
            )
            .into(),
    };
    let drill = crate::app::drills::save(store, None, &form, lang, now)?;
    let at = |h: u32, m: u32| format!("{held_on} {h:02}:{m:02}");
    for (when, zh, en) in [
        (at(9, 0), "宣布演练开始，通报场景", "The drill begins; the scenario is announced"),
        (at(9, 20), "确认主库不可用，决定切换备库", "Primary confirmed down; switch to the standby decided"),
        (
            at(10, 35),
            "备库接管，应用验证通过，业务恢复",
            "Standby took over; applications checked; work resumes",
        ),
    ] {
        let entry = LogForm { at: when, text: lang.pick(zh, en).into() };
        crate::app::drills::log(store, &drill.id, &entry, now)?;
    }
    let finding = |zh: &str, en: &str, due: NaiveDate| crate::corrective::ActionForm {
        title: lang.pick(zh, en).into(),
        owner: lang.pick("王伟", "Wang Wei").into(),
        due: due.to_string(),
    };
    let contacts = finding(
        "更新应急通讯录中过期的两处号码",
        "Update the two out-of-date numbers in the contact list",
        held_on + Duration::days(7),
    );
    let contacts = crate::app::drills::raise_finding(store, &drill.id, &contacts, lang, now)?;
    let script = finding(
        "备库切换脚本纳入每日数据库巡检",
        "Add the standby switch-over script to the daily database check",
        today + Duration::days(14),
    );
    crate::app::drills::raise_finding(store, &drill.id, &script, lang, now)?;
    crate::app::corrective::close(
        store,
        &contacts.id,
        lang.pick("通讯录已更新并发至全员", "Contact list updated and sent to everyone"),
        now,
    )?;
    let planned = DrillForm {
        date: (today + Duration::days(21)).to_string(),
        kind: "hands_on".into(),
        scope: "special".into(),
        plan_id: "builtin-network".into(),
        scenario: lang
            .pick(
                "核心交换机断电，切换至备用链路。",
                "The core switch loses power; switch to the standby link.",
            )
            .into(),
        participants: vec![who(&team.on_call[0], "", ""), who(&team.on_call[1], "", "")],
        ..DrillForm::default()
    };
    crate::app::drills::save(store, None, &planned, lang, now)?;
    Ok(())
}

/// The customer service desk calls back a dozen of the closed incidents the day after: most
/// are satisfied, two are not.
fn follow_ups(store: &mut Store, lang: Lang, now: DateTime<Utc>) -> Result<()> {
    let query = crate::incident::IncidentQuery {
        statuses: vec![crate::timeline::Status::Closed],
        limit: 12,
        ..Default::default()
    };
    let ratings = [5, 4, 5, 2, 4, 5, 3, 5, 1, 4, 5, 4];
    for (incident, rating) in store.list_incidents(&query, now)?.items.into_iter().zip(ratings) {
        let Some(closed) = store.closed_at(&incident.id)?.1 else { continue };
        let called = (closed + Duration::days(1)).min(now);
        let comment = match rating {
            1 | 2 => lang.pick(
                "第一次报修后半天没人回电话",
                "Nobody called back for half a day after the first report",
            ),
            3 => lang.pick("解决了，但过程有点慢", "Solved, a little slowly"),
            _ => lang.pick("处理及时，满意", "Handled promptly, satisfied"),
        };
        let form = crate::followup::FollowUpForm {
            satisfaction: rating.to_string(),
            comment: comment.into(),
            called_by: lang.pick("周婷", "Zhou Ting").into(),
            contact: incident.reporter.clone(),
            called_at: called.to_rfc3339(),
        };
        crate::app::followup::record(store, &incident.id, &form, now)?;
    }
    Ok(())
}

fn shift(on: &str, start: &str, end: &str) -> ShiftForm {
    ShiftForm { on: on.into(), start: start.into(), end: end.into() }
}

struct Team {
    manager: String,
    on_call: Vec<String>,
    trainers: Vec<String>,
    leader: String,
    clerks: Vec<String>,
    count: usize,
}

/// The team by the plan's departments, with skills and certificates (one expiring soon), and
/// the client's people: two leaders with their free time, and staff to train.
fn people(store: &mut Store, today: NaiveDate, now: DateTime<Utc>) -> Result<Team> {
    let mut count = 0;
    let mut add = |store: &mut Store, form: PersonForm| -> Result<String> {
        count += 1;
        Ok(store.create_person(&form, now)?.id)
    };
    let joined = (today - Duration::days(400)).to_string();
    let team = |name: &str, department: &str, job: &str, phone: &str| PersonForm {
        kind: "team".into(),
        name: name.into(),
        department: department.into(),
        job_title: job.into(),
        phone: phone.into(),
        joined: joined.clone(),
        ..Default::default()
    };
    let skill = |name: &str, years: &str| SkillForm { name: name.into(), years: years.into() };
    let certificate = |name: &str, expires: NaiveDate| CertificateForm {
        name: name.into(),
        number: format!("CERT-{}", expires.format("%Y%m")),
        issued: (expires - Duration::days(3 * 365)).to_string(),
        expires: expires.to_string(),
    };
    let manager = add(
        store,
        PersonForm {
            skills: vec![skill("项目管理", "8"), skill("ITIL", "5")],
            certificates: vec![certificate("信息系统项目管理师", today + Duration::days(700))],
            ..team("张伟", "project_manager", "项目经理", "13800000001")
        },
    )?;
    let resident = add(
        store,
        PersonForm {
            resident: true,
            resident_site: "市政府办公楼 3 楼信息中心".into(),
            skills: vec![skill("Linux", "6"), skill("Oracle", "4")],
            certificates: vec![certificate("Oracle OCP", today + Duration::days(20))],
            ..team("李强", "implementation", "驻场工程师", "13800000002")
        },
    )?;
    let engineer = add(
        store,
        PersonForm {
            skills: vec![skill("网络", "5"), skill("邮件系统", "3")],
            ..team("王磊", "implementation", "实施工程师", "13800000003")
        },
    )?;
    let desk = add(store, team("周婷", "customer_service", "客服专员", "13800000004"))?;
    add(store, team("赵敏", "quality", "质量工程师", "13800000005"))?;
    let trainers = vec![
        add(store, team("陈静", "training", "培训师", "13800000006"))?,
        add(store, team("孙涛", "training", "培训师", "13800000007"))?,
    ];
    let client = |name: &str, department: &str, position: &str| PersonForm {
        kind: "client".into(),
        name: name.into(),
        organisation: "示例市人民政府办公室".into(),
        client_department: department.into(),
        position: position.into(),
        ..Default::default()
    };
    let free = |weekday: &str, start: &str, end: &str| AvailabilityForm {
        weekday: weekday.into(),
        start: start.into(),
        end: end.into(),
        ..Default::default()
    };
    let leader = add(
        store,
        PersonForm {
            leader: true,
            availability: vec![free("2", "09:00", "11:30"), free("4", "15:00", "17:00")],
            ..client("王建国", "局领导", "副局长")
        },
    )?;
    add(
        store,
        PersonForm {
            leader: true,
            availability: vec![free("3", "14:30", "16:30")],
            ..client("李红", "局领导", "局长")
        },
    )?;
    let mut clerks = Vec::new();
    for (name, department) in
        [("王芳", "办公室"), ("孙丽", "财务处"), ("陈刚", "信息中心"), ("周敏", "档案室")]
    {
        clerks.push(add(store, client(name, department, "科员"))?);
    }
    Ok(Team { manager, on_call: vec![resident, engineer, desk], trainers, leader, clerks, count })
}

/// A plan over the months around `today`: sessions held (with attendance) and to come, and a
/// leader's one-to-one.
fn training(
    store: &mut Store,
    team: &Team,
    today: NaiveDate,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<usize> {
    let audiences = store.training_audiences()?;
    let start = today - Duration::days(90);
    let mut form = PlanForm::template(&audiences, start, today + Duration::days(90), lang);
    form.title = lang.pick("OA 系统运维培训计划（示例）", "OA service training plan (sample)").into();
    let plan = store.save_training_plan(None, &form, now)?;
    let row = |audience: &str| plan.rows.iter().find(|r| r.audience == audience).map(|r| r.id.clone());
    // (days from today, hour, hours, title, audience, room)
    let planned = [
        (-75, 9, 2, "公文流转操作", "operator", "302 会议室"),
        (-48, 14, 3, "系统定制：应用、权限、模板", "system_admin", "信息中心机房"),
        (-20, 9, 2, "移动办公与会议管理", "operator", "302 会议室"),
        (-6, 14, 2, "数据维护子系统", "data_admin", "信息中心机房"),
        (-3, 14, 2, "OA 常见问题答疑", "operator", "302 会议室"),
        (2, 14, 2, "公文模板维护", "system_admin", "信息中心机房"),
        (9, 9, 2, "档案管理与全文检索", "operator", "302 会议室"),
        (23, 14, 3, "服务器与网络硬件故障诊断", "hardware", "信息中心机房"),
    ];
    let mut saved = 0;
    for (i, (days, hour, hours, title, audience, room)) in planned.into_iter().enumerate() {
        let start = working_day(today + Duration::days(days));
        let start = service_midnight(start) + Duration::hours(hour);
        let session = crate::app::training::save_session(
            store,
            None,
            &SessionForm {
                plan_id: plan.id.clone(),
                row_id: row(audience).unwrap_or_default(),
                title: title.into(),
                audience: audience.into(),
                trainer_id: team.trainers[i % team.trainers.len()].clone(),
                room: room.into(),
                start: start.to_rfc3339(),
                end: (start + Duration::hours(hours)).to_rfc3339(),
                mode: "classroom".into(),
                attendee_ids: team.clerks.clone(),
                ..Default::default()
            },
            now,
        )?
        .session;
        saved += 1;
        if days < 0 {
            let status = |j: usize| match (i + j) % 7 {
                0 => "absent",
                3 => "late",
                _ => "present",
            };
            let attendees = team
                .clerks
                .iter()
                .enumerate()
                .map(|(j, id)| AttendanceRowForm {
                    person_id: id.clone(),
                    status: status(j).into(),
                    score: if status(j) == "absent" {
                        String::new()
                    } else {
                        (78 + (i * 7 + j * 5) % 20).to_string()
                    },
                    ..Default::default()
                })
                .collect();
            let form = AttendanceForm {
                attendees,
                outcome: "按计划完成，学员能独立操作".into(),
                needs_follow_up: false,
            };
            store.record_attendance(&session.id, &form, now)?;
        }
    }
    // The leader's one-to-one, in their free time next week.
    let tuesday = next_weekday(today, chrono::Weekday::Tue);
    let start = service_midnight(tuesday) + Duration::hours(9);
    crate::app::training::save_session(
        store,
        None,
        &SessionForm {
            plan_id: plan.id.clone(),
            row_id: row(crate::training::plan::LEADERSHIP).unwrap_or_default(),
            title: "领导一对一：移动审批".into(),
            audience: crate::training::plan::LEADERSHIP.into(),
            trainer_id: team.trainers[0].clone(),
            room: "副局长办公室".into(),
            start: start.to_rfc3339(),
            end: (start + Duration::hours(1)).to_rfc3339(),
            mode: "one_to_one".into(),
            attendee_ids: vec![team.leader.clone()],
            ..Default::default()
        },
        now,
    )?;
    Ok(saved + 1)
}

/// `day`, or the Monday after it when it falls on a weekend.
fn working_day(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        chrono::Weekday::Sat => day + Duration::days(2),
        chrono::Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

/// The first `weekday` after `today`.
fn next_weekday(today: NaiveDate, weekday: chrono::Weekday) -> NaiveDate {
    let ahead =
        (7 + weekday.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    today + Duration::days(if ahead == 0 { 7 } else { ahead })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SignedDocument;

    #[test]
    fn the_sandbox_is_a_folder_of_its_own_filled_once_and_removed_whole() {
        let now = crate::now();
        let dir = tempfile::tempdir().unwrap();
        let real = Store::open_data_dir(Some(dir.path()), Access::Change, now).unwrap();
        assert!(!sandbox_exists(Some(dir.path())).unwrap());
        let sandbox = open_sandbox(Some(dir.path()), Access::Change, Lang::ZhCn, now).unwrap();
        let n = sandbox.list_incidents(&Default::default(), now).unwrap().total;
        assert!(sandbox.path().unwrap().starts_with(dir.path().join("sample")));
        drop(sandbox);
        // Opened again: the same sandbox, not filled twice; the real record has none of it.
        let again = open_sandbox(Some(dir.path()), Access::Change, Lang::ZhCn, now).unwrap();
        assert_eq!(again.list_incidents(&Default::default(), now).unwrap().total, n);
        assert_eq!(real.list_incidents(&Default::default(), now).unwrap().total, 0);
        drop(again);
        remove_sandbox(Some(dir.path())).unwrap();
        assert!(!sandbox_exists(Some(dir.path())).unwrap());
        assert!(real.path().unwrap().exists(), "the real database stays");
        remove_sandbox(Some(dir.path())).unwrap();
    }

    #[test]
    fn the_sandbox_fills_every_screen_with_numbers_of_its_own() {
        every_screen_has_numbers(crate::now());
    }

    /// The sandbox is made on any day of the week, at any hour, around a holiday too.
    #[test]
    fn the_sandbox_is_whole_whichever_day_it_is_made() {
        // 00:30 in Beijing, before any of the day's checks are due, over a week that ends on
        // the day after the National Day holiday.
        let first = "2026-10-02T16:30:00Z".parse::<DateTime<Utc>>().unwrap();
        for day in 0..7 {
            every_screen_has_numbers(first + Duration::days(day));
        }
    }

    fn every_screen_has_numbers(now: DateTime<Utc>) {
        let mut store = Store::open_in_memory(now).unwrap();
        let filled = fill_sandbox(&mut store, Lang::ZhCn, now).unwrap();
        assert!(filled.incidents > 50 && filled.people >= 13 && filled.sessions == 9, "{filled:?}");
        let settings = store.settings().unwrap();
        assert!(settings.sample && settings.set_up && settings.user_name == "张伟", "{settings:?}");
        let list = store.list_incidents(&Default::default(), now).unwrap();
        assert!(list.items.iter().all(|i| i.number.starts_with("DEMO-INC-")), "own numbering");
        assert!(store.training_plans().unwrap()[0].number.starts_with("DEMO-TP-"));
        assert_eq!(store.qa_samples(now).unwrap().len(), 1);
        assert!(filled.inspection_runs > 80, "{filled:?}");
        // The last working days' database checks read low, whatever the day the test runs on.
        let this_month = service_date(now).with_day(1).unwrap();
        let abnormal = [this_month, (this_month - Duration::days(1)).with_day(1).unwrap()].map(|month| {
            crate::app::inspection::month_figures(&store, month, Lang::ZhCn, now).unwrap().total.abnormal
        });
        assert!(abnormal.iter().sum::<u32>() >= 3, "{abnormal:?}");
        assert!(!store.assets().unwrap().is_empty());
        let plans = crate::app::contingency::catalogue(&store, Lang::ZhCn, now).unwrap();
        assert_eq!(plans.overdue, 1, "the overall plan's review is overdue");
        let at_work = list.items.iter().filter(|i| i.status.is_open()).any(|i| {
            store.get_incident(&i.id, now).unwrap().events.iter().any(|e| {
                matches!(&e.data, crate::timeline::EventData::StepDone { plan_id, step: 1, .. } if plan_id == SAMPLE_ACTIVATED_PLAN)
            })
        });
        assert!(at_work, "an open incident works through the database plan");
        let held = service_date(now) - Duration::days(SAMPLE_DRILL_DAYS_AGO);
        let drills = crate::app::drills::year(&store, held.year(), Lang::ZhCn, now).unwrap();
        let tabletop = drills.drills.iter().find(|r| r.drill.held).expect("a drill held");
        assert_eq!((tabletop.actions, tabletop.open_actions, tabletop.drill.log.len()), (2, 1, 3));
        assert!(tabletop.drill.number.starts_with("DEMO-DR-"));
        let called =
            crate::app::followup::period(&store, now - Duration::days(400), now + Duration::seconds(1))
                .unwrap();
        assert_eq!((called.calls, called.unhappy.len()), (12, 2), "{called:?}");
        assert_eq!(store.rotations().unwrap()[0].members.len(), 3);
        let month = crate::app::people::rota(&store, now - Duration::days(30), now).unwrap();
        assert!(
            month.coverage.desk_gaps.is_empty() && month.coverage.double_bookings.is_empty(),
            "{:?}",
            month.coverage
        );
        // Four months of records: the monthly report of last month has something to say.
        let last_month = (service_date(now).with_day(1).unwrap() - Duration::days(1)).with_day(1).unwrap();
        let draft = crate::app::documents::preview_monthly_report(
            &store,
            last_month,
            crate::quality::monthly::MajorList::Named,
            Lang::ZhCn,
            now,
        )
        .unwrap();
        let text = crate::report::tests::poppler("pdftotext", &draft.pdf);
        assert!(text.contains("示例数据"), "a sample document says so:\n{text}");
        for expected in ["例行运维（巡检与备份）", "客户系统备份：月度全量已完成", "客户回访"]
        {
            assert!(text.contains(&crate::report::tests::squash(expected)), "{expected:?} in:\n{text}");
        }
        if let Some(dir) = std::env::var_os("YUNWEI_REPORT_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("monthly-sample.pdf"), &draft.pdf).unwrap();
        }
        assert!(store.revisions(SignedDocument::MonthlyReport, None).unwrap().is_empty());
    }
}
