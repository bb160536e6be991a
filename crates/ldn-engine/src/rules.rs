//! The rule set from `data/rules.toml` and how its conditions are evaluated.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::answers::{AnswerValue, Sex};
use crate::facts::{Facts, LineFacts, WashoutState};
use crate::medicines::MedicineTable;
use crate::questionnaire::Localized;
use crate::summary::{Category, Severity, Source};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WashoutDays {
    pub short_acting_days: u32,
    pub long_acting_days: u32,
}

/// How dates are written inside patient texts, per language (a chrono format and locale).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientDates {
    pub format: Localized,
    pub locale: Localized,
}

impl PatientDates {
    pub fn write(&self, date: NaiveDate, language: crate::answers::Language) -> String {
        let locale =
            chrono::Locale::try_from(self.locale.get(language)).unwrap_or(chrono::Locale::en_US);
        date.format_localized(self.format.get(language), locale)
            .to_string()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub format: String,
    pub version: String,
    pub released: NaiveDate,
    pub developer: String,
    pub funding: String,
    pub washout: WashoutDays,
    pub patient_dates: PatientDates,
    /// Answers that call for the clinic's low-start plan without being a finding.
    #[serde(default)]
    pub low_start: Vec<LowStartReason>,
    /// Sign-off decisions that need a reason and a confirmation.
    pub signoff: crate::signoff::SignoffPolicy,
    pub sources: BTreeMap<String, Source>,
    pub rules: Vec<Rule>,
}

/// Why the engine proposes the low-start plan, and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LowStartReason {
    pub because: String,
    pub when: Condition,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    /// The clinician must see the patient the same day.
    #[serde(default)]
    pub urgent: bool,
    /// How this finding holds back the earliest start date; absent: it does not.
    #[serde(default)]
    pub holds_start: Option<StartHold>,
    /// While this finding stands the engine proposes the clinic's low-start plan.
    #[serde(default)]
    pub low_start: bool,
    pub when: Condition,
    pub title: String,
    pub detail: String,
    pub action: String,
    pub patient_text: Localized,
    pub sources: Vec<String>,
    pub reviewed: NaiveDate,
    /// The patient data the rule reads (ONC 45 CFR 170.315(b)(11) source attributes).
    pub uses: Vec<String>,
}

/// How a finding holds back the earliest start date (screening-contract.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartHold {
    /// No start date can be known while the finding stands.
    Unknown,
    /// Not before the medicine line's washout ends; unknown while it is still taken or when
    /// no washout can be computed (a depot).
    WashoutEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreName {
    Phq9,
    /// PHQ-9 items 1 and 2.
    Phq2,
    AuditC,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The answer to `question` is one of `in` (for a multi-choice question: any chosen one is).
    Answer {
        question: String,
        #[serde(rename = "in")]
        values: Vec<String>,
    },
    /// A numeric answer in `[at_least, below)`; unanswered never holds.
    Number {
        question: String,
        #[serde(default)]
        at_least: Option<f64>,
        #[serde(default)]
        below: Option<f64>,
    },
    Score {
        score: ScoreName,
        at_least: u32,
    },
    /// One PHQ-9 item (1-based).
    Phq9Item {
        item: usize,
        at_least: u8,
    },
    /// Sex at birth; an absent answer counts as `unknown`.
    Sex {
        #[serde(rename = "in")]
        values: Vec<Sex>,
    },
    AgeUnder {
        years: u32,
    },
    /// The question has no answer (or only blank text).
    Unanswered {
        question: String,
    },
    /// The question has an answer (blank text does not count).
    Answered {
        question: String,
    },
    /// At least `at_least` (default 1) medicine lines contain an ingredient of `class`, or the
    /// named `ingredient`; with `taken_within_days`, only lines still taken or last taken at
    /// most that many days before the intake date count.
    HasMedicine {
        #[serde(default)]
        class: Option<String>,
        #[serde(default)]
        ingredient: Option<String>,
        #[serde(default)]
        taken_within_days: Option<u32>,
        #[serde(default = "one")]
        at_least: usize,
    },
    All {
        of: Vec<Condition>,
    },
    Any {
        of: Vec<Condition>,
    },
    Not {
        of: Box<Condition>,
    },
    /// One finding per medicine line with an ingredient of `class` (optionally only those used
    /// for opioid use disorder, only those bought on the street or not, or only in the given
    /// washout states).
    Medicine {
        class: String,
        #[serde(default)]
        moud: Option<bool>,
        #[serde(default)]
        street: Option<bool>,
        #[serde(default)]
        washout: Option<Vec<WashoutState>>,
    },
    /// One finding per medicine line that was not recognised.
    UnrecognizedMedicine,
    /// One finding listing the required questions left unanswered.
    UnansweredRequired,
}

