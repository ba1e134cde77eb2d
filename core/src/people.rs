//! People: the service team by the plan's five departments (项目经理, 项目实施部, 客服服务部,
//! 质量管理部, 培训组), and the client's people — leaders, trainees, contacts — with the times
//! they can be booked. Forms arrive as raw text and are checked here, every field at once.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Rule;
use crate::text::Kind;
use crate::{Error, FieldError, Lang, Result};

pub const NAME_MAX_CHARS: usize = 50;
pub const TEXT_MAX_CHARS: usize = 100;
pub const NOTES_MAX_CHARS: usize = 2000;
/// Certificates expiring within this many days are flagged.
pub const CERTIFICATE_WARNING_DAYS: i64 = 90;

/// The departments of the service plan (人员组织架构).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// 项目经理
    ProjectManager,
    /// 项目实施部
    Implementation,
    /// 客服服务部
    CustomerService,
    /// 质量管理部
    Quality,
    /// 培训组
    Training,
}

impl Department {
    pub const ALL: [Department; 5] = [
        Department::ProjectManager,
        Department::Implementation,
        Department::CustomerService,
        Department::Quality,
        Department::Training,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Department::ProjectManager => "project_manager",
            Department::Implementation => "implementation",
            Department::CustomerService => "customer_service",
            Department::Quality => "quality",
            Department::Training => "training",
        }
    }

    pub fn from_code(code: &str) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The department as the plan names it; also accepts these names when importing.
    pub fn label(self, lang: Lang) -> &'static str {
        let tr = |zh, en| lang.pick(zh, en);
        match self {
            Department::ProjectManager => tr("项目经理", "Project manager"),
            Department::Implementation => tr("项目实施部", "Implementation"),
            Department::CustomerService => tr("客服服务部", "Customer service"),
            Department::Quality => tr("质量管理部", "Quality management"),
            Department::Training => tr("培训组", "Training group"),
        }
    }

    /// Head count the plan promises: (at least, at most).
    pub fn target(self) -> (u32, u32) {
        match self {
            Department::ProjectManager => (1, 1),
            Department::Implementation => (5, 7),
            Department::CustomerService => (4, 6),
            Department::Quality | Department::Training => (2, 4),
        }
    }

    /// A department from its code, or its Chinese or English name (import files).
    pub fn parse(text: &str) -> Option<Department> {
        let text = text.trim();
        Department::ALL.into_iter().find(|d| {
            d.code() == text
                || d.label(Lang::ZhCn) == text
                || d.label(Lang::En).eq_ignore_ascii_case(text)
                || (text.len() > 2 && d.label(Lang::ZhCn).starts_with(text))
        })
    }
}

/// Whether a person belongs to the service team or to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Team,
    Client,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Skill {
    pub name: String,
    pub years: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Certificate {
    pub name: String,
    pub number: String,
    #[ts(type = "string | null")]
    pub issued: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub expires: Option<NaiveDate>,
}

/// When a client person can be booked: every week on `weekday` (1 = Monday … 7 = Sunday), or
/// on one `date`, from `start` to `end` local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Availability {
    pub weekday: Option<u8>,
    #[ts(type = "string | null")]
    pub date: Option<NaiveDate>,
    #[ts(type = "string")]
    pub start: NaiveTime,
    #[ts(type = "string")]
    pub end: NaiveTime,
}

