use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What went wrong, in words a clinic can act on. Database details go to `detail` for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("this account is disabled; ask an administrator")]
    AccountDisabled,
    #[error("{0} already exists; choose another path or restore into a fresh one")]
    AlreadyExists(String),
    #[error("no database at {0}; create one with `ldn db init`")]
    NotFound(String),
    #[error("the key file {0} is missing or damaged; use the recovery key or restore a backup")]
    KeyFile(String),
    #[error("the database was written by a newer version of LDN Intake (schema {found}, this version knows {known}); update the program")]
    TooNew { found: i64, known: i64 },
    #[error("the database file is damaged ({0}); restore the latest backup")]
    Damaged(String),
    #[error("the disk is full; nothing was saved and earlier data is intact. Free some space and save again")]
    DiskFull,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("no {what} with id {id}")]
    Missing { what: String, id: i64 },
    #[error("database error: {0}")]
    Database(String),
    #[error("file error: {0}")]
    Io(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Damaged(e.to_string())
            }
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if e.raw_os_error() == Some(28) {
            StoreError::DiskFull
        } else {
            StoreError::Io(e.to_string())
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
