//! Correcting a patient's name or birth date on record. The record is the one place a patient's
//! identity lives: every later save of one of their intakes (a draft going on, an amendment)
//! carries it. Versions already saved keep what they were saved, screened and signed with.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use crate::error::{Result, StoreError};
use crate::patients::PatientRow;
use crate::permission::Permission;
use crate::store::Store;

impl Store {
    /// Puts right a patient's name or birth date. Refused, naming the field and changing
    /// nothing: a name the store will not keep, or the name and birth date of another patient
    /// on record (two records for one person is the mistake this exists to undo, not make).
    pub fn edit_patient(
        &mut self,
        patient_id: i64,
        given: &str,
        family: &str,
        birth_date: NaiveDate,
    ) -> Result<PatientRow> {
        self.require(Permission::EditIntakes)?;
        crate::patients::check_names(given, family)?;
        let before = self.patient(patient_id)?;
        let birth = birth_date.to_string();
        let actor = self.actor_id();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let other: Option<i64> = tx
            .query_row(
                "SELECT id FROM patients WHERE given_name = ?1 AND family_name = ?2 AND birth_date = ?3 AND id != ?4",
                params![given, family, birth, patient_id],
                |r| r.get(0),
            )
            .optional()?;
        if other.is_some() {
            return Err(StoreError::Invalid {
                field: "patient".into(),
                message: "Another patient on record has this name and birth date. Open that record instead.".into(),
            });
        }
        let (key, given_key) = crate::intakes::search_keys(given, family);
        tx.execute(
            "UPDATE patients SET given_name = ?1, family_name = ?2, birth_date = ?3, search_key = ?4, search_given = ?5 WHERE id = ?6",
            params![given, family, birth, key, given_key, patient_id],
        )?;
        tx.execute(
            "DELETE FROM patient_name_parts WHERE patient_id = ?1",
            [patient_id],
        )?;
        crate::patients::index_name(&tx, patient_id, given, family)?;
        // What changed is named, never the values: the trail holds no names.
        let changed = [
            (
                before.given_name != given || before.family_name != family,
                "name",
            ),
            (before.birth_date != birth, "birth date"),
        ]
        .iter()
        .filter(|(changed, _)| *changed)
        .map(|(_, what)| *what)
        .collect::<Vec<_>>()
        .join(" and ");
        crate::audit::append(
            &tx,
            actor,
            "edit_patient",
            &format!("patient {patient_id}"),
            &if changed.is_empty() {
                "nothing changed".to_owned()
            } else {
                format!("{changed} corrected")
            },
        )?;
        tx.commit()?;
        self.patient(patient_id)
    }

    /// The patient an intake belongs to.
    pub fn patient_of_intake(&self, intake_id: i64) -> Result<PatientRow> {
        self.require(Permission::ViewRecords)?;
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT patient_id FROM intakes WHERE id = ?1",
                [intake_id],
                |r| r.get(0),
            )
            .optional()?;
        self.patient(id.ok_or(StoreError::Missing {
            what: "intake".into(),
            id: intake_id,
        })?)
    }
}
