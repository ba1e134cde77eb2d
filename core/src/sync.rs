//! Team mode's incident events as they travel between a laptop and the team server: what an
//! event carries (its data, when it happened and was recorded, who recorded it, and — for the
//! `reported` event that opens an incident — the incident as it was reported), sealed with a
//! digest the receiving laptop checks, so an event altered on the way is refused, not stored.
//!
//! Pure values and rules: the store keeps the outbox and applies what is pulled; the team crate
//! talks to the server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::Explain;
use crate::incident::NewIncident;
use crate::timeline::EventData;
use crate::{Error, Lang, Result};

/// The version of the body below; a laptop refuses a body newer than it understands.
pub const BODY_VERSION: u32 = 1;

/// The prefix of an incident's number while the team server has not numbered it yet.
pub const PROVISIONAL_PREFIX: &str = "TMP-";

/// A provisional label, unique on this copy (`TMP-2026-0003`): shown until the server's number
/// arrives, never printed on a signed document.
pub fn provisional_number(year: i32, n: i64) -> String {
    format!("{PROVISIONAL_PREFIX}{year}-{n:04}")
}

/// One timeline event on the wire: its id (UUIDv7, made where it was recorded), its incident,
/// its kind and its sealed body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEvent {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub kind: String,
    pub payload: Value,
}

/// The incident as it was reported, carried by its `reported` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The form's fields, checked again by the receiving laptop as a form is.
    pub incident: NewIncident,
    /// The year its number counts in.
    pub year: i32,
    /// The number a copy gave it before it joined the team (kept by the server when free);
    /// `None` for an incident created in team mode, which the server numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub policy_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A timeline event as recorded on one copy, to be sent or just received.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedEvent {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub data: EventData,
    pub actor: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// The incident, on its `reported` event only.
    pub header: Option<Header>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    v: u32,
    occurred_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    /// The event's fields without its kind.
    data: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    incident: Option<Header>,
}

impl SyncedEvent {
    /// The event sealed for the wire: its body with a digest of the id, incident, kind and body.
    pub fn seal(&self) -> Result<WireEvent> {
        let fail = |e: serde_json::Error| Error::Corrupt(format!("event {}: {e}", self.id));
        let Value::Object(mut data) = serde_json::to_value(&self.data).map_err(fail)? else {
            return Err(Error::Corrupt(format!("event {} is not an object", self.id)));
        };
        let kind = match data.remove("kind") {
            Some(Value::String(kind)) => kind,
            _ => return Err(Error::Corrupt(format!("event {} has no kind", self.id))),
        };
        let body = Body {
            v: BODY_VERSION,
            occurred_at: self.occurred_at,
            recorded_at: self.recorded_at,
            actor: self.actor.clone(),
            data,
            incident: self.header.clone(),
        };
        let Value::Object(mut payload) = serde_json::to_value(&body).map_err(fail)? else {
            return Err(Error::Corrupt(format!("event {} body", self.id)));
        };
        let digest = digest(&self.id, &self.incident_id, &kind, &payload);
        payload.insert("digest".into(), Value::String(digest));
        Ok(WireEvent { id: self.id, incident_id: self.incident_id, kind, payload: Value::Object(payload) })
    }

