//! Importing people from spreadsheets (`.xlsx`, `.xls`, `.ods`, `.csv` in UTF-8 or GBK) and
//! exporting the roster to `.xlsx`. Columns are matched from Chinese or English headers and can
//! be re-mapped; every row is checked like the form before anything is written.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{CertificateForm, Department, Person, PersonDetails, PersonForm, PersonKind, SkillForm};
use crate::error::Rule;
use crate::{Error, FieldError, Lang, Result};

/// A sheet as read: the header row and the data rows, every cell as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Name,
    Kind,
    Department,
    JobTitle,
    Phone,
    Email,
    Skills,
    Certificates,
    Resident,
    ResidentSite,
    Joined,
    Left,
    Notes,
    Organisation,
    ClientDepartment,
    Position,
    Leader,
}

impl Column {
    pub const ALL: [Column; 17] = [
        Column::Name,
        Column::Kind,
        Column::Department,
        Column::JobTitle,
        Column::Phone,
        Column::Email,
        Column::Skills,
        Column::Certificates,
        Column::Resident,
        Column::ResidentSite,
        Column::Joined,
        Column::Left,
        Column::Notes,
        Column::Organisation,
        Column::ClientDepartment,
        Column::Position,
        Column::Leader,
    ];

    /// The header written on export, and the names recognised on import.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["姓名", "name", "名字"],
            Column::Kind => &["类别", "kind", "type", "人员类别"],
            Column::Department => &["部门", "department", "dept", "所属部门"],
            Column::JobTitle => &["职务", "job title", "title", "岗位", "职称"],
            Column::Phone => &["电话", "phone", "手机", "手机号", "联系电话", "mobile", "tel"],
            Column::Email => &["电子邮件", "email", "e-mail", "邮箱", "电子邮箱"],
            Column::Skills => &["技能", "skills", "专业技能"],
            Column::Certificates => &["证书", "certificates", "资质证书", "资格证书"],
            Column::Resident => &["驻场", "resident", "是否驻场"],
            Column::ResidentSite => &["驻场地点", "resident site", "site"],
            Column::Joined => &["入职日期", "joined", "入职时间", "start date"],
            Column::Left => &["离职日期", "left", "离职时间", "end date"],
            Column::Notes => &["备注", "notes", "note", "说明"],
            Column::Organisation => &["单位", "organisation", "organization", "所在单位"],
            Column::ClientDepartment => &["所在部门", "client department", "处室", "科室"],
            Column::Position => &["职位", "position", "职务级别"],
            Column::Leader => &["领导", "leader", "是否领导"],
        }
    }

    pub fn header(self, lang: Lang) -> String {
        let names = self.headers();
        match lang {
            Lang::ZhCn => names[0].to_owned(),
            Lang::En => {
                let en = names[1];
                let mut c = en.chars();
                c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
            }
        }
    }

    fn matches(self, header: &str) -> bool {
        let h = header.trim().to_lowercase();
        self.headers().iter().any(|n| *n == h)
    }
}

/// The columns of `headers` recognised by name; `None` for a column to leave out.
pub fn auto_map(headers: &[String]) -> Vec<Option<Column>> {
    let mut used = HashSet::new();
    headers
        .iter()
        .map(|h| {
            let found = Column::ALL.into_iter().find(|c| !used.contains(c) && c.matches(h));
            if let Some(c) = found {
                used.insert(c);
            }
            found
        })
        .collect()
}

/// Reads the first sheet of a workbook, or a CSV file; `name` decides which by its extension.
pub fn read_sheet(bytes: &[u8], name: &str) -> Result<Sheet> {
    let lower = name.to_lowercase();
    let mut rows = if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else {
        read_workbook(bytes)?
    };
    // Blank rows (often below the data) are not records.
    rows.retain(|r| r.iter().any(|c| !c.trim().is_empty()));
    if rows.is_empty() {
        return Err(Error::ImportFormat("the file holds no rows".into()));
    }
    let headers = rows.remove(0).into_iter().map(|h| h.trim().to_owned()).collect();
    Ok(Sheet { headers, rows })
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let unreadable = |e: &dyn std::fmt::Display| Error::ImportFormat(format!("not a spreadsheet: {e}"));
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| Error::ImportFormat("the workbook has no sheet".into()))?
        .map_err(|e| unreadable(&e))?;
    Ok(range.rows().map(|row| row.iter().map(cell_text).collect()).collect())
}

