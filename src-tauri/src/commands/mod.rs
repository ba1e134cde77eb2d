//! Thin `#[tauri::command]` adapters, one module per domain: parse, call one core function,
//! return its value or an `ErrorReport` (`{ code, message, fields }`).

pub mod incidents;
pub mod people;
pub mod reports;
pub mod settings;
pub mod sla;
