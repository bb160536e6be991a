//! PHQ-9 and AUDIT-C totals. Item ranges are checked when the answers are parsed.

use crate::answers::Intake;
use crate::summary::Scores;

pub const PHQ9: &str = "mh.phq9";
pub const AUDIT_C: &str = "alcohol.audit_c";

pub fn score(intake: &Intake) -> Scores {
    let total = |id: &str| intake.answer(id).and_then(|a| a.item_total());
    Scores {
        phq9: total(PHQ9),
        audit_c: total(AUDIT_C),
    }
}
