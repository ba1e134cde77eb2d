//! Desktop notifications when a milestone crosses a warning threshold or breaches, or an
//! inspection run goes overdue, while the app is open. Which milestones crossed is the core's
//! answer (`yunwei_core::alerts`); this module only looks once a minute (bringing the inspection
//! runs up to date first) and shows what it is told.

use std::collections::HashSet;
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
        let mut overdue_seen: Option<HashSet<String>> = None;
        loop {
            let state = app.state::<AppState>();
            let runs = state.with_store(|s| {
                let lang = s.settings()?.language;
                if !s.read_only() {
                    yunwei_core::app::inspection::generate(s, lang, yunwei_core::now())?;
                }
                Ok((yunwei_core::app::inspection::overdue(s, yunwei_core::now())?, lang))
            });
            if let Ok((runs, lang)) = runs {
                if let Some(known) = &overdue_seen {
                    for run in runs.iter().filter(|r| !known.contains(&r.id)).take(MOST_PER_LOOK) {
                        notify(&app, &run.alert_headline(lang), &run.alert_body(lang));
                    }
                }
                overdue_seen = Some(runs.into_iter().map(|r| r.id).collect());
            }
            let look =
                state.with_store(|s| Ok((s.milestone_alerts(yunwei_core::now())?, s.settings()?.language)));
            if let Ok((alerts, lang)) = look {
                let (rose, next) = crossings(seen.as_ref().unwrap_or(&Seen::new()), &alerts);
                if seen.is_some() {
                    for alert in rose.iter().take(MOST_PER_LOOK) {
                        notify(&app, &alert.headline(lang), &alert.body(lang));
                    }
                }
                seen = Some(next);
            }
            std::thread::sleep(EVERY);
        }
    });
}

fn notify<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("yunwei: cannot show a notification: {e}");
    }
}
