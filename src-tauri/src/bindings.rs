//! Writes the TypeScript types of every IPC value to ui/src/bindings/. `scripts/test` runs
//! this and fails when the committed files differ, so the UI can never drift from Rust.

use std::path::Path;

use ts_rs::TS;

use crate::commands::{account, admin, documents, fhir, intake, patients, recovery, signoff};
use crate::error::AppError;

#[test]
fn export_bindings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    // Row ids and counts fit in a JavaScript number; serde_json writes them as numbers.
    let cfg = ts_rs::Config::new()
        .with_out_dir(&dir)
        .with_large_int("number");
    account::AppStatus::export_all(&cfg).unwrap();
    crate::file_check::FileCheckStatus::export_all(&cfg).unwrap();
    account::FirstRun::export_all(&cfg).unwrap();
    account::FirstRunDone::export_all(&cfg).unwrap();
    account::Credentials::export_all(&cfg).unwrap();
    account::PasswordChange::export_all(&cfg).unwrap();
    patients::NewIntake::export_all(&cfg).unwrap();
    intake::Saved::export_all(&cfg).unwrap();
    intake::IntakeView::export_all(&cfg).unwrap();
    intake::SelfEntryView::export_all(&cfg).unwrap();
    signoff::SignOff::export_all(&cfg).unwrap();
    recovery::PrintCopy::export_all(&cfg).unwrap();
    documents::DocumentRequest::export_all(&cfg).unwrap();
    documents::ProducedDocument::export_all(&cfg).unwrap();
    fhir::ExportedRecord::export_all(&cfg).unwrap();
    admin::StaffForm::export_all(&cfg).unwrap();
    admin::Signatures::export_all(&cfg).unwrap();
    AppError::export_all(&cfg).unwrap();
    ldn_engine::Questionnaire::export_all(&cfg).unwrap();
    ldn_store::Settings::export_all(&cfg).unwrap();
    ldn_store::PatientRow::export_all(&cfg).unwrap();
    ldn_store::IntakeListRow::export_all(&cfg).unwrap();
    ldn_store::StaffRow::export_all(&cfg).unwrap();
    ldn_store::AuditRow::export_all(&cfg).unwrap();
    // What a patient in self-entry receives has no place for the clinician's summary.
    let file = std::fs::read_to_string(dir.join("SelfEntryView.ts")).unwrap();
    let shape = file.lines().find(|l| l.starts_with("export type")).unwrap();
    assert!(!shape.to_lowercase().contains("summary"), "{shape}");
}
