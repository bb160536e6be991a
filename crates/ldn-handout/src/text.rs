//! The words of the documents, from `data/handout/<language>.toml`, and how dates and doses
//! are written in each language.

use chrono::{Locale, NaiveDate};
use ldn_engine::Language;
use serde::Deserialize;

use crate::HandoutError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoutText {
    pub title: String,
    pub prepared_for: String,
    pub about_heading: String,
    pub about: Vec<String>,
    pub before_heading: String,
    pub before_intro: String,
    pub before_none: String,
    pub start_heading: String,
    pub start_ok: String,
    pub start_review: String,
    pub start_after_washout: String,
    pub start_no: String,
    pub start_declined: String,
    pub read_if_started: String,
    pub start_unknown: String,
    pub start_held: String,
    pub calendar_heading: String,
    pub calendar_intro: String,
    pub calendar_columns: Vec<String>,
    pub calendar_ongoing: String,
    pub calendar_day: String,
    pub calendar_undated: String,
    pub calendar_chosen: String,
    pub calendar_chosen_by_clinic: String,
    pub calendar_clinic_sets: String,
    pub plan_standard: String,
    pub plan_low_start: String,
    pub how_heading: String,
    pub how: Vec<String>,
    pub side_heading: String,
    pub side_intro: String,
    pub side_columns: Vec<String>,
    pub side_rows: Vec<Vec<String>>,
    pub avoid_heading: String,
    pub avoid_intro: String,
    pub avoid: Vec<String>,
    pub overdose: String,
    pub ask_first_heading: String,
    pub ask_first: Vec<String>,
    pub avoid_ask: String,
    pub alcohol_heading: String,
    pub alcohol: String,
    pub surgery_heading: String,
    pub surgery: Vec<String>,
    pub call_heading: String,
    pub call_clinic: String,
    pub call_clinic_unknown: String,
    pub clinic_details_missing: String,
    pub call_clinic_items: Vec<String>,
    pub liver_heading: String,
    pub liver_items: Vec<String>,
    pub call_emergency: String,
    pub call_emergency_items: Vec<String>,
    pub crisis: String,
    pub footer: String,
    pub page: String,
    pub dose: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardText {
    pub title: String,
    pub body: String,
    pub patient: String,
    pub clinic: String,
    pub phone: String,
    pub cut: String,
    pub back: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportText {
    pub title: String,
    pub patient: String,
    pub intake: String,
    pub verdict: String,
    pub verdict_contraindicated: String,
    pub verdict_needs_review: String,
    pub verdict_none: String,
    pub urgent: String,
    pub earliest: String,
    pub earliest_unknown: String,
    pub findings_heading: String,
    pub findings_none: String,
    pub severity_contraindicated: String,
    pub severity_caution: String,
    pub severity_monitor: String,
    pub severity_info: String,
    pub why: String,
    pub action: String,
    pub sources: String,
    pub reviewed: String,
    pub meds_heading: String,
    pub meds_columns: Vec<String>,
    pub meds_none: String,
    pub opioid_short: String,
    pub opioid_long: String,
    pub opioid_gut: String,
    pub opioid_street: String,
    pub held_by: String,
    pub holds_start: String,
    pub opioid_depot: String,
    pub not_opioid: String,
    pub still_taking: String,
    pub recognized: String,
    pub unrecognized: String,
    pub scores_heading: String,
    pub scores: String,
    pub not_asked: String,
    pub signature_heading: String,
    pub decision: String,
    pub signature: String,
    /// An electronic sign-off: `{decision}`, `{clinician}`, `{time}`.
    pub signed_decision: String,
    pub signed_note: String,
    pub signed_status: String,
    /// The decisions' names, by id.
    pub decisions: std::collections::BTreeMap<String, String>,
    pub root_fingerprint: String,
    pub root_missing: String,
    pub footer: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub language: String,
    pub locale: String,
    pub date_format: String,
    pub decimal_comma: bool,
    pub handout: HandoutText,
    pub card: CardText,
    /// The clinician summary is written in English only.
    #[serde(default)]
    pub report: Option<ReportText>,
    /// So is the recovery sheet.
    #[serde(default)]
    pub recovery: Option<RecoveryText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryText {
    pub title: String,
    pub printed: String,
    pub intro: String,
    pub key_heading: String,
    pub fingerprint_heading: String,
    pub fingerprint_help: String,
    pub keep_heading: String,
    pub keep: Vec<String>,
    pub footer: String,
}

const EN: &str = include_str!("../../../data/handout/en.toml");
const ES: &str = include_str!("../../../data/handout/es.toml");

impl Texts {
    pub fn load(language: Language) -> Result<Texts, HandoutError> {
        let (file, text) = match language {
            Language::En => ("handout/en.toml", EN),
            Language::Es => ("handout/es.toml", ES),
        };
        toml::from_str(text).map_err(|e| HandoutError::Text {
            file: file.to_owned(),
            message: e.to_string(),
        })
    }

    /// A date in words: "Tuesday, March 10, 2026" / "martes 10 de marzo de 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        let locale = Locale::try_from(self.locale.as_str()).unwrap_or(Locale::en_US);
        date.format_localized(&self.date_format, locale).to_string()
    }

    /// A dose: "1.5 mg" / "1,5 mg".
    pub fn dose(&self, mg: f64) -> String {
        let number = format!("{mg}");
        let number = if self.decimal_comma {
            number.replace('.', ",")
        } else {
            number
        };
        fill(&self.handout.dose, &[("dose", &number)])
    }
}

/// Replaces `{name}` placeholders in one pass, so a value that itself holds braces (a
/// patient's name, say) is never expanded again.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    ldn_engine::fill_template(template, |name| {
        values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    })
}
