use ldn_engine::{DataError, InvalidAnswers};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CliError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: bad input\n{}", list(&.errors.errors))]
    BadAnswers {
        path: String,
        errors: InvalidAnswers,
    },
    #[error("clinical data: {0}")]
    Data(#[from] DataError),
    #[error("{path}: {message}")]
    BadSettings { path: String, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error("cannot write output: {0}")]
    Output(String),
    #[error("{}{}", .0, hint(.0))]
    Store(#[from] ldn_store::StoreError),
}

/// What to type next, where the store's message alone leaves it open.
fn hint(e: &ldn_store::StoreError) -> &'static str {
    match e {
        ldn_store::StoreError::MustChangePassword => {
            " (run `ldn passwd --db PATH`, with the new password in LDN_NEW_PASSWORD or at the prompt)"
        }
        _ => "",
    }
}

fn list(errors: &[ldn_engine::FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("\n")
}

impl CliError {
    /// 2 for anything the user handed us; 1 for our own failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Read { .. }
            | CliError::BadAnswers { .. }
            | CliError::BadSettings { .. }
            | CliError::Data(_) => 2,
            CliError::Store(e) => match e {
                ldn_store::StoreError::Invalid { .. }
                | ldn_store::StoreError::WrongCredentials
                | ldn_store::StoreError::TooManyAttempts { .. }
                | ldn_store::StoreError::AlreadyExists(_)
                | ldn_store::StoreError::NotFound(_)
                | ldn_store::StoreError::Missing { .. } => 2,
                _ => 1,
            },
            CliError::Write { .. } | CliError::Output(_) => 1,
        }
    }
}
