//! Check-list templates (巡检模板): what a run asks, how each answer is judged, and the six
//! built in from the service plan. Templates are versioned: editing one saves a new version and a
//! run keeps the version it was made with.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Rule;
use crate::level::Level;
use crate::text::Kind;
use crate::{Error, FieldError, Lang, Result};

pub const NAME_MAX_CHARS: usize = 60;
pub const TEXT_MAX_CHARS: usize = 500;
pub const ITEMS_MAX: usize = 100;
/// The id prefix of the templates that ship with the app.
pub const BUILTIN_PREFIX: &str = "builtin-";

/// What an item looks at (the service plan's areas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "CheckCategory")]
pub enum Category {
    Server,
    Database,
    Logs,
    Network,
    Backup,
    Application,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Server,
        Category::Database,
        Category::Logs,
        Category::Network,
        Category::Backup,
        Category::Application,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Server => "server",
            Category::Database => "database",
            Category::Logs => "logs",
            Category::Network => "network",
            Category::Backup => "backup",
            Category::Application => "application",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Category::Server => lang.pick("服务器及设备", "Servers and equipment"),
            Category::Database => lang.pick("数据库", "Database"),
            Category::Logs => lang.pick("系统日志", "System logs"),
            Category::Network => lang.pick("网络", "Network"),
            Category::Backup => lang.pick("备份", "Backup"),
            Category::Application => lang.pick("OA 应用", "OA application"),
        }
    }
}

/// The kind of answer an item takes and what counts as normal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "CheckAnswer")]
pub enum Answer {
    /// `pass` or `fail`.
    PassFail,
    /// A reading; outside `[min, max]` (either may be open) is abnormal.
    Number {
        unit: String,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// One of `options`; those in `abnormal` are abnormal.
    Choice {
        options: Vec<String>,
        abnormal: Vec<String>,
    },
    Text,
}

/// One line of a check-list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "CheckItem")]
pub struct Item {
    /// Stable within the template across versions, so trends follow an item.
    pub key: String,
    pub category: Category,
    pub title: String,
    /// How to check (where to look, what command to run).
    pub how: String,
    pub answer: Answer,
    pub required: bool,
    /// An abnormal answer needs a photo or a log excerpt.
    pub attachment_when_abnormal: bool,
    /// The incident level an abnormal answer suggests.
    pub level: Level,
}

/// A check-list at one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "CheckTemplate")]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub name: String,
    pub description: String,
    pub items: Vec<Item>,
}

impl Template {
    pub fn is_builtin(&self) -> bool {
        self.id.starts_with(BUILTIN_PREFIX)
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }
}

/// The template form as filled in. Items keep their `key` when edited; a new item's key is
/// empty and made from its position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(rename = "CheckTemplateForm")]
pub struct TemplateForm {
    pub name: String,
    pub description: String,
    pub items: Vec<ItemForm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(rename = "CheckItemForm")]
pub struct ItemForm {
    pub key: String,
    /// One of the [`Category`] codes.
    pub category: String,
    pub title: String,
    pub how: String,
    pub answer: Answer,
    pub required: bool,
    pub attachment_when_abnormal: bool,
    /// `I`–`IV`.
    pub level: String,
}

impl Default for ItemForm {
    fn default() -> Self {
        ItemForm {
            key: String::new(),
            category: String::new(),
            title: String::new(),
            how: String::new(),
            answer: Answer::PassFail,
            required: true,
            attachment_when_abnormal: false,
            level: "III".into(),
        }
    }
}

