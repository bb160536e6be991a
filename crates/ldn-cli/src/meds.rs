use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::data_dir;
use crate::error::CliError;
use crate::render;

pub fn lookup(text: &str, json: bool, data: Option<&Path>) -> Result<ExitCode, CliError> {
    let engine = data_dir::engine(data)?;
    let result = engine.lookup(text);
    let out = if json {
        serde_json::to_string_pretty(&result).map_err(|e| CliError::Output(e.to_string()))?
    } else {
        render::medication_text(&result)
    };
    writeln!(std::io::stdout().lock(), "{out}").map_err(|e| CliError::Output(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

pub fn suggest(text: &str, limit: usize) -> Result<ExitCode, CliError> {
    let engine = data_dir::engine(None)?;
    let mut stdout = std::io::stdout().lock();
    for name in engine.suggest(text, limit) {
        writeln!(stdout, "{name}").map_err(|e| CliError::Output(e.to_string()))?;
    }
    Ok(ExitCode::SUCCESS)
}
