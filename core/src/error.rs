//! The one error type of the core. Every variant says what happened in terms a person can act
//! on, and renders itself in the user's language through [`Error::report`].

use std::borrow::Cow;

use serde::Serialize;
use ts_rs::TS;

use crate::Lang;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why one field of a form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The field is empty but must be filled.
    Required,
    /// The text is longer than `max` characters.
    TooLong { max: usize },
    /// The value is not one of the known choices (a level, a channel, a language).
    Unknown { value: String },
    /// The text is not a date and time.
    InvalidTime,
    /// The time lies after now.
    InFuture,
    /// The time lies before 2000: a typing mistake, not an incident this team handled.
    TooEarly,
    /// An SLA allowance outside 1–9999 of its unit.
    AllowanceOutOfRange { milestone: Named, level: &'static str },
    /// Warning thresholds must rise: 0 < first < second < 100.
    WarningsOutOfOrder { milestone: Named },
    /// A policy lists each milestone exactly once.
    MilestonesIncomplete,
    /// Working intervals must start before they end and not overlap.
    IntervalsInvalid,
    /// A calendar needs some working time in the week.
    NoWorkingTime,
    /// The same date is listed twice.
    Duplicate,
    /// The file holds no all-day events.
    NoHolidaysFound,
    /// Shorter than `min` characters (a passphrase).
    TooShort { min: usize },
    /// The confirmation does not repeat the passphrase.
    Mismatch,
    /// The file is not a PNG or JPEG image.
    NotAnImage,
    /// The file is larger than `max_kb` KB.
    FileTooLarge { max_kb: usize },
    /// Not a mainland mobile or landline number.
    InvalidPhone,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a date (`YYYY-MM-DD`).
    InvalidDate,
    /// Not a time of day (`HH:MM`).
    InvalidTimeOfDay,
    /// Not a whole number in range.
    NotANumber,
    /// Not a number (a reading: `12.5`, `-3`, `1,024`).
    NotNumeric,
    /// An end before its start (left before joined, expiry before issue).
    DatesOutOfOrder,
    /// An end that is not after its start (a session, a slot, a period: the same instant is
    /// no time at all).
    EndNotAfterStart,
    /// A choice left unmade (a level, a kind).
    NotChosen,
    /// A person with the same name and phone exists; saving needs a confirmation.
    DuplicatePerson,
    /// An imported row repeats a person already stored (same name and phone).
    AlreadyStored,
    /// An imported row repeats an earlier row of the file.
    RepeatsRow { row: usize },
    /// A whole number outside `min`–`max`.
    OutOfRange { min: i64, max: i64 },
    /// More attendees than the session's capacity.
    OverCapacity { capacity: u32 },
    /// An instant before the incident was reported (`reported`, service time).
    BeforeReported { reported: String },
    /// An instant before the incident was closed (`closed`, service time).
    BeforeClosed { closed: String },
    /// A code may hold only letters, digits, `-` and `_`.
    CodeCharacters,
    /// A group cannot go under another: the list has two levels.
    TooDeep,
    /// A month before the first record of the service (`first`, `YYYY-MM`).
    BeforeRecords { first: String },
    /// Control characters (NUL, escape codes, line breaks in a one-line field) or direction
    /// overrides, which nobody can see but which change what is shown.
    ControlCharacters,
}

/// How a form names its fields for people: the name of `field` in `lang`, or `None` when the
/// form has no such field. Each domain keeps the one of its forms (`people::labels`,
/// `training::plan::labels`…), so a `status` is 出勤 on an attendance sheet and nothing else
/// elsewhere.
pub type Labels = fn(field: &str, lang: Lang) -> Option<&'static str>;

/// A refused field: which one, and why. Fields of list rows are named `list.index.field`
/// (`certificates.0.expires`), so the form can mark the row.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub rule: Rule,
    /// How the form it belongs to names it; set where the form's errors are gathered.
    labels: Option<Labels>,
}

impl PartialEq for FieldError {
    /// The same field refused for the same reason (whoever names it).
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field && self.rule == other.rule
    }
}