/// A cell as the user sees it: dates as `YYYY-MM-DD`, whole numbers without `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => {
            let days = dt.as_f64().floor() as i64;
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_signed(Duration::days(days)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Text in UTF-8 (with or without BOM), else GBK as Excel writes it on Chinese Windows.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// CSV in UTF-8 (with or without BOM), else GBK as Excel writes it on Chinese Windows.
fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(|c| c.trim().to_owned()).collect())
                .map_err(|e| Error::ImportFormat(format!("CSV: {e}")))
        })
        .collect()
}

/// One refused cell: the spreadsheet row (as numbered in the file), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// What an import would do: the columns as mapped, how many rows, and every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    pub headers: Vec<String>,
    pub mapping: Vec<Option<Column>>,
    pub rows: usize,
    /// Rows that would be imported as they are.
    pub valid: usize,
    /// The first problems (at most 200), in row order.
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

/// How many problems a preview lists.
pub const PREVIEW_ERRORS: usize = 200;

/// A row's problem: its row number in the sheet (the header is row 1) and what is wrong.
pub type RowProblem = (usize, FieldError);

/// Checks imported forms as the person form would, and against `stored` (name and phone of
/// everyone already stored) and each other: the people to store, and every row's problems.
pub fn check_rows(
    forms: &[PersonForm],
    stored: &HashSet<(String, String)>,
) -> (Vec<PersonDetails>, Vec<RowProblem>) {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut valid = Vec::new();
    let mut problems = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        let row = i + 2; // the header is row 1
        match form.validate() {
            Ok(person) => {
                let key = (person.name.clone(), person.phone.clone());
                if stored.contains(&key) {
                    problems
                        .push((row, FieldError::new("name", Rule::AlreadyStored).labelled(super::labels)));
                } else if let Some(first) = seen.get(&key) {
                    problems.push((
                        row,
                        FieldError::new("name", Rule::RepeatsRow { row: *first }).labelled(super::labels),
                    ));
                } else {
                    seen.insert(key, row);
                    valid.push(person);
                }
            }
            Err(e) => problems.extend(e.fields().iter().cloned().map(|f| (row, f))),
        }
    }
    (valid, problems)
}

/// The rows of `sheet` as forms, by `mapping`; `kind` is used when no column says.
pub fn rows_to_forms(sheet: &Sheet, mapping: &[Option<Column>], kind: PersonKind) -> Vec<PersonForm> {
    sheet
        .rows
        .iter()
        .map(|row| {
            let mut form = PersonForm {
                kind: match kind {
                    PersonKind::Team => "team".into(),
                    PersonKind::Client => "client".into(),
                },
                ..Default::default()
            };
            for (column, value) in mapping.iter().zip(row.iter()) {
                let Some(column) = column else { continue };
                let value = value.trim();
                match column {
                    Column::Name => form.name = value.into(),
                    Column::Kind => {
                        form.kind = match value {
                            "客户" | "客户方" | "client" | "Client" => "client".into(),
                            "" | "团队" | "项目团队" | "team" | "Team" => form.kind.clone(),
                            other => other.into(),
                        }
                    }
                    Column::Department => {
                        form.department =
                            Department::parse(value).map_or_else(|| value.into(), |d| d.code().into())
                    }
                    Column::JobTitle => form.job_title = value.into(),
                    Column::Phone => form.phone = value.into(),
                    Column::Email => form.email = value.into(),
                    Column::Skills => form.skills = parse_skills(value),
                    Column::Certificates => form.certificates = parse_certificates(value),
                    Column::Resident => form.resident = yes(value),
                    Column::ResidentSite => form.resident_site = value.into(),
                    Column::Joined => form.joined = value.into(),
                    Column::Left => form.left = value.into(),
                    Column::Notes => form.notes = value.into(),
                    Column::Organisation => form.organisation = value.into(),
                    Column::ClientDepartment => form.client_department = value.into(),
                    Column::Position => form.position = value.into(),
                    Column::Leader => form.leader = yes(value),
                }
            }
            form
        })
        .collect()
}

