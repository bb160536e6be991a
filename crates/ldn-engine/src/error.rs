//! Typed errors. They serialise so the desktop shell can pass them to the UI unchanged.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One bad value, named by its path in the answers document (`answers.kidney.egfr`,
/// `medications[2].last_taken`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An answers document that cannot be screened, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("{} bad value(s) in the answers: {}", .errors.len(), first_error(.errors))]
pub struct InvalidAnswers {
    pub errors: Vec<FieldError>,
}

impl InvalidAnswers {
    pub(crate) fn single(field: &str, message: impl Into<String>) -> Self {
        InvalidAnswers {
            errors: vec![FieldError::new(field, message)],
        }
    }
}

fn first_error(errors: &[FieldError]) -> String {
    errors.first().map(ToString::to_string).unwrap_or_default()
}

/// Clinical data (questionnaire, rules, medicines) that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
pub enum DataError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("the clinical data has {} problem(s); run `ldn rules check`: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Inconsistent(Vec<Problem>),
}

/// A consistency problem in the clinical data, found by `ldn rules check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("{place}: {message}")]
pub struct Problem {
    /// Where: `rules.toml rule opioid-within-washout`, `products.toml "Norco"` …
    pub place: String,
    pub message: String,
}
