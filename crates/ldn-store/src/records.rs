//! Clinician sign-offs, documents produced, and the clinic's settings.

use ldn_engine::{ChosenPlan, TitrationProtocol};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;

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
    /// "en" or "es".
    pub language: String,
    /// "letter" or "a4".
    pub paper: String,
    pub settings: Settings,
    #[serde(default)]
    pub plan: PrintedPlan,
}

/// The clinic's settings, kept in the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: String,
    /// "letter" or "a4".
    pub paper: String,
    /// "en" or "es".
    pub language: String,
    /// The standard plan.
    pub titration: TitrationProtocol,
    /// The low-start plan; settings saved before it existed get the bundled one.
    #[serde(default = "TitrationProtocol::low_start")]
    pub low_start_titration: TitrationProtocol,
    pub auto_lock_minutes: u32,
    /// Saved documents are named by kind and date only, without the patient's name (file
    /// names show up in recent-file lists and thumbnails).
    #[serde(default)]
    pub neutral_file_names: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            clinic_name: String::new(),
            clinic_address: String::new(),
            clinic_phone: String::new(),
            paper: "letter".into(),
            language: "en".into(),
            titration: TitrationProtocol::standard(),
            low_start_titration: TitrationProtocol::low_start(),
            auto_lock_minutes: 10,
            neutral_file_names: false,
        }
    }
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl Settings {
    /// Refuses a bad value by field, before anything is written.
    pub fn validate(&self) -> Result<()> {
        if self.clinic_name.trim().is_empty() {
            return Err(invalid("clinic_name", "must not be empty"));
        }
        if self.clinic_phone.trim().is_empty() {
            return Err(invalid("clinic_phone", "must not be empty"));
        }
        if !["letter", "a4"].contains(&self.paper.as_str()) {
            return Err(invalid("paper", "must be \"letter\" or \"a4\""));
        }
        if !["en", "es"].contains(&self.language.as_str()) {
            return Err(invalid("language", "must be \"en\" or \"es\""));
        }
        if !(1..=240).contains(&self.auto_lock_minutes) {
            return Err(invalid("auto_lock_minutes", "must be 1 to 240"));
        }
        for (name, protocol) in [
            ("titration", &self.titration),
            ("low_start_titration", &self.low_start_titration),
        ] {
            protocol.validate().map_err(|e| StoreError::Invalid {
                // The protocol names its fields titration.steps[N]; say which plan it was.
                field: e.field.replacen("titration", name, 1),
                message: e.message,
            })?;
        }
        Ok(())
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
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM intake_versions WHERE id = ?1",
                [version_id],
                |r| r.get(0),
            )
            .optional()?;
        match status.as_deref() {
            None => {
                return Err(StoreError::Missing {
                    what: "intake version".into(),
                    id: version_id,
                })
            }
            Some("draft") => {
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
        if !["en", "es"].contains(&document.language.as_str()) {
            return Err(invalid("language", "must be \"en\" or \"es\""));
        }
        if !["letter", "a4"].contains(&document.paper.as_str()) {
            return Err(invalid("paper", "must be \"letter\" or \"a4\""));
        }
        let settings =
            serde_json::to_string(&document.settings).map_err(|e| StoreError::Io(e.to_string()))?;
        let plan =
            serde_json::to_string(&document.plan).map_err(|e| StoreError::Io(e.to_string()))?;
        let kind = document.kind.as_str();
        let digest = hex::encode(Sha256::digest(pdf));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO documents (intake_version_id, kind, produced_by, produced_at, sha256, language, paper, settings, plan) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![version_id, document.kind, actor, crate::now(), digest, document.language, document.paper, settings, plan],
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

    /// The clinic's settings; the defaults until an administrator saves them. Stored
    /// settings that do not read are damage, not defaults: a handout must not print without
    /// the clinic.
    pub fn settings(&self) -> Result<Settings> {
        self.require(Permission::ViewSettings)?;
        self.stored_settings()
    }

    /// How long the session may sit idle before it locks: it applies to whoever is signed
    /// in, even before they have changed a password someone else set.
    pub fn auto_lock_minutes(&self) -> Result<u32> {
        Ok(self.stored_settings()?.auto_lock_minutes)
    }

    fn stored_settings(&self) -> Result<Settings> {
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = 'clinic'", [], |r| {
                r.get(0)
            })
            .optional()?;
        match stored {
            None => Ok(Settings::default()),
            Some(text) => crate::columns::from_json("clinic settings", &text),
        }
    }

    /// Saves the clinic's settings (administrators only); bad values are refused by field.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        self.require(Permission::ChangeSettings)?;
        settings.validate()?;
        let json = serde_json::to_string(settings).map_err(|e| StoreError::Io(e.to_string()))?;
        let actor = self.actor_id();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('clinic', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
        audit::append(&tx, actor, "settings", "clinic", "")?;
        tx.commit()?;
        Ok(())
    }
}