impl TemplateForm {
    /// Checks every field; the template keeps `id`, at `version`.
    pub fn validate(&self, id: String, version: u32) -> Result<Template> {
        let mut errors = Vec::new();
        let name = crate::text::check(&mut errors, "name", &self.name, NAME_MAX_CHARS, true, Kind::Line);
        let description = crate::text::check(
            &mut errors,
            "description",
            &self.description,
            TEXT_MAX_CHARS,
            false,
            Kind::Block,
        );
        if self.items.is_empty() {
            errors.push(FieldError::new("items", Rule::Required));
        } else if self.items.len() > ITEMS_MAX {
            errors.push(FieldError::new("items", Rule::OutOfRange { min: 1, max: ITEMS_MAX as i64 }));
        }
        let mut items: Vec<Item> = Vec::new();
        for (i, form) in self.items.iter().enumerate() {
            let field = |name: &str| format!("items.{i}.{name}");
            let title = crate::text::check(
                &mut errors,
                field("title"),
                &form.title,
                NAME_MAX_CHARS,
                true,
                Kind::Line,
            );
            let how =
                crate::text::check(&mut errors, field("how"), &form.how, TEXT_MAX_CHARS, false, Kind::Block);
            let category = Category::from_code(&form.category);
            if category.is_none() {
                errors.push(FieldError::new(field("category"), Rule::NotChosen));
            }
            let level = Level::from_code(&form.level);
            if level.is_none() {
                errors.push(FieldError::new(field("level"), Rule::NotChosen));
            }
            let answer = check_answer(&mut errors, &field("answer"), &form.answer);
            let key = match crate::text::trim(&form.key) {
                "" => fresh_key(&items, i),
                k => k.to_owned(),
            };
            if items.iter().any(|it| it.key == key) {
                errors.push(FieldError::new(field("key"), Rule::Duplicate));
            }
            if let (Some(category), Some(level)) = (category, level) {
                items.push(Item {
                    key,
                    category,
                    title,
                    how,
                    answer,
                    required: form.required,
                    attachment_when_abnormal: form.attachment_when_abnormal,
                    level,
                });
            }
        }
        if !errors.is_empty() {
            return Err(Error::invalid(errors, labels));
        }
        Ok(Template { id, version, name, description, items })
    }
}

fn fresh_key(items: &[Item], position: usize) -> String {
    (position + 1..)
        .map(|n| format!("item-{n}"))
        .find(|k| items.iter().all(|i| &i.key != k))
        .unwrap_or_default()
}

fn check_answer(errors: &mut Vec<FieldError>, field: &str, answer: &Answer) -> Answer {
    match answer {
        Answer::Number { unit, min, max } => {
            let unit = crate::text::check(errors, format!("{field}.unit"), unit, 20, false, Kind::Line);
            let finite = |v: &Option<f64>| v.is_none_or(f64::is_finite);
            if !finite(min) || !finite(max) {
                errors.push(FieldError::new(format!("{field}.min"), Rule::NotNumeric));
            } else if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    errors.push(FieldError::new(format!("{field}.max"), Rule::DatesOutOfOrder));
                }
            }
            Answer::Number { unit, min: *min, max: *max }
        }
        Answer::Choice { options, abnormal } => {
            let options: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    crate::text::check(errors, format!("{field}.options.{i}"), o, 40, true, Kind::Line)
                })
                .collect();
            if options.len() < 2 {
                errors.push(FieldError::new(format!("{field}.options"), Rule::Required));
            }
            let abnormal: Vec<String> = abnormal.iter().map(|a| crate::text::trim(a).to_owned()).collect();
            if let Some(unknown) = abnormal.iter().find(|a| !options.contains(a)) {
                errors.push(FieldError::new(
                    format!("{field}.abnormal"),
                    Rule::Unknown { value: unknown.clone() },
                ));
            }
            Answer::Choice { options, abnormal }
        }
        other => other.clone(),
    }
}

/// An answer as judged against its item.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The answer as kept: `pass`/`fail`, the number as typed (normalised), the choice, the text.
    pub value: String,
    pub number: Option<f64>,
    pub abnormal: bool,
}

/// Judges `raw` for `item`: `None` when blank; a refusal on `field` when it is not an answer the
/// item takes. `flagged` is the person's own "abnormal" mark, which a rule cannot clear.
pub fn judge(
    errors: &mut Vec<FieldError>,
    field: String,
    item: &Item,
    raw: &str,
    flagged: bool,
) -> Option<Judged> {
    let raw = crate::text::check(errors, field.clone(), raw, TEXT_MAX_CHARS, false, Kind::Block);
    if crate::text::is_blank(&raw) {
        return None;
    }
    let judged = match &item.answer {
        Answer::PassFail => match raw.as_str() {
            "pass" => Judged { value: raw, number: None, abnormal: false },
            "fail" => Judged { value: raw, number: None, abnormal: true },
            _ => {
                errors.push(FieldError::new(field, Rule::Unknown { value: raw }));
                return None;
            }
        },
        Answer::Number { min, max, .. } => match parse_number(&raw) {
            Some(n) => {
                Judged { value: format_number(n), number: Some(n), abnormal: out_of_range(n, *min, *max) }
            }
            None => {
                errors.push(FieldError::new(field, Rule::NotNumeric));
                return None;
            }
        },
        Answer::Choice { options, abnormal } => {
            if !options.contains(&raw) {
                errors.push(FieldError::new(field, Rule::Unknown { value: raw }));
                return None;
            }
            let bad = abnormal.contains(&raw);
            Judged { value: raw, number: None, abnormal: bad }
        }
        Answer::Text => Judged { value: raw, number: None, abnormal: false },
    };
    Some(Judged { abnormal: judged.abnormal || flagged, ..judged })
}

