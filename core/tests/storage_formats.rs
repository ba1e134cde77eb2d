//! The JSON the store keeps in its rows (people, rotations, the SLA policy, the working
//! calendar, training audiences, plans and sessions, the events of an incident's timeline) is
//! written by the same types the window receives. This test pins that format to
//! `storage_formats.json`: renaming or reshaping a field for the UI fails here instead of
//! silently leaving every stored row unreadable. A deliberate change of a stored format needs a
//! migration of the rows (or a versioned struct that reads both) and then
//! `UPDATE_FORMATS=1 cargo test -p yunwei-core --test storage_formats`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use yunwei_core::calendar::WorkingCalendar;
use yunwei_core::contingency::ContingencyPlan;
use yunwei_core::level::Level;
use yunwei_core::people::{AvailabilityForm, CertificateForm, Person, PersonForm, SkillForm};
use yunwei_core::roster::{Rotation, RotationForm, ShiftForm};
use yunwei_core::sla::SlaPolicy;
use yunwei_core::timeline::{EventData, PlanKind, ReportFields};
use yunwei_core::training::plan::{
    builtin_audiences, AttendanceStatus, Attendee, Audience, Mode, Plan, PlanRow, Session,
};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 2, 30, 0).single().expect("a fixed value")
}

fn person(form: PersonForm) -> Person {
    Person { id: "p-1".into(), details: form.validate().expect("valid"), created_at: at(), updated_at: at() }
}

fn team_member() -> Person {
    person(PersonForm {
        kind: "team".into(),
        name: "张伟".into(),
        department: "implementation".into(),
        job_title: "实施工程师".into(),
        phone: "13812345678".into(),
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
        notes: "持有机房门禁".into(),
        ..Default::default()
    })
}

