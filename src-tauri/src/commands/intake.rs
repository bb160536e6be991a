//! Patients and intakes: start, autosave each answer, complete, sign off, look back.

use chrono::Local;
use ldn_engine::{
    ChosenPlan, Engine, Intake, MedicationResult, PlanName, Questionnaire, Summary, ANSWERS_FORMAT,
};
use ldn_store::{
    Decision, DocumentRow, IntakeDetail, IntakeListRow, PatientRow, SignoffRow, VersionStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tauri::State;
use ts_rs::TS;

use super::{blocking, Shared};
use crate::error::{AppError, AppResult};
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
}

/// What the form needs after each save: which questions are asked now, which required ones
/// are still open, and how each medicine line was understood.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FormState {
    pub visible: Vec<String>,
    pub missing: Vec<String>,
    pub medications: Vec<MedicationResult>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Saved {
    pub intake_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub status: VersionStatus,
    pub form: FormState,
    /// The answers document as saved.
    pub intake: Intake,
    /// Present once the intake is completed.
    pub summary: Option<Summary>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IntakeView {
    pub detail: IntakeDetail,
    pub signoffs: Vec<SignoffRow>,
    pub documents: Vec<DocumentRow>,
    /// The latest version's answers, ready to go on editing.
    pub latest: Saved,
}

pub(crate) fn form_state(engine: &Engine, intake: &Intake) -> FormState {
    let q = engine.questionnaire();
    FormState {
        visible: q
            .questions
            .iter()
            .filter(|question| q.is_shown(question, &intake.answers))
            .map(|question| question.id.clone())
            .collect(),
        missing: q.missing_required(&intake.answers),
        medications: intake
            .medications
            .iter()
            .map(|m| engine.lookup(&m.name))
            .collect(),
    }
}

#[tauri::command]
pub async fn questionnaire(state: State<'_, Shared>) -> AppResult<Questionnaire> {
    state.with(Access::Anyone, |_| Ok(()))?;
    Ok(state.engine.questionnaire().clone())
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

/// Drafts not completed yet, so work interrupted by a crash or a closed window is found again.
#[tauri::command]
pub async fn unfinished_intakes(state: State<'_, Shared>) -> AppResult<Vec<IntakeListRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            Ok(s.store
                .list_intakes()?
                .into_iter()
                .filter(|r| r.status == VersionStatus::Draft)
                .collect())
        })
    })
    .await
}

/// Validates the answers document, screens it when `complete`, and saves it as a new
/// version of `intake_id` (a new intake when none). The intake date of an existing intake is
/// the store's, never the page's: a document without one gets it, and the store refuses one
/// that differs (screening-contract.md §4).
fn validate_and_save(
    engine: &Engine,
    store: &mut ldn_store::Store,
    doc: &Value,
    intake_id: Option<i64>,
    complete: bool,
) -> AppResult<Saved> {
    let mut doc = doc.clone();
    if let (Some(id), Some(fields)) = (intake_id, doc.as_object_mut()) {
        if !fields.contains_key("intake_date") {
            fields.insert(
                "intake_date".into(),
                json!(store.intake_date(id)?.to_string()),
            );
        }
    }
    let intake = engine.validate_answers(&doc)?;
    let summary = complete.then(|| engine.screen(&intake));
    let saved = store.save_intake(&intake, summary.as_ref(), intake_id)?;
    Ok(Saved {
        intake_id: saved.intake_id,
        version_id: saved.version_id,
        version: saved.version,
        status: saved.status,
        form: form_state(engine, &intake),
        intake,
        summary,
    })
}

#[tauri::command]
pub async fn start_intake(state: State<'_, Shared>, patient: NewIntake) -> AppResult<Saved> {
    blocking(&state, move |state| {
        let mut person = json!({
            "given_name": patient.given_name.trim(),
            "family_name": patient.family_name.trim(),
            "birth_date": patient.birth_date.trim(),
        });
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
        state.with(Access::Staff, |s| {
            validate_and_save(&state.engine, &mut s.store, &doc, None, false)
        })
    })
    .await
}

