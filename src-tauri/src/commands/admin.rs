//! Settings, staff accounts and the audit trail.

use ldn_store::{AuditRow, NewStaff, Role, Settings, StaffRow};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;
use zeroize::Zeroizing;

use super::{blocking, Shared};
use crate::error::AppResult;
use crate::session::Access;

#[tauri::command]
pub async fn get_settings(state: State<'_, Shared>) -> AppResult<Settings> {
    blocking(&state, |state| {
        state.with(Access::Staff, |s| Ok(s.store.settings()?))
    })
    .await
}

#[tauri::command]
pub async fn save_settings(state: State<'_, Shared>, settings: Settings) -> AppResult<Settings> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            s.store.save_settings(&settings)?;
            Ok(s.store.settings()?)
        })
    })
    .await
}

#[tauri::command]
pub async fn list_staff(state: State<'_, Shared>) -> AppResult<Vec<StaffRow>> {
    blocking(&state, |state| {
        state.with(Access::Staff, |s| Ok(s.store.staff()?))
    })
    .await
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct StaffForm {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
}

#[tauri::command]
pub async fn add_staff(state: State<'_, Shared>, staff: StaffForm) -> AppResult<Vec<StaffRow>> {
    blocking(&state, move |state| {
        let password = Zeroizing::new(staff.password);
        state.with(Access::Staff, |s| {
            s.store.add_staff(&NewStaff {
                username: staff.username.trim(),
                display_name: staff.display_name.trim(),
                password: &password,
                role: staff.role,
            })?;
            Ok(s.store.staff()?)
        })
    })
    .await
}

#[tauri::command]
pub async fn set_staff_disabled(
    state: State<'_, Shared>,
    username: String,
    disabled: bool,
) -> AppResult<Vec<StaffRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            s.store.set_disabled(&username, disabled)?;
            Ok(s.store.staff()?)
        })
    })
    .await
}

#[tauri::command]
pub async fn reset_staff_password(
    state: State<'_, Shared>,
    username: String,
    password: String,
) -> AppResult<()> {
    blocking(&state, move |state| {
        let password = Zeroizing::new(password);
        state.with(Access::Staff, |s| {
            Ok(s.store.reset_password(&username, &password)?)
        })
    })
    .await
}

#[tauri::command]
pub async fn audit_trail(state: State<'_, Shared>) -> AppResult<Vec<AuditRow>> {
    blocking(&state, |state| {
        state.with(Access::Staff, |s| Ok(s.store.audit_trail()?))
    })
    .await
}

/// The clinic's root of trust as Settings shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Signatures {
    /// To compare with the recovery key sheet; none until signatures are set up.
    pub root_fingerprint: Option<String>,
    /// Accounts that sign in again only after a password reset (after a set-up just made).
    pub need_reset: Vec<String>,
}

#[tauri::command]
pub async fn signatures(state: State<'_, Shared>) -> AppResult<Signatures> {
    blocking(&state, |state| {
        state.with(Access::Staff, |s| {
            Ok(Signatures {
                root_fingerprint: s.store.root_fingerprint()?,
                need_reset: Vec::new(),
            })
        })
    })
    .await
}

/// Sets up signatures in a database made before them, with the recovery key.
#[tauri::command]
pub async fn set_up_signatures(
    state: State<'_, Shared>,
    recovery_key: String,
) -> AppResult<Signatures> {
    blocking(&state, move |state| {
        let recovery_key = Zeroizing::new(recovery_key);
        state.with(Access::Staff, |s| {
            let done = s.store.establish_root(&recovery_key)?;
            Ok(Signatures {
                root_fingerprint: Some(done.fingerprint),
                need_reset: done.need_reset,
            })
        })
    })
    .await
}
