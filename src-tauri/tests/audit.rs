//! Every command of the window either only reads, or its change lands where it is recorded:
//! a table the audit trail's triggers cover, the append-only incident timeline, or the backups'
//! own journal. A new command must be placed here, or this test fails; a change through the
//! commands is then checked to leave its entry.

use std::collections::BTreeSet;
use std::path::Path;

mod common;

use common::{app_window, invoke};
use serde_json::{json, Value};
use yunwei_core::store::audit::AUDITED;

/// Where a command's effect is kept.
#[derive(Debug, Clone, Copy)]
enum Touch {
    /// Reads only (or writes a file the user chose, outside the record).
    Reads,
    /// Changes rows of these tables, each audited by its triggers.
    Audited(&'static [&'static str]),
    /// Appends to an incident's timeline, which is append-only: the events are the history.
    Timeline,
    /// Saves unsigned work in progress (report drafts), left out of the trail on purpose.
    Draft,
    /// Changes only the session (which database is shown, an unlocked key), not the record.
    Session,
    /// Keeps a file by its content (an attachment); the record that holds it is audited when
    /// it is saved.
    Files,
    /// Makes backup points or drills, journalled beside the points; restores and set-up are
    /// also written to the trail by the command.
    Backups,
    /// Exchanges with the team server: appends other copies' events to timelines and writes the
    /// shared records others changed (each audited by its triggers); keeps its own position.
    Sync,
}

