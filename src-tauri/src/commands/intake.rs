//! Intakes: autosave each answer, complete, open, the worklists, patient self-entry.

use ldn_engine::{Engine, Finding, Intake, MedicationResult, Questionnaire, Summary};
use ldn_store::{
    Decision, DocumentRow, IntakeDetail, IntakeFilter, IntakeListRow, SignoffRow, VersionStatus,
};
use serde::Serialize;
use serde_json::{json, Value};
use tauri::State;
use ts_rs::TS;

use super::{blocking, Shared};
use crate::error::{AppError, AppResult};
use crate::session::Access;

/// What the form needs after each save: which questions are asked now, which required ones
/// are still open, and how each medicine line was understood.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FormState {
    pub visible: Vec<String>,
    pub missing: Vec<String>,
    pub medications: Vec<FormLine>,
    /// Urgent findings the answers so far already raise (thoughts of self-harm): shown the
    /// moment the answer is given, not at completion.
    pub urgent: Vec<Finding>,
}

/// One medicine line as the engine read it, and whether the form asks its last dose.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FormLine {
    #[serde(flatten)]
    #[ts(flatten)]
    pub result: MedicationResult,
    pub asks_last_dose: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Saved {
    pub intake_id: i64,
    pub patient_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub status: VersionStatus,
    pub form: FormState,
    /// The answers document as saved.
    pub intake: Intake,
    /// Present once the intake is completed.
    pub summary: Option<Summary>,
    /// The engine's word on whether any start date can be promised (`Summary::no_start_for_now`:
    /// a contraindication no wait resolves, or one with no date to give); false for a draft.
    pub no_start_for_now: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IntakeView {
    pub detail: IntakeDetail,
    pub signoffs: Vec<SignoffRow>,
    pub documents: Vec<DocumentRow>,
    /// The latest version's answers, ready to go on editing.
    pub latest: Saved,
    /// The sign-off decisions that go against the latest version's screening: they need a
    /// note and a confirmation.
    pub against: Vec<Decision>,
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
            .map(|m| {
                let result = engine.lookup(&m.name);
                FormLine {
                    asks_last_dose: q.medication_entry.asks_last_dose(&result),
                    result,
                }
            })
            .collect(),
        urgent: engine
            .screen(intake)
            .findings
            .into_iter()
            .filter(|f| f.urgent)
            .collect(),
    }
}

#[tauri::command]
pub async fn questionnaire(state: State<'_, Shared>) -> AppResult<Questionnaire> {
    state.with(Access::Anyone, |_| Ok(()))?;
    Ok(state.engine.questionnaire().clone())
}

/// Drafts not completed yet, so work interrupted by a crash or a closed window is found again.
#[tauri::command]
pub async fn unfinished_intakes(state: State<'_, Shared>) -> AppResult<Vec<IntakeListRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            Ok(s.store.worklist(IntakeFilter::Unfinished)?)
        })
    })
    .await
}

/// Screened intakes no clinician has signed off yet, urgent ones first: the clinician's list.
#[tauri::command]
pub async fn awaiting_signoff(state: State<'_, Shared>) -> AppResult<Vec<IntakeListRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            Ok(s.store.worklist(IntakeFilter::AwaitingSignoff)?)
        })
    })
    .await
}

/// A save that completes the intake (and screens it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Completion<'a> {
    /// Why it is completed with required questions unanswered, as the staff member said.
    pub incomplete_reason: Option<&'a str>,
}

