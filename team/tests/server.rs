//! The team server against a real PostgreSQL: a throw-away cluster started by
//! `tests/pg/cluster.sh` (or the one `$YUNWEI_TEST_PG` names), a fresh database per test.

mod common;

use common::{admin_of, admin_url, fresh_db, member, url_as};
use serde_json::json;
use uuid::Uuid;
use yunwei_core::Lang;
use yunwei_team::{connect, init, pull, push, status, Cursor, TeamError, WireEvent, SCHEMA_VERSION};

fn event(incident: Uuid, kind: &str) -> WireEvent {
    WireEvent {
        id: Uuid::now_v7(),
        incident_id: incident,
        kind: kind.into(),
        payload: json!({ "kind": kind }),
    }
}

fn count(client: &mut postgres::Client) -> i64 {
    client.query_one("SELECT count(*) FROM yunwei.events", &[]).expect("count").get(0)
}

#[test]
fn init_sets_up_an_empty_database_once_and_status_reads_it() {
    let db = fresh_db();
    let mut c = connect(&admin_of(&db), None).unwrap();
    assert!(matches!(status(&mut c), Err(TeamError::NotInitialised)));
    let done = init(&mut c).unwrap();
    assert_eq!((done.from, done.to), (0, SCHEMA_VERSION));
    let again = init(&mut c).unwrap();
    assert_eq!((again.from, again.to), (SCHEMA_VERSION, SCHEMA_VERSION), "a second run changes nothing");
    let s = status(&mut c).unwrap();
    assert_eq!((s.schema_version, s.events, s.incidents), (SCHEMA_VERSION, 0, 0));
    assert_eq!(s.user, "yunwei_admin");
}

#[test]
fn a_server_newer_or_older_than_this_copy_is_refused_and_left_untouched() {
    let db = fresh_db();
    let mut c = connect(&admin_of(&db), None).unwrap();
    init(&mut c).unwrap();
    let newer = (SCHEMA_VERSION + 1).to_string();
    c.execute("UPDATE yunwei.meta SET value = $1 WHERE key = 'schema_version'", &[&newer]).unwrap();
    let e = init(&mut c).unwrap_err();
    assert!(matches!(e, TeamError::ServerNewer { .. }), "{e:?}");
    assert!(e.message(Lang::ZhCn).contains("请先升级运维台"), "{}", e.message(Lang::ZhCn));
    assert!(matches!(status(&mut c), Err(TeamError::ServerNewer { .. })));
    let kept: String =
        c.query_one("SELECT value FROM yunwei.meta WHERE key = 'schema_version'", &[]).unwrap().get(0);
    assert_eq!(kept, newer, "untouched");
    c.execute("UPDATE yunwei.meta SET value = '0' WHERE key = 'schema_version'", &[]).unwrap();
    let e = push(&mut c, "laptop", &[event(Uuid::now_v7(), "created")]).unwrap_err();
    assert!(matches!(e, TeamError::ServerOlder { .. }), "{e:?}");
    assert!(e.message(Lang::En).contains("yunwei server init"), "{}", e.message(Lang::En));
}

