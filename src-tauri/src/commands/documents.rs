//! The patient handout, clinician summary and wallet card: made from a saved version, saved
//! where the user chooses or opened in the system viewer to print, and recorded every time.

use std::path::{Path, PathBuf};

use ldn_engine::Language;
use ldn_handout::{Attestation, Clinic, DocumentInput, DosePlan, Paper, SignedDecision};
use ldn_store::{DocumentKind, DocumentRecord, PrintedPlan};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::{blocking, Shared};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::session::{Access, AppState};

#[derive(Debug, Clone, Deserialize, TS)]
pub struct DocumentRequest {
    pub version_id: i64,
    pub kind: DocumentKind,
    pub language: Language,
    pub paper: ldn_store::Paper,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ProducedDocument {
    pub path: String,
    pub sha256: String,
    /// For a reprint: whether the bytes equal the original's, as recorded.
    pub matches_original: Option<bool>,
    /// Characters no bundled font has, printed as "?".
    pub warnings: Vec<String>,
    /// For a print: whether a PDF viewer was started (otherwise the file waits at `path`).
    pub opened: Option<bool>,
}

/// Where the document goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Save,
    Print,
}

pub(super) struct Made {
    pub(super) bytes: Vec<u8>,
    warnings: Vec<String>,
    file_name: String,
}

pub(super) fn make(state: &AppState, version_id: i64, record: &DocumentRecord) -> AppResult<Made> {
    let language = record.language;
    let paper = match record.paper {
        ldn_store::Paper::Letter => Paper::Letter,
        ldn_store::Paper::A4 => Paper::A4,
    };
    let (version, attestation) = state.with(Access::Staff, |s| {
        let (intake_id, version) = s.store.version(version_id)?;
        // What the summary says about the decision: the sign-off it was made after, with
        // whether its signature holds now, and the root fingerprint to compare with paper.
        let signoff = match record.signoff_id {
            Some(id) => s
                .store
                .signoffs(intake_id)?
                .into_iter()
                .find(|o| o.id == id),
            None => None,
        };
        let attestation = Attestation {
            signoff: signoff.map(|o| SignedDecision {
                decision: o.decision.as_str().to_owned(),
                clinician: o.clinician,
                signed_at: o.signed_at,
                note: o.note,
                signature: o.signature.to_string(),
            }),
            root_fingerprint: s.store.root_fingerprint()?,
        };
        Ok((version, attestation))
    })?;
    let Some(summary) = version.summary else {
        return Err(AppError::not_allowed(
            "This version is a draft. Complete the intake first.",
        ));
    };
    let intake = version.answers;
    let settings = &record.settings;
    let clinic = Clinic {
        name: settings.clinic_name.clone(),
        address: settings.clinic_address.clone(),
        phone: settings.clinic_phone.clone(),
    };
    let input = DocumentInput {
        intake: &intake,
        summary: &summary,
        clinic: &clinic,
        paper,
        language,
        plan: match &record.plan {
            PrintedPlan::ClinicDefault => DosePlan::ClinicDefault(&settings.titration),
            PrintedPlan::Chosen { chosen } => DosePlan::Chosen(chosen),
            PrintedPlan::NotStarting => DosePlan::NotStarting,
        },
        attestation: &attestation,
    };
    let rendered = match record.kind {
        DocumentKind::Handout => ldn_handout::patient_handout(&input)?,
        DocumentKind::Summary => ldn_handout::clinician_summary(&input)?,
        DocumentKind::Card => ldn_handout::wallet_card(&input)?,
    };
    let kind = match record.kind {
        DocumentKind::Handout => "handout",
        DocumentKind::Summary => "clinician-summary",
        DocumentKind::Card => "wallet-card",
    };
    let p = &intake.patient;
    // The language is in the name, so the Spanish handout never replaces the English one.
    let lang = match language {
        Language::En => "en",
        Language::Es => "es",
    };
    // A file name travels into recent-file lists and thumbnails; the clinic may keep the
    // patient's name out of it.
    let file_name = if settings.neutral_file_names {
        format!("{kind}-{lang}-{}.pdf", intake.intake_date)
    } else {
        format!(
            "{kind}-{lang}-{}-{}-{}.pdf",
            file_safe(&p.family_name),
            file_safe(&p.given_name),
            intake.intake_date
        )
    };
    Ok(Made {
        bytes: rendered.pdf,
        warnings: rendered
            .unprintable
            .iter()
            .map(|c| {
                format!(
                    "The character U+{:04X} is not in the fonts and prints as \"?\".",
                    u32::from(*c)
                )
            })
            .collect(),
        file_name,
    })
}

