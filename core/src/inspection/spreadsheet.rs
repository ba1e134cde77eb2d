//! Check-list templates to and from `.xlsx` (teams keep these lists in spreadsheets): one row per
//! item under a header row, the template's name as the sheet's. An imported sheet becomes a
//! template form for the editor: nothing is stored until the person saves it, and the editor
//! shows what does not fit.

use super::template::{Answer, Category, ItemForm, Template, TemplateForm};
use crate::people::import::Sheet;
use crate::{Error, Lang, Result};

/// The columns, with their Chinese and English headers.
const COLUMNS: [(&str, &str, &str); 13] = [
    ("key", "编号", "Key"),
    ("category", "类别", "Category"),
    ("title", "检查项", "Item"),
    ("how", "检查方法", "How to check"),
    ("answer", "结果类型", "Answer"),
    ("unit", "单位", "Unit"),
    ("min", "正常下限", "Normal min"),
    ("max", "正常上限", "Normal max"),
    ("options", "选项", "Options"),
    ("abnormal", "异常选项", "Abnormal options"),
    ("required", "必填", "Required"),
    ("attachment", "异常须附件", "Attachment when abnormal"),
    ("level", "建议级别", "Suggested level"),
];

fn answer_name(answer: &Answer, lang: Lang) -> &'static str {
    match answer {
        Answer::PassFail => lang.pick("正常/异常", "pass/fail"),
        Answer::Number { .. } => lang.pick("数值", "number"),
        Answer::Choice { .. } => lang.pick("选项", "choice"),
        Answer::Text => lang.pick("文字", "text"),
    }
}

/// `template` as a workbook in `lang`.
pub fn export_xlsx(template: &Template, lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Corrupt(format!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&template.name)).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, (_, zh, en)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, lang.pick(zh, en), &bold).map_err(fail)?;
    }
    let yes = |b: bool| if b { lang.pick("是", "yes") } else { lang.pick("否", "no") };
    let number = |n: Option<f64>| n.map(super::template::format_number).unwrap_or_default();
    for (r, item) in template.items.iter().enumerate() {
        let (unit, min, max, options, abnormal) = match &item.answer {
            Answer::Number { unit, min, max } => {
                (unit.clone(), number(*min), number(*max), String::new(), String::new())
            }
            Answer::Choice { options, abnormal } => {
                (String::new(), String::new(), String::new(), options.join(", "), abnormal.join(", "))
            }
            _ => Default::default(),
        };
        let cells = [
            item.key.clone(),
            item.category.name(lang).to_owned(),
            item.title.clone(),
            item.how.clone(),
            answer_name(&item.answer, lang).to_owned(),
            unit,
            min,
            max,
            options,
            abnormal,
            yes(item.required).to_owned(),
            yes(item.attachment_when_abnormal).to_owned(),
            item.level.code().to_owned(),
        ];
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string((r + 1) as u32, c as u16, cell).map_err(fail)?;
        }
    }
    sheet.autofit();
    workbook.save_to_buffer().map_err(fail)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.trim().is_empty() {
        "Template".into()
    } else {
        clean
    }
}

