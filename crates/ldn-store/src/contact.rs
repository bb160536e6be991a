//! A patient's contact details on record: the clinic's MRN and a phone number. They are not part
//! of any intake's answers, so changing them changes no signed or screened content.

use rusqlite::params;

use crate::error::{Result, StoreError};
use crate::patients::PatientRow;
use crate::permission::Permission;
use crate::store::Store;

const MAX_MRN_CHARS: usize = 40;
const MAX_PHONE_CHARS: usize = 40;

/// A value as typed: trimmed, empty meaning none, checked against what the field may hold.
fn cleaned(
    field: &str,
    value: Option<&str>,
    max: usize,
    allowed: impl Fn(char) -> bool,
    what: &str,
) -> Result<Option<String>> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let invalid = |message: String| StoreError::Invalid {
        field: field.into(),
        message,
    };
    if text.chars().count() > max {
        return Err(invalid(format!("Keep it to {max} characters.")));
    }
    if !text.chars().all(allowed) {
        return Err(invalid(format!("Use only {what}.")));
    }
    Ok(Some(text.to_owned()))
}

/// Contact details as they will be kept: trimmed, empty as none.
type Contact = (Option<String>, Option<String>);

impl Store {
    /// Checks contact details for a patient (`None`: one not on record yet) without keeping
    /// them, so that a new intake is not started with details that would then be refused.
    pub fn check_patient_contact(
        &self,
        patient_id: Option<i64>,
        mrn: Option<&str>,
        phone: Option<&str>,
    ) -> Result<Contact> {
        self.require(Permission::EditIntakes)?;
        let mrn = cleaned(
            "mrn",
            mrn,
            MAX_MRN_CHARS,
            |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | ' '),
            "letters, digits, spaces and - / .",
        )?;
        let phone = cleaned(
            "phone",
            phone,
            MAX_PHONE_CHARS,
            |c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'),
            "digits, spaces and + - ( ) .",
        )?;
        let taken: bool = match &mrn {
            Some(m) => self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM patients WHERE mrn = ?1 AND id IS NOT ?2)",
                params![m, patient_id],
                |r| r.get(0),
            )?,
            None => false,
        };
        if taken {
            return Err(StoreError::Invalid {
                field: "mrn".into(),
                message: "This MRN belongs to another patient.".into(),
            });
        }
        Ok((mrn, phone))
    }

    /// Sets (or, with none, clears) a patient's MRN and phone. An MRN another patient has is
    /// refused: search by MRN must find one person.
    pub fn set_patient_contact(
        &mut self,
        patient_id: i64,
        mrn: Option<&str>,
        phone: Option<&str>,
    ) -> Result<PatientRow> {
        self.patient(patient_id)?;
        let (mrn, phone) = self.check_patient_contact(Some(patient_id), mrn, phone)?;
        self.conn.execute(
            "UPDATE patients SET mrn = ?1, phone = ?2 WHERE id = ?3",
            params![mrn, phone, patient_id],
        )?;
        // What changed is named, never the values: the trail holds no contact details.
        self.audit_event(
            "edit_patient",
            &format!("patient {patient_id}"),
            "contact details",
        )?;
        self.patient(patient_id)
    }
}