/// A reading typed by a person: `12.5`, `-3`, `1,024` (thousands separators), full-width digits.
pub fn parse_number(raw: &str) -> Option<f64> {
    let text: String = raw
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A number as the app writes it: no trailing zeros, at most four decimals.
pub fn format_number(n: f64) -> String {
    let text = format!("{:.4}", n);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_owned()
    }
}

/// Outside the normal range (either bound may be open).
pub fn out_of_range(n: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_some_and(|lo| n < lo) || max.is_some_and(|hi| n > hi)
}

/// The normal range as people read it: `≥ 20 %`, `≤ 85 %`, `10–90 GB`.
pub fn range_text(answer: &Answer) -> String {
    let Answer::Number { unit, min, max } = answer else { return String::new() };
    let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
    match (min, max) {
        (Some(lo), Some(hi)) => format!("{}–{}{unit}", format_number(*lo), format_number(*hi)),
        (Some(lo), None) => format!("≥ {}{unit}", format_number(*lo)),
        (None, Some(hi)) => format!("≤ {}{unit}", format_number(*hi)),
        (None, None) => String::new(),
    }
}

/// How the template form names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    Some(match last {
        "name" => lang.pick("模板名称", "Template name"),
        "description" => lang.pick("说明", "Description"),
        "items" => lang.pick("检查项", "Check items"),
        "title" => lang.pick("检查项名称", "Item name"),
        "how" => lang.pick("检查方法", "How to check"),
        "category" => lang.pick("类别", "Category"),
        "level" => lang.pick("建议故障级别", "Suggested level"),
        "unit" => lang.pick("单位", "Unit"),
        "min" => lang.pick("正常下限", "Normal minimum"),
        "max" => lang.pick("正常上限", "Normal maximum"),
        "options" => lang.pick("选项", "Options"),
        "abnormal" => lang.pick("异常选项", "Abnormal options"),
        "key" => lang.pick("检查项编号", "Item key"),
        _ => return None,
    })
}

struct Spec {
    key: &'static str,
    category: Category,
    zh: &'static str,
    en: &'static str,
    how_zh: &'static str,
    how_en: &'static str,
    answer: fn() -> Answer,
    attach: bool,
    level: Level,
}

fn pass_fail() -> Answer {
    Answer::PassFail
}

fn number(unit: &'static str, min: Option<f64>, max: Option<f64>) -> Answer {
    Answer::Number { unit: unit.into(), min, max }
}