    /// Opens an event from the wire: its digest must match (an event altered on the way is
    /// refused), and its data must read as an event of its kind.
    pub fn open(wire: &WireEvent) -> Result<SyncedEvent> {
        let refuse = |why: Why| Error::refused(Unusable { event: wire.id, why });
        let Value::Object(mut payload) = wire.payload.clone() else {
            return Err(refuse(Why::Malformed("not an object".into())));
        };
        let Some(Value::String(sealed)) = payload.remove("digest") else {
            return Err(refuse(Why::Malformed("no digest".into())));
        };
        if digest(&wire.id, &wire.incident_id, &wire.kind, &payload) != sealed {
            return Err(refuse(Why::Altered));
        }
        match payload.get("v").and_then(Value::as_u64) {
            Some(v) if v > u64::from(BODY_VERSION) => {
                return Err(refuse(Why::Newer(u32::try_from(v).unwrap_or(u32::MAX))))
            }
            _ => {}
        }
        let body: Body = serde_json::from_value(Value::Object(payload))
            .map_err(|e| refuse(Why::Malformed(e.to_string())))?;
        let mut fields = body.data;
        fields.insert("kind".into(), Value::String(wire.kind.clone()));
        let data: EventData = serde_json::from_value(Value::Object(fields))
            .map_err(|e| refuse(Why::Malformed(e.to_string())))?;
        if matches!(data, EventData::Reported) != body.incident.is_some() {
            return Err(refuse(Why::Malformed("the incident travels with its reported event only".into())));
        }
        Ok(SyncedEvent {
            id: wire.id,
            incident_id: wire.incident_id,
            data,
            actor: body.actor,
            occurred_at: body.occurred_at,
            recorded_at: body.recorded_at,
            header: body.incident,
        })
    }
}

/// SHA-256 (hex) of the event's identity and body, keys in sorted order at every depth, so the
/// server's own JSON formatting (jsonb reorders keys) does not change it.
fn digest(id: &Uuid, incident_id: &Uuid, kind: &str, body: &Map<String, Value>) -> String {
    let mut text = format!("{id}\n{incident_id}\n{kind}\n");
    canonical(&mut text, &Value::Object(body.clone()));
    crate::document::hex(&Sha256::digest(text.as_bytes()))
}

fn canonical(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(out, v);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(out, item);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Where this copy has read the server up to: the last event pulled, by the server transaction
/// that stored it (`xid8` as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub xid: String,
    pub id: Uuid,
}

impl Default for Cursor {
    /// Before the first event.
    fn default() -> Cursor {
        Cursor { xid: "0".into(), id: Uuid::nil() }
    }
}

/// An event pulled from the server, with the number the server gave its incident (on the
/// `reported` event).
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    pub event: WireEvent,
    pub number: Option<String>,
}

/// This copy's link to its team server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamLink {
    /// The server's address, without a password.
    pub server: String,
    pub login: String,
    /// The team CA certificate (PEM) the server's certificate must chain to.
    pub ca: Option<String>,
    /// This copy's id, on the events it pushes.
    pub device: String,
    pub joined_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// How the last sync failed, worded for the person; `None` when it went through.
    pub last_error: Option<String>,
    pub cursor: Cursor,
    /// Events recorded here not yet acknowledged by the server.
    pub unsent: u64,
    /// Incidents still carrying a provisional number.
    pub provisional: u64,
}

/// What one page of pulled events did here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Events stored (one already held is not counted).
    pub pulled: u64,
    pub new_incidents: u64,
    /// (the number it had here, the server's).
    pub numbered: Vec<(String, String)>,
    /// Incidents whose merged timeline holds a contradiction.
    pub contradictions: Vec<String>,
}

/// The records (tables) the team shares through the server, parents before their children.
/// Settings of one laptop (its language, its user), keys, signed documents and incidents (which
/// travel as events) are not among them.
pub const SHARED_RECORDS: &[&str] = &[
    "settings",
    "calendars",
    "sla_policies",
    "people",
    "rotations",
    "rota_overrides",
    "training_audiences",
    "training_plans",
    "training_sessions",
    "training_attendees",
    "contingency_plans",
    "drills",
    "inspection_templates",
    "inspection_plans",
    "assets",
    "categories",
    "category_mappings",
    "corrective_actions",
    "team_certificates",
];

/// The settings the team shares (the organisation named on every report); the others — this
/// laptop's language, its user, whether it was set up — stay on each laptop.
pub const SHARED_SETTINGS: &[&str] = &["organisation"];

/// Whether record `entity_id` of `entity` travels between the laptops of a team.
pub fn is_shared(entity: &str, entity_id: &str) -> bool {
    SHARED_RECORDS.contains(&entity) && (entity != "settings" || SHARED_SETTINGS.contains(&entity_id))
}

/// A record's value as sent: its table, its key (the primary key's values joined by `/`, as the
/// audit trail names it), the server version it was edited from (0: never synced), and its
/// fields (`None`: removed).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordChange {
    pub entity: String,
    pub entity_id: String,
    pub base: i64,
    pub data: Option<Value>,
}

