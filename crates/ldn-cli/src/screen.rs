use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use ldn_engine::{Engine, Intake};

use crate::data_dir;
use crate::error::CliError;
use crate::render;

/// Reads and validates an answers file; errors name the file and every bad field.
pub fn read_intake(engine: &Engine, file: &Path) -> Result<Intake, CliError> {
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    engine
        .parse_answers(&text)
        .map_err(|errors| CliError::BadAnswers { path, errors })
}

pub fn run(file: &Path, json: bool, data: Option<&Path>) -> Result<ExitCode, CliError> {
    let engine = data_dir::engine(data)?;
    let intake = read_intake(&engine, file)?;
    let summary = engine.screen(&intake);
    let out = if json {
        serde_json::to_string_pretty(&summary).map_err(|e| CliError::Output(e.to_string()))?
    } else {
        render::summary_text(&intake, &summary)
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}").map_err(|e| CliError::Output(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