fn leader() -> Person {
    person(PersonForm {
        kind: "client".into(),
        name: "王局长".into(),
        organisation: "市政府".into(),
        client_department: "办公室".into(),
        position: "局长".into(),
        leader: true,
        availability: vec![
            AvailabilityForm {
                weekday: "2".into(),
                start: "14:00".into(),
                end: "16:00".into(),
                ..Default::default()
            },
            AvailabilityForm {
                date: "2026-12-03".into(),
                start: "09:00".into(),
                end: "10:00".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    })
}

fn rotation() -> Rotation {
    RotationForm {
        name: "7×24 值班".into(),
        members: vec!["p-1".into(), "p-2".into()],
        shifts: vec![
            ShiftForm { on: "workday".into(), start: "17:30".into(), end: "08:30".into() },
            ShiftForm { on: "rest_day".into(), start: "08:30".into(), end: "08:30".into() },
        ],
        handover: "08:30".into(),
        start_date: "2026-12-01".into(),
        desk: false,
    }
    .validate("r-1".into())
    .expect("valid")
}

fn plan() -> Plan {
    Plan {
        id: "tp-1".into(),
        number: "TP-2026-01".into(),
        title: "2026 年度培训计划".into(),
        start: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a fixed value"),
        end: NaiveDate::from_ymd_opt(2026, 12, 31).expect("a fixed value"),
        notes: "按合同第 7 条".into(),
        rows: vec![PlanRow {
            id: "row-1".into(),
            period: "系统上线前".into(),
            audience: "leadership".into(),
            content: "公文流转".into(),
            trainer: "李娜".into(),
        }],
        created_at: at(),
        updated_at: at(),
    }
}

fn session() -> Session {
    Session {
        id: "s-1".into(),
        plan_id: "tp-1".into(),
        row_id: Some("row-1".into()),
        title: "领导一对一：王局长".into(),
        audience: "leadership".into(),
        content: "公文流转".into(),
        trainer_id: Some("p-3".into()),
        trainer_name: "李娜".into(),
        room: "302 会议室".into(),
        start: at(),
        end: at() + Duration::hours(1),
        capacity: Some(1),
        mode: Mode::OneToOne,
        attendees: vec![Attendee {
            person_id: "p-2".into(),
            name: "王局长".into(),
            department: "办公室".into(),
            status: AttendanceStatus::Present,
            score: Some(92),
            passed: Some(true),
            rating: Some(5),
            comment: "已掌握".into(),
        }],
        materials: "操作手册 v2".into(),
        needs_follow_up: true,
        follow_up_of: None,
        outcome: "需再讲一次归档".into(),
        created_at: at(),
        updated_at: at(),
    }
}

fn events() -> Vec<EventData> {
    let report = ReportFields {
        fault_type: "应用故障".into(),
        cause: "连接池耗尽".into(),
        method: "重启并调整连接池".into(),
        losses: "停机 1 小时".into(),
        data_protection: "无数据丢失".into(),
        follow_up: "增加监控".into(),
        ..Default::default()
    };
    vec![
        EventData::Reported,
        EventData::Responded,
        EventData::plan_submitted(PlanKind::Emergency),
        EventData::OnSiteRequested,
        EventData::EngineerOnSite,
        EventData::Workaround { summary: "切换备用服务器".into() },
        EventData::Paused { reason: "等待客户".into() },
        EventData::Resumed,
        EventData::LevelChanged { from: Level::II, to: Level::I, reason: "影响全单位".into() },
        EventData::Assigned { person: "张伟".into(), person_id: Some("p-1".into()) },
        EventData::Note { text: "已联系厂商".into() },
        EventData::Resolved { summary: "重启服务".into() },
        EventData::Reopened { reason: "再次出现".into() },
        EventData::ReportSubmitted { report, revision: Some(2) },
        EventData::Closed,
    ]
}

/// The routine service's rows: a template (every kind of answer), a plan, a client backup, an
/// asset and a work order.
fn inspection_formats(formats: &mut Formats) {
    use yunwei_core::inspection::assets::{Asset, AssetKind, WorkKind, WorkOrder, WorkState};
    use yunwei_core::inspection::backups::{BackupKind, ClientBackup};
    use yunwei_core::inspection::template::{builtin_templates, Answer, Category, Item};
    use yunwei_core::inspection::{Assignee, Plan, Recurrence};
    let mut template = builtin_templates(yunwei_core::Lang::ZhCn).remove(2);
    template.items.truncate(2);
    template.items.push(Item {
        key: "mode".into(),
        category: Category::Application,
        title: "运行模式".into(),
        how: String::new(),
        answer: Answer::Choice {
            options: vec!["正常".into(), "降级".into()], abnormal: vec!["降级".into()]
        },
        required: false,
        attachment_when_abnormal: false,
        level: Level::III,
    });
    formats.add("inspection_templates.data", template);
    formats.add(
        "inspection_plans.data",
        Plan {
            id: "ip-1".into(),
            name: "数据库日检".into(),
            template_id: "builtin-daily-database".into(),
            recurrence: Recurrence::MonthlyNth { nth: -1, weekday: 5, every_months: 1 },
            first_date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            due_time: chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            assignee: Assignee::Person { id: "p-1".into() },
            relay_id: Some("p-2".into()),
            asset_id: Some("a-1".into()),
            active: true,
            created_at: at(),
            updated_at: at(),
        },
    );
    formats.add(
        "client_backups.data",
        ClientBackup {
            id: "b-1".into(),
            kind: BackupKind::Full,
            system: "OA 数据库".into(),
            asset_id: Some("a-1".into()),
            started_at: at(),
            finished_at: at() + Duration::minutes(70),
            size_bytes: Some(195_421_011_968),
            checksum: "sha256:ab12".into(),
            location: "备份服务器 BAK-02".into(),
            off_server: true,
            succeeded: true,
            made_by: "李强".into(),
            note: String::new(),
            created_at: at(),
        },
    );
    formats.add(
        "assets.data",
        Asset {
            id: "a-1".into(),
            kind: AssetKind::Database,
            name: "OA 数据库".into(),
            owner_id: Some("p-1".into()),
            location: "机房 A-3".into(),
            maintenance_days: Some(90),
            note: String::new(),
            retired: false,
            created_at: at(),
            updated_at: at(),
        },
    );
    formats.add(
        "work_orders.data",
        WorkOrder {
            id: "w-1".into(),
            number: "WO-2026-0001".into(),
            kind: WorkKind::Hardware,
            asset_id: Some("a-1".into()),
            title: "更换硬盘".into(),
            reason: "RAID 预警".into(),
            window_start: at(),
            window_end: at() + Duration::hours(2),
            risk: "热插拔".into(),
            rollback: "保留原盘".into(),
            state: WorkState::Done,
            requested_by: "王磊".into(),
            approved_by: "张伟".into(),
            approved_at: Some(at()),
            done_by: "李强".into(),
            done_at: Some(at()),
            result: "已更换".into(),
            rolled_back: false,
            routine_date: Some(NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")),
            created_at: at(),
            updated_at: at(),
        },
    );
}

/// Reads one value back from the pinned JSON: `Err` says what does not read.
type ReadBack = Box<dyn Fn(&Value) -> Result<(), String>>;

/// Each stored value as the store writes it, and a check that the pinned JSON reads back to it.
struct Formats {
    written: BTreeMap<String, Value>,
    reads: Vec<ReadBack>,
}

impl Formats {
    fn add<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + 'static>(
        &mut self,
        name: &str,
        value: T,
    ) {
        self.written.insert(name.to_owned(), serde_json::to_value(&value).expect("json"));
        let name = name.to_owned();
        self.reads.push(Box::new(move |pinned| {
            let read: T =
                serde_json::from_value(pinned[&name].clone()).map_err(|e| format!("{name}: {e}"))?;
            (read == value).then_some(()).ok_or_else(|| format!("{name} reads back as {read:?}"))
        }));
    }
}

#[test]
fn stored_rows_keep_their_format() {
    let mut formats = Formats { written: BTreeMap::new(), reads: Vec::new() };
    formats.add("people.data (team member)", team_member());
    formats.add("people.data (client leader)", leader());
    formats.add("rotations.data", rotation());
    formats.add("sla_policies.policy", SlaPolicy::contract_default());
    // The calendar's shape, not this year's holidays: one of each list.
    let mut calendar = WorkingCalendar::china_default();
    calendar.holidays.truncate(1);
    calendar.adjusted_workdays.truncate(1);
    formats.add("calendars.calendar (working)", calendar);
    formats.add::<Audience>("training_audiences.data", builtin_audiences().remove(0));
    formats.add("training_plans.data", plan());
    formats.add("training_sessions.data", session());
    formats.add("incident_events.payload, one of each kind", events());
    formats.add(
        "incident_events.payload (report_submitted with categories)",
        EventData::ReportSubmitted {
            report: ReportFields {
                fault_type: "主库连接数耗尽".into(),
                fault_type_code: "DB".into(),
                cause_code: "CAP-RES".into(),
                method: "扩大连接池".into(),
                losses: "无".into(),
                ..Default::default()
            },
            revision: Some(1),
        },
    );
    formats.add(
        "incident_events.payload (plan_submitted with its text and the plan it follows)",
        EventData::PlanSubmitted {
            plan: yunwei_core::timeline::PlanKind::Handling,
            text: "备份数据文件后重新安装客户端".into(),
            contingency: Some("builtin-app-start".into()),
        },
    );
    let app_start = yunwei_core::contingency::builtin_plans(yunwei_core::Lang::ZhCn).remove(1);
    formats.add(
        "incident_events.payload (plan_activated)",
        EventData::PlanActivated {
            plan_id: app_start.id.clone(),
            name: app_start.name.clone(),
            version: 1,
            steps: app_start.steps[..2].to_vec(),
        },
    );
    formats.add(
        "incident_events.payload (step_done)",
        EventData::StepDone {
            plan_id: app_start.id.clone(),
            step: 0,
            title: app_start.steps[0].title.clone(),
            person: "李强".into(),
        },
    );
    formats.add("contingency_plans.data", ContingencyPlan { saved_at: Some(at()), ..app_start });
    inspection_formats(&mut formats);
    formats.add(
        "follow_ups.data",
        yunwei_core::followup::FollowUp {
            id: "f-1".into(),
            incident_id: "i-1".into(),
            satisfaction: 2,
            comment: "首次电话无人接听".into(),
            called_by: "周婷".into(),
            contact: "陈刚".into(),
            called_at: at(),
            created_at: at(),
        },
    );

    formats.add(
        "drills.data",
        yunwei_core::drill::Drill {
            id: "d-1".into(),
            number: "DR-2026-01".into(),
            date: at().date_naive(),
            kind: yunwei_core::drill::DrillKind::Tabletop,
            scope: yunwei_core::drill::DrillScope::Special,
            plan_id: "builtin-database".into(),
            plan_name: "数据库故障专项应急预案".into(),
            plan_version: 1,
            scenario: "主库宕机".into(),
            target_minutes: Some(120),
            achieved_minutes: Some(95),
            participants: vec![yunwei_core::drill::Participant {
                person_id: "p-1".into(),
                name: "王伟".into(),
                department: "implementation".into(),
                role: "指挥".into(),
                status: yunwei_core::training::plan::AttendanceStatus::Late,
            }],
            log: vec![yunwei_core::drill::LogEntry {
                at: at(),
                text: "宣布演练开始".into(),
                by: "王伟".into(),
            }],
            held: true,
            verdict: Some(yunwei_core::drill::DrillVerdict::Partly),
            evaluation: "基本达到".into(),
        },
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/storage_formats.json");
    let fresh = serde_json::to_string_pretty(&formats.written).expect("json") + "\n";
    if std::env::var_os("UPDATE_FORMATS").is_some() {
        std::fs::write(&path, &fresh).expect("write");
        return;
    }
    let pinned_text = std::fs::read_to_string(&path).expect("tests/storage_formats.json");
    let pinned: Value = serde_json::from_str(&pinned_text).expect("pinned JSON");
    // Rows written before still read, to the same values…
    for read in &formats.reads {
        read(&pinned).unwrap_or_else(|e| panic!("a stored row no longer reads: {e}"));
    }
    // …and rows written now are written as before.
    for (name, value) in &formats.written {
        assert_eq!(
            &pinned[name], value,
            "the stored format of {name} changed; migrate the rows (or read both shapes), then UPDATE_FORMATS=1"
        );
    }
}