/// What the server did with a record sent.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    /// Stored as this version.
    Accepted { version: i64 },
    /// The server already holds the same value, at this version.
    Same { version: i64 },
    /// Changed on the server since: its version, value and who sent it.
    Conflict { version: i64, data: Option<Value>, author: String },
    /// This login's role may not change this kind of record.
    Refused { version: i64, data: Option<Value>, author: String },
}

/// A record's latest value on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledRecord {
    pub entity: String,
    pub entity_id: String,
    pub version: i64,
    pub data: Option<Value>,
    pub author: String,
}

/// Where this copy has read the server's records up to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCursor {
    pub xid: String,
    pub change: i64,
}

/// A record changed here and on the server since they last agreed (or a change the server
/// refused), with both values, field by field, for a person to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RecordConflict {
    pub entity: String,
    pub entity_id: String,
    /// The record's name or title, to recognise it by.
    pub label: String,
    /// The fields whose values differ.
    pub fields: Vec<FieldValues>,
    pub their_author: String,
    /// The server refused the change (not permitted), rather than holding another value.
    pub refused: bool,
    pub found_at: DateTime<Utc>,
}

/// One field of a conflict: this copy's value and the server's (`None`: the record is removed
/// there, or has no such field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldValues {
    pub field: String,
    pub mine: Option<String>,
    pub theirs: Option<String>,
}

/// Which value of a conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// This copy's: sent to the server at the next sync, over the version it was shown with.
    Mine,
    /// The server's: written here.
    Theirs,
}

/// The fields of two values of a record that differ, in the record's field order (`mine`'s,
/// then fields only `theirs` has). A field holding a JSON object (a person's details) is opened
/// into its own fields (`details.phone`); the times a record was made or changed are not
/// compared.
pub fn differing_fields(mine: Option<&Value>, theirs: Option<&Value>) -> Vec<FieldValues> {
    let (a, b) = (flatten(mine), flatten(theirs));
    let mut names: Vec<&String> = a.iter().map(|(k, _)| k).collect();
    names.extend(b.iter().map(|(k, _)| k).filter(|k| !a.iter().any(|(n, _)| n == *k)));
    let value = |fields: &[(String, Option<String>)], name: &str| {
        fields.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone())
    };
    names
        .into_iter()
        .filter(|name| {
            let last = name.rsplit('.').next().unwrap_or(name);
            !matches!(last, "created_at" | "updated_at")
        })
        .filter_map(|name| {
            let (m, t) = (value(&a, name), value(&b, name));
            (m != t).then(|| FieldValues { field: name.clone(), mine: m, theirs: t })
        })
        .collect()
}

/// A record's fields as text, by name, objects (and text holding a JSON object) opened.
fn flatten(value: Option<&Value>) -> Vec<(String, Option<String>)> {
    fn walk(out: &mut Vec<(String, Option<String>)>, prefix: &str, value: &Value) {
        let nested = match value {
            Value::Object(map) => Some(map.clone()),
            Value::String(s) if s.starts_with('{') => serde_json::from_str::<Map<String, Value>>(s).ok(),
            _ => None,
        };
        match nested {
            Some(map) => {
                for (key, v) in &map {
                    let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                    walk(out, &name, v);
                }
            }
            None => out.push((
                prefix.to_owned(),
                match value {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                },
            )),
        }
    }
    let mut out = Vec::new();
    if let Some(value) = value {
        walk(&mut out, "", value);
    }
    out
}

/// What a sync moved, as `yunwei sync` prints it and the window shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SyncReport {
    /// Events sent that the server did not hold yet.
    pub pushed: u64,
    /// Events received from other copies.
    pub pulled: u64,
    /// Incidents created on other copies, now here.
    pub new_incidents: u64,
    /// Provisional numbers replaced by the server's (`TMP-2026-0001 → INC-2026-0007`).
    pub numbered: Vec<(String, String)>,
    /// Events left to send (0 after a full sync).
    pub unsent: u64,
    /// Incidents whose merged timeline holds a contradiction (their numbers).
    pub contradictions: Vec<String>,
    /// Records sent that the server took.
    pub records_sent: u64,
    /// Records changed by others, now here.
    pub records_received: u64,
    /// Records waiting for a person to choose between two values (or refused by the server).
    pub conflicts: u64,
}