impl Eq for FieldError {}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self { field: field.into(), rule, labels: None }
    }

    /// The same error, named by `labels` unless its form named it already.
    pub fn labelled(mut self, labels: Labels) -> Self {
        self.labels.get_or_insert(labels);
        self
    }

    /// The field's name when it is a plain (static) one, for comparing in tests.
    #[cfg(test)]
    pub(crate) fn static_name(&self) -> &'static str {
        match self.field {
            Cow::Borrowed(name) => name,
            Cow::Owned(_) => "(row field)",
        }
    }

    pub fn code(&self) -> &'static str {
        match self.rule {
            Rule::Required => "required",
            Rule::TooLong { .. } => "too_long",
            Rule::Unknown { .. } => "unknown_value",
            Rule::InvalidTime => "invalid_time",
            Rule::InFuture => "in_future",
            Rule::TooEarly => "too_early",
            Rule::AllowanceOutOfRange { .. } => "allowance_out_of_range",
            Rule::WarningsOutOfOrder { .. } => "warnings_out_of_order",
            Rule::MilestonesIncomplete => "milestones_incomplete",
            Rule::IntervalsInvalid => "intervals_invalid",
            Rule::NoWorkingTime => "no_working_time",
            Rule::Duplicate => "duplicate",
            Rule::NoHolidaysFound => "no_holidays_found",
            Rule::TooShort { .. } => "too_short",
            Rule::Mismatch => "mismatch",
            Rule::NotAnImage => "not_an_image",
            Rule::FileTooLarge { .. } => "file_too_large",
            Rule::InvalidPhone => "invalid_phone",
            Rule::InvalidEmail => "invalid_email",
            Rule::InvalidDate => "invalid_date",
            Rule::InvalidTimeOfDay => "invalid_time_of_day",
            Rule::NotNumeric => "not_numeric",
            Rule::NotANumber => "not_a_number",
            Rule::DatesOutOfOrder => "out_of_order",
            Rule::EndNotAfterStart => "not_after_start",
            Rule::NotChosen => "not_chosen",
            Rule::DuplicatePerson => "duplicate_person",
            Rule::AlreadyStored => "already_stored",
            Rule::RepeatsRow { .. } => "repeats_row",
            Rule::OutOfRange { .. } => "out_of_range",
            Rule::OverCapacity { .. } => "over_capacity",
            Rule::ControlCharacters => "control_characters",
            Rule::BeforeRecords { .. } => "before_records",
            Rule::BeforeReported { .. } => "before_reported",
            Rule::BeforeClosed { .. } => "before_closed",
            Rule::CodeCharacters => "code_characters",
            Rule::TooDeep => "too_deep",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let label = field_label(&self.field, self.labels, lang);
        match (&self.rule, lang) {
            (Rule::Required, Lang::ZhCn) => format!("请填写{label}"),
            (Rule::Required, Lang::En) => format!("{label} is required"),
            (Rule::TooLong { max }, Lang::ZhCn) => format!("{label}不能超过 {max} 个字符"),
            (Rule::TooLong { max }, Lang::En) => {
                format!("{label} must be at most {max} characters")
            }
            (Rule::Unknown { value }, Lang::ZhCn) => format!("{label}“{value}”无效，请从列表中选择"),
            (Rule::Unknown { value }, Lang::En) => {
                format!("{label} “{value}” is not valid; choose one from the list")
            }
            (Rule::InvalidTime, Lang::ZhCn) => format!("{label}不是有效的日期时间"),
            (Rule::InvalidTime, Lang::En) => format!("{label} is not a valid date and time"),
            (Rule::InFuture, Lang::ZhCn) => format!("{label}不能晚于当前时间"),
            (Rule::InFuture, Lang::En) => format!("{label} cannot be in the future"),
            (Rule::TooEarly, Lang::ZhCn) => format!("{label}早于 2000 年，请检查是否输入有误"),
            (Rule::TooEarly, Lang::En) => format!("{label} is before 2000; please check it"),
            (Rule::AllowanceOutOfRange { milestone, level }, Lang::ZhCn) => {
                format!("{}（{level} 级）的时限须在 1 到 9999 之间", milestone.get(lang))
            }
            (Rule::AllowanceOutOfRange { milestone, level }, Lang::En) => {
                format!("The {} allowance for level {level} must be between 1 and 9999", milestone.get(lang))
            }
            (Rule::WarningsOutOfOrder { milestone }, Lang::ZhCn) => {
                format!("{}的预警比例须满足 0 < 第一次 < 第二次 < 100", milestone.get(lang))
            }
            (Rule::WarningsOutOfOrder { milestone }, Lang::En) => {
                format!("The {} warnings must rise: 0 < first < second < 100 (%)", milestone.get(lang))
            }
            (Rule::MilestonesIncomplete, Lang::ZhCn) => "SLA 策略须包含每个时限各一次".into(),
            (Rule::MilestonesIncomplete, Lang::En) => "The SLA policy must list each milestone once".into(),
            (Rule::IntervalsInvalid, Lang::ZhCn) => format!("{label}的工作时段须开始早于结束，且互不重叠"),
            (Rule::IntervalsInvalid, Lang::En) => {
                format!("{label}: each working interval must start before it ends, without overlaps")
            }
            (Rule::NoWorkingTime, Lang::ZhCn) => "工作日历每周至少需要一个工作时段".into(),
            (Rule::NoWorkingTime, Lang::En) => {
                "The working calendar needs some working time in the week".into()
            }
            (Rule::Duplicate, Lang::ZhCn) => format!("{label}中有重复的日期"),
            (Rule::Duplicate, Lang::En) => format!("{label} lists a date twice"),
            (Rule::NoHolidaysFound, Lang::ZhCn) => "文件中没有找到全天的节假日事件（VEVENT）".into(),
            (Rule::NoHolidaysFound, Lang::En) => "The file holds no all-day holiday events (VEVENT)".into(),
            (Rule::TooShort { min }, Lang::ZhCn) => format!("{label}至少需要 {min} 个字符"),
            (Rule::TooShort { min }, Lang::En) => format!("{label} needs at least {min} characters"),
            (Rule::Mismatch, Lang::ZhCn) => "两次输入的口令不一致".into(),
            (Rule::Mismatch, Lang::En) => "The two passphrases differ".into(),
            (Rule::NotAnImage, Lang::ZhCn) => format!("{label}须为 PNG 或 JPEG 图片"),
            (Rule::NotAnImage, Lang::En) => format!("{label} must be a PNG or JPEG image"),
            (Rule::FileTooLarge { max_kb }, Lang::ZhCn) => format!("{label}不能超过 {max_kb} KB"),
            (Rule::FileTooLarge { max_kb }, Lang::En) => format!("{label} must be at most {max_kb} KB"),
            (Rule::InvalidPhone, Lang::ZhCn) => {
                format!("{label}格式不正确：手机号如 13812345678，座机如 010-12345678")
            }
            (Rule::InvalidPhone, Lang::En) => {
                format!("{label} is not a phone number: a mobile like 13812345678 or a landline like 010-12345678")
            }
            (Rule::InvalidEmail, Lang::ZhCn) => format!("{label}不是有效的电子邮件地址"),
            (Rule::InvalidEmail, Lang::En) => format!("{label} is not an e-mail address"),
            (Rule::InvalidDate, Lang::ZhCn) => format!("{label}不是有效日期（格式 2026-11-28）"),
            (Rule::InvalidDate, Lang::En) => format!("{label} is not a date (like 2026-11-28)"),
            (Rule::InvalidTimeOfDay, Lang::ZhCn) => format!("{label}不是有效时间（格式 08:30）"),
            (Rule::InvalidTimeOfDay, Lang::En) => format!("{label} is not a time of day (like 08:30)"),
            (Rule::NotNumeric, Lang::ZhCn) => format!("{label}须为数字"),
            (Rule::NotNumeric, Lang::En) => format!("{label} must be a number"),
            (Rule::NotANumber, Lang::ZhCn) => format!("{label}须为 0–60 之间的整数"),
            (Rule::NotANumber, Lang::En) => format!("{label} must be a whole number from 0 to 60"),
            (Rule::DatesOutOfOrder, Lang::ZhCn) => format!("{label}不能早于开始"),
            (Rule::DatesOutOfOrder, Lang::En) => format!("{label} cannot come before the start"),
            (Rule::EndNotAfterStart, Lang::ZhCn) => format!("{label}须晚于开始"),
            (Rule::EndNotAfterStart, Lang::En) => format!("{label} must be after the start"),
            (Rule::NotChosen, Lang::ZhCn) => format!("请选择{label}"),
            (Rule::NotChosen, Lang::En) => format!("Choose the {}", label.to_lowercase()),
            (Rule::DuplicatePerson, Lang::ZhCn) => {
                "已有同名且电话相同的人员；如确为另一人，请勾选“仍然保存”".into()
            }
            (Rule::AlreadyStored, Lang::ZhCn) => "已有同名且电话相同的人员".into(),
            (Rule::AlreadyStored, Lang::En) => "A person with this name and phone is already stored".into(),
            (Rule::RepeatsRow { row }, Lang::ZhCn) => format!("与第 {row} 行重复（姓名和电话相同）"),
            (Rule::RepeatsRow { row }, Lang::En) => format!("Repeats row {row} (same name and phone)"),
            (Rule::OutOfRange { min, max }, Lang::ZhCn) => format!("{label}须为 {min}–{max} 之间的整数"),
            (Rule::OutOfRange { min, max }, Lang::En) => {
                format!("{label} must be a whole number from {min} to {max}")
            }
            (Rule::OverCapacity { capacity }, Lang::ZhCn) => format!("{label}超过人数上限 {capacity} 人"),
            (Rule::OverCapacity { capacity }, Lang::En) => {
                format!("{label}: more than the capacity of {capacity}")
            }
            (Rule::BeforeClosed { closed }, Lang::ZhCn) => format!("{label}不能早于故障关闭时间 {closed}"),
            (Rule::BeforeClosed { closed }, Lang::En) => {
                format!("{label} cannot be before the incident was closed ({closed})")
            }
            (Rule::CodeCharacters, Lang::ZhCn) => format!("{label}只能包含字母、数字、“-”和“_”"),
            (Rule::CodeCharacters, Lang::En) => format!("{label} may hold only letters, digits, “-” and “_”"),
            (Rule::TooDeep, Lang::ZhCn) => format!("{label}：已有下级分类的分类不能再放到其他分类之下"),
            (Rule::TooDeep, Lang::En) => format!("{label}: a group that has entries cannot go under another"),
            (Rule::BeforeReported { reported }, Lang::ZhCn) => {
                format!("{label}早于故障上报时间（{reported}），那时还没有这个故障")
            }
            (Rule::BeforeReported { reported }, Lang::En) => {
                format!("{label} is before the incident was reported ({reported}); it did not exist yet")
            }
            (Rule::BeforeRecords { first }, Lang::ZhCn) => {
                format!("{label}早于最早的记录（{first}），没有可报告的内容")
            }
            (Rule::BeforeRecords { first }, Lang::En) => {
                format!("{label} is before the first record ({first}): there is nothing to report")
            }
            (Rule::ControlCharacters, Lang::ZhCn) => {
                format!("{label}含有看不见的控制字符或文字方向控制符，请删除后再保存")
            }
            (Rule::ControlCharacters, Lang::En) => {
                format!("{label} holds invisible control or text-direction characters; remove them and save again")
            }
            (Rule::DuplicatePerson, Lang::En) => {
                "A person with this name and phone exists; tick “save anyway” if this is someone else".into()
            }
        }
    }
}

