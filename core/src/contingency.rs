//! Emergency plans (应急预案): the catalogue the service plan promises — per risk type the
//! event, its prevention and its handling — with the response steps an incident works through
//! when a plan is activated on it, recovery targets, approval and a review date.
//!
//! A plan is kept as versions: saving one makes the next version, and an incident that
//! activated version 2 keeps a copy of its steps in its own timeline (see
//! [`crate::timeline::EventData::PlanActivated`]), so later edits never change a record.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::level::Level;
use crate::people::Department;
use crate::text::Kind;
use crate::{Error, Lang, Result};

/// Built-in plans' ids start with this.
pub const BUILTIN_PREFIX: &str = "builtin-";
/// The built-in "data recovery" plan, which the restore drills of the backups exercise.
pub const DATA_RECOVERY: &str = "builtin-data-recovery";
pub const NAME_MAX_CHARS: usize = 100;
pub const TEXT_MAX_CHARS: usize = 2000;
pub const STEPS_MAX: usize = 40;
/// A review falling due within this many days is announced ahead.
pub const REVIEW_NOTICE_DAYS: i64 = 30;

/// The three tiers of a plan system (GB/T 29639).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ContingencyKind {
    /// 综合预案
    Overall,
    /// 专项预案
    Special,
    /// 现场处置方案
    OnSite,
}

impl ContingencyKind {
    pub const ALL: [ContingencyKind; 3] =
        [ContingencyKind::Overall, ContingencyKind::Special, ContingencyKind::OnSite];

    pub fn code(self) -> &'static str {
        match self {
            ContingencyKind::Overall => "overall",
            ContingencyKind::Special => "special",
            ContingencyKind::OnSite => "on_site",
        }
    }

    pub fn from_code(code: &str) -> Option<ContingencyKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ContingencyKind::Overall => lang.pick("综合预案", "Overall plan"),
            ContingencyKind::Special => lang.pick("专项预案", "Special plan"),
            ContingencyKind::OnSite => lang.pick("现场处置方案", "On-site procedure"),
        }
    }
}

/// One response step: what to do, by whom (a roster department), whom to call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Step {
    pub title: String,
    /// A [`Department`] code; empty when anyone on duty may do it.
    #[serde(default)]
    pub role: String,
    /// Whom to call (a name and a number), free text.
    #[serde(default)]
    pub contact: String,
}

/// One plan, at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContingencyPlan {
    pub id: String,
    pub version: u32,
    pub name: String,
    pub kind: ContingencyKind,
    /// 类型 of the plan's table (应用软件, 数据库…).
    pub risk_type: String,
    /// 事件: what happens.
    pub event: String,
    /// 预防措施
    pub prevention: String,
    /// 处理: the handling in a sentence, as the table says it.
    pub handling: String,
    /// Incident levels that should activate it (empty: any).
    pub trigger_levels: Vec<Level>,
    /// Fault-type category codes that should activate it (empty: any).
    pub trigger_fault_types: Vec<String>,
    pub steps: Vec<Step>,
    /// People, spares, software and documents to have at hand.
    pub resources: String,
    /// Recovery time objective, minutes.
    pub rto_minutes: Option<u32>,
    /// Recovery point objective, minutes of data that may be lost.
    pub rpo_minutes: Option<u32>,
    pub approved_by: String,
    pub approved_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub review_due: Option<NaiveDate>,
    /// Withdrawn plans stay on file for the incidents that used them.
    pub active: bool,
    /// When this version was saved (the built-ins: never).
    pub saved_at: Option<DateTime<Utc>>,
}

/// Where a plan's review stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// No review date set.
    Unset,
    Current,
    /// Due within [`REVIEW_NOTICE_DAYS`].
    DueSoon,
    Overdue,
}

impl ContingencyPlan {
    pub fn is_builtin(&self) -> bool {
        self.id.starts_with(BUILTIN_PREFIX)
    }

    /// Where its review stands on `today`.
    pub fn review(&self, today: NaiveDate) -> Review {
        match self.review_due {
            None => Review::Unset,
            Some(due) if due < today => Review::Overdue,
            Some(due) if due <= today + Duration::days(REVIEW_NOTICE_DAYS) => Review::DueSoon,
            Some(_) => Review::Current,
        }
    }

    /// Whether it fits an incident of `level` (and, once known, fault type `fault_type`).
    pub fn fits(&self, level: Level, fault_type: &str) -> bool {
        (self.trigger_levels.is_empty() || self.trigger_levels.contains(&level))
            && (self.trigger_fault_types.is_empty()
                || fault_type.is_empty()
                || self.trigger_fault_types.iter().any(|t| t == fault_type))
    }

