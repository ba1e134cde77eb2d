//! Training rules that do not depend on storage: when two sessions clash (a trainer, a room or
//! an attendee booked twice), when a session only earns a warning (outside working hours, on a
//! holiday), and the earliest free slots for a leader's one-to-one session inside the leader's
//! availability, with the trainer and a room free, in working hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::WorkingCalendar;
use crate::i18n::SERVICE_TZ;
use crate::people::{Availability, Department, Person, PersonKind};
use crate::Lang;

use plan::{AttendanceStatus, Attendee, Plan, Session};

pub mod plan;

/// A booked (or proposed) session, as far as clashes are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The trainer's person id (or an external trainer's name) and display name.
    pub trainer: (String, String),
    pub room: String,
    /// Attendees' person ids and names.
    pub attendees: Vec<(String, String)>,
}

/// What is booked twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClashKind {
    Trainer { name: String },
    Room { room: String },
    Attendee { name: String },
}

/// A refusal: `kind` is already booked in session `other` at that time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub kind: ClashKind,
    pub other_id: String,
    pub other_title: String,
    pub other_room: String,
    pub other_start: DateTime<Utc>,
    pub other_end: DateTime<Utc>,
}

/// How filters and clash checks name a trainer from outside the team: this prefix and the name
/// (a team member is named by their person id).
pub const EXTERNAL_TRAINER_PREFIX: &str = "ext:";

/// A session with attendance recorded cannot be deleted: it is the record that the training
/// took place (the audit trail keeps every change to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceKept {
    /// How many attendees have a status other than invited.
    pub recorded: usize,
}

impl crate::error::Explain for AttendanceKept {
    fn code(&self) -> &'static str {
        "attendance_recorded"
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "该场次已记录 {} 人的出勤，是培训已举行的凭据，不能删除；如场次有误，请修改其内容或在备注中说明",
                self.recorded
            ),
            Lang::En => format!(
                "Attendance of {} people is recorded for this session: it is the record that the training took place and cannot be deleted; correct the session or note the mistake in it instead",
                self.recorded
            ),
        }
    }
}

/// The clashes that refused a session: a refusal that words itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clashes(pub Vec<Clash>);

impl crate::error::Explain for Clashes {
    fn code(&self) -> &'static str {
        "clash"
    }

    /// "时间冲突，未保存：" and each clash.
    fn message(&self, lang: Lang) -> String {
        let each: Vec<String> = self.0.iter().map(|c| c.message(lang)).collect();
        format!(
            "{}{}",
            lang.pick("时间冲突，未保存：", "Time clash, not saved: "),
            each.join(lang.pick("；", "; "))
        )
    }
}

impl Clash {
    /// "张伟 14:00–16:00 已在 302 会议室授课".
    pub fn message(&self, lang: Lang) -> String {
        let hm = |t: DateTime<Utc>| t.with_timezone(&SERVICE_TZ).format("%H:%M").to_string();
        let day = self.other_start.with_timezone(&SERVICE_TZ).format("%m-%d").to_string();
        let (from, to, room, title) =
            (hm(self.other_start), hm(self.other_end), &self.other_room, &self.other_title);
        match (&self.kind, lang) {
            (ClashKind::Trainer { name }, Lang::ZhCn) => {
                format!("{name} {day} {from}–{to} 已在 {room} 授课（{title}）")
            }
            (ClashKind::Trainer { name }, Lang::En) => {
                format!("{name} is already teaching in {room} on {day} {from}–{to} ({title})")
            }
            (ClashKind::Room { room }, Lang::ZhCn) => format!("{room} {day} {from}–{to} 已被“{title}”占用"),
            (ClashKind::Room { room }, Lang::En) => {
                format!("{room} is taken by “{title}” on {day} {from}–{to}")
            }
            (ClashKind::Attendee { name }, Lang::ZhCn) => format!("{name} {day} {from}–{to} 已参加“{title}”"),
            (ClashKind::Attendee { name }, Lang::En) => {
                format!("{name} already attends “{title}” on {day} {from}–{to}")
            }
        }
    }
}

