//! An intake as a QuestionnaireResponse against [`crate::questionnaire`]: the answers in the
//! form's groups, each choice as the coding the form offers, the medicine lines as repeated
//! groups.

use ldn_engine::{AnswerValue, Engine, Intake, Language, Question, QuestionType, Questionnaire};
use serde_json::{json, Map, Value};

use crate::codes::*;
use crate::form::{self, PatientField};
use crate::questionnaire::rules_version_tag;

/// Where the intake stands: completed (the app's completed versions) or still being answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    Completed,
    InProgress,
}

impl ResponseStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            ResponseStatus::Completed => "completed",
            ResponseStatus::InProgress => "in-progress",
        }
    }
}

/// `subject`: a reference to the Patient (a Bundle's `urn:uuid:`); without one the response
/// names the patient only in its own items.
pub fn response(
    engine: &Engine,
    intake: &Intake,
    status: ResponseStatus,
    subject: Option<&str>,
) -> Value {
    let q = engine.questionnaire();
    let language = intake.language;
    let mut items = vec![patient_group(q, intake)];
    for line in &intake.medications {
        let mut line_items = vec![answered(
            form::MEDICATION_NAME,
            &q.medication_entry.name_label,
            language,
            vec![json!({"valueString": line.name})],
        )];
        if let Some(date) = line.last_taken {
            line_items.push(answered(
                form::MEDICATION_LAST_TAKEN,
                &q.medication_entry.last_taken_label,
                language,
                vec![json!({"valueDate": date.to_string()})],
            ));
        }
        items.push(group(
            form::MEDICATIONS_GROUP,
            &q.medication_entry.title,
            language,
            line_items,
        ));
    }
    for section in &q.sections {
        let answers: Vec<Value> = form::questions(q)
            .filter(|question| question.section == section.id)
            .filter_map(|question| question_item(q, question, intake))
            .collect();
        if !answers.is_empty() {
            items.push(group(
                &form::section_link_id(&section.id),
                &section.title,
                language,
                answers,
            ));
        }
    }
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "meta": {"tag": [rules_version_tag(engine.rules_version())]},
        "language": language_code(language),
        "questionnaire": format!("{QUESTIONNAIRE_URL}|{}", engine.rules_version()),
        "status": status.code(),
        "authored": intake.intake_date.to_string(),
        "item": items,
    });
    if let Some(subject) = subject {
        response["subject"] = json!({"reference": subject});
    }
    if let Some(reason) = &intake.incomplete_reason {
        response["extension"] = json!([{"url": EXT_INCOMPLETE_REASON, "valueString": reason}]);
    }
    response
}

pub(crate) fn language_code(language: Language) -> &'static str {
    match language {
        Language::En => "en",
        Language::Es => "es",
    }
}

fn answered(
    link_id: &str,
    text: &ldn_engine::Localized,
    language: Language,
    answers: Vec<Value>,
) -> Value {
    json!({"linkId": link_id, "text": text.get(language), "answer": answers})
}

fn group(
    link_id: &str,
    text: &ldn_engine::Localized,
    language: Language,
    items: Vec<Value>,
) -> Value {
    json!({"linkId": link_id, "text": text.get(language), "item": items})
}

fn patient_group(q: &Questionnaire, intake: &Intake) -> Value {
    let entry = &q.patient_entry;
    let patient = &intake.patient;
    let language = intake.language;
    let mut items = vec![
        answered(
            &PatientField::GivenName.link_id(),
            &entry.given_name,
            language,
            vec![json!({"valueString": patient.given_name})],
        ),
        answered(
            &PatientField::FamilyName.link_id(),
            &entry.family_name,
            language,
            vec![json!({"valueString": patient.family_name})],
        ),
        answered(
            &PatientField::BirthDate.link_id(),
            &entry.birth_date,
            language,
            vec![json!({"valueDate": patient.birth_date.to_string()})],
        ),
    ];
    if let Some(sex) = patient.sex_at_birth {
        let code = sex.as_str();
        if let Some(option) = entry.sex_options.iter().find(|o| o.value == code) {
            items.push(answered(
                &PatientField::SexAtBirth.link_id(),
                &entry.sex_at_birth,
                language,
                vec![json!({"valueCoding": coding(code, option.label.get(language))})],
            ));
        }
    }
    group(form::PATIENT_GROUP, &entry.title, language, items)
}

