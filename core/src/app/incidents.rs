//! Incidents: recording what happened, with the checks that need more than the timeline.

use chrono::{DateTime, Utc};

use crate::incident::Incident;
use crate::store::Store;
use crate::timeline::NewEvent;
use crate::Result;

/// Records what happened to incident `id`: an assignment to someone of the roster must name a
/// current team member; the store then checks the event's fields and that it may follow the
/// timeline. The actor is the current user of Settings.
pub fn record_event(store: &mut Store, id: &str, input: &NewEvent, now: DateTime<Utc>) -> Result<Incident> {
    if input.kind == "assigned" && !input.person_id.trim().is_empty() {
        store
            .current_team_member(input.person_id.trim(), "person", now)
            .map_err(|e| e.labelled(crate::timeline::labels))?;
    }
    store.append_event(id, input, now)
}
