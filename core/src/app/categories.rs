//! The category lists and the one-off mapping of text written before them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::{self, Category, CategoryForm, CategoryKind, Mapping, Unmapped};
use crate::store::Store;
use crate::Result;

/// The lists, the mappings made, and what no category holds yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryOverview {
    pub categories: Vec<Category>,
    pub mappings: Vec<Mapping>,
    /// Both kinds, most frequent first within each.
    pub unmapped: Vec<Unmapped>,
}

pub fn overview(store: &Store) -> Result<CategoryOverview> {
    let resolver = store.category_resolver()?;
    let mut unmapped = Vec::new();
    for kind in [CategoryKind::FaultType, CategoryKind::Cause] {
        unmapped.extend(category::unmapped(&resolver, kind, &store.uncoded_texts(kind)?));
    }
    Ok(CategoryOverview { categories: store.categories()?, mappings: store.category_mappings()?, unmapped })
}

/// Adds or changes an entry of a list.
pub fn save(store: &mut Store, form: &CategoryForm) -> Result<Category> {
    let category = form.validate(&store.categories()?)?;
    store.save_category(&category)?;
    Ok(category)
}

/// Counts `text` (as written, or already normalised) of `kind` under `code`; an empty `code`
/// gives it back to "uncategorised". Recorded as the current user's.
pub fn map(store: &mut Store, kind: CategoryKind, text: &str, code: &str, now: DateTime<Utc>) -> Result<()> {
    let key = category::normalise(text);
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return store.unmap_spelling(kind, &key);
    }
    let actor = store.settings()?.user_name;
    store.map_spelling(&Mapping { kind, key, code }, &actor, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::IncidentQuery;
    use crate::quality::ParetoBy;
    use crate::store::testing::{in_memory_db, new_incident, now};
    use crate::timeline::{NewEvent, ReportFields};
    use crate::Lang;
    use chrono::Duration;

    /// An incident resolved and reported with `fault_type` typed and `code` chosen.
    fn reported(store: &mut Store, title: &str, fault_type: &str, code: &str, cause: &str) -> String {
        let at = now() - Duration::hours(5);
        let id = store.create_incident(&new_incident(title, &at.to_rfc3339()), now()).unwrap().summary.id;
        let event = |kind: &str, minutes: i64| NewEvent {
            kind: kind.into(),
            occurred_at: (at + Duration::minutes(minutes)).to_rfc3339(),
            summary: "重启服务".into(),
            ..Default::default()
        };
        for (kind, minutes) in [("responded", 5), ("resolved", 60)] {
            crate::app::incidents::record_event(store, &id, &event(kind, minutes), now()).unwrap();
        }
        let mut report = event("report_submitted", 90);
        report.report = ReportFields {
            fault_type: fault_type.into(),
            fault_type_code: code.into(),
            cause: cause.into(),
            method: "重启".into(),
            losses: "无".into(),
            ..Default::default()
        };
        crate::app::incidents::record_event(store, &id, &report, now()).unwrap();
        id
    }

    #[test]
    fn mapping_two_spellings_makes_one_pareto_bar_and_leaves_nothing_unaccounted() {
        let mut store = in_memory_db();
        reported(&mut store, "库一", "数据库故障", "", "连接数耗尽");
        reported(&mut store, "库二", "数据库 故障", "", "连接数耗尽");
        reported(&mut store, "网一", "交换机端口", "NET", "端口坏");
        reported(&mut store, "打印", "打印机卡纸", "", "纸张受潮");
        let (from, to) = (now() - Duration::days(1), now() + Duration::seconds(1));
        let before = store.pareto(ParetoBy::FaultType, from, to, Lang::ZhCn).unwrap();
        assert_eq!((before.bars.len(), before.uncategorised), (1, 3));

        // The screen offers the two spellings as one line, suggesting the database category.
        let o = overview(&store).unwrap();
        let faults: Vec<&Unmapped> =
            o.unmapped.iter().filter(|u| u.kind == CategoryKind::FaultType).collect();
        assert_eq!(faults.len(), 2, "{faults:?}");
        assert_eq!((faults[0].count, faults[0].suggestion.as_deref()), (2, Some("DB")));
        map(&mut store, CategoryKind::FaultType, &faults[0].spellings[1], "DB", now()).unwrap();

        let after = store.pareto(ParetoBy::FaultType, from, to, Lang::ZhCn).unwrap();
        let bars: Vec<(&str, u32)> = after.bars.iter().map(|b| (b.label.as_str(), b.count)).collect();
        assert_eq!(bars, vec![("数据库", 2), ("网络", 1)]);
        // Every reported incident is in a bar or counted as uncategorised.
        assert_eq!(after.total + after.uncategorised, 4);
        assert_eq!(after.uncategorised, 1);

        // Search finds them by category, and the rest as uncategorised.
        let find = |fault_type: &str| {
            let q = IncidentQuery { fault_type: Some(fault_type.into()), ..Default::default() };
            let mut titles: Vec<String> =
                store.list_incidents(&q, now()).unwrap().items.into_iter().map(|i| i.title).collect();
            titles.sort();
            titles
        };
        assert_eq!(find("DB"), vec!["库一", "库二"]);
        assert_eq!(find("-"), vec!["打印"]);
        // A cause group takes its entries: nothing here chose one.
        let q = IncidentQuery { cause: Some("SW".into()), ..Default::default() };
        assert_eq!(store.list_incidents(&q, now()).unwrap().total, 0);

        // Unmapping gives the text back; the typed text was never changed.
        map(&mut store, CategoryKind::FaultType, "数据库故障", "", now()).unwrap();
        assert_eq!(store.pareto(ParetoBy::FaultType, from, to, Lang::ZhCn).unwrap().uncategorised, 3);
        // A mapping onto a code that is not in use is refused.
        let refused = map(&mut store, CategoryKind::FaultType, "打印机卡纸", "NOPE", now()).unwrap_err();
        assert!(refused.message(Lang::ZhCn).contains("NOPE"));
    }

    #[test]
    fn a_report_chooses_categories_in_use_and_prints_them_with_its_detail() {
        let mut store = in_memory_db();
        let id = reported(&mut store, "门户白屏", "主库连接数耗尽", "DB", "连接数耗尽");
        let q = IncidentQuery { fault_type: Some("DB".into()), ..Default::default() };
        assert_eq!(store.list_incidents(&q, now()).unwrap().items[0].id, id);
        // The report prints the category with the typed text as its detail.
        let incident = store.get_incident(&id, now()).unwrap();
        let resolver = store.category_resolver().unwrap();
        let input = crate::report::ReportInput {
            organisation: "运维项目组",
            incident: &incident,
            revision: 1,
            lang: Lang::ZhCn,
            generated_at: now(),
            fields: None,
            signature: None,
            sample: false,
            logo: None,
            categories: &resolver,
        };
        let rows: Vec<Vec<String>> = crate::report::incident_report_content(&input)
            .sections
            .into_iter()
            .flat_map(|s| s.rows)
            .collect();
        assert!(rows.contains(&vec!["故障种类".to_owned(), "数据库：主库连接数耗尽".to_owned()]), "{rows:?}");
        assert!(rows.contains(&vec!["故障原因".to_owned(), "连接数耗尽".to_owned()]), "{rows:?}");
        // A retired category is no longer offered.
        let form = CategoryForm {
            kind: "fault_type".into(),
            code: "DB".into(),
            name: "数据库".into(),
            retired: true,
            editing: true,
            ..Default::default()
        };
        save(&mut store, &form).unwrap();
        let at = now() - Duration::hours(5);
        let second =
            store.create_incident(&new_incident("第二件", &at.to_rfc3339()), now()).unwrap().summary.id;
        let mut report = NewEvent {
            kind: "report_submitted".into(),
            occurred_at: now().to_rfc3339(),
            ..Default::default()
        };
        report.report =
            ReportFields { fault_type_code: "db".into(), cause_code: "SW-CFG".into(), ..Default::default() };
        let refused = crate::app::incidents::record_event(&mut store, &second, &report, now()).unwrap_err();
        assert_eq!(refused.field_names(), vec!["fault_type_code"]);
        // What the retired category already counts stays counted.
        assert_eq!(store.list_incidents(&q, now()).unwrap().total, 1);
    }
}