/// Why an event from the server is not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// Its digest does not match: changed on the way.
    Altered,
    Malformed(String),
    /// Written by a newer Yunwei.
    Newer(u32),
    /// An event of an incident this copy does not hold, without the incident.
    Orphan,
    /// An incident's `reported` event the server gave no number.
    Unnumbered,
}

/// An event from the server this copy will not store, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    event: Uuid,
    why: Why,
}

impl Unusable {
    pub fn orphan(event: Uuid) -> Unusable {
        Unusable { event, why: Why::Orphan }
    }

    pub fn unnumbered(event: Uuid) -> Unusable {
        Unusable { event, why: Why::Unnumbered }
    }
}

impl Explain for Unusable {
    fn code(&self) -> &'static str {
        match self.why {
            Why::Altered => "sync_event_altered",
            Why::Malformed(_) => "sync_event_malformed",
            Why::Newer(_) => "sync_event_newer",
            Why::Orphan => "sync_event_orphan",
            Why::Unnumbered => "sync_event_unnumbered",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let id = self.event;
        match (&self.why, lang) {
            (Why::Altered, Lang::ZhCn) => format!(
                "从团队服务器收到的事件 {id} 与记录时的内容不符（传输中被改动），未保存；本机数据未变，请联系管理员检查服务器"
            ),
            (Why::Altered, Lang::En) => format!(
                "Event {id} from the team server does not match what was recorded (altered on the way); nothing was stored and this copy is unchanged — ask the administrator to check the server"
            ),
            (Why::Malformed(e), Lang::ZhCn) => format!("从团队服务器收到的事件 {id} 无法读取，未保存：{e}"),
            (Why::Malformed(e), Lang::En) => format!("Event {id} from the team server cannot be read; nothing was stored: {e}"),
            (Why::Newer(v), Lang::ZhCn) => format!("事件 {id} 由更新版本的运维台记录（格式第 {v} 版），请先升级运维台"),
            (Why::Newer(v), Lang::En) => {
                format!("Event {id} was recorded by a newer Yunwei (format {v}); update Yunwei first")
            }
            (Why::Orphan, Lang::ZhCn) => format!("事件 {id} 所属的故障不在本机，也未随之送达，未保存"),
            (Why::Orphan, Lang::En) => {
                format!("Event {id} belongs to an incident this copy does not hold and which did not come with it")
            }
            (Why::Unnumbered, Lang::ZhCn) => format!("团队服务器未给事件 {id} 所属的故障编号，未保存"),
            (Why::Unnumbered, Lang::En) => {
                format!("The team server sent the incident of event {id} without its number; nothing was stored")
            }
        }
    }
}

/// A signed document may not carry a provisional number: it could change at the next sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionalNumber {
    pub number: String,
}

