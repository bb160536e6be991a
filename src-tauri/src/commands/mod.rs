//! The IPC commands: thin, async, and each one a call into the crates. Work that touches the
//! database, Argon2 or the PDF writer runs on a blocking thread, off the window's thread.

pub mod account;
pub mod admin;
pub mod documents;
pub mod fhir;
pub mod intake;
pub mod patients;
pub mod recovery;
pub mod signoff;

use std::sync::Arc;

use crate::error::{AppError, AppResult};
use crate::session::AppState;

pub type Shared = Arc<AppState>;

/// Runs `f` on a blocking thread with the app state.
pub async fn blocking<T, F>(state: &Shared, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> AppResult<T> + Send + 'static,
{
    let state = Arc::clone(state);
    tauri::async_runtime::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| AppError::internal("A background task", e))?
}
