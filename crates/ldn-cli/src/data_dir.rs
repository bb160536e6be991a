//! Loading the engine from the built-in data or a data folder.

use std::path::Path;

use ldn_engine::{DataSources, Engine};

use crate::error::CliError;

pub fn sources(dir: Option<&Path>) -> Result<DataSources, CliError> {
    match dir {
        None => Ok(ldn_data::sources()),
        Some(dir) => Ok(DataSources::read_with(|relative| {
            let path = dir.join(relative);
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        })?),
    }
}

/// The bundled data comes as tables checked at build time; a folder is parsed and checked now.
pub fn engine(dir: Option<&Path>) -> Result<Engine, CliError> {
    match dir {
        None => Ok(ldn_data::engine()?),
        Some(_) => Ok(Engine::load(&sources(dir)?)?),
    }
}