impl Explain for ProvisionalNumber {
    fn code(&self) -> &'static str {
        "provisional_number"
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "{} 是临时编号，团队服务器尚未分配正式编号；请先同步，再签署报告（签名文件上的编号不可再变）",
                self.number
            ),
            Lang::En => format!(
                "{} is a provisional number the team server has not replaced yet; sync first, then sign (a signed document's number never changes)",
                self.number
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    fn reported() -> SyncedEvent {
        SyncedEvent {
            id: Uuid::now_v7(),
            incident_id: Uuid::now_v7(),
            data: EventData::Reported,
            actor: Some("张伟".into()),
            occurred_at: at(1),
            recorded_at: at(2),
            header: Some(Header {
                incident: NewIncident {
                    title: "邮件网关无法登录".into(),
                    level: "II".into(),
                    channel: "hotline".into(),
                    reported_at: at(1).to_rfc3339(),
                    ..Default::default()
                },
                year: 2026,
                number: None,
                policy_version: 1,
                external_id: None,
                created_at: at(2),
            }),
        }
    }

    #[test]
    fn an_event_opens_as_it_was_sealed() {
        let event = reported();
        let wire = event.seal().unwrap();
        assert_eq!(wire.kind, "reported");
        assert_eq!(SyncedEvent::open(&wire).unwrap(), event);
        let note = SyncedEvent {
            data: EventData::Note { text: "已联系用户'; DROP TABLE x; --".into() },
            header: None,
            ..event
        };
        assert_eq!(SyncedEvent::open(&note.seal().unwrap()).unwrap(), note);
    }

    #[test]
    fn key_order_does_not_change_the_digest() {
        let wire = reported().seal().unwrap();
        // What the server gives back: the same JSON with its keys in another order.
        let Value::Object(map) = wire.payload.clone() else { panic!() };
        let reversed: Map<String, Value> = map.into_iter().rev().collect();
        let back = WireEvent { payload: Value::Object(reversed), ..wire };
        assert!(SyncedEvent::open(&back).is_ok());
    }

    #[test]
    fn an_altered_event_is_refused_with_a_message() {
        let mut wire = reported().seal().unwrap();
        wire.payload["incident"]["incident"]["title"] = "篡改".into();
        let e = SyncedEvent::open(&wire).unwrap_err();
        assert!(e.message(Lang::ZhCn).contains("传输中被改动"), "{}", e.message(Lang::ZhCn));
        assert!(e.message(Lang::En).contains("altered on the way"));
        let mut wire = reported().seal().unwrap();
        wire.kind = "closed".into();
        assert!(SyncedEvent::open(&wire).unwrap_err().message(Lang::En).contains("altered"));
        let mut wire = reported().seal().unwrap();
        wire.payload = Value::String("x".into());
        assert!(SyncedEvent::open(&wire).unwrap_err().message(Lang::En).contains("cannot be read"));
    }

    #[test]
    fn a_body_from_a_newer_copy_is_refused() {
        let event = reported();
        let mut wire = event.seal().unwrap();
        let Value::Object(mut payload) = wire.payload else { panic!() };
        payload.remove("digest");
        payload.insert("v".into(), 2.into());
        payload.insert("a_field_of_version_2".into(), true.into());
        let digest = digest(&wire.id, &wire.incident_id, &wire.kind, &payload);
        payload.insert("digest".into(), digest.into());
        wire.payload = Value::Object(payload);
        assert!(SyncedEvent::open(&wire).unwrap_err().message(Lang::En).contains("newer Yunwei"));
    }

    #[test]
    fn a_conflict_shows_the_fields_that_differ_details_opened() {
        let mine = serde_json::json!({"id": "p1", "name": "张伟", "details": "{\"phone\":\"139\",\"email\":\"a@b\"}",
                                      "updated_at": "2026-12-01"});
        let theirs = serde_json::json!({"id": "p1", "name": "张伟", "details": "{\"phone\":\"138\",\"email\":\"a@b\"}",
                                        "updated_at": "2026-12-02"});
        let fields = differing_fields(Some(&mine), Some(&theirs));
        assert_eq!(
            fields,
            [FieldValues {
                field: "details.phone".into(),
                mine: Some("139".into()),
                theirs: Some("138".into())
            }]
        );
        let removed = differing_fields(Some(&mine), None);
        assert_eq!(removed.len(), 4, "every field but the times: {removed:?}");
        assert!(removed.iter().all(|f| f.theirs.is_none()));
    }

    #[test]
    fn only_the_teams_settings_travel() {
        assert!(is_shared("settings", "organisation"));
        assert!(!is_shared("settings", "user_name"));
        assert!(!is_shared("settings", "language"));
        assert!(is_shared("people", "0190f000-0000-7000-8000-000000000000"));
        assert!(!is_shared("signing_identities", "1"));
    }

    #[test]
    fn provisional_numbers_say_so() {
        assert_eq!(provisional_number(2026, 3), "TMP-2026-0003");
        assert!(provisional_number(2026, 3).starts_with(PROVISIONAL_PREFIX));
    }
}
