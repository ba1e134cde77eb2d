//! Settings → 数据备份: set up, run, drill and restore backups of the data folder. A run works
//! off the store's lock (it reads the database through its own connection), so the window
//! stays responsive; its progress reaches the window as `backup-progress` events.

use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use yunwei_core::app::backup::{
    self, BackupStatus, Backups, PointKind, Progress, RecoveryKey, Refusal, RestoreDrill, RunOutcome,
};
use yunwei_core::app::documents;
use yunwei_core::error::ErrorReport;
use yunwei_core::{Error, Lang};

use super::{pick_folder_dialog, save_file, Download};
use crate::state::{blocking, AppState};

/// The event a running backup sends with its [`Progress`].
pub const PROGRESS_EVENT: &str = "backup-progress";
/// The event sent when a run the schedule started has ended (the window refreshes its list).
pub const FINISHED_EVENT: &str = "backup-finished";

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus, ErrorReport> {
    state.with_store(|s| Backups::of_store(s)?.status(yunwei_core::now()))
}

/// Sets backups up with a new recovery key, returned once to be shown and printed.
#[tauri::command]
pub async fn backup_set_up(state: State<'_, AppState>, keep_months: u32) -> Result<RecoveryKey, ErrorReport> {
    state.with_store(|s| {
        let key = Backups::of_store(s)?.set_up(None, Some(keep_months))?;
        let detail = serde_json::json!({ "recipient": key.recipient, "keepMonths": keep_months });
        s.record_audit("backup_set_up", "backup", "", &detail)?;
        Ok(key)
    })
}

/// Saves the recovery sheet of `secret` (the key just shown) where the user chooses.
#[tauri::command]
pub async fn backup_recovery_sheet_save<R: Runtime>(
    app: AppHandle<R>,
    secret: String,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        Ok(Download {
            name: format!("{}.pdf", lang.pick("数据备份恢复密钥", "yunwei-recovery-key")),
            filter: ("PDF", &["pdf"]),
            bytes: documents::recovery_sheet_pdf(s, &secret, lang, yunwei_core::now())?,
            open: true,
        })
    })
    .await
}

/// Asks for the second folder (a USB disk, a NAS share) in the OS folder dialog.
#[tauri::command]
pub async fn backup_folder_choose<R: Runtime>(app: AppHandle<R>) -> Result<BackupStatus, ErrorReport> {
    let handle = app.clone();
    let picked = tauri::async_runtime::spawn_blocking(move || pick_folder_dialog(&handle))
        .await
        .map_err(|e| Error::Corrupt(e.to_string()).report(Lang::default()))?;
    blocking(app, move |s, _| {
        let backups = Backups::of_store(s)?;
        if let Some(folder) = picked {
            let config = backups.configure(Some(Some(&folder)), None)?;
            s.record_audit("backup_configure", "backup", "", &serde_json::json!(config))?;
        }
        backups.status(yunwei_core::now())
    })
    .await
}

/// Stops using the second folder (`clear_folder`) and sets how many monthly points are kept.
#[tauri::command]
pub async fn backup_configure(
    state: State<'_, AppState>,
    clear_folder: bool,
    keep_months: u32,
) -> Result<BackupStatus, ErrorReport> {
    state.with_store(|s| {
        let backups = Backups::of_store(s)?;
        let config = backups.configure(clear_folder.then_some(None), Some(keep_months))?;
        s.record_audit("backup_configure", "backup", "", &serde_json::json!(config))?;
        backups.status(yunwei_core::now())
    })
}

/// Makes a point now (`full`, or what is due), with progress events.
#[tauri::command]
pub async fn backup_run<R: Runtime>(app: AppHandle<R>, full: bool) -> Result<RunOutcome, ErrorReport> {
    let (backups, lang) =
        app.state::<AppState>().with_store(|s| Ok((Backups::of_store(s)?, s.settings()?.language)))?;
    tauri::async_runtime::spawn_blocking(move || run(&app, &backups, full).map_err(|e| e.report(lang)))
        .await
        .map_err(|e| Error::Corrupt(e.to_string()).report(lang))?
}

