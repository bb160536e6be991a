//! Clinician sign-offs: a decision on a completed intake version, with the dose plan chosen
//! when LDN is to be started.

use ldn_engine::ChosenPlan;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;
use crate::versions::VersionStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Start,
    StartWithCaution,
    DoNotStart,
    Refer,
}

impl Decision {
    /// Whether LDN is to be started, so that a dose plan must be chosen.
    pub fn starts(self) -> bool {
        matches!(self, Decision::Start | Decision::StartWithCaution)
    }
}

crate::columns::text_enum!(Decision {
    Start => "start",
    StartWithCaution => "start_with_caution",
    DoNotStart => "do_not_start",
    Refer => "refer",
});

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

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl Store {
    /// A clinician's decision on a completed intake version, with the dose plan chosen when
    /// LDN is to be started (and none otherwise).
    pub fn sign_off(
        &mut self,
        version_id: i64,
        decision: Decision,
        note: &str,
        plan: Option<&ChosenPlan>,
    ) -> Result<i64> {
        self.require(Permission::SignOff)?;
        let Some(clinician) = self.actor_id() else {
            return Err(StoreError::NotAllowed(
                "only a clinician account can sign off".into(),
            ));
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status: Option<VersionStatus> = tx
            .query_row(
                "SELECT status FROM intake_versions WHERE id = ?1",
                [version_id],
                |r| r.get(0),
            )
            .optional()?;
        match status {
            None => {
                return Err(StoreError::Missing {
                    what: "intake version".into(),
                    id: version_id,
                })
            }
            Some(VersionStatus::Draft) => {
                return Err(StoreError::NotAllowed(
                    "a draft cannot be signed off; complete it first".into(),
                ))
            }
            Some(_) => {}
        }
        match (decision.starts(), plan) {
            (true, None) => {
                return Err(invalid(
                    "plan",
                    "choose the dose plan to start with: standard or low start",
                ))
            }
            (false, Some(_)) => {
                return Err(invalid(
                    "plan",
                    "no dose plan goes with a decision not to start",
                ))
            }
            _ => {}
        }
        if let Some(p) = plan {
            p.protocol.validate().map_err(|e| StoreError::Invalid {
                field: e.field.replacen("titration", "plan", 1),
                message: e.message,
            })?;
        }
        // Who chose it is the signing clinician, read from the row: not stored twice.
        let plan_json = plan
            .map(|p| {
                serde_json::to_string(&ChosenPlan {
                    chosen_by: None,
                    ..p.clone()
                })
            })
            .transpose()
            .map_err(|e| StoreError::Io(e.to_string()))?;
        tx.execute(
            "INSERT INTO signoffs (intake_version_id, clinician_id, decision, note, signed_at, plan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![version_id, clinician, decision, note, crate::now(), plan_json],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(
            &tx,
            Some(clinician),
            "sign_off",
            &format!("version {version_id}"),
            decision.as_str(),
        )?;
        tx.commit()?;
        Ok(id)
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
}
