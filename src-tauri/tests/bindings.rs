//! The TypeScript types of everything that crosses IPC, generated from the Rust types.
//! `ui/src/bindings/index.ts` is committed; this test fails when it is stale.
//! Regenerate with `UPDATE_BINDINGS=1 cargo test -p yunwei --test bindings`.

use std::path::PathBuf;

use ts_rs::{Config, TS};
use yunwei_core::app::backup;
use yunwei_core::app::incidents::ClockEnder;
use yunwei_core::calendar::{Holiday, WorkInterval, WorkingCalendar};
use yunwei_core::error::{ErrorReport, FieldReport};
use yunwei_core::incident::{
    Channel, DueFilter, Incident, IncidentCounts, IncidentEvent, IncidentPage, IncidentQuery, IncidentSort,
    IncidentSummary, Level, NewIncident,
};
use yunwei_core::level::LevelCounts;
use yunwei_core::people::import::{Column, ImportPreview, RowError};
use yunwei_core::people::{
    Availability, AvailabilityForm, Certificate, CertificateAlert, CertificateForm, Department,
    DepartmentStaffing, PeopleQuery, Person, PersonDetails, PersonForm, PersonKind, Skill, SkillForm,
    StaffMember, TeamStructure,
};
use yunwei_core::quality::{
    Compliance, ControlPoint, ControlRule, LevelTimes, PChart, Pareto, ParetoBar, PeriodStats, Tally,
    XmrChart,
};
use yunwei_core::quality::{ParetoBy, QaItem, QaSample, QaSampleForm};
use yunwei_core::roster::{
    Coverage, DayKind, DoubleBooking, Duty, Gap, OnDuty, Override, OverrideForm, Rota, Rotation,
    RotationForm, ShiftForm, ShiftRule,
};
use yunwei_core::settings::Settings;
use yunwei_core::signing::{
    CertificateInfo, NewSigningIdentity, Problem, SignatureCheck, SignedDocument, SigningStatus,
    StoredRevision, Verdict, Verification,
};
use yunwei_core::sla::{
    Allowance, CalendarRef, MilestoneKind, MilestoneReport, MilestoneRule, MilestoneState, SlaPolicy,
    TimeUnit, Warning,
};
use yunwei_core::timeline::{EventData, EventForm, EventInput, PlanKind, ReportFields, Status, StatusCounts};
use yunwei_core::training::plan::{
    AttendanceForm, AttendanceRowForm, AttendanceStatus, Attendee, Audience, AudienceProgress, Mode,
    PersonRef, Plan, PlanForm, PlanProgress, PlanRow, PlanRowForm, Session, SessionForm,
};
use yunwei_core::training::{
    AudienceForm, SavedSession, ScheduleWarning, SessionQuery, SlotAnswer, SlotBooking, SlotQuery,
    SlotSuggestion,
};
use yunwei_core::Lang;
use yunwei_lib::commands::people::{ImportFileCheck, ImportProgress};
use yunwei_lib::commands::quality::QcCharts;
use yunwei_lib::commands::settings::AppInfo;
use yunwei_lib::commands::sla::SlaSettings;
use yunwei_lib::commands::team::TeamState;

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}\n", T::decl(cfg))
}

