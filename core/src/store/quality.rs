//! The figures of a period for the Dashboard, quality control and the monthly report, counted
//! from the projection the SLA engine keeps (`milestone_facts` and the incidents' columns), and
//! the QA samples.

use super::incidents::parse_level;
use super::{from_ms, ms, new_id, parse_ts, ts, Store};
use crate::corrective::{Source, ValidAction, QA_DUE_DAYS};
use crate::error::{Missing, Rule};
use crate::incident::Level;
use crate::level::LevelCounts;
use crate::quality::monthly::LevelTally;
use crate::quality::{
    draw_sample, mean_median, p_chart, pareto, xmr, Compliance, LevelTimes, PChart, Pareto, ParetoBy,
    PeriodStats, QaItem, QaSample, QaSampleForm, Tally, XmrChart,
};
use crate::sla::MilestoneKind;
use crate::training::plan::{attendance_counts, attendance_rate};
use crate::training::SessionQuery;
use crate::{Error, FieldError, Lang, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// Age limits of the backlog buckets, in days.
const AGE_DAYS: [i64; 3] = [1, 3, 7];

/// A milestone with a due time, as the projection stores it or a replay finds it.
#[derive(Debug, Clone, Copy)]
struct Fact {
    kind: MilestoneKind,
    level: Level,
    due: DateTime<Utc>,
    met: Option<DateTime<Utc>>,
}

impl Fact {
    fn on_time(&self) -> bool {
        self.met.is_some_and(|met| met <= self.due)
    }
}

/// The milestones of incidents whose projection time alone can change, as stored and as a
/// replay finds them now. Only two kinds of fact can: a paused clock's (its due time moves out
/// while the clock stands), and the emergency plan of an unresolved incident not yet due (it
/// becomes due when resolution runs late). Every other fact changes only with an event: a
/// running clock's due time is fixed, and a milestone waiting for an event to start (the report
/// waits for the resolution) stays as it is.
struct LiveFacts {
    stored: Vec<Fact>,
    fresh: Vec<Fact>,
}

impl LiveFacts {
    /// `(count, hits)` read from the stored facts, with the live incidents' stored facts that
    /// `matches` replaced by their fresh ones; `hit` says which facts count as hits.
    fn correct(
        &self,
        (count, hits): (i64, i64),
        matches: impl Fn(Fact) -> bool,
        hit: fn(&Fact) -> bool,
    ) -> (u32, u32) {
        let tally = |facts: &[Fact]| {
            facts.iter().filter(|f| matches(**f)).fold((0, 0), |(n, h), f| (n + 1, h + i64::from(hit(f))))
        };
        let (stale, fresh) = (tally(&self.stored), tally(&self.fresh));
        let fix = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        (fix(count - stale.0 + fresh.0), fix(hits - stale.1 + fresh.1))
    }
}

impl Store {
    /// See [`LiveFacts`]: the incidents with a milestone not met yet, replayed as of `now`.
    fn live_facts(&self, now: DateTime<Utc>) -> Result<LiveFacts> {
        let read_kind = |code: &str| MilestoneKind::ALL.into_iter().find(|k| k.code() == code);
        let read_level = |code: &str| Level::ALL.into_iter().find(|l| l.code() == code);
        let mut ids = self.conn.prepare_cached(
            "SELECT i.id, i.level FROM milestone_facts f JOIN incidents i ON i.seq = f.incident_seq
             WHERE f.kind = ?1 AND f.due_at IS NULL AND f.met_at IS NULL AND i.resolved_at IS NULL
             UNION
             SELECT i.id, i.level FROM incidents i WHERE i.status = 'paused'",
        )?;
        let ids: Vec<(String, String)> = ids
            .query_map([MilestoneKind::EmergencyPlan.code()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stored_rows = self.conn.prepare_cached(
            "SELECT kind, level, due_at, met_at FROM milestone_facts
             WHERE incident_seq = (SELECT seq FROM incidents WHERE id = ?1) AND due_at IS NOT NULL",
        )?;
        let calendars = crate::sla::Calendars::new(super::sla::working_calendar(&self.conn)?);
        let mut live = LiveFacts { stored: Vec::new(), fresh: Vec::new() };
        for (id, level) in ids {
            let rows = stored_rows.query_map([&id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            for row in rows {
                let (kind, level, due, met) = row?;
                if let (Some(kind), Some(level)) = (read_kind(&kind), read_level(&level)) {
                    let met = met.map(from_ms).transpose()?;
                    live.stored.push(Fact { kind, level, due: from_ms(due)?, met });
                }
            }
            let Some(level) = read_level(&level) else { continue };
            for m in super::incidents::milestones_of(&self.conn, &id, &calendars, now, Lang::default())? {
                if let (Some(due), true) =
                    (m.counts_at(), m.state != crate::sla::MilestoneState::NotApplicable)
                {
                    live.fresh.push(Fact { kind: m.kind, level, due, met: m.met_at });
                }
            }
        }
        Ok(live)
    }

    /// The figures of `[from, to)` as of `now`.
    pub fn period_stats(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<PeriodStats> {
        let (f, t) = (ts(from), ts(to));
        // Milestone facts keep milliseconds.
        let (due_from, due_until) = (ms(from), ms(to.min(now)));
        let per_level = |sql: &str| -> Result<LevelCounts> {
            let mut counts = LevelCounts::default();
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows =
                stmt.query_map(params![f, t], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
            for row in rows {
                let (level, n) = row?;
                if let Some(level) = Level::from_code(&level) {
                    counts.add(level, n);
                }
            }
            Ok(counts)
        };
        let opened = per_level(
            "SELECT level, count(*) FROM incidents WHERE reported_at >= ?1 AND reported_at < ?2 GROUP BY level",
        )?;
        let resolved = per_level(
            "SELECT level, count(*) FROM incidents WHERE resolved_at >= ?1 AND resolved_at < ?2 GROUP BY level",
        )?;

        // One index range per (milestone, level) cell: no grouping over the whole period. The
        // facts of incidents with a milestone still unmet can change with time alone: theirs
        // are replaced by a replay as of `now`.
        let live = self.live_facts(now)?;
        let in_period = |fact: &Fact| fact.due >= from && fact.due < to.min(now);
        let mut compliance = Vec::new();
        let mut cell = self.conn.prepare_cached(
            "SELECT count(*), coalesce(sum(met_at IS NOT NULL AND met_at <= due_at), 0) FROM milestone_facts
             WHERE kind = ?1 AND level = ?2 AND due_at >= ?3 AND due_at < ?4",
        )?;
        for kind in MilestoneKind::ALL {
            for level in Level::ALL {
                let (due, met): (i64, i64) = cell
                    .query_row(params![kind.code(), level.code(), due_from, due_until], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?;
                let ours = |fact: &Fact| fact.kind == kind && fact.level == level;
                let (due, met) =
                    live.correct((due, met), |fact| ours(&fact) && in_period(&fact), Fact::on_time);
                compliance.push(Compliance { kind, level, due, met, percent: percent(met, due) });
            }
        }
        let (due, met) = compliance.iter().fold((0, 0), |(d, m), c| (d + c.due, m + c.met));
        let overall_compliance = percent(met, due);

        let times = |sql: &str| -> Result<Vec<LevelTimes>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows =
                stmt.query_map(params![f, t], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut values: [Vec<f64>; 4] = Default::default();
            for row in rows {
                let (level, seconds) = row?;
                if let Some(i) = Level::ALL.iter().position(|l| l.code() == level) {
                    values[i].push(seconds as f64);
                }
            }
            Ok(Level::ALL
                .iter()
                .zip(values)
                .map(|(level, v)| {
                    let stats = mean_median(&v);
                    LevelTimes {
                        level: *level,
                        count: v.len() as u32,
                        mean_seconds: stats.map(|s| s.0),
                        median_seconds: stats.map(|s| s.1),
                    }
                })
                .collect())
        };
        let response = times(
            "SELECT level, response_seconds FROM incidents
             WHERE reported_at >= ?1 AND reported_at < ?2 AND response_seconds IS NOT NULL",
        )?;
        let resolution = times(
            "SELECT level, resolution_seconds FROM incidents
             WHERE resolved_at >= ?1 AND resolved_at < ?2 AND resolution_seconds IS NOT NULL",
        )?;

        // Open at the end of the period: reported before it and not resolved by then, by age.
        // (`+reported_at` keeps SQLite on the resolved-time index: few rows are unresolved.)
        let end = to.min(now);
        let bounds: Vec<String> = AGE_DAYS.iter().map(|d| ts(end - Duration::days(*d))).collect();
        let backlog: [u32; 4] = self.conn.query_row(
            "SELECT coalesce(sum(reported_at > ?2), 0), coalesce(sum(reported_at <= ?2 AND reported_at > ?3), 0),
                    coalesce(sum(reported_at <= ?3 AND reported_at > ?4), 0), coalesce(sum(reported_at <= ?4), 0)
             FROM (SELECT reported_at FROM incidents WHERE resolved_at IS NULL AND +reported_at < ?1
                   UNION ALL
                   SELECT reported_at FROM incidents WHERE resolved_at >= ?1 AND +reported_at < ?1)",
            params![ts(end), bounds[0], bounds[1], bounds[2]],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
        )?;
        let tally = |sql: &str| -> Result<Vec<Tally>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![f, t], |r| Ok(Tally { key: r.get(0)?, count: r.get(1)? }))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let by_channel = tally(
            "SELECT channel, count(*) FROM incidents WHERE reported_at >= ?1 AND reported_at < ?2
             GROUP BY channel ORDER BY count(*) DESC, channel",
        )?;
        let by_fault_type = self.fault_type_tally(from, to)?;

        let sessions = self.training_sessions(&SessionQuery {
            from: from.to_rfc3339(),
            to: to.to_rfc3339(),
            ..Default::default()
        })?;
        let held: Vec<_> = sessions.iter().filter(|s| s.held(now)).collect();
        let (attended, recorded) = attendance_counts(held.iter().flat_map(|s| &s.attendees));
        Ok(PeriodStats {
            from,
            to,
            opened,
            resolved,
            compliance,
            overall_compliance,
            response,
            resolution,
            backlog,
            by_channel,
            by_fault_type,
            training_planned: sessions.len() as u32,
            training_held: held.len() as u32,
            training_attendance: attendance_rate(attended, recorded),
        })
    }

    /// Incidents resolved in `[from, to)` with a report, by fault-type category code
    /// ([`crate::incident::UNCATEGORISED`]: a report naming none), most first.
    fn fault_type_tally(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Tally>> {
        let kind = crate::category::CategoryKind::FaultType;
        let resolver = self.category_resolver()?;
        let mut counts: HashMap<&str, u32> = HashMap::new();
        let rows = self.resolved_categories(kind, from, to)?;
        for (code, text, count) in &rows {
            let key = resolver.resolve(kind, code, text).unwrap_or(crate::incident::UNCATEGORISED);
            *counts.entry(key).or_default() += count;
        }
        let mut tally: Vec<Tally> =
            counts.into_iter().map(|(key, count)| Tally { key: key.to_owned(), count }).collect();
        tally.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        Ok(tally)
    }

    /// The Pareto chart of the fault-type or cause categories of incidents resolved in
    /// `[from, to)`, named in `lang`; reports placed in no category are counted apart.
    pub fn pareto(&self, by: ParetoBy, from: DateTime<Utc>, to: DateTime<Utc>, lang: Lang) -> Result<Pareto> {
        let kind = by.kind();
        let resolver = self.category_resolver()?;
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut uncategorised = 0;
        for (code, text, count) in self.resolved_categories(kind, from, to)? {
            match resolver.resolve(kind, &code, &text) {
                Some(code) => *counts.entry(code.to_owned()).or_default() += count,
                None => uncategorised += count,
            }
        }
        let mut chart = pareto(counts);
        for bar in &mut chart.bars {
            bar.label = resolver.label(kind, &bar.code, lang);
        }
        chart.uncategorised = uncategorised;
        Ok(chart)
    }

    /// The individuals chart of resolution time (hours, paused time excluded) of the incidents
    /// resolved in `[from, to)`, one point per incident in order of resolution.
    pub fn resolution_chart(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Option<XmrChart>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, resolution_seconds FROM incidents
             WHERE resolved_at >= ?1 AND resolved_at < ?2 AND resolution_seconds IS NOT NULL
             ORDER BY resolved_at, number",
        )?;
        let rows = stmt.query_map(params![ts(from), ts(to)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as f64 / 3600.0))
        })?;
        Ok(xmr(&rows.collect::<rusqlite::Result<Vec<_>>>()?, true))
    }

    /// The p-chart of the weekly proportion of milestones breached among those due, over the
    /// weeks (Monday first, service time zone) that start in `[from, to)` and have ended by `now`.
    pub fn breach_chart(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<PChart>> {
        let tz = crate::zone::SERVICE_TZ;
        let local = from.with_timezone(&tz).date_naive();
        let monday =
            local - Duration::days(i64::from(chrono::Datelike::weekday(&local).num_days_from_monday()));
        let mut week = crate::zone::service_midnight(monday);
        let mut samples = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*), coalesce(sum(met_at IS NULL OR met_at > due_at), 0)
             FROM milestone_facts WHERE due_at >= ?1 AND due_at < ?2",
        )?;
        let live = self.live_facts(now)?;
        while week < to {
            let next = week + Duration::weeks(1);
            if next > now {
                break;
            }
            let counts: (i64, i64) =
                stmt.query_row(params![ms(week), ms(next)], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let (n, d) = live.correct(counts, |fact| fact.due >= week && fact.due < next, |f| !f.on_time());
            samples.push((week.with_timezone(&tz).format("%m-%d").to_string(), n, d));
            week = next;
        }
        Ok(p_chart(&samples))
    }

    /// Draws a QA sample of closed incidents of the period; the seed is recorded.
    pub fn draw_qa_sample(
        &mut self,
        form: &QaSampleForm,
        drawn_by: &str,
        now: DateTime<Utc>,
    ) -> Result<QaSample> {
        let mut errors = Vec::new();
        let from = crate::incident::parse_instant(&mut errors, "from", &form.from);
        let to = crate::incident::parse_instant(&mut errors, "to", &form.to);
        let size = form.size.trim().parse::<u32>().ok().filter(|n| (1..=500).contains(n));
        if size.is_none() {
            errors.push(FieldError::new("size", Rule::OutOfRange { min: 1, max: 500 }));
        }
        let seed = match form.seed.trim() {
            "" => Some(fresh_seed(now)),
            s => s.parse::<u64>().ok().or_else(|| {
                errors.push(FieldError::new("seed", Rule::OutOfRange { min: 0, max: i64::MAX }));
                None
            }),
        };
        let (Some(from), Some(to), Some(size), Some(seed)) = (from, to, size, seed) else {
            return Err(Error::invalid(errors, crate::quality::labels));
        };
        if to <= from {
            return Err(Error::invalid(
                vec![FieldError::new("to", Rule::EndNotAfterStart)],
                crate::quality::labels,
            ));
        }
        let population: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM incidents WHERE closed_at >= ?1 AND closed_at < ?2")?;
            let rows = stmt.query_map(params![ts(from), ts(to)], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let drawn = draw_sample(&population, size as usize, seed);
        let id = new_id();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO qa_samples (id, period_from, period_to, size, seed, population, drawn_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, ts(from), ts(to), size, seed.to_string(), population.len() as u32, drawn_by, ts(now)],
        )?;
        for (position, incident) in drawn.iter().enumerate() {
            tx.execute(
                "INSERT INTO qa_sample_items (sample_id, position, incident_id) VALUES (?1, ?2, ?3)",
                params![id, position as u32, incident],
            )?;
        }
        tx.commit()?;
        self.qa_sample(&id, now)
    }

    /// Records the review of one sampled incident: `ok`, or `finding` with a note.
    pub fn review_qa_item(
        &mut self,
        sample_id: &str,
        incident_id: &str,
        outcome: &str,
        note: &str,
        reviewer: &str,
        now: DateTime<Utc>,
    ) -> Result<QaSample> {
        let mut errors = Vec::new();
        if !matches!(outcome, "ok" | "finding") {
            errors.push(FieldError::new("outcome", Rule::Unknown { value: outcome.to_owned() }));
        }
        let note = crate::text::check(
            &mut errors,
            "note",
            note,
            2000,
            outcome == "finding",
            crate::text::Kind::Block,
        );
        if !errors.is_empty() {
            return Err(Error::invalid(errors, crate::quality::labels));
        }
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE qa_sample_items SET outcome = ?3, note = ?4, reviewed_by = ?5, reviewed_at = ?6
             WHERE sample_id = ?1 AND incident_id = ?2",
            params![sample_id, incident_id, outcome, note.trim(), reviewer, ts(now)],
        )?;
        if n == 0 {
            return Err(Error::NotFound { what: Missing::QaSampleItem, id: incident_id.to_owned() });
        }
        // A finding becomes a corrective action, owned by whoever handled the incident.
        let source_id = format!("{sample_id}/{incident_id}");
        let raised: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM corrective_actions WHERE source = 'qa' AND source_id = ?1)",
            [&source_id],
            |r| r.get(0),
        )?;
        if outcome == "finding" && !raised {
            let (number, assignee): (String, Option<String>) =
                tx.query_row("SELECT number, assignee FROM incidents WHERE id = ?1", [incident_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let valid = ValidAction {
                title: note.trim().to_owned(),
                owner: assignee.filter(|a| !a.is_empty()).unwrap_or_else(|| reviewer.to_owned()),
                due: crate::zone::service_date(now) + Duration::days(QA_DUE_DAYS),
            };
            super::corrective::insert_action(&tx, Source::Qa, &source_id, &number, &valid, reviewer, now)?;
        }
        tx.commit()?;
        self.qa_sample(sample_id, now)
    }

    /// Every sample, newest first, with its items.
    pub fn qa_samples(&self, now: DateTime<Utc>) -> Result<Vec<QaSample>> {
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare_cached("SELECT id FROM qa_samples ORDER BY created_at DESC")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        ids.iter().map(|id| self.qa_sample(id, now)).collect()
    }

    pub fn qa_sample(&self, id: &str, now: DateTime<Utc>) -> Result<QaSample> {
        let head = self
            .conn
            .query_row(
                "SELECT period_from, period_to, size, seed, population, drawn_by, created_at FROM qa_samples
                 WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, u32>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { what: Missing::QaSample, id: id.to_owned() })?;
        let (from, to, size, seed, population, drawn_by, created_at) = head;
        let rows: Vec<(String, Option<String>, String, String)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT incident_id, outcome, note, reviewed_by FROM qa_sample_items WHERE sample_id = ?1
                 ORDER BY position",
            )?;
            let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut items = Vec::new();
        for (incident_id, outcome, note, reviewed_by) in rows {
            let incident = self.get_incident(&incident_id, now)?.summary;
            items.push(QaItem { incident, outcome, note, reviewed_by });
        }
        Ok(QaSample {
            id: id.to_owned(),
            from: parse_ts(&from)?,
            to: parse_ts(&to)?,
            size,
            seed,
            population,
            drawn_by,
            created_at: parse_ts(&created_at)?,
            items,
        })
    }
}

impl Store {
    /// The ids of the incidents at `levels` reported or resolved in `[from, to)`, the most severe
    /// level first and each level oldest first; the first `limit` of them when given.
    pub fn incidents_touching(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        levels: &[Level],
        limit: Option<u32>,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM incidents WHERE level IN (SELECT value FROM json_each(?3))
             AND ((reported_at >= ?1 AND reported_at < ?2) OR (resolved_at >= ?1 AND resolved_at < ?2))
             ORDER BY level, reported_at LIMIT ?4",
        )?;
        let limit = limit.map_or(-1, i64::from);
        let rows = stmt.query_map(params![ts(from), ts(to), level_codes(levels)?, limit], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many incidents of `levels` touch the period, by level: reported in it, resolved in
    /// it, and not resolved yet.
    pub fn touching_tally(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        levels: &[Level],
    ) -> Result<Vec<LevelTally>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT level,
                    count(*),
                    coalesce(sum(reported_at >= ?1 AND reported_at < ?2), 0),
                    coalesce(sum(resolved_at >= ?1 AND resolved_at < ?2), 0),
                    coalesce(sum(resolved_at IS NULL), 0)
             FROM incidents WHERE level IN (SELECT value FROM json_each(?3))
             AND ((reported_at >= ?1 AND reported_at < ?2) OR (resolved_at >= ?1 AND resolved_at < ?2))
             GROUP BY level ORDER BY level",
        )?;
        let rows = stmt.query_map(params![ts(from), ts(to), level_codes(levels)?], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        let mut tally = Vec::new();
        for row in rows {
            let (code, touching, reported, resolved, unresolved) = row?;
            tally.push(LevelTally { level: parse_level(&code)?, touching, reported, resolved, unresolved });
        }
        Ok(tally)
    }

    /// The service-zone date of the first record: the earliest incident reported or training
    /// session held; the first month a monthly report may cover.
    pub fn records_begin(&self) -> Result<Option<NaiveDate>> {
        let first: Option<String> = self.conn.query_row(
            "SELECT min(t) FROM (SELECT min(reported_at) AS t FROM incidents
                                 UNION ALL SELECT min(start_at) FROM training_sessions)",
            [],
            |r| r.get(0),
        )?;
        first.map(|t| Ok(crate::zone::service_date(super::parse_ts(&t)?))).transpose()
    }
}

/// Levels as the JSON array `json_each` reads.
fn level_codes(levels: &[Level]) -> Result<String> {
    let codes: Vec<&str> = levels.iter().map(|l| l.code()).collect();
    serde_json::to_string(&codes).map_err(|e| Error::Corrupt(e.to_string()))
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

/// A seed from the clock and a fresh id: different for every draw, and recorded.
fn fresh_seed(now: DateTime<Utc>) -> u64 {
    let id = uuid::Uuid::now_v7();
    let (high, low) = id.as_u64_pair();
    (now.timestamp_micros() as u64) ^ high ^ low.rotate_left(17)
}

#[cfg(test)]
mod tests;
