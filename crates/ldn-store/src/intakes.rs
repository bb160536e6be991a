//! Intakes: saving a new version (a new intake, and its patient, on the first save), the date
//! an intake keeps, and the lists of intakes with their latest version.

use chrono::NaiveDate;
use ldn_engine::{Intake, Summary, Verdict};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;
use crate::versions::VersionStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedVersion {
    pub patient_id: i64,
    pub intake_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub status: VersionStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IntakeListRow {
    pub intake_id: i64,
    pub patient: String,
    pub birth_date: String,
    pub versions: i64,
    pub status: VersionStatus,
    pub verdict: Option<Verdict>,
    pub saved_at: String,
    /// Who saved the first version.
    pub started_by: String,
    /// The latest version's summary is urgent.
    pub urgent: bool,
    /// A clinician has signed off the latest version.
    pub signed_off: bool,
}

/// Which intakes a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeFilter {
    All,
    Patient(i64),
    /// Completed or amended, with no sign-off on the latest version: urgent ones first.
    AwaitingSignoff,
    /// Still a draft.
    Unfinished,
}

/// The folded "family given" and "given family" keys patient search scans.
pub(crate) fn search_keys(given: &str, family: &str) -> (String, String) {
    (
        crate::patients::fold(&format!("{family} {given}")),
        crate::patients::fold(&format!("{given} {family}")),
    )
}

