//! Clinician sign-off: a decision on a completed version, guarded where it goes against the
//! screening.

use ldn_engine::{ChosenPlan, Engine, FieldError, PlanName, Summary};
use ldn_store::{Decision, SignoffRow};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use super::{blocking, Shared};
use crate::error::{AppError, AppResult};
use crate::session::Access;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignOff {
    pub version_id: i64,
    pub decision: Decision,
    pub note: String,
    /// The dose plan to start with; required to start, absent otherwise.
    pub plan: Option<PlanName>,
    /// The clinician confirms a decision that goes against the screening.
    #[serde(default)]
    pub confirm_against: bool,
}

/// The decisions that go against this screening (data/rules.toml `[signoff]`).
pub(crate) fn decisions_against(engine: &Engine, summary: &Summary) -> Vec<Decision> {
    Decision::ALL
        .into_iter()
        .filter(|d| {
            engine
                .rules()
                .signoff
                .against(summary, d.as_str())
                .is_some()
        })
        .collect()
}

/// A decision against the screening needs a note saying why and a ticked confirmation; both
/// are asked for at once.
fn check_against(engine: &Engine, summary: &Summary, signoff: &SignOff) -> AppResult<()> {
    let Some(why) = engine
        .rules()
        .signoff
        .against(summary, signoff.decision.as_str())
    else {
        return Ok(());
    };
    let mut refused = Vec::new();
    if signoff.note.trim().is_empty() {
        refused.push(FieldError::new(
            "note",
            format!("Write why you make this decision: {why}."),
        ));
    }
    if !signoff.confirm_against {
        refused.push(FieldError::new(
            "confirm_against",
            "Tick the box to confirm a decision that goes against the screening.",
        ));
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(refused))
    }
}

#[tauri::command]
pub async fn sign_off(state: State<'_, Shared>, signoff: SignOff) -> AppResult<Vec<SignoffRow>> {
    blocking(&state, move |state| {
        state.with(Access::Staff, |s| {
            if signoff.note.chars().count() > 2000 {
                return Err(AppError::invalid(
                    "note",
                    "The note is too long: keep it under 2,000 characters.",
                ));
            }
            let (intake_id, version) = s.store.version(signoff.version_id)?;
            let summary = version.summary.as_ref().ok_or_else(|| {
                AppError::invalid("version_id", "Only a completed intake can be signed off.")
            })?;
            check_against(&state.engine, summary, &signoff)?;
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
            Ok(s.store.signoffs(intake_id)?)
        })
    })
    .await
}
