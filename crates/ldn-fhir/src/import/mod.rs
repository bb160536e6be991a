//! Answers from a QuestionnaireResponse filled in elsewhere (a portal, a tablet form) against
//! our Questionnaire. The response is turned into an answers file and checked by the engine
//! like any other, so what does not fit gets the same field-named messages; what only a
//! response can get wrong (an item the form does not have, a value of the wrong type) is
//! named by its linkId.

use chrono::NaiveDate;
use ldn_engine::{Engine, FieldError, Intake, InvalidAnswers, ANSWERS_FORMAT};
use serde_json::{json, Value};

use crate::codes::*;

mod items;

use items::Reader;

/// Reads a QuestionnaireResponse (JSON text) into a checked intake.
pub fn import(engine: &Engine, json: &str) -> Result<Intake, InvalidAnswers> {
    let value: Value = serde_json::from_str(json).map_err(|e| InvalidAnswers {
        errors: vec![FieldError::new("(file)", format!("is not JSON: {e}"))],
    })?;
    engine.validate_answers(&answers_from_response(engine, &value)?)
}

/// The answers file (`ldn-intake/answers@1`, not yet checked) a QuestionnaireResponse holds.
/// The app uses it to put the patient's record in place of the response's own details.
pub fn answers_from_response(engine: &Engine, response: &Value) -> Result<Value, InvalidAnswers> {
    let mut reader = Reader::new(engine);
    let Some(root) = response.as_object() else {
        return Err(single("(file)", "must be a JSON object"));
    };
    if root.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        return Err(single("resourceType", "must be \"QuestionnaireResponse\""));
    }
    let canonical = root.get("questionnaire").and_then(Value::as_str);
    if canonical.and_then(|c| c.split('|').next()) != Some(QUESTIONNAIRE_URL) {
        reader.fail(
            "questionnaire",
            format!("must name the LDN Intake questionnaire, {QUESTIONNAIRE_URL}"),
        );
    }
    match root.get("status").and_then(Value::as_str) {
        Some("completed" | "in-progress" | "amended") => {}
        _ => reader.fail(
            "status",
            "must be \"completed\", \"in-progress\" or \"amended\"",
        ),
    }
    // The intake date is the day the answers were given, in the form's own time zone.
    let intake_date = match root.get("authored").and_then(Value::as_str) {
        Some(authored) if authored.len() >= 10 && authored.is_char_boundary(10) => {
            Value::from(&authored[..10])
        }
        _ => {
            reader.fail("authored", "is required: it gives the intake date");
            Value::Null
        }
    };
    // A form that does not say its language is read as English; the handout's language can
    // be changed before printing.
    let language = match root.get("language").and_then(Value::as_str) {
        None => "en",
        Some(tag) => match tag
            .split('-')
            .next()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("en") => "en",
            Some("es") => "es",
            _ => {
                reader.fail("language", "must be English (en) or Spanish (es)");
                "en"
            }
        },
    };
    match root.get("item") {
        None => {}
        Some(Value::Array(items)) => reader.read(items),
        Some(_) => reader.fail("item", "must be a list"),
    }
    let (answers, partial_items) = reader.scales_into_answers(engine);
    let mut file = json!({
        "format": ANSWERS_FORMAT,
        "intake_date": intake_date,
        "language": language,
        "patient": Value::Object(reader.patient),
        "answers": Value::Object(answers),
        "medications": Value::Array(reader.medications),
    });
    if !partial_items.is_empty() {
        file["partial_items"] = Value::Object(partial_items);
    }
    let reason = root
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(EXT_INCOMPLETE_REASON))
        .and_then(|e| e.get("valueString"));
    if let Some(reason) = reason {
        file["incomplete_reason"] = reason.clone();
    }
    if reader.errors.is_empty() {
        Ok(file)
    } else {
        Err(InvalidAnswers {
            errors: reader.errors,
        })
    }
}

fn single(field: &str, message: &str) -> InvalidAnswers {
    InvalidAnswers {
        errors: vec![FieldError::new(field, message)],
    }
}

/// Answers given elsewhere are screened as of the day they were given. That day may not be
/// after `today` (every washout would look finished), nor so long ago that the questions'
/// own window ("in the last 14 days") no longer covers today: such answers are asked again.
pub fn check_answered_on(
    engine: &Engine,
    answered: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    let window = engine.questionnaire().answers_valid_days;
    if answered > today {
        return Err(FieldError::new(
            "authored",
            format!("{answered} is after today ({today})"),
        ));
    }
    if (today - answered).num_days() > i64::from(window) {
        return Err(FieldError::new(
            "authored",
            format!(
                "the answers were given on {answered}, more than {window} days ago; the questions ask about the last {window} days, so ask them again"
            ),
        ));
    }
    Ok(())
}