/// One run at a time, whoever started it, with its progress sent to the window.
pub fn run<R: Runtime>(app: &AppHandle<R>, backups: &Backups, full: bool) -> yunwei_core::Result<RunOutcome> {
    let state = app.state::<AppState>();
    let Some(_running) = state.backup_running() else {
        return Err(Error::refused(Refusal::Running));
    };
    let mut last = None;
    let outcome = backups.run(full, None, yunwei_core::now(), &mut |p: Progress| {
        // A step is a few milliseconds: send only what moves the bar.
        let percent = (p.done * 100).checked_div(p.total).unwrap_or(0);
        if last != Some((p.stage, percent)) {
            last = Some((p.stage, percent));
            let _ = app.emit(PROGRESS_EVENT, p);
        }
    })?;
    // Runs and drills are journalled beside the points (`drills.jsonl`, the manifests), not in
    // the database: an entry there would be a change, and no run would ever find none.
    Ok(outcome)
}

/// A restore drill of point `point` with the recovery key `key` (typed or pasted).
#[tauri::command]
pub async fn backup_drill<R: Runtime>(
    app: AppHandle<R>,
    point: String,
    key: String,
) -> Result<RestoreDrill, ErrorReport> {
    let (backups, lang) =
        app.state::<AppState>().with_store(|s| Ok((Backups::of_store(s)?, s.settings()?.language)))?;
    tauri::async_runtime::spawn_blocking(move || {
        let key = backup::parse_recovery_key(&key)?;
        backups.drill(Some(&point), &key, yunwei_core::now())
    })
    .await
    .map_err(|e| Error::Corrupt(e.to_string()).report(lang))?
    .map_err(|e| e.report(lang))
}

/// Restores point `point` with the recovery key `key`; the window reloads its data after.
#[tauri::command]
pub async fn backup_restore<R: Runtime>(
    app: AppHandle<R>,
    point: String,
    key: String,
) -> Result<BackupStatus, ErrorReport> {
    blocking(app, move |s, state| {
        let key = backup::parse_recovery_key(&key)?;
        let _running = state.backup_running().ok_or_else(|| Error::refused(Refusal::Running))?;
        backup::restore_in_place(s, &point, &key, None, yunwei_core::now())?;
        // The key kept unlocked belongs to the data before.
        state.with_kept_signer(|kept| *kept = None);
        Backups::of_store(s)?.status(yunwei_core::now())
    })
    .await
}

#[tauri::command]
pub async fn backup_undo_restore<R: Runtime>(app: AppHandle<R>) -> Result<BackupStatus, ErrorReport> {
    blocking(app, move |s, state| {
        let _running = state.backup_running().ok_or_else(|| Error::refused(Refusal::Running))?;
        backup::undo_restore_in_place(s, yunwei_core::now())?;
        state.with_kept_signer(|kept| *kept = None);
        Backups::of_store(s)?.status(yunwei_core::now())
    })
    .await
}

/// The schedule while the app is open: shortly after start and then hourly, makes the point
/// that is due (a full one a month, an incremental one a week); tells the window when done.
pub fn schedule<R: Runtime>(app: AppHandle<R>) {
    const FIRST_LOOK: std::time::Duration = std::time::Duration::from_secs(30);
    const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);
    std::thread::spawn(move || {
        std::thread::sleep(FIRST_LOOK);
        loop {
            let state = app.state::<AppState>();
            let due = state.with_store(|s| {
                let backups = Backups::of_store(s)?;
                Ok(backups.due(yunwei_core::now())?.map(|kind| (backups, kind)))
            });
            if let Ok(Some((backups, kind))) = due {
                let outcome = run(&app, &backups, kind == PointKind::Full);
                if let Err(e) = &outcome {
                    eprintln!("yunwei: scheduled backup: {}", e.message(Lang::En));
                }
                let _ = app.emit(FINISHED_EVENT, outcome.is_ok());
            }
            std::thread::sleep(EVERY);
        }
    });
}