fn one() -> usize {
    1
}

/// What a rule produces findings about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// At most one finding, from the answers.
    Intake,
    /// One finding per matching medicine line.
    EachMedicine,
    /// At most one finding, naming the unanswered questions.
    Unanswered,
}

impl Condition {
    pub fn subject(&self) -> Subject {
        match self {
            Condition::Medicine { .. } | Condition::UnrecognizedMedicine => Subject::EachMedicine,
            Condition::UnansweredRequired => Subject::Unanswered,
            _ => Subject::Intake,
        }
    }

    /// Conditions nested inside this one (for checks).
    pub fn children(&self) -> Vec<&Condition> {
        match self {
            Condition::All { of } | Condition::Any { of } => of.iter().collect(),
            Condition::Not { of } => vec![of.as_ref()],
            _ => Vec::new(),
        }
    }

    /// Whether an intake-level condition holds. Per-line kinds never hold here.
    pub(crate) fn holds(&self, facts: &Facts, table: &MedicineTable) -> bool {
        let intake = facts.intake;
        match self {
            Condition::Answer { question, values } => match intake.answer(question) {
                Some(AnswerValue::Choice(v)) => values.contains(v),
                Some(AnswerValue::Choices(chosen)) => chosen.iter().any(|v| values.contains(v)),
                _ => false,
            },
            Condition::Number {
                question,
                at_least,
                below,
            } => intake
                .answer(question)
                .and_then(|a| a.as_number())
                .is_some_and(|n| {
                    at_least.is_none_or(|min| n >= min) && below.is_none_or(|max| n < max)
                }),
            Condition::Score { score, at_least } => match score {
                ScoreName::Phq9 => facts.scores.phq9,
                ScoreName::Phq2 => facts.scores.phq2,
                ScoreName::AuditC => facts.scores.audit_c,
            }
            .is_some_and(|s| s >= *at_least),
            Condition::Phq9Item { item, at_least } => {
                facts.phq9_item(*item).is_some_and(|v| v >= *at_least)
            }
            Condition::Sex { values } => {
                let sex = intake.patient.sex_at_birth.unwrap_or(Sex::Unknown);
                values.contains(&sex)
            }
            Condition::AgeUnder { years } => intake.age_years() < *years,
            Condition::Unanswered { question } => !facts.answered(question),
            Condition::Answered { question } => facts.answered(question),
            Condition::HasMedicine {
                class,
                ingredient,
                taken_within_days,
                at_least,
            } => {
                let count = facts
                    .lines
                    .iter()
                    .filter(|l| {
                        class.as_deref().is_none_or(|c| l.has_class(c, table))
                            && ingredient
                                .as_deref()
                                .is_none_or(|name| l.has_ingredient(name, table))
                            && taken_within_days
                                .is_none_or(|days| l.taken_within(days, intake.intake_date))
                    })
                    .count();
                count >= *at_least
            }
            Condition::All { of } => of.iter().all(|c| c.holds(facts, table)),
            Condition::Any { of } => of.iter().any(|c| c.holds(facts, table)),
            Condition::Not { of } => !of.holds(facts, table),
            Condition::Medicine { .. }
            | Condition::UnrecognizedMedicine
            | Condition::UnansweredRequired => false,
        }
    }

    /// Whether a per-line condition matches this medicine line.
    pub(crate) fn matches_line(&self, line: &LineFacts, table: &MedicineTable) -> bool {
        match self {
            Condition::Medicine {
                class,
                moud,
                street,
                washout,
            } => {
                let class_and_moud = line.ingredients.iter().any(|&i| {
                    let ingredient = table.ingredient(i);
                    ingredient.has_class(class) && moud.is_none_or(|m| ingredient.moud == m)
                }) && street.is_none_or(|s| line.result.street == s);
                let washout_ok = match washout {
                    None => true,
                    Some(states) => line
                        .washout
                        .as_ref()
                        .is_some_and(|w| states.contains(&w.state)),
                };
                class_and_moud && washout_ok
            }
            Condition::UnrecognizedMedicine => {
                line.result.status == crate::summary::MedicationStatus::Unrecognized
            }
            _ => false,
        }
    }

    /// The class a per-line condition selects, for naming the matching ingredients.
    pub(crate) fn line_class(&self) -> Option<&str> {
        match self {
            Condition::Medicine { class, .. } => Some(class),
            _ => None,
        }
    }
}
