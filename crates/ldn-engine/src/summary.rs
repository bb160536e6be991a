//! The screening result, `ldn-intake/summary@1` (screening-contract.md §2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const SUMMARY_FORMAT: &str = "ldn-intake/summary@1";

/// Ordered so that `max()` picks the most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Monitor,
    Caution,
    Contraindicated,
}

/// Ordered so that `max()` picks the most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NoContraindicationFound,
    NeedsReview,
    Contraindicated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Opioid,
    OpioidUseDisorder,
    Withdrawal,
    Hypersensitivity,
    Liver,
    Kidney,
    Pregnancy,
    Breastfeeding,
    MentalHealth,
    SuicideRisk,
    Alcohol,
    DrugInteraction,
    Surgery,
    Age,
    Sleep,
    UnrecognizedMedication,
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Source {
    pub citation: String,
    /// Absent for a source that is not on the web (the project's own clinical notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub category: Category,
    pub title: String,
    pub detail: String,
    pub action: String,
    pub patient_text: String,
    pub sources: Vec<Source>,
    pub reviewed: NaiveDate,
    /// Added field: this finding alone makes the summary urgent.
    #[serde(default)]
    pub urgent: bool,
    /// Added field (revision 2): this finding is why `earliest_start` is later than the intake
    /// date or unknown.
    #[serde(default)]
    pub holds_start: bool,
    /// Added field: `patient_text` in every language, so a handout in another language than
    /// the intake's says the same in the reader's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub patient_texts: Option<crate::questionnaire::Localized>,
    /// Added field: for a rule about one medicine line, that line (its place in the
    /// summary's `medications`), so an export can name the medicine the finding implicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub medication: Option<usize>,
}

impl Finding {
    /// The patient's words in `language`; a summary saved before `patient_texts` has only
    /// the intake's language.
    pub fn patient_text_in(&self, language: crate::answers::Language) -> &str {
        self.patient_texts
            .as_ref()
            .map_or(&self.patient_text, |texts| texts.get(language))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MedicationStatus {
    Recognized,
    Unrecognized,
}

/// How one medicine line was understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MedicationResult {
    pub input: String,
    pub status: MedicationStatus,
    pub ingredients: Vec<String>,
    pub opioid: bool,
    pub long_acting: bool,
    /// Added fields: the table entries matched, the words left over, why a line was not
    /// recognised, the rule classes of its ingredients, and the last dose.
    #[serde(default)]
    pub matched: Vec<String>,
    #[serde(default)]
    pub unmatched: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_taken: Option<NaiveDate>,
    /// Added fields (revision 2): a depot or implant opioid, from which no washout can be
    /// computed; an opioid bought on the street or as a supplement.
    #[serde(default)]
    pub depot: bool,
    #[serde(default)]
    pub street: bool,
    /// Added field: what kind of opioid the line holds, as the rules treat it (none for a line
    /// without one). Whatever shows a line says this, never its own reading of the flags.
    #[serde(default)]
    pub kind: Option<OpioidKind>,
}

/// What kind of opioid a medicine line holds, as the rules treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OpioidKind {
    ShortActing,
    LongActing,
    /// Bought on the street or as a supplement: the long washout and a drug screen.
    Street,
    /// A depot or implant: no washout can be computed.
    Depot,
    /// Only gut-acting opioids (loperamide, diphenoxylate…): no washout.
    Antidiarrheal,
}

impl MedicationResult {
    /// Sets `kind` from the classes and flags; done wherever a result is made or read back.
    pub(crate) fn with_kind(mut self) -> MedicationResult {
        self.kind = self.opioid_kind();
        self
    }

    pub fn opioid_kind(&self) -> Option<OpioidKind> {
        let has = |class: &str| self.classes.iter().any(|c| c == class);
        if has(crate::medicines::OPIOID) {
            Some(if self.depot {
                OpioidKind::Depot
            } else if self.street {
                OpioidKind::Street
            } else if self.long_acting {
                OpioidKind::LongActing
            } else {
                OpioidKind::ShortActing
            })
        } else if has(crate::medicines::OPIOID_ANTIDIARRHEAL) {
            Some(OpioidKind::Antidiarrheal)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Scores {
    pub phq9: Option<u32>,
    pub audit_c: Option<u32>,
    /// Added field: PHQ-9 items 1 and 2 (from the PHQ-2 when the PHQ-9 was not asked).
    #[serde(default)]
    pub phq2: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub format: String,
    pub verdict: Verdict,
    pub urgent: bool,
    pub earliest_start: Option<NaiveDate>,
    pub findings: Vec<Finding>,
    /// Read back with `kind` filled in, so a summary saved before that field says it too.
    #[serde(deserialize_with = "medications_with_kind")]
    pub medications: Vec<MedicationResult>,
    pub scores: Scores,
    pub rules_version: String,
    /// Added field: why the clinic's low-start plan is proposed (empty: the standard plan).
    #[serde(default)]
    pub low_start: Vec<String>,
}

impl Summary {
    /// Whether no start date can be promised: a contraindication that waiting does not resolve
    /// (contraindicated and not holding the date: an allergy, acute hepatitis), or one that
    /// holds the date with no date to give (a depot, methadone treatment).
    pub fn no_start_for_now(&self) -> bool {
        let for_good = self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Contraindicated && !f.holds_start);
        for_good || (self.earliest_start.is_none() && self.verdict == Verdict::Contraindicated)
    }

    /// The contract's verdict: contraindicated if any finding is; else needs review if any is
    /// caution or the summary is urgent; else no contraindication found.
    pub fn verdict_for(findings: &[Finding], urgent: bool) -> Verdict {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Contraindicated) => Verdict::Contraindicated,
            Some(Severity::Caution) => Verdict::NeedsReview,
            _ if urgent => Verdict::NeedsReview,
            _ => Verdict::NoContraindicationFound,
        }
    }
}

fn medications_with_kind<'de, D>(deserializer: D) -> Result<Vec<MedicationResult>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let lines = Vec::<MedicationResult>::deserialize(deserializer)?;
    Ok(lines.into_iter().map(MedicationResult::with_kind).collect())
}
