//! What happened to an intake after it was saved: sign-offs and the documents produced, and
//! the lists the desktop app shows (a patient's intakes, the staff accounts).

use ldn_engine::ChosenPlan;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::intakes::{version_columns_at, version_row, IntakeListRow, VersionRow};
use crate::permission::Permission;
use crate::records::{Decision, DocumentRecord, PrintedPlan, Settings};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffRow {
    pub id: i64,
    pub version_id: i64,
    pub version: i64,
    pub clinician: String,
    pub decision: Decision,
    pub note: String,
    pub signed_at: String,
    /// The dose plan chosen, with the signing clinician as who chose it.
    pub plan: Option<ChosenPlan>,
}

/// A sign-off row; its plan (JSON) read back, with the signing clinician as who chose it.
fn signoff_row(r: &rusqlite::Row) -> rusqlite::Result<(SignoffRow, Option<String>)> {
    Ok((
        SignoffRow {
            id: r.get(0)?,
            version_id: r.get(1)?,
            version: r.get(2)?,
            clinician: r.get(3)?,
            decision: r.get(4)?,
            note: r.get(5)?,
            signed_at: r.get(6)?,
            plan: None,
        },
        r.get(7)?,
    ))
}

fn with_plan((row, plan): (SignoffRow, Option<String>)) -> Result<SignoffRow> {
    let plan = plan
        .map(|p| from_json::<ChosenPlan>("dose plan", &p))
        .transpose()?
        .map(|p| ChosenPlan {
            chosen_by: Some(row.clinician.clone()),
            ..p
        });
    Ok(SignoffRow { plan, ..row })
}

const SIGNOFF_COLUMNS: &str = "SELECT o.id, o.intake_version_id, v.version, s.display_name, o.decision, o.note, o.signed_at, o.plan \
     FROM signoffs o JOIN intake_versions v ON v.id = o.intake_version_id JOIN staff s ON s.id = o.clinician_id";

/// A document as it was produced: enough to make it again byte for byte and check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentRow {
    pub id: i64,
    pub version_id: i64,
    pub version: i64,
    pub produced_by: String,
    pub produced_at: String,
    pub sha256: String,
    pub record: DocumentRecord,
}

fn document_row(r: &rusqlite::Row) -> rusqlite::Result<(DocumentRow, String, Option<String>)> {
    Ok((
        DocumentRow {
            id: r.get(0)?,
            version_id: r.get(1)?,
            version: r.get(2)?,
            produced_by: r.get(3)?,
            produced_at: r.get(4)?,
            sha256: r.get(5)?,
            record: DocumentRecord {
                kind: r.get(6)?,
                language: r.get(7)?,
                paper: r.get(8)?,
                settings: Settings::default(),
                plan: PrintedPlan::default(),
            },
        },
        r.get(9)?,
        r.get(10)?,
    ))
}

/// The settings and plan a document was made with. Rows from before settings were recorded
/// hold "{}" and print with the defaults; rows from before plans printed the clinic's
/// standard plan. Anything else that does not read is damage.
fn with_inputs(
    (mut row, settings, plan): (DocumentRow, String, Option<String>),
) -> Result<DocumentRow> {
    if settings != "{}" {
        row.record.settings = from_json("document's settings", &settings)?;
    }
    if let Some(plan) = plan {
        row.record.plan = from_json("document's plan", &plan)?;
    }
    Ok(row)
}

const DOCUMENT_COLUMNS: &str = "SELECT d.id, d.intake_version_id, v.version, s.display_name, d.produced_at, d.sha256, d.kind, d.language, d.paper, d.settings, d.plan \
     FROM documents d JOIN intake_versions v ON v.id = d.intake_version_id JOIN staff s ON s.id = d.produced_by";

impl Store {
    /// A patient's intakes, newest first, each with its latest version. Viewing is audited.
    pub fn patient_intakes(&mut self, patient_id: i64) -> Result<Vec<IntakeListRow>> {
        self.require(Permission::ViewRecords)?;
        let rows = self.intake_rows("p.id = ?1", patient_id)?;
        self.audit_view(&format!("patient {patient_id}"))?;
        Ok(rows)
    }

    /// Every sign-off of any version of an intake, oldest first.
    pub fn signoffs(&self, intake_id: i64) -> Result<Vec<SignoffRow>> {
        self.require(Permission::ViewRecords)?;
        let mut stmt = self.conn.prepare(&format!(
            "{SIGNOFF_COLUMNS} WHERE v.intake_id = ?1 ORDER BY o.id"
        ))?;
        let rows = stmt.query_map([intake_id], signoff_row)?;
        rows.map(|r| with_plan(r?)).collect()
    }

    /// The latest sign-off of one version: the decision its documents follow.
    pub fn latest_signoff(&self, version_id: i64) -> Result<Option<SignoffRow>> {
        self.require(Permission::ViewRecords)?;
        self.conn
            .query_row(
                &format!(
                    "{SIGNOFF_COLUMNS} WHERE o.intake_version_id = ?1 ORDER BY o.id DESC LIMIT 1"
                ),
                [version_id],
                signoff_row,
            )
            .optional()?
            .map(with_plan)
            .transpose()
    }

    /// Every document produced for any version of an intake, oldest first.
    pub fn documents(&self, intake_id: i64) -> Result<Vec<DocumentRow>> {
        self.require(Permission::ViewRecords)?;
        let mut stmt = self.conn.prepare(&format!(
            "{DOCUMENT_COLUMNS} WHERE v.intake_id = ?1 ORDER BY d.id"
        ))?;
        let rows = stmt.query_map([intake_id], document_row)?;
        rows.map(|r| with_inputs(r?)).collect()
    }

    /// One document record, for a reprint.
    pub fn document(&self, id: i64) -> Result<DocumentRow> {
        self.require(Permission::ViewRecords)?;
        let row = self
            .conn
            .query_row(
                &format!("{DOCUMENT_COLUMNS} WHERE d.id = ?1"),
                params![id],
                document_row,
            )
            .optional()?
            .ok_or(StoreError::Missing {
                what: "document".into(),
                id,
            })?;
        with_inputs(row)
    }

    /// One saved version and the intake it belongs to, for making its documents.
    pub fn version(&self, version_id: i64) -> Result<(i64, VersionRow)> {
        self.require(Permission::ViewRecords)?;
        let stored = self
            .conn
            .query_row(
                "SELECT v.intake_id, v.id, v.version, v.status, s.display_name, v.saved_at, v.rules_version, v.answers, v.summary \
                 FROM intake_versions v JOIN staff s ON s.id = v.saved_by WHERE v.id = ?1",
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
