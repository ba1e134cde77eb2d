//! The leaders' slot finder over a year of sessions. Run:
//! `cargo bench -p yunwei-core --bench training`.
//!
//! A database file with 50 trainers of the training group, each teaching in their own room
//! twice every working day of 2026 (≈ 24,000 sessions), and a leader free on Tuesday and
//! Thursday mornings and afternoons. The question: the earliest 5 one-hour slots with trainer 0,
//! in any of the 50 rooms, over the next 8 weeks.
//! *Now*: the store's finder (sessions of the searched weeks only, by the time index).
//! *Baseline*, same run: read every session of the year, then run the same core finder.

use std::hint::black_box;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::calendar::WorkingCalendar;
use yunwei_core::i18n::SERVICE_TZ;
use yunwei_core::people::{AvailabilityForm, PersonForm};
use yunwei_core::store::Store;
use yunwei_core::training::plan::SessionForm;
use yunwei_core::training::{suggest_slots, Busy, Room, SlotRequest};
use yunwei_core::training::{SessionQuery, SlotQuery};
use yunwei_core::Lang;

const TRAINERS: usize = 50;

fn local(date: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    SERVICE_TZ
        .from_local_datetime(&date.and_hms_opt(hour, 0, 0).expect("time"))
        .single()
        .expect("instant")
        .with_timezone(&Utc)
}

fn year_of_sessions() -> (tempfile::TempDir, Store, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("yunwei.db"), yunwei_core::now()).expect("store");
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("instant");
    let trainers: Vec<String> = (0..TRAINERS)
        .map(|i| {
            let form = PersonForm {
                kind: "team".into(),
                name: format!("培训师{i:02}"),
                department: "training".into(),
                ..Default::default()
            };
            store.create_person(&form, now).expect("trainer").id
        })
        .collect();
    let window = |weekday: &str, start: &str, end: &str| AvailabilityForm {
        weekday: weekday.into(),
        start: start.into(),
        end: end.into(),
        ..Default::default()
    };
    let leader = PersonForm {
        kind: "client".into(),
        name: "王局长".into(),
        organisation: "市财政局".into(),
        leader: true,
        availability: vec![
            window("2", "09:00", "12:00"),
            window("2", "14:00", "17:00"),
            window("4", "09:00", "12:00"),
            window("4", "14:00", "17:00"),
        ],
        ..Default::default()
    };
    let leader = store.create_person(&leader, now).expect("leader").id;
    let template = yunwei_core::app::training::plan_template(&store, Lang::ZhCn, now).expect("template");
    let plan = store.save_training_plan(None, &template, now).expect("plan").id;
    let calendar = WorkingCalendar::china_default();
    let mut date = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut count = 0;
    while date.year() == 2026 {
        if calendar.is_working_day(date) {
            for (i, trainer) in trainers.iter().enumerate() {
                // Everyone teaches 09:00–11:00; the afternoon session moves through the week.
                let afternoon = 13 + (date.weekday().num_days_from_monday() + i as u32) % 3;
                for (start, hours) in [(9, 2), (afternoon, 2)] {
                    let form = SessionForm {
                        plan_id: plan.clone(),
                        title: format!("课程 {count}"),
                        audience: "operator".into(),
                        trainer_id: trainer.clone(),
                        room: format!("教室 {i:02}"),
                        start: local(date, start).to_rfc3339(),
                        end: (local(date, start) + Duration::hours(hours)).to_rfc3339(),
                        ..Default::default()
                    };
                    yunwei_core::app::training::save_session(&mut store, None, &form, now).expect("session");
                    count += 1;
                }
            }
        }
        date = date.succ_opt().expect("next day");
    }
    eprintln!("{count} sessions");
    (dir, store, leader, trainers[0].clone())
}

fn benches(c: &mut Criterion) {
    let (_dir, store, leader, trainer) = year_of_sessions();
    let from = local(NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"), 8);
    let query = SlotQuery {
        leader_id: leader.clone(),
        trainer_id: trainer.clone(),
        duration_minutes: 60,
        from: from.to_rfc3339(),
        weeks: 8,
        count: 5,
        rooms: Vec::new(),
    };
    let answer = yunwei_core::app::training::suggest_training_slots(&store, &query, from).expect("slots");
    eprintln!("first slot {} in {}", answer.slots[0].start, answer.slots[0].room);
    let mut group = c.benchmark_group("leader's slot finder, a year of sessions");
    group.bench_function("store: the searched weeks only", |b| {
        b.iter(|| {
            black_box(
                yunwei_core::app::training::suggest_training_slots(&store, black_box(&query), from)
                    .expect("slots"),
            )
        })
    });
    let leader_person = store.get_person(&leader).expect("leader");
    let calendar = WorkingCalendar::china_default();
    group.bench_function("baseline: every session of the year", |b| {
        b.iter(|| {
            let all = store.training_sessions(&SessionQuery::default()).expect("sessions");
            let busy: Vec<Busy> = all
                .iter()
                .filter(|s| s.trainer_id.as_deref() == Some(trainer.as_str()))
                .map(|s| (s.start, s.end))
                .collect();
            let mut rooms: Vec<Room> = Vec::new();
            for s in &all {
                match rooms.iter_mut().find(|(name, _)| *name == s.room) {
                    Some((_, taken)) => taken.push((s.start, s.end)),
                    None => rooms.push((s.room.clone(), vec![(s.start, s.end)])),
                }
            }
            let request = SlotRequest {
                availability: &leader_person.details.availability,
                busy: &busy,
                rooms: &rooms,
                duration: Duration::hours(1),
                from,
                weeks: 8,
                count: 5,
            };
            black_box(suggest_slots(&request, &calendar))
        })
    });
    group.finish();
}

criterion_group!(training, benches);
criterion_main!(training);
