//! What the rules read: the intake, each medicine line as understood with its washout, the
//! scores and the unanswered required questions. Built once per screening.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::answers::Intake;
use crate::medicines::{MedicineTable, OPIOID};
use crate::questionnaire::Questionnaire;
use crate::rules::WashoutDays;
use crate::scores;
use crate::summary::{MedicationResult, MedicationStatus, Scores};

/// Where a medicine line that may hold a systemic opioid stands in its washout on the intake
/// date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WashoutState {
    /// No last dose given: still being taken.
    Taking,
    /// Last dose less than the washout period before the intake date.
    Running,
    /// `intake_date >= last_taken + N`.
    Ended,
    /// A depot or implant: no washout can be computed from the last dose.
    Depot,
}

#[derive(Debug, Clone)]
pub struct Washout {
    pub state: WashoutState,
    pub days: u32,
    /// `last_taken + days`; `None` while still taking, and for a depot.
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct LineFacts {
    pub result: MedicationResult,
    pub ingredients: Vec<usize>,
    /// Present for lines containing a systemic opioid (not the opioid antidiarrheals) and for
    /// lines not recognised, which might be long-acting opioids.
    pub washout: Option<Washout>,
}

impl LineFacts {
    pub fn has_class(&self, class: &str, table: &MedicineTable) -> bool {
        self.ingredients
            .iter()
            .any(|&i| table.ingredient(i).has_class(class))
    }

    pub fn has_ingredient(&self, name: &str, table: &MedicineTable) -> bool {
        self.ingredients
            .iter()
            .any(|&i| table.ingredient(i).name == name)
    }

    /// Still taken, or last taken at most `days` days before the intake date.
    pub fn taken_within(&self, days: u32, intake_date: NaiveDate) -> bool {
        self.result
            .last_taken
            .is_none_or(|last| (intake_date - last).num_days() <= i64::from(days))
    }
}

pub struct Facts<'a> {
    pub intake: &'a Intake,
    /// Sorted by input text, so that the order the lines were typed in changes nothing.
    pub lines: Vec<LineFacts>,
    pub scores: Scores,
    pub missing: Vec<String>,
}

impl<'a> Facts<'a> {
    pub fn gather(
        intake: &'a Intake,
        questionnaire: &Questionnaire,
        table: &MedicineTable,
        washout_days: &WashoutDays,
    ) -> Facts<'a> {
        let mut lines: Vec<LineFacts> = intake
            .medications
            .iter()
            .map(|line| {
                let recognition = table.recognize(&line.name);
                let mut result = recognition.result;
                result.last_taken = line.last_taken;
                let unrecognized = result.status == MedicationStatus::Unrecognized;
                let opioid = result.classes.iter().any(|c| c == OPIOID);
                let washout = (opioid || unrecognized).then(|| {
                    if result.depot {
                        return Washout {
                            state: WashoutState::Depot,
                            days: 0,
                            end: None,
                        };
                    }
                    washout_for(
                        line.last_taken,
                        result.long_acting || unrecognized,
                        intake.intake_date,
                        washout_days,
                    )
                });
                LineFacts {
                    result,
                    ingredients: recognition.ingredients,
                    washout,
                }
            })
            .collect();
        lines.sort_by(|a, b| {
            (
                a.result.input.to_lowercase(),
                &a.result.input,
                a.result.last_taken,
            )
                .cmp(&(
                    b.result.input.to_lowercase(),
                    &b.result.input,
                    b.result.last_taken,
                ))
        });
        Facts {
            intake,
            lines,
            scores: scores::score(intake),
            missing: questionnaire.missing_required(&intake.answers),
        }
    }

    /// Whether a question has an answer; blank text counts as none.
    pub fn answered(&self, id: &str) -> bool {
        match self.intake.answer(id) {
            None => false,
            Some(crate::answers::AnswerValue::Text(s)) => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    /// A PHQ-9 item (1-based), if the PHQ-9 was answered.
    pub fn phq9_item(&self, item: usize) -> Option<u8> {
        let items = self.intake.answer(scores::PHQ9)?.as_items()?;
        items.get(item.checked_sub(1)?).copied()
    }
}

fn washout_for(
    last_taken: Option<NaiveDate>,
    long_acting: bool,
    intake_date: NaiveDate,
    days: &WashoutDays,
) -> Washout {
    let days = if long_acting {
        days.long_acting_days
    } else {
        days.short_acting_days
    };
    match last_taken {
        None => Washout {
            state: WashoutState::Taking,
            days,
            end: None,
        },
        Some(last) => {
            // Dates are validated to lie within a few centuries, so this cannot overflow; if
            // it ever did, the washout would be treated as still running, the cautious side.
            let end = last.checked_add_days(Days::new(u64::from(days)));
            let state = match end {
                Some(end) if intake_date >= end => WashoutState::Ended,
                _ => WashoutState::Running,
            };
            Washout { state, days, end }
        }
    }
}
