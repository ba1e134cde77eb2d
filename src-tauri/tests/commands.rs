//! The real command handlers, driven through Tauri's IPC on a mock runtime (no display).

mod common;

use common::{app_window, invoke};
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::WebviewWindowBuilder;
use yunwei_lib::{app_builder, AppState};

fn form(title: &str, reported_at: &str) -> Value {
    json!({ "input": {
        "title": title, "level": "I", "channel": "onsite",
        "reported_at": reported_at, "reporter": "陈刚", "description": "全单位无法办公"
    }})
}

#[test]
fn create_then_list_then_get() {
    let w = app_window();
    let created =
        invoke(&w, "incident_create", form("OA 登录后白屏", "2026-01-05T09:00:00+08:00")).expect("created");
    assert_eq!(created["number"], "INC-2026-0001");
    assert_eq!(created["level"], "I");
    assert_eq!(created["events"][0]["kind"], "reported");

    let page = invoke(&w, "incident_list", json!({ "query": {} })).expect("list");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["title"], "OA 登录后白屏");

    let got = invoke(&w, "incident_get", json!({ "id": created["id"] })).expect("get");
    assert_eq!(got["number"], created["number"]);
    assert_eq!(got["events"], created["events"]);
}

#[test]
fn events_are_recorded_and_illegal_ones_refused() {
    let w = app_window();
    let created =
        invoke(&w, "incident_create", form("OA 登录后白屏", "2026-01-05T09:00:00+08:00")).expect("created");
    let id = &created["id"];
    let after = invoke(&w, "incident_event_add", json!({ "id": id, "event": { "kind": "responded" } }))
        .expect("respond");
    assert_eq!(after["status"], "in_progress");
    assert_eq!(after["events"][1]["kind"], "responded");
    let err =
        invoke(&w, "incident_event_add", json!({ "id": id, "event": { "kind": "resumed" } })).unwrap_err();
    assert_eq!(err["code"], "not_paused");
    assert_eq!(err["message"], "计时没有暂停，无需恢复");
}

#[test]
fn a_refused_form_returns_code_message_and_fields_in_the_chosen_language() {
    let w = app_window();
    let err = invoke(&w, "incident_create", form("  ", "2026-01-05T09:00:00+08:00")).unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "title");
    assert_eq!(err["fields"][0]["message"], "请填写标题", "Chinese by default");

    invoke(&w, "settings_set_language", json!({ "language": "en" })).expect("switch to English");
    let err = invoke(&w, "incident_create", form("x", "2999-01-01T00:00:00Z")).unwrap_err();
    assert_eq!(err["fields"][0]["code"], "in_future");
    assert_eq!(err["fields"][0]["message"], "Reported at cannot be in the future");

    let page = invoke(&w, "incident_list", json!({ "query": {} })).expect("list");
    assert_eq!(page["total"], 0, "nothing was written");
}

#[test]
fn unknown_language_and_unknown_incident_are_errors_not_panics() {
    let w = app_window();
    let err = invoke(&w, "settings_set_language", json!({ "language": "fr" })).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "language");
    let err = invoke(&w, "incident_get", json!({ "id": "nope" })).unwrap_err();
    assert_eq!(err["code"], "incident_not_found");
    let settings = invoke(&w, "settings_get", json!({})).expect("settings");
    assert_eq!(settings["language"], "zh-CN", "a refused change keeps the old value");
}

#[test]
fn the_sample_sandbox_opens_in_place_of_the_real_record_and_is_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_builder(mock_builder())
        .manage(AppState::open(Some(dir.path())))
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let w = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("mock window");
    assert_eq!(invoke(&w, "sandbox_status", json!({})).unwrap(), json!({ "active": false, "exists": false }));
    assert_eq!(invoke(&w, "sandbox_enter", json!({})).unwrap(), json!({ "active": true, "exists": true }));
    let page = invoke(&w, "incident_list", json!({ "query": {} })).expect("list");
    assert!(page["total"].as_u64().is_some_and(|n| n > 50), "{}", page["total"]);
    assert!(page["items"][0]["number"].as_str().is_some_and(|n| n.starts_with("DEMO-INC-")));
    assert_eq!(invoke(&w, "settings_get", json!({})).unwrap()["sample"], true);
    let left = invoke(&w, "sandbox_leave", json!({ "remove": true })).unwrap();
    assert_eq!(left, json!({ "active": false, "exists": false }));
    assert_eq!(invoke(&w, "incident_list", json!({ "query": {} })).unwrap()["total"], 0);
    let info = invoke(&w, "app_info", json!({})).expect("info");
    assert_eq!(info["schema_version"], yunwei_core::store::SCHEMA_VERSION);
}

#[test]
fn reports_are_signed_with_a_passphrase_or_the_key_kept_for_the_session() {
    let w = app_window();
    let identity = json!({ "form": {
        "name": "李强", "title": "项目经理", "organisation": "华信运维", "passphrase": "session pass", "confirm": "session pass"
    }});
    let status = invoke(&w, "signing_identity_create", identity).expect("identity");
    assert_eq!(status["signer"]["name"], "李强");
    let created =
        invoke(&w, "incident_create", form("OA 登录后白屏", "2026-01-05T09:00:00+08:00")).expect("created");
    let id = created["id"].clone();
    for (kind, at) in [("responded", "2026-01-05T09:10:00+08:00"), ("resolved", "2026-01-05T10:00:00+08:00")]
    {
        let event = json!({ "kind": kind, "occurred_at": at, "summary": "重启服务" });
        invoke(&w, "incident_event_add", json!({ "id": id, "event": event })).expect(kind);
    }
    let fields = json!({ "fault_type": "应用", "cause": "内存", "method": "重启", "losses": "1 小时" });
    let sign = |passphrase: Value, remember: bool| {
        invoke(
            &w,
            "report_sign",
            json!({
                "id": id, "language": "zh-CN", "passphrase": passphrase, "remember": remember, "fields": fields
            }),
        )
    };
    assert_eq!(sign(json!(null), false).unwrap_err()["code"], "passphrase_required");
    assert_eq!(sign(json!("wrong"), false).unwrap_err()["code"], "wrong_passphrase");
    assert_eq!(sign(json!("session pass"), true).expect("signed")["revision"], 1);
    assert_eq!(invoke(&w, "signing_unlocked", json!({})).expect("unlocked"), json!(true));
    assert_eq!(sign(json!(null), false).expect("kept key")["revision"], 2);
    invoke(&w, "signing_forget", json!({})).expect("forget");
    assert_eq!(sign(json!(null), false).unwrap_err()["code"], "passphrase_required");
    let revisions = invoke(&w, "report_revisions", json!({ "id": id })).expect("revisions");
    assert_eq!(revisions.as_array().map(Vec::len), Some(2));
    let incident = invoke(&w, "incident_get", json!({ "id": id })).expect("get");
    let last = incident["events"].as_array().and_then(|e| e.last()).cloned().expect("events");
    assert_eq!((last["kind"].as_str(), last["revision"].as_u64()), (Some("report_submitted"), Some(2)));
}

#[test]
fn the_page_cannot_read_a_file_the_user_did_not_choose() {
    let w = app_window();
    for (cmd, args) in [
        ("report_verify", json!({ "path": "/etc/passwd" })),
        ("people_import_preview", json!({ "path": "/etc/passwd", "mapping": [], "kind": "team" })),
        ("signing_identity_import", json!({ "path": "/etc/passwd", "password": "x", "passphrase": "y" })),
    ] {
        let err = invoke(&w, cmd, args).expect_err("refused");
        assert_eq!(err["code"], "file_not_chosen", "{cmd}: {err}");
    }
}
