//! `yunwei-core` holds everything Yunwei knows without a window: the domain rules, the
//! validation of every form, and the SQLite store they live in.
//!
//! The desktop shell (`src-tauri/`) and the command-line face only parse arguments, call one
//! function here, and map the result. A typical use:
//!
//! ```
//! use yunwei_core::{incident::NewIncident, store::Store};
//! let now = yunwei_core::now();
//! let mut store = Store::open_in_memory(now).unwrap();
//! let input = NewIncident {
//!     title: "OA 登录页打不开".into(),
//!     level: "II".into(),
//!     channel: "hotline".into(),
//!     reported_at: now.to_rfc3339(),
//!     reporter: "王芳".into(),
//!     description: String::new(),
//!     system: "OA 门户".into(),
//! };
//! let created = store.create_incident(&input, now).unwrap();
//! assert!(created.summary.number.starts_with("INC-"));
//! ```
//!
//! Errors are one enum, [`Error`]; every variant carries what a person needs to act on it and
//! renders itself in Chinese or English through [`Error::message`].

pub mod alerts;
pub mod app;
pub mod calendar;
pub mod category;
pub mod contingency;
pub mod corrective;
pub mod data_dir;
pub mod document;
pub mod drill;
pub mod error;
pub mod followup;
pub mod i18n;
pub mod ics;
pub mod incident;
pub mod inspection;
pub mod instant;
pub mod lang;
pub mod level;
pub mod paths;
pub mod people;
pub mod pinyin;
pub mod quality;
pub mod report;
pub mod roster;
pub mod sample;
pub mod search;
pub mod settings;
pub mod signing;
pub mod sla;
pub mod store;
pub mod sync;
pub mod text;
pub mod timeline;
pub mod training;
pub mod zone;

pub use error::{Error, FieldError, Result};
pub use lang::Lang;

/// The current instant. The one place the wall clock is read: rules take `now` as an argument,
/// so tests control time, and the edges (commands, CLI) call this.
#[allow(clippy::disallowed_methods, reason = "this is the sanctioned wrapper")]
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
