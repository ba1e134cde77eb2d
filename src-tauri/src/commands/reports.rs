//! Signing identities, signed report revisions, and verification of PDFs.

use tauri::{AppHandle, Manager, Runtime, State};
use yunwei_core::app::documents::{DraftPdf, Preview};
use yunwei_core::app::{documents, incidents, signing};
use yunwei_core::error::ErrorReport;
use yunwei_core::settings::parse_language;
use yunwei_core::signing::{
    NewSigningIdentity, SignedDocument, Signer, SigningStatus, StoredRevision, Verification,
};
use yunwei_core::timeline::ReportFields;
use yunwei_core::Error;

use super::{pick_dialog, save_file, Download};
use crate::state::blocking;
use crate::AppState;

#[tauri::command]
pub async fn signing_status(state: State<'_, AppState>) -> Result<SigningStatus, ErrorReport> {
    state.with_store(|s| signing::signing_status(s))
}

/// Creates the user's signing certificate (and the company CA on first use).
#[tauri::command]
pub async fn signing_identity_create<R: Runtime>(
    app: AppHandle<R>,
    form: NewSigningIdentity,
) -> Result<SigningStatus, ErrorReport> {
    blocking(app, move |s, _| signing::create_signing_identity(s, &form, yunwei_core::now())).await
}

/// Imports the signing identity from the `.p12` at `path` (chosen in the OS file dialog).
#[tauri::command]
pub async fn signing_identity_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    password: String,
    passphrase: String,
) -> Result<SigningStatus, ErrorReport> {
    blocking(app, move |s, state| {
        let path = state.chosen(&path)?;
        let p12 = std::fs::read(&path).map_err(|e| Error::file(&path, e))?;
        signing::import_signing_p12(s, &p12, &password, &passphrase, yunwei_core::now())
    })
    .await
}

/// Stops using the current signing certificate; a kept key is forgotten.
#[tauri::command]
pub async fn signing_identity_retire(state: State<'_, AppState>) -> Result<SigningStatus, ErrorReport> {
    state.with_kept_signer(|kept| *kept = None);
    state.with_store(|s| signing::retire_signing_identity(s, yunwei_core::now()))
}

/// Forgets the key kept unlocked for this session.
#[tauri::command]
pub async fn signing_forget(state: State<'_, AppState>) -> Result<(), ErrorReport> {
    state.with_kept_signer(|kept| *kept = None);
    Ok(())
}

/// Whether a key is kept unlocked for this session (signing needs no passphrase then).
#[tauri::command]
pub async fn signing_unlocked(state: State<'_, AppState>) -> Result<bool, ErrorReport> {
    Ok(state.with_kept_signer(|kept| kept.is_some()))
}

/// Asks where to save the company CA certificate (PEM) and writes it; `None` if cancelled.
#[tauri::command]
pub async fn signing_ca_export<R: Runtime>(app: AppHandle<R>) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let pem = signing::authority_certificate_pem(s)?;
        Ok(Download {
            name: "yunwei-ca.pem".into(),
            filter: ("PEM", &["pem", "crt"]),
            bytes: pem.into(),
            open: false,
        })
    })
    .await
}

/// Issues a colleague a signing certificate from this copy's company CA and asks where to save
/// the `.p12`; `None` if cancelled. The form is checked (and the CA unlocked) before the dialog.
#[tauri::command]
pub async fn signing_colleague_issue<R: Runtime>(
    app: AppHandle<R>,
    form: signing::ColleagueCertificateForm,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let p12 = signing::issue_colleague_p12(s, &form, yunwei_core::now())?;
        Ok(Download {
            name: format!("{}.p12", form.name.trim()),
            filter: ("PKCS#12", &["p12"]),
            bytes: p12,
            open: false,
        })
    })
    .await
}

/// The OS file dialog for choosing a `.p12` (`kind` = `p12`) or a PDF (`pdf`).
#[tauri::command]
pub async fn file_pick<R: Runtime>(app: AppHandle<R>, kind: String) -> Result<Option<String>, ErrorReport> {
    let (name, extensions): (&str, &[&str]) = match kind.as_str() {
        "p12" => ("PKCS#12", &["p12", "pfx"]),
        _ => ("PDF", &["pdf"]),
    };
    let handle = app.clone();
    let picked = tauri::async_runtime::spawn_blocking(move || pick_dialog(&handle, (name, extensions)))
        .await
        .map_err(|e| Error::Corrupt(e.to_string()).report(yunwei_core::Lang::default()))?;
    if let Some(path) = &picked {
        app.state::<AppState>().remember_chosen(path);
    }
    Ok(picked.map(|p| p.display().to_string()))
}