const TOUCHES: &[(&str, Touch)] = &[
    ("team_state_get", Touch::Reads),
    ("team_join", Touch::Sync),
    ("team_sync", Touch::Sync),
    ("team_conflict_resolve", Touch::Sync),
    ("incident_list", Touch::Reads),
    ("incident_get", Touch::Reads),
    ("incident_create", Touch::Timeline),
    ("incident_event_add", Touch::Timeline),
    ("incident_milestones_ended_by", Touch::Reads),
    ("incident_counts", Touch::Reads),
    ("sandbox_status", Touch::Reads),
    ("sandbox_enter", Touch::Session),
    ("sandbox_leave", Touch::Session),
    ("settings_finish_setup", Touch::Audited(&["settings"])),
    ("settings_get", Touch::Reads),
    ("settings_set_language", Touch::Audited(&["settings"])),
    ("settings_set_user_name", Touch::Audited(&["settings"])),
    ("settings_set_organisation", Touch::Audited(&["settings"])),
    ("settings_set_current_person", Touch::Audited(&["settings"])),
    ("app_info", Touch::Reads),
    ("first_screen_shown", Touch::Reads),
    ("settings_logo_choose", Touch::Audited(&["setting_files"])),
    ("settings_logo_clear", Touch::Audited(&["setting_files"])),
    ("settings_logo_get", Touch::Reads),
    ("sla_settings_get", Touch::Reads),
    ("sla_policy_save", Touch::Audited(&["sla_policies"])),
    ("calendar_save", Touch::Audited(&["calendars"])),
    ("calendar_import_ics", Touch::Audited(&["calendars"])),
    ("signing_status", Touch::Reads),
    ("signing_identity_create", Touch::Audited(&["signing_identities"])),
    ("signing_identity_import", Touch::Audited(&["signing_identities"])),
    ("signing_identity_retire", Touch::Audited(&["signing_identities"])),
    ("signing_forget", Touch::Session),
    ("signing_unlocked", Touch::Reads),
    ("signing_ca_export", Touch::Reads),
    ("signing_colleague_issue", Touch::Reads),
    ("report_sign", Touch::Audited(&["report_revisions"])),
    ("report_draft_get", Touch::Reads),
    ("report_draft_save", Touch::Draft),
    ("report_preview", Touch::Reads),
    ("report_revisions", Touch::Reads),
    ("report_revision_save", Touch::Reads),
    ("report_revision_open", Touch::Reads),
    ("file_pick", Touch::Reads),
    ("report_verify", Touch::Reads),
    ("people_list", Touch::Reads),
    ("person_get", Touch::Reads),
    ("person_save", Touch::Audited(&["people"])),
    ("team_structure", Touch::Reads),
    ("certificate_alerts", Touch::Reads),
    ("rotations_list", Touch::Reads),
    ("rotation_save", Touch::Audited(&["rotations"])),
    ("rotation_delete", Touch::Audited(&["rotations"])),
    ("override_add", Touch::Audited(&["rota_overrides"])),
    ("override_delete", Touch::Audited(&["rota_overrides"])),
    ("overrides_list", Touch::Reads),
    ("rota_get", Touch::Reads),
    ("on_duty_now", Touch::Reads),
    ("rota_export_ics", Touch::Reads),
    ("people_import_pick", Touch::Reads),
    ("people_import_preview", Touch::Reads),
    ("people_import", Touch::Audited(&["people"])),
    ("people_export_xlsx", Touch::Reads),
    ("rota_export_pdf", Touch::Reads),
    ("period_stats", Touch::Reads),
    ("qc_charts", Touch::Reads),
    ("qa_samples", Touch::Reads),
    ("qa_sample_draw", Touch::Audited(&["qa_samples", "qa_sample_items"])),
    ("qa_review", Touch::Audited(&["qa_sample_items"])),
    ("chart_png_save", Touch::Reads),
    ("monthly_sign", Touch::Audited(&["monthly_revisions"])),
    ("monthly_preview", Touch::Reads),
    ("monthly_first", Touch::Reads),
    ("monthly_revisions", Touch::Reads),
    ("monthly_revision_save", Touch::Reads),
    ("training_audiences", Touch::Reads),
    ("training_audience_add", Touch::Audited(&["training_audiences"])),
    ("training_plan_template", Touch::Reads),
    ("training_plans", Touch::Reads),
    ("training_plan_save", Touch::Audited(&["training_plans"])),
    ("training_plan_progress", Touch::Reads),
    ("training_sessions", Touch::Reads),
    ("training_session_save", Touch::Audited(&["training_sessions", "training_attendees"])),
    ("training_session_delete", Touch::Audited(&["training_sessions", "training_attendees"])),
    ("training_attendance_save", Touch::Audited(&["training_sessions"])),
    ("training_rooms", Touch::Reads),
    ("training_default_slot", Touch::Reads),
    ("training_slots", Touch::Reads),
    ("training_slot_book", Touch::Audited(&["training_sessions", "training_attendees"])),
    ("training_export_ics", Touch::Reads),
    ("training_signin_export", Touch::Reads),
    ("plan_sign", Touch::Audited(&["plan_revisions"])),
    ("plan_preview", Touch::Reads),
    ("plan_revisions", Touch::Reads),
    ("plan_revision_save", Touch::Reads),
    ("backup_status", Touch::Reads),
    ("backup_set_up", Touch::Backups),
    ("backup_recovery_sheet_save", Touch::Reads),
    ("backup_folder_choose", Touch::Backups),
    ("backup_configure", Touch::Backups),
    ("backup_run", Touch::Backups),
    ("backup_drill", Touch::Backups),
    ("backup_restore", Touch::Backups),
    ("backup_undo_restore", Touch::Backups),
    ("audit_entries", Touch::Reads),
    ("audit_verify", Touch::Reads),
    ("inspection_templates", Touch::Reads),
    ("inspection_template_save", Touch::Audited(&["inspection_templates"])),
    ("inspection_plans", Touch::Reads),
    ("inspection_plan_save", Touch::Audited(&["inspection_plans", "inspection_runs", "work_orders"])),
    ("inspection_plan_delete", Touch::Audited(&["inspection_plans"])),
    ("inspection_generate", Touch::Audited(&["inspection_runs", "work_orders"])),
    ("inspection_runs", Touch::Reads),
    ("inspection_run_get", Touch::Reads),
    (
        "inspection_run_save",
        Touch::Audited(&["inspection_runs", "inspection_results", "inspection_attachments"]),
    ),
    ("inspection_run_sign_off", Touch::Audited(&["inspection_runs"])),
    ("inspection_attachment_pick", Touch::Files),
    ("inspection_attachment_save", Touch::Reads),
    ("inspection_raise_incident", Touch::Audited(&["inspection_results"])),
    ("inspection_raised_from", Touch::Reads),
    ("inspection_action_raise", Touch::Audited(&["corrective_actions"])),
    ("inspection_today", Touch::Reads),
    ("inspection_trend", Touch::Reads),
    ("inspection_month", Touch::Reads),
    ("client_backups", Touch::Reads),
    ("client_backup_add", Touch::Audited(&["client_backups"])),
    ("client_backup_delete", Touch::Audited(&["client_backups"])),
    ("client_backup_compliance", Touch::Reads),
    ("assets_list", Touch::Reads),
    ("asset_save", Touch::Audited(&["assets"])),
    ("work_orders", Touch::Reads),
    ("work_order_request", Touch::Audited(&["work_orders"])),
    ("work_order_step", Touch::Audited(&["work_orders"])),
    ("inspection_report_sign", Touch::Audited(&["inspection_revisions"])),
    ("inspection_report_preview", Touch::Reads),
    ("inspection_report_revisions", Touch::Reads),
    ("inspection_report_revision_save", Touch::Reads),
    ("service_calendar", Touch::Reads),
    ("service_calendar_ics_save", Touch::Reads),
    ("asset_history", Touch::Reads),
    ("inspection_template_export", Touch::Reads),
    ("inspection_template_import", Touch::Reads),
    ("follow_up_add", Touch::Audited(&["follow_ups"])),
    ("follow_ups_list", Touch::Reads),
    ("categories_overview", Touch::Reads),
    ("category_save", Touch::Audited(&["categories"])),
    ("category_map", Touch::Audited(&["category_mappings"])),
    ("corrective_actions", Touch::Reads),
    ("corrective_action_raise", Touch::Audited(&["corrective_actions"])),
    ("corrective_action_edit", Touch::Audited(&["corrective_actions"])),
    ("corrective_action_close", Touch::Audited(&["corrective_actions"])),
    ("corrective_action_reopen", Touch::Audited(&["corrective_actions"])),
    ("contingency_catalogue", Touch::Reads),
    ("contingency_plan_save", Touch::Audited(&["contingency_plans"])),
    ("contingency_for_incident", Touch::Reads),
    ("contingency_activate", Touch::Timeline),
    ("contingency_step_done", Touch::Timeline),
    ("drill_year", Touch::Reads),
    ("drill_get", Touch::Reads),
    ("drill_save", Touch::Audited(&["drills"])),
    ("drill_log_add", Touch::Audited(&["drills"])),
    ("drill_finding_raise", Touch::Audited(&["corrective_actions"])),
    ("drill_report_sign", Touch::Audited(&["drill_revisions"])),
    ("drill_report_preview", Touch::Reads),
    ("drill_report_revision_save", Touch::Reads),
    ("drill_plan_pdf_save", Touch::Reads),
];