/// A sheet read back as a template form named `name` (the sheet's or the file's name). Cells
/// that do not fit are kept as written, for the editor to point at.
pub fn form_from_sheet(sheet: &Sheet, name: &str) -> Result<TemplateForm> {
    let column = |key: &str| {
        let (_, zh, en) = COLUMNS.iter().find(|(k, _, _)| *k == key)?;
        sheet.headers.iter().position(|h| {
            let h = h.trim();
            h == *zh || h.eq_ignore_ascii_case(en) || h.eq_ignore_ascii_case(key)
        })
    };
    if column("title").is_none() {
        return Err(Error::ImportFormat("the header row needs an item column (检查项 / Item)".into()));
    }
    let cell = |row: &[String], key: &str| {
        column(key).and_then(|i| row.get(i)).map(|c| c.trim().to_owned()).unwrap_or_default()
    };
    let yes =
        |text: String| matches!(text.to_lowercase().as_str(), "是" | "yes" | "y" | "true" | "1" | "√" | "✓");
    let list = |text: String| -> Vec<String> {
        text.split([',', '，', ';', '；', '、'])
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let number = |text: String| super::template::parse_number(&text);
    let items = sheet
        .rows
        .iter()
        .filter(|row| !cell(row, "title").is_empty())
        .map(|row| {
            let kind = cell(row, "answer").to_lowercase();
            let answer = if ["数值", "number", "数字"].contains(&kind.as_str()) {
                Answer::Number {
                    unit: cell(row, "unit"),
                    min: number(cell(row, "min")),
                    max: number(cell(row, "max")),
                }
            } else if ["选项", "choice", "单选"].contains(&kind.as_str()) {
                Answer::Choice { options: list(cell(row, "options")), abnormal: list(cell(row, "abnormal")) }
            } else if ["文字", "text", "文本"].contains(&kind.as_str()) {
                Answer::Text
            } else {
                Answer::PassFail
            };
            let category_text = cell(row, "category");
            let category = Category::ALL
                .into_iter()
                .find(|c| {
                    category_text.eq_ignore_ascii_case(c.code())
                        || category_text == c.name(Lang::ZhCn)
                        || category_text.eq_ignore_ascii_case(c.name(Lang::En))
                })
                .map_or(category_text, |c| c.code().to_owned());
            let required = cell(row, "required");
            ItemForm {
                key: cell(row, "key"),
                category,
                title: cell(row, "title"),
                how: cell(row, "how"),
                answer,
                required: required.is_empty() || yes(required),
                attachment_when_abnormal: yes(cell(row, "attachment")),
                level: match cell(row, "level").to_uppercase().trim_end_matches('级').trim() {
                    "" => "III".into(),
                    level => level.to_owned(),
                },
            }
        })
        .collect();
    Ok(TemplateForm { name: name.trim().to_owned(), description: String::new(), items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::template::builtin_templates;

    #[test]
    fn a_template_round_trips_through_xlsx_in_either_language() {
        for lang in [Lang::ZhCn, Lang::En] {
            for template in builtin_templates(lang) {
                let bytes = export_xlsx(&template, lang).unwrap();
                let sheet = crate::people::import::read_sheet(&bytes, "t.xlsx").unwrap();
                let form = form_from_sheet(&sheet, &template.name).unwrap();
                let back = form.validate(template.id.clone(), 1).unwrap();
                let mut expected = template.clone();
                expected.description = String::new();
                assert_eq!(back, expected, "{}", template.name);
            }
        }
    }

    #[test]
    fn a_hand_made_sheet_reads_with_words_people_use() {
        let sheet = Sheet {
            headers: vec![
                "检查项".into(),
                "类别".into(),
                "结果类型".into(),
                "单位".into(),
                "正常下限".into(),
                "建议级别".into(),
            ],
            rows: vec![
                vec![
                    "剩余空间".into(),
                    "数据库".into(),
                    "数值".into(),
                    "GB".into(),
                    "50".into(),
                    "II级".into(),
                ],
                vec!["服务状态".into(), "server".into(), "".into(), "".into(), "".into(), "".into()],
                vec!["".into(), "".into(), "".into(), "".into(), "".into(), "".into()],
                vec!["网络".into(), "机房".into(), "".into(), "".into(), "".into(), "".into()],
            ],
        };
        let form = form_from_sheet(&sheet, "我的巡检").unwrap();
        assert_eq!(form.items.len(), 3);
        assert_eq!(form.items[0].answer, Answer::Number { unit: "GB".into(), min: Some(50.0), max: None });
        assert_eq!((form.items[0].category.as_str(), form.items[0].level.as_str()), ("database", "II"));
        assert_eq!(form.items[1].answer, Answer::PassFail);
        // An unknown category is kept for the editor to point at.
        let refused = form.validate("t".into(), 1).unwrap_err();
        assert_eq!(refused.field_names(), vec!["items.2.category"]);
        let no_items = Sheet { headers: vec!["编号".into()], rows: vec![] };
        assert!(form_from_sheet(&no_items, "x").is_err());
    }
}
