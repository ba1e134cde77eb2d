//! Desktop notifications when a milestone crosses a warning threshold or breaches while the
//! app is open. Which milestones crossed is the core's answer (`yunwei_core::alerts`); this
//! module only looks once a minute and shows what it is told.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use yunwei_core::alerts::{crossings, Seen};

use crate::AppState;

const EVERY: Duration = Duration::from_secs(60);
/// More at once is noise: the dashboard has the full picture.
const MOST_PER_LOOK: usize = 5;

/// Starts the watcher on its own thread: evaluating every open incident takes a moment on a
/// large database, and neither the async runtime nor the window may wait for it.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || {
        // The first look only learns what is already known (the dashboard shows it).
        let mut seen: Option<Seen> = None;
        loop {
            let state = app.state::<AppState>();
            let look =
                state.with_store(|s| Ok((s.milestone_alerts(yunwei_core::now())?, s.settings()?.language)));
            if let Ok((alerts, lang)) = look {
                let (rose, next) = crossings(seen.as_ref().unwrap_or(&Seen::new()), &alerts);
                if seen.is_some() {
                    for alert in rose.iter().take(MOST_PER_LOOK) {
                        let shown = app
                            .notification()
                            .builder()
                            .title(alert.headline(lang))
                            .body(alert.body(lang))
                            .show();
                        if let Err(e) = shown {
                            eprintln!("yunwei: cannot show a notification: {e}");
                        }
                    }
                }
                seen = Some(next);
            }
            std::thread::sleep(EVERY);
        }
    });
}
