//! The intake as data for the clinic's health record: a FHIR transaction Bundle saved where
//! the user chooses (recorded in the audit trail before it leaves, as a document is), and
//! answers imported from a QuestionnaireResponse filled in elsewhere, checked like any answers
//! and saved as a draft for the front desk to go through.

use std::path::PathBuf;

use chrono::Local;
use ldn_fhir::{Document, DocumentKind, Record, ResponseStatus, SignOff};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::documents::{choose_path, file_safe, make, SaveAs};
use super::intake::{validate_and_save, Saved};
use super::{blocking, Shared};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::session::{Access, AppState};

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportedRecord {
    pub path: String,
    pub sha256: String,
    /// Documents given out for this version, attached with their PDF.
    pub documents_attached: usize,
    /// Documents that could not be made again byte for byte: named by their hash only.
    pub documents_by_hash_only: usize,
}

const JSON_FILE: SaveAs = SaveAs {
    title: "Save for the health record",
    filter: "FHIR JSON",
    extension: "json",
};

/// The largest QuestionnaireResponse read: a whole intake is tens of kilobytes.
const MAX_IMPORT_BYTES: u64 = 5 * 1024 * 1024;

#[tauri::command]
pub async fn export_health_record(
    app: AppHandle,
    state: State<'_, Shared>,
    version_id: i64,
) -> AppResult<ExportedRecord> {
    blocking(&state, move |state| export(&app, state, version_id)).await
}

fn export(app: &AppHandle, state: &AppState, version_id: i64) -> AppResult<ExportedRecord> {
    let (who, version, mrn, signoff, rows, neutral_names) = state.with(Access::Staff, |s| {
        let who = s.staff().map(|m| m.id);
        let (intake_id, version) = s.store.version(version_id)?;
        let detail = s.store.show_intake(intake_id)?;
        let mrn = s.store.patient(detail.patient_id)?.mrn;
        let signoff = s.store.latest_signoff(version_id)?;
        let rows: Vec<_> = s
            .store
            .documents(intake_id)?
            .into_iter()
            .filter(|d| d.version_id == version_id)
            .collect();
        let neutral = s.store.settings()?.neutral_file_names;
        Ok((who, version, mrn, signoff, rows, neutral))
    })?;
    let Some(summary) = version.summary else {
        return Err(AppError::not_allowed(
            "This version is a draft. Complete the intake first.",
        ));
    };
    // Each PDF given out is made again from what was recorded, and attached only when it is
    // the same file byte for byte; otherwise the record names it by its hash alone.
    let remade: Vec<Option<Vec<u8>>> = rows
        .iter()
        .map(|row| {
            make(state, version_id, &row.record)
                .ok()
                .map(|made| made.bytes)
                .filter(|bytes| hex::encode(Sha256::digest(bytes)) == row.sha256)
        })
        .collect();
    let documents: Vec<Document> = rows
        .iter()
        .zip(&remade)
        .filter_map(|(row, pdf)| {
            Some(Document {
                kind: DocumentKind::from_code(row.record.kind.as_str())?,
                language: row.record.language,
                created: Some(&row.produced_at),
                sha256: &row.sha256,
                pdf: pdf.as_deref(),
            })
        })
        .collect();
    let record = Record {
        intake: &version.answers,
        summary: &summary,
        status: ResponseStatus::Completed,
        mrn: mrn.as_deref(),
        signoff: signoff.as_ref().map(|o| SignOff {
            clinician: &o.clinician,
            signed_at: &o.signed_at,
            decision: o.decision.as_str(),
            note: &o.note,
        }),
        documents: &documents,
    };
    let text = serde_json::to_string_pretty(&ldn_fhir::bundle(&state.engine, &record))
        .map_err(|e| AppError::internal("Writing the health record", e))?;
    let intake = &version.answers;
    let file_name = if neutral_names {
        format!("health-record-{}.json", intake.intake_date)
    } else {
        format!(
            "health-record-{}-{}-{}.json",
            file_safe(&intake.patient.family_name),
            file_safe(&intake.patient.given_name),
            intake.intake_date
        )
    };
    let path = choose_path(app, state, &file_name, &JSON_FILE)?;
    // Recorded before the file leaves the app, under the person who chose where it goes.
    let sha256 = state.with(Access::Staff, |s| {
        s.require_signed_in_as(who)?;
        Ok(s.store
            .record_export(version_id, "fhir-bundle", text.as_bytes())?)
    })?;
    ldn_store::files::write_atomically(&path, text.as_bytes()).map_err(|e| {
        AppError::new(
            ErrorKind::Storage,
            format!("The file could not be written to {}: {e}", path.display()),
        )
    })?;
    let attached = remade.iter().filter(|pdf| pdf.is_some()).count();
    Ok(ExportedRecord {
        path: path.display().to_string(),
        sha256,
        documents_attached: attached,
        documents_by_hash_only: remade.len() - attached,
    })
}

