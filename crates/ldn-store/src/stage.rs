//! Where an intake stands (unfinished, awaiting sign-off, done), kept on the intake for the
//! worklists and set from the `intake_stage` view (migration 11) after every change to it.

use rusqlite::Connection;

use crate::error::Result;

/// Sets the intake's stage from its versions and sign-offs, in the caller's transaction.
pub(crate) fn update(conn: &Connection, intake_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE intakes SET stage = (SELECT s.stage FROM intake_stage s WHERE s.intake_id = ?1) WHERE id = ?1",
        [intake_id],
    )?;
    Ok(())
}

/// Intakes whose kept stage is not what their versions and sign-offs say: a problem for
/// `db verify`.
pub(crate) fn problems(conn: &Connection) -> Result<Option<String>> {
    let wrong: i64 = conn.query_row(
        "SELECT count(*) FROM intakes i LEFT JOIN intake_stage s ON s.intake_id = i.id WHERE i.stage IS NOT s.stage",
        [],
        |r| r.get(0),
    )?;
    Ok((wrong > 0).then(|| {
        format!("{wrong} intake(s) are listed under the wrong worklist (their kept stage differs from their versions and sign-offs)")
    }))
}