fn generate() -> String {
    let cfg = Config::default();
    let decls = [
        declaration::<Level>(&cfg),
        declaration::<Channel>(&cfg),
        declaration::<Status>(&cfg),
        declaration::<PlanKind>(&cfg),
        declaration::<ReportFields>(&cfg),
        declaration::<EventData>(&cfg),
        declaration::<EventInput>(&cfg),
        declaration::<EventForm>(&cfg),
        declaration::<NewIncident>(&cfg),
        declaration::<IncidentSummary>(&cfg),
        declaration::<IncidentEvent>(&cfg),
        declaration::<Incident>(&cfg),
        declaration::<DueFilter>(&cfg),
        declaration::<IncidentSort>(&cfg),
        declaration::<ClockEnder>(&cfg),
        declaration::<IncidentQuery>(&cfg),
        declaration::<IncidentPage>(&cfg),
        declaration::<LevelCounts>(&cfg),
        declaration::<StatusCounts>(&cfg),
        declaration::<IncidentCounts>(&cfg),
        declaration::<MilestoneKind>(&cfg),
        declaration::<MilestoneState>(&cfg),
        declaration::<Warning>(&cfg),
        declaration::<MilestoneReport>(&cfg),
        declaration::<TimeUnit>(&cfg),
        declaration::<Allowance>(&cfg),
        declaration::<CalendarRef>(&cfg),
        declaration::<MilestoneRule>(&cfg),
        declaration::<SlaPolicy>(&cfg),
        declaration::<WorkInterval>(&cfg),
        declaration::<Holiday>(&cfg),
        declaration::<WorkingCalendar>(&cfg),
        declaration::<SlaSettings>(&cfg),
        declaration::<Lang>(&cfg),
        declaration::<Settings>(&cfg),
        declaration::<AppInfo>(&cfg),
        declaration::<ErrorReport>(&cfg),
        declaration::<FieldReport>(&cfg),
        declaration::<Problem>(&cfg),
        declaration::<SignedDocument>(&cfg),
        declaration::<StoredRevision>(&cfg),
        declaration::<yunwei_core::app::documents::Preview>(&cfg),
        declaration::<yunwei_lib::state::SandboxStatus>(&cfg),
        declaration::<Verdict>(&cfg),
        declaration::<SignatureCheck>(&cfg),
        declaration::<Verification>(&cfg),
        declaration::<CertificateInfo>(&cfg),
        declaration::<SigningStatus>(&cfg),
        declaration::<backup::BackupConfig>(&cfg),
        declaration::<backup::RecoveryKey>(&cfg),
        declaration::<backup::PointKind>(&cfg),
        declaration::<backup::BackupPoint>(&cfg),
        declaration::<backup::DrillProblem>(&cfg),
        declaration::<backup::RestoreDrill>(&cfg),
        declaration::<backup::BackupStatus>(&cfg),
        declaration::<backup::Stage>(&cfg),
        declaration::<backup::Progress>(&cfg),
        declaration::<backup::RunOutcome>(&cfg),
        declaration::<yunwei_core::store::audit::AuditEntry>(&cfg),
        declaration::<yunwei_core::store::audit::FieldChange>(&cfg),
        declaration::<yunwei_core::store::audit::AuditQuery>(&cfg),
        declaration::<yunwei_core::store::audit::AuditCheck>(&cfg),
        declaration::<yunwei_core::inspection::template::Category>(&cfg),
        declaration::<yunwei_core::inspection::template::Answer>(&cfg),
        declaration::<yunwei_core::inspection::template::Item>(&cfg),
        declaration::<yunwei_core::inspection::template::Template>(&cfg),
        declaration::<yunwei_core::inspection::template::ItemForm>(&cfg),
        declaration::<yunwei_core::inspection::template::TemplateForm>(&cfg),
        declaration::<yunwei_core::inspection::Recurrence>(&cfg),
        declaration::<yunwei_core::inspection::Assignee>(&cfg),
        declaration::<yunwei_core::inspection::Plan>(&cfg),
        declaration::<yunwei_core::inspection::PlanForm>(&cfg),
        declaration::<yunwei_core::inspection::RunState>(&cfg),
        declaration::<yunwei_core::inspection::Run>(&cfg),
        declaration::<yunwei_core::inspection::AttachmentRef>(&cfg),
        declaration::<yunwei_core::inspection::ItemResult>(&cfg),
        declaration::<yunwei_core::inspection::PreviousReading>(&cfg),
        declaration::<yunwei_core::inspection::RunDetail>(&cfg),
        declaration::<yunwei_core::inspection::ResultForm>(&cfg),
        declaration::<yunwei_core::inspection::RunForm>(&cfg),
        declaration::<yunwei_core::inspection::Today>(&cfg),
        declaration::<yunwei_core::inspection::backups::BackupKind>(&cfg),
        declaration::<yunwei_core::inspection::backups::ClientBackup>(&cfg),
        declaration::<yunwei_core::inspection::backups::ClientBackupForm>(&cfg),
        declaration::<yunwei_core::inspection::backups::Check>(&cfg),
        declaration::<yunwei_core::inspection::backups::WeekCheck>(&cfg),
        declaration::<yunwei_core::inspection::backups::BackupCompliance>(&cfg),
        declaration::<yunwei_core::inspection::assets::AssetKind>(&cfg),
        declaration::<yunwei_core::inspection::assets::Asset>(&cfg),
        declaration::<yunwei_core::inspection::assets::AssetForm>(&cfg),
        declaration::<yunwei_core::inspection::assets::WorkKind>(&cfg),
        declaration::<yunwei_core::inspection::assets::WorkState>(&cfg),
        declaration::<yunwei_core::inspection::assets::WorkStep>(&cfg),
        declaration::<yunwei_core::inspection::assets::WorkOrder>(&cfg),
        declaration::<yunwei_core::inspection::assets::WorkOrderForm>(&cfg),
        declaration::<yunwei_core::app::inspection::Generated>(&cfg),
        declaration::<yunwei_core::app::inspection::RaisedIncident>(&cfg),
        declaration::<yunwei_core::app::inspection::RaisedFrom>(&cfg),
        declaration::<yunwei_core::inspection::figures::Trend>(&cfg),
        declaration::<yunwei_core::inspection::figures::HistoryEntry>(&cfg),
        declaration::<yunwei_core::followup::FollowUp>(&cfg),
        declaration::<yunwei_core::followup::FollowUpForm>(&cfg),
        declaration::<yunwei_core::category::Category>(&cfg),
        declaration::<yunwei_core::category::CategoryForm>(&cfg),
        declaration::<yunwei_core::category::CategoryKind>(&cfg),
        declaration::<yunwei_core::category::Mapping>(&cfg),
        declaration::<yunwei_core::category::Unmapped>(&cfg),
        declaration::<yunwei_core::app::categories::CategoryOverview>(&cfg),
        declaration::<yunwei_core::corrective::Source>(&cfg),
        declaration::<yunwei_core::corrective::ActionStatus>(&cfg),
        declaration::<yunwei_core::corrective::CorrectiveAction>(&cfg),
        declaration::<yunwei_core::corrective::ActionForm>(&cfg),
        declaration::<yunwei_core::corrective::ActionCounts>(&cfg),
        declaration::<yunwei_core::app::corrective::ActionList>(&cfg),
        declaration::<yunwei_core::contingency::ContingencyKind>(&cfg),
        declaration::<yunwei_core::contingency::Step>(&cfg),
        declaration::<yunwei_core::contingency::ContingencyPlan>(&cfg),
        declaration::<yunwei_core::contingency::Review>(&cfg),
        declaration::<yunwei_core::contingency::ContingencyForm>(&cfg),
        declaration::<yunwei_core::app::contingency::PlanEntry>(&cfg),
        declaration::<yunwei_core::app::contingency::Catalogue>(&cfg),
        declaration::<yunwei_core::app::contingency::PlanChoice>(&cfg),
        declaration::<yunwei_core::app::signing::ColleagueCertificateForm>(&cfg),
        declaration::<yunwei_core::sync::SyncReport>(&cfg),
        declaration::<yunwei_core::sync::FieldValues>(&cfg),
        declaration::<yunwei_core::sync::RecordConflict>(&cfg),
        declaration::<yunwei_core::sync::Keep>(&cfg),
        declaration::<TeamState>(&cfg),
        declaration::<yunwei_core::drill::DrillKind>(&cfg),
        declaration::<yunwei_core::drill::DrillScope>(&cfg),
        declaration::<yunwei_core::drill::DrillVerdict>(&cfg),
        declaration::<yunwei_core::drill::Participant>(&cfg),
        declaration::<yunwei_core::drill::LogEntry>(&cfg),
        declaration::<yunwei_core::drill::Drill>(&cfg),
        declaration::<yunwei_core::drill::ParticipantForm>(&cfg),
        declaration::<yunwei_core::drill::DrillForm>(&cfg),
        declaration::<yunwei_core::drill::LogForm>(&cfg),
        declaration::<yunwei_core::drill::PlanCoverage>(&cfg),
        declaration::<yunwei_core::app::drills::DrillRow>(&cfg),
        declaration::<yunwei_core::app::drills::DrillYear>(&cfg),
        declaration::<yunwei_core::app::drills::DrillDetail>(&cfg),
        declaration::<yunwei_core::inspection::calendar::WorkType>(&cfg),
        declaration::<yunwei_core::inspection::calendar::CalendarEntry>(&cfg),
        declaration::<yunwei_core::inspection::calendar::CalendarDay>(&cfg),
        declaration::<yunwei_core::inspection::figures::PlanMonth>(&cfg),
        declaration::<yunwei_core::inspection::figures::Counted>(&cfg),
        declaration::<yunwei_core::inspection::figures::RaisedRow>(&cfg),
        declaration::<yunwei_core::inspection::figures::MissedRow>(&cfg),
        declaration::<yunwei_core::inspection::figures::MonthFigures>(&cfg),
        declaration::<NewSigningIdentity>(&cfg),
        declaration::<Department>(&cfg),
        declaration::<PersonKind>(&cfg),
        declaration::<Skill>(&cfg),
        declaration::<Certificate>(&cfg),
        declaration::<Availability>(&cfg),
        declaration::<PersonDetails>(&cfg),
        declaration::<Person>(&cfg),
        declaration::<SkillForm>(&cfg),
        declaration::<CertificateForm>(&cfg),
        declaration::<AvailabilityForm>(&cfg),
        declaration::<PersonForm>(&cfg),
        declaration::<PeopleQuery>(&cfg),
        declaration::<StaffMember>(&cfg),
        declaration::<DepartmentStaffing>(&cfg),
        declaration::<TeamStructure>(&cfg),
        declaration::<CertificateAlert>(&cfg),
        declaration::<DayKind>(&cfg),
        declaration::<ShiftRule>(&cfg),
        declaration::<Rotation>(&cfg),
        declaration::<Override>(&cfg),
        declaration::<Duty>(&cfg),
        declaration::<Gap>(&cfg),
        declaration::<DoubleBooking>(&cfg),
        declaration::<Coverage>(&cfg),
        declaration::<ShiftForm>(&cfg),
        declaration::<RotationForm>(&cfg),
        declaration::<OverrideForm>(&cfg),
        declaration::<Rota>(&cfg),
        declaration::<OnDuty>(&cfg),
        declaration::<Column>(&cfg),
        declaration::<RowError>(&cfg),
        declaration::<ImportPreview>(&cfg),
        declaration::<ImportFileCheck>(&cfg),
        declaration::<ImportProgress>(&cfg),
        declaration::<Audience>(&cfg),
        declaration::<AudienceForm>(&cfg),
        declaration::<PlanRow>(&cfg),
        declaration::<Plan>(&cfg),
        declaration::<PlanRowForm>(&cfg),
        declaration::<PlanForm>(&cfg),
        declaration::<Mode>(&cfg),
        declaration::<AttendanceStatus>(&cfg),
        declaration::<Attendee>(&cfg),
        declaration::<Session>(&cfg),
        declaration::<SessionForm>(&cfg),
        declaration::<SessionQuery>(&cfg),
        declaration::<ScheduleWarning>(&cfg),
        declaration::<SavedSession>(&cfg),
        declaration::<AttendanceRowForm>(&cfg),
        declaration::<AttendanceForm>(&cfg),
        declaration::<PersonRef>(&cfg),
        declaration::<AudienceProgress>(&cfg),
        declaration::<PlanProgress>(&cfg),
        declaration::<SlotQuery>(&cfg),
        declaration::<SlotSuggestion>(&cfg),
        declaration::<SlotAnswer>(&cfg),
        declaration::<SlotBooking>(&cfg),
        declaration::<Compliance>(&cfg),
        declaration::<LevelTimes>(&cfg),
        declaration::<Tally>(&cfg),
        declaration::<PeriodStats>(&cfg),
        declaration::<ParetoBy>(&cfg),
        declaration::<yunwei_core::quality::monthly::MajorList>(&cfg),
        declaration::<ParetoBar>(&cfg),
        declaration::<Pareto>(&cfg),
        declaration::<ControlRule>(&cfg),
        declaration::<ControlPoint>(&cfg),
        declaration::<XmrChart>(&cfg),
        declaration::<PChart>(&cfg),
        declaration::<QcCharts>(&cfg),
        declaration::<QaItem>(&cfg),
        declaration::<QaSample>(&cfg),
        declaration::<QaSampleForm>(&cfg),
    ];
    // The lists and figures the UI must not spell again: they come from the core.
    let values = [
        constant("Every level, most urgent first.", "LEVELS", "Level", &Level::ALL),
        constant("Every reporting channel.", "CHANNELS", "Channel", &Channel::ALL),
        constant("Every status, in the order of an incident's life.", "STATUSES", "Status", &Status::ALL),
        constant("What \"open\" means: still being worked on.", "OPEN_STATUSES", "Status", &Status::OPEN),
        constant("Every milestone of the SLA.", "MILESTONE_KINDS", "MilestoneKind", &MilestoneKind::ALL),
        constant(
            "A milestone still to be met, its time counting or run out.",
            "OPEN_MILESTONE_STATES",
            "MilestoneState",
            &MilestoneState::OPEN,
        ),
        constant(
            "When the incident report may be signed.",
            "REPORT_SIGNABLE_STATUSES",
            "Status",
            &Status::REPORT_SIGNABLE,
        ),
        event_inputs(),
        format!(
            "/** The share of milestones met in time the service aims for, in percent. */\n\
             export const COMPLIANCE_TARGET_PERCENT = {}\n",
            yunwei_core::quality::COMPLIANCE_TARGET_PERCENT
        ),
        format!(
            "/** A trainer from outside the team is named by this prefix and the name. */\n\
             export const EXTERNAL_TRAINER_PREFIX = {:?}\n",
            yunwei_core::training::EXTERNAL_TRAINER_PREFIX
        ),
    ];
    format!(
        "// Generated from the Rust types by src-tauri/tests/bindings.rs. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p yunwei --test bindings`.\n\n{}\n{}",
        decls.join("\n"),
        values.join("\n")
    )
}

