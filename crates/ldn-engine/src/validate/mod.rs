//! Parsing and validation of an answers document. Every bad value is reported with the field
//! it sits in; nothing is guessed or defaulted.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

use crate::answers::{AnswerValue, Intake, Language, MedicationLine, Patient, Sex, ANSWERS_FORMAT};
use crate::error::{FieldError, InvalidAnswers};
use crate::questionnaire::Questionnaire;

mod items;
use items::{check_prefills, parse_partial_items};

/// Oldest birth date accepted, relative to the intake date.
const MAX_AGE_YEARS: i32 = 130;
const MAX_NAME_CHARS: usize = 200;
const MAX_REASON_CHARS: usize = 500;

/// Collects field errors while walking the JSON.
struct Checker<'q> {
    questionnaire: &'q Questionnaire,
    errors: Vec<FieldError>,
}

impl Checker<'_> {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn unknown_keys(&mut self, prefix: &str, obj: &Map<String, Value>, known: &[&str]) {
        for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
            let field = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            self.fail(field, "is not a field of ldn-intake/answers@1");
        }
    }

    fn string(&mut self, obj: &Map<String, Value>, key: &str, field: &str) -> Option<String> {
        match obj.get(key) {
            None => {
                self.fail(field, "is required");
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.fail(field, "must be text");
                None
            }
        }
    }

    fn name(&mut self, obj: &Map<String, Value>, key: &str, field: &str) -> Option<String> {
        self.line_of_text(obj, key, field, MAX_NAME_CHARS)
    }

    /// Text on one line, trimmed, not empty, at most `max` characters.
    fn line_of_text(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        field: &str,
        max: usize,
    ) -> Option<String> {
        let s = self.string(obj, key, field)?;
        let trimmed = s.trim();
        if trimmed.is_empty() {
            self.fail(field, "must not be empty");
            None
        } else if trimmed.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
            None
        } else if trimmed.chars().any(char::is_control) {
            self.fail(field, "must not contain control characters");
            None
        } else {
            Some(trimmed.to_owned())
        }
    }

    fn date(&mut self, raw: &Value, field: &str) -> Option<NaiveDate> {
        let parsed = raw.as_str().and_then(parse_iso_date);
        if parsed.is_none() {
            self.fail(
                field,
                format!("must be a real date written YYYY-MM-DD, not {raw}"),
            );
        }
        parsed
    }

    fn required_date(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        field: &str,
    ) -> Option<NaiveDate> {
        match obj.get(key) {
            None => {
                self.fail(field, "is required");
                None
            }
            Some(raw) => self.date(raw, field),
        }
    }
}

