//! Training: sessions checked against who may train and attend and against every other booking,
//! the one-to-one slot finder, plan progress, and calendars to take away.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::error::Rule;
use crate::ics::{self, IcsEvent};
use crate::people::{PeopleQuery, PersonKind};
use crate::store::Store;
use crate::training::plan::LEADERSHIP;
use crate::training::plan::{
    audience_name, progress, Mode, PersonRef, PlanForm, PlanProgress, Session, SessionForm,
};
use crate::training::{
    booking, clashes, invite, is_trainer, one_to_one_title, row_in_plan, schedule_warnings, slot_window,
    suggest_slots, Busy, Clashes, Room, SavedSession, SessionQuery, SlotAnswer, SlotBooking, SlotQuery,
    SlotRequest, SLOT_MINUTES,
};
use crate::zone::service_date;
use crate::{Error, FieldError, Lang, Result};

/// A new plan's form: this year (from `now`), a row per audience with its default content.
pub fn plan_template(store: &Store, lang: Lang, now: DateTime<Utc>) -> Result<PlanForm> {
    let today = service_date(now);
    let end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
    Ok(PlanForm::template(&store.training_audiences()?, today, end, lang))
}

/// Creates (`id` `None`) or reschedules/edits a session. A trainer, room or attendee booked twice
/// is refused naming the other session; evenings and rest days come back as warnings.
pub fn save_session(
    store: &mut Store,
    id: Option<&str>,
    form: &SessionForm,
    now: DateTime<Utc>,
) -> Result<SavedSession> {
    let details = form.validate(&store.training_audiences()?)?;
    let plan = store.training_plan(&details.plan_id).map_err(|_| {
        Error::invalid(
            vec![FieldError::new("plan_id", Rule::Unknown { value: details.plan_id.clone() })],
            crate::training::plan::labels,
        )
    })?;
    let mut errors = Vec::new();
    if let Some(row) = details.row_id.as_deref().filter(|row| !row_in_plan(&plan, row)) {
        errors.push(FieldError::new("row_id", Rule::Unknown { value: row.to_owned() }));
    }
    let today = service_date(now);
    let trainer_name = match &details.trainer_id {
        Some(trainer) => match store.get_person(trainer) {
            Ok(p) if is_trainer(&p, today) => p.details.name,
            found => {
                let value = found.map_or_else(|_| trainer.clone(), |p| p.details.name);
                errors.push(FieldError::new("trainer_id", Rule::Unknown { value }));
                String::new()
            }
        },
        None => details.trainer_name.clone(),
    };
    let old = id.map(|id| store.training_session(id)).transpose()?;
    let mut attendees = Vec::new();
    for person_id in &details.attendee_ids {
        // Someone already on the session keeps their record (and stays, even after leaving).
        if let Some(kept) = old.as_ref().and_then(|o| o.attendees.iter().find(|a| &a.person_id == person_id))
        {
            attendees.push(kept.clone());
            continue;
        }
        match store.get_person(person_id) {
            Ok(p) => match invite(&p, today) {
                Some(attendee) => attendees.push(attendee),
                None => errors.push(FieldError::new("attendee_ids", Rule::Unknown { value: p.details.name })),
            },
            Err(_) => {
                errors.push(FieldError::new("attendee_ids", Rule::Unknown { value: person_id.clone() }))
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors, crate::training::plan::labels));
    }
    let session = Session {
        id: old.as_ref().map_or_else(crate::store::new_id, |o| o.id.clone()),
        plan_id: plan.id,
        row_id: details.row_id,
        title: details.title,
        audience: details.audience,
        content: details.content,
        trainer_id: details.trainer_id,
        trainer_name,
        room: details.room,
        start: details.start,
        end: details.end,
        capacity: details.capacity,
        mode: details.mode,
        attendees,
        materials: details.materials,
        needs_follow_up: details.needs_follow_up,
        follow_up_of: details.follow_up_of,
        outcome: old.as_ref().map(|o| o.outcome.clone()).unwrap_or_default(),
        created_at: old.as_ref().map_or(now, |o| o.created_at),
        updated_at: now,
    };
    let nearby = store.sessions_between(session.start, session.end)?;
    let found = clashes(&booking(&session), &nearby.iter().map(booking).collect::<Vec<_>>());
    if !found.is_empty() {
        return Err(Error::refused(Clashes(found)));
    }
    store.write_session(&session)?;
    let warnings = schedule_warnings(session.start, session.end, &store.working_calendar()?);
    Ok(SavedSession { session, warnings })
}

