//! The engine's tables in a form written at build time and read back at start-up, so a process
//! that screens does not parse and check the TOML data again (`ldn-data` writes it from its
//! `build.rs`, after [`Engine::load`] accepted the data).

use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::medicines::MedicineTable;
use crate::Engine;

/// Changes whenever the shape of the tables changes, so text written by another version of the
/// engine is refused instead of misread.
const PREBUILT_FORMAT: &str = "ldn-engine-tables/1";

/// The medicine table, by far the largest part, goes as postcard (compact, no field names); the
/// rules and questionnaire use serde forms (internally tagged conditions, skipped empty fields)
/// that only a self-describing format reads back, so they go as JSON inside it.
#[derive(Serialize)]
struct Written<'a> {
    format: &'static str,
    engine_version: &'static str,
    rules_version: &'a str,
    questionnaire: String,
    rules: String,
    medicines: &'a MedicineTable,
}

#[derive(Deserialize)]
struct Read {
    format: String,
    engine_version: String,
    rules_version: String,
    questionnaire: String,
    rules: String,
    medicines: MedicineTable,
}

impl Engine {
    /// The checked tables in the form [`Engine::from_prebuilt`] reads.
    pub fn prebuilt(&self) -> Result<Vec<u8>, DataError> {
        let failed = |part: &str, message: String| DataError::Parse {
            file: "(prebuilt tables)".into(),
            message: format!("{part}: {message}"),
        };
        let written = Written {
            format: PREBUILT_FORMAT,
            engine_version: env!("CARGO_PKG_VERSION"),
            rules_version: &self.rules_version,
            questionnaire: serde_json::to_string(&self.questionnaire)
                .map_err(|e| failed("questionnaire", e.to_string()))?,
            rules: serde_json::to_string(&self.rules)
                .map_err(|e| failed("rules", e.to_string()))?,
            medicines: &self.medicines,
        };
        postcard::to_stdvec(&written).map_err(|e| failed("tables", e.to_string()))
    }

    /// Reads tables written by [`Engine::prebuilt`] of this same engine version. They are not
    /// checked again: only tables written from an engine that [`Engine::load`] accepted belong
    /// here (the build of `ldn-data` is the one writer).
    pub fn from_prebuilt(bytes: &[u8]) -> Result<Engine, DataError> {
        let refused = |message: String| DataError::Parse {
            file: "(prebuilt tables)".into(),
            message,
        };
        let read: Read = postcard::from_bytes(bytes).map_err(|e| refused(e.to_string()))?;
        if read.format != PREBUILT_FORMAT || read.engine_version != env!("CARGO_PKG_VERSION") {
            return Err(refused(format!(
                "written as {} by engine {}, this is {PREBUILT_FORMAT} of engine {}",
                read.format,
                read.engine_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(Engine {
            questionnaire: serde_json::from_str(&read.questionnaire)
                .map_err(|e| refused(format!("questionnaire: {e}")))?,
            rules: serde_json::from_str(&read.rules).map_err(|e| refused(format!("rules: {e}")))?,
            medicines: read.medicines,
            rules_version: read.rules_version,
        })
    }
}
