//! Shows one line of text, then exits when the page says it has been painted.

#[tauri::command]
fn shown(app: tauri::AppHandle) {
    app.exit(0);
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![shown])
        .run(tauri::generate_context!())
        .expect("the hello app runs");
}