/// A person as stored: the checked details with identity and timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub details: PersonDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    /// Whether the person has left by `today`.
    pub fn has_left(&self, today: NaiveDate) -> bool {
        self.details.left.is_some_and(|left| left <= today)
    }

    /// Certificates that expire within [`CERTIFICATE_WARNING_DAYS`] of `today` or have expired.
    pub fn expiring_certificates(&self, today: NaiveDate) -> Vec<&Certificate> {
        let horizon = today + Duration::days(CERTIFICATE_WARNING_DAYS);
        self.details.certificates.iter().filter(|c| c.expires.is_some_and(|e| e <= horizon)).collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SkillForm {
    pub name: String,
    pub years: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CertificateForm {
    pub name: String,
    pub number: String,
    pub issued: String,
    pub expires: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AvailabilityForm {
    /// `1`–`7` (Monday–Sunday) for a weekly slot, empty for a one-off date.
    pub weekday: String,
    pub date: String,
    pub start: String,
    pub end: String,
}

/// The person form as filled in: raw text, checked by [`PersonForm::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonForm {
    /// `team` or `client`.
    pub kind: String,
    pub name: String,
    pub department: String,
    pub job_title: String,
    pub phone: String,
    pub email: String,
    pub skills: Vec<SkillForm>,
    pub certificates: Vec<CertificateForm>,
    pub resident: bool,
    pub resident_site: String,
    pub joined: String,
    pub left: String,
    pub notes: String,
    pub organisation: String,
    pub client_department: String,
    pub position: String,
    pub leader: bool,
    pub availability: Vec<AvailabilityForm>,
    /// Save although a person with the same name and phone exists.
    pub confirm_duplicate: bool,
}

/// What is known of a person, checked by [`PersonForm::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonDetails {
    pub kind: PersonKind,
    pub name: String,
    /// Team members only.
    pub department: Option<Department>,
    pub job_title: String,
    pub phone: String,
    pub email: String,
    pub skills: Vec<Skill>,
    pub certificates: Vec<Certificate>,
    /// Resident on site (驻场), and where.
    pub resident: bool,
    pub resident_site: String,
    #[ts(type = "string | null")]
    pub joined: Option<NaiveDate>,
    /// A person who left keeps their history and is hidden from pickers.
    #[ts(type = "string | null")]
    pub left: Option<NaiveDate>,
    pub notes: String,
    /// Client people only.
    pub organisation: String,
    pub client_department: String,
    pub position: String,
    /// A leader (领导): one-to-one training is fitted into their availability.
    pub leader: bool,
    pub availability: Vec<Availability>,
}

impl PersonForm {
    /// Checks every field and returns every refusal at once.
    pub fn validate(&self) -> Result<PersonDetails> {
        let mut errors = Vec::new();
        let kind = match self.kind.trim() {
            "team" | "" => PersonKind::Team,
            "client" => PersonKind::Client,
            other => {
                errors.push(FieldError::new("kind", Rule::Unknown { value: other.to_owned() }));
                PersonKind::Team
            }
        };
        let name = crate::text::check(&mut errors, "name", &self.name, NAME_MAX_CHARS, true, Kind::Line);
        let department = match (kind, self.department.trim()) {
            (PersonKind::Client, _) => None,
            (PersonKind::Team, "") => {
                errors.push(FieldError::new("department", Rule::Required));
                None
            }
            (PersonKind::Team, code) => {
                let found = Department::parse(code);
                if found.is_none() {
                    errors.push(FieldError::new("department", Rule::Unknown { value: code.to_owned() }));
                }
                found
            }
        };
        let phone = self.phone.trim().to_owned();
        if !phone.is_empty() && !valid_phone(&phone) {
            errors.push(FieldError::new("phone", Rule::InvalidPhone));
        }
        let email = self.email.trim().to_owned();
        if !email.is_empty() && !valid_email(&email) {
            errors.push(FieldError::new("email", Rule::InvalidEmail));
        }
        let joined = date(&mut errors, "joined", &self.joined);
        let left = date(&mut errors, "left", &self.left);
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                errors.push(FieldError::new("left", Rule::DatesOutOfOrder));
            }
        }
        let skills = self
            .skills
            .iter()
            .enumerate()
            .filter(|(_, s)| !(s.name.trim().is_empty() && s.years.trim().is_empty()))
            .map(|(i, s)| {
                let name = text(&mut errors, row("skills", i, "name"), &s.name, TEXT_MAX_CHARS);
                if name.is_empty() {
                    errors.push(FieldError::new(row("skills", i, "name"), Rule::Required));
                }
                let years = match s.years.trim() {
                    "" => 0,
                    y => y.parse::<u32>().ok().filter(|y| *y <= 60).unwrap_or_else(|| {
                        errors.push(FieldError::new(row("skills", i, "years"), Rule::NotANumber));
                        0
                    }),
                };
                Skill { name, years }
            })
            .collect();
        let certificates = self
            .certificates
            .iter()
            .enumerate()
            .filter(|(_, c)| ![&c.name, &c.number, &c.issued, &c.expires].iter().all(|t| t.trim().is_empty()))
            .map(|(i, c)| {
                let name = text(&mut errors, row("certificates", i, "name"), &c.name, TEXT_MAX_CHARS);
                if name.is_empty() {
                    errors.push(FieldError::new(row("certificates", i, "name"), Rule::Required));
                }
                let number = text(&mut errors, row("certificates", i, "number"), &c.number, TEXT_MAX_CHARS);
                let issued = date(&mut errors, row("certificates", i, "issued"), &c.issued);
                let expires = date(&mut errors, row("certificates", i, "expires"), &c.expires);
                if let (Some(a), Some(b)) = (issued, expires) {
                    if b < a {
                        errors
                            .push(FieldError::new(row("certificates", i, "expires"), Rule::DatesOutOfOrder));
                    }
                }
                Certificate { name, number, issued, expires }
            })
            .collect();
        let availability = self
            .availability
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let weekday = match a.weekday.trim() {
                    "" => None,
                    w => match w.parse::<u8>() {
                        Ok(d @ 1..=7) => Some(d),
                        _ => {
                            errors.push(FieldError::new(
                                row("availability", i, "weekday"),
                                Rule::Unknown { value: w.into() },
                            ));
                            None
                        }
                    },
                };
                let on = date(&mut errors, row("availability", i, "date"), &a.date);
                if weekday.is_none()
                    && on.is_none()
                    && a.weekday.trim().is_empty()
                    && a.date.trim().is_empty()
                {
                    errors.push(FieldError::new(row("availability", i, "weekday"), Rule::Required));
                }
                let start = time(&mut errors, row("availability", i, "start"), &a.start);
                let end = time(&mut errors, row("availability", i, "end"), &a.end);
                if let (Some(s), Some(e)) = (start, end) {
                    if e <= s {
                        errors.push(FieldError::new(row("availability", i, "end"), Rule::EndNotAfterStart));
                    }
                }
                Availability {
                    weekday: if on.is_some() { None } else { weekday },
                    date: on,
                    start: start.unwrap_or(NaiveTime::MIN),
                    end: end.unwrap_or(NaiveTime::MIN),
                }
            })
            .collect();
        let resident_site = text(&mut errors, "resident_site", &self.resident_site, TEXT_MAX_CHARS);
        let job_title = text(&mut errors, "job_title", &self.job_title, TEXT_MAX_CHARS);
        let notes = text(&mut errors, "notes", &self.notes, NOTES_MAX_CHARS);
        let organisation = text(&mut errors, "organisation", &self.organisation, TEXT_MAX_CHARS);
        if kind == PersonKind::Client && organisation.is_empty() {
            errors.push(FieldError::new("organisation", Rule::Required));
        }
        let client_department =
            text(&mut errors, "client_department", &self.client_department, TEXT_MAX_CHARS);
        let position = text(&mut errors, "position", &self.position, TEXT_MAX_CHARS);
        if !errors.is_empty() {
            return Err(Error::invalid(errors, labels));
        }
        Ok(PersonDetails {
            kind,
            name,
            department,
            job_title,
            phone,
            email,
            skills,
            certificates,
            resident: self.resident && kind == PersonKind::Team,
            resident_site,
            joined,
            left,
            notes,
            organisation,
            client_department,
            position,
            leader: self.leader && kind == PersonKind::Client,
            availability,
        })
    }
}

