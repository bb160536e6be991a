//! The questionnaire from `data/questionnaire.toml`: what each answer id accepts and when it is
//! asked. Validation of answer values lives here so the app and the CLI give the same messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::answers::AnswerValue;
use crate::summary::{MedicationResult, MedicationStatus};

/// Text in each handout language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    pub es: String,
}

impl Localized {
    pub fn get(&self, language: crate::answers::Language) -> &str {
        match language {
            crate::answers::Language::En => &self.en,
            crate::answers::Language::Es => &self.es,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: String,
    pub label: Localized,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ScaleOption {
    pub value: u8,
    pub label: Localized,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OptionSet {
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    TriState,
    Choice,
    MultiChoice,
    Number,
    Text,
    ItemScale,
}

/// When a question is asked. Absent: always.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged, deny_unknown_fields)]
pub enum ShownWhen {
    Answer {
        question: String,
        #[serde(rename = "in")]
        values: Vec<String>,
    },
    ItemsSum {
        items_sum: String,
        at_least: u32,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub section: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    #[serde(default)]
    pub required: bool,
    /// No longer asked; an answer to it in an older answers file is still read.
    #[serde(default)]
    pub retired: bool,
    pub text: Localized,
    #[serde(default)]
    pub help: Option<Localized>,
    #[serde(default)]
    pub shown_when: Option<ShownWhen>,
    /// Choice and multi-choice answers; tri-state questions use the `tri_state` option set.
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Item-scale questions: the number of items, the shared stem, each item's text, the scale.
    #[serde(default)]
    pub items: Option<usize>,
    #[serde(default)]
    pub stem: Option<Localized>,
    #[serde(default)]
    pub item_text: Vec<Localized>,
    #[serde(default)]
    pub scale: Vec<ScaleOption>,
    /// Item-scale questions whose items each have their own answers (AUDIT-C: "never",
    /// "monthly or less"…): one scale per item, in place of `scale`.
    #[serde(default)]
    pub item_scales: Vec<Vec<ScaleOption>>,
    #[serde(default)]
    pub prefilled_from: Option<String>,
    /// LOINC codes of a standard instrument (PHQ-9, AUDIT-C), for records sent to an EHR.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub loinc: Option<LoincCodes>,
}

/// The LOINC codes of a scale: the panel of its items and its total score.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LoincCodes {
    #[serde(default)]
    pub panel: Option<String>,
    #[serde(default)]
    pub total: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: Localized,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MedicationEntry {
    /// The heading of the medicine list where a form shows it as its own part (a FHIR form).
    pub title: Localized,
    pub name_label: Localized,
    pub name_help: Localized,
    pub last_taken_label: Localized,
    pub last_taken_help: Localized,
    pub last_taken_shown_for: Vec<String>,
    pub max_lines: usize,
    pub max_name_length: usize,
}

impl MedicationEntry {
    /// Whether the form asks this line's last dose: its ingredients are of a class the data
    /// names ("opioid": systemic opioids, not the gut-acting ones, which have no washout), or
    /// it was not recognised and the data asks for those too.
    pub fn asks_last_dose(&self, line: &MedicationResult) -> bool {
        self.last_taken_shown_for.iter().any(|kind| {
            if kind == UNRECOGNIZED {
                line.status == MedicationStatus::Unrecognized
            } else {
                line.classes.contains(kind)
            }
        })
    }
}

/// The `last_taken_shown_for` entry for lines the medicine table does not recognise.
pub const UNRECOGNIZED: &str = "unrecognized";

/// The words for the patient's own details where a form asks them itself (a FHIR form filled
/// on a portal); the app takes them from the patient's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PatientEntry {
    pub title: Localized,
    pub given_name: Localized,
    pub family_name: Localized,
    pub birth_date: Localized,
    pub sex_at_birth: Localized,
    /// One option for each value an answers file accepts: female, male, unknown.
    pub sex_options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub format: String,
    /// How many days answers keep: the questions ask about the last 14 days, so answers given
    /// elsewhere and imported later than this are asked again.
    pub answers_valid_days: u32,
    pub option_sets: BTreeMap<String, OptionSet>,
    pub patient_entry: PatientEntry,
    pub medication_entry: MedicationEntry,
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
}

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The answers a tri-state, choice or multi-choice question offers, with their words.
    pub fn options<'a>(&'a self, q: &'a Question) -> &'a [AnswerOption] {
        match q.kind {
            QuestionType::TriState => self
                .option_sets
                .get("tri_state")
                .map(|s| s.options.as_slice())
                .unwrap_or_default(),
            _ => q.options.as_slice(),
        }
    }

    /// The values a tri-state, choice or multi-choice question accepts.
    pub fn allowed_values<'a>(&'a self, q: &'a Question) -> Vec<&'a str> {
        self.options(q).iter().map(|o| o.value.as_str()).collect()
    }

    /// Checks one raw JSON value against its question; the message does not repeat the field.
    pub fn parse_value(&self, q: &Question, raw: &Value) -> Result<AnswerValue, String> {
        match q.kind {
            QuestionType::TriState | QuestionType::Choice => {
                let allowed = self.allowed_values(q);
                match raw.as_str() {
                    Some(s) if allowed.contains(&s) => Ok(AnswerValue::Choice(s.to_owned())),
                    _ => Err(format!("must be one of {}", quoted_list(&allowed))),
                }
            }
            QuestionType::MultiChoice => {
                let allowed = self.allowed_values(q);
                let Some(items) = raw.as_array() else {
                    return Err(format!("must be a list of {}", quoted_list(&allowed)));
                };
                let mut values: Vec<String> = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) if allowed.contains(&s) => {
                            if values.iter().any(|v| v == s) {
                                return Err(format!("item {} repeats \"{s}\"", i + 1));
                            }
                            values.push(s.to_owned());
                        }
                        _ => {
                            return Err(format!(
                                "item {} must be one of {}",
                                i + 1,
                                quoted_list(&allowed)
                            ))
                        }
                    }
                }
                Ok(AnswerValue::Choices(values))
            }
            QuestionType::Number => {
                let Some(n) = raw.as_f64().filter(|n| n.is_finite()) else {
                    return Err("must be a number".into());
                };
                let min = q.min.unwrap_or(f64::MIN);
                let max = q.max.unwrap_or(f64::MAX);
                if n < min || n > max {
                    return Err(format!("must be between {min} and {max}, not {n}"));
                }
                Ok(AnswerValue::Number(n))
            }
            QuestionType::Text => {
                let Some(s) = raw.as_str() else {
                    return Err("must be text".into());
                };
                let limit = q.max_length.unwrap_or(2000);
                if s.chars().count() > limit {
                    return Err(format!("must be at most {limit} characters"));
                }
                Ok(AnswerValue::Text(s.to_owned()))
            }
            QuestionType::ItemScale => Ok(AnswerValue::Items(
                parse_items(q, raw, false)?.into_iter().flatten().collect(),
            )),
        }
    }