/// Two intervals overlap; touching ones (one ends as the other starts) do not.
pub fn overlaps(
    a_start: DateTime<Utc>,
    a_end: DateTime<Utc>,
    b_start: DateTime<Utc>,
    b_end: DateTime<Utc>,
) -> bool {
    a_start < b_end && b_start < a_end
}

/// Every clash of `candidate` with `booked` (the candidate itself, by id, is skipped, so a
/// rescheduled session does not clash with its old time).
pub fn clashes(candidate: &Booking, booked: &[Booking]) -> Vec<Clash> {
    let mut found = Vec::new();
    for other in booked.iter().filter(|o| o.id != candidate.id) {
        if !overlaps(candidate.start, candidate.end, other.start, other.end) {
            continue;
        }
        let clash = |kind| Clash {
            kind,
            other_id: other.id.clone(),
            other_title: other.title.clone(),
            other_room: other.room.clone(),
            other_start: other.start,
            other_end: other.end,
        };
        if candidate.trainer.0 == other.trainer.0 {
            found.push(clash(ClashKind::Trainer { name: candidate.trainer.1.clone() }));
        }
        if !candidate.room.trim().is_empty() && candidate.room.trim() == other.room.trim() {
            found.push(clash(ClashKind::Room { room: candidate.room.trim().to_owned() }));
        }
        for (id, name) in &candidate.attendees {
            if other.attendees.iter().any(|(o, _)| o == id) {
                found.push(clash(ClashKind::Attendee { name: name.clone() }));
            }
        }
    }
    found
}

/// A session that may be held but deserves a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleWarning {
    /// Part of it lies outside working hours.
    OutsideWorkingHours,
    /// It falls on a weekend or public holiday.
    RestDay,
}

/// Warnings (never refusals) for holding a session from `start` to `end`.
pub fn schedule_warnings(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> Vec<ScheduleWarning> {
    let date = start.with_timezone(&calendar.time_zone).date_naive();
    if !calendar.is_working_day(date) {
        // A rest day has no working hours: one warning says it all.
        return vec![ScheduleWarning::RestDay];
    }
    let worked: Duration = calendar.working_intervals(start, end).iter().map(|(s, e)| *e - *s).sum();
    if worked < end - start {
        vec![ScheduleWarning::OutsideWorkingHours]
    } else {
        Vec::new()
    }
}

/// A proposed slot for a one-to-one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SlotSuggestion {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub room: String,
}

/// A busy interval.
pub type Busy = (DateTime<Utc>, DateTime<Utc>);

/// A room and its bookings.
pub type Room = (String, Vec<Busy>);

/// What the slot finder needs.
pub struct SlotRequest<'a> {
    /// The leader's availability windows (weekly or on dates).
    pub availability: &'a [Availability],
    /// When the trainer or the leader is already booked.
    pub busy: &'a [Busy],
    /// The rooms to choose from, each with its bookings.
    pub rooms: &'a [Room],
    pub duration: Duration,
    /// Search from here (slots start at or after it).
    pub from: DateTime<Utc>,
    pub weeks: u32,
    pub count: usize,
}

/// Candidate starts are on the half hour.
const STEP_MINUTES: i64 = 30;