    /// "《name》第 N 版", as records name it.
    pub fn title(&self, lang: Lang) -> String {
        titled(&self.name, self.version, lang)
    }

    /// Refuses to put a withdrawn plan to work.
    pub fn check_in_force(&self) -> Result<()> {
        if self.active {
            return Ok(());
        }
        let field = FieldError::new("plan_id", Rule::Unknown { value: self.name.clone() });
        Err(Error::invalid(vec![field], labels))
    }
}

/// A plan's name and version as records print them.
pub fn titled(name: &str, version: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("《{name}》第 {version} 版"),
        Lang::En => format!("“{name}” version {version}"),
    }
}

/// The plan form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ContingencyForm {
    pub name: String,
    /// A [`ContingencyKind`] code.
    pub kind: String,
    pub risk_type: String,
    pub event: String,
    pub prevention: String,
    pub handling: String,
    /// Level codes (`I`…`IV`).
    pub trigger_levels: Vec<String>,
    pub trigger_fault_types: Vec<String>,
    pub steps: Vec<Step>,
    pub resources: String,
    /// Whole minutes; empty when not set.
    pub rto_minutes: String,
    pub rpo_minutes: String,
    pub approved_by: String,
    /// `YYYY-MM-DD` or empty.
    pub approved_on: String,
    pub effective_on: String,
    pub review_due: String,
    pub active: bool,
}

