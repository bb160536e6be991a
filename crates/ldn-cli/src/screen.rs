use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::data_dir;
use crate::error::CliError;
use crate::render;

pub fn run(file: &Path, json: bool, data: Option<&Path>) -> Result<ExitCode, CliError> {
    let engine = data_dir::engine(data)?;
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let intake = engine
        .parse_answers(&text)
        .map_err(|errors| CliError::BadAnswers { path, errors })?;
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
