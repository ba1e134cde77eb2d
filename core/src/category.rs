//! Categories (分类) of fault types (故障种类) and causes (故障原因): editable lists with codes, a
//! two-level tree for causes, so the Pareto chart counts kinds of fault instead of spellings.
//!
//! A report names its category by code and keeps the typed text as detail. Text written before
//! the lists existed (or imported) is placed by a mapping from its normalised spelling to a code,
//! or, when it spells a category's own name, by that name. Nothing rewrites what was recorded:
//! the category of an incident is worked out when it is counted, so a changed mapping applies at
//! once and a removed one gives the text back to "uncategorised".

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Explain, FieldError, Rule};
use crate::text::Kind;
use crate::{Error, Lang, Result};

pub const CODE_MAX_CHARS: usize = 20;
pub const NAME_MAX_CHARS: usize = 40;

/// Which list a category belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CategoryKind {
    FaultType,
    Cause,
}

impl CategoryKind {
    pub fn code(self) -> &'static str {
        match self {
            CategoryKind::FaultType => "fault_type",
            CategoryKind::Cause => "cause",
        }
    }

    pub fn from_code(code: &str) -> Option<CategoryKind> {
        match code {
            "fault_type" => Some(CategoryKind::FaultType),
            "cause" => Some(CategoryKind::Cause),
            _ => None,
        }
    }
}

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Category {
    pub kind: CategoryKind,
    /// Short and stable (`DB`, `SW-BUG`): what reports store.
    pub code: String,
    pub name: String,
    /// The English name; empty shows `name`.
    pub name_en: String,
    /// The group a cause belongs to (top level only: the tree has two levels).
    pub parent: Option<String>,
    /// No longer offered for new reports; what it already counts stays counted.
    pub retired: bool,
    pub position: i64,
}

impl Category {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name,
        }
    }
}

/// The category form as filled in: a new entry, or an edit of `code` when `editing` is true.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CategoryForm {
    /// `fault_type` or `cause`.
    pub kind: String,
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// A top-level code of the same list, or empty.
    pub parent: String,
    pub retired: bool,
    /// Whether `code` names an existing entry to change (its code cannot change).
    pub editing: bool,
}

impl CategoryForm {
    /// Checks the form against the current `list` (every entry of both kinds).
    pub fn validate(&self, list: &[Category]) -> Result<Category> {
        let mut errors = Vec::new();
        let kind = CategoryKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::Unknown { value: self.kind.clone() }));
        }
        let code = crate::text::check(&mut errors, "code", &self.code, CODE_MAX_CHARS, true, Kind::Line)
            .to_uppercase();
        if !code.is_empty() && !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.push(FieldError::new("code", Rule::CodeCharacters));
        }
        let name = crate::text::check(&mut errors, "name", &self.name, NAME_MAX_CHARS, true, Kind::Line);
        let name_en =
            crate::text::check(&mut errors, "name_en", &self.name_en, NAME_MAX_CHARS, false, Kind::Line);
        let parent = crate::text::trim(&self.parent).to_uppercase();
        let same_kind = |c: &&Category| Some(c.kind) == kind;
        let existing = list.iter().filter(same_kind).find(|c| c.code == code);
        match (self.editing, existing) {
            (true, None) if !code.is_empty() => {
                errors.push(FieldError::new("code", Rule::Unknown { value: code.clone() }))
            }
            (false, Some(_)) => errors.push(FieldError::new("code", Rule::Duplicate)),
            _ => {}
        }
        let named_twice =
            list.iter().filter(same_kind).any(|c| c.code != code && normalise(&c.name) == normalise(&name));
        if named_twice && !name.is_empty() {
            errors.push(FieldError::new("name", Rule::Duplicate));
        }
        let parent = if parent.is_empty() {
            None
        } else {
            let top = list.iter().filter(same_kind).find(|c| c.code == parent && c.parent.is_none());
            let has_children =
                list.iter().filter(same_kind).any(|c| c.parent.as_deref() == Some(code.as_str()));
            if top.is_none() || parent == code {
                errors.push(FieldError::new("parent", Rule::Unknown { value: parent.clone() }));
            } else if has_children {
                // A group cannot become a child: the tree has two levels.
                errors.push(FieldError::new("parent", Rule::TooDeep));
            }
            Some(parent)
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(Category {
                kind,
                position: existing.map_or_else(
                    || list.iter().filter(|c| c.kind == kind).map(|c| c.position + 1).max().unwrap_or(1),
                    |c| c.position,
                ),
                code,
                name,
                name_en,
                parent,
                retired: self.retired,
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// The text a mapping is keyed by: case, width and spacing do not make another category
/// ("数据库 故障", "数据库故障", "ＤＢ故障" and "db故障。" are one spelling).
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            // Full-width ASCII and the ideographic space.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && !crate::text::forbidden(*c, Kind::Block))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_end_matches(['.', '。', '!', '！', ';', '；', ',', '，'])
        .to_owned()
}

/// How alike two normalised texts are, 0–1: the Dice coefficient of their character pairs (of
/// their characters when one is a single character), with a containment counted as a match.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b || a.contains(b) || b.contains(a) {
        return 1.0;
    }
    let grams = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, mut y) = (grams(a), grams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let total = x.len() + y.len();
    let mut shared = 0;
    for g in &x {
        if let Some(i) = y.iter().position(|h| h == g) {
            y.swap_remove(i);
            shared += 1;
        }
    }
    2.0 * shared as f64 / total as f64
}

