//! The answers file, `ldn-intake/answers@1` (screening-contract.md §1), as validated.
//! Validation itself is in `validate.rs`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub const ANSWERS_FORMAT: &str = "ldn-intake/answers@1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Es,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Unknown,
}

impl Sex {
    /// The value an answers file writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Patient {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex_at_birth: Option<Sex>,
}

/// One validated answer; its shape follows the question's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum AnswerValue {
    Choice(String),
    Number(f64),
    Text(String),
    Items(Vec<u8>),
    Choices(Vec<String>),
}

impl AnswerValue {
    pub fn as_choice(&self) -> Option<&str> {
        match self {
            AnswerValue::Choice(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            AnswerValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_items(&self) -> Option<&[u8]> {
        match self {
            AnswerValue::Items(v) => Some(v),
            _ => None,
        }
    }

    pub fn item_total(&self) -> Option<u32> {
        self.as_items()
            .map(|items| items.iter().map(|&v| u32::from(v)).sum())
    }

    /// How the value reads in a clinician's text.
    pub fn display(&self) -> String {
        match self {
            AnswerValue::Choice(s) | AnswerValue::Text(s) => s.clone(),
            AnswerValue::Number(n) => format!("{n}"),
            AnswerValue::Items(v) => v.iter().map(u8::to_string).collect::<Vec<_>>().join(", "),
            AnswerValue::Choices(v) => v.join(", "),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MedicationLine {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_taken: Option<NaiveDate>,
}

/// A validated intake. Build it with [`crate::Engine::parse_answers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Intake {
    pub format: String,
    pub intake_date: NaiveDate,
    pub language: Language,
    pub patient: Patient,
    pub answers: BTreeMap<String, AnswerValue>,
    pub medications: Vec<MedicationLine>,
    /// Added field: why the intake was completed with required questions unanswered, as the
    /// staff member gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub incomplete_reason: Option<String>,
    /// Added field: the items chosen so far on a scale question (PHQ-9, AUDIT-C) not yet
    /// answered in full, `null` where none is chosen, so a draft keeps every choice. The
    /// screening reads only full answers: a scale here is still unanswered.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(as = "Option<BTreeMap<String, Vec<Option<u8>>>>", optional)
    )]
    pub partial_items: BTreeMap<String, Vec<Option<u8>>>,
}

impl Intake {
    pub fn answer(&self, id: &str) -> Option<&AnswerValue> {
        self.answers.get(id)
    }

    pub fn choice(&self, id: &str) -> Option<&str> {
        self.answer(id).and_then(AnswerValue::as_choice)
    }

    /// Whole years of age on the intake date.
    pub fn age_years(&self) -> u32 {
        let birth = self.patient.birth_date;
        let on = self.intake_date;
        let mut years = on.year() - birth.year();
        if (on.month(), on.day()) < (birth.month(), birth.day()) {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }
}
