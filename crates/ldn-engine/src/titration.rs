//! Titration plans: a clinic's protocol laid out as dated steps from a start date.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Doses outside this range are not low-dose naltrexone (clinical-notes.md: 0.5–4.5 mg,
/// sometimes up to 6 mg).
const DOSE_RANGE_MG: (f64, f64) = (0.1, 6.0);
const MAX_STEP_DAYS: u32 = 180;
const MAX_STEPS: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TitrationStep {
    pub dose_mg: f64,
    /// How long this dose is taken; absent on the last step, which goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TitrationProtocol {
    pub steps: Vec<TitrationStep>,
}

/// One step of a plan with its dates; `until` is the last day of the step (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedStep {
    pub dose_mg: f64,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The two named plans of `data/titration.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundledPlans {
    standard: TitrationProtocol,
    low_start: TitrationProtocol,
}

fn bundled() -> Option<BundledPlans> {
    toml::from_str(include_str!("../../../data/titration.toml")).ok()
}

/// The fallback if the bundled file did not parse: one step, the usual first dose. The file is
/// part of the build and checked by a test, so a broken edit fails that test first.
fn single_step(dose_mg: f64) -> TitrationProtocol {
    TitrationProtocol {
        steps: vec![TitrationStep {
            dose_mg,
            days: None,
        }],
    }
}

/// Which of the clinic's plans: the standard one, or the low start for sensitive patients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PlanName {
    Standard,
    LowStart,
}

/// The plan a clinician chose for a patient, with its steps as they were when chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChosenPlan {
    pub plan: PlanName,
    pub protocol: TitrationProtocol,
    /// Who chose it, as printed ("Dr Sam Lee"); absent when the clinic chose it as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_by: Option<String>,
}

impl TitrationProtocol {
    /// The standard plan from `data/titration.toml`: 1.5 → 3 → 4.5 mg.
    pub fn standard() -> TitrationProtocol {
        bundled().map_or_else(|| single_step(1.5), |p| p.standard)
    }

    /// The low-start plan from `data/titration.toml`: 0.5 mg, rising weekly.
    pub fn low_start() -> TitrationProtocol {
        bundled().map_or_else(|| single_step(0.5), |p| p.low_start)
    }

    /// Checks the protocol; the error names the step (`titration.steps[1].days`).
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(FieldError::new(
                "titration.steps",
                format!("must have 1 to {MAX_STEPS} steps"),
            ));
        }
        let last = self.steps.len() - 1;
        for (i, step) in self.steps.iter().enumerate() {
            let field = format!("titration.steps[{i}]");
            let (min, max) = DOSE_RANGE_MG;
            if !step.dose_mg.is_finite() || step.dose_mg < min || step.dose_mg > max {
                return Err(FieldError::new(
                    format!("{field}.dose_mg"),
                    format!("must be between {min} and {max} mg"),
                ));
            }
            match (i == last, step.days) {
                (true, Some(_)) => {
                    return Err(FieldError::new(
                        format!("{field}.days"),
                        "the last step goes on: leave its days out",
                    ))
                }
                (false, None) => {
                    return Err(FieldError::new(format!("{field}.days"), "is required"))
                }
                (false, Some(d)) if d == 0 || d > MAX_STEP_DAYS => {
                    return Err(FieldError::new(
                        format!("{field}.days"),
                        format!("must be 1 to {MAX_STEP_DAYS}"),
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The steps by day number (day 1 is the first dose), for a plan whose start date is not
    /// yet known: `(dose_mg, first_day, last_day)`, the last step without a last day.
    pub fn day_ranges(&self) -> Vec<(f64, u32, Option<u32>)> {
        let mut first = 1;
        self.steps
            .iter()
            .map(|step| {
                let last = step.days.map(|d| first + d.saturating_sub(1));
                let range = (step.dose_mg, first, last);
                first = last.map_or(first, |l| l + 1);
                range
            })
            .collect()
    }

    /// The steps with real dates from `start`. Call [`Self::validate`] first; an invalid
    /// protocol gives an empty plan.
    pub fn plan(&self, start: NaiveDate) -> Vec<PlannedStep> {
        if self.validate().is_err() {
            return Vec::new();
        }
        let mut from = start;
        let mut plan = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let until = step
                .days
                .and_then(|d| from.checked_add_days(Days::new(u64::from(d) - 1)));
            plan.push(PlannedStep {
                dose_mg: step.dose_mg,
                from,
                until,
            });
            match until.and_then(|u| u.succ_opt()) {
                Some(next) => from = next,
                None => break,
            }
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_plans_are_the_data_file() {
        let plans: BundledPlans =
            toml::from_str(include_str!("../../../data/titration.toml")).unwrap();
        assert_eq!(plans.standard, TitrationProtocol::standard());
        assert_eq!(plans.low_start, TitrationProtocol::low_start());
        assert!(plans.standard.validate().is_ok() && plans.low_start.validate().is_ok());
        assert_eq!(TitrationProtocol::low_start().steps[0].dose_mg, 0.5);
    }

    #[test]
    fn plan_has_real_dates() {
        let start = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let plan = TitrationProtocol::standard().plan(start);
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(plan.len(), 3);
        assert_eq!((plan[0].from, plan[0].until), (d(3, 10), Some(d(3, 23))));
        assert_eq!((plan[1].from, plan[1].until), (d(3, 24), Some(d(4, 6))));
        assert_eq!(
            (plan[2].from, plan[2].until, plan[2].dose_mg),
            (d(4, 7), None, 4.5)
        );
    }

    #[test]
    fn day_ranges_number_the_days() {
        assert_eq!(
            TitrationProtocol::standard().day_ranges(),
            vec![(1.5, 1, Some(14)), (3.0, 15, Some(28)), (4.5, 29, None)]
        );
    }

    #[test]
    fn bad_protocols_name_the_step() {
        let bad =
            |steps: Vec<TitrationStep>| TitrationProtocol { steps }.validate().unwrap_err().field;
        let s = |dose_mg, days| TitrationStep { dose_mg, days };
        assert_eq!(bad(vec![]), "titration.steps");
        assert_eq!(bad(vec![s(50.0, None)]), "titration.steps[0].dose_mg");
        assert_eq!(
            bad(vec![s(1.5, None), s(3.0, None)]),
            "titration.steps[0].days"
        );
        assert_eq!(
            bad(vec![s(1.5, Some(7)), s(3.0, Some(7))]),
            "titration.steps[1].days"
        );
        assert_eq!(
            bad(vec![s(1.5, Some(0)), s(3.0, None)]),
            "titration.steps[0].days"
        );
    }
}