/// The six check-lists of the service plan (§8–§9), in `lang`.
pub fn builtin_templates(lang: Lang) -> Vec<Template> {
    use Category::*;
    let spec = |key, category, zh, en, how_zh, how_en, answer, attach, level| Spec {
        key,
        category,
        zh,
        en,
        how_zh,
        how_en,
        answer,
        attach,
        level,
    };
    let make = |code: &str, zh: &str, en: &str, dzh: &str, den: &str, specs: Vec<Spec>| Template {
        id: format!("{BUILTIN_PREFIX}{code}"),
        version: 1,
        name: lang.pick(zh, en).to_owned(),
        description: lang.pick(dzh, den).to_owned(),
        items: specs
            .into_iter()
            .map(|s| Item {
                key: s.key.into(),
                category: s.category,
                title: lang.pick(s.zh, s.en).into(),
                how: lang.pick(s.how_zh, s.how_en).into(),
                answer: (s.answer)(),
                required: true,
                attachment_when_abnormal: s.attach,
                level: s.level,
            })
            .collect(),
    };
    vec![
        make(
            "daily-logs",
            "每日系统日志审查",
            "Daily log review",
            "每日查看系统运行日志，检查登录、账号变更和异常操作，并生成报表。",
            "Read the system logs every day: logins, account changes, unusual activity; report.",
            vec![
                spec(
                    "failed-logins",
                    Logs,
                    "登录失败次数",
                    "Failed logins",
                    "统计前一日 OA 登录日志中的失败记录",
                    "Count yesterday's failed logins in the OA login log",
                    || number("次", None, Some(50.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "accounts",
                    Logs,
                    "账号新增与权限变更已核对",
                    "New accounts and permission changes reviewed",
                    "与审批记录逐一核对",
                    "Match each against its approval",
                    pass_fail,
                    true,
                    Level::III,
                ),
                spec(
                    "unusual",
                    Logs,
                    "无异常操作（批量删除、越权访问）",
                    "No unusual activity (mass deletion, access beyond rights)",
                    "检查审计日志中的高危操作",
                    "Look for high-risk operations in the audit log",
                    pass_fail,
                    true,
                    Level::II,
                ),
                spec(
                    "errors",
                    Logs,
                    "应用错误日志条数",
                    "Application error log entries",
                    "统计应用服务器错误日志",
                    "Count the application server's error log",
                    || number("条", None, Some(100.0)),
                    false,
                    Level::III,
                ),
            ],
        ),
        make(
            "daily-servers",
            "每日服务器及设备检查",
            "Daily server and equipment check",
            "定期（每日）检测服务器及其他系统相关设备是否正常运行，检查服务器剩余空间。",
            "Check every day that servers and related equipment run normally and have free space.",
            vec![
                spec(
                    "app-services",
                    Server,
                    "OA 应用服务运行正常",
                    "OA application services up",
                    "检查应用服务器各服务状态与首页访问",
                    "Check each service and open the portal",
                    pass_fail,
                    true,
                    Level::II,
                ),
                spec(
                    "db-services",
                    Server,
                    "数据库服务运行正常",
                    "Database services up",
                    "检查数据库实例与监听状态",
                    "Check the instance and listener",
                    pass_fail,
                    true,
                    Level::I,
                ),
                spec(
                    "system-disk",
                    Server,
                    "系统盘剩余空间",
                    "System disk free space",
                    "df -h / 磁盘管理",
                    "df -h / Disk Management",
                    || number("%", Some(20.0), None),
                    false,
                    Level::III,
                ),
                spec(
                    "data-disk",
                    Server,
                    "数据盘剩余空间",
                    "Data disk free space",
                    "df -h / 磁盘管理",
                    "df -h / Disk Management",
                    || number("%", Some(15.0), None),
                    false,
                    Level::II,
                ),
                spec(
                    "cpu",
                    Server,
                    "CPU 峰值使用率",
                    "Peak CPU use",
                    "监控平台前一日峰值",
                    "Yesterday's peak on the monitoring console",
                    || number("%", None, Some(85.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "memory",
                    Server,
                    "内存使用率",
                    "Memory use",
                    "监控平台当前值",
                    "Current value on the monitoring console",
                    || number("%", None, Some(90.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "network",
                    Network,
                    "网络设备与专线正常",
                    "Network devices and leased line up",
                    "检查交换机、防火墙告警与专线连通",
                    "Check switch and firewall alarms and the line",
                    pass_fail,
                    true,
                    Level::II,
                ),
            ],
        ),
        make(
            "daily-database",
            "每日数据库检查",
            "Daily database check",
            "检查数据库剩余空间，以此判断写入量是否正常、是否有突发的大量写入。",
            "Check the database's free space, to judge whether writes are normal or bursting.",
            vec![
                spec(
                    "db-free",
                    Database,
                    "数据库剩余空间",
                    "Database free space",
                    "查询表空间剩余容量",
                    "Query the tablespaces' free capacity",
                    || number("GB", Some(50.0), None),
                    true,
                    Level::II,
                ),
                spec(
                    "tablespace",
                    Database,
                    "表空间使用率",
                    "Tablespace use",
                    "查询使用率最高的表空间",
                    "The fullest tablespace",
                    || number("%", None, Some(85.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "writes",
                    Database,
                    "日写入量",
                    "Daily write volume",
                    "前一日归档日志 / 数据文件增量",
                    "Yesterday's archived log or data file growth",
                    || number("MB", None, Some(2048.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "connections",
                    Database,
                    "连接数峰值",
                    "Peak connections",
                    "前一日会话数峰值",
                    "Yesterday's peak sessions",
                    || number("个", None, Some(400.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "db-log",
                    Database,
                    "数据库告警日志无错误",
                    "No errors in the database alert log",
                    "检查告警日志",
                    "Read the alert log",
                    pass_fail,
                    true,
                    Level::II,
                ),
            ],
        ),
        make(
            "weekly-incremental",
            "每周增量备份",
            "Weekly incremental backup",
            "对修改过的数据进行每周一次的备份，存放在不同的服务器上。",
            "Back up the changed data every week, kept on a different server.",
            vec![
                spec(
                    "done",
                    Backup,
                    "增量备份完成",
                    "Incremental backup completed",
                    "检查备份作业结果",
                    "Check the backup job's result",
                    pass_fail,
                    true,
                    Level::II,
                ),
                spec(
                    "size",
                    Backup,
                    "备份大小",
                    "Backup size",
                    "备份文件大小",
                    "Size of the backup files",
                    || number("GB", None, None),
                    false,
                    Level::IV,
                ),
                spec(
                    "checksum",
                    Backup,
                    "校验和一致",
                    "Checksum verified",
                    "比对备份文件校验和",
                    "Compare the backup's checksum",
                    pass_fail,
                    false,
                    Level::II,
                ),
                spec(
                    "off-server",
                    Backup,
                    "副本已存放在另一台服务器",
                    "Copy kept on another server",
                    "确认异机副本存在且大小一致",
                    "Confirm the copy elsewhere exists, same size",
                    pass_fail,
                    false,
                    Level::II,
                ),
            ],
        ),
        make(
            "monthly-full",
            "每月全量备份",
            "Monthly full backup",
            "对全系统进行每月一次的完整备份，并保存异机副本。",
            "A full backup of the whole system every month, with a copy off the server.",
            vec![
                spec(
                    "done",
                    Backup,
                    "全量备份完成",
                    "Full backup completed",
                    "检查备份作业结果",
                    "Check the backup job's result",
                    pass_fail,
                    true,
                    Level::II,
                ),
                spec(
                    "size",
                    Backup,
                    "备份大小",
                    "Backup size",
                    "备份文件大小",
                    "Size of the backup files",
                    || number("GB", None, None),
                    false,
                    Level::IV,
                ),
                spec(
                    "checksum",
                    Backup,
                    "校验和一致",
                    "Checksum verified",
                    "比对备份文件校验和",
                    "Compare the backup's checksum",
                    pass_fail,
                    false,
                    Level::II,
                ),
                spec(
                    "off-server",
                    Backup,
                    "异机副本已完成",
                    "Off-server copy made",
                    "确认异机 / 异地副本",
                    "Confirm the copy on another server or site",
                    pass_fail,
                    false,
                    Level::II,
                ),
            ],
        ),
        make(
            "quarterly-restore",
            "每季度恢复测试",
            "Quarterly restore test",
            "每季度将最近的全量备份恢复到测试环境并核对数据。",
            "Every quarter, restore the latest full backup to a test system and check the data.",
            vec![
                spec(
                    "restored",
                    Backup,
                    "恢复到测试环境成功",
                    "Restored to the test system",
                    "按恢复手册操作",
                    "Follow the restore runbook",
                    pass_fail,
                    true,
                    Level::II,
                ),
                spec(
                    "duration",
                    Backup,
                    "恢复用时",
                    "Time to restore",
                    "从开始到可用",
                    "From start to usable",
                    || number("分钟", None, Some(240.0)),
                    false,
                    Level::III,
                ),
                spec(
                    "data-check",
                    Backup,
                    "抽查数据一致",
                    "Sampled data matches",
                    "抽查公文、用户、附件",
                    "Sample documents, users, attachments",
                    pass_fail,
                    true,
                    Level::II,
                ),
            ],
        ),
    ]
}