/// The name of a form field as its form names it; a list row's field names its row
/// (`certificates.1.expires` → 第 2 条证书的到期日期). A field no form named reads "this field".
fn field_label(field: &str, labels: Option<Labels>, lang: Lang) -> Cow<'static, str> {
    let name = |part: &str| labels.and_then(|l| l(part, lang)).unwrap_or(lang.pick("该字段", "This field"));
    let parts: Vec<&str> = field.split('.').collect();
    if let [list, index, inner] = parts[..] {
        let n = index.parse::<usize>().map_or(0, |i| i + 1);
        let (list, inner) = (name(list), name(inner));
        return match lang {
            Lang::ZhCn => format!("第 {n} 条{list}的{inner}").into(),
            Lang::En => format!("{inner} of {list} {n}").into(),
        };
    }
    name(field).into()
}

/// The kind of record (or file) that was looked for and is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    File,
    Revision,
    QaSample,
    QaSampleItem,
    CorrectiveAction,
    ContingencyPlan,
    Drill,
    TrainingSession,
    TrainingPlan,
    Person,
    InspectionTemplate,
    InspectionPlan,
    InspectionRun,
    Attachment,
    Asset,
    WorkOrder,
    ClientBackup,
    Conflict,
}

impl Missing {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Missing::File => lang.pick("文件", "File"),
            Missing::Revision => lang.pick("签名版本", "Revision"),
            Missing::QaSample => lang.pick("质量抽检", "QA sample"),
            Missing::QaSampleItem => lang.pick("抽检条目", "QA sample item"),
            Missing::CorrectiveAction => lang.pick("整改项", "Corrective action"),
            Missing::ContingencyPlan => lang.pick("应急预案", "Emergency plan"),
            Missing::Drill => lang.pick("演练", "Drill"),
            Missing::Conflict => lang.pick("同步冲突", "Sync conflict"),
            Missing::TrainingSession => lang.pick("培训场次", "Training session"),
            Missing::TrainingPlan => lang.pick("培训计划", "Training plan"),
            Missing::Person => lang.pick("人员", "Person"),
            Missing::InspectionTemplate => lang.pick("巡检模板", "Inspection template"),
            Missing::InspectionPlan => lang.pick("巡检计划", "Inspection plan"),
            Missing::InspectionRun => lang.pick("巡检记录", "Inspection run"),
            Missing::Attachment => lang.pick("附件", "Attachment"),
            Missing::Asset => lang.pick("资产", "Asset"),
            Missing::WorkOrder => lang.pick("维护工单", "Work order"),
            Missing::ClientBackup => lang.pick("备份记录", "Backup record"),
        }
    }
}

