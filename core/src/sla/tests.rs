//! The contract's rules, one test each, with explicit Shanghai times.

use chrono::{NaiveDateTime, TimeZone};

use super::*;
use crate::timeline::ReportFields;

/// A Shanghai wall-clock time ("2026-11-27 09:00") as a UTC instant.
fn sh(text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    SERVICE_TZ.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
}

/// A day-27 time: `at("09:45")`.
fn at(hm: &str) -> DateTime<Utc> {
    sh(&format!("2026-11-27 {hm}"))
}

struct Case {
    level: Level,
    events: Vec<(EventData, DateTime<Utc>)>,
    policy: SlaPolicy,
    lang: Lang,
}

impl Case {
    fn reported(level: Level, when: DateTime<Utc>) -> Case {
        Case {
            level,
            events: vec![(EventData::Reported, when)],
            policy: SlaPolicy::contract_default(),
            lang: Lang::ZhCn,
        }
    }
    fn then(mut self, data: EventData, when: DateTime<Utc>) -> Case {
        self.events.push((data, when));
        self
    }
    fn milestone(&self, kind: MilestoneKind, now: DateTime<Utc>) -> MilestoneReport {
        evaluate(
            &self.policy,
            &Calendars::new(WorkingCalendar::china_default()),
            self.level,
            &self.events,
            now,
            self.lang,
        )
        .into_iter()
        .find(|m| m.kind == kind)
        .expect("milestone in policy")
    }
}

fn paused(reason: &str) -> EventData {
    EventData::Paused { reason: reason.into() }
}
fn resolved() -> EventData {
    EventData::Resolved { summary: "已修复".into() }
}
fn report() -> EventData {
    EventData::ReportSubmitted { report: ReportFields::default(), revision: None }
}
const MIN: i64 = 60;
const HOUR: i64 = 3600;

#[test]
fn level_i_responded_at_09_45_breaches_respond_by_15_min() {
    let case = Case::reported(Level::I, at("09:00")).then(EventData::Responded, at("09:45"));
    let m = case.milestone(MilestoneKind::Respond, at("10:00"));
    assert_eq!(m.state, MilestoneState::BreachedMet);
    assert_eq!(m.due, Some(at("09:30")));
    assert_eq!(m.left_seconds, -15 * MIN, "15 min overrun");
    assert_eq!(m.warning, Warning::Breached);
}

#[test]
fn respond_in_time_is_met_with_no_warning() {
    let case = Case::reported(Level::II, at("09:00")).then(EventData::Responded, at("10:10"));
    let m = case.milestone(MilestoneKind::Respond, at("12:00"));
    assert_eq!(m.state, MilestoneState::Met);
    assert_eq!(m.due, Some(at("11:00")), "level II responds within 2 h");
    assert_eq!(m.used_seconds, 70 * MIN);
    assert_eq!(m.warning, Warning::None);
}

#[test]
fn warnings_come_at_50_and_75_percent_then_breach() {
    let case = Case::reported(Level::I, at("09:00"));
    let warning = |hm| case.milestone(MilestoneKind::Respond, at(hm)).warning;
    assert_eq!(warning("09:14"), Warning::None);
    assert_eq!(warning("09:15"), Warning::First, "50 % of 30 min");
    assert_eq!(warning("09:23"), Warning::Second, "75 % is 22.5 min");
    assert_eq!(warning("09:31"), Warning::Breached);
    let m = case.milestone(MilestoneKind::Respond, at("09:31"));
    assert_eq!(m.state, MilestoneState::BreachedOpen);
    assert_eq!(m.left_seconds, -MIN);
}

#[test]
fn the_explanation_names_the_start_the_allowance_and_the_pauses() {
    let case = Case::reported(Level::I, at("10:00"));
    let m = case.milestone(MilestoneKind::Respond, at("10:05"));
    assert_eq!(m.explanation, "到期 10:30 = 报告 10:00 + 30 分钟；暂停 0 分钟");
    let english = Case { lang: Lang::En, ..Case::reported(Level::I, at("10:00")) };
    assert_eq!(
        english.milestone(MilestoneKind::Respond, at("10:05")).explanation,
        "due 10:30 = reported 10:00 + 30 min; paused 0 min"
    );
}

