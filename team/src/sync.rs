//! One sync of a laptop with the team server: push every event recorded here and not yet
//! acknowledged, in batches, then pull every event committed since this copy's cursor, page by
//! page, each page stored with the cursor after it in one local transaction.
//!
//! Interrupted anywhere, it resumes: an event pushed whose acknowledgement was lost is pushed
//! again and stored once; a page pulled but not stored is pulled again.

use chrono::{DateTime, Utc};
use yunwei_core::store::Store;
use yunwei_core::sync::{PushOutcome, SyncReport};
use yunwei_core::Lang;

use crate::{pull, pull_records, push, push_records, Client, TeamError};

/// Events per push: one server transaction each.
pub const PUSH_BATCH: usize = 500;

/// Events per pull page: one local transaction each.
pub const PULL_PAGE: i32 = 2000;

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Team(#[from] TeamError),
    /// This copy refused what came, or could not store it.
    #[error(transparent)]
    Local(#[from] yunwei_core::Error),
}

impl SyncError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SyncError::Team(e) => e.message(lang),
            SyncError::Local(e) => e.message(lang),
        }
    }
}

/// Pushes, then pulls, once; what moved. The outcome is recorded on the store's team link
/// (when, and the failure worded in `lang`).
pub fn sync(
    store: &mut Store,
    client: &mut Client,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<SyncReport, SyncError> {
    let outcome = push_and_pull(store, client, now);
    finish(store, outcome, lang, now)
}

/// Connects to the server at `url` (see [`crate::connect_as`]) and syncs once; a server that
/// cannot be reached is recorded on the link as any failed sync is.
pub fn connect_and_sync(
    store: &mut Store,
    (url, password, ca): (&str, Option<&str>, Option<&[u8]>),
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<SyncReport, SyncError> {
    match crate::connect_as(url, password, ca) {
        Ok(mut client) => sync(store, &mut client, lang, now),
        Err(e) => finish(store, Err(e.into()), lang, now),
    }
}

fn finish(
    store: &mut Store,
    outcome: Result<SyncReport, SyncError>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<SyncReport, SyncError> {
    let error = outcome.as_ref().err().map(|e| e.message(lang));
    store.sync_finished(now, error.as_deref())?;
    outcome
}

fn push_and_pull(
    store: &mut Store,
    client: &mut Client,
    now: DateTime<Utc>,
) -> Result<SyncReport, SyncError> {
    let link = store.team_link()?.ok_or_else(|| {
        SyncError::Local(yunwei_core::Error::Corrupt("this copy has not joined a team".into()))
    })?;
    let mut report = SyncReport::default();
    // Events this login may not send (a leadership login's) stay queued; the sync still reads,
    // and says so at the end.
    let mut refused = None;
    loop {
        let batch = store.outbox(PUSH_BATCH)?;
        if batch.is_empty() {
            break;
        }
        let wire = batch.iter().map(|e| e.seal()).collect::<yunwei_core::Result<Vec<_>>>()?;
        match push(client, &link.device, &wire) {
            Ok(added) => report.pushed += added,
            Err(e @ TeamError::Refused(_)) => {
                refused = Some(e);
                break;
            }
            Err(e) => return Err(e.into()),
        }
        store.outbox_sent(&batch.iter().map(|e| e.id).collect::<Vec<_>>())?;
    }
    let (changes, through) = store.record_changes()?;
    for batch in changes.chunks(PUSH_BATCH) {
        let outcomes = push_records(client, &link.device, batch)?;
        report.records_sent +=
            outcomes.iter().filter(|o| matches!(o, PushOutcome::Accepted { .. })).count() as u64;
        let sent: Vec<_> = batch.iter().cloned().zip(outcomes).collect();
        store.records_sent(&sent, None, now)?;
    }
    // Only once every batch is through: a sync cut in between reads the same changes again
    // (those already taken come back as the same value).
    store.records_sent(&[], Some(through), now)?;
    let mut cursor = link.cursor;
    loop {
        let (page, next) = pull(client, &cursor, PULL_PAGE)?;
        if page.is_empty() {
            break;
        }
        let applied = store.apply_pulled(&page, &next, now)?;
        report.pulled += applied.pulled;
        report.new_incidents += applied.new_incidents;
        report.numbered.extend(applied.numbered);
        for number in applied.contradictions {
            if !report.contradictions.contains(&number) {
                report.contradictions.push(number);
            }
        }
        cursor = next;
        if page.len() < PULL_PAGE as usize {
            break;
        }
    }
    let mut cursor = store.record_cursor()?;
    loop {
        let (page, next) = pull_records(client, &cursor, PULL_PAGE)?;
        if page.is_empty() {
            break;
        }
        report.records_received += store.apply_records(&page, &next)?;
        cursor = next;
        if page.len() < PULL_PAGE as usize {
            break;
        }
    }
    report.unsent = store.team_link()?.map_or(0, |l| l.unsent);
    report.conflicts = store.record_conflicts()?.len() as u64;
    match refused {
        Some(e) => Err(e.into()),
        None => Ok(report),
    }
}