/// A suggestion below this similarity is not offered.
pub const SUGGEST_AT_LEAST: f64 = 0.3;

/// Where the count of an incident goes: its report's chosen code, else the mapping of its text,
/// else the category its text names.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    categories: Vec<Category>,
    /// (kind, normalised text) → code.
    mappings: HashMap<(CategoryKind, String), String>,
}

impl Resolver {
    pub fn new(categories: Vec<Category>, mappings: impl IntoIterator<Item = Mapping>) -> Resolver {
        let mappings = mappings.into_iter().map(|m| ((m.kind, m.key), m.code)).collect();
        Resolver { categories, mappings }
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn get(&self, kind: CategoryKind, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.kind == kind && c.code == code)
    }

    /// The code an incident counts under: `code` when its report chose one (and the list still
    /// has it), else the mapping of `text`, else the category `text` names; `None`:
    /// uncategorised.
    pub fn resolve(&self, kind: CategoryKind, code: &str, text: &str) -> Option<&str> {
        if let Some(c) = self.get(kind, code) {
            return Some(&c.code);
        }
        let key = normalise(text);
        if key.is_empty() {
            return None;
        }
        if let Some(code) = self.mappings.get(&(kind, key.clone())) {
            return self.get(kind, code).map(|c| c.code.as_str());
        }
        self.categories
            .iter()
            .find(|c| c.kind == kind && (normalise(&c.name) == key || normalise(&c.name_en) == key))
            .map(|c| c.code.as_str())
    }

    /// The category of `text` that reads most like it, for the mapping screen.
    pub fn suggest(&self, kind: CategoryKind, text: &str) -> Option<&str> {
        let key = normalise(text);
        self.categories
            .iter()
            .filter(|c| c.kind == kind && !c.retired)
            .map(|c| {
                let score =
                    similarity(&key, &normalise(&c.name)).max(similarity(&key, &normalise(&c.name_en)));
                // A leaf is a closer answer than its group at the same score.
                (score + if c.parent.is_some() { 0.01 } else { 0.0 }, c)
            })
            .filter(|(score, _)| *score >= SUGGEST_AT_LEAST)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.position.cmp(&a.1.position)))
            .map(|(_, c)| c.code.as_str())
    }

    /// How a code reads in `lang`: its name, with its group's for a cause under one
    /// ("软件 / 配置错误"); the code itself when the list no longer has it.
    pub fn label(&self, kind: CategoryKind, code: &str, lang: Lang) -> String {
        let Some(c) = self.get(kind, code) else { return code.to_owned() };
        match c.parent.as_deref().and_then(|p| self.get(kind, p)) {
            Some(parent) => format!("{} / {}", parent.label(lang), c.label(lang)),
            None => c.label(lang).to_owned(),
        }
    }

    /// Whether `code` is `group` or one of its children.
    pub fn within(&self, kind: CategoryKind, code: &str, group: &str) -> bool {
        code == group || self.get(kind, code).and_then(|c| c.parent.as_deref()) == Some(group)
    }
}