impl ContingencyForm {
    /// Checks the form; `id` and `version` are the saved plan's. Fault-type codes are checked
    /// against the category list by the store.
    pub fn validate(&self, id: &str, version: u32, now: DateTime<Utc>) -> Result<ContingencyPlan> {
        let mut errors = Vec::new();
        let line = |errors: &mut Vec<FieldError>, field: &'static str, value: &str, required: bool| {
            crate::text::check(errors, field, value, NAME_MAX_CHARS, required, Kind::Line)
        };
        let name = line(&mut errors, "name", &self.name, true);
        let risk_type = line(&mut errors, "risk_type", &self.risk_type, true);
        let event = line(&mut errors, "event", &self.event, true);
        let approved_by = line(&mut errors, "approved_by", &self.approved_by, false);
        let block = |errors: &mut Vec<FieldError>, field: &'static str, value: &str, required: bool| {
            crate::text::check(errors, field, value, TEXT_MAX_CHARS, required, Kind::Block)
        };
        let prevention = block(&mut errors, "prevention", &self.prevention, true);
        let handling = block(&mut errors, "handling", &self.handling, true);
        let resources = block(&mut errors, "resources", &self.resources, false);
        let kind = ContingencyKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::NotChosen));
        }
        let mut trigger_levels = Vec::new();
        for code in &self.trigger_levels {
            match Level::from_code(code.trim()) {
                Some(level) if !trigger_levels.contains(&level) => trigger_levels.push(level),
                Some(_) => {}
                None => errors.push(FieldError::new("trigger_levels", Rule::Unknown { value: code.clone() })),
            }
        }
        trigger_levels.sort_by_key(|l| l.code());
        let mut trigger_fault_types: Vec<String> =
            self.trigger_fault_types.iter().map(|c| crate::text::trim(c).to_uppercase()).collect();
        trigger_fault_types.sort();
        trigger_fault_types.dedup();
        trigger_fault_types.retain(|c| !c.is_empty());
        if self.steps.is_empty() {
            errors.push(FieldError::new("steps", Rule::Required));
        } else if self.steps.len() > STEPS_MAX {
            errors.push(FieldError::new("steps", Rule::OutOfRange { min: 1, max: STEPS_MAX as i64 }));
        }
        let steps = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let field = |name: &str| format!("steps.{i}.{name}");
                let title = crate::text::check(
                    &mut errors,
                    field("title"),
                    &step.title,
                    TEXT_MAX_CHARS,
                    true,
                    Kind::Line,
                );
                let contact = crate::text::check(
                    &mut errors,
                    field("contact"),
                    &step.contact,
                    NAME_MAX_CHARS,
                    false,
                    Kind::Line,
                );
                let role = step.role.trim().to_owned();
                if !role.is_empty() && Department::from_code(&role).is_none() {
                    errors.push(FieldError::new(field("role"), Rule::Unknown { value: role.clone() }));
                }
                Step { title, role, contact }
            })
            .collect();
        let mut minutes = |field: &'static str, value: &str| -> Option<u32> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            match value.parse::<u32>() {
                Ok(m) if m <= 525_600 => Some(m),
                _ => {
                    errors.push(FieldError::new(field, Rule::NotANumber));
                    None
                }
            }
        };
        let rto_minutes = minutes("rto_minutes", &self.rto_minutes);
        let rpo_minutes = minutes("rpo_minutes", &self.rpo_minutes);
        let mut date = |field: &'static str, value: &str| -> Option<NaiveDate> {
            if value.trim().is_empty() {
                None
            } else {
                crate::text::required_date(&mut errors, field, value)
            }
        };
        let approved_on = date("approved_on", &self.approved_on);
        let effective_on = date("effective_on", &self.effective_on);
        let review_due = date("review_due", &self.review_due);
        if let (Some(effective), Some(review)) = (effective_on, review_due) {
            if review <= effective {
                errors.push(FieldError::new("review_due", Rule::DatesOutOfOrder));
            }
        }
        if !approved_by.is_empty() && approved_on.is_none() {
            errors.push(FieldError::new("approved_on", Rule::Required));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(ContingencyPlan {
                id: id.to_owned(),
                version,
                name,
                kind,
                risk_type,
                event,
                prevention,
                handling,
                trigger_levels,
                trigger_fault_types,
                steps,
                resources,
                rto_minutes,
                rpo_minutes,
                approved_by,
                approved_on,
                effective_on,
                review_due,
                active: self.active,
                saved_at: Some(now),
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

impl From<&ContingencyPlan> for ContingencyForm {
    fn from(plan: &ContingencyPlan) -> ContingencyForm {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let minutes = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
        ContingencyForm {
            name: plan.name.clone(),
            kind: plan.kind.code().into(),
            risk_type: plan.risk_type.clone(),
            event: plan.event.clone(),
            prevention: plan.prevention.clone(),
            handling: plan.handling.clone(),
            trigger_levels: plan.trigger_levels.iter().map(|l| l.code().to_owned()).collect(),
            trigger_fault_types: plan.trigger_fault_types.clone(),
            steps: plan.steps.clone(),
            resources: plan.resources.clone(),
            rto_minutes: minutes(plan.rto_minutes),
            rpo_minutes: minutes(plan.rpo_minutes),
            approved_by: plan.approved_by.clone(),
            approved_on: date(plan.approved_on),
            effective_on: date(plan.effective_on),
            review_due: date(plan.review_due),
            active: plan.active,
        }
    }
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    Some(match last {
        "name" => lang.pick("预案名称", "Plan name"),
        "kind" => lang.pick("预案类别", "Kind"),
        "risk_type" => lang.pick("类型", "Risk type"),
        "event" => lang.pick("事件", "Event"),
        "prevention" => lang.pick("预防措施", "Prevention"),
        "handling" => lang.pick("处理", "Handling"),
        "trigger_levels" => lang.pick("适用故障级别", "Levels it applies to"),
        "trigger_fault_types" => lang.pick("适用故障种类", "Fault types it applies to"),
        "steps" => lang.pick("处置步骤", "Response steps"),
        "title" => lang.pick("步骤内容", "Step"),
        "role" => lang.pick("负责部门", "Role"),
        "contact" => lang.pick("联系人", "Contact"),
        "resources" => lang.pick("应急资源", "Resources"),
        "rto_minutes" => lang.pick("恢复时间目标（分钟）", "Recovery time objective (minutes)"),
        "rpo_minutes" => lang.pick("恢复点目标（分钟）", "Recovery point objective (minutes)"),
        "approved_by" => lang.pick("批准人", "Approved by"),
        "approved_on" => lang.pick("批准日期", "Approved on"),
        "effective_on" => lang.pick("生效日期", "Effective from"),
        "review_due" => lang.pick("下次评审日期", "Review due"),
        "plan_id" => lang.pick("应急预案", "Emergency plan"),
        "step" => lang.pick("处置步骤", "Response step"),
        "person" => lang.pick("执行人", "Done by"),
        _ => return None,
    })
}

/// The plans of the service plan's prevention table (§5), in `lang`: version 1 of each.
pub fn builtin_plans(lang: Lang) -> Vec<ContingencyPlan> {
    use Department::*;
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_owned();
    let step = |role: Department, zh: &'static str, en: &'static str| Step {
        title: lang.pick(zh, en).to_owned(),
        role: role.code().to_owned(),
        contact: String::new(),
    };
    let plan =
        |code: &str, kind: ContingencyKind, name: String, risk: String, event: String| ContingencyPlan {
            id: format!("{BUILTIN_PREFIX}{code}"),
            version: 1,
            name,
            kind,
            risk_type: risk,
            event,
            prevention: String::new(),
            handling: String::new(),
            trigger_levels: vec![],
            trigger_fault_types: vec![],
            steps: vec![],
            resources: String::new(),
            rto_minutes: None,
            rpo_minutes: None,
            approved_by: String::new(),
            approved_on: None,
            effective_on: None,
            review_due: None,
            active: true,
            saved_at: None,
        };
    vec![
        ContingencyPlan {
            prevention: p(
                "明确应急组织和值班制度；各类故障按等级上报；定期巡检、备份和演练。",
                "A standing emergency organisation and duty rota; faults reported by level; regular inspections, backups and drills.",
            ),
            handling: p(
                "按故障等级启动相应专项预案或现场处置方案，项目经理统一指挥，处置完毕后提交故障处理报告。",
                "Activate the special plan or on-site procedure for the fault's level; the PM leads; a report follows.",
            ),
            trigger_levels: vec![Level::I],
            steps: vec![
                step(ProjectManager, "项目经理确认故障等级，宣布启动应急响应", "PM confirms the level and declares the emergency response"),
                step(CustomerService, "通知客户方联系人和受影响部门", "Notify the client's contacts and the affected departments"),
                step(Implementation, "组织技术人员定位故障，启动对应专项预案", "Engineers locate the fault and activate the special plan"),
                step(ProjectManager, "每 2 小时向客户通报处置进展", "Report progress to the client every 2 hours"),
                step(Quality, "恢复后验证业务，整理故障处理报告", "Verify the service after recovery and prepare the incident report"),
            ],
            resources: p("应急通讯录、值班表、备品备件清单、系统配置文档", "Emergency contact list, duty rota, spares list, system configuration documents"),
            rto_minutes: Some(720),
            ..plan(
                "overall",
                ContingencyKind::Overall,
                p("OA 系统运维综合应急预案", "OA service overall emergency plan"),
                p("综合", "Overall"),
                p("I 级故障或多个系统同时中断", "A level I fault or several systems down at once"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "上门人员提前准备好各类需维护软件安装程序",
                "On-site staff keep installers of every maintained program ready",
            ),
            handling: p("将应用软件数据文件备份后，重新安装", "Back up the application's data files, then reinstall"),
            trigger_fault_types: vec!["APP".into()],
            steps: vec![
                step(Implementation, "确认故障现象，记录错误提示和日志", "Confirm the symptom; record the error message and logs"),
                step(Implementation, "备份应用软件数据文件和配置文件", "Back up the application's data and configuration files"),
                step(Implementation, "卸载并使用准备好的安装程序重新安装应用软件", "Uninstall and reinstall from the prepared installer"),
                step(Implementation, "恢复数据文件和配置，启动软件验证", "Restore the data and configuration; start and verify"),
                step(CustomerService, "请用户确认可正常使用，记录处理结果", "Have the user confirm it works; record the outcome"),
            ],
            resources: p("各版本软件安装程序、授权文件、数据备份介质", "Installers of every version, licence files, backup media"),
            rto_minutes: Some(120),
            rpo_minutes: Some(0),
            ..plan(
                "app-start",
                ContingencyKind::OnSite,
                p("应用软件无法启动现场处置方案", "Application will not start: on-site procedure"),
                p("应用软件", "Application software"),
                p("无法启动软件可执行文件", "The program's executable will not start"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "每日检查数据库空间、连接数和日志；每月全量、每周增量备份并异机保存",
                "Daily checks of database space, connections and logs; monthly full and weekly incremental backups kept on another machine",
            ),
            handling: p(
                "切换至备用库或重启数据库服务；数据损坏时按数据恢复预案恢复",
                "Fail over or restart the database service; if data is damaged, follow the data recovery plan",
            ),
            trigger_fault_types: vec!["DB".into()],
            steps: vec![
                step(Implementation, "检查数据库服务、监听和告警日志", "Check the database service, listener and alert log"),
                step(Implementation, "释放空间或终止异常会话，必要时重启数据库服务", "Free space or kill runaway sessions; restart the service if needed"),
                step(Implementation, "无法恢复时切换至备用库", "Fail over to the standby if it cannot be recovered"),
                step(CustomerService, "通知用户恢复情况", "Tell the users the service is back"),
            ],
            resources: p("数据库管理员账号、备用库、备份介质", "DBA accounts, standby database, backup media"),
            rto_minutes: Some(240),
            rpo_minutes: Some(60),
            ..plan(
                "database",
                ContingencyKind::Special,
                p("数据库故障专项应急预案", "Database failure special plan"),
                p("数据库", "Database"),
                p("数据库服务停止或无法连接", "The database service stops or refuses connections"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "每日巡检服务器硬件状态和磁盘空间；关键部件备有备件",
                "Daily checks of server hardware and disk space; spares for key parts",
            ),
            handling: p("更换故障部件或将业务迁移至备用服务器", "Replace the failed part or move the service to a standby server"),
            trigger_fault_types: vec!["SRV".into()],
            steps: vec![
                step(Implementation, "确认宕机范围，检查硬件告警", "Confirm what is down; read the hardware alarms"),
                step(Implementation, "联系硬件厂商报修并准备备件", "Call the hardware vendor; get the spare ready"),
                step(Implementation, "必要时将业务迁移至备用服务器", "Move the service to the standby server if needed"),
                step(Quality, "恢复后验证各项业务", "Verify every service after recovery"),
            ],
            resources: p("备用服务器、备品备件、厂商服务电话", "Standby server, spare parts, vendor hotline"),
            rto_minutes: Some(480),
            ..plan(
                "server",
                ContingencyKind::Special,
                p("服务器故障专项应急预案", "Server failure special plan"),
                p("服务器", "Server"),
                p("服务器宕机或硬件故障", "A server is down or its hardware fails"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "核心网络设备冗余配置；定期检查线路和设备状态；保存设备配置备份",
                "Redundant core network devices; regular line and device checks; device configurations backed up",
            ),
            handling: p("切换备用线路或设备，恢复配置", "Switch to the backup line or device; restore its configuration"),
            trigger_fault_types: vec!["NET".into()],
            steps: vec![
                step(Implementation, "判断中断范围（单点、楼层或全网）", "Find how far the outage reaches (one point, a floor, everything)"),
                step(Implementation, "检查核心设备和线路，切换备用线路", "Check the core devices and lines; switch to the backup line"),
                step(CustomerService, "联系运营商或客户网络管理员", "Call the carrier or the client's network administrator"),
                step(CustomerService, "通知用户网络恢复", "Tell the users the network is back"),
            ],
            resources: p("备用线路、交换机配置备份、运营商联系方式", "Backup line, switch configuration backups, carrier contacts"),
            rto_minutes: Some(120),
            ..plan(
                "network",
                ContingencyKind::Special,
                p("网络中断专项应急预案", "Network outage special plan"),
                p("网络", "Network"),
                p("网络中断，用户无法访问 OA", "The network is down; users cannot reach the OA system"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "及时更新病毒库和系统补丁；定期审查账号和登录日志",
                "Keep virus signatures and patches current; review accounts and login logs regularly",
            ),
            handling: p("隔离受感染主机，查杀病毒，从备份恢复受损数据", "Isolate infected hosts, clean them, restore damaged data from backup"),
            trigger_levels: vec![Level::I, Level::II],
            trigger_fault_types: vec!["SEC".into()],
            steps: vec![
                step(Implementation, "断开受感染或被攻击主机的网络", "Disconnect the infected or attacked hosts"),
                step(ProjectManager, "报告客户信息安全负责人", "Report to the client's security officer"),
                step(Implementation, "查杀病毒、修补漏洞、修改相关口令", "Clean, patch and change the passwords involved"),
                step(Implementation, "按数据恢复预案恢复受损数据", "Restore damaged data by the data recovery plan"),
                step(Quality, "留存日志和证据，形成安全事件报告", "Keep the logs and evidence; write the security incident report"),
            ],
            resources: p("杀毒软件离线安装包、系统补丁、应急启动盘", "Offline antivirus installers, patches, rescue media"),
            rto_minutes: Some(480),
            rpo_minutes: Some(1440),
            ..plan(
                "security",
                ContingencyKind::Special,
                p("病毒与网络攻击专项应急预案", "Virus and attack special plan"),
                p("安全与病毒", "Security and viruses"),
                p("感染病毒或遭受网络攻击", "A virus infection or a network attack"),
            )
        },
        ContingencyPlan {
            prevention: p(
                "每月全量备份、每周增量备份，重要文件异机保存；每季度做一次恢复测试",
                "Full backup monthly, incremental weekly, important files kept on another machine; a restore test every quarter",
            ),
            handling: p("从最近的有效备份恢复数据，核对数据完整性", "Restore from the latest good backup; check the data is whole"),
            trigger_fault_types: vec!["DATA".into()],
            steps: vec![
                step(Implementation, "停止写入，保护现场，评估数据损失范围", "Stop writes, keep the scene, assess what was lost"),
                step(Implementation, "选定最近的有效备份并校验其完整性", "Pick the latest good backup and verify it"),
                step(Implementation, "在备用环境恢复数据并核对", "Restore into a standby environment and check"),
                step(Implementation, "切换回生产环境，补录备份之后的数据", "Switch back to production; re-enter what came after the backup"),
                step(CustomerService, "请用户核对关键数据，记录恢复结果", "Have users check key data; record the outcome"),
            ],
            resources: p("全量和增量备份介质、备用服务器、恢复操作手册", "Full and incremental backup media, standby server, restore runbook"),
            rto_minutes: Some(480),
            rpo_minutes: Some(1440),
            ..plan(
                "data-recovery",
                ContingencyKind::Special,
                p("数据恢复专项应急预案", "Data recovery special plan"),
                p("数据", "Data"),
                p("数据丢失或损坏", "Data is lost or damaged"),
            )
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContingencyForm {
        ContingencyForm::from(&builtin_plans(Lang::ZhCn)[1])
    }

    #[test]
    fn the_built_ins_are_whole_in_both_languages() {
        for lang in [Lang::ZhCn, Lang::En] {
            let plans = builtin_plans(lang);
            assert!(plans.iter().any(|p| p.id == DATA_RECOVERY));
            for plan in &plans {
                let again = ContingencyForm::from(plan).validate(&plan.id, 1, crate::now());
                assert!(again.is_ok(), "{}: {:?}", plan.id, again.err().map(|e| e.field_names()));
            }
        }
        let app = &builtin_plans(Lang::ZhCn)[1];
        assert_eq!((app.risk_type.as_str(), app.event.as_str()), ("应用软件", "无法启动软件可执行文件"));
        assert_eq!(app.handling, "将应用软件数据文件备份后，重新安装");
    }

    #[test]
    fn the_form_refuses_what_a_plan_cannot_be() {
        let bad = ContingencyForm {
            name: String::new(),
            kind: "drill".into(),
            trigger_levels: vec!["V".into()],
            steps: vec![Step { title: " ".into(), role: "cook".into(), contact: String::new() }],
            rto_minutes: "soon".into(),
            approved_by: "王主任".into(),
            effective_on: "2026-12-01".into(),
            review_due: "2026-11-01".into(),
            ..form()
        };
        let fields = bad.validate("p", 1, crate::now()).unwrap_err().field_names();
        assert_eq!(
            fields,
            vec![
                "name",
                "kind",
                "trigger_levels",
                "steps.0.title",
                "steps.0.role",
                "rto_minutes",
                "review_due",
                "approved_on"
            ]
        );
        let none = ContingencyForm { steps: vec![], ..form() }.validate("p", 1, crate::now()).unwrap_err();
        assert_eq!(none.field_names(), vec!["steps"]);
    }

    #[test]
    fn reviews_fall_due_and_overdue() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut plan = builtin_plans(Lang::ZhCn).remove(0);
        let today = day("2026-12-06");
        assert_eq!(plan.review(today), Review::Unset);
        plan.review_due = Some(day("2027-03-01"));
        assert_eq!(plan.review(today), Review::Current);
        plan.review_due = Some(day("2027-01-05"));
        assert_eq!(plan.review(today), Review::DueSoon);
        plan.review_due = Some(today);
        assert_eq!(plan.review(today), Review::DueSoon, "due today is not yet overdue");
        plan.review_due = Some(day("2026-12-05"));
        assert_eq!(plan.review(today), Review::Overdue);
    }

    #[test]
    fn a_plan_fits_by_level_and_fault_type() {
        let plans = builtin_plans(Lang::ZhCn);
        let security = plans.iter().find(|p| p.id == "builtin-security").unwrap();
        assert!(security.fits(Level::I, ""), "fault type not known yet");
        assert!(security.fits(Level::II, "SEC"));
        assert!(!security.fits(Level::III, "SEC"));
        assert!(!security.fits(Level::I, "NET"));
        assert!(plans[1].fits(Level::IV, "APP"));
    }
}