/// Saves the answers as a new draft version. Refused answers are named by field and nothing
/// is saved; the caller keeps the last good document.
#[tauri::command]
pub async fn save_draft(state: State<'_, Shared>, intake_id: i64, doc: Value) -> AppResult<Saved> {
    blocking(&state, move |state| {
        state.with(Access::Intake(intake_id), |s| {
            validate_and_save(&state.engine, &mut s.store, &doc, Some(intake_id), false)
        })
    })
    .await
}

/// Screens the answers and saves them with the summary shown.
#[tauri::command]
pub async fn complete_intake(
    state: State<'_, Shared>,
    intake_id: i64,
    doc: Value,
) -> AppResult<Saved> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            validate_and_save(&state.engine, &mut s.store, &doc, Some(intake_id), true)
        })
    })
    .await
}

#[tauri::command]
pub async fn open_intake(state: State<'_, Shared>, intake_id: i64) -> AppResult<IntakeView> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            let detail = s.store.show_intake(intake_id)?;
            let last = detail.versions.last().ok_or_else(no_version)?;
            let latest = Saved {
                intake_id,
                version_id: last.version_id,
                version: last.version,
                status: last.status,
                form: form_state(&state.engine, &last.answers),
                intake: last.answers.clone(),
                summary: last.summary.clone(),
            };
            Ok(IntakeView {
                signoffs: s.store.signoffs(intake_id)?,
                documents: s.store.documents(intake_id)?,
                detail,
                latest,
            })
        })
    })
    .await
}

fn no_version() -> AppError {
    AppError::new(
        crate::error::ErrorKind::Missing,
        "This intake has no saved version.",
    )
}

/// What a patient filling in their own intake sees: their answers so far, and nothing of the
/// record around them. It has no place for a summary, sign-offs or documents.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SelfEntryView {
    pub intake_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub form: FormState,
    pub intake: Intake,
}

#[tauri::command]
pub async fn open_self_entry(state: State<'_, Shared>, intake_id: i64) -> AppResult<SelfEntryView> {
    blocking(&state, move |state| {
        state.with(Access::Intake(intake_id), |s| {
            let detail = s.store.show_intake(intake_id)?;
            let last = detail.versions.into_iter().last().ok_or_else(no_version)?;
            if last.status != VersionStatus::Draft {
                return Err(AppError::not_allowed(
                    "This intake is complete. Please hand the computer back to the staff.",
                ));
            }
            Ok(SelfEntryView {
                intake_id,
                version_id: last.version_id,
                version: last.version,
                form: form_state(&state.engine, &last.answers),
                intake: last.answers,
            })
        })
    })
    .await
}

#[tauri::command]
pub async fn suggest_medicines(state: State<'_, Shared>, typed: String) -> AppResult<Vec<String>> {
    state.with(Access::Anyone, |_| Ok(()))?;
    Ok(state.engine.suggest(&typed, 8))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignOff {
    pub version_id: i64,
    pub decision: Decision,
    pub note: String,
    /// The dose plan to start with; required to start, absent otherwise.
    pub plan: Option<PlanName>,
}

#[tauri::command]
pub async fn sign_off(state: State<'_, Shared>, signoff: SignOff) -> AppResult<Vec<SignoffRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            if signoff.note.chars().count() > 2000 {
                return Err(AppError::invalid("note", "must be at most 2000 characters"));
            }
            // The plan's steps are the clinic's as they are now, kept with the sign-off.
            let chosen = match signoff.plan {
                None => None,
                Some(plan) => {
                    let settings = s.store.settings()?;
                    Some(ChosenPlan {
                        plan,
                        protocol: match plan {
                            PlanName::Standard => settings.titration,
                            PlanName::LowStart => settings.low_start_titration,
                        },
                        chosen_by: None,
                    })
                }
            };
            s.store.sign_off(
                signoff.version_id,
                signoff.decision,
                signoff.note.trim(),
                chosen.as_ref(),
            )?;
            let (intake_id, _) = s.store.version(signoff.version_id)?;
            Ok(s.store.signoffs(intake_id)?)
        })
    })
    .await
}