/// Letters, digits and dashes only: a name can hold anything, a file name cannot.
pub(super) fn file_safe(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let trimmed = kept.trim_matches('-');
    if trimmed.is_empty() {
        "patient".into()
    } else {
        trimmed.chars().take(40).collect()
    }
}

fn write_document(path: &Path, bytes: &[u8]) -> AppResult<()> {
    ldn_store::files::write_atomically(path, bytes).map_err(|e| {
        AppError::new(
            ErrorKind::Storage,
            format!(
                "The PDF could not be written to {}: {e}{}",
                path.display(),
                open_elsewhere_hint(&e)
            ),
        )
    })
}

/// Windows refuses to replace a file another program holds open, as a PDF viewer does;
/// Linux and macOS replace it and the viewer keeps the old copy, so they need no hint.
fn open_elsewhere_hint(e: &std::io::Error) -> &'static str {
    // ERROR_SHARING_VIOLATION (32) or ERROR_ACCESS_DENIED, which MoveFileEx gives for a file
    // open without FILE_SHARE_DELETE.
    #[cfg(windows)]
    if e.raw_os_error() == Some(32) || e.kind() == std::io::ErrorKind::PermissionDenied {
        return ". If the file is open in another program, close it there and save again.";
    }
    #[cfg(not(windows))]
    let _ = e;
    ""
}

/// What is being saved, for the save dialog.
pub(super) struct SaveAs<'a> {
    pub(super) title: &'a str,
    pub(super) filter: &'a str,
    pub(super) extension: &'a str,
}

const PDF: SaveAs = SaveAs {
    title: "Save the PDF",
    filter: "PDF document",
    extension: "pdf",
};

pub(super) fn choose_path(
    app: &AppHandle,
    state: &AppState,
    file_name: &str,
    what: &SaveAs,
) -> AppResult<PathBuf> {
    if let Some(dir) = &state.export_dir {
        return Ok(dir.join(file_name));
    }
    let chosen = app
        .dialog()
        .file()
        .set_title(what.title)
        .set_file_name(file_name)
        .add_filter(what.filter, &[what.extension])
        .blocking_save_file();
    let path = chosen
        .ok_or_else(|| AppError::new(ErrorKind::Cancelled, "Not saved: the dialog was closed."))?
        .into_path()
        .map_err(|e| AppError::internal("Choosing where to save", e))?;
    Ok(path)
}

/// Printing: the PDF goes to a private folder (0700 on Unix) under a random name (0600), so
/// nothing about the patient shows in the file name, and opens in the system viewer, which
/// prints.
/// The folder is emptied at every lock and at exit.
pub(super) fn write_print_copy(state: &AppState, bytes: &[u8]) -> AppResult<PathBuf> {
    let fail = |e: std::io::Error| AppError::internal("Preparing to print", e);
    let dir = state
        .print_dir
        .as_ref()
        .ok_or_else(|| AppError::internal("Preparing to print", "no print folder"))?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    // Windows has no modes: the print folder is under the per-user cache folder
    // (%LOCALAPPDATA%), whose ACL admits only this user.
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(fail)?;
    let mut file = tempfile::Builder::new()
        .prefix("print-")
        .suffix(".pdf")
        .tempfile_in(dir)
        .map_err(fail)?;
    std::io::Write::write_all(&mut file, bytes).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    let (_, path) = file.keep().map_err(|e| fail(e.error))?;
    Ok(path)
}

