//! The recovery sheet: the recovery key and the root-key fingerprint as a PDF, opened in the
//! system viewer to print, never saved where the clinic keeps its documents.

use ldn_handout::{Clinic, RecoverySheet};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::documents::write_print_copy;
use super::{blocking, Shared};
use crate::error::{AppError, AppResult};
use crate::session::Access;

/// A file made to be printed: where it is, and whether a viewer was started for it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PrintCopy {
    pub path: String,
    pub opened: bool,
}

/// Prints the recovery sheet for the key this database was set up with (the set-up screen
/// holds it for that moment). The copy sits in the private print folder, which is emptied at
/// every lock and at exit.
#[tauri::command]
pub async fn print_recovery_sheet(
    state: State<'_, Shared>,
    recovery_key: String,
) -> AppResult<PrintCopy> {
    let recovery_key = zeroize::Zeroizing::new(recovery_key);
    let path = blocking(&state, move |state| {
        let (settings, fingerprint) = state.with(Access::Staff, |s| {
            Ok((s.store.settings()?, s.store.root_fingerprint()?))
        })?;
        let made = ldn_store::recovery_fingerprint(&recovery_key);
        let fingerprint = match (fingerprint, made) {
            (Some(root), Some(made)) if root == made => root,
            _ => {
                return Err(AppError::invalid(
                    "recovery_key",
                    "This is not this database's recovery key, so it is not printed.",
                ))
            }
        };
        let clinic = Clinic {
            name: settings.clinic_name,
            address: settings.clinic_address,
            phone: settings.clinic_phone,
        };
        let sheet = ldn_handout::recovery_sheet(&RecoverySheet {
            clinic: &clinic,
            key: recovery_key.trim(),
            fingerprint: &fingerprint,
            paper: match settings.paper {
                ldn_store::Paper::Letter => ldn_handout::Paper::Letter,
                ldn_store::Paper::A4 => ldn_handout::Paper::A4,
            },
            date: chrono::Local::now().date_naive(),
        })?;
        write_print_copy(state, &sheet.pdf)
    })
    .await?;
    Ok(PrintCopy {
        opened: crate::viewer::open_for_printing(&path),
        path: path.display().to_string(),
    })
}
