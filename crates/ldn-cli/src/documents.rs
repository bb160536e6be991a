//! `ldn handout`, `ldn report` and `ldn card`: the printable documents for one intake.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ldn_engine::{Language, TitrationProtocol};
use ldn_handout::{Clinic, DocumentInput, HandoutError, Paper, Rendered};
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
/// optionally the clinic's titration protocol.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinicFile {
    name: String,
    #[serde(default)]
    address: String,
    phone: String,
    #[serde(default)]
    titration: Option<TitrationProtocol>,
}

pub struct Options<'a> {
    pub file: &'a Path,
    pub out: &'a Path,
    pub paper: Paper,
    pub language: Option<Language>,
    pub clinic: Option<&'a Path>,
}

pub fn run(kind: Kind, options: &Options) -> Result<ExitCode, CliError> {
    // The fonts are parsed on a second core while the answers are read and screened.
    let fonts = std::thread::spawn(ldn_handout::prepare);
    let engine = data_dir::engine(None)?;
    let intake = crate::screen::read_intake(&engine, options.file)?;
    let summary = engine.screen(&intake);
    let (clinic, protocol) = read_clinic(options.clinic)?;
    fonts
        .join()
        .map_err(|_| CliError::Output("the font loader stopped unexpectedly".into()))?
        .map_err(|e| CliError::Output(e.to_string()))?;
    let input = DocumentInput {
        intake: &intake,
        summary: &summary,
        clinic: &clinic,
        paper: options.paper,
        language: options.language.unwrap_or(intake.language),
        protocol: &protocol,
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

fn read_clinic(path: Option<&Path>) -> Result<(Clinic, TitrationProtocol), CliError> {
    let Some(path) = path else {
        eprintln!("ldn: warning: no --clinic file; the documents show no clinic name or phone");
        let unset = Clinic {
            name: "(clinic name not set)".into(),
            address: String::new(),
            phone: "(phone not set)".into(),
        };
        return Ok((unset, TitrationProtocol::standard()));
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
    let protocol = file.titration.unwrap_or_else(TitrationProtocol::standard);
    protocol.validate().map_err(|e| CliError::BadSettings {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    Ok((
        Clinic {
            name: file.name,
            address: file.address,
            phone: file.phone,
        },
        protocol,
    ))
}

/// Writes through a temporary file in the same folder, so an interrupted write never leaves
/// a half-written PDF under the chosen name.
fn write_atomically(out: &Path, rendered: &Rendered) -> Result<(), CliError> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| CliError::Write {
        path: out.display().to_string(),
        message: e.to_string(),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, &rendered.pdf).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(out).map_err(|e| fail(e.error))?;
    Ok(())
}