#[test]
fn level_iii_paused_12_00_to_20_00_moves_resolve_due_out_8_h() {
    let case = Case::reported(Level::III, at("09:00"))
        .then(EventData::Responded, at("09:30"))
        .then(paused("等待客户确认"), at("12:00"))
        .then(EventData::Resumed, at("20:00"));
    let m = case.milestone(MilestoneKind::Resolve, at("21:00"));
    assert_eq!(m.state, MilestoneState::Running);
    assert_eq!(m.due, Some(sh("2026-11-29 17:00")), "09:00 + 48 h + 8 h");
    assert_eq!(m.used_seconds, 4 * HOUR, "09:00–12:00 and 20:00–21:00");
    assert!(m.explanation.contains("暂停 8 小时"), "{}", m.explanation);
}

#[test]
fn while_paused_the_clock_stands_and_the_due_time_moves_out() {
    let case = Case::reported(Level::II, at("09:00")).then(paused("等待客户"), at("10:00"));
    let early = case.milestone(MilestoneKind::Respond, at("10:30"));
    let later = case.milestone(MilestoneKind::Respond, at("15:00"));
    assert_eq!(early.state, MilestoneState::Paused);
    assert_eq!(early.used_seconds, HOUR);
    assert_eq!(later.used_seconds, HOUR, "no time counts while paused");
    assert_eq!(early.due, Some(at("11:30")), "1 h left, counted from now");
    assert_eq!(later.due, Some(at("16:00")));
}

#[test]
fn level_i_unresolved_at_12_h_starts_the_emergency_plan_clock_due_at_16_h() {
    let case = Case::reported(Level::I, at("08:00")).then(EventData::Responded, at("08:10"));
    let before = case.milestone(MilestoneKind::EmergencyPlan, at("19:59"));
    assert_eq!(before.state, MilestoneState::NotStarted, "resolve has not breached yet");
    let after = case.milestone(MilestoneKind::EmergencyPlan, at("20:01"));
    assert_eq!(after.state, MilestoneState::Running);
    assert_eq!(after.due, Some(sh("2026-11-28 00:00")), "16 h after the report");
    assert_eq!(after.warning, Warning::Second, "12 h of 16 h is already 75 %");
    let met = case
        .then(EventData::plan_submitted(PlanKind::Emergency), at("21:00"))
        .milestone(MilestoneKind::EmergencyPlan, at("22:00"));
    assert_eq!(met.state, MilestoneState::Met);
}

#[test]
fn an_emergency_plan_is_not_needed_when_resolved_in_time() {
    let case = Case::reported(Level::I, at("08:00"))
        .then(EventData::Responded, at("08:10"))
        .then(resolved(), at("15:00"));
    assert_eq!(
        case.milestone(MilestoneKind::EmergencyPlan, at("23:00")).state,
        MilestoneState::NotApplicable
    );
    assert_eq!(case.milestone(MilestoneKind::Resolve, at("23:00")).state, MilestoneState::Met);
}

#[test]
fn the_emergency_plan_breaches_when_missing_at_16_h() {
    let case = Case::reported(Level::I, at("00:00")).then(EventData::Responded, at("00:10"));
    let m = case.milestone(MilestoneKind::EmergencyPlan, at("16:30"));
    assert_eq!(m.state, MilestoneState::BreachedOpen);
    assert_eq!(m.left_seconds, -30 * MIN);
}

#[test]
fn the_handling_plan_applies_to_level_i_only() {
    let one = Case::reported(Level::I, at("09:00"))
        .then(EventData::plan_submitted(PlanKind::Handling), at("10:30"));
    assert_eq!(one.milestone(MilestoneKind::HandlingPlan, at("12:00")).state, MilestoneState::Met);
    let two = Case::reported(Level::II, at("09:00"));
    assert_eq!(two.milestone(MilestoneKind::HandlingPlan, at("12:00")).state, MilestoneState::NotApplicable);
}

#[test]
fn engineer_on_site_counts_only_when_requested() {
    let case = Case::reported(Level::III, at("09:00"));
    assert_eq!(case.milestone(MilestoneKind::OnSite, at("10:00")).state, MilestoneState::NotApplicable);
    let requested = case.then(EventData::OnSiteRequested, at("10:00"));
    let m = requested.milestone(MilestoneKind::OnSite, at("10:30"));
    assert_eq!(m.state, MilestoneState::Running);
    assert_eq!(m.due, Some(at("12:00")), "2 h from the request");
    let arrived = requested.then(EventData::EngineerOnSite, at("11:40"));
    assert_eq!(arrived.milestone(MilestoneKind::OnSite, at("12:30")).state, MilestoneState::Met);
}