/// A spelling placed in a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mapping {
    pub kind: CategoryKind,
    /// The normalised text ([`normalise`]).
    pub key: String,
    pub code: String,
}

/// Text that no category holds yet, with how often it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Unmapped {
    pub kind: CategoryKind,
    pub key: String,
    /// The spellings of it as written, most used first.
    pub spellings: Vec<String>,
    /// Incidents whose latest report says it.
    pub count: u32,
    /// The closest category, if any is close enough.
    pub suggestion: Option<String>,
}

/// Groups `(text, count)` of one kind that `resolver` cannot place by their normalised
/// spelling, most frequent first.
pub fn unmapped(resolver: &Resolver, kind: CategoryKind, texts: &[(String, u32)]) -> Vec<Unmapped> {
    let mut groups: HashMap<String, Vec<(String, u32)>> = HashMap::new();
    for (text, count) in texts {
        if resolver.resolve(kind, "", text).is_none() && !normalise(text).is_empty() {
            groups.entry(normalise(text)).or_default().push((text.clone(), *count));
        }
    }
    let mut out: Vec<Unmapped> = groups
        .into_iter()
        .map(|(key, mut spellings)| {
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Unmapped {
                kind,
                suggestion: resolver.suggest(kind, &key).map(str::to_owned),
                count: spellings.iter().map(|s| s.1).sum(),
                spellings: spellings.into_iter().map(|s| s.0).collect(),
                key,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    out
}

/// A mapping must name a category of its kind that is still offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchCategory {
    pub code: String,
}

impl Explain for NoSuchCategory {
    fn code(&self) -> &'static str {
        "category_unknown"
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("分类“{}”不存在或已停用，请从列表中选择", self.code),
            Lang::En => format!("There is no category “{}” in use; choose one from the list", self.code),
        }
    }
}

pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    Some(match field {
        "kind" => lang.pick("分类表", "List"),
        "code" => lang.pick("代码", "Code"),
        "name" => lang.pick("名称", "Name"),
        "name_en" => lang.pick("英文名称", "English name"),
        "parent" => lang.pick("上级分类", "Group"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(kind: CategoryKind, code: &str, name: &str, parent: Option<&str>) -> Category {
        Category {
            kind,
            code: code.into(),
            name: name.into(),
            name_en: String::new(),
            parent: parent.map(str::to_owned),
            retired: false,
            position: 1,
        }
    }

    fn list() -> Vec<Category> {
        use CategoryKind::*;
        vec![
            cat(FaultType, "DB", "数据库", None),
            cat(FaultType, "NET", "网络", None),
            cat(Cause, "SW", "软件", None),
            cat(Cause, "SW-CFG", "配置错误", Some("SW")),
            cat(Cause, "HW", "硬件", None),
        ]
    }

    #[test]
    fn spellings_that_differ_in_spacing_width_case_or_a_full_stop_are_one() {
        let key = normalise("数据库故障");
        for s in ["数据库 故障", " 数据库　故障。", "数据库故障\t"] {
            assert_eq!(normalise(s), key, "{s}");
        }
        assert_eq!(normalise("ＤＢ Error"), normalise("db error"));
        assert_ne!(normalise("数据库故障"), normalise("数据库"));
    }

    #[test]
    fn a_chosen_code_wins_then_a_mapping_then_a_name_and_the_rest_is_uncategorised() {
        let mappings =
            vec![Mapping {
                kind: CategoryKind::FaultType, key: normalise("数据库故障"), code: "DB".into()
            }];
        let r = Resolver::new(list(), mappings);
        use CategoryKind::FaultType;
        assert_eq!(r.resolve(FaultType, "NET", "数据库故障"), Some("NET"));
        assert_eq!(r.resolve(FaultType, "", "数据库 故障"), Some("DB"));
        assert_eq!(r.resolve(FaultType, "", "网络"), Some("NET"));
        assert_eq!(r.resolve(FaultType, "GONE", "打印机卡纸"), None);
        assert_eq!(r.resolve(FaultType, "", "  "), None);
        // A cause code is not a fault type.
        assert_eq!(r.resolve(FaultType, "SW", ""), None);
        assert_eq!(r.label(CategoryKind::Cause, "SW-CFG", Lang::ZhCn), "软件 / 配置错误");
        assert!(r.within(CategoryKind::Cause, "SW-CFG", "SW"));
        assert!(!r.within(CategoryKind::Cause, "HW", "SW"));
    }

    #[test]
    fn unmapped_text_is_grouped_by_spelling_with_the_closest_category_suggested() {
        let r = Resolver::new(list(), vec![]);
        let texts = vec![
            ("数据库故障".to_owned(), 3),
            ("数据库 故障".to_owned(), 2),
            ("网络".to_owned(), 7),
            ("打印机卡纸".to_owned(), 1),
        ];
        let u = unmapped(&r, CategoryKind::FaultType, &texts);
        assert_eq!(u.len(), 2, "{u:?}");
        assert_eq!(
            (u[0].count, u[0].spellings.clone()),
            (5, vec!["数据库故障".to_owned(), "数据库 故障".to_owned()])
        );
        assert_eq!(u[0].suggestion.as_deref(), Some("DB"));
        assert_eq!((u[1].key.as_str(), u[1].suggestion.as_deref()), ("打印机卡纸", None));
        // A leaf reads closer than its group.
        assert_eq!(r.suggest(CategoryKind::Cause, "配置错误导致"), Some("SW-CFG"));
        // Sharing a third of their character pairs is close enough to offer.
        let expired = cat(CategoryKind::Cause, "SW-EXPIRED", "证书或许可过期", Some("SW"));
        let r = Resolver::new(vec![expired], vec![]);
        assert_eq!(r.suggest(CategoryKind::Cause, "推送证书过期"), Some("SW-EXPIRED"));
    }

    #[test]
    fn the_form_keeps_codes_unique_and_the_tree_two_levels_deep() {
        let form = |code: &str, name: &str, parent: &str, editing: bool| CategoryForm {
            kind: "cause".into(),
            code: code.into(),
            name: name.into(),
            parent: parent.into(),
            editing,
            ..Default::default()
        };
        let ok = form("sw-bug", "软件缺陷", "SW", false).validate(&list()).unwrap();
        assert_eq!((ok.code.as_str(), ok.parent.as_deref(), ok.position), ("SW-BUG", Some("SW"), 2));
        let fields = |f: CategoryForm| f.validate(&list()).unwrap_err().field_names();
        assert_eq!(fields(form("SW", "软件二", "", false)), vec!["code"]);
        assert_eq!(fields(form("X", "软 件", "", false)), vec!["name"]);
        assert_eq!(fields(form("X", "其他", "SW-CFG", false)), vec!["parent"]);
        assert_eq!(fields(form("SW", "软件", "HW", true)), vec!["parent"]);
        assert_eq!(fields(form("A B", "空格", "", false)), vec!["code"]);
        assert_eq!(fields(form("NOPE", "无", "", true)), vec!["code"]);
        // Renaming keeps the position; a fault type may reuse a cause's code.
        let renamed = form("SW", "软件问题", "", true).validate(&list()).unwrap();
        assert_eq!(renamed.name, "软件问题");
        let mut ft = form("SW", "软件", "", false);
        ft.kind = "fault_type".into();
        assert!(ft.validate(&list()).is_ok());
    }

    #[test]
    fn similarity_is_one_for_containment_and_falls_with_shared_pairs() {
        assert_eq!(similarity("数据库", "数据库服务器故障"), 1.0);
        assert!(similarity("网络中断", "网络故障") > 0.3);
        assert_eq!(similarity("打印", "网络"), 0.0);
    }
}