/// Reads a QuestionnaireResponse for a patient on record and saves its answers as a new
/// draft intake. The response's own name and birth date, when it has them, must be the
/// record's: answers are never filed under another patient.
#[tauri::command]
pub async fn import_answers(
    app: AppHandle,
    state: State<'_, Shared>,
    patient_id: i64,
) -> AppResult<Saved> {
    blocking(&state, move |state| {
        // Only signed-in staff get as far as the file dialog.
        let who = state.with(Access::Staff, |s| Ok(s.staff().map(|m| m.id)))?;
        let path = choose_import(&app, state)?;
        let bytes = read_file(&path)?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::invalid("(file)", format!("is not JSON: {e}")))?;
        let mut doc = ldn_fhir::answers_from_response(&state.engine, &value)?;
        if let Some(answered) = doc["intake_date"].as_str().and_then(|d| d.parse().ok()) {
            ldn_fhir::check_answered_on(&state.engine, answered, Local::now().date_naive())
                .map_err(|e| AppError::invalid(&e.field, e.message))?;
        }
        state.with(Access::Staff, |s| {
            // The file dialog waits on a person: if the app locked meanwhile and someone else
            // signed in, the answers are not saved under their name.
            s.require_signed_in_as(who)?;
            let record = s.store.patient(patient_id)?;
            let on_record = [
                ("given_name", record.given_name.as_str()),
                ("family_name", record.family_name.as_str()),
                ("birth_date", record.birth_date.as_str()),
            ];
            for (key, value) in on_record {
                let given = &doc["patient"][key];
                let same = match given {
                    Value::Null => true,
                    Value::String(given) => fold(given) == fold(value),
                    _ => false,
                };
                if !same {
                    return Err(AppError::invalid(
                        &format!("patient.{key}"),
                        "these answers are about another patient: the name or birth date differs from this patient's record",
                    ));
                }
                doc["patient"][key] = json!(value);
            }
            let saved = validate_and_save(&state.engine, &mut s.store, &doc, None, None)?;
            s.store
                .record_import(saved.version_id, "fhir-questionnaire-response", &bytes)?;
            Ok(saved)
        })
    })
    .await
}

/// Case, accents and spacing aside, as the patient search compares names.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn choose_import(app: &AppHandle, state: &AppState) -> AppResult<PathBuf> {
    if let Some(file) = &state.import_file {
        return Ok(file.clone());
    }
    app.dialog()
        .file()
        .set_title("Import answers (FHIR QuestionnaireResponse)")
        .add_filter("FHIR JSON", &["json"])
        .blocking_pick_file()
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Cancelled,
                "Nothing imported: the dialog was closed.",
            )
        })?
        .into_path()
        .map_err(|e| AppError::internal("Choosing the file to import", e))
}

fn read_file(path: &PathBuf) -> AppResult<Vec<u8>> {
    let unreadable = |why: String| AppError::invalid("(file)", why);
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(format!("cannot be read: {e}")))?
        .len();
    if size > MAX_IMPORT_BYTES {
        return Err(unreadable(format!(
            "is {size} bytes; a QuestionnaireResponse is far smaller (at most {MAX_IMPORT_BYTES})"
        )));
    }
    std::fs::read(path).map_err(|e| unreadable(format!("cannot be read: {e}")))
}
