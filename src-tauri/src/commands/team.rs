//! Settings → 团队服务器: join the team's server, see the sync state, sync now, settle conflicts.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;
use yunwei_core::error::ErrorReport;
use yunwei_core::sync::{Keep, RecordConflict, SyncReport};
use yunwei_core::{Error, Lang};

use crate::team;
use crate::AppState;

/// What the 团队服务器 card shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TeamState {
    /// This copy has joined a team server.
    pub joined: bool,
    /// The server's address, without its password.
    pub server: String,
    pub login: String,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// How the last sync failed (offline, refused…), worded for the person; none when it went
    /// through.
    pub last_error: Option<String>,
    /// Events recorded here and not yet on the server.
    #[ts(type = "number")]
    pub unsent: u64,
    /// Incidents still carrying a provisional number.
    #[ts(type = "number")]
    pub provisional: u64,
    /// A password is at hand (the session's or the OS keyring's).
    pub password_kept: bool,
    pub conflicts: Vec<RecordConflict>,
    /// What the last sync asked for from here moved, when it was asked for now.
    pub report: Option<SyncReport>,
}

fn team_state(state: &AppState, report: Option<SyncReport>) -> Result<TeamState, ErrorReport> {
    let (link, conflicts) = state.with_store(|s| {
        let link = s.team_link()?;
        let conflicts = if link.is_some() { s.record_conflicts()? } else { Vec::new() };
        Ok((link, conflicts))
    })?;
    Ok(match link {
        None => TeamState {
            joined: false,
            server: String::new(),
            login: String::new(),
            last_sync_at: None,
            last_error: None,
            unsent: 0,
            provisional: 0,
            password_kept: false,
            conflicts,
            report,
        },
        Some(link) => TeamState {
            joined: true,
            password_kept: team::has_password(state, &link),
            server: link.server,
            login: link.login,
            last_sync_at: link.last_sync_at,
            last_error: link.last_error,
            unsent: link.unsent,
            provisional: link.provisional,
            conflicts,
            report,
        },
    })
}

#[tauri::command]
pub async fn team_state_get(state: State<'_, AppState>) -> Result<TeamState, ErrorReport> {
    team_state(&state, None)
}

/// Joins the team on `url` (`postgresql://login@host:port/database`) with `password` (kept in
/// the OS keyring, never in the database) and `ca` (the team CA certificate, PEM, for a server on
/// another machine): the server must answer and accept the login, then this copy syncs once.
#[tauri::command]
pub async fn team_join<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    password: String,
    ca: String,
) -> Result<TeamState, ErrorReport> {
    let state = app.state::<AppState>();
    let lang = state.with_store(|s| Ok(s.settings()?.language))?;
    let url = url.trim().to_owned();
    let ca = Some(ca.trim()).filter(|c| !c.is_empty());
    let team_error = |e: yunwei_team::TeamError| team::report(&e.into(), lang);
    let login = yunwei_team::login_of(&url).map_err(team_error)?;
    let server = yunwei_team::without_password(&url);
    let password = Some(password.as_str()).filter(|p| !p.is_empty());
    let status = tauri::async_runtime::spawn_blocking({
        let (server, password, ca) = (server.clone(), password.map(str::to_owned), ca.map(str::to_owned));
        move || {
            let mut client =
                yunwei_team::connect_as(&server, password.as_deref(), ca.as_deref().map(str::as_bytes))?;
            yunwei_team::status(&mut client)
        }
    })
    .await
    .map_err(|e| Error::Corrupt(e.to_string()).report(lang))?;
    status.map_err(team_error)?;
    let link = state.with_store(|s| s.join_team(&server, &login, ca, yunwei_core::now()))?;
    if let Some(password) = password {
        team::remember_password(&state, &link, password);
    }
    sync_and_state(app.clone()).await
}

/// Syncs now; the state after it (a failure is in `last_error`, said quietly: offline is normal).
#[tauri::command]
pub async fn team_sync<R: Runtime>(app: AppHandle<R>) -> Result<TeamState, ErrorReport> {
    sync_and_state(app).await
}

/// Syncs on a blocking thread (the server may take its connect timeout to not answer), then
/// reads the state.
async fn sync_and_state<R: Runtime>(app: AppHandle<R>) -> Result<TeamState, ErrorReport> {
    let handle = app.clone();
    let synced = tauri::async_runtime::spawn_blocking(move || team::sync_now(&handle.state::<AppState>()))
        .await
        .map_err(|e| Error::Corrupt(e.to_string()).report(Lang::default()))?;
    team_state(&app.state::<AppState>(), synced.ok().flatten())
}

/// Settles a conflict: keep this copy's value (sent at the next sync) or take the server's.
#[tauri::command]
pub async fn team_conflict_resolve(
    state: State<'_, AppState>,
    entity: String,
    entity_id: String,
    keep: Keep,
) -> Result<TeamState, ErrorReport> {
    state.with_store(|s| s.resolve_conflict(&entity, &entity_id, keep))?;
    team_state(&state, None)
}
