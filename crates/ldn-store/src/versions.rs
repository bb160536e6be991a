//! Intake versions: each completed or amended version is an immutable row holding the answers
//! and the summary that was shown; the answers still being given are the intake's one draft
//! row (drafts.rs).

use ldn_engine::{Intake, Summary};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    Completed,
    Amended,
}

crate::columns::text_enum!(VersionStatus {
    Draft => "draft",
    Completed => "completed",
    Amended => "amended",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionRow {
    pub version_id: i64,
    pub version: i64,
    pub status: VersionStatus,
    pub saved_by: String,
    pub saved_at: String,
    pub rules_version: Option<String>,
    pub answers: Intake,
    /// The summary shown when the version was completed; none for a draft.
    pub summary: Option<Summary>,
    /// Saved while the workstation was handed to the patient: the patient's own answers,
    /// on `saved_by`'s session.
    #[serde(default)]
    pub entered_by_patient: bool,
    /// Added field: the questions whose current answer the patient gave in self-entry.
    #[serde(default)]
    pub answered_by_patient: Vec<String>,
    /// Added field: how many saves this version took in (a draft row is updated in place).
    #[serde(default)]
    pub saves: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IntakeDetail {
    pub intake_id: i64,
    pub patient_id: i64,
    pub patient: String,
    pub birth_date: String,
    pub versions: Vec<VersionRow>,
}

/// A version row as stored: its JSON columns still text.
pub(crate) struct StoredVersion {
    row: (i64, i64, VersionStatus, String, String, Option<String>),
    answers: String,
    summary: Option<String>,
    entered_by_patient: bool,
    answered_by_patient: String,
    saves: i64,
}

/// The version columns `version_columns_at` reads, `v` being `intake_versions` and `s` the
/// staff member who saved it.
pub(crate) const VERSION_COLUMNS: &str = "v.id, v.version, v.status, s.display_name, v.saved_at, \
     v.rules_version, v.answers, v.summary, v.entered_by_patient, v.answered_by_patient, v.saves";

/// Reads `VERSION_COLUMNS` from column `at` on.
pub(crate) fn version_columns_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<StoredVersion> {
    Ok(StoredVersion {
        row: (
            r.get(at)?,
            r.get(at + 1)?,
            r.get(at + 2)?,
            r.get(at + 3)?,
            r.get(at + 4)?,
            r.get(at + 5)?,
        ),
        answers: r.get(at + 6)?,
        summary: r.get(at + 7)?,
        entered_by_patient: r.get(at + 8)?,
        answered_by_patient: r.get(at + 9)?,
        saves: r.get(at + 10)?,
    })
}

fn version_columns(r: &rusqlite::Row) -> rusqlite::Result<StoredVersion> {
    version_columns_at(r, 0)
}

/// The version with its answers and summary read back into their types.
pub(crate) fn version_row(stored: StoredVersion) -> Result<VersionRow> {
    let (version_id, version, status, saved_by, saved_at, rules_version) = stored.row;
    Ok(VersionRow {
        version_id,
        version,
        status,
        saved_by,
        saved_at,
        rules_version,
        answers: from_json("intake", &stored.answers)?,
        summary: stored
            .summary
            .map(|s| from_json("summary", &s))
            .transpose()?,
        entered_by_patient: stored.entered_by_patient,
        answered_by_patient: from_json("answered_by_patient", &stored.answered_by_patient)?,
        saves: stored.saves,
    })
}

impl Store {
    /// One intake with all its versions. Viewing is audited.
    pub fn show_intake(&mut self, intake_id: i64) -> Result<IntakeDetail> {
        self.require(Permission::ViewRecords)?;
        let head: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT p.id, p.given_name || ' ' || p.family_name, p.birth_date FROM intakes i JOIN patients p ON p.id = i.patient_id WHERE i.id = ?1",
                [intake_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (patient_id, patient, birth_date) = head.ok_or(StoreError::Missing {
            what: "intake".into(),
            id: intake_id,
        })?;
        let versions = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {VERSION_COLUMNS} FROM intake_versions v JOIN staff s ON s.id = v.saved_by \
                 WHERE v.intake_id = ?1 ORDER BY v.version"
            ))?;
            let rows = stmt.query_map([intake_id], version_columns)?;
            rows.map(|row| version_row(row?))
                .collect::<Result<Vec<_>>>()?
        };
        self.audit_view(&format!("intake {intake_id}"))?;
        Ok(IntakeDetail {
            intake_id,
            patient_id,
            patient,
            birth_date,
            versions,
        })
    }

    /// One saved version and the intake it belongs to, for making its documents.
    pub fn version(&self, version_id: i64) -> Result<(i64, VersionRow)> {
        self.require(Permission::ViewRecords)?;
        let stored = self
            .conn
            .query_row(
                &format!(
                    "SELECT v.intake_id, {VERSION_COLUMNS} FROM intake_versions v \
                     JOIN staff s ON s.id = v.saved_by WHERE v.id = ?1"
                ),
                [version_id],
                |r| Ok((r.get::<_, i64>(0)?, version_columns_at(r, 1)?)),
            )
            .optional()?
            .ok_or(StoreError::Missing {
                what: "intake version".into(),
                id: version_id,
            })?;
        Ok((stored.0, version_row(stored.1)?))
    }
}
