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
    include_str!("../migrations/0009_draft_row.sql"),
    include_str!("../migrations/0010_fold_drafts.sql"),
    include_str!("../migrations/0011_intake_stage.sql"),
];

/// Work a migration needs from the program (folding names is Rust's), run right after its SQL.
type Step = fn(&Connection) -> Result<()>;

/// (the version a migration brings the schema to, what the program then does in the same
/// transaction).
const AFTER: &[(i64, Step)] = &[
    (8, crate::patients::index_all_names),
    (9, crate::drafts::carry_patient_answers),
];

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
    if found < FOLDS_DRAFTS && latest() >= FOLDS_DRAFTS {
        give_back_free_pages(conn);
    }
    Ok(())
}

/// The migration that folds each intake's old drafts into one row, freeing most of an old
/// database's pages.
const FOLDS_DRAFTS: i64 = 10;

/// Rewrites the file without its free pages when they are a quarter of it or more (after the
/// fold, about nine tenths of a practice's file). Best effort: the file is whole either way,
/// and another program having it open only keeps it at its old size.
fn give_back_free_pages(conn: &Connection) {
    let count = |pragma: &str| conn.query_row(pragma, [], |r| r.get::<_, i64>(0));
    if let (Ok(free), Ok(pages)) = (count("PRAGMA freelist_count"), count("PRAGMA page_count")) {
        if free * 4 >= pages && free > 0 {
            let _ = conn.execute_batch("VACUUM");
        }
    }
}
