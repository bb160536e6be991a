//! LDN Intake's local store: one SQLCipher-encrypted SQLite file per workstation, opened per
//! staff member with their password; intakes kept as immutable versions with the summary that
//! was shown; an append-only, hash-chained audit trail.

mod audit;
mod backup;
mod error;
mod history;
mod intakes;
mod keyring;
mod patients;
mod private_file;
mod records;
mod schema;
mod staff;
mod store;

pub use audit::AuditRow;
pub use backup::{restore, BackupCounts};
pub use error::{Result, StoreError};
pub use history::{DocumentRow, SignoffRow, StaffRow};
pub use intakes::{IntakeDetail, IntakeListRow, SavedVersion, VersionRow, VersionStatus};
pub use patients::PatientRow;
pub use records::{Decision, DocumentKind, DocumentRecord, PrintedPlan, Settings};
pub use store::{Actor, NewStaff, Role, StaffMember, Store, VerifyReport};

/// The time written into rows: UTC, to the millisecond.
pub(crate) fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
