//! Where a save goes: the answers being given live in one draft row per intake, updated in
//! place in the save's transaction; completing turns that row into the completed (or amended)
//! version it was heading for, which is never changed again. An autosave therefore costs one
//! row's update, not a new copy of every answer.

use std::collections::{BTreeMap, BTreeSet};

use ldn_engine::Intake;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::versions::VersionStatus;

/// What one save writes.
pub(crate) struct Save<'a> {
    pub intake_id: i64,
    pub intake: &'a Intake,
    pub answers: &'a str,
    pub summary: Option<&'a str>,
    pub rules_version: Option<&'a str>,
    pub actor: i64,
    pub by_patient: bool,
    pub now: &'a str,
}

/// The row a save wrote.
pub(crate) struct Written {
    pub version_id: i64,
    pub version: i64,
    pub status: VersionStatus,
    /// How many saves the row has taken in (1 for a completed version made in one go).
    pub saves: i64,
}

/// The intake's latest version, as a save needs it.
struct Latest {
    id: i64,
    version: i64,
    status: VersionStatus,
    answers: String,
    answered_by_patient: String,
    saves: i64,
}

/// Writes one save of an intake: into its draft row when the latest version is a draft,
/// otherwise as a new row.
pub(crate) fn write(tx: &Transaction, save: &Save) -> Result<Written> {
    let latest: Option<Latest> = tx
        .query_row(
            "SELECT id, version, status, answers, answered_by_patient, saves FROM intake_versions \
             WHERE intake_id = ?1 ORDER BY version DESC LIMIT 1",
            [save.intake_id],
            |r| {
                Ok(Latest {
                    id: r.get(0)?,
                    version: r.get(1)?,
                    status: r.get(2)?,
                    answers: r.get(3)?,
                    answered_by_patient: r.get(4)?,
                    saves: r.get(5)?,
                })
            },
        )
        .optional()?;
    let status = if save.summary.is_none() {
        VersionStatus::Draft
    } else if screened_before(tx, save.intake_id)? {
        VersionStatus::Amended
    } else {
        VersionStatus::Completed
    };
    let carried: BTreeSet<String> = latest
        .as_ref()
        .map(|l| from_json("answered_by_patient", &l.answered_by_patient))
        .transpose()?
        .unwrap_or_default();
    // A staff save with no answer of the patient's standing leaves none: the previous answers
    // are read back only when the patient is or was answering.
    let patients = if save.by_patient || !carried.is_empty() {
        let before: Option<Intake> = latest
            .as_ref()
            .map(|l| from_json("intake", &l.answers))
            .transpose()?;
        answered_by_patient(
            before.as_ref().map(|b| &b.answers),
            &save.intake.answers,
            save.by_patient,
            carried,
        )
    } else {
        BTreeSet::new()
    };
    let patients = serde_json::to_string(&patients).map_err(|e| StoreError::Io(e.to_string()))?;
    match latest {
        Some(draft) if draft.status == VersionStatus::Draft => {
            tx.execute(
                "UPDATE intake_versions SET status = ?2, answers = ?3, summary = ?4, rules_version = ?5, \
                 saved_by = ?6, saved_at = ?7, entered_by_patient = entered_by_patient OR ?8, \
                 answered_by_patient = ?9, saves = saves + 1 WHERE id = ?1",
                params![draft.id, status, save.answers, save.summary, save.rules_version, save.actor, save.now, save.by_patient, patients],
            )?;
            Ok(Written {
                version_id: draft.id,
                version: draft.version,
                status,
                saves: draft.saves + 1,
            })
        }
        latest => {
            let version = latest.map_or(1, |l| l.version + 1);
            tx.execute(
                "INSERT INTO intake_versions (intake_id, version, status, answers, summary, rules_version, saved_by, saved_at, entered_by_patient, answered_by_patient) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![save.intake_id, version, status, save.answers, save.summary, save.rules_version, save.actor, save.now, save.by_patient, patients],
            )?;
            Ok(Written {
                version_id: tx.last_insert_rowid(),
                version,
                status,
                saves: 1,
            })
        }
    }
}

/// A completed or amended version exists: completing again is an amendment.
fn screened_before(tx: &Transaction, intake_id: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM intake_versions WHERE intake_id = ?1 AND status <> 'draft')",
        [intake_id],
        |r| r.get(0),
    )?)
}

/// The questions whose current answer the patient gave: an answer changed in a save made
/// by the patient becomes theirs, one changed or cleared in a staff save stops being theirs.
fn answered_by_patient<V: PartialEq>(
    before: Option<&BTreeMap<String, V>>,
    now: &BTreeMap<String, V>,
    by_patient: bool,
    mut theirs: BTreeSet<String>,
) -> BTreeSet<String> {
    let empty = BTreeMap::new();
    let before = before.unwrap_or(&empty);
    for id in before.keys().chain(now.keys()) {
        if before.get(id) == now.get(id) {
            continue;
        }
        if by_patient && now.contains_key(id) {
            theirs.insert(id.clone());
        } else {
            theirs.remove(id);
        }
    }
    theirs
}

/// Migration step of schema 9: the patient's answers of every version saved before it, found
/// by replaying the versions of each intake the patient answered in.
pub(crate) fn carry_patient_answers(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, intake_id, answers, entered_by_patient FROM intake_versions \
         WHERE intake_id IN (SELECT intake_id FROM intake_versions WHERE entered_by_patient) \
         ORDER BY intake_id, version",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut previous: Option<(i64, Intake, BTreeSet<String>)> = None;
    for (id, intake_id, answers, by_patient) in rows {
        let intake: Intake = from_json("intake", &answers)?;
        let (before, carried) = match previous.take() {
            Some((same, before, theirs)) if same == intake_id => (Some(before), theirs),
            _ => (None, BTreeSet::new()),
        };
        let theirs = answered_by_patient(
            before.as_ref().map(|b| &b.answers),
            &intake.answers,
            by_patient,
            carried,
        );
        conn.execute(
            "UPDATE intake_versions SET answered_by_patient = ?2 WHERE id = ?1",
            params![
                id,
                serde_json::to_string(&theirs).map_err(|e| StoreError::Io(e.to_string()))?
            ],
        )?;
        previous = Some((intake_id, intake, theirs));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, i32)]) -> BTreeMap<String, i32> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn an_answer_is_the_patients_until_staff_change_it() {
        let one = answered_by_patient(None, &map(&[("a", 1)]), true, BTreeSet::new());
        assert_eq!(one, BTreeSet::from(["a".to_string()]));
        // Staff add another answer: the patient's stays theirs.
        let two = answered_by_patient(
            Some(&map(&[("a", 1)])),
            &map(&[("a", 1), ("b", 2)]),
            false,
            one,
        );
        assert_eq!(two, BTreeSet::from(["a".to_string()]));
        // Staff change it: no longer the patient's.
        let three = answered_by_patient(
            Some(&map(&[("a", 1), ("b", 2)])),
            &map(&[("a", 3), ("b", 2)]),
            false,
            two,
        );
        assert!(three.is_empty());
        // The patient clears an answer: nothing of theirs stands.
        let four = answered_by_patient(Some(&map(&[("a", 3)])), &map(&[]), true, three);
        assert!(four.is_empty());
    }
}
