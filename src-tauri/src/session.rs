//! Who is signed in, when they last did something, and whether the workstation has been
//! handed to a patient. The store is open only while someone is signed in: locking drops it,
//! which closes the database.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ldn_engine::Engine;
use ldn_store::{Actor, Role, StaffMember, Store};

use crate::error::{AppError, AppResult};

pub struct Session {
    pub store: Store,
    last_activity: Instant,
    idle_limit: Duration,
    /// Set while a patient fills in this intake on their own.
    pub self_entry: Option<i64>,
}

/// What a command is allowed to touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Any signed-in staff member, never in self-entry mode.
    Staff,
    /// Also allowed in self-entry mode, but only for that intake.
    Intake(i64),
    /// Allowed in self-entry mode whatever the intake (medicine suggestions).
    Anyone,
}

pub struct AppState {
    pub engine: Arc<Engine>,
    pub db_path: PathBuf,
    /// Where documents go without a save dialog (unattended workstations, tests); normally unset.
    pub export_dir: Option<PathBuf>,
    /// Overrides the configured idle minutes, in seconds (tests).
    pub idle_override: Option<Duration>,
    session: Mutex<Option<Session>>,
}

impl AppState {
    pub fn new(engine: Engine, db_path: PathBuf) -> AppState {
        AppState {
            engine: Arc::new(engine),
            db_path,
            export_dir: std::env::var_os("LDN_INTAKE_EXPORT_DIR").map(PathBuf::from),
            idle_override: std::env::var("LDN_INTAKE_IDLE_SECONDS")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|s| *s > 0)
                .map(Duration::from_secs),
            session: Mutex::new(None),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A command that panicked while holding the lock leaves the session as it was; the
        // next command can still use or lock it.
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn begin(&self, store: Store) -> AppResult<()> {
        let minutes = store.settings()?.auto_lock_minutes;
        let idle_limit = self
            .idle_override
            .unwrap_or(Duration::from_secs(u64::from(minutes) * 60));
        *self.slot() = Some(Session {
            store,
            last_activity: Instant::now(),
            idle_limit,
            self_entry: None,
        });
        Ok(())
    }

    /// Locks if the session has been idle too long; true when the store was closed now.
    pub fn lock_if_idle(&self) -> bool {
        let mut slot = self.slot();
        let idle = slot
            .as_ref()
            .is_some_and(|s| s.last_activity.elapsed() >= s.idle_limit);
        if idle {
            *slot = None;
        }
        idle
    }

    pub fn lock(&self) {
        *self.slot() = None;
    }

    /// Runs `f` with the open store if `access` allows it, and counts it as activity.
    pub fn with<T>(
        &self,
        access: Access,
        f: impl FnOnce(&mut Session) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut slot = self.slot();
        let session = slot.as_mut().ok_or_else(AppError::locked)?;
        if session.last_activity.elapsed() >= session.idle_limit {
            *slot = None;
            return Err(AppError::locked());
        }
        match (session.self_entry, access) {
            (None, _) | (Some(_), Access::Anyone) => {}
            (Some(open), Access::Intake(id)) if open == id => {}
            (Some(_), _) => {
                return Err(AppError::not_allowed(
                    "This workstation is in patient self-entry mode. A staff member must unlock it first.",
                ))
            }
        }
        session.last_activity = Instant::now();
        f(session)
    }

    /// Looks at the session without counting it as activity.
    pub fn peek<T>(&self, f: impl FnOnce(&Session) -> T) -> Option<T> {
        self.slot().as_ref().map(f)
    }

    pub fn idle_limit(&self) -> Option<Duration> {
        self.slot().as_ref().map(|s| s.idle_limit)
    }
}

impl Session {
    pub fn staff(&self) -> Option<&StaffMember> {
        match self.store.actor() {
            Actor::Staff(s) => Some(s),
            Actor::Recovery => None,
        }
    }

    pub fn require_role(&self, role: Role, what: &str) -> AppResult<()> {
        match self.staff() {
            Some(s) if s.role == role => Ok(()),
            _ => Err(AppError::not_allowed(format!(
                "Only {} can {what}.",
                match role {
                    Role::Admin => "an administrator",
                    Role::Clinician => "a clinician",
                    Role::Staff => "a staff member",
                }
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldn_store::NewStaff;

    fn state_with_session(idle: Duration) -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("clinic.db");
        let (store, _recovery) = Store::create(
            &db,
            &NewStaff {
                username: "admin",
                display_name: "Admin",
                password: "correct horse battery",
                role: Role::Admin,
            },
        )
        .unwrap();
        let mut state = AppState::new(Engine::bundled().unwrap(), db);
        state.idle_override = Some(idle);
        state.begin(store).unwrap();
        (dir, state)
    }

    #[test]
    fn an_idle_session_locks_and_closes_the_store() {
        let (_dir, state) = state_with_session(Duration::from_millis(50));
        assert!(state.with(Access::Staff, |_| Ok(())).is_ok());
        std::thread::sleep(Duration::from_millis(80));
        assert!(state.lock_if_idle());
        let err = state.with(Access::Staff, |_| Ok(())).unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::Locked);
    }

    #[test]
    fn activity_keeps_the_session_open() {
        let (_dir, state) = state_with_session(Duration::from_millis(200));
        for _ in 0..4 {
            std::thread::sleep(Duration::from_millis(80));
            state.with(Access::Staff, |_| Ok(())).unwrap();
        }
        assert!(!state.lock_if_idle());
    }

    #[test]
    fn self_entry_reaches_only_its_own_intake() {
        let (_dir, state) = state_with_session(Duration::from_secs(60));
        state
            .with(Access::Staff, |s| {
                s.self_entry = Some(7);
                Ok(())
            })
            .unwrap();
        assert!(state.with(Access::Intake(7), |_| Ok(())).is_ok());
        assert!(state.with(Access::Anyone, |_| Ok(())).is_ok());
        let other = state.with(Access::Intake(8), |_| Ok(())).unwrap_err();
        assert_eq!(other.kind, crate::error::ErrorKind::NotAllowed);
        let staff = state.with(Access::Staff, |_| Ok(())).unwrap_err();
        assert_eq!(staff.kind, crate::error::ErrorKind::NotAllowed);
    }
}
