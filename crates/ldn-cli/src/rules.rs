use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use ldn_engine::Engine;

use crate::data_dir;
use crate::error::CliError;

/// Prints every problem and exits 1 if there is any, so a pharmacist's edit can be checked.
pub fn check(dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let sources = data_dir::sources(dir)?;
    let problems = Engine::check(&sources);
    let mut out = std::io::stdout().lock();
    let write_err = |e: std::io::Error| CliError::Output(e.to_string());
    let source = dir.map_or_else(|| "built-in data".to_owned(), |d| d.display().to_string());
    if problems.is_empty() {
        let engine = Engine::load(&sources)?;
        let rules = engine.rules();
        let oldest = rules.rules.iter().map(|r| r.reviewed).min();
        writeln!(
            out,
            "{source}: no problems.\n  {} rules, {} sources, version {}\n  {} ingredients, {} products, {} names\n  {} questions; oldest rule review {}",
            rules.rules.len(),
            rules.sources.len(),
            engine.rules_version(),
            engine.medicines().ingredients().len(),
            engine.medicines().product_count(),
            engine.medicines().name_count(),
            engine.questionnaire().questions.len(),
            oldest.map_or_else(|| "none".to_owned(), |d| d.to_string()),
        )
        .map_err(write_err)?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "{source}: {} problem(s)", problems.len()).map_err(write_err)?;
        for p in &problems {
            writeln!(out, "  {}: {}", p.place, p.message).map_err(write_err)?;
        }
        Ok(ExitCode::from(1))
    }
}
