//! The documents produced from intake versions: what each was made from, and its SHA-256, so
//! a reprint can be made again byte for byte and checked.

use ldn_engine::{ChosenPlan, Language};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::columns::{from_json, from_text, to_json, to_text};
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::settings::Settings;
use crate::store::Store;
use crate::versions::VersionStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Handout,
    Summary,
    Card,
}

crate::columns::text_enum!(DocumentKind {
    Handout => "handout",
    Summary => "summary",
    Card => "card",
});

/// The paper a document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

crate::columns::text_enum!(Paper {
    Letter => "letter",
    A4 => "a4",
});

/// The dose plan a document printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrintedPlan {
    /// No sign-off chose one: the clinic's standard plan from the settings (or none, when the
    /// engine proposed a low start).
    #[default]
    ClinicDefault,
    /// The plan the clinician chose at sign-off.
    Chosen { chosen: ChosenPlan },
    /// The clinician decided not to start, or to refer.
    NotStarting,
}

/// What a document was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentRecord {
    pub kind: DocumentKind,
    pub language: Language,
    pub paper: Paper,
    pub settings: Settings,
    #[serde(default)]
    pub plan: PrintedPlan,
    /// The sign-off a clinician summary prints; none before a clinician decided.
    #[serde(default)]
    pub signoff_id: Option<i64>,
}

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

/// A document row with its language, settings and plan columns still text.
type StoredDocument = (DocumentRow, String, String, Option<String>);

fn document_row(r: &rusqlite::Row) -> rusqlite::Result<StoredDocument> {
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
                language: Language::En,
                paper: r.get(8)?,
                settings: Settings::default(),
                plan: PrintedPlan::default(),
                signoff_id: r.get(11)?,
            },
        },
        r.get(7)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

/// The settings and plan a document was made with. Rows from before settings were recorded
/// hold "{}" and print with the defaults; rows from before plans printed the clinic's
/// standard plan. Anything else that does not read is damage.
fn with_inputs((mut row, language, settings, plan): StoredDocument) -> Result<DocumentRow> {
    row.record.language = from_text("document language", &language)?;
    if settings != "{}" {
        row.record.settings = from_json("document's settings", &settings)?;
    }
    if let Some(plan) = plan {
        row.record.plan = from_json("document's plan", &plan)?;
    }
    Ok(row)
}

const DOCUMENT_COLUMNS: &str = "SELECT d.id, d.intake_version_id, v.version, s.display_name, d.produced_at, d.sha256, d.kind, d.language, d.paper, d.settings, d.plan, d.signoff_id \
     FROM documents d JOIN intake_versions v ON v.id = d.intake_version_id JOIN staff s ON s.id = d.produced_by";

impl Store {
    /// Records a document produced for an intake version: what it was made from (language,
    /// paper, the clinic settings) and its SHA-256, so a reprint can be checked byte for byte.
    pub fn record_document(
        &mut self,
        version_id: i64,
        document: &DocumentRecord,
        pdf: &[u8],
    ) -> Result<String> {
        self.require(Permission::EditIntakes)?;
        let actor = self
            .actor_id()
            .ok_or_else(|| StoreError::NotAllowed("sign in as a staff member".into()))?;
        let language = to_text(&document.language)?;
        let settings = to_json(&document.settings)?;
        let plan = to_json(&document.plan)?;
        let kind = document.kind.as_str();
        let digest = hex::encode(Sha256::digest(pdf));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A draft row changes with every answer: a document names a version that stays.
        let status: Option<VersionStatus> = tx
            .query_row(
                "SELECT status FROM intake_versions WHERE id = ?1",
                [version_id],
                |r| r.get(0),
            )
            .optional()?;
        if status == Some(VersionStatus::Draft) {
            return Err(StoreError::Invalid {
                field: "version_id".into(),
                message: format!(
                    "{version_id} is a draft still being answered; complete it before making its documents"
                ),
            });
        }
        tx.execute(
            "INSERT INTO documents (intake_version_id, kind, produced_by, produced_at, sha256, language, paper, settings, plan, signoff_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![version_id, document.kind, actor, crate::now(), digest, language, document.paper, settings, plan, document.signoff_id],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Missing {
                what: "intake version".into(),
                id: version_id,
            },
            _ => e.into(),
        })?;
        audit::append(
            &tx,
            Some(actor),
            "print",
            &format!("version {version_id}"),
            &format!("{kind} {digest}"),
        )?;
        tx.commit()?;
        Ok(digest)
    }

    /// Records that an intake version left the app as data (a FHIR Bundle for the clinic's
    /// health record): who exported it, when, and the SHA-256 of the file written. Audited as
    /// a printed document is; nothing else changes.
    pub fn record_export(&mut self, version_id: i64, format: &str, file: &[u8]) -> Result<String> {
        self.record_file("export", version_id, format, file)
    }

    /// Records that an intake version was made from a file from outside (a FHIR
    /// QuestionnaireResponse from a portal): who imported it, and the file's SHA-256.
    pub fn record_import(&mut self, version_id: i64, format: &str, file: &[u8]) -> Result<String> {
        self.record_file("import", version_id, format, file)
    }

    fn record_file(
        &mut self,
        action: &str,
        version_id: i64,
        format: &str,
        file: &[u8],
    ) -> Result<String> {
        self.require(Permission::EditIntakes)?;
        let actor = self
            .actor_id()
            .ok_or_else(|| StoreError::NotAllowed("sign in as a staff member".into()))?;
        let digest = hex::encode(Sha256::digest(file));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM intake_versions WHERE id = ?1",
                [version_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::Missing {
                what: "intake version".into(),
                id: version_id,
            });
        }
        audit::append(
            &tx,
            Some(actor),
            action,
            &format!("version {version_id}"),
            &format!("{format} {digest}"),
        )?;
        tx.commit()?;
        Ok(digest)
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
}
