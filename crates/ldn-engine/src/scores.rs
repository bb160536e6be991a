//! PHQ-9, PHQ-2 and AUDIT-C totals. Item ranges are checked when the answers are parsed.

use crate::answers::Intake;
use crate::summary::Scores;

pub const PHQ9: &str = "mh.phq9";
pub const PHQ2: &str = "mh.phq2";
pub const AUDIT_C: &str = "alcohol.audit_c";

pub fn score(intake: &Intake) -> Scores {
    let total = |id: &str| intake.answer(id).and_then(|a| a.item_total());
    let phq9_first_two = intake
        .answer(PHQ9)
        .and_then(|a| a.as_items())
        .map(|items| items.iter().take(2).map(|&v| u32::from(v)).sum());
    Scores {
        phq9: total(PHQ9),
        audit_c: total(AUDIT_C),
        phq2: phq9_first_two.or_else(|| total(PHQ2)),
    }
}