/// What the event form asks for each kind a person records, read from the core's blank inputs:
/// `EVENT_INPUTS.paused` is `["reason"]`.
fn event_inputs() -> String {
    let rows: Vec<String> = EventInput::blanks()
        .iter()
        .map(|blank| {
            let json = serde_json::to_value(blank).expect("json");
            let fields: Vec<String> = json
                .as_object()
                .expect("an object")
                .keys()
                .filter(|k| *k != "kind")
                .map(|k| format!("{k:?}"))
                .collect();
            format!("  {}: [{}],", blank.kind(), fields.join(", "))
        })
        .collect();
    format!(
        "/** Every kind of event a person records, with what its form asks for. */\n\
         export const EVENT_INPUTS: Readonly<Record<EventInput['kind'], readonly string[]>> = {{\n{}\n}}\n",
        rows.join("\n")
    )
}

/// `export const NAME: readonly Type[] = [...]`, each value as serde writes it.
fn constant<T: serde::Serialize>(doc: &str, name: &str, ty: &str, all: &[T]) -> String {
    let list: Vec<String> = all.iter().map(|v| serde_json::to_string(v).expect("json")).collect();
    format!("/** {doc} */\nexport const {name}: readonly {ty}[] = [{}]\n", list.join(", "))
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings/index.ts");
    let fresh = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale; run `UPDATE_BINDINGS=1 cargo test -p yunwei --test bindings`",
        path.display()
    );
}
