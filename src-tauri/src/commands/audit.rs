//! The audit trail (变更记录): the list with its filters, one record's history, the chain check.

use tauri::State;
use yunwei_core::error::ErrorReport;
use yunwei_core::store::audit::{AuditCheck, AuditEntry, AuditQuery};

use crate::AppState;

#[tauri::command]
pub async fn audit_entries(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> Result<Vec<AuditEntry>, ErrorReport> {
    state.with_store(|s| s.audit_entries(&query))
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Result<AuditCheck, ErrorReport> {
    state.with_store(|s| s.verify_audit())
}