fn row(list: &str, index: usize, field: &str) -> String {
    format!("{list}.{index}.{field}")
}

fn text(
    errors: &mut Vec<FieldError>,
    field: impl Into<std::borrow::Cow<'static, str>>,
    value: &str,
    max: usize,
) -> String {
    // Names, numbers and titles are lines; notes are long text.
    let kind = if max >= NOTES_MAX_CHARS { Kind::Block } else { Kind::Line };
    crate::text::check(errors, field, value, max, false, kind)
}

/// `YYYY-MM-DD`, or empty.
fn date(
    errors: &mut Vec<FieldError>,
    field: impl Into<std::borrow::Cow<'static, str>>,
    value: &str,
) -> Option<NaiveDate> {
    match value.trim() {
        "" => None,
        v => NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| {
            errors.push(FieldError::new(field, Rule::InvalidDate));
            None
        }),
    }
}

/// `HH:MM`; required.
fn time(errors: &mut Vec<FieldError>, field: String, value: &str) -> Option<NaiveTime> {
    match NaiveTime::parse_from_str(value.trim(), "%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            let rule = if value.trim().is_empty() { Rule::Required } else { Rule::InvalidTimeOfDay };
            errors.push(FieldError::new(field, rule));
            None
        }
    }
}

/// A mainland mobile (`13812345678`, `+86 138 1234 5678`) or landline (`010-12345678`,
/// `0571-8765432`, with an optional extension `-123` or `转123`).
pub fn valid_phone(phone: &str) -> bool {
    let phone = phone.trim();
    let phone = phone.strip_prefix("+86").or_else(|| phone.strip_prefix("0086")).unwrap_or(phone);
    let (main, extension) = match phone.split_once('转') {
        Some((m, e)) => (m, Some(e)),
        None => (phone, None),
    };
    if extension.is_some_and(|e| e.trim().is_empty() || !e.trim().chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let digits: String = main.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
    // Landline: area code 0 + 2–3 digits, then 7–8 digits, then an optional `-extension`.
    let groups: Vec<&str> = main.trim().split('-').map(str::trim).collect();
    let landline = match groups[..] {
        [area, number] | [area, number, _] => {
            area.starts_with('0')
                && (3..=4).contains(&area.len())
                && (7..=8).contains(&number.len())
                && groups.iter().all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
        }
        [number] => (7..=8).contains(&number.len()) && number.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    mobile || landline
}

/// `local@domain.tld`: one `@`, no spaces, a dot in the domain, a top-level part of letters.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let tld = domain.rsplit('.').next().unwrap_or("");
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.contains("..")
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_alphabetic())
}

