//! What the integration tests share: the app on a mock runtime (no display) and a call through
//! its IPC, as the window makes it.

use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use yunwei_core::store::Store;
use yunwei_lib::{app_builder, AppState};

/// The main window of an app on a new in-memory store.
pub fn app_window() -> WebviewWindow<MockRuntime> {
    let store = Store::open_in_memory(yunwei_core::now()).expect("in-memory store");
    let app = app_builder(mock_builder())
        .manage(AppState::from_store(store))
        .build(mock_context(noop_assets()))
        .expect("mock app");
    WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("mock window")
}

/// Calls `cmd` with `args` as the window would; the error is the command's `ErrorReport`.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        // On Linux the app's own origin is tauri://localhost; anything else counts as remote.
        url: "tauri://localhost".parse().expect("url"),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("json body"))
}
