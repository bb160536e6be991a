//! Clinician sign-offs: a decision on a completed intake version, with the dose plan chosen
//! when LDN is to be started.

use ldn_engine::ChosenPlan;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::columns::from_json;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;
use crate::trust::signoffs::SignedContent;
use crate::trust::{self, heads, Checked, SignatureStatus, Trust};
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
    pub const ALL: [Decision; 4] = [
        Decision::Start,
        Decision::StartWithCaution,
        Decision::DoNotStart,
        Decision::Refer,
    ];

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
    /// Whether the clinician's signature still holds for this decision and its version.
    pub signature: SignatureStatus,
}

/// A sign-off row as stored: what its signature covers still text.
struct StoredSignoff {
    row: SignoffRow,
    decision: String,
    plan: Option<String>,
    clinician_id: i64,
    generation: Option<i64>,
    signature: Option<String>,
    answers: String,
    summary: Option<String>,
    rules_version: Option<String>,
}

impl StoredSignoff {
    fn content(&self) -> SignedContent<'_> {
        SignedContent {
            version_id: self.row.version_id,
            answers: &self.answers,
            summary: self.summary.as_deref(),
            rules_version: self.rules_version.as_deref(),
            decision: &self.decision,
            note: &self.row.note,
            signed_at: &self.row.signed_at,
            plan: self.plan.as_deref(),
            clinician_id: self.clinician_id,
            generation: self.generation,
        }
    }
}

fn signoff_row(r: &rusqlite::Row) -> rusqlite::Result<StoredSignoff> {
    Ok(StoredSignoff {
        row: SignoffRow {
            id: r.get(0)?,
            version_id: r.get(1)?,
            version: r.get(2)?,
            clinician: r.get(3)?,
            decision: r.get(4)?,
            note: r.get(5)?,
            signed_at: r.get(6)?,
            plan: None,
            signature: SignatureStatus::MadeBeforeSignatures,
        },
        decision: r.get(4)?,
        plan: r.get(7)?,
        clinician_id: r.get(8)?,
        generation: r.get(9)?,
        signature: r.get(10)?,
        answers: r.get(11)?,
        summary: r.get(12)?,
        rules_version: r.get(13)?,
    })
}

/// The row with its plan (JSON) read back, the signing clinician as who chose it, and
/// whether its signature holds.
fn finish(
    conn: &Connection,
    trust: Option<&Checked<Trust>>,
    stored: StoredSignoff,
) -> Result<SignoffRow> {
    let signature =
        stored
            .content()
            .status(conn, trust, stored.row.id, stored.signature.as_deref())?;
    let plan = stored
        .plan
        .as_deref()
        .map(|p| from_json::<ChosenPlan>("dose plan", p))
        .transpose()?
        .map(|p| ChosenPlan {
            chosen_by: Some(stored.row.clinician.clone()),
            ..p
        });
    Ok(SignoffRow {
        plan,
        signature,
        ..stored.row
    })
}

const SIGNOFF_COLUMNS: &str = "SELECT o.id, o.intake_version_id, v.version, s.display_name, o.decision, o.note, o.signed_at, o.plan, \
     o.clinician_id, o.signer_generation, o.signature, v.answers, v.summary, v.rules_version \
     FROM signoffs o JOIN intake_versions v ON v.id = o.intake_version_id JOIN staff s ON s.id = o.clinician_id";

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Every sign-off whose signature does not hold, described for `db verify`.
pub(crate) fn problems(conn: &Connection, trust: Option<&Checked<Trust>>) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("{SIGNOFF_COLUMNS} ORDER BY o.id"))?;
    let rows = stmt.query_map([], signoff_row)?;
    let mut found = Vec::new();
    for stored in rows {
        let row = finish(conn, trust, stored?)?;
        if let SignatureStatus::DoesNotMatch { .. } = row.signature {
            found.push(format!(
                "sign-off {} (version {} of its intake, by {}): {}",
                row.id, row.version, row.clinician, row.signature
            ));
        }
    }
    Ok(found)
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
        let signer = self.vouching_signer()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        type Version = (VersionStatus, String, Option<String>, Option<String>);
        let version: Option<Version> = tx
            .query_row(
                "SELECT status, answers, summary, rules_version FROM intake_versions WHERE id = ?1",
                [version_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (status, answers, summary, rules_version) = match version {
            Some((status, answers, summary, rules)) => (Some(status), answers, summary, rules),
            None => (None, String::new(), None, None),
        };
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
        let signed_at = crate::now();
        let generation = signer.as_ref().and_then(|s| s.generation);
        let signature = signer.as_ref().map(|signer| {
            SignedContent {
                version_id,
                answers: &answers,
                summary: summary.as_deref(),
                rules_version: rules_version.as_deref(),
                decision: decision.as_str(),
                note,
                signed_at: &signed_at,
                plan: plan_json.as_deref(),
                clinician_id: clinician,
                generation,
            }
            .sign(signer)
        });
        tx.execute(
            "INSERT INTO signoffs (intake_version_id, clinician_id, decision, note, signed_at, plan, signer_generation, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![version_id, clinician, decision, note, signed_at, plan_json, generation, signature],
        )?;
        let id = tx.last_insert_rowid();
        let intake_id: i64 = tx.query_row(
            "SELECT intake_id FROM intake_versions WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?;
        crate::stage::update(&tx, intake_id)?;
        audit::append(
            &tx,
            Some(clinician),
            "sign_off",
            &format!("version {version_id}"),
            decision.as_str(),
        )?;
        if let Some(signer) = &signer {
            heads::sign(&tx, signer, "sign_off")?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Every sign-off of any version of an intake, oldest first.
    pub fn signoffs(&self, intake_id: i64) -> Result<Vec<SignoffRow>> {
        self.require(Permission::ViewRecords)?;
        let mut stmt = self.conn.prepare(&format!(
            "{SIGNOFF_COLUMNS} WHERE v.intake_id = ?1 ORDER BY o.id"
        ))?;
        let trust = trust::load(&self.conn)?;
        let rows = stmt.query_map([intake_id], signoff_row)?;
        rows.map(|r| finish(&self.conn, trust.as_ref(), r?))
            .collect()
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
            .map(|stored| finish(&self.conn, trust::load(&self.conn)?.as_ref(), stored))
            .transpose()
    }
}

#[cfg(test)]
mod decision_names {
    use super::Decision;

    /// The rules data names decisions (its `[signoff]` table); the engine checks those names
    /// against its list, which must be exactly the decisions this store records.
    #[test]
    fn the_engine_knows_every_decision_by_its_stored_name() {
        let names: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
        assert_eq!(names, ldn_engine::SIGNOFF_DECISIONS);
        for d in Decision::ALL {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
    }
}
