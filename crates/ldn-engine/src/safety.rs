//! The safety invariant of screening-contract.md §4 as a check on the data: whatever a clinic
//! edits in `rules.toml` or the medicine table, screening must never give the intake date as
//! the start while an opioid may still be in the body. Probe intakes, built from the contract's
//! own question ids and from every opioid in the table, are screened; a rule set that lets any
//! of them start on the intake date, or calls any of them "no contraindication found", is
//! refused like any other inconsistent data.
//!
//! The property test in `tests/safety.rs` checks the same promise over generated intakes.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::answers::{AnswerValue, Intake, Language, MedicationLine, Patient, ANSWERS_FORMAT};
use crate::contract::CONTRACT_QUESTIONS;
use crate::error::Problem;
use crate::medicines::OPIOID;
use crate::summary::{MedicationStatus, Verdict};
use crate::Engine;

/// A line no table can hold: it must be treated as a possible long-acting opioid.
const UNKNOWN_LINE: &str = "qqxz unknown remedy";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every contract question with a fixed answer set answered with its "no" (or "none").
fn harmless_answers() -> BTreeMap<String, AnswerValue> {
    CONTRACT_QUESTIONS
        .iter()
        .filter_map(|(id, values)| {
            let values = (*values)?;
            let no = ["no", "none"].into_iter().find(|v| values.contains(v))?;
            Some(((*id).to_owned(), AnswerValue::Choice(no.to_owned())))
        })
        .collect()
}

struct Probe {
    what: String,
    intake: Intake,
}

fn probe(
    what: String,
    answers: BTreeMap<String, AnswerValue>,
    line: Option<MedicationLine>,
) -> Probe {
    Probe {
        what,
        intake: Intake {
            format: ANSWERS_FORMAT.to_owned(),
            intake_date: date(2026, 3, 2),
            language: Language::En,
            patient: Patient {
                given_name: "Probe".into(),
                family_name: "Safety".into(),
                birth_date: date(1970, 1, 1),
                sex_at_birth: None,
            },
            answers,
            medications: line.into_iter().collect(),
            incomplete_reason: None,
            partial_items: BTreeMap::new(),
        },
    }
}

fn probes(engine: &Engine) -> Vec<Probe> {
    let base = harmless_answers();
    let intake_date = date(2026, 3, 2);
    let mut probes = Vec::new();
    // Opioid answers: yes, unsure or unanswered, with nothing on the list to explain them.
    for id in [
        "opioid.current",
        "opioid.moud",
        "opioid.withdrawal_symptoms",
    ] {
        for value in [Some("yes"), Some("unsure"), None] {
            let mut answers = base.clone();
            match value {
                Some(v) => answers.insert(id.to_owned(), AnswerValue::Choice(v.to_owned())),
                None => answers.remove(id),
            };
            probes.push(probe(format!("{id} {value:?}"), answers, None));
        }
    }
    for v in ["yes", "unsure"] {
        let id = "opioid.depot_buprenorphine_12mo";
        let mut answers = base.clone();
        answers.insert(id.to_owned(), AnswerValue::Choice(v.to_owned()));
        probes.push(probe(format!("{id} \"{v}\""), answers, None));
    }
    // Lines: every opioid in the table, every depot or street product, and an unknown word,
    // still taken and taken yesterday; depots also a year ago.
    let table = engine.medicines();
    let mut lines: Vec<String> = table
        .ingredients()
        .iter()
        .filter(|i| i.has_class(OPIOID))
        .map(|i| i.name.clone())
        .collect();
    lines.extend(table.flagged_products().map(str::to_owned));
    lines.push(UNKNOWN_LINE.to_owned());
    for name in lines {
        let read = table.recognize(&name).result;
        let opioid = read.classes.iter().any(|c| c == OPIOID);
        if !opioid && read.status != MedicationStatus::Unrecognized {
            continue;
        }
        let mut dates = vec![None, intake_date.checked_sub_days(Days::new(1))];
        if read.depot {
            dates.push(intake_date.checked_sub_days(Days::new(365)));
        }
        for last_taken in dates {
            probes.push(probe(
                format!("the line \"{name}\" (last taken {last_taken:?})"),
                base.clone(),
                Some(MedicationLine {
                    name: name.clone(),
                    last_taken,
                }),
            ));
        }
    }
    probes
}

/// Problems with the data: each probe intake that the rules would let start on its intake date.
pub(crate) fn start_hold_problems(engine: &Engine) -> Vec<Problem> {
    probes(engine)
        .into_iter()
        .filter_map(|p| {
            let summary = engine.screen(&p.intake);
            let starts_today = summary.earliest_start == Some(p.intake.intake_date);
            let cleared = summary.verdict == Verdict::NoContraindicationFound;
            (starts_today || cleared).then(|| Problem {
                place: "rules.toml".into(),
                message: format!(
                    "safety: {} {} — an opioid may still be in the body (screening-contract.md §4); a rule must hold the start date",
                    p.what,
                    if starts_today {
                        "gives the intake date as the start"
                    } else {
                        "gives \"no contraindication found\""
                    }
                ),
            })
        })
        .collect()
}
