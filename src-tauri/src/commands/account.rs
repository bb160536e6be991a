//! First run, logging in and out, and handing the workstation to a patient.

use ldn_store::{
    NewStaff, Permission, Role, SessionEvent, Settings, StaffMember, Store, VersionStatus,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;
use zeroize::Zeroizing;

use super::{blocking, Shared};
use crate::error::{AppError, AppResult};
use crate::session::{Access, AppState};

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppStatus {
    /// No database yet: the first-run screen is shown.
    pub needs_setup: bool,
    pub user: Option<StaffMember>,
    /// The signed-in account must choose a new password before anything else.
    pub must_change_password: bool,
    /// The intake a patient is filling in on their own, if any.
    pub self_entry: Option<i64>,
    /// Seconds without activity before the app locks.
    pub idle_seconds: Option<u32>,
    pub database: String,
    /// An administrator is signed in to a database made before signatures: they set them up
    /// (Settings, with the recovery key) before anything else.
    pub needs_signatures: bool,
    /// The whole-file check made after start-up, for an administrator.
    pub file_check: Option<crate::file_check::FileCheckStatus>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct FirstRun {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: String,
    pub paper: ldn_store::Paper,
    pub language: ldn_engine::Language,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FirstRunDone {
    /// Shown once: it opens the database when every password is lost.
    pub recovery_key: String,
    /// The clinic's root key fingerprint, kept on the same paper as the recovery key.
    pub root_fingerprint: String,
    pub status: AppStatus,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

pub(crate) fn status(state: &AppState) -> AppStatus {
    let (user, self_entry, must_change_password, needs_signatures, admin) = state
        .peek(|s| {
            let admin = s.store.may(Permission::ManageStaff);
            (
                s.staff().cloned(),
                s.self_entry,
                s.store.must_change_password(),
                admin && s.store.needs_root().unwrap_or(false),
                admin,
            )
        })
        .unwrap_or((None, None, false, false, false));
    AppStatus {
        needs_setup: !state.db_path.exists(),
        user,
        must_change_password,
        self_entry,
        idle_seconds: state
            .idle_limit()
            .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX)),
        database: state.db_path.display().to_string(),
        needs_signatures,
        file_check: admin.then(|| state.file_checks.status()).flatten(),
    }
}

#[tauri::command]
pub async fn app_status(state: State<'_, Shared>) -> AppResult<AppStatus> {
    Ok(status(&state))
}

#[tauri::command]
pub async fn first_run(state: State<'_, Shared>, setup: FirstRun) -> AppResult<FirstRunDone> {
    blocking(&state, move |state| {
        if state.db_path.exists() {
            return Err(AppError::not_allowed(
                "This workstation is already set up. Log in instead.",
            ));
        }
        let settings = Settings {
            clinic_name: setup.clinic_name.trim().to_owned(),
            clinic_address: setup.clinic_address.trim().to_owned(),
            clinic_phone: setup.clinic_phone.trim().to_owned(),
            paper: setup.paper,
            language: setup.language,
            ..Settings::default()
        };
        // Checked before the database exists, so a refused value leaves nothing behind.
        settings.validate()?;
        let password = Zeroizing::new(setup.password);
        let (mut store, recovery) = Store::create(
            &state.db_path,
            &NewStaff {
                username: setup.username.trim(),
                display_name: setup.display_name.trim(),
                password: &password,
                role: Role::Admin,
            },
        )?;
        store.save_settings(&settings)?;
        let root_fingerprint = store.root_fingerprint()?.unwrap_or_default();
        state.begin(store)?;
        Ok(FirstRunDone {
            recovery_key: recovery.to_string(),
            root_fingerprint,
            status: status(state),
        })
    })
    .await
}

/// Opens the database as this staff member; they become the signed-in user.
async fn sign_in(state: &Shared, credentials: Credentials) -> AppResult<AppStatus> {
    blocking(state, move |state| {
        let password = Zeroizing::new(credentials.password);
        let store = Store::open(&state.db_path, credentials.username.trim(), &password)?;
        state.begin(store)?;
        Ok(status(state))
    })
    .await
}

#[tauri::command]
pub async fn login(state: State<'_, Shared>, credentials: Credentials) -> AppResult<AppStatus> {
    sign_in(&state, credentials).await
}

#[tauri::command]
pub async fn lock(state: State<'_, Shared>) -> AppResult<AppStatus> {
    state.lock();
    Ok(status(&state))
}

/// The UI reports keyboard and pointer activity (at most every few seconds), so reading a
/// long summary does not count as idle.
#[tauri::command]
pub async fn still_here(state: State<'_, Shared>) -> AppResult<()> {
    state.with(Access::Anyone, |_| Ok(()))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// The signed-in staff member chooses a new password (required after a reset). The database
/// key changes with it.
#[tauri::command]
pub async fn change_password(
    state: State<'_, Shared>,
    change: PasswordChange,
) -> AppResult<AppStatus> {
    blocking(&state, move |state| {
        let current = Zeroizing::new(change.current_password);
        let new = Zeroizing::new(change.new_password);
        state.with(Access::Staff, |s| {
            Ok(s.store.change_password(&current, &new)?)
        })?;
        Ok(status(state))
    })
    .await
}

/// Hands the workstation to the patient for this intake. Only a draft can be handed over:
/// a completed intake has a summary the patient must not see.
#[tauri::command]
pub async fn enter_self_entry(state: State<'_, Shared>, intake_id: i64) -> AppResult<AppStatus> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            let detail = s.store.show_intake(intake_id)?;
            let is_draft = detail
                .versions
                .last()
                .is_some_and(|v| v.status == VersionStatus::Draft);
            if !is_draft {
                return Err(AppError::not_allowed(
                    "Only an intake still being filled in can be handed to the patient.",
                ));
            }
            s.store
                .record_session_event(SessionEvent::SelfEntryOn { intake_id })?;
            s.self_entry = Some(intake_id);
            Ok(())
        })?;
        Ok(status(state))
    })
    .await
}

/// Any active staff account can take the workstation back; it becomes the signed-in user.
#[tauri::command]
pub async fn leave_self_entry(
    state: State<'_, Shared>,
    credentials: Credentials,
) -> AppResult<AppStatus> {
    sign_in(&state, credentials).await
}