/// The earliest `count` slots inside the leader's availability and working hours where the
/// trainer and a room are free; empty means no slot in the next `weeks` weeks.
pub fn suggest_slots(request: &SlotRequest, calendar: &WorkingCalendar) -> Vec<SlotSuggestion> {
    let tz = calendar.time_zone;
    let mut found = Vec::new();
    let first = request.from.with_timezone(&tz).date_naive();
    let last = first + Duration::weeks(i64::from(request.weeks));
    let mut date = first;
    while date < last && found.len() < request.count {
        for window in request.availability.iter().filter(|a| applies(a, date)) {
            let (Some(start), Some(end)) = (
                tz.from_local_datetime(&date.and_time(window.start)).earliest(),
                tz.from_local_datetime(&date.and_time(window.end)).earliest(),
            ) else {
                continue;
            };
            let (start, end) = (start.with_timezone(&Utc), end.with_timezone(&Utc));
            // Inside the window, only working time counts.
            for (ws, we) in calendar.working_intervals(start, end) {
                let mut at = round_up(ws.max(request.from));
                while at + request.duration <= we && found.len() < request.count {
                    let slot_end = at + request.duration;
                    let people_free = !request.busy.iter().any(|(s, e)| overlaps(at, slot_end, *s, *e));
                    let room = request
                        .rooms
                        .iter()
                        .find(|(_, busy)| !busy.iter().any(|(s, e)| overlaps(at, slot_end, *s, *e)));
                    if let (true, Some((room, _))) = (people_free, room) {
                        found.push(SlotSuggestion { start: at, end: slot_end, room: room.clone() });
                        at = slot_end;
                    } else {
                        at += Duration::minutes(STEP_MINUTES);
                    }
                }
            }
        }
        date += Duration::days(1);
    }
    found.sort_by_key(|s| s.start);
    found.truncate(request.count);
    found
}

fn applies(window: &Availability, date: NaiveDate) -> bool {
    match (window.date, window.weekday) {
        (Some(on), _) => on == date,
        (None, Some(weekday)) => u32::from(weekday) == date.weekday().number_from_monday(),
        (None, None) => false,
    }
}

/// The next half hour at or after `t` (local minutes :00 or :30).
fn round_up(t: DateTime<Utc>) -> DateTime<Utc> {
    let past = i64::from(t.minute()) % STEP_MINUTES * 60 + i64::from(t.second());
    if past == 0 && t.timestamp_subsec_nanos() == 0 {
        t
    } else {
        t - Duration::seconds(past) - Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos()))
            + Duration::minutes(STEP_MINUTES)
    }
}

/// An audience as added in the app: one name and its usual content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AudienceForm {
    pub name: String,
    pub default_content: String,
}

/// A saved session and what deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedSession {
    pub session: Session,
    pub warnings: Vec<ScheduleWarning>,
}

/// Which sessions a calendar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SessionQuery {
    /// RFC 3339; sessions overlapping `[from, to)`. Empty for no bound.
    pub from: String,
    pub to: String,
    pub plan_id: String,
    /// A trainer's person id, or `ext:` and an external trainer's name.
    pub trainer: String,
    pub room: String,
    pub audience: String,
    /// A person booked on the session.
    pub attendee: String,
}

/// What the one-to-one slot finder is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SlotQuery {
    pub leader_id: String,
    /// A training-group member's id.
    pub trainer_id: String,
    pub duration_minutes: u32,
    /// RFC 3339; empty for now.
    pub from: String,
    pub weeks: u32,
    pub count: u32,
    /// The rooms that may be used; empty for every room sessions have used.
    pub rooms: Vec<String>,
}

/// A suggested slot as booked: a one-to-one session of the leadership audience.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SlotBooking {
    pub plan_id: String,
    pub leader_id: String,
    pub trainer_id: String,
    /// RFC 3339, as the slot finder gave them.
    pub start: String,
    pub end: String,
    pub room: String,
    /// Empty: "领导一对一：<leader>".
    pub title: String,
    /// The session this one follows up, or empty.
    pub follow_up_of: String,
}

/// The slot finder's answer: the slots, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SlotAnswer {
    pub slots: Vec<SlotSuggestion>,
    pub weeks: u32,
    /// The leader has no availability windows at all.
    pub no_availability: bool,
}

/// A start and an end.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// The usual half-day blocks a new session is proposed in: 09:00–11:00 and 14:00–16:00.
const DEFAULT_BLOCKS: [(u32, u32); 2] = [(9, 11), (14, 16)];

