//! Patients: finding them, starting an intake for one (new or on record), and the record's
//! contact details.

use chrono::Local;
use ldn_engine::ANSWERS_FORMAT;
use ldn_store::{IntakeListRow, PatientRow};
use serde::Deserialize;
use serde_json::json;
use tauri::State;
use ts_rs::TS;

use super::intake::{validate_and_save, Saved};
use super::{blocking, Shared};
use crate::error::AppResult;
use crate::session::Access;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewIntake {
    pub given_name: String,
    pub family_name: String,
    /// YYYY-MM-DD.
    pub birth_date: String,
    /// "female", "male", or empty for not asked.
    pub sex_at_birth: String,
    /// "en" or "es": the language of the questions and the handout.
    pub language: String,
    /// A patient already on record: the intake is theirs, with the names and birth date on
    /// record (the ones above are not used), so no second patient is made by a typo.
    #[serde(default)]
    #[ts(optional)]
    pub patient_id: Option<i64>,
    /// The clinic's MRN and a phone number, kept on the patient's record (empty: none).
    #[serde(default)]
    #[ts(optional)]
    pub mrn: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
}

#[tauri::command]
pub async fn search_patients(
    state: State<'_, Shared>,
    query: String,
) -> AppResult<Vec<PatientRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| Ok(s.store.search_patients(&query)?))
    })
    .await
}

#[tauri::command]
pub async fn patient_intakes(
    state: State<'_, Shared>,
    patient_id: i64,
) -> AppResult<Vec<IntakeListRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            Ok(s.store.patient_intakes(patient_id)?)
        })
    })
    .await
}

#[tauri::command]
pub async fn start_intake(state: State<'_, Shared>, patient: NewIntake) -> AppResult<Saved> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            let mut person = match patient.patient_id {
                Some(id) => {
                    let known = s.store.patient(id)?;
                    json!({
                        "given_name": known.given_name,
                        "family_name": known.family_name,
                        "birth_date": known.birth_date,
                    })
                }
                None => json!({
                    "given_name": patient.given_name.trim(),
                    "family_name": patient.family_name.trim(),
                    "birth_date": patient.birth_date.trim(),
                }),
            };
            if !patient.sex_at_birth.is_empty() {
                person["sex_at_birth"] = json!(patient.sex_at_birth);
            }
            let doc = json!({
                "format": ANSWERS_FORMAT,
                "intake_date": Local::now().date_naive().to_string(),
                "language": patient.language,
                "patient": person,
                "answers": {},
                "medications": [],
            });
            // Contact details first, so a refused one starts nothing; details not given keep
            // what the record has.
            if let Some(id) = patient.patient_id {
                if patient.mrn.is_some() || patient.phone.is_some() {
                    let known = s.store.patient(id)?;
                    let keep = |given: &Option<String>, had: Option<String>| given.clone().or(had);
                    s.store.set_patient_contact(
                        id,
                        keep(&patient.mrn, known.mrn).as_deref(),
                        keep(&patient.phone, known.phone).as_deref(),
                    )?;
                }
                return validate_and_save(&state.engine, &mut s.store, &doc, None, None);
            }
            s.store.check_patient_contact(
                None,
                patient.mrn.as_deref(),
                patient.phone.as_deref(),
            )?;
            let saved = validate_and_save(&state.engine, &mut s.store, &doc, None, None)?;
            if patient.mrn.is_some() || patient.phone.is_some() {
                s.store.set_patient_contact(
                    saved.patient_id,
                    patient.mrn.as_deref(),
                    patient.phone.as_deref(),
                )?;
            }
            Ok(saved)
        })
    })
    .await
}

/// Sets a patient's MRN and phone (empty clears one). A refused value names its field.
#[tauri::command]
pub async fn set_patient_contact(
    state: State<'_, Shared>,
    patient_id: i64,
    mrn: String,
    phone: String,
) -> AppResult<PatientRow> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            Ok(s.store
                .set_patient_contact(patient_id, Some(&mrn), Some(&phone))?)
        })
    })
    .await
}

/// Puts right a patient's name or birth date on record, checked as the engine checks the
/// patient in any answers document. Intakes already screened keep theirs; each later save of
/// the patient's intakes carries the corrected ones.
#[tauri::command]
pub async fn edit_patient(
    state: State<'_, Shared>,
    patient_id: i64,
    given_name: String,
    family_name: String,
    birth_date: String,
) -> AppResult<PatientRow> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            let patient = state.engine.validate_patient_on(
                &json!({
                    "given_name": given_name,
                    "family_name": family_name,
                    "birth_date": birth_date,
                }),
                Local::now().date_naive(),
            )?;
            Ok(s.store.edit_patient(
                patient_id,
                &patient.given_name,
                &patient.family_name,
                patient.birth_date,
            )?)
        })
    })
    .await
}
