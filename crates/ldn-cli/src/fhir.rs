//! `ldn fhir …`: the questionnaire, intakes and screenings as FHIR R4 for a clinic's health
//! record, and answers imported from a QuestionnaireResponse filled in elsewhere.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use ldn_engine::{Engine, Intake, Summary};
use ldn_fhir::{Document, DocumentKind, Record, ResponseStatus, SignOff};
use ldn_store::VersionStatus;
use sha2::{Digest, Sha256};

use crate::db;
use crate::documents;
use crate::error::CliError;

#[derive(Subcommand)]
pub enum FhirCommand {
    /// Write the questionnaire as an HL7 SDC Questionnaire (JSON), to stdout or --out.
    Questionnaire {
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Write an intake and its screening as a FHIR transaction Bundle: from an answers file,
    /// or with --db from the database by intake id (its latest version; audited).
    Export {
        /// An answers file, or with --db an intake id.
        source: String,
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Read a QuestionnaireResponse filled in against the questionnaire: print its screening,
    /// or with --db save it as a completed intake.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Print the summary JSON (ldn-intake/summary@1) instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: FhirCommand) -> Result<ExitCode, CliError> {
    match command {
        FhirCommand::Questionnaire { out } => questionnaire(out.as_deref()),
        FhirCommand::Export { source, db, out } => export(&source, db.as_deref(), &out),
        FhirCommand::Import { file, db, json } => import(&file, db.as_deref(), json),
    }
}

fn questionnaire(out: Option<&Path>) -> Result<ExitCode, CliError> {
    let engine = &ldn_data::engine()?;
    let text = db::json(&ldn_fhir::questionnaire(engine))?;
    match out {
        Some(path) => write(path, &text)?,
        None => db::print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `source` is an answers file, or with `--db` an intake id (its latest version is exported).
fn export(source: &str, db_path: Option<&Path>, out: &Path) -> Result<ExitCode, CliError> {
    let engine = &ldn_data::engine()?;
    let text = match db_path {
        None => export_answers_file(engine, Path::new(source))?,
        Some(db_path) => {
            let id = source.parse::<i64>().map_err(|_| CliError::BadSettings {
                path: source.to_owned(),
                message:
                    "with --db, give the intake's id (a number), as `ldn intake list` shows it"
                        .into(),
            })?;
            export_intake(engine, db_path, id, out)?
        }
    };
    write(out, &text)?;
    eprintln!("wrote {} ({} bytes)", out.display(), text.len());
    Ok(ExitCode::SUCCESS)
}

fn export_answers_file(engine: &Engine, file: &Path) -> Result<String, CliError> {
    let intake = crate::screen::read_intake(engine, file)?;
    let summary = engine.screen(&intake);
    let pdfs = documents::render_for_export(&intake, &summary)?;
    let hashes: Vec<String> = pdfs
        .iter()
        .map(|(_, pdf)| hex::encode(Sha256::digest(pdf)))
        .collect();
    let documents: Vec<Document> = pdfs
        .iter()
        .zip(&hashes)
        .map(|((kind, pdf), sha256)| Document {
            kind: *kind,
            language: intake.language,
            created: None,
            sha256,
            pdf: Some(pdf),
        })
        .collect();
    bundle_text(
        engine,
        &intake,
        &summary,
        ResponseStatus::Completed,
        None,
        None,
        &documents,
    )
}

fn export_intake(engine: &Engine, db_path: &Path, id: i64, out: &Path) -> Result<String, CliError> {
    let mut store = db::open(db_path)?;
    let detail = store.show_intake(id)?;
    let latest = detail
        .versions
        .last()
        .ok_or(ldn_store::StoreError::Missing {
            what: "intake version".into(),
            id,
        })?;
    // A draft may not have been screened yet; it is screened now, as the app shows it.
    let summary = latest
        .summary
        .clone()
        .unwrap_or_else(|| engine.screen(&latest.answers));
    let mrn = store.patient(detail.patient_id)?.mrn;
    let signoff = store.latest_signoff(latest.version_id)?;
    let rows: Vec<_> = store
        .documents(id)?
        .into_iter()
        .filter(|d| d.version_id == latest.version_id)
        .collect();
    // The database keeps each PDF's hash and what it was made from, not its bytes: the
    // references name the documents by hash; the app's export attaches them.
    let documents: Vec<Document> = rows
        .iter()
        .filter_map(|row| {
            Some(Document {
                kind: DocumentKind::from_code(row.record.kind.as_str())?,
                language: row.record.language,
                created: Some(&row.produced_at),
                sha256: &row.sha256,
                pdf: None,
            })
        })
        .collect();
    let status = match latest.status {
        VersionStatus::Draft => ResponseStatus::InProgress,
        _ => ResponseStatus::Completed,
    };
    let signoff = signoff.as_ref().map(|s| SignOff {
        clinician: &s.clinician,
        signed_at: &s.signed_at,
        decision: s.decision.as_str(),
        note: &s.note,
    });
    let text = bundle_text(
        engine,
        &latest.answers,
        &summary,
        status,
        mrn.as_deref(),
        signoff,
        &documents,
    )?;
    let digest = store.record_export(latest.version_id, "fhir-bundle", text.as_bytes())?;
    eprintln!(
        "exported intake {id} version {} to {} (SHA-256 {digest}; recorded in the audit trail)",
        latest.version,
        out.display()
    );
    Ok(text)
}

fn bundle_text(
    engine: &Engine,
    intake: &Intake,
    summary: &Summary,
    status: ResponseStatus,
    mrn: Option<&str>,
    signoff: Option<SignOff>,
    documents: &[Document],
) -> Result<String, CliError> {
    let record = Record {
        intake,
        summary,
        status,
        mrn,
        signoff,
        documents,
    };
    db::json(&ldn_fhir::bundle(engine, &record))
}

/// Reads a QuestionnaireResponse: screens it and prints the summary, or with `--db` saves it
/// as a completed intake, as `ldn intake save` does with an answers file.
fn import(file: &Path, db_path: Option<&Path>, as_json: bool) -> Result<ExitCode, CliError> {
    let engine = &ldn_data::engine()?;
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let intake = ldn_fhir::import(engine, &text).map_err(|errors| CliError::BadAnswers {
        path: path.clone(),
        errors,
    })?;
    let Some(db_path) = db_path else {
        let summary = engine.screen(&intake);
        let out = if as_json {
            db::json(&summary)?
        } else {
            crate::render::summary_text(&intake, &summary)
        };
        db::print(&out)?;
        return Ok(ExitCode::SUCCESS);
    };
    // Saved answers are screened as of the day they were given: not a day to come, and not
    // so long ago that the questions' window has passed.
    let today = chrono::Local::now().date_naive();
    ldn_fhir::check_answered_on(engine, intake.intake_date, today).map_err(|e| {
        CliError::BadAnswers {
            path: path.clone(),
            errors: ldn_engine::InvalidAnswers { errors: vec![e] },
        }
    })?;
    let (intake, summary) = engine
        .complete(intake)
        .map_err(|errors| CliError::BadAnswers { path, errors })?;
    let mut store = db::open(db_path)?;
    let saved = store.save_intake(&intake, Some(&summary), None)?;
    db::print(&format!("{}", saved.version_id))?;
    eprintln!(
        "imported {} as intake {} version {} for patient {}",
        file.display(),
        saved.intake_id,
        saved.version,
        saved.patient_id
    );
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    ldn_store::files::write_atomically(path, text.as_bytes()).map_err(|e| CliError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}