/// Strict ISO date: four-digit year, two-digit month and day, a date that exists.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses and validates an answers document. All errors are returned together.
pub(crate) fn parse(questionnaire: &Questionnaire, json: &str) -> Result<Intake, InvalidAnswers> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        InvalidAnswers::single(
            "(file)",
            format!(
                "is not valid JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    validate(questionnaire, &value)
}

pub(crate) fn validate(
    questionnaire: &Questionnaire,
    value: &Value,
) -> Result<Intake, InvalidAnswers> {
    let mut c = Checker {
        questionnaire,
        errors: Vec::new(),
    };
    let Some(root) = value.as_object() else {
        return Err(InvalidAnswers::single("(file)", "must be a JSON object"));
    };
    c.unknown_keys(
        "",
        root,
        &[
            "format",
            "intake_date",
            "language",
            "patient",
            "answers",
            "medications",
            "incomplete_reason",
            "partial_items",
        ],
    );

    match root.get("format").and_then(Value::as_str) {
        Some(ANSWERS_FORMAT) => {}
        _ => c.fail("format", format!("must be \"{ANSWERS_FORMAT}\"")),
    }
    let intake_date = c.required_date(root, "intake_date", "intake_date");
    let language = match root.get("language").and_then(Value::as_str) {
        Some("en") => Some(Language::En),
        Some("es") => Some(Language::Es),
        _ => {
            c.fail("language", "must be \"en\" or \"es\"");
            None
        }
    };
    let patient = parse_patient(&mut c, root.get("patient"), intake_date);
    let answers = parse_answers(&mut c, root.get("answers"));
    let medications = parse_medications(&mut c, root.get("medications"), intake_date);
    let partial_items = parse_partial_items(&mut c, root.get("partial_items"), answers.as_ref());
    let incomplete_reason = match root.get("incomplete_reason") {
        None | Some(Value::Null) => None,
        Some(_) => c.line_of_text(
            root,
            "incomplete_reason",
            "incomplete_reason",
            MAX_REASON_CHARS,
        ),
    };

    match (intake_date, language, patient, answers, medications) {
        (Some(intake_date), Some(language), Some(patient), Some(answers), Some(medications))
            if c.errors.is_empty() =>
        {
            Ok(Intake {
                format: ANSWERS_FORMAT.to_owned(),
                intake_date,
                language,
                patient,
                answers,
                medications,
                incomplete_reason,
                partial_items,
            })
        }
        _ => Err(InvalidAnswers { errors: c.errors }),
    }
}

/// A patient block alone (a correction to the record), checked as in an answers document on
/// `today`: a birth date may not be later.
pub(crate) fn validate_patient(
    questionnaire: &Questionnaire,
    value: &Value,
    today: NaiveDate,
) -> Result<Patient, InvalidAnswers> {
    let mut c = Checker {
        questionnaire,
        errors: Vec::new(),
    };
    match parse_patient(&mut c, Some(value), Some(today)) {
        Some(p) if c.errors.is_empty() => Ok(p),
        _ => Err(InvalidAnswers { errors: c.errors }),
    }
}

fn parse_patient(
    c: &mut Checker,
    raw: Option<&Value>,
    intake_date: Option<NaiveDate>,
) -> Option<Patient> {
    let Some(obj) = raw.and_then(Value::as_object) else {
        c.fail("patient", "is required and must be an object");
        return None;
    };
    c.unknown_keys(
        "patient",
        obj,
        &["given_name", "family_name", "birth_date", "sex_at_birth"],
    );
    let given_name = c.name(obj, "given_name", "patient.given_name");
    let family_name = c.name(obj, "family_name", "patient.family_name");
    let birth_date = c.required_date(obj, "birth_date", "patient.birth_date");
    if let (Some(birth), Some(intake)) = (birth_date, intake_date) {
        if birth > intake {
            c.fail(
                "patient.birth_date",
                format!("{birth} is after the intake date {intake}"),
            );
        } else if intake.year() - birth.year() > MAX_AGE_YEARS {
            c.fail(
                "patient.birth_date",
                format!("{birth} would make the patient older than {MAX_AGE_YEARS}"),
            );
        }
    }
    let sex_at_birth = match obj.get("sex_at_birth") {
        None => Some(None),
        Some(v) => match v.as_str() {
            Some("female") => Some(Some(Sex::Female)),
            Some("male") => Some(Some(Sex::Male)),
            Some("unknown") => Some(Some(Sex::Unknown)),
            _ => {
                c.fail(
                    "patient.sex_at_birth",
                    "must be \"female\", \"male\" or \"unknown\"",
                );
                None
            }
        },
    };
    Some(Patient {
        given_name: given_name?,
        family_name: family_name?,
        birth_date: birth_date?,
        sex_at_birth: sex_at_birth?,
    })
}

fn parse_answers(c: &mut Checker, raw: Option<&Value>) -> Option<BTreeMap<String, AnswerValue>> {
    let Some(obj) = raw.and_then(Value::as_object) else {
        c.fail("answers", "is required and must be an object");
        return None;
    };
    let mut answers = BTreeMap::new();
    for (id, raw_value) in obj {
        let field = format!("answers.{id}");
        let Some(question) = c.questionnaire.question(id) else {
            c.fail(field, "is not a known question id");
            continue;
        };
        match c.questionnaire.parse_value(question, raw_value) {
            Ok(v) => {
                answers.insert(id.clone(), v);
            }
            Err(message) => c.fail(field, message),
        }
    }
    check_prefills(c, &answers);
    Some(answers)
}

fn parse_medications(
    c: &mut Checker,
    raw: Option<&Value>,
    intake_date: Option<NaiveDate>,
) -> Option<Vec<MedicationLine>> {
    let Some(items) = raw.and_then(Value::as_array) else {
        c.fail(
            "medications",
            "is required and must be a list (it may be empty)",
        );
        return None;
    };
    let entry = &c.questionnaire.medication_entry;
    let (max_lines, max_len) = (entry.max_lines, entry.max_name_length);
    if items.len() > max_lines {
        c.fail(
            "medications",
            format!("must hold at most {max_lines} lines"),
        );
        return None;
    }
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("medications[{i}]");
        let Some(obj) = item.as_object() else {
            c.fail(
                prefix,
                "must be an object with \"name\" and optional \"last_taken\"",
            );
            continue;
        };
        c.unknown_keys(&prefix, obj, &["name", "last_taken"]);
        let name_field = format!("{prefix}.name");
        let name = c.string(obj, "name", &name_field).and_then(|s| {
            let s = s.trim().to_owned();
            if !s.chars().any(char::is_alphanumeric) {
                c.fail(&name_field, "must name a medicine");
                None
            } else if s.chars().count() > max_len {
                c.fail(&name_field, format!("must be at most {max_len} characters"));
                None
            } else if s.chars().any(char::is_control) {
                c.fail(&name_field, "must not contain control characters");
                None
            } else {
                Some(s)
            }
        });
        let date_field = format!("{prefix}.last_taken");
        let last_taken = match obj.get("last_taken") {
            None | Some(Value::Null) => Some(None),
            Some(raw) => match c.date(raw, &date_field) {
                Some(d) if intake_date.is_some_and(|intake| d > intake) => {
                    c.fail(&date_field, format!("{d} is after the intake date"));
                    None
                }
                Some(d) => Some(Some(d)),
                None => None,
            },
        };
        if let (Some(name), Some(last_taken)) = (name, last_taken) {
            lines.push(MedicationLine { name, last_taken });
        }
    }
    Some(lines)
}