/// Where a new session is proposed (see [`crate::training::default_slot`]): on `day` or after,
/// never in the past, clear of every session already booked.
pub fn default_session_slot(
    store: &Store,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Option<crate::training::Interval>> {
    let from = crate::zone::service_midnight(day.unwrap_or(service_date(now)).max(service_date(now)));
    let booked: Vec<_> =
        store.sessions_between(from, from + Duration::days(29))?.iter().map(|s| (s.start, s.end)).collect();
    Ok(crate::training::default_slot(now, day, &store.working_calendar()?, &booked))
}

/// Sessions held vs planned per audience, attendance rate, who has not attended yet.
pub fn plan_progress(store: &Store, plan_id: &str, now: DateTime<Utc>) -> Result<PlanProgress> {
    let plan = store.training_plan(plan_id)?;
    let sessions =
        store.training_sessions(&SessionQuery { plan_id: plan.id.clone(), ..Default::default() })?;
    let leaders: Vec<PersonRef> = store
        .list_people(
            &PeopleQuery { kind: "client".into(), leaders_only: true, ..Default::default() },
            service_date(now),
        )?
        .into_iter()
        .map(|p| PersonRef { id: p.id, name: p.details.name })
        .collect();
    let rows: Vec<String> = plan.rows.iter().map(|r| r.audience.clone()).collect();
    Ok(progress(&store.training_audiences()?, &rows, &sessions, &leaders, now))
}

/// The earliest free slots for a one-to-one session of `leader_id` with `trainer_id`: inside the
/// leader's availability and working hours, trainer, leader and a room free.
pub fn suggest_training_slots(store: &Store, query: &SlotQuery, now: DateTime<Utc>) -> Result<SlotAnswer> {
    let mut errors = Vec::new();
    let today = service_date(now);
    let leader = store.get_person(&query.leader_id).ok().filter(|p| p.details.kind == PersonKind::Client);
    if leader.is_none() {
        errors.push(FieldError::new("leader_id", Rule::Required));
    }
    let trainer = store.get_person(&query.trainer_id).ok().filter(|p| is_trainer(p, today));
    if trainer.is_none() {
        errors.push(FieldError::new("trainer_id", Rule::Required));
    }
    if !SLOT_MINUTES.contains(&query.duration_minutes) {
        let (min, max) = (*SLOT_MINUTES.start(), *SLOT_MINUTES.end());
        errors.push(FieldError::new("duration", Rule::OutOfRange { min: min.into(), max: max.into() }));
    }
    let from = match query.from.trim() {
        "" => Some(now),
        t => DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc)).or_else(|| {
            errors.push(FieldError::new("from", Rule::InvalidTime));
            None
        }),
    };
    let (Some(leader), Some(trainer), Some(from)) = (leader, trainer, from) else {
        return Err(Error::invalid(errors, crate::training::plan::labels));
    };
    if !errors.is_empty() {
        return Err(Error::invalid(errors, crate::training::plan::labels));
    }
    let (weeks, count) = slot_window(query.weeks, query.count);
    let until = from + Duration::weeks(i64::from(weeks)) + Duration::days(1);
    let nearby = store.sessions_between(from, until)?;
    let busy: Vec<Busy> = nearby
        .iter()
        .filter(|s| {
            s.trainer_id.as_deref() == Some(trainer.id.as_str())
                || s.attendees.iter().any(|a| a.person_id == leader.id)
        })
        .map(|s| (s.start, s.end))
        .collect();
    let names = if query.rooms.is_empty() { store.training_rooms()? } else { query.rooms.clone() };
    let rooms: Vec<Room> = names
        .iter()
        .map(|room| {
            let taken = nearby.iter().filter(|s| s.room == *room).map(|s| (s.start, s.end)).collect();
            (room.clone(), taken)
        })
        .collect();
    if rooms.is_empty() {
        return Err(Error::invalid(
            vec![FieldError::new("rooms", Rule::Required)],
            crate::training::plan::labels,
        ));
    }
    let request = SlotRequest {
        availability: &leader.details.availability,
        busy: &busy,
        rooms: &rooms,
        duration: Duration::minutes(i64::from(query.duration_minutes)),
        from,
        weeks,
        count: count as usize,
    };
    Ok(SlotAnswer {
        slots: suggest_slots(&request, &store.working_calendar()?),
        weeks,
        no_availability: leader.details.availability.is_empty(),
    })
}

/// Books a suggested slot: a one-to-one session of the leadership audience under the plan's
/// leadership row, with the leader as its one attendee (clashes checked as for any session).
pub fn book_training_slot(
    store: &mut Store,
    booking: &SlotBooking,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<SavedSession> {
    let row = store
        .training_plan(&booking.plan_id)
        .ok()
        .and_then(|p| p.rows.into_iter().find(|r| r.audience == LEADERSHIP));
    let title = match booking.title.trim() {
        "" => {
            let leader = store.get_person(&booking.leader_id).map(|p| p.details.name).unwrap_or_default();
            one_to_one_title(&leader, lang)
        }
        title => title.to_owned(),
    };
    let form = SessionForm {
        plan_id: booking.plan_id.clone(),
        row_id: row.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
        title,
        audience: LEADERSHIP.into(),
        content: row.map(|r| r.content).unwrap_or_default(),
        trainer_id: booking.trainer_id.clone(),
        room: booking.room.clone(),
        start: booking.start.clone(),
        end: booking.end.clone(),
        capacity: "1".into(),
        mode: Mode::OneToOne.code().into(),
        attendee_ids: vec![booking.leader_id.clone()],
        follow_up_of: booking.follow_up_of.clone(),
        ..Default::default()
    };
    save_session(store, None, &form, now)
}

/// Sessions as an iCalendar file: one plan's, or one trainer's (`query`).
pub fn training_ics(store: &Store, query: &SessionQuery, lang: Lang, now: DateTime<Utc>) -> Result<String> {
    let sessions = store.training_sessions(query)?;
    let audiences = store.training_audiences()?;
    let training = lang.pick("培训", "Training");
    let name = match (query.plan_id.is_empty(), sessions.first()) {
        (false, _) => format!("{training} · {}", store.training_plan(&query.plan_id)?.title),
        (true, Some(s)) if !query.trainer.is_empty() => format!("{training} · {}", s.trainer_name),
        _ => training.to_owned(),
    };
    let events: Vec<IcsEvent> = sessions
        .iter()
        .map(|s| IcsEvent {
            uid: format!("training-{}@yunwei", s.id),
            start: s.start,
            end: s.end,
            summary: s.title.clone(),
            location: s.room.clone(),
            description: format!(
                "{}: {}\n{}: {}\n{}",
                lang.pick("培训人", "Trainer"),
                s.trainer_name,
                lang.pick("培训对象", "Audience"),
                audience_name(&audiences, &s.audience, lang),
                s.content
            ),
        })
        .collect();
    Ok(ics::calendar(&name, &events, now))
}

#[cfg(test)]
mod tests;