#[test]
fn a_level_change_recomputes_from_the_original_report() {
    let case = Case::reported(Level::III, at("09:00")).then(EventData::Responded, at("09:20")).then(
        EventData::LevelChanged { from: Level::III, to: Level::I, reason: "影响全单位".into() },
        at("10:00"),
    );
    let m = case.milestone(MilestoneKind::Resolve, at("10:30"));
    assert_eq!(m.due, Some(at("21:00")), "level I: 12 h from the 09:00 report");
    assert_eq!(
        case.milestone(MilestoneKind::HandlingPlan, at("10:30")).due,
        Some(at("11:00")),
        "the handling plan now applies, from the report"
    );
}

#[test]
fn a_reopen_runs_the_resolve_clock_again_counting_the_time_used() {
    // Level II, 24 h: 10 h used by the first resolution; reopened at 20:00.
    let case = Case::reported(Level::II, at("00:00"))
        .then(EventData::Responded, at("00:30"))
        .then(resolved(), at("10:00"))
        .then(EventData::Reopened { reason: "问题复现".into() }, at("20:00"));
    let m = case.milestone(MilestoneKind::Resolve, at("22:00"));
    assert_eq!(m.state, MilestoneState::Running);
    assert_eq!(m.used_seconds, 12 * HOUR);
    assert_eq!(m.due, Some(sh("2026-11-28 10:00")), "14 h left from 20:00");
    assert!(m.explanation.contains("20:00 重新打开，此前已用 10 小时"), "{}", m.explanation);
}

#[test]
fn the_report_is_due_24_h_after_resolution_and_restarts_after_a_reopen() {
    let case = Case::reported(Level::III, at("08:00"))
        .then(EventData::Responded, at("08:05"))
        .then(resolved(), at("10:00"));
    let m = case.milestone(MilestoneKind::Report, at("11:00"));
    assert_eq!(m.state, MilestoneState::Running);
    assert_eq!(m.due, Some(sh("2026-11-28 10:00")));
    let reported = case.then(report(), at("16:00"));
    assert_eq!(reported.milestone(MilestoneKind::Report, at("17:00")).state, MilestoneState::Met);
    let reopened = reported.then(EventData::Reopened { reason: "复发".into() }, at("18:00"));
    assert_eq!(reopened.milestone(MilestoneKind::Report, at("19:00")).state, MilestoneState::NotStarted);
    let again = reopened.then(resolved(), at("20:00"));
    assert_eq!(again.milestone(MilestoneKind::Report, at("21:00")).due, Some(sh("2026-11-28 20:00")));
}

#[test]
fn before_resolution_the_report_has_not_started() {
    let case = Case::reported(Level::IV, at("08:00"));
    assert_eq!(case.milestone(MilestoneKind::Report, at("09:00")).state, MilestoneState::NotStarted);
}

#[test]
fn level_iv_on_a_working_calendar_reported_on_the_eve_of_national_day() {
    // Wednesday 2026-09-30 16:00; 10-01..10-07 off, Saturday 10-10 worked (调休).
    // 5 working days = 37.5 h: 09-30 1.5 h, 10-08 7.5, 10-09 7.5, 10-10 7.5, 10-12 7.5 = 31.5 h,
    // then 10-13 08:30–12:00 (3.5 h) and 13:30–16:00 (2.5 h).
    let mut case = Case::reported(Level::IV, sh("2026-09-30 16:00"));
    for rule in &mut case.policy.rules {
        if rule.kind == MilestoneKind::Resolve {
            rule.calendar = CalendarRef::Working;
        }
    }
    let m = case.milestone(MilestoneKind::Resolve, sh("2026-10-02 12:00"));
    assert_eq!(m.due, Some(sh("2026-10-13 16:00")));
    assert_eq!(m.used_seconds, 90 * MIN, "the holiday does not count");
    assert!(
        m.explanation.contains("5 个工作日") && m.explanation.contains("按工作时间计"),
        "{}",
        m.explanation
    );
}