/// Validates the answers document, screens it when it is a `completion`, and saves it as a
/// new version of `intake_id` (a new intake when none). The intake date of an existing intake
/// is the store's, never the page's: a document without one gets it, and the store refuses
/// one that differs (screening-contract.md §4). A completion with required questions open
/// needs a reason, which the intake then keeps.
pub(super) fn validate_and_save(
    engine: &Engine,
    store: &mut ldn_store::Store,
    doc: &Value,
    intake_id: Option<i64>,
    completion: Option<Completion>,
) -> AppResult<Saved> {
    let mut doc = doc.clone();
    if let Some(fields) = doc.as_object_mut() {
        // An intake belongs to one patient for good, and who they are is the record's: a name
        // or birth date corrected there is carried by every later save of their intakes.
        if let Some(id) = intake_id {
            let record = store.patient_of_intake(id)?;
            if let Some(patient) = fields.get_mut("patient").and_then(Value::as_object_mut) {
                patient.insert("given_name".into(), json!(record.given_name));
                patient.insert("family_name".into(), json!(record.family_name));
                patient.insert("birth_date".into(), json!(record.birth_date));
            }
        }
        if let Some(id) = intake_id.filter(|_| !fields.contains_key("intake_date")) {
            fields.insert(
                "intake_date".into(),
                json!(store.intake_date(id)?.to_string()),
            );
        }
        // The reason belongs to one completion, never to a draft or to the page's copy: the
        // engine checks it like any other text.
        fields.remove("incomplete_reason");
        // Typed in a box of several lines: kept as one line of words.
        if let Some(reason) = completion
            .and_then(|c| c.incomplete_reason)
            .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|r| !r.is_empty())
        {
            fields.insert("incomplete_reason".into(), json!(reason));
        }
    }
    let intake = engine.validate_answers(&doc)?;
    let (intake, summary) = match completion {
        Some(_) => engine.complete(intake).map(|(i, s)| (i, Some(s)))?,
        None => (intake, None),
    };
    let saved = store.save_intake(&intake, summary.as_ref(), intake_id)?;
    Ok(Saved {
        intake_id: saved.intake_id,
        patient_id: saved.patient_id,
        version_id: saved.version_id,
        version: saved.version,
        status: saved.status,
        form: form_state(engine, &intake),
        intake,
        no_start_for_now: summary.as_ref().is_some_and(Summary::no_start_for_now),
        summary,
    })
}

/// Saves the answers as a new draft version. Refused answers are named by field and nothing
/// is saved; the caller keeps the last good document.
#[tauri::command]
pub async fn save_draft(state: State<'_, Shared>, intake_id: i64, doc: Value) -> AppResult<Saved> {
    blocking(&state, move |state| {
        state.with(Access::Intake(intake_id), |s| {
            validate_and_save(&state.engine, &mut s.store, &doc, Some(intake_id), None)
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
    incomplete_reason: Option<String>,
) -> AppResult<Saved> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            let completion = Completion {
                incomplete_reason: incomplete_reason.as_deref(),
            };
            validate_and_save(
                &state.engine,
                &mut s.store,
                &doc,
                Some(intake_id),
                Some(completion),
            )
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
            // A draft goes on under the patient's details as the record has them now (a
            // corrected name or birth date); a screened version shows what was screened.
            let mut intake = last.answers.clone();
            if last.summary.is_none() {
                let record = s.store.patient_of_intake(intake_id)?;
                if let Ok(born) = chrono::NaiveDate::parse_from_str(&record.birth_date, "%Y-%m-%d")
                {
                    intake.patient.birth_date = born;
                }
                intake.patient.given_name = record.given_name;
                intake.patient.family_name = record.family_name;
            }
            let latest = Saved {
                intake_id,
                patient_id: detail.patient_id,
                version_id: last.version_id,
                version: last.version,
                status: last.status,
                form: form_state(&state.engine, &intake),
                intake,
                no_start_for_now: last.summary.as_ref().is_some_and(Summary::no_start_for_now),
                summary: last.summary.clone(),
            };
            let against = latest
                .summary
                .as_ref()
                .map(|summary| super::signoff::decisions_against(&state.engine, summary))
                .unwrap_or_default();
            Ok(IntakeView {
                signoffs: s.store.signoffs(intake_id)?,
                documents: s.store.documents(intake_id)?,
                detail,
                latest,
                against,
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
    /// The clinic's paper, which sets how dates are typed (day first on A4): the patient's
    /// view cannot read the settings.
    pub paper: ldn_store::Paper,
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
                paper: s.store.settings()?.paper,
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
