//! The clinic's settings, kept in the database: its name and phone for the documents, paper
//! and language, the two dose plans, the idle lock and file naming.

use ldn_engine::{Language, TitrationProtocol};
use rusqlite::{OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::documents::Paper;
use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;

/// The clinic's settings, kept in the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: String,
    pub paper: Paper,
    /// The handout's language when the intake does not say.
    pub language: Language,
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
            paper: Paper::Letter,
            language: Language::En,
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