#[test]
fn events_after_now_are_ignored() {
    let case = Case::reported(Level::I, at("09:00")).then(EventData::Responded, at("09:20"));
    assert_eq!(case.milestone(MilestoneKind::Respond, at("09:10")).state, MilestoneState::Running);
    assert_eq!(case.milestone(MilestoneKind::Respond, at("09:25")).state, MilestoneState::Met);
}

#[test]
fn the_contract_defaults_pass_validation() {
    assert!(SlaPolicy::contract_default().validate().is_ok());
}

#[test]
fn an_edited_policy_is_checked_whole() {
    let mut policy = SlaPolicy::contract_default();
    policy.rules[0].allowances[1] = Some(Allowance::minutes(0));
    policy.rules[3].warn_percent = [80, 60];
    policy.rules.pop();
    let err = policy.validate().unwrap_err();
    let messages: Vec<String> = err.fields().iter().map(|f| f.message(Lang::ZhCn)).collect();
    assert_eq!(
        messages,
        [
            "SLA 策略须包含每个时限各一次",
            "响应（II 级）的时限须在 1 到 9999 之间",
            "解决的预警比例须满足 0 < 第一次 < 第二次 < 100",
        ]
    );
}

#[test]
fn a_level_downgrade_recomputes_from_the_report_and_drops_level_i_milestones() {
    let case = Case::reported(Level::I, at("09:00")).then(EventData::Responded, at("09:10")).then(
        EventData::LevelChanged { from: Level::I, to: Level::III, reason: "只影响一个科室".into() },
        at("10:00"),
    );
    let resolve = case.milestone(MilestoneKind::Resolve, at("22:00"));
    assert_eq!(resolve.due, Some(sh("2026-11-29 09:00")), "level III: 48 h from the 09:00 report");
    assert_eq!(resolve.state, MilestoneState::Running, "no longer breached at 12 h");
    for kind in [MilestoneKind::HandlingPlan, MilestoneKind::EmergencyPlan] {
        assert_eq!(
            case.milestone(kind, at("22:00")).state,
            MilestoneState::NotApplicable,
            "{kind:?} is level I only"
        );
    }
}

#[test]
fn resolved_between_12_and_16_hours_the_emergency_plan_lapses() {
    // Level I reported 08:00: resolution breaches at 20:00, which starts the emergency plan
    // clock (due 16 h after the report, 00:00); resolving at 22:00 ends the need for it.
    let case = Case::reported(Level::I, at("08:00"))
        .then(EventData::Responded, at("08:10"))
        .then(resolved(), at("22:00"));
    let resolve = case.milestone(MilestoneKind::Resolve, at("23:00"));
    assert_eq!(resolve.state, MilestoneState::BreachedMet);
    assert_eq!(resolve.left_seconds, -2 * HOUR);
    for now in [at("23:00"), sh("2026-11-28 01:00"), sh("2026-11-30 09:00")] {
        let plan = case.milestone(MilestoneKind::EmergencyPlan, now);
        assert!(
            !matches!(plan.state, MilestoneState::Running | MilestoneState::BreachedOpen),
            "at {now} the plan no longer runs nor breaches: {plan:?}"
        );
    }
}

#[test]
fn two_pauses_both_move_the_due_time() {
    let case = Case::reported(Level::III, at("09:00"))
        .then(EventData::Responded, at("09:20"))
        .then(paused("等待客户提供日志"), at("10:00"))
        .then(EventData::Resumed, at("11:00"))
        .then(paused("等待厂商补丁"), at("14:00"))
        .then(EventData::Resumed, at("16:00"));
    let m = case.milestone(MilestoneKind::Resolve, at("17:00"));
    assert_eq!(m.due, Some(sh("2026-11-29 12:00")), "09:00 + 48 h + 1 h + 2 h");
    assert_eq!(m.used_seconds, 5 * HOUR, "09–10, 11–14, 16–17");
    assert!(m.explanation.contains("暂停 3 小时"), "{}", m.explanation);
}

