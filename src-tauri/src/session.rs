//! Who is signed in, when they last did something, and whether the workstation has been
//! handed to a patient. The store is open only while someone is signed in: locking drops it,
//! which closes the database, and deletes the copies made for printing.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use ldn_engine::Engine;
use ldn_store::{Actor, SessionEvent, StaffMember, Store};

use crate::error::{AppError, AppResult, ErrorKind};

/// When the session was last used, on two clocks: the monotonic one cannot be set back, and
/// the wall clock keeps counting while the laptop sleeps (the monotonic one stops).
#[derive(Debug, Clone, Copy)]
struct LastActivity {
    monotonic: Instant,
    wall: SystemTime,
}

impl LastActivity {
    fn now() -> LastActivity {
        LastActivity {
            monotonic: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    fn elapsed(&self) -> Duration {
        let wall = self.wall.elapsed().unwrap_or(Duration::ZERO);
        self.monotonic.elapsed().max(wall)
    }
}

pub struct Session {
    pub store: Store,
    last_activity: LastActivity,
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
    /// Where documents go without a save dialog (end-to-end tests only).
    pub export_dir: Option<PathBuf>,
    /// Overrides the configured idle minutes, in seconds (end-to-end tests only).
    pub idle_override: Option<Duration>,
    /// The file "Import answers" reads instead of asking (end-to-end tests only).
    pub import_file: Option<PathBuf>,
    /// The private folder print copies are written to; emptied at every lock and at exit.
    pub print_dir: Option<PathBuf>,
    session: Mutex<Option<Session>>,
    /// The whole-file check of this run of the app.
    pub file_checks: crate::file_check::FileChecks,
}

/// The end-to-end tests steer the app through environment variables. Only a build with the
/// `test-hooks` feature reads them: a clinic's build behaves the same whatever is set.
#[cfg(feature = "test-hooks")]
fn test_hooks() -> (Option<PathBuf>, Option<Duration>, Option<PathBuf>) {
    (
        std::env::var_os("LDN_INTAKE_EXPORT_DIR").map(PathBuf::from),
        std::env::var("LDN_INTAKE_IDLE_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map(Duration::from_secs),
        std::env::var_os("LDN_INTAKE_IMPORT_FILE").map(PathBuf::from),
    )
}

#[cfg(not(feature = "test-hooks"))]
fn test_hooks() -> (Option<PathBuf>, Option<Duration>, Option<PathBuf>) {
    (None, None, None)
}

impl AppState {
    pub fn new(engine: Engine, db_path: PathBuf) -> AppState {
        let (export_dir, idle_override, import_file) = test_hooks();
        AppState {
            engine: Arc::new(engine),
            db_path,
            export_dir,
            idle_override,
            import_file,
            print_dir: None,
            session: Mutex::new(None),
            file_checks: Default::default(),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A command that panicked while holding the lock leaves the session as it was; the
        // next command can still use or lock it.
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn begin(&self, store: Store) -> AppResult<()> {
        let minutes = store.auto_lock_minutes()?;
        if let Ok(check) = store.file_check() {
            self.file_checks.start_once(check);
        }
        let idle_limit = self
            .idle_override
            .unwrap_or(Duration::from_secs(u64::from(minutes) * 60));
        let previous = self.slot().replace(Session {
            store,
            last_activity: LastActivity::now(),
            idle_limit,
            self_entry: None,
        });
        if let Some(previous) = previous {
            let event = match previous.self_entry {
                Some(_) => SessionEvent::SelfEntryOff,
                None => SessionEvent::Lock,
            };
            let _ = previous.store.record_session_event(event);
        }
        Ok(())
    }

    /// Locks if the session has been idle too long; true when the store was closed now.
    pub fn lock_if_idle(&self) -> bool {
        let mut slot = self.slot();
        let idle = slot
            .as_ref()
            .is_some_and(|s| s.last_activity.elapsed() >= s.idle_limit);
        if idle {
            self.close(&mut slot, SessionEvent::IdleLock);
        }
        idle
    }

    pub fn lock(&self) {
        let mut slot = self.slot();
        self.close(&mut slot, SessionEvent::Lock);
    }

    /// Audits the lock, closes the database and deletes the print copies.
    fn close(&self, slot: &mut Option<Session>, event: SessionEvent) {
        if let Some(session) = slot.take() {
            // A lock must happen even when the audit row cannot be written (a full disk).
            if let Err(e) = session.store.record_session_event(event) {
                eprintln!("ldn-intake: the lock was not audited: {e}");
            }
        }
        self.clear_print_copies();
    }

    /// Deletes every print copy; called at each lock and at exit.
    pub fn clear_print_copies(&self) {
        if let Some(dir) = &self.print_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
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
            self.close(&mut slot, SessionEvent::IdleLock);
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
        session.last_activity = LastActivity::now();
        match f(session) {
            // Another program changed the database key (an account disabled from the command
            // line): this session's key is gone, so it ends here.
            Err(e) if e.kind == ErrorKind::Locked => {
                *slot = None;
                self.clear_print_copies();
                Err(e)
            }
            other => other,
        }
    }

    /// Looks at the session without counting it as activity; none once it is idle. It does
    /// not close an idle session: that is the idle timer's, which also tells the UI (a status
    /// read that closed it would leave the UI showing a screen of a locked session).
    pub fn peek<T>(&self, f: impl FnOnce(&Session) -> T) -> Option<T> {
        self.slot()
            .as_ref()
            .filter(|s| s.last_activity.elapsed() < s.idle_limit)
            .map(f)
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

    /// Refuses when someone other than `who` (a staff id seen earlier) is signed in now.
    pub fn require_signed_in_as(&self, who: Option<i64>) -> AppResult<()> {
        if self.staff().map(|m| m.id) == who {
            Ok(())
        } else {
            Err(AppError::not_allowed(
                "The session changed while the document was being saved. Nothing was saved; make it again.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldn_store::{NewStaff, Role};

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
        let mut state = AppState::new(ldn_data::engine().unwrap(), db);
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

    /// The e2e idle test failed once the Patients screen read the status while the session
    /// went idle: the read closed the session, the idle timer then found nothing to lock and
    /// never told the UI.
    #[test]
    fn reading_the_status_of_an_idle_session_leaves_the_lock_to_the_timer() {
        let (_dir, state) = state_with_session(Duration::from_millis(50));
        std::thread::sleep(Duration::from_millis(80));
        let status = crate::commands::account::status(&state);
        assert!(status.user.is_none(), "an idle session shown as signed in");
        assert!(state.lock_if_idle(), "the status read closed the session");
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
    fn time_asleep_counts_as_idle() {
        // After a suspend the monotonic clock shows seconds, the wall clock hours.
        let (_dir, state) = state_with_session(Duration::from_secs(600));
        {
            let mut slot = state.slot();
            let session = slot.as_mut().unwrap();
            session.last_activity.wall = SystemTime::now() - Duration::from_secs(3600);
        }
        assert!(state.lock_if_idle());
        let actions: Vec<String> = Store::open(&state.db_path, "admin", "correct horse battery")
            .unwrap()
            .audit_trail()
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(actions.contains(&"idle_lock".to_owned()), "{actions:?}");
    }

    #[test]
    #[cfg(not(feature = "test-hooks"))]
    fn a_clinic_build_ignores_the_test_variables() {
        // Each test binary is its own process; nothing else here reads these.
        std::env::set_var("LDN_INTAKE_EXPORT_DIR", std::env::temp_dir());
        std::env::set_var("LDN_INTAKE_IDLE_SECONDS", "1");
        std::env::set_var(
            "LDN_INTAKE_IMPORT_FILE",
            std::env::temp_dir().join("answers.json"),
        );
        let state = AppState::new(ldn_data::engine().unwrap(), PathBuf::from("/nonexistent"));
        assert_eq!(state.export_dir, None);
        assert_eq!(state.idle_override, None);
        assert_eq!(state.import_file, None);
    }

    #[test]
    fn work_begun_by_one_person_is_not_finished_under_another() {
        let (_dir, state) = state_with_session(Duration::from_secs(60));
        let admin = state
            .with(Access::Staff, |s| Ok(s.staff().map(|m| m.id)))
            .unwrap();
        state
            .with(Access::Staff, |s| s.require_signed_in_as(admin))
            .unwrap();
        let other = state
            .with(Access::Staff, |s| {
                s.require_signed_in_as(admin.map(|id| id + 1))
            })
            .unwrap_err();
        assert_eq!(other.kind, crate::error::ErrorKind::NotAllowed);
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
