//! The window's access to commands (issue 13): the app manifest generated from `build.rs`
//! makes every command need a permission, and `capabilities/default.json` grants the main
//! window exactly the commands its UI calls.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use yunwei_core::store::Store;
use yunwei_lib::{app_builder, AppState};

fn source(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The words between `open` and the next `close` of `text` that look like command names.
fn names_between(text: &str, open: &str, close: &str, prefix: &str) -> BTreeSet<String> {
    let start = text.find(open).unwrap_or_else(|| panic!("{open} not found")) + open.len();
    let block = &text[start..start + text[start..].find(close).expect("end of block")];
    block
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-'))
        .filter_map(|word| word.strip_prefix(prefix))
        .map(|name| name.rsplit("::").next().unwrap_or(name).replace('-', "_"))
        .filter(|name| !name.is_empty())
        .collect()
}

/// The commands the UI calls: `call('name'` / `call<T>('name'` in `ui/src`.
fn ui_calls(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("ui/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ui_calls(&path, found);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("ts" | "vue")) {
            let text = std::fs::read_to_string(&path).expect("read");
            for (i, _) in text.match_indices("call") {
                let rest = &text[i + 4..];
                let rest =
                    if rest.starts_with('<') { &rest[rest.find('>').map_or(0, |j| j + 1)..] } else { rest };
                if let Some(name) = rest.strip_prefix("('").and_then(|r| r.split('\'').next()) {
                    found.insert(name.to_owned());
                }
            }
        }
    }
}

#[test]
fn handlers_manifest_capability_and_ui_name_the_same_commands() {
    let handlers = names_between(&source("src/lib.rs"), "generate_handler![", "]", "commands::");
    let manifest = names_between(&source("build.rs"), "const COMMANDS: &[&str] = &[", "];", "");
    let capability: Value = serde_json::from_str(&source("capabilities/default.json")).expect("json");
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect();
    let mut ui = BTreeSet::new();
    ui_calls(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src"), &mut ui);

    assert!(handlers.len() > 70, "the handlers were read: {handlers:?}");
    assert_eq!(manifest, handlers, "build.rs lists every handler, and nothing else");
    assert_eq!(granted, ui, "the main window is granted exactly what its UI calls");
    assert!(ui.is_subset(&handlers), "the UI calls only commands that exist");
}

/// A window built from the app's real context (its capabilities and manifest) on the mock runtime.
fn window(label: &str) -> WebviewWindow<MockRuntime> {
    let store = Store::open_in_memory(yunwei_core::now()).expect("in-memory store");
    let app = app_builder(mock_builder())
        .manage(AppState::from_store(store))
        .build(tauri::generate_context!())
        .expect("mock app");
    WebviewWindowBuilder::new(&app, label, Default::default()).build().expect("mock window")
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: tauri::ipc::InvokeBody::Json(json!({})),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("json body"))
}

#[test]
fn only_the_main_window_may_call_the_commands() {
    let main = window("main");
    invoke(&main, "settings_get").expect("the main window reads the settings");
    let other = window("other");
    let refused = invoke(&other, "settings_get").expect_err("a window without the capability is refused");
    assert!(refused.to_string().contains("not allowed"), "{refused}");
}