fn yes(value: &str) -> bool {
    matches!(value.to_lowercase().as_str(), "是" | "y" | "yes" | "true" | "1" | "√" | "驻场" | "领导")
}

/// `Linux:5；Oracle 3年` → skills with years.
fn parse_skills(text: &str) -> Vec<SkillForm> {
    split_list(text)
        .map(|item| {
            let item = item.trim_end_matches('年');
            let (name, years) = match item.rfind([':', '：', ' ']) {
                Some(i) => (item[..i].trim(), item[i..].trim_start_matches([':', '：', ' ']).trim()),
                None => (item, ""),
            };
            SkillForm { name: name.into(), years: years.into() }
        })
        .collect()
}

/// `PMP(2027-05-01)；信息系统项目管理师` → certificates with optional expiry dates.
fn parse_certificates(text: &str) -> Vec<CertificateForm> {
    split_list(text)
        .map(|item| match item.split_once(['(', '（']) {
            Some((name, rest)) => CertificateForm {
                name: name.trim().into(),
                expires: rest.trim_end_matches([')', '）']).trim().into(),
                ..Default::default()
            },
            None => CertificateForm { name: item.into(), ..Default::default() },
        })
        .collect()
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '；', ',', '，', '、', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

/// The roster as an `.xlsx` workbook, headers in `lang`.
pub fn export_xlsx(people: &[Person], lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Corrupt(format!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("人员", "People")).map_err(fail)?;
    let bold = Format::new().set_bold();
    let columns = Column::ALL;
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.header(lang), &bold).map_err(fail)?;
    }
    let yes_no = |b: bool| if b { lang.pick("是", "yes") } else { "" };
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for (r, person) in people.iter().enumerate() {
        let row = (r + 1) as u32;
        let p = &person.details;
        for (c, column) in columns.iter().enumerate() {
            let value = match column {
                Column::Name => p.name.clone(),
                Column::Kind => match p.kind {
                    PersonKind::Team => lang.pick("团队", "team").to_owned(),
                    PersonKind::Client => lang.pick("客户方", "client").to_owned(),
                },
                Column::Department => p.department.map(|d| d.label(lang).to_owned()).unwrap_or_default(),
                Column::JobTitle => p.job_title.clone(),
                Column::Phone => p.phone.clone(),
                Column::Email => p.email.clone(),
                Column::Skills => {
                    p.skills.iter().map(|s| format!("{}:{}", s.name, s.years)).collect::<Vec<_>>().join("; ")
                }
                Column::Certificates => p
                    .certificates
                    .iter()
                    .map(|c| match c.expires {
                        Some(e) => format!("{}({e})", c.name),
                        None => c.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                Column::Resident => yes_no(p.resident).to_owned(),
                Column::ResidentSite => p.resident_site.clone(),
                Column::Joined => date(p.joined),
                Column::Left => date(p.left),
                Column::Notes => p.notes.clone(),
                Column::Organisation => p.organisation.clone(),
                Column::ClientDepartment => p.client_department.clone(),
                Column::Position => p.position.clone(),
                Column::Leader => yes_no(p.leader).to_owned(),
            };
            sheet.write_string(row, c as u16, value).map_err(fail)?;
        }
    }
    sheet.autofit();
    workbook.save_to_buffer().map_err(fail)
}