#[test]
fn a_pause_on_a_working_calendar_counts_only_working_time() {
    // Level IV resolves within 5 working days; a pause that covers the lunch break and the
    // evening holds back only the working time it covers.
    let mut case = Case::reported(Level::IV, at("09:00"));
    for rule in &mut case.policy.rules {
        rule.calendar = CalendarRef::Working;
    }
    let plain = case.milestone(MilestoneKind::Resolve, at("09:30"));
    let paused = case
        .then(paused("客户下班"), at("11:00"))
        .then(EventData::Resumed, sh("2026-11-30 09:00"))
        .milestone(MilestoneKind::Resolve, sh("2026-11-30 10:00"));
    let (before, after) = (plain.due.unwrap(), paused.due.unwrap());
    assert!(after > before, "the pause moves the due time out");
    assert_eq!(paused.used_seconds, 3 * HOUR, "09–11 on Friday and 09–10 on Monday, working time only");
}

#[test]
fn an_emergency_plan_submitted_while_resolution_is_on_time_is_not_required() {
    let early = Case::reported(Level::I, at("08:00"))
        .then(EventData::Responded, at("08:10"))
        .then(EventData::plan_submitted(PlanKind::Emergency), at("10:00"));
    let m = early.milestone(MilestoneKind::EmergencyPlan, at("11:00"));
    assert_eq!(m.state, MilestoneState::NotApplicable, "not counted while resolution is on time");
    assert!(m.explanation.contains("提前提交"), "{}", m.explanation);
    let resolved_in_time = early.then(resolved(), at("15:00"));
    let m = resolved_in_time.milestone(MilestoneKind::EmergencyPlan, at("23:00"));
    assert_eq!(m.state, MilestoneState::NotApplicable, "resolved in time: never required");
    assert!(m.explanation.contains("提前提交"), "{}", m.explanation);
    // Unresolved past 12 h: the plan is required now, and the early one meets it.
    let late = Case::reported(Level::I, at("08:00"))
        .then(EventData::Responded, at("08:10"))
        .then(EventData::plan_submitted(PlanKind::Emergency), at("10:00"));
    assert_eq!(late.milestone(MilestoneKind::EmergencyPlan, at("21:00")).state, MilestoneState::Met);
}

#[test]
fn after_a_reopen_the_emergency_plan_sentence_counts_the_time_used_before() {
    // Level I, 12 h to resolve: resolved after 10 h, reopened at 20:00, still open at 23:00
    // (13 h used): the emergency plan runs on the same clock.
    let case = Case::reported(Level::I, at("08:00"))
        .then(EventData::Responded, at("08:10"))
        .then(resolved(), at("18:00"))
        .then(EventData::Reopened { reason: "复发".into() }, at("20:00"));
    let m = case.milestone(MilestoneKind::EmergencyPlan, at("23:00"));
    assert_eq!(m.state, MilestoneState::Running);
    assert!(m.explanation.contains("20:00 重新打开，此前已用 10 小时"), "{}", m.explanation);
}

#[test]
fn a_milestone_missed_by_seconds_reads_as_missed() {
    let reported = sh("2026-11-27 09:00") + Duration::seconds(40);
    let case = Case::reported(Level::I, reported)
        .then(EventData::Responded, reported + Duration::seconds(30 * MIN + 30));
    let m = case.milestone(MilestoneKind::Respond, at("10:00"));
    assert_eq!(m.state, MilestoneState::BreachedMet);
    assert!(m.explanation.starts_with("到期 09:30:40 = 报告 09:00:40 + 30 分钟"), "{}", m.explanation);
    assert_eq!(format_duration(Duration::seconds(30), Lang::ZhCn), "30 秒");
    assert_eq!(format_duration(Duration::seconds(30), Lang::En), "30 s");
    assert_eq!(format_duration(Duration::seconds(90), Lang::ZhCn), "1 分钟", "whole minutes above one");
}

fn closed_case() -> Case {
    // Level I: responded, resolved five minutes in without a handling plan, reported, closed.
    Case::reported(Level::I, at("09:00"))
        .then(EventData::Responded, at("09:02"))
        .then(resolved(), at("09:05"))
        .then(report(), at("09:10"))
        .then(EventData::Closed, at("09:15"))
}

