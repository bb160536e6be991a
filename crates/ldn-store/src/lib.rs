//! LDN Intake's local store: one SQLCipher-encrypted SQLite file per workstation, opened per
//! staff member with their password; intakes kept as immutable versions with the summary that
//! was shown; an append-only, hash-chained audit trail. Who may do what is decided in
//! `permission`; who can open the file at all, in `keyring` and `rotation`.

mod attempts;
mod audit;
mod authority;
mod backup;
mod columns;
mod contact;
mod documents;
mod drafts;
mod error;
pub mod files;
#[cfg(feature = "test-support")]
pub mod insider;
mod intakes;
mod keyring;
mod login;
mod patient_edit;
mod patients;
mod permission;
mod rotation;
mod schema;
mod settings;
mod signoffs;
mod staff;
mod stage;
mod store;
mod trust;
mod verify;
mod versions;

pub use attempts::LoginPolicy;
pub use audit::AuditRow;
pub use authority::RootSetUp;
pub use backup::{restore, BackupCounts};
pub use documents::{DocumentKind, DocumentRecord, DocumentRow, Paper, PrintedPlan};
pub use error::{Result, StoreError};
pub use intakes::{IntakeFilter, IntakeListRow, SavedVersion};
pub use patients::PatientRow;
pub use permission::Permission;
pub use settings::Settings;
pub use signoffs::{Decision, SignoffRow};
pub use staff::{check_password, StaffRow};
pub use store::{Actor, NewStaff, Role, SessionEvent, StaffMember, Store};
pub use trust::heads::SignedHead;
pub use trust::{fingerprint, normalize_fingerprint, recovery_fingerprint, SignatureStatus};
pub use verify::{FileCheck, VerifyReport};
pub use versions::{IntakeDetail, VersionRow, VersionStatus};

/// The time written into rows: UTC, to the millisecond.
pub(crate) fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
