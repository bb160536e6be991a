//! Completing an intake: the point where it is screened for the clinician. An intake completed
//! with required questions unanswered screens as "incomplete — cannot screen" (contract
//! revision 2), and whoever completes it must say why; the reason is then part of the record.

use crate::error::InvalidAnswers;
use crate::{Engine, Intake, Summary};

impl Engine {
    /// Screens an intake being completed. With required questions open it needs the reason
    /// the staff gave (`incomplete_reason`), or it is refused, naming that field; with none
    /// open a reason is not kept.
    pub fn complete(&self, mut intake: Intake) -> Result<(Intake, Summary), InvalidAnswers> {
        let open = self.questionnaire.missing_required(&intake.answers);
        if open.is_empty() {
            intake.incomplete_reason = None;
        } else if intake.incomplete_reason.is_none() {
            return Err(InvalidAnswers::single(
                "incomplete_reason",
                match open.len() {
                    1 => "1 required question is not answered. Say why the intake is completed without it, or go back and ask it.".to_owned(),
                    n => format!("{n} required questions are not answered. Say why the intake is completed without them, or go back and ask them."),
                },
            ));
        }
        let summary = self.screen(&intake);
        Ok((intake, summary))
    }
}