/// Signs the next revision of incident `id`'s report with `fields` as its analysis. Without a
/// passphrase the key kept for the session is used; `remember` keeps it after this call.
#[tauri::command]
pub async fn report_sign<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
    passphrase: Option<String>,
    remember: bool,
    fields: ReportFields,
) -> Result<StoredRevision, ErrorReport> {
    blocking(app, move |s, state| {
        let lang = parse_language(&language)?;
        with_signer(s, state, passphrase, remember, |s, signer| {
            documents::sign_incident_report(s, &id, lang, signer, Some(&fields), yunwei_core::now())
        })
    })
    .await
}

/// What was typed into incident `id`'s report form and not yet signed, if anything.
#[tauri::command]
pub async fn report_draft_get(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<ReportFields>, ErrorReport> {
    state.with_store(|s| s.report_draft(&id))
}

/// Keeps `fields` as incident `id`'s report draft (empty fields remove it).
#[tauri::command]
pub async fn report_draft_save(
    state: State<'_, AppState>,
    id: String,
    fields: ReportFields,
) -> Result<(), ErrorReport> {
    state.with_store(|s| incidents::save_report_draft(s, &id, &fields, yunwei_core::now()))
}

/// Renders the unsigned draft of incident `id`'s next report revision stating `fields`, writes
/// it to `reports/drafts/` and opens it in the system viewer.
#[tauri::command]
pub async fn report_preview<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
    fields: ReportFields,
) -> Result<Preview, ErrorReport> {
    let handle = app.clone();
    blocking(app, move |s, _| {
        let lang = parse_language(&language)?;
        let draft = documents::preview_incident_report(s, &id, lang, &fields, yunwei_core::now())?;
        open_preview(&handle, s, &draft)
    })
    .await
}

/// Writes a draft to `reports/drafts/` and opens it in the system viewer. A viewer that cannot
/// be started loses nothing: the answer names the file either way.
pub(crate) fn open_preview<R: Runtime>(
    app: &AppHandle<R>,
    store: &yunwei_core::store::Store,
    draft: &DraftPdf,
) -> yunwei_core::Result<Preview> {
    let preview = documents::write_preview(store, draft, yunwei_core::now())?;
    let _ = super::open_in_viewer(app, std::path::Path::new(&preview.path));
    Ok(preview)
}

/// The signed revisions of incident `id`'s report, newest first.
#[tauri::command]
pub async fn report_revisions(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<StoredRevision>, ErrorReport> {
    state.with_store(|s| s.revisions(SignedDocument::IncidentReport, Some(&id)))
}

/// Asks where to save revision `revision` (OS save dialog) and writes it exactly as signed,
/// then opens it in the system viewer when `open`; `None` if cancelled.
#[tauri::command]
pub async fn report_revision_save<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    revision: u32,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let (info, pdf) = s.revision_pdf(SignedDocument::IncidentReport, &id, revision)?;
        Ok(revision_download(&info, pdf, open))
    })
    .await
}

/// Opens revision `revision` (its copy in the reports folder) in the system's PDF viewer.
#[tauri::command]
pub async fn report_revision_open<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    revision: u32,
) -> Result<String, ErrorReport> {
    let handle = app.clone();
    blocking(app, move |s, _| {
        let path = documents::archive_revision(s, SignedDocument::IncidentReport, &id, revision)?;
        super::open_in_viewer(&handle, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Checks the signature of the PDF at `path` (file dialog or drag-and-drop).
#[tauri::command]
pub async fn report_verify(state: State<'_, AppState>, path: String) -> Result<Verification, ErrorReport> {
    state.with_store(|s| {
        let path = state.chosen(&path)?;
        signing::verify_pdf(s, &std::fs::read(&path).map_err(|e| Error::file(&path, e))?)
    })
}

/// Runs `sign` with the key unlocked by `passphrase`, or without one the key kept for the
/// session; `remember` keeps a freshly unlocked key.
pub(crate) fn with_signer<T>(
    store: &mut yunwei_core::store::Store,
    state: &AppState,
    passphrase: Option<String>,
    remember: bool,
    sign: impl FnOnce(&mut yunwei_core::store::Store, &Signer) -> yunwei_core::Result<T>,
) -> yunwei_core::Result<T> {
    match passphrase.filter(|p| !p.is_empty()) {
        Some(passphrase) => {
            let signer = signing::unlock_signer(store, &passphrase)?;
            let signed = sign(store, &signer)?;
            if remember {
                state.with_kept_signer(|kept| *kept = Some(signer));
            }
            Ok(signed)
        }
        None => state.with_kept_signer(|kept| match kept {
            Some(signer) => sign(store, signer),
            None => Err(Error::PassphraseRequired),
        }),
    }
}

/// A signed revision to save exactly as signed (proposing `RPT-2026-0001-r2-en.pdf`), opened
/// once written when `open`.
pub(crate) fn revision_download(info: &StoredRevision, pdf: Vec<u8>, open: bool) -> Download {
    let suffix = if info.lang == "en" { "-en" } else { "" };
    let name = format!("{}-r{}{suffix}.pdf", info.report_number, info.revision);
    Download { name, filter: ("PDF", &["pdf"]), bytes: pdf, open }
}
