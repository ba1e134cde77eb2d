//! The category lists, the spellings mapped onto them, and the texts no category holds yet.

use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::{ts, Store};
use crate::category::{Category, CategoryKind, Mapping, NoSuchCategory, Resolver};
use crate::error::{FieldError, Rule};
use crate::timeline::ReportFields;
use crate::{Error, Result};

impl Store {
    /// Both lists, each in its order.
    pub fn categories(&self) -> Result<Vec<Category>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, code, name, name_en, parent, retired, position FROM categories ORDER BY kind DESC, position, code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Category {
                    kind: CategoryKind::FaultType,
                    code: r.get(1)?,
                    name: r.get(2)?,
                    name_en: r.get(3)?,
                    parent: r.get(4)?,
                    retired: r.get(5)?,
                    position: r.get(6)?,
                },
            ))
        })?;
        rows.map(|row| {
            let (kind, category) = row?;
            let kind = CategoryKind::from_code(&kind)
                .ok_or_else(|| Error::Corrupt(format!("category kind {kind:?}")))?;
            Ok(Category { kind, ..category })
        })
        .collect()
    }

    /// Adds or changes one entry (checked by [`crate::category::CategoryForm::validate`]).
    pub fn save_category(&mut self, c: &Category) -> Result<()> {
        self.conn.execute(
            "INSERT INTO categories (kind, code, name, name_en, parent, retired, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (kind, code) DO UPDATE SET name = ?3, name_en = ?4, parent = ?5, retired = ?6",
            params![c.kind.code(), c.code, c.name, c.name_en, c.parent, c.retired, c.position],
        )?;
        Ok(())
    }

    pub fn category_mappings(&self) -> Result<Vec<Mapping>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT kind, key, code FROM category_mappings ORDER BY kind, key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
        rows.map(|row| {
            let (kind, key, code) = row?;
            let kind = CategoryKind::from_code(&kind)
                .ok_or_else(|| Error::Corrupt(format!("mapping kind {kind:?}")))?;
            Ok(Mapping { kind, key, code })
        })
        .collect()
    }

    /// What places an incident in a category: the lists and the mappings as they stand.
    pub fn category_resolver(&self) -> Result<Resolver> {
        Ok(Resolver::new(self.categories()?, self.category_mappings()?))
    }

    /// Counts `key` (a normalised spelling) under `code`, which must be a category of `kind`
    /// in use; replaces an earlier mapping of the spelling.
    pub fn map_spelling(&mut self, m: &Mapping, actor: &str, now: DateTime<Utc>) -> Result<()> {
        let known = self.categories()?.iter().any(|c| c.kind == m.kind && c.code == m.code && !c.retired);
        if !known {
            return Err(Error::refused(NoSuchCategory { code: m.code.clone() }));
        }
        self.conn.execute(
            "INSERT INTO category_mappings (kind, key, code, mapped_by, mapped_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (kind, key) DO UPDATE SET code = ?3, mapped_by = ?4, mapped_at = ?5",
            params![m.kind.code(), m.key, m.code, actor, ts(now)],
        )?;
        Ok(())
    }

    /// Gives a spelling back to "uncategorised".
    pub fn unmap_spelling(&mut self, kind: CategoryKind, key: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM category_mappings WHERE kind = ?1 AND key = ?2",
            params![kind.code(), key],
        )?;
        Ok(())
    }

    /// The texts of `kind` that reports wrote without choosing a category, with how many
    /// incidents' latest report says each.
    pub fn uncoded_texts(&self, kind: CategoryKind) -> Result<Vec<(String, u32)>> {
        let (code, text) = columns(kind);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {text}, count(*) FROM incidents WHERE {code} = '' AND {text} != '' GROUP BY {text}"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Refuses a report whose chosen categories are not in use, next to their fields.
    pub fn check_report_categories(&self, report: &ReportFields) -> Result<()> {
        let list = self.categories()?;
        let mut errors = Vec::new();
        for (kind, field, code) in [
            (CategoryKind::FaultType, "fault_type_code", &report.fault_type_code),
            (CategoryKind::Cause, "cause_code", &report.cause_code),
        ] {
            let code = code.trim().to_uppercase();
            if !code.is_empty() && !list.iter().any(|c| c.kind == kind && c.code == code && !c.retired) {
                errors.push(FieldError::new(field, Rule::Unknown { value: code }));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(errors, crate::timeline::labels))
        }
    }

    /// The SQL condition on `incidents` (and its parameters) of the incidents counted under
    /// category `wanted` of `kind` (a group takes its entries), or of those counted under none
    /// ([`crate::incident::UNCATEGORISED`]).
    pub(super) fn category_condition(
        &self,
        kind: CategoryKind,
        wanted: &str,
    ) -> Result<(String, Vec<Value>)> {
        let resolver = self.category_resolver()?;
        let (code, text) = columns(kind);
        let uncategorised = wanted == crate::incident::UNCATEGORISED;
        let codes: Vec<String> = if uncategorised {
            Vec::new()
        } else {
            let wanted = wanted.to_uppercase();
            resolver
                .categories()
                .iter()
                .filter(|c| c.kind == kind && resolver.within(kind, &c.code, &wanted))
                .map(|c| c.code.clone())
                .collect()
        };
        let texts: Vec<String> = self
            .uncoded_texts(kind)?
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| match resolver.resolve(kind, "", t) {
                None => uncategorised,
                Some(code) => codes.iter().any(|c| c == code),
            })
            .collect();
        let marks = |n: usize| vec!["?"; n].join(", ");
        let condition = format!(
            "({code} IN ({}) OR ({code} = '' AND {text} IN ({})))",
            marks(codes.len()),
            marks(texts.len())
        );
        Ok((condition, codes.into_iter().chain(texts).map(Value::Text).collect()))
    }

    /// The (chosen code, typed text, count) of incidents resolved in `[from, to)` with a report.
    pub(super) fn resolved_categories(
        &self,
        kind: CategoryKind,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, String, u32)>> {
        let (code, text) = columns(kind);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {code}, {text}, count(*) FROM incidents
             WHERE resolved_at >= ?1 AND resolved_at < ?2 AND ({code} != '' OR {text} != '') GROUP BY {code}, {text}"
        ))?;
        let rows = stmt.query_map(params![ts(from), ts(to)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The projection columns of a kind: the chosen code and the typed text.
pub(super) fn columns(kind: CategoryKind) -> (&'static str, &'static str) {
    match kind {
        CategoryKind::FaultType => ("fault_type_code", "fault_type"),
        CategoryKind::Cause => ("cause_code", "cause"),
    }
}