impl Store {
    /// Saves an intake (a new intake when `intake_id` is none): a draft save goes into the
    /// intake's draft row, a completed save stores the summary that was shown and makes that
    /// row an immutable version; completing after a completed version is an amendment. Every
    /// save is audited. The returned ids exist only once the commit has returned.
    pub fn save_intake(
        &mut self,
        intake: &Intake,
        summary: Option<&Summary>,
        intake_id: Option<i64>,
    ) -> Result<SavedVersion> {
        self.require(Permission::EditIntakes)?;
        let actor = self
            .actor_id()
            .ok_or_else(|| StoreError::NotAllowed("sign in as a staff member to save".into()))?;
        crate::patients::check_names(&intake.patient.given_name, &intake.patient.family_name)?;
        let answers = serde_json::to_string(intake).map_err(|e| StoreError::Io(e.to_string()))?;
        let summary_json = summary
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Io(e.to_string()))?;
        let p = &intake.patient;
        let birth = p.birth_date.to_string();
        let now = crate::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (patient_id, intake_id) = match intake_id {
            Some(id) => {
                let patient: Option<(i64, String, String, String)> = tx
                    .query_row(
                        "SELECT p.id, p.given_name, p.family_name, p.birth_date FROM intakes i JOIN patients p ON p.id = i.patient_id WHERE i.id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let (patient_id, given, family, born) = patient.ok_or(StoreError::Missing {
                    what: "intake".into(),
                    id,
                })?;
                // The intake date is the one of the first save: moving it would end washouts
                // early (screening-contract.md §4).
                let kept: Option<String> =
                    tx.query_row("SELECT intake_date FROM intakes WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
                let asked = intake.intake_date.to_string();
                if let Some(kept) = kept.filter(|kept| *kept != asked) {
                    return Err(StoreError::Invalid {
                        field: "intake_date".into(),
                        message: format!(
                            "is {kept}, the day this intake was first saved, and cannot be changed (not {asked})"
                        ),
                    });
                }
                // An intake belongs to one person for good.
                if (given.as_str(), family.as_str(), born.as_str())
                    != (
                        p.given_name.as_str(),
                        p.family_name.as_str(),
                        birth.as_str(),
                    )
                {
                    return Err(StoreError::Invalid {
                        field: "patient".into(),
                        message:
                            "is not the person this intake belongs to; start a new intake for them"
                                .into(),
                    });
                }
                (patient_id, id)
            }
            None => {
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM patients WHERE given_name = ?1 AND family_name = ?2 AND birth_date = ?3",
                        params![p.given_name, p.family_name, birth],
                        |r| r.get(0),
                    )
                    .optional()?;
                let patient_id = match existing {
                    Some(id) => id,
                    None => {
                        let (key, given_key) = search_keys(&p.given_name, &p.family_name);
                        tx.execute(
                            "INSERT INTO patients (given_name, family_name, birth_date, search_key, search_given, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![p.given_name, p.family_name, birth, key, given_key, now],
                        )?;
                        let id = tx.last_insert_rowid();
                        crate::patients::index_name(&tx, id, &p.given_name, &p.family_name)?;
                        id
                    }
                };
                tx.execute(
                    "INSERT INTO intakes (patient_id, created_at, intake_date, started_by) VALUES (?1, ?2, ?3, ?4)",
                    params![patient_id, now, intake.intake_date.to_string(), actor],
                )?;
                (patient_id, tx.last_insert_rowid())
            }
        };
        let by_patient = self.self_entry.get() == Some(intake_id);
        let written = crate::drafts::write(
            &tx,
            &crate::drafts::Save {
                intake_id,
                intake,
                answers: &answers,
                summary: summary_json.as_deref(),
                rules_version: summary.map(|s| s.rules_version.as_str()),
                actor,
                by_patient,
                now: &now,
            },
        )?;
        let by = if by_patient {
            ", entered by the patient"
        } else {
            ""
        };
        let saves = if written.status == VersionStatus::Draft {
            format!(", save {}", written.saves)
        } else {
            String::new()
        };
        crate::stage::update(&tx, intake_id)?;
        audit::append(
            &tx,
            Some(actor),
            "save",
            &format!("intake {intake_id}"),
            &format!(
                "version {} ({}{saves}{by})",
                written.version,
                written.status.as_str()
            ),
        )?;
        tx.commit()?;
        Ok(SavedVersion {
            patient_id,
            intake_id,
            version_id: written.version_id,
            version: written.version,
            status: written.status,
        })
    }

    /// The date an intake was first saved on, which every version keeps.
    pub fn intake_date(&self, intake_id: i64) -> Result<NaiveDate> {
        self.require(Permission::ViewRecords)?;
        let kept: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT intake_date FROM intakes WHERE id = ?1",
                [intake_id],
                |r| r.get(0),
            )
            .optional()?;
        let missing = || StoreError::Missing {
            what: "intake".into(),
            id: intake_id,
        };
        kept.ok_or_else(missing)?
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| StoreError::Damaged(format!("intake {intake_id} has no intake date")))
    }

    /// Every intake with its latest version. Viewing the list is audited.
    pub fn list_intakes(&mut self) -> Result<Vec<IntakeListRow>> {
        self.worklist(IntakeFilter::All)
    }

    /// The intakes a filter selects (a worklist), newest first. Viewing is audited.
    pub fn worklist(&mut self, filter: IntakeFilter) -> Result<Vec<IntakeListRow>> {
        self.require(Permission::ViewRecords)?;
        let rows = self.intake_rows(filter)?;
        self.audit_view(match filter {
            IntakeFilter::All | IntakeFilter::Patient(_) => "intake list",
            IntakeFilter::AwaitingSignoff => "awaiting sign-off",
            IntakeFilter::Unfinished => "unfinished intakes",
        })?;
        Ok(rows)
    }

    /// Intakes with their latest version, newest first.
    fn intake_rows(&self, filter: IntakeFilter) -> Result<Vec<IntakeListRow>> {
        let signed = "EXISTS (SELECT 1 FROM signoffs o WHERE o.intake_version_id = v.id)";
        let (condition, value, order) = match filter {
            IntakeFilter::All => ("?1 IS NULL".to_owned(), None, ""),
            IntakeFilter::Patient(id) => ("p.id = ?1".to_owned(), Some(id), ""),
            IntakeFilter::AwaitingSignoff => (
                "?1 IS NULL AND i.stage = 'awaiting_signoff'".to_owned(),
                None,
                "urgent DESC, ",
            ),
            IntakeFilter::Unfinished => {
                ("?1 IS NULL AND i.stage = 'unfinished'".to_owned(), None, "")
            }
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT i.id, p.given_name || ' ' || p.family_name, p.birth_date, v.version, v.status, \
             json_extract(v.summary, '$.verdict'), v.saved_at, \
             (SELECT s.display_name FROM staff s WHERE s.id = i.started_by), \
             coalesce(json_extract(v.summary, '$.urgent'), 0) AS urgent, {signed} \
             FROM intakes i JOIN patients p ON p.id = i.patient_id \
             JOIN intake_versions v ON v.intake_id = i.id \
             AND v.version = (SELECT max(version) FROM intake_versions WHERE intake_id = i.id) \
             WHERE {condition} ORDER BY {order}v.saved_at DESC, i.id DESC"
        ))?;
        let rows = stmt.query_map([value], |r| {
            let verdict: Option<String> = r.get(5)?;
            Ok((
                IntakeListRow {
                    intake_id: r.get(0)?,
                    patient: r.get(1)?,
                    birth_date: r.get(2)?,
                    versions: r.get(3)?,
                    status: r.get(4)?,
                    verdict: None,
                    saved_at: r.get(6)?,
                    started_by: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    urgent: r.get(8)?,
                    signed_off: r.get(9)?,
                },
                verdict,
            ))
        })?;
        rows.map(|row| {
            let (mut row, verdict) = row?;
            row.verdict = verdict
                .map(|v| from_json("verdict", &serde_json::Value::String(v).to_string()))
                .transpose()?;
            Ok(row)
        })
        .collect()
    }

    /// A patient's intakes, newest first, each with its latest version. Viewing is audited.
    pub fn patient_intakes(&mut self, patient_id: i64) -> Result<Vec<IntakeListRow>> {
        self.require(Permission::ViewRecords)?;
        let rows = self.intake_rows(IntakeFilter::Patient(patient_id))?;
        self.audit_view(&format!("patient {patient_id}"))?;
        Ok(rows)
    }
}