/// A certificate that expires within 90 days ([`CERTIFICATE_WARNING_DAYS`]), or has expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CertificateAlert {
    pub person_id: String,
    pub person: String,
    pub certificate: String,
    #[ts(type = "string")]
    pub expires: NaiveDate,
    /// Negative once expired.
    #[ts(type = "number")]
    pub days_left: i64,
}

/// What the people list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PeopleQuery {
    /// Words in the name (or its pinyin), phone, e-mail, skills or organisation.
    pub search: String,
    /// `team`, `client`, or empty for both.
    pub kind: String,
    /// A department code, or empty.
    pub department: String,
    pub resident_only: bool,
    pub leaders_only: bool,
    /// People who left are hidden unless asked for.
    pub include_left: bool,
}

/// One department of the plan against its head-count target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DepartmentStaffing {
    pub department: Department,
    pub people: Vec<StaffMember>,
    pub min: u32,
    pub max: u32,
    /// Fewer people than the plan promises.
    pub below: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub job_title: String,
    pub resident: bool,
}

/// The team by department, and the resident (驻场) head count against the plan's 5–6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TeamStructure {
    pub departments: Vec<DepartmentStaffing>,
    pub resident: u32,
    pub resident_min: u32,
    pub resident_max: u32,
}

/// The plan's resident (驻场) head count: at least, at most.
pub const RESIDENT_TARGET: (u32, u32) = (5, 6);

/// A team member who has not left by `today`: who may be assigned, put on the rota, or train.
pub fn is_current_team_member(person: &Person, today: NaiveDate) -> bool {
    person.details.kind == PersonKind::Team && !person.has_left(today)
}

/// The team by the plan's departments against each one's head-count target, and the resident
/// head count against [`RESIDENT_TARGET`].
pub fn team_structure(team: &[Person]) -> TeamStructure {
    let departments = Department::ALL
        .into_iter()
        .map(|department| {
            let people: Vec<StaffMember> = team
                .iter()
                .filter(|p| p.details.department == Some(department))
                .map(|p| StaffMember {
                    id: p.id.clone(),
                    name: p.details.name.clone(),
                    job_title: p.details.job_title.clone(),
                    resident: p.details.resident,
                })
                .collect();
            let (min, max) = department.target();
            DepartmentStaffing { department, below: (people.len() as u32) < min, people, min, max }
        })
        .collect();
    TeamStructure {
        departments,
        resident: team.iter().filter(|p| p.details.resident).count() as u32,
        resident_min: RESIDENT_TARGET.0,
        resident_max: RESIDENT_TARGET.1,
    }
}

/// The team's certificates that expire within [`CERTIFICATE_WARNING_DAYS`] of `today`, or have
/// expired, soonest first.
pub fn certificate_alerts(team: &[Person], today: NaiveDate) -> Vec<CertificateAlert> {
    let mut alerts: Vec<CertificateAlert> = team
        .iter()
        .flat_map(|p| {
            p.expiring_certificates(today).into_iter().filter_map(|c| {
                let expires = c.expires?;
                Some(CertificateAlert {
                    person_id: p.id.clone(),
                    person: p.details.name.clone(),
                    certificate: c.name.clone(),
                    expires,
                    days_left: (expires - today).num_days(),
                })
            })
        })
        .collect();
    alerts.sort_by_key(|a| a.expires);
    alerts
}

pub mod import;

/// How the person form (and a spreadsheet of people) names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "name" => ("姓名", "Name"),
        "department" => ("部门", "Department"),
        "job_title" => ("职务", "Job title"),
        "phone" => ("电话", "Phone"),
        "email" => ("电子邮件", "E-mail"),
        "resident_site" => ("驻场地点", "Resident site"),
        "joined" => ("入职日期", "Joined"),
        "left" => ("离职日期", "Left"),
        "notes" => ("备注", "Notes"),
        "client_department" => ("所在部门", "Department"),
        "position" => ("职位", "Position"),
        "skills" => ("技能", "skill"),
        "years" => ("年限", "Years"),
        "certificates" => ("证书", "certificate"),
        "number" => ("编号", "Number"),
        "issued" => ("发证日期", "Issued"),
        "expires" => ("到期日期", "Expires"),
        "availability" => ("可约时段", "availability slot"),
        "weekday" => ("星期", "Weekday"),
        "date" => ("日期", "Date"),
        "start" => ("开始时间", "Start"),
        "end" => ("结束时间", "End"),
        "organisation" => ("所在单位", "Organisation"),
        "kind" => ("人员类别", "Kind"),
        "person_id" => ("人员", "Person"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests;
