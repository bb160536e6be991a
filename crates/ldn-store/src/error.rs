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
    #[error("the key file {key_file} does not open this database: {}. Put back the current key file or use the recovery key; if neither opens it, restore the latest backup", if *another_database { "it belongs to another database" } else { "it is an older copy, or the start of the database file is damaged" })]
    WrongKey {
        key_file: String,
        another_database: bool,
    },
    #[error("the database key was changed by another program (an account was disabled or a password changed); sign in again")]
    KeyChanged,
    #[error("too many wrong passwords; wait {} and try again", how_long(*seconds))]
    TooManyAttempts { seconds: u64 },
    #[error("this account is not vouched for by the clinic's signed records ({0}); the attempt was recorded. Ask an administrator to run `ldn db verify`")]
    NotVouched(String),
    #[error("choose a new password before going on: yours was set by an administrator")]
    MustChangePassword,
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

/// "1 second", "40 seconds", "5 minutes".
fn how_long(seconds: u64) -> String {
    match seconds {
        1 => "1 second".into(),
        s if s < 120 => format!("{s} seconds"),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..) = e
        {
            return StoreError::Damaged(format!("a stored row does not read: {e}"));
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            // Once open, only a key changed underneath makes pages unreadable as a whole.
            Some(ErrorCode::NotADatabase) => StoreError::KeyChanged,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged(e.to_string()),
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        // The kind, not errno 28 (ENOSPC): Windows reports a full disk as ERROR_DISK_FULL (112)
        // or ERROR_HANDLE_DISK_FULL (39), and std maps all three to StorageFull.
        if e.kind() == std::io::ErrorKind::StorageFull {
            StoreError::DiskFull
        } else {
            StoreError::Io(e.to_string())
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::StoreError;

    /// The codes each system gives a write that found no space.
    #[cfg(unix)]
    const DISK_FULL_CODES: &[i32] = &[28]; // ENOSPC
    #[cfg(windows)]
    const DISK_FULL_CODES: &[i32] = &[112, 39]; // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL

    #[test]
    fn a_full_disk_is_told_apart_from_other_failures_on_this_system() {
        for &code in DISK_FULL_CODES {
            let e = std::io::Error::from_raw_os_error(code);
            assert!(
                matches!(StoreError::from(e), StoreError::DiskFull),
                "{code}"
            );
        }
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(StoreError::from(denied), StoreError::Io(_)));
    }
}