fn coding(code: &str, display: &str) -> Value {
    json!({"system": ANSWER_SYSTEM, "code": code, "display": display})
}

/// The label of an answer value, as the form offers it.
fn choice_coding(q: &Questionnaire, question: &Question, value: &str, language: Language) -> Value {
    let options = q.options(question);
    let display = options
        .iter()
        .find(|o| o.value == value)
        .map_or(value, |o| o.label.get(language));
    coding(value, display)
}

/// A scale not answered itself whose items another scale carries and answered (an answers
/// file may hold a whole PHQ-9 and no PHQ-2): the form asks those items here only, so they
/// are written here.
fn carried_into(q: &Questionnaire, source: &Question, intake: &Intake) -> Option<Vec<Option<u8>>> {
    let count = source.items?;
    form::questions(q)
        .filter(|other| other.prefilled_from.as_deref() == Some(source.id.as_str()))
        .find_map(|other| match intake.answer(&other.id) {
            Some(AnswerValue::Items(values)) if values.len() >= count => {
                Some(values[..count].iter().copied().map(Some).collect())
            }
            _ => None,
        })
}

fn question_item(q: &Questionnaire, question: &Question, intake: &Intake) -> Option<Value> {
    let language = intake.language;
    if question.kind == QuestionType::ItemScale {
        // A whole scale from the answers; a scale begun in a draft from its partial items.
        let items: Vec<Option<u8>> = match intake.answer(&question.id) {
            Some(AnswerValue::Items(values)) => values.iter().copied().map(Some).collect(),
            _ => match intake.partial_items.get(&question.id) {
                Some(partial) => partial.clone(),
                None => carried_into(q, question, intake)?,
            },
        };
        let answered_items: Vec<Value> = items
            .iter()
            .enumerate()
            .skip(form::carried_items(q, question))
            .filter_map(|(index, value)| {
                let value = (*value)?;
                let scale = question.item_scales.get(index).unwrap_or(&question.scale);
                let display = scale
                    .iter()
                    .find(|o| o.value == value)
                    .map_or(String::new(), |o| o.label.get(language).to_owned());
                Some(answered(
                    &form::scale_item_link_id(&question.id, index),
                    question.item_text.get(index)?,
                    language,
                    vec![json!({"valueCoding": coding(&value.to_string(), &display)})],
                ))
            })
            .collect();
        return (!answered_items.is_empty())
            .then(|| group(&question.id, &question.text, language, answered_items));
    }
    let answers = match intake.answer(&question.id)? {
        // In FHIR an item without answers is unanswered: a multiple choice with nothing
        // chosen travels as not answered.
        AnswerValue::Choices(values) if values.is_empty() => return None,
        AnswerValue::Choice(value) => {
            vec![json!({"valueCoding": choice_coding(q, question, value, language)})]
        }
        AnswerValue::Choices(values) => values
            .iter()
            .map(|value| json!({"valueCoding": choice_coding(q, question, value, language)}))
            .collect(),
        AnswerValue::Number(n) => vec![json!({"valueDecimal": n})],
        AnswerValue::Text(text) => vec![json!({"valueString": text})],
        AnswerValue::Items(_) => return None,
    };
    let mut item = Map::new();
    item.insert("linkId".into(), question.id.clone().into());
    item.insert("text".into(), question.text.get(language).into());
    item.insert("answer".into(), Value::Array(answers));
    Some(Value::Object(item))
}
