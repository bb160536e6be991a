//! Which sign-off decisions go against a screening (`[signoff]` in data/rules.toml). Such a
//! decision is not refused, since the clinician decides, but it needs a written reason and
//! a confirmation, so that it is never made by a slip of the mouse.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::summary::{Summary, Verdict};

/// The decisions a clinician can record, as they are written in data and over IPC.
pub const SIGNOFF_DECISIONS: &[&str] = &["start", "start_with_caution", "do_not_start", "refer"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignoffPolicy {
    /// For each decision, the verdicts it goes against.
    pub against: BTreeMap<String, Vec<Verdict>>,
    /// Decisions to start LDN, which also go against a screening that gives no start date.
    pub starting: Vec<String>,
}

impl SignoffPolicy {
    /// Why `decision` goes against this summary, in words for the clinician; `None` when it
    /// agrees with it.
    pub fn against(&self, summary: &Summary, decision: &str) -> Option<String> {
        if self
            .against
            .get(decision)
            .is_some_and(|verdicts| verdicts.contains(&summary.verdict))
        {
            let verdict = match summary.verdict {
                Verdict::Contraindicated => "contraindicated",
                Verdict::NeedsReview => "needs clinician review",
                Verdict::NoContraindicationFound => "no contraindication found",
            };
            return Some(format!("the screening says {verdict}"));
        }
        if summary.earliest_start.is_none() && self.starting.iter().any(|d| d == decision) {
            return Some("the screening gives no start date".to_owned());
        }
        None
    }

    /// The decisions that go against this summary.
    pub fn decisions_against(&self, summary: &Summary) -> Vec<String> {
        SIGNOFF_DECISIONS
            .iter()
            .filter(|d| self.against(summary, d).is_some())
            .map(|d| (*d).to_owned())
            .collect()
    }
}
