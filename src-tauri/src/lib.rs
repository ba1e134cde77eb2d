//! Yunwei's desktop shell. It opens the store, registers the commands, and starts the window;
//! every rule lives in `yunwei-core`. [`run_app`] takes any Tauri runtime, so tests drive the
//! whole app on `tauri::test::mock_builder()` with no display.

mod alerts;
pub mod commands;
pub mod state;
mod team;

use tauri::{Builder, Manager, Runtime};

pub use state::AppState;

/// Registers every command. Shared by the real app and the tests.
pub fn app_builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::team::team_state_get,
        commands::team::team_join,
        commands::team::team_sync,
        commands::team::team_conflict_resolve,
        commands::incidents::incident_list,
        commands::incidents::incident_get,
        commands::incidents::incident_create,
        commands::incidents::incident_event_add,
        commands::incidents::incident_milestones_ended_by,
        commands::incidents::incident_counts,
        commands::incidents::sandbox_status,
        commands::incidents::sandbox_enter,
        commands::incidents::sandbox_leave,
        commands::settings::settings_finish_setup,
        commands::settings::settings_get,
        commands::settings::settings_set_language,
        commands::settings::settings_set_user_name,
        commands::settings::settings_set_organisation,
        commands::settings::settings_set_current_person,
        commands::settings::app_info,
        commands::settings::first_screen_shown,
        commands::settings::settings_logo_choose,
        commands::settings::settings_logo_clear,
        commands::settings::settings_logo_get,
        commands::sla::sla_settings_get,
        commands::sla::sla_policy_save,
        commands::sla::calendar_save,
        commands::sla::calendar_import_ics,
        commands::reports::signing_status,
        commands::reports::signing_identity_create,
        commands::reports::signing_identity_import,
        commands::reports::signing_identity_retire,
        commands::reports::signing_forget,
        commands::reports::signing_unlocked,
        commands::reports::signing_ca_export,
        commands::reports::signing_colleague_issue,
        commands::reports::report_sign,
        commands::reports::report_draft_get,
        commands::reports::report_draft_save,
        commands::reports::report_preview,
        commands::reports::report_revisions,
        commands::reports::report_revision_save,
        commands::reports::report_revision_open,
        commands::reports::file_pick,
        commands::reports::report_verify,
        commands::people::people_list,
        commands::people::person_get,
        commands::people::person_save,
        commands::people::team_structure,
        commands::people::certificate_alerts,
        commands::people::rotations_list,
        commands::people::rotation_save,
        commands::people::rotation_delete,
        commands::people::override_add,
        commands::people::override_delete,
        commands::people::overrides_list,
        commands::people::rota_get,
        commands::people::on_duty_now,
        commands::people::rota_export_ics,
        commands::people::people_import_pick,
        commands::people::people_import_preview,
        commands::people::people_import,
        commands::people::people_export_xlsx,
        commands::people::rota_export_pdf,
        commands::quality::period_stats,
        commands::quality::qc_charts,
        commands::quality::qa_samples,
        commands::quality::qa_sample_draw,
        commands::quality::qa_review,
        commands::quality::chart_png_save,
        commands::quality::monthly_sign,
        commands::quality::monthly_preview,
        commands::quality::monthly_first,
        commands::quality::monthly_revisions,
        commands::quality::monthly_revision_save,
        commands::training::training_audiences,
        commands::training::training_audience_add,
        commands::training::training_plan_template,
        commands::training::training_plans,
        commands::training::training_plan_save,
        commands::training::training_plan_progress,
        commands::training::training_sessions,
        commands::training::training_session_save,
        commands::training::training_session_delete,
        commands::training::training_attendance_save,
        commands::training::training_rooms,
        commands::training::training_default_slot,
        commands::training::training_slots,
        commands::training::training_slot_book,
        commands::training::training_export_ics,
        commands::training::training_signin_export,
        commands::training::plan_sign,
        commands::training::plan_preview,
        commands::training::plan_revisions,
        commands::training::plan_revision_save,
        commands::backup::backup_status,
        commands::backup::backup_set_up,
        commands::backup::backup_recovery_sheet_save,
        commands::backup::backup_folder_choose,
        commands::backup::backup_configure,
        commands::backup::backup_run,
        commands::backup::backup_drill,
        commands::backup::backup_restore,
        commands::backup::backup_undo_restore,
        commands::audit::audit_entries,
        commands::audit::audit_verify,
        commands::inspection::inspection_templates,
        commands::inspection::inspection_template_save,
        commands::inspection::inspection_plans,
        commands::inspection::inspection_plan_save,
        commands::inspection::inspection_plan_delete,
        commands::inspection::inspection_generate,
        commands::inspection::inspection_runs,
        commands::inspection::inspection_run_get,
        commands::inspection::inspection_run_save,
        commands::inspection::inspection_run_sign_off,
        commands::inspection::inspection_attachment_pick,
        commands::inspection::inspection_attachment_save,
        commands::inspection::inspection_raise_incident,
        commands::inspection::inspection_raised_from,
        commands::inspection::inspection_action_raise,
        commands::inspection::inspection_today,
        commands::inspection::inspection_trend,
        commands::inspection::inspection_month,
        commands::inspection::client_backups,
        commands::inspection::client_backup_add,
        commands::inspection::client_backup_delete,
        commands::inspection::client_backup_compliance,
        commands::inspection::assets_list,
        commands::inspection::asset_save,
        commands::inspection::work_orders,
        commands::inspection::work_order_request,
        commands::inspection::work_order_step,
        commands::inspection::inspection_report_sign,
        commands::inspection::inspection_report_preview,
        commands::inspection::inspection_report_revisions,
        commands::inspection::inspection_report_revision_save,
        commands::inspection::service_calendar,
        commands::inspection::service_calendar_ics_save,
        commands::inspection::asset_history,
        commands::inspection::inspection_template_export,
        commands::inspection::inspection_template_import,
        commands::incidents::follow_up_add,
        commands::incidents::follow_ups_list,
        commands::quality::categories_overview,
        commands::quality::category_save,
        commands::quality::category_map,
        commands::quality::corrective_actions,
        commands::quality::corrective_action_raise,
        commands::quality::corrective_action_edit,
        commands::quality::corrective_action_close,
        commands::quality::corrective_action_reopen,
        commands::contingency::contingency_catalogue,
        commands::contingency::contingency_plan_save,
        commands::contingency::contingency_for_incident,
        commands::contingency::contingency_activate,
        commands::contingency::contingency_step_done,
        commands::contingency::drill_year,
        commands::contingency::drill_get,
        commands::contingency::drill_save,
        commands::contingency::drill_log_add,
        commands::contingency::drill_finding_raise,
        commands::contingency::drill_report_sign,
        commands::contingency::drill_report_preview,
        commands::contingency::drill_report_revision_save,
        commands::contingency::drill_plan_pdf_save,
    ])
}

/// Runs the desktop app with `state` until its window closes, with desktop notifications for
/// milestones that cross a warning or breach. A second start on the same data folder brings
/// this window to the front and exits (the data folder's lock refuses it in any case).
pub fn run_app<R: Runtime>(builder: Builder<R>, state: AppState) -> tauri::Result<()> {
    let single_instance = tauri_plugin_single_instance::Builder::new()
        .dbus_id(format!("{}.i{}", yunwei_core::paths::APP_ID, state.instance_key()))
        .callback(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build();
    app_builder(builder)
        .plugin(single_instance)
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .on_window_event(|window, event| {
            // Files dropped on the window may be read, like files chosen in a dialog.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                paths.iter().for_each(|p| state.remember_chosen(p));
            }
        })
        .setup(|app| {
            alerts::watch(app.handle().clone());
            team::watch(app.handle().clone());
            commands::backup::schedule(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
}