#[test]
fn a_retried_push_stores_each_event_once_and_a_malformed_batch_stores_nothing() {
    let db = fresh_db();
    let mut c = connect(&admin_of(&db), None).unwrap();
    init(&mut c).unwrap();
    let incident = Uuid::now_v7();
    let batch: Vec<WireEvent> =
        ["created", "responded", "assigned"].iter().map(|k| event(incident, k)).collect();
    assert_eq!(push(&mut c, "pm-laptop", &batch).unwrap(), 3);
    let mut retried = batch.clone();
    retried.push(event(incident, "plan_submitted"));
    assert_eq!(push(&mut c, "pm-laptop", &retried).unwrap(), 1, "only the new one");
    assert_eq!(count(&mut c), 4);

    let mut bad = vec![event(incident, "resolved")];
    bad.push(WireEvent { payload: json!("not an object"), ..event(incident, "closed") });
    let e = push(&mut c, "pm-laptop", &bad).unwrap_err();
    assert!(matches!(e, TeamError::Malformed(_)), "{e:?}");
    assert_eq!(count(&mut c), 4, "all or nothing");

    // Text from a laptop is data, never SQL.
    let sneaky = event(incident, "x'); DROP TABLE yunwei.events; --");
    assert_eq!(push(&mut c, "pm'; DROP SCHEMA yunwei CASCADE; --", &[sneaky]).unwrap(), 1);
    let (kind, device): (String, String) = {
        let row = c
            .query_one("SELECT kind, device FROM yunwei.events ORDER BY xid DESC, id DESC LIMIT 1", &[])
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(
        (kind.as_str(), device.as_str()),
        ("x'); DROP TABLE yunwei.events; --", "pm'; DROP SCHEMA yunwei CASCADE; --")
    );
    assert_eq!(status(&mut c).unwrap().incidents, 1);
}

/// Pulls until `want` events have arrived, `max` a page: the snapshot horizon is the
/// cluster's, so another test's running transaction may hold some back for a moment.
fn pull_until(
    client: &mut postgres::Client,
    cursor: &Cursor,
    want: usize,
    max: i32,
) -> (Vec<yunwei_team::Pulled>, Cursor) {
    let (mut all, mut cursor) = (Vec::new(), cursor.clone());
    for _ in 0..100 {
        let (events, next) = pull(client, &cursor, max).expect("pull");
        all.extend(events);
        cursor = next;
        if all.len() >= want {
            return (all, cursor);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{} of {want} events pulled within 5 s", all.len())
}

/// The cursor never skips a transaction that began before another and committed after it.
#[test]
fn a_transaction_committed_late_is_pulled_next_time_not_skipped() {
    let db = fresh_db();
    let url = admin_of(&db);
    let mut reader = connect(&url, None).unwrap();
    init(&mut reader).unwrap();
    let incident = Uuid::now_v7();
    let early = event(incident, "responded");
    let late = event(incident, "assigned");

    // Laptop A's push begins first (its transaction is older) and is slow to commit.
    let mut a = connect(&url, None).unwrap();
    let mut slow = a.transaction().unwrap();
    let batch = serde_json::to_value([&early]).unwrap();
    slow.query_one("SELECT yunwei.push_events($1, 'laptop-a')", &[&batch]).unwrap();
    // Laptop B's push begins after and commits at once.
    let mut b = connect(&url, None).unwrap();
    assert_eq!(push(&mut b, "laptop-b", std::slice::from_ref(&late)).unwrap(), 1);

    // While A's transaction runs, B's event is held back: reading it now would move the cursor
    // past A's, which would then never be read.
    let (first, cursor) = pull(&mut reader, &Cursor::default(), 100).unwrap();
    assert!(first.is_empty(), "{first:?}");
    assert_eq!(cursor, Cursor::default());

    slow.commit().unwrap();
    let (second, cursor) = pull_until(&mut reader, &cursor, 2, 100);
    let ids: Vec<Uuid> = second.iter().map(|p| p.event.id).collect();
    assert_eq!(ids, [early.id, late.id], "both, in commit-safe order");
    let device: String =
        reader.query_one("SELECT device FROM yunwei.events WHERE id = $1", &[&early.id]).unwrap().get(0);
    assert_eq!(device, "laptop-a");
    let (third, _) = pull(&mut reader, &cursor, 100).unwrap();
    assert!(third.is_empty(), "nothing twice");

    // A page at a time reads the same events.
    let (page, after) = pull_until(&mut reader, &Cursor::default(), 1, 1);
    assert_eq!(page.len(), 1, "a page holds at most max");
    let (rest, _) = pull_until(&mut reader, &after, 1, 1);
    assert_eq!([page[0].event.id, rest[0].event.id], [early.id, late.id]);
}

#[test]
fn leadership_reads_everything_and_every_write_is_refused_by_the_server() {
    let db = fresh_db();
    let mut admin = connect(&admin_of(&db), None).unwrap();
    init(&mut admin).unwrap();
    let incident = Uuid::now_v7();
    push(&mut admin, "pm-laptop", &[event(incident, "created")]).unwrap();

    let (lead, password) = member("yunwei_leadership");
    let mut leader = connect(&url_as(&lead, &password, &db), None).unwrap();
    let s = status(&mut leader).unwrap();
    assert_eq!((s.events, s.roles.clone()), (1, vec!["yunwei_leadership".to_owned()]));
    assert_eq!(pull(&mut leader, &Cursor::default(), 10).unwrap().0.len(), 1);
    let e = push(&mut leader, "leader-laptop", &[event(incident, "closed")]).unwrap_err();
    assert!(matches!(e, TeamError::Refused(_)), "{e:?}");
    assert!(e.message(Lang::ZhCn).contains("权限不足"));
    let direct = leader.execute("DELETE FROM yunwei.events", &[]).map_err(TeamError::from).unwrap_err();
    assert!(matches!(direct, TeamError::Refused(_)), "{direct:?}");

    let (eng, password) = member("yunwei_engineer");
    let mut engineer = connect(&url_as(&eng, &password, &db), None).unwrap();
    assert_eq!(push(&mut engineer, "eng-laptop", &[event(incident, "responded")]).unwrap(), 1);
    let sideways = engineer
        .execute(
            "INSERT INTO yunwei.events (id, incident_id, kind, payload, device, pushed_by) VALUES ($1, $2, 'x', '{}', 'd', 'me')",
            &[&Uuid::now_v7(), &incident],
        )
        .map_err(TeamError::from)
        .unwrap_err();
    assert!(matches!(sideways, TeamError::Refused(_)), "only through the checking function: {sideways:?}");
    assert_eq!(count(&mut admin), 2);
    let pushed_by: String = admin
        .query_one("SELECT pushed_by FROM yunwei.events WHERE device = 'eng-laptop'", &[])
        .unwrap()
        .get(0);
    assert_eq!(pushed_by, eng, "the login that pushed, not a name the laptop claims");
}

#[test]
fn a_wrong_password_or_no_server_is_a_clear_message_quickly() {
    let db = fresh_db();
    let e = connect(&url_as("yunwei_admin", "not-the-password", &db), None).map(|_| ()).unwrap_err();
    assert!(matches!(e, TeamError::WrongPassword), "{e:?}");
    assert_eq!(e.message(Lang::ZhCn), "团队服务器拒绝了用户名或密码");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = std::time::Instant::now();
    let e = connect(&format!("postgresql://someone:pw@127.0.0.1:{port}/x"), None).map(|_| ()).unwrap_err();
    assert!(matches!(e, TeamError::Unreachable(_)), "{e:?}");
    assert!(started.elapsed() < yunwei_team::CONNECT_TIMEOUT + std::time::Duration::from_secs(1));
    assert!(e.message(Lang::ZhCn).contains("离线"));
    let bad = connect("postgresql://[::1", None).map(|_| ()).unwrap_err();
    assert!(matches!(bad, TeamError::BadUrl(_)), "{bad:?}");
}

/// The CA that signed the test cluster's certificate, and one that signed nothing there.
fn cas() -> (Vec<u8>, Vec<u8>) {
    admin_url();
    let dir = std::env::var("YUNWEI_PG_STATE").unwrap_or_else(|_| "/tmp/yunwei-test-pg".into());
    let read = |name: &str| {
        std::fs::read(std::path::Path::new(&dir).join(name)).expect("CA file of tests/pg/cluster.sh")
    };
    (read("ca.pem"), read("other-ca.pem"))
}

#[test]
fn tls_to_the_team_ca_only_and_never_plain_text_to_another_machine() {
    let db = fresh_db();
    let (team_ca, impostor_ca) = cas();
    let mut c = connect(&admin_of(&db), Some(&team_ca)).unwrap();
    let encrypted: bool =
        c.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get(0);
    assert!(encrypted);
    init(&mut c).unwrap();

    let e = connect(&admin_of(&db), Some(&impostor_ca)).map(|_| ()).unwrap_err();
    assert!(matches!(e, TeamError::UntrustedCertificate(_)), "{e:?}");
    assert!(e.message(Lang::ZhCn).contains("不是由团队 CA 签发"), "{}", e.message(Lang::ZhCn));

    let e = connect("postgresql://u:p@10.255.255.1/yunwei", None).map(|_| ()).unwrap_err();
    assert!(matches!(e, TeamError::TlsRequired), "{e:?}");
    let e = connect(&admin_of(&db), Some(b"not a certificate")).map(|_| ()).unwrap_err();
    assert!(matches!(e, TeamError::BadCa(_)), "{e:?}");
}