    /// Whether a question is asked, given the answers so far.
    pub fn is_shown(&self, q: &Question, answers: &BTreeMap<String, AnswerValue>) -> bool {
        if q.retired {
            return false;
        }
        match &q.shown_when {
            None => true,
            Some(ShownWhen::Answer { question, values }) => answers
                .get(question)
                .and_then(AnswerValue::as_choice)
                .is_some_and(|v| values.iter().any(|x| x == v)),
            Some(ShownWhen::ItemsSum {
                items_sum,
                at_least,
            }) => answers
                .get(items_sum)
                .and_then(AnswerValue::item_total)
                .is_some_and(|total| total >= *at_least),
        }
    }

    /// Required questions that are asked but not answered, in questionnaire order.
    pub fn missing_required(&self, answers: &BTreeMap<String, AnswerValue>) -> Vec<String> {
        self.questions
            .iter()
            .filter(|q| q.required && !answers.contains_key(&q.id) && self.is_shown(q, answers))
            .map(|q| q.id.clone())
            .collect()
    }
}

/// The items of a scale question (PHQ-9, AUDIT-C): every one a whole number in range, or, for
/// the items chosen so far in a draft (`partial`), `null` where none is chosen yet.
pub(crate) fn parse_items(
    q: &Question,
    raw: &Value,
    partial: bool,
) -> Result<Vec<Option<u8>>, String> {
    let count = q.items.unwrap_or(0);
    let min = q.min.unwrap_or(0.0) as u8;
    let max = q.max.unwrap_or(0.0) as u8;
    let shape = if partial {
        format!("must be a list of {count} items, each null or a whole number from {min} to {max}")
    } else {
        format!("must be a list of {count} whole numbers from {min} to {max}")
    };
    let Some(items) = raw.as_array() else {
        return Err(shape);
    };
    if items.len() != count {
        return Err(format!("{shape}; it has {}", items.len()));
    }
    let mut values = Vec::with_capacity(count);
    for (i, item) in items.iter().enumerate() {
        match item.as_u64() {
            Some(v) if v >= u64::from(min) && v <= u64::from(max) => values.push(Some(v as u8)),
            None if partial && item.is_null() => values.push(None),
            _ => return Err(format!("item {} {shape}, not {item}", i + 1)),
        }
    }
    Ok(values)
}

pub(crate) fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