/// A refusal its domain words itself: the code the UI may branch on, and the sentence in each
/// language. The domain keeps its own type (`Error::refusal` downcasts to it).
pub trait Explain: std::fmt::Debug + std::any::Any + Send + Sync {
    fn code(&self) -> &'static str;
    fn message(&self, lang: Lang) -> String;
}

/// A name in both languages, for a message that names something of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Named {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

/// Who holds the data folder exclusively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The desktop app.
    App,
    /// A command-line run that changes data.
    Command,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("incident {0} not found")]
    IncidentNotFound(String),
    /// A domain's refusal, which words itself (an event that may not follow, a clash).
    #[error("refused: {0:?}")]
    Refused(Box<dyn Explain>),
    #[error("import record {record} ({title}): {source}")]
    Import { record: usize, title: String, source: Box<Error> },
    #[error("the import file cannot be read: {0}")]
    ImportFormat(String),
    #[error("the import file is not UTF-8 from line {line}, column {column}")]
    ImportEncoding { line: usize, column: usize },
    #[error("the import file is larger than {max_mb} MB")]
    ImportTooLarge { max_mb: u64 },
    #[error("file {path}: {source}")]
    File { path: String, source: std::io::Error },
    /// The window asked to read a file the user did not choose in a dialog or drop on it.
    #[error("{path} was not chosen by the user")]
    FileNotChosen { path: String },
    #[error("database schema version {found} is newer than this app supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("no data directory: the system reports no home directory; set YUNWEI_DATA_DIR")]
    NoDataDir,
    #[error("Yunwei is already open on the data directory {dir}")]
    AppAlreadyOpen { dir: String },
    #[error("the data directory {dir} is in use by {holder:?}")]
    DataDirBusy { dir: String, holder: Holder },
    /// The data folder (or the database in it) cannot be written: it is read, changes are off.
    #[error("the data directory {dir} is read-only")]
    ReadOnly { dir: String },
    #[error("database error: {0}")]
    Db(#[source] rusqlite::Error),
    /// SQLite found the file damaged (on open, or later): nothing more is written to it.
    #[error("the database file is damaged: {detail}")]
    Damaged { path: String, detail: String },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("wrong .p12 password")]
    WrongP12Password,
    #[error("unreadable .p12: {0}")]
    BadP12(String),
    #[error("only ECDSA P-256 keys are supported")]
    UnsupportedKey,
    #[error("no signing certificate set up")]
    NoSigningIdentity,
    #[error("a signing certificate is already set up")]
    SigningIdentityExists,
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("{what:?} {id} not found")]
    NotFound { what: Missing, id: String },
    #[error("the signing passphrase is needed")]
    PassphraseRequired,
    #[error("{count} rows of the import are wrong")]
    ImportRows { count: usize },
}