/// Where a new session is proposed: the first usual block (09:00–11:00, 14:00–16:00) on a
/// working day from `day` (today when `None`) that starts after `now` and overlaps no session
/// in `booked` (`start`, `end`). Looks four weeks ahead; `None` if all of it is taken.
pub fn default_slot(
    now: DateTime<Utc>,
    day: Option<NaiveDate>,
    calendar: &WorkingCalendar,
    booked: &[Interval],
) -> Option<Interval> {
    let today = crate::zone::service_date(now);
    let first = day.unwrap_or(today).max(today);
    (0..28).map(|n| first + Duration::days(n)).filter(|d| calendar.is_working_day(*d)).find_map(|date| {
        DEFAULT_BLOCKS.iter().find_map(|&(from, to)| {
            let at = |hour: u32| crate::zone::service_midnight(date) + Duration::hours(i64::from(hour));
            let (start, end) = (at(from), at(to));
            let free = booked.iter().all(|&(s, e)| !(s < end && start < e));
            (start > now && free).then_some((start, end))
        })
    })
}

/// A current member of the training group (培训组): who may train.
pub fn is_trainer(person: &Person, today: NaiveDate) -> bool {
    person.details.kind == PersonKind::Team
        && person.details.department == Some(Department::Training)
        && !person.has_left(today)
}

/// `person` as a new attendee, invited: only a client-side person who has not left may attend.
pub fn invite(person: &Person, today: NaiveDate) -> Option<Attendee> {
    (person.details.kind == PersonKind::Client && !person.has_left(today)).then(|| Attendee {
        person_id: person.id.clone(),
        name: person.details.name.clone(),
        department: person.details.client_department.clone(),
        status: AttendanceStatus::Invited,
        score: None,
        passed: None,
        rating: None,
        comment: String::new(),
    })
}

/// Whether a session may deliver row `row_id`: a row of the session's own plan.
pub fn row_in_plan(plan: &Plan, row_id: &str) -> bool {
    plan.rows.iter().any(|r| r.id == row_id)
}

/// The trainer as clash checks and filters know them: a team member by person id, someone from
/// outside by [`EXTERNAL_TRAINER_PREFIX`] and name.
pub fn trainer_key(session: &Session) -> String {
    match &session.trainer_id {
        Some(id) => id.clone(),
        None => format!("{EXTERNAL_TRAINER_PREFIX}{}", session.trainer_name),
    }
}

/// A stored session as clash checks see it.
pub fn booking(session: &Session) -> Booking {
    Booking {
        id: session.id.clone(),
        title: session.title.clone(),
        start: session.start,
        end: session.end,
        trainer: (trainer_key(session), session.trainer_name.clone()),
        room: session.room.clone(),
        attendees: session.attendees.iter().map(|a| (a.person_id.clone(), a.name.clone())).collect(),
    }
}

/// How long a one-to-one session may be, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<u32> = 15..=8 * 60;
/// How many slots the finder suggests when not told, and at most.
pub const DEFAULT_SLOTS: u32 = 5;
pub const MAX_SLOTS: u32 = 50;
/// How many weeks ahead it looks when not told, and at most.
pub const DEFAULT_WEEKS: u32 = 4;
pub const MAX_WEEKS: u32 = 52;

/// The weeks to search and the slots to suggest for a request of `weeks` and `count` (0: the
/// defaults), within the finder's limits.
pub fn slot_window(weeks: u32, count: u32) -> (u32, u32) {
    let weeks = if weeks == 0 { DEFAULT_WEEKS } else { weeks.min(MAX_WEEKS) };
    let count = if count == 0 { DEFAULT_SLOTS } else { count.min(MAX_SLOTS) };
    (weeks, count)
}

/// The title of a booked one-to-one session when none is typed: "领导一对一：<leader>".
pub fn one_to_one_title(leader: &str, lang: Lang) -> String {
    format!("{}{leader}", lang.pick("领导一对一：", "One-to-one: "))
}

/// The days a sign-in sheet is printed for, from `first` to `last`: each working day, and the
/// first and last day whatever they are (a course over a weekend still has its sheets).
pub fn sheet_dates(first: NaiveDate, last: NaiveDate, calendar: &WorkingCalendar) -> Vec<NaiveDate> {
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| *d == first || *d == last || calendar.is_working_day(*d))
        .collect()
}

#[cfg(test)]
mod tests;