#[test]
fn a_handling_plan_never_submitted_is_missed_at_the_resolution_and_stays_missed() {
    let case = closed_case();
    for now in [at("09:20"), at("11:30"), sh("2026-12-30 09:00")] {
        let m = case.milestone(MilestoneKind::HandlingPlan, now);
        assert_eq!(m.state, MilestoneState::Missed, "at {now}");
        assert_eq!(m.missed_at, Some(at("09:05")), "ended by the resolution");
        assert_eq!(m.due, Some(at("11:00")), "the due time it had");
        assert_eq!(m.met_at, None);
        assert_eq!(m.warning, Warning::Breached, "a miss is a breach");
        assert_eq!(m.used_seconds, 5 * MIN, "the clock stood still at the resolution");
        assert!(m.explanation.starts_with("09:05 解决时未完成；到期 11:00"), "{}", m.explanation);
    }
    let en = Case { lang: Lang::En, ..closed_case() };
    let m = en.milestone(MilestoneKind::HandlingPlan, at("12:00"));
    assert!(m.explanation.starts_with("not done when resolved at 09:05; due 11:00"), "{}", m.explanation);
}

#[test]
fn closing_freezes_every_clock() {
    let case = closed_case();
    let at_close = evaluate_all(&case, at("09:15"));
    for now in [at("09:16"), sh("2026-11-28 12:00"), sh("2027-03-01 09:00")] {
        let later = evaluate_all(&case, now);
        assert_eq!(later, at_close, "nothing moves after the close (at {now})");
        assert!(
            later.iter().all(|m| !MilestoneState::OPEN.contains(&m.state)),
            "no clock is open after the close: {later:?}"
        );
    }
}

fn evaluate_all(case: &Case, now: DateTime<Utc>) -> Vec<MilestoneReport> {
    evaluate(
        &case.policy,
        &Calendars::new(WorkingCalendar::china_default()),
        case.level,
        &case.events,
        now,
        case.lang,
    )
}

#[test]
fn a_plan_filed_after_a_reopen_does_not_undo_the_miss() {
    let case = Case::reported(Level::I, at("09:00"))
        .then(EventData::Responded, at("09:02"))
        .then(resolved(), at("09:05"))
        .then(EventData::Reopened { reason: "复发".into() }, at("09:30"))
        .then(EventData::plan_submitted(PlanKind::Handling), at("09:40"));
    let m = case.milestone(MilestoneKind::HandlingPlan, at("10:00"));
    assert_eq!(m.state, MilestoneState::Missed);
    assert_eq!((m.met_at, m.missed_at), (None, Some(at("09:05"))));
}

#[test]
fn an_on_site_visit_lapses_when_resolved_in_time_and_is_missed_when_late() {
    let requested = Case::reported(Level::III, at("09:00"))
        .then(EventData::Responded, at("09:10"))
        .then(EventData::OnSiteRequested, at("10:00"));
    let in_time = requested.then(resolved(), at("11:00"));
    let m = in_time.milestone(MilestoneKind::OnSite, at("13:00"));
    assert_eq!(m.state, MilestoneState::NotApplicable, "resolved before the engineer was due");
    let late = Case::reported(Level::III, at("09:00"))
        .then(EventData::Responded, at("09:10"))
        .then(EventData::OnSiteRequested, at("10:00"))
        .then(resolved(), at("12:30"));
    let m = late.milestone(MilestoneKind::OnSite, at("13:00"));
    assert_eq!(m.state, MilestoneState::Missed, "due 12:00, nobody came by the 12:30 resolution");
    assert_eq!((m.due, m.missed_at), (Some(at("12:00")), Some(at("12:30"))));
    assert_eq!(m.left_seconds, -30 * MIN);
}

#[test]
fn an_emergency_plan_overdue_at_the_resolution_is_missed_not_overdue_for_ever() {
    let case = Case::reported(Level::I, at("00:00"))
        .then(EventData::Responded, at("00:10"))
        .then(resolved(), at("17:00"));
    for now in [at("17:30"), sh("2026-12-10 09:00")] {
        let m = case.milestone(MilestoneKind::EmergencyPlan, now);
        assert_eq!(m.state, MilestoneState::Missed, "at {now}");
        assert_eq!((m.due, m.missed_at), (Some(at("16:00")), Some(at("17:00"))));
    }
}

#[test]
fn a_missed_milestone_counts_from_its_due_time_or_its_end_whichever_is_first() {
    let plan = closed_case().milestone(MilestoneKind::HandlingPlan, at("10:00"));
    assert_eq!(plan.counts_at(), Some(at("09:05")), "missed before it fell due");
    let met = closed_case().milestone(MilestoneKind::Respond, at("10:00"));
    assert_eq!(met.counts_at(), Some(at("09:30")), "any other milestone counts at its due time");
}
