//! Team mode in the desktop app: the server's password kept in the OS keyring (and for the
//! session in memory), one sync reached without holding the store while the network answers,
//! and a watcher that syncs in the background while the app is open.
//!
//! The window never waits on the network: the store is locked only once the server has answered
//! (an unreachable server costs the watcher's thread the connect timeout, nobody else).

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};
use yunwei_core::error::ErrorReport;
use yunwei_core::sync::{SyncReport, TeamLink};
use yunwei_core::Lang;

use crate::AppState;

/// The keyring service the password is kept under.
const KEYRING_SERVICE: &str = "yunwei-team-server";

/// The event the window listens to: a background sync ended (its state is to be read again).
pub const SYNCED_EVENT: &str = "team-synced";

/// How often the watcher syncs: every minute, or `$YUNWEI_SYNC_SECONDS`.
fn every() -> Duration {
    let seconds = std::env::var("YUNWEI_SYNC_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    Duration::from_secs(seconds.max(1))
}

fn keyring_entry(link: &TeamLink) -> Option<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("{}@{}", link.login, link.server)).ok()
}

/// Keeps the password for the session, and in the OS keyring when there is one; whether the
/// keyring took it.
pub fn remember_password(state: &AppState, link: &TeamLink, password: &str) -> bool {
    state.with_team_password(|kept| *kept = Some(password.to_owned()));
    keyring_entry(link).is_some_and(|entry| entry.set_password(password).is_ok())
}

/// The password for `link`: the session's, else the keyring's.
fn password(state: &AppState, link: &TeamLink) -> Option<String> {
    if let Some(kept) = state.with_team_password(|kept| kept.clone()) {
        return Some(kept);
    }
    let stored = keyring_entry(link)?.get_password().ok()?;
    state.with_team_password(|kept| *kept = Some(stored.clone()));
    Some(stored)
}

/// Whether a password is at hand (the session's or the keyring's).
pub fn has_password(state: &AppState, link: &TeamLink) -> bool {
    password(state, link).is_some()
}

/// Syncs once with the joined server; `None` when this copy works alone. A failure is recorded
/// on the link (the window shows it quietly) and returned worded for the person.
pub fn sync_now(state: &AppState) -> Result<Option<SyncReport>, ErrorReport> {
    let (link, lang) = state.with_store(|s| Ok((s.team_link()?, s.settings()?.language)))?;
    let Some(link) = link else { return Ok(None) };
    let password = password(state, &link);
    let now = yunwei_core::now();
    let ca = link.ca.as_deref().map(str::as_bytes);
    let outcome = match yunwei_team::connect_as(&link.server, password.as_deref(), ca) {
        Ok(mut client) => state.with_store(|s| Ok(yunwei_team::sync(s, &mut client, lang, now)))?,
        Err(e) => {
            let message = e.message(lang);
            state.with_store(|s| s.sync_finished(now, Some(&message)))?;
            Err(e.into())
        }
    };
    outcome.map(Some).map_err(|e| report(&e, lang))
}

/// A sync's failure as the window shows errors.
pub fn report(e: &yunwei_team::SyncError, lang: Lang) -> ErrorReport {
    let code = match e {
        yunwei_team::SyncError::Team(yunwei_team::TeamError::Unreachable(_)) => "team_offline",
        yunwei_team::SyncError::Team(_) => "team",
        yunwei_team::SyncError::Local(e) => e.code(),
    };
    ErrorReport { code: code.into(), message: e.message(lang), fields: Vec::new() }
}

/// Syncs in the background while the app is open, and tells the window each time.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(every());
        let state = app.state::<AppState>();
        // Alone: nothing happened. Synced or not: the window reads the state again.
        if !matches!(sync_now(&state), Ok(None)) {
            let _ = app.emit(SYNCED_EVENT, ());
        }
    });
}