#[test]
fn every_command_is_placed_and_every_change_lands_in_an_audited_table() {
    let build =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs")).expect("build.rs");
    let start = build.find("const COMMANDS: &[&str] = &[").expect("COMMANDS");
    let block = &build[start..start + build[start..].find("];").expect("end")];
    let commands: BTreeSet<&str> = block.split('"').skip(1).step_by(2).collect();
    let placed: BTreeSet<&str> = TOUCHES.iter().map(|(name, _)| *name).collect();
    assert_eq!(placed.len(), TOUCHES.len(), "each command placed once");
    assert!(commands.len() > 90, "the commands were read");
    let unplaced: Vec<_> = commands.difference(&placed).collect();
    assert!(
        unplaced.is_empty(),
        "commands not placed in tests/audit.rs (what do they change?): {unplaced:?}"
    );
    let gone: Vec<_> = placed.difference(&commands).collect();
    assert!(gone.is_empty(), "placed but no longer commands: {gone:?}");
    for (name, touch) in TOUCHES {
        if let Touch::Audited(tables) = touch {
            for table in *tables {
                assert!(AUDITED.contains(table), "{name} changes {table}, which the trail does not cover");
            }
        }
    }
}

#[test]
fn changes_through_the_commands_are_in_the_trail_and_the_chain_holds() {
    let w = app_window();
    invoke(&w, "settings_set_user_name", json!({ "name": "赵磊" })).expect("user");
    invoke(&w, "settings_set_organisation", json!({ "name": "运维项目组" })).expect("organisation");
    let person = invoke(
        &w,
        "person_save",
        json!({ "id": null, "form": { "kind": "team", "name": "王芳", "phone": "13800000001", "department": "quality" } }),
    )
    .expect("person");
    let entries = invoke(&w, "audit_entries", json!({ "query": {} })).expect("entries");
    let entries = entries.as_array().expect("list");
    let latest = entries.iter().find(|e| e["entity_id"] == "organisation").expect("the organisation change");
    assert_eq!(latest["actor"], "赵磊");
    let value =
        latest["changes"].as_array().expect("changes").iter().find(|c| c["field"] == "value").expect("value");
    assert_eq!(value["after"], "运维项目组");
    let id = person["id"].as_str().expect("id");
    let history = invoke(&w, "audit_entries", json!({ "query": { "entity": "people", "entity_id": id } }))
        .expect("history");
    let history = history.as_array().expect("list");
    assert_eq!((history.len(), history[0]["action"].as_str()), (1, Some("create")), "the person's creation");
    let check = invoke(&w, "audit_verify", json!({})).expect("verify");
    assert_eq!(check["first_broken"], Value::Null);
    assert!(check["entries"].as_u64().expect("count") >= 2);
}
