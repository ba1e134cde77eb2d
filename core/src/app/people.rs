//! People and the rota: the team against the plan's structure, certificates running out, who is
//! on duty, spreadsheet imports and exports, and the rota as a calendar.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::people::import::{
    auto_map, check_rows, export_xlsx, rows_to_forms, Column, ImportPreview, RowError, Sheet, PREVIEW_ERRORS,
};
use crate::people::{certificate_alerts as alerts, team_structure as structure};
use crate::people::{CertificateAlert, PeopleQuery, PersonDetails, PersonKind, TeamStructure};
use crate::roster::{self, Duty, OnDuty, Rota, Rotation};
use crate::store::Store;
use crate::{Error, Lang, Result};

fn team(store: &Store, today: NaiveDate) -> Result<Vec<crate::people::Person>> {
    store.list_people(&PeopleQuery { kind: "team".into(), ..Default::default() }, today)
}

/// The team by the plan's departments, for the org chart.
pub fn team_structure(store: &Store, today: NaiveDate) -> Result<TeamStructure> {
    Ok(structure(&team(store, today)?))
}

/// Certificates of current team members expiring within 90 days of `today`, soonest first.
pub fn certificate_alerts(store: &Store, today: NaiveDate) -> Result<Vec<CertificateAlert>> {
    Ok(alerts(&team(store, today)?, today))
}

/// Every duty in `[from, to)`, with names and the coverage check.
pub fn rota(store: &Store, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Rota> {
    let calendar = store.working_calendar()?;
    let rotations = store.rotations()?;
    let duties = roster::schedule(&rotations, &store.overrides(from, to)?, &calendar, from, to);
    // Nothing is owed before the first rotation begins: its start is where gaps can be.
    let begins = rotations
        .iter()
        .map(|r| crate::zone::service_midnight(r.start_date) + (r.handover - chrono::NaiveTime::MIN))
        .min();
    let checked_from = begins.map_or(from, |b| b.clamp(from, to));
    let mut coverage = roster::coverage(&duties, &calendar, checked_from, to);
    // The daytime desk is checked once a desk rotation exists, from when the first one begins.
    let desk: Vec<&Rotation> = rotations.iter().filter(|r| r.desk).collect();
    if let Some(desk_from) = desk.iter().map(|r| crate::zone::service_midnight(r.start_date)).min() {
        let desk_duties: Vec<Duty> = duties
            .iter()
            .filter(|d| d.rotation_id.as_ref().is_none_or(|id| desk.iter().any(|r| &r.id == id)))
            .cloned()
            .collect();
        coverage.desk_gaps = roster::desk_gaps(&desk_duties, &calendar, desk_from.clamp(from, to), to);
    }
    let mut names = HashMap::new();
    for d in &duties {
        if !names.contains_key(&d.person_id) {
            let name =
                store.get_person(&d.person_id).map_or_else(|_| d.person_id.clone(), |p| p.details.name);
            names.insert(d.person_id.clone(), name);
        }
    }
    Ok(Rota { duties, names, coverage })
}

/// Who is on duty at `now` and the next hand-over (within a week).
pub fn on_duty(store: &Store, now: DateTime<Utc>) -> Result<OnDuty> {
    let rota = rota(store, now - Duration::days(1), now + Duration::days(7))?;
    let (current, next) = roster::on_duty(&rota.duties, now);
    let people: Vec<String> =
        current.iter().map(|d| rota.names.get(&d.person_id).cloned().unwrap_or_default()).collect();
    // The rota covers the nights and rest days; in working time the service desk answers.
    let office_hours = people.is_empty()
        && !store.working_calendar()?.working_intervals(now, now + Duration::seconds(1)).is_empty();
    let desk_query = PeopleQuery {
        kind: "team".into(),
        department: crate::people::Department::CustomerService.code().into(),
        ..Default::default()
    };
    let desk = store
        .list_people(&desk_query, crate::zone::service_date(now))?
        .into_iter()
        .map(|p| p.details.name)
        .collect();
    Ok(OnDuty { people, next_handover: next, office_hours, desk })
}

/// The rota of `[from, to)` as an iCalendar file; only `person_id`'s shifts when given.
pub fn rota_ics(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    person_id: Option<&str>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<String> {
    let rota = rota(store, from, to)?;
    let duties: Vec<Duty> =
        rota.duties.into_iter().filter(|d| person_id.is_none_or(|p| p == d.person_id)).collect();
    let rota_name = lang.pick("值班表", "Duty rota");
    let title = match person_id.and_then(|p| rota.names.get(p)) {
        Some(name) => format!("{rota_name} · {name}"),
        None => rota_name.to_owned(),
    };
    Ok(roster::duties_ics(&duties, &rota.names, &title, now))
}

/// Checks `sheet` under `mapping` (`None`: matched from the headers) without writing.
pub fn preview_people_import(
    store: &Store,
    sheet: &Sheet,
    mapping: Option<&[Option<Column>]>,
    kind: PersonKind,
    lang: Lang,
) -> Result<ImportPreview> {
    let mapping = mapping.map_or_else(|| auto_map(&sheet.headers), <[_]>::to_vec);
    let (valid, errors) = check_import(store, sheet, &mapping, kind, lang)?;
    Ok(ImportPreview {
        headers: sheet.headers.clone(),
        rows: sheet.rows.len(),
        valid: valid.len(),
        error_count: errors.len(),
        errors: errors.into_iter().take(PREVIEW_ERRORS).collect(),
        mapping,
    })
}

/// Imports every row of `sheet` in one transaction, or nothing when any row is wrong.
/// `progress(done, total)` is called every 500 rows.
pub fn import_people(
    store: &mut Store,
    sheet: &Sheet,
    mapping: &[Option<Column>],
    kind: PersonKind,
    lang: Lang,
    now: DateTime<Utc>,
    progress: impl FnMut(usize, usize),
) -> Result<usize> {
    let (valid, errors) = check_import(store, sheet, mapping, kind, lang)?;
    if !errors.is_empty() {
        return Err(Error::ImportRows { count: errors.len() });
    }
    store.insert_people(valid, now, progress)
}

fn check_import(
    store: &Store,
    sheet: &Sheet,
    mapping: &[Option<Column>],
    kind: PersonKind,
    lang: Lang,
) -> Result<(Vec<PersonDetails>, Vec<RowError>)> {
    if !mapping.contains(&Some(Column::Name)) {
        return Err(Error::ImportFormat(
            lang.pick("没有“姓名”列：请为一列选择“姓名”", "No name column: map one column to Name").into(),
        ));
    }
    let (valid, problems) = check_rows(&rows_to_forms(sheet, mapping, kind), &store.people_keys()?);
    let errors = problems
        .into_iter()
        .map(|(row, f)| RowError { row, field: f.field.to_string(), message: f.message(lang) })
        .collect();
    Ok((valid, errors))
}

/// The roster (who match `query`) as an `.xlsx` workbook.
pub fn export_people_xlsx(
    store: &Store,
    query: &PeopleQuery,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>> {
    export_xlsx(&store.list_people(query, today)?, lang)
}

#[cfg(test)]
mod tests;
