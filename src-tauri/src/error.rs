//! The one error shape the UI receives: `{ kind, message, field?, fields }`. Database and
//! file details are logged to stderr, never shown, and never carry patient data.

use ldn_engine::{FieldError, InvalidAnswers};
use ldn_handout::HandoutError;
use ldn_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A value was refused; `field` (and `fields`) name it.
    Invalid,
    /// Wrong username or password, or a disabled account.
    Credentials,
    /// The session is locked (idle too long, locked by hand, or the database key changed):
    /// log in again.
    Locked,
    /// The signed-in account must choose a new password before anything else.
    MustChangePassword,
    /// The signed-in account may not do this, or self-entry mode is on.
    NotAllowed,
    /// The record asked for does not exist.
    Missing,
    /// The database or the disk failed; the message says what to do.
    Storage,
    /// The user closed the save dialog.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// Every refused field, when there is more than one.
    pub fields: Vec<FieldError>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError {
            kind: ErrorKind::Invalid,
            message: format!("{field}: {message}"),
            field: Some(field.to_owned()),
            fields: vec![FieldError {
                field: field.to_owned(),
                message,
            }],
        }
    }

    /// Several refused fields at once, so the form can show every one of them.
    pub fn invalid_fields(fields: Vec<FieldError>) -> AppError {
        let message = fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        AppError {
            kind: ErrorKind::Invalid,
            message,
            field: fields.first().map(|f| f.field.clone()),
            fields,
        }
    }

    pub fn locked() -> AppError {
        AppError::new(ErrorKind::Locked, "The app is locked. Log in to go on.")
    }

    pub fn not_allowed(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotAllowed, message)
    }

    /// Logs what went wrong inside and gives the UI words to act on.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> AppError {
        eprintln!("ldn-intake: {context}: {detail}");
        AppError::new(
            ErrorKind::Storage,
            format!("{context} failed. Nothing was changed; try again, and if it keeps failing ask your administrator."),
        )
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::WrongCredentials
            | StoreError::AccountDisabled
            | StoreError::TooManyAttempts { .. }
            | StoreError::NotVouched(_) => AppError::new(ErrorKind::Credentials, e.to_string()),
            StoreError::KeyChanged => AppError::new(ErrorKind::Locked, e.to_string()),
            StoreError::MustChangePassword => {
                AppError::new(ErrorKind::MustChangePassword, e.to_string())
            }
            StoreError::Invalid { field, message } => AppError::invalid(&field, message),
            StoreError::NotAllowed(_) => AppError::new(ErrorKind::NotAllowed, e.to_string()),
            StoreError::Missing { .. } => AppError::new(ErrorKind::Missing, e.to_string()),
            StoreError::Database(detail) | StoreError::Io(detail) => {
                AppError::internal("Reading or writing the database", detail)
            }
            other => AppError::new(ErrorKind::Storage, other.to_string()),
        }
    }
}

impl From<InvalidAnswers> for AppError {
    fn from(e: InvalidAnswers) -> AppError {
        let first = e.errors.first().cloned();
        AppError {
            kind: ErrorKind::Invalid,
            message: e.to_string(),
            field: first.map(|f| f.field),
            fields: e.errors,
        }
    }
}

impl From<HandoutError> for AppError {
    fn from(e: HandoutError) -> AppError {
        AppError::internal("Making the PDF", e)
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> AppError {
        AppError::internal("The window system", e)
    }
}
