//! The audit trail: append-only rows, each hashed together with the previous row's hash, so
//! that an edited, inserted or deleted row is detected by [`verify_chain`].

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    /// Added: the staff member's display name, so the trail reads in names, not ids.
    #[serde(default)]
    pub staff_name: Option<String>,
    /// Added: the patient the row is about (through the patient, intake or version it names),
    /// so the trail can be read one patient at a time.
    #[serde(default)]
    pub patient_id: Option<i64>,
    #[serde(default)]
    pub patient_name: Option<String>,
}

fn row_hash(
    prev: &str,
    id: i64,
    at: &str,
    staff_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        at,
        &staff_id.map_or_else(String::new, |s| s.to_string()),
        action,
        subject,
        detail,
    ] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one row: inside the transaction of the change it records, or, called outside one,
/// in its own IMMEDIATE transaction, so that reading the last row and writing the next cannot
/// interleave with another connection doing the same.
pub fn append(
    conn: &Connection,
    staff_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    if conn.is_autocommit() {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        append_in(&tx, staff_id, action, subject, detail)?;
        tx.commit()?;
        return Ok(());
    }
    append_in(conn, staff_id, action, subject, detail)
}

fn append_in(
    conn: &Connection,
    staff_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, prev) = last.map_or((1, GENESIS.to_owned()), |(id, hash)| (id + 1, hash));
    let at = crate::now();
    let hash = row_hash(&prev, id, &at, staff_id, action, subject, detail);
    conn.execute(
        "INSERT INTO audit (id, at, staff_id, action, subject, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, at, staff_id, action, subject, detail, prev, hash],
    )?;
    Ok(())
}

/// Writes every row's hash again from its content, as anyone holding the key could.
#[cfg(feature = "test-support")]
pub fn recompute(conn: &Connection) -> Result<()> {
    let rows = trail(conn)?;
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_is_append_only_update; DROP TRIGGER IF EXISTS audit_is_append_only_delete;",
    )?;
    let mut prev = GENESIS.to_owned();
    for r in rows {
        let hash = row_hash(
            &prev, r.id, &r.at, r.staff_id, &r.action, &r.subject, &r.detail,
        );
        conn.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            params![prev, hash, r.id],
        )?;
        prev = hash;
    }
    Ok(())
}

/// The first problem in the chain, if any.
pub fn verify_chain(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, staff_id, action, subject, detail, prev_hash, hash FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (at, staff_id, action, subject, detail): (String, Option<i64>, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let (prev, hash): (String, String) = (r.get(6)?, r.get(7)?);
        if id != expected_id {
            return Ok(Some(format!(
                "audit row {expected_id} is missing (next row is {id})"
            )));
        }
        if prev != expected_prev {
            return Ok(Some(format!(
                "audit row {id} does not follow row {}",
                id - 1
            )));
        }
        if row_hash(&prev, id, &at, staff_id, &action, &subject, &detail) != hash {
            return Ok(Some(format!(
                "audit row {id} was changed after it was written"
            )));
        }
        expected_prev = hash;
        expected_id += 1;
    }
    Ok(None)
}

pub fn trail(conn: &Connection) -> Result<Vec<AuditRow>> {
    // A row names its subject as "patient N", "intake N" or "version N"; each leads to a patient.
    let mut stmt = conn.prepare(
        "SELECT a.id, a.at, a.staff_id, a.action, a.subject, a.detail, s.display_name, \
                p.id, p.given_name || ' ' || p.family_name \
         FROM audit a LEFT JOIN staff s ON s.id = a.staff_id \
         LEFT JOIN patients p ON p.id = CASE \
             WHEN a.subject LIKE 'patient %' THEN CAST(substr(a.subject, 9) AS INTEGER) \
             WHEN a.subject LIKE 'intake %' THEN \
                 (SELECT patient_id FROM intakes WHERE id = CAST(substr(a.subject, 8) AS INTEGER)) \
             WHEN a.subject LIKE 'version %' THEN \
                 (SELECT i.patient_id FROM intake_versions v JOIN intakes i ON i.id = v.intake_id \
                  WHERE v.id = CAST(substr(a.subject, 9) AS INTEGER)) \
         END \
         ORDER BY a.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditRow {
            id: r.get(0)?,
            at: r.get(1)?,
            staff_id: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            detail: r.get(5)?,
            staff_name: r.get(6)?,
            patient_id: r.get(7)?,
            patient_name: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
