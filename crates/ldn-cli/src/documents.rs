//! `ldn handout`, `ldn report` and `ldn card`: the printable documents for one intake.

use std::path::Path;
use std::process::ExitCode;

use ldn_engine::{ChosenPlan, Language, PlanName, TitrationProtocol};
use ldn_handout::{Attestation, Clinic, DocumentInput, DosePlan, HandoutError, Paper, Rendered};
use serde::Deserialize;

use crate::data_dir;
use crate::error::CliError;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Handout,
    Report,
    Card,
}

/// The clinic settings file (`--clinic FILE`, TOML): the header of every document, and
/// optionally the clinic's two dose plans.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinicFile {
    name: String,
    #[serde(default)]
    address: String,
    phone: String,
    #[serde(default)]
    titration: Option<TitrationProtocol>,
    #[serde(default)]
    low_start: Option<TitrationProtocol>,
}

/// The clinic and its two plans.
struct ClinicSettings {
    clinic: Clinic,
    standard: TitrationProtocol,
    low_start: TitrationProtocol,
}

pub struct Options<'a> {
    pub file: &'a Path,
    pub out: &'a Path,
    pub paper: Paper,
    pub language: Option<Language>,
    pub clinic: Option<&'a Path>,
    pub protocol: Option<PlanName>,
}

pub fn run(kind: Kind, options: &Options) -> Result<ExitCode, CliError> {
    // The fonts are parsed on a second core while the answers are read and screened.
    let fonts = std::thread::spawn(ldn_handout::prepare);
    let engine = data_dir::engine(None)?;
    let intake = crate::screen::read_intake(&engine, options.file)?;
    let summary = engine.screen(&intake);
    let settings = read_clinic(options.clinic)?;
    let chosen = options.protocol.map(|plan| ChosenPlan {
        plan,
        protocol: match plan {
            PlanName::Standard => settings.standard.clone(),
            PlanName::LowStart => settings.low_start.clone(),
        },
        chosen_by: None,
    });
    fonts
        .join()
        .map_err(|_| CliError::Output("the font loader stopped unexpectedly".into()))?
        .map_err(|e| CliError::Output(e.to_string()))?;
    let input = DocumentInput {
        intake: &intake,
        summary: &summary,
        clinic: &settings.clinic,
        paper: options.paper,
        language: options.language.unwrap_or(intake.language),
        plan: match &chosen {
            Some(chosen) => DosePlan::Chosen(chosen),
            None => DosePlan::ClinicDefault(&settings.standard),
        },
        // Made from an answers file, outside the clinic's database: nothing was signed.
        attestation: &Attestation::NONE,
    };
    let rendered = match kind {
        Kind::Handout => ldn_handout::patient_handout(&input),
        Kind::Report => ldn_handout::clinician_summary(&input),
        Kind::Card => ldn_handout::wallet_card(&input),
    }
    .map_err(|e| match e {
        HandoutError::Protocol(field) => CliError::BadSettings {
            path: options
                .clinic
                .map_or_else(|| "(clinic)".into(), |p| p.display().to_string()),
            message: field.to_string(),
        },
        other => CliError::Output(other.to_string()),
    })?;
    write_atomically(options.out, &rendered)?;
    for warning in rendered.warnings() {
        eprintln!("ldn: warning: {warning}");
    }
    eprintln!(
        "wrote {} ({} page(s), {} bytes)",
        options.out.display(),
        rendered.pages,
        rendered.pdf.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The handout and the clinician summary as `ldn handout` and `ldn report` make them without a
/// clinic file, for a FHIR export made from an answers file.
pub(crate) fn render_for_export(
    intake: &ldn_engine::Intake,
    summary: &ldn_engine::Summary,
) -> Result<Vec<(ldn_fhir::DocumentKind, Vec<u8>)>, CliError> {
    ldn_handout::prepare().map_err(|e| CliError::Output(e.to_string()))?;
    let settings = read_clinic(None)?;
    let input = DocumentInput {
        intake,
        summary,
        clinic: &settings.clinic,
        paper: Paper::Letter,
        language: intake.language,
        plan: DosePlan::ClinicDefault(&settings.standard),
        attestation: &Attestation::NONE,
    };
    let handout = ldn_handout::patient_handout(&input);
    let report = ldn_handout::clinician_summary(&input);
    [
        (ldn_fhir::DocumentKind::Handout, handout),
        (ldn_fhir::DocumentKind::Summary, report),
    ]
    .into_iter()
    .map(|(kind, rendered)| {
        rendered
            .map(|r| (kind, r.pdf))
            .map_err(|e| CliError::Output(e.to_string()))
    })
    .collect()
}

fn read_clinic(path: Option<&Path>) -> Result<ClinicSettings, CliError> {
    let Some(path) = path else {
        eprintln!("ldn: warning: no --clinic file; the documents ask the patient to write in the clinic's name and phone");
        return Ok(ClinicSettings {
            clinic: Clinic {
                name: String::new(),
                address: String::new(),
                phone: String::new(),
            },
            standard: TitrationProtocol::standard(),
            low_start: TitrationProtocol::low_start(),
        });
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CliError::Read {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let file: ClinicFile = toml::from_str(&text).map_err(|e| CliError::BadSettings {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    for (field, value) in [("name", &file.name), ("phone", &file.phone)] {
        if value.trim().is_empty() {
            return Err(CliError::BadSettings {
                path: shown,
                message: format!("{field}: must not be empty"),
            });
        }
    }
    let standard = file.titration.unwrap_or_else(TitrationProtocol::standard);
    let low_start = file.low_start.unwrap_or_else(TitrationProtocol::low_start);
    for (table, protocol) in [("titration", &standard), ("low_start", &low_start)] {
        protocol.validate().map_err(|e| CliError::BadSettings {
            path: shown.clone(),
            // The protocol names its fields titration.steps[N]; say which plan it was.
            message: e.to_string().replacen("titration", table, 1),
        })?;
    }
    Ok(ClinicSettings {
        clinic: Clinic {
            name: file.name,
            address: file.address,
            phone: file.phone,
        },
        standard,
        low_start,
    })
}

/// The store's one atomic writer: an interrupted write never leaves a half-written PDF under
/// the chosen name.
fn write_atomically(out: &Path, rendered: &Rendered) -> Result<(), CliError> {
    ldn_store::files::write_atomically(out, &rendered.pdf).map_err(|e| CliError::Write {
        path: out.display().to_string(),
        message: e.to_string(),
    })
}