impl From<rusqlite::Error> for Error {
    /// SQLite's "corrupt" and "not a database" mean a damaged file, not a passing failure.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase, ReadOnly};
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => {
                Error::Damaged { path: String::new(), detail: e.to_string() }
            }
            Some(ReadOnly) => Error::ReadOnly { dir: String::new() },
            _ => Error::Db(e),
        }
    }
}

impl Error {
    /// A domain's refusal as an error.
    pub fn refused(refusal: impl Explain) -> Error {
        Error::Refused(Box::new(refusal))
    }

    /// The domain's own refusal of type `T`, if this error is one.
    pub fn refusal<T: Explain>(&self) -> Option<&T> {
        match self {
            Error::Refused(r) => (r.as_ref() as &dyn std::any::Any).downcast_ref::<T>(),
            _ => None,
        }
    }

    /// Whether the database file is damaged: the app stops using it.
    pub fn is_damage(&self) -> bool {
        matches!(self, Error::Damaged { .. })
    }

    /// A file that could not be read or written, named.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> Error {
        Error::File { path: path.display().to_string(), source }
    }

    /// A stable code the UI may branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::IncidentNotFound(_) => "incident_not_found",
            Error::Refused(r) => r.code(),
            Error::Import { .. } => "import_record",
            Error::ImportFormat(_) => "import_format",
            Error::ImportEncoding { .. } => "import_encoding",
            Error::ImportTooLarge { .. } => "import_too_large",
            Error::File { .. } => "file",
            Error::FileNotChosen { .. } => "file_not_chosen",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::NoDataDir => "no_data_dir",
            Error::AppAlreadyOpen { .. } => "app_already_open",
            Error::DataDirBusy { .. } => "data_dir_busy",
            Error::ReadOnly { .. } => "read_only",
            Error::Db(_) => "database",
            Error::Damaged { .. } => "database_damaged",
            Error::Io(_) => "io",
            Error::Corrupt(_) => "corrupt",
            Error::WrongPassphrase => "wrong_passphrase",
            Error::WrongP12Password => "wrong_p12_password",
            Error::BadP12(_) => "bad_p12",
            Error::UnsupportedKey => "unsupported_key",
            Error::NoSigningIdentity => "no_signing_identity",
            Error::SigningIdentityExists => "signing_identity_exists",
            Error::Signing(_) => "signing",
            Error::NotFound { .. } => "not_found",
            Error::PassphraseRequired => "passphrase_required",
            Error::ImportRows { .. } => "import_rows",
        }
    }

    /// What happened and what to do, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Error::Validation(_), Lang::ZhCn) => "请修正标出的字段后再保存".into(),
            (Error::Validation(_), Lang::En) => "Please correct the marked fields and save again".into(),
            (Error::IncidentNotFound(id), Lang::ZhCn) => format!("找不到故障 {id}，它可能已被删除"),
            (Error::IncidentNotFound(id), Lang::En) => {
                format!("Incident {id} was not found; it may have been removed")
            }
            (Error::Refused(r), lang) => r.message(lang),
            (Error::Import { record, title, source }, lang) => {
                let mut details = vec![source.message(lang)];
                details.extend(source.fields().iter().map(|f| f.message(lang)));
                let details = details.join(lang.pick("；", "; "));
                let title = crate::i18n::quote(title, 40);
                match lang {
                    Lang::ZhCn => format!("第 {record} 条记录（“{title}”）有误，未导入任何数据：{details}"),
                    Lang::En => format!("Record {record} (“{title}”) is wrong; nothing was imported: {details}"),
                }
            }
            (Error::ImportFormat(e), Lang::ZhCn) => format!("导入文件格式无效，未导入任何数据：{e}"),
            (Error::ImportFormat(e), Lang::En) => format!("The import file cannot be read; nothing was imported: {e}"),
            (Error::ImportEncoding { line, column }, Lang::ZhCn) => format!(
                "导入文件不是 UTF-8 编码：第 {line} 行第 {column} 列起的字节无法识别。请用 UTF-8 另存后再导入，未导入任何数据"
            ),
            (Error::ImportEncoding { line, column }, Lang::En) => format!(
                "The import file is not UTF-8: the bytes from line {line}, column {column} cannot be read. Save it as UTF-8 and import again; nothing was imported"
            ),
            (Error::ImportTooLarge { max_mb }, Lang::ZhCn) => {
                format!("导入文件超过 {max_mb} MB，未读取；请分成几个文件导入")
            }
            (Error::ImportTooLarge { max_mb }, Lang::En) => {
                format!("The import file is larger than {max_mb} MB and was not read; split it into several files")
            }
            (Error::File { path, source }, Lang::ZhCn) => format!("读写文件 {path} 出错：{source}"),
            (Error::File { path, source }, Lang::En) => format!("File {path}: {source}"),
            (Error::FileNotChosen { path }, Lang::ZhCn) => {
                format!("只能打开在文件对话框中选择或拖入窗口的文件，{path} 不是")
            }
            (Error::FileNotChosen { path }, Lang::En) => {
                format!("Only files chosen in a file dialog or dropped on the window can be opened; {path} was not")
            }
            (Error::SchemaTooNew { found, supported }, Lang::ZhCn) => format!(
                "数据库来自更新版本的运维台（结构版本 {found}，本程序支持到 {supported}）。为避免损坏数据，已拒绝打开；请升级运维台。"
            ),
            (Error::SchemaTooNew { found, supported }, Lang::En) => format!(
                "The database comes from a newer Yunwei (schema {found}; this app supports up to {supported}). It was not opened, so nothing is damaged; please upgrade Yunwei."
            ),
            (Error::NoDataDir, Lang::ZhCn) => {
                "找不到数据目录：系统没有用户主目录，请设置环境变量 YUNWEI_DATA_DIR".into()
            }
            (Error::NoDataDir, Lang::En) => {
                "No data directory: the system has no home directory; set YUNWEI_DATA_DIR".into()
            }
            (Error::AppAlreadyOpen { dir }, Lang::ZhCn) => {
                format!("运维台已在另一个窗口中打开数据目录 {dir}，请切换到那个窗口使用。")
            }
            (Error::AppAlreadyOpen { dir }, Lang::En) => {
                format!("Yunwei is already open on the data folder {dir} in another window; please use that window.")
            }
            (Error::DataDirBusy { dir, holder: Holder::App }, Lang::ZhCn) => format!(
                "运维台正在使用数据目录 {dir}。为保护数据，命令行此时不能修改它：请在应用中操作，或关闭应用后再试。"
            ),
            (Error::DataDirBusy { dir, holder: Holder::App }, Lang::En) => format!(
                "Yunwei is open on the data folder {dir}. To keep its data safe, the command line cannot change it now: do this in the app, or close the app and try again."
            ),
            (Error::DataDirBusy { dir, holder: Holder::Command }, Lang::ZhCn) => {
                format!("另一条运维台命令正在使用数据目录 {dir}，请等它结束后再试。")
            }
            (Error::DataDirBusy { dir, holder: Holder::Command }, Lang::En) => format!(
                "Another Yunwei command is using the data folder {dir}; try again when it has finished."
            ),
            (Error::ReadOnly { dir }, Lang::ZhCn) => format!(
                "数据目录{}只读（不可写）：可以查看，但不能保存更改，本次未保存任何内容。请让该目录可写，或把它复制到可写的位置后再打开。",
                if dir.is_empty() { String::new() } else { format!(" {dir} ") }
            ),
            (Error::ReadOnly { dir }, Lang::En) => format!(
                "The data folder{} is read-only: it can be viewed but no change can be saved, and nothing was saved. Make the folder writable, or copy it somewhere writable, and open it again.",
                if dir.is_empty() { String::new() } else { format!(" {dir}") }
            ),
            (Error::Db(e), Lang::ZhCn) => format!("数据库出错：{e}"),
            (Error::Db(e), Lang::En) => format!("Database error: {e}"),
            (Error::Damaged { path, detail }, Lang::ZhCn) => format!(
                "数据库文件已损坏（{detail}）。为免损坏扩大，运维台已停止向它写入。请关闭运维台，从最近的备份恢复，或把文件 {path} 交给技术支持抢救；在此之前不要删除它。"
            ),
            (Error::Damaged { path, detail }, Lang::En) => format!(
                "The database file is damaged ({detail}). So that the damage does not spread, Yunwei has stopped writing to it. Close Yunwei and restore the newest backup, or give the file {path} to support for salvage; do not delete it meanwhile."
            ),
            (Error::Io(e), Lang::ZhCn) => format!("读写文件出错：{e}"),
            (Error::Io(e), Lang::En) => format!("File error: {e}"),
            (Error::Corrupt(what), Lang::ZhCn) => format!("存储的数据已损坏：{what}"),
            (Error::Corrupt(what), Lang::En) => format!("Stored data is damaged: {what}"),
            (Error::WrongPassphrase, Lang::ZhCn) => "签名口令不正确，请重新输入".into(),
            (Error::WrongPassphrase, Lang::En) => "The signing passphrase is wrong; please try again".into(),
            (Error::WrongP12Password, Lang::ZhCn) => ".p12 证书文件的密码不正确".into(),
            (Error::WrongP12Password, Lang::En) => "The password of the .p12 file is wrong".into(),
            (Error::BadP12(e), Lang::ZhCn) => format!("无法读取 .p12 证书文件（文件可能已损坏）：{e}"),
            (Error::BadP12(e), Lang::En) => format!("The .p12 file cannot be read (it may be damaged): {e}"),
            (Error::UnsupportedKey, Lang::ZhCn) => {
                "证书的私钥不是 ECDSA P-256：本程序只支持 P-256 签名密钥".into()
            }
            (Error::UnsupportedKey, Lang::En) => {
                "The certificate's key is not ECDSA P-256, the only signing key this app supports".into()
            }
            (Error::NoSigningIdentity, Lang::ZhCn) => {
                "尚未设置签名证书：请在“设置 → 电子签名”中创建或导入".into()
            }
            (Error::NoSigningIdentity, Lang::En) => {
                "No signing certificate yet: create or import one in Settings → Signing".into()
            }
            (Error::SigningIdentityExists, Lang::ZhCn) => "已设置签名证书；如需更换，请先停用当前证书".into(),
            (Error::SigningIdentityExists, Lang::En) => {
                "A signing certificate is already set up; retire it before adding another".into()
            }
            (Error::Signing(e), Lang::ZhCn) => format!("签名失败：{e}"),
            (Error::Signing(e), Lang::En) => format!("Signing failed: {e}"),
            (Error::NotFound { what, id }, Lang::ZhCn) => format!("找不到{} {id}", what.label(lang)),
            (Error::NotFound { what, id }, Lang::En) => format!("{} {id} was not found", what.label(lang)),
            (Error::ImportRows { count }, Lang::ZhCn) => format!("有 {count} 处错误，未导入任何数据；请修正后重试"),
            (Error::ImportRows { count }, Lang::En) => {
                format!("{count} problems found; nothing was imported. Correct them and try again")
            }
            (Error::PassphraseRequired, Lang::ZhCn) => {
                "需要签名口令：请输入口令，或设置环境变量 YUNWEI_KEY_PASSPHRASE".into()
            }
            (Error::PassphraseRequired, Lang::En) => {
                "The signing passphrase is needed: enter it, or set YUNWEI_KEY_PASSPHRASE".into()
            }
        }
    }

    /// The message followed by each refused field's message: for places with no form to
    /// show fields next to (the command line).
    pub fn describe(&self, lang: Lang) -> String {
        let fields: Vec<String> = self.fields().iter().map(|f| f.message(lang)).collect();
        if fields.is_empty() {
            return self.message(lang);
        }
        format!("{}{}{}", self.message(lang), lang.pick("：", ": "), fields.join(lang.pick("；", "; ")))
    }

    /// A refusal of `fields`, named by `labels` (the form's).
    pub fn invalid(fields: Vec<FieldError>, labels: Labels) -> Error {
        Error::Validation(fields).labelled(labels)
    }

    /// The same error with its fields named by `labels` where their form has not named them.
    pub fn labelled(self, labels: Labels) -> Error {
        match self {
            Error::Validation(fields) => {
                Error::Validation(fields.into_iter().map(|f| f.labelled(labels)).collect())
            }
            other => other,
        }
    }

    /// The refused fields' names, in order (for tests).
    #[cfg(test)]
    pub(crate) fn field_names(&self) -> Vec<String> {
        self.fields().iter().map(|f| f.field.to_string()).collect()
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(fields) => fields,
            _ => &[],
        }
    }

    /// The error as the UI receives it, rendered in `lang`.
    pub fn report(&self, lang: Lang) -> ErrorReport {
        ErrorReport {
            code: self.code().to_owned(),
            message: self.message(lang),
            fields: self
                .fields()
                .iter()
                .map(|f| FieldReport {
                    field: f.field.to_string(),
                    code: f.code().to_owned(),
                    message: f.message(lang),
                })
                .collect(),
        }
    }
}

impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Error::Corrupt(format!("ASN.1: {e}"))
    }
}

/// An error as it crosses to the UI: `{ code, message, fields }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    /// One entry per refused form field, empty for other errors.
    pub fields: Vec<FieldReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldReport {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form's names, as a domain keeps them.
    fn incident_form(field: &str, lang: Lang) -> Option<&'static str> {
        match field {
            "title" => Some(lang.pick("标题", "Title")),
            "level" => Some(lang.pick("故障级别", "Level")),
            "status" => Some(lang.pick("状态", "Status")),
            _ => None,
        }
    }

    fn attendance_form(field: &str, lang: Lang) -> Option<&'static str> {
        match field {
            "attendees" => Some(lang.pick("参训人员", "attendee")),
            "status" => Some(lang.pick("出勤", "Attendance")),
            _ => None,
        }
    }

    #[test]
    fn field_errors_render_in_both_languages() {
        let e = Error::invalid(vec![FieldError::new("title", Rule::Required)], incident_form);
        let zh = e.report(Lang::ZhCn);
        assert_eq!(zh.code, "validation");
        assert_eq!(zh.fields[0].field, "title");
        assert_eq!(zh.fields[0].code, "required");
        assert_eq!(zh.fields[0].message, "请填写标题");
        assert_eq!(e.report(Lang::En).fields[0].message, "Title is required");
    }

    #[test]
    fn unknown_choices_name_the_field_and_the_value() {
        let f = FieldError::new("level", Rule::Unknown { value: "V".into() }).labelled(incident_form);
        assert_eq!(f.message(Lang::ZhCn), "故障级别“V”无效，请从列表中选择");
        assert_eq!(f.message(Lang::En), "Level “V” is not valid; choose one from the list");
    }

    #[test]
    fn each_form_names_its_own_fields() {
        let status =
            |labels: Labels| FieldError::new("status", Rule::Required).labelled(labels).message(Lang::ZhCn);
        assert_eq!(status(incident_form), "请填写状态");
        assert_eq!(status(attendance_form), "请填写出勤");
        let row = FieldError::new("attendees.1.status", Rule::Required).labelled(attendance_form);
        assert_eq!(row.message(Lang::ZhCn), "请填写第 2 条参训人员的出勤");
        assert_eq!(row.message(Lang::En), "Attendance of attendee 2 is required");
        // The form that gathered an error names it; a later, outer form does not rename it.
        let inner = Error::invalid(vec![FieldError::new("status", Rule::Required)], attendance_form);
        assert_eq!(inner.labelled(incident_form).fields()[0].message(Lang::ZhCn), "请填写出勤");
        // A field no form named still reads as a field.
        assert_eq!(FieldError::new("status", Rule::Required).message(Lang::En), "This field is required");
    }

    #[test]
    fn non_validation_errors_have_no_fields() {
        let e = Error::SchemaTooNew { found: 9, supported: 1 };
        let report = e.report(Lang::En);
        assert_eq!(report.code, "schema_too_new");
        assert!(report.fields.is_empty());
        assert!(report.message.contains("schema 9"), "{}", report.message);
    }
}