fn produce(
    app: &AppHandle,
    state: &AppState,
    version_id: i64,
    record: &DocumentRecord,
    to: Destination,
    original_sha: Option<&str>,
) -> AppResult<ProducedDocument> {
    let who = state.with(Access::Staff, |s| Ok(s.staff().map(|m| m.id)))?;
    let made = make(state, version_id, record)?;
    let path = match to {
        Destination::Save => Some(choose_path(app, state, &made.file_name, &PDF)?),
        Destination::Print => None,
    };
    // The audit row is committed before the document leaves the app.
    let sha256 = state.with(Access::Staff, |s| {
        // The save dialog waits on a person: if the app locked meanwhile and someone else
        // signed in, the document is not recorded under their name.
        s.require_signed_in_as(who)?;
        Ok(s.store.record_document(version_id, record, &made.bytes)?)
    })?;
    let path = match path {
        Some(path) => {
            write_document(&path, &made.bytes)?;
            path
        }
        None => write_print_copy(state, &made.bytes)?,
    };
    let opened = (to == Destination::Print).then(|| crate::viewer::open_for_printing(&path));
    Ok(ProducedDocument {
        path: path.display().to_string(),
        matches_original: original_sha.map(|o| o == sha256),
        sha256,
        warnings: made.warnings,
        opened,
    })
}

/// What a new document is made from: today's settings, and the plan of the version's latest
/// sign-off (the clinician's decision is what the handout follows).
fn record_for(state: &AppState, request: &DocumentRequest) -> AppResult<DocumentRecord> {
    let (settings, signoff) = state.with(Access::Staff, |s| {
        Ok((
            s.store.settings()?,
            s.store.latest_signoff(request.version_id)?,
        ))
    })?;
    let signoff_id = signoff.as_ref().map(|o| o.id);
    let plan = match signoff {
        None => PrintedPlan::ClinicDefault,
        Some(row) => match row.plan {
            Some(chosen) => PrintedPlan::Chosen { chosen },
            None => PrintedPlan::NotStarting,
        },
    };
    Ok(DocumentRecord {
        kind: request.kind,
        // The clinician summary is written in English only, and recorded as what it is.
        language: match request.kind {
            DocumentKind::Summary => Language::En,
            _ => request.language,
        },
        paper: request.paper,
        settings,
        plan,
        signoff_id,
    })
}

async fn new_document(
    app: AppHandle,
    state: &Shared,
    request: DocumentRequest,
    to: Destination,
) -> AppResult<ProducedDocument> {
    blocking(state, move |state| {
        let record = record_for(state, &request)?;
        produce(&app, state, request.version_id, &record, to, None)
    })
    .await
}

#[tauri::command]
pub async fn save_document(
    app: AppHandle,
    state: State<'_, Shared>,
    request: DocumentRequest,
) -> AppResult<ProducedDocument> {
    new_document(app, &state, request, Destination::Save).await
}

#[tauri::command]
pub async fn print_document(
    app: AppHandle,
    state: State<'_, Shared>,
    request: DocumentRequest,
) -> AppResult<ProducedDocument> {
    new_document(app, &state, request, Destination::Print).await
}

/// Makes an earlier document again from what was recorded (the version, language, paper and
/// the clinic settings of the day), and says whether it matches the original byte for byte.
#[tauri::command]
pub async fn reprint_document(
    app: AppHandle,
    state: State<'_, Shared>,
    document_id: i64,
    print: bool,
) -> AppResult<ProducedDocument> {
    blocking(&state, move |state| {
        let original = state.with(Access::Staff, |s| Ok(s.store.document(document_id)?))?;
        let to = if print {
            Destination::Print
        } else {
            Destination::Save
        };
        produce(
            &app,
            state,
            original.version_id,
            &original.record,
            to,
            Some(&original.sha256),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::file_safe;

    #[test]
    fn file_names_keep_letters_and_drop_markup() {
        assert_eq!(file_safe("Núñez"), "Núñez");
        assert_eq!(
            file_safe("<img src=x onerror=alert(1)>"),
            "img-src-x-onerror-alert-1"
        );
        assert_eq!(file_safe("../../etc"), "etc");
        assert_eq!(file_safe("///"), "patient");
    }
}
