//! Numbered SQL migrations, all pending ones applied in one transaction, guarded by
//! `PRAGMA user_version`. A database newer than this program is refused.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Result, StoreError};

/// Migration N (1-based) brings the schema to version N.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_document_inputs.sql"),
    include_str!("../migrations/0003_intake_date.sql"),
    include_str!("../migrations/0004_dose_plans.sql"),
    include_str!("../migrations/0005_password_change.sql"),
    include_str!("../migrations/0006_signatures.sql"),
    include_str!("../migrations/0007_entered_by.sql"),
    include_str!("../migrations/0008_patient_record.sql"),
];

/// Work a migration needs from the program (folding names is Rust's), run right after its SQL.
type Step = fn(&Connection) -> Result<()>;

/// (the version a migration brings the schema to, what the program then does in the same
/// transaction).
const AFTER: &[(i64, Step)] = &[(8, crate::patients::index_all_names)];

pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every pending migration, or none.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    if found > latest() {
        return Err(StoreError::TooNew {
            found,
            known: latest(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = index as i64 + 1;
        tx.execute_batch(sql)?;
        for (_, then) in AFTER.iter().filter(|(version, _)| *version == to) {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", to)?;
    }
    tx.commit()?;
    Ok(())
}
