//! The questionnaire as an HL7 SDC Questionnaire (FHIR R4), written from the engine's
//! questionnaire data: sections as groups, each question with its answer codings, its
//! Spanish wording as translation extensions, and its branching as `enableWhen` or, where
//! `enableWhen` cannot say it, as an SDC `enableWhenExpression`.

use ldn_engine::{
    AnswerOption, Engine, Localized, Question, QuestionType, Questionnaire, ShownWhen,
};
use serde_json::{json, Map, Value};

use crate::codes::*;
use crate::form::{self, PatientField};

pub fn questionnaire(engine: &Engine) -> Value {
    let q = engine.questionnaire();
    let mut items = vec![patient_group(q), medications_group(q)];
    for section in &q.sections {
        let questions: Vec<Value> = form::questions(q)
            .filter(|question| question.section == section.id)
            .map(|question| question_item(q, question))
            .collect();
        if questions.is_empty() {
            continue;
        }
        let mut group = item(&form::section_link_id(&section.id), "group", &section.title);
        group.insert("item".into(), Value::Array(questions));
        items.push(Value::Object(group));
    }
    json!({
        "resourceType": "Questionnaire",
        "id": "ldn-intake",
        "meta": {
            "profile": [SDC_QUESTIONNAIRE_PROFILE],
            "tag": [rules_version_tag(engine.rules_version())],
        },
        "language": "en",
        "url": QUESTIONNAIRE_URL,
        "version": engine.rules_version(),
        "name": "LdnIntake",
        "title": "LDN Intake: screening before low-dose naltrexone",
        "_title": translation("Admisión LDN: evaluación antes de la naltrexona en dosis baja"),
        "status": "active",
        "subjectType": ["Patient"],
        "description": "Questions asked before low-dose naltrexone is started: opioids taken \
            (including cough syrups, diarrhea medicines and kratom), liver and kidney disease, \
            pregnancy and breastfeeding, mood and alcohol. Generated from LDN Intake's \
            questionnaire data; the version is the rule set and data digest it was made from.",
        "item": items,
    })
}

/// The `meta.tag` every resource carries: the rule set and data it was made with.
pub(crate) fn rules_version_tag(rules_version: &str) -> Value {
    json!({
        "system": RULES_VERSION_SYSTEM,
        "code": rules_version,
        "display": "LDN Intake rule set and clinical data",
    })
}

/// The `_text`-style sibling of an English string carrying its Spanish wording.
pub(crate) fn translation(es: &str) -> Value {
    json!({
        "extension": [{
            "url": EXT_TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": "es"},
                {"url": "content", "valueString": es},
            ],
        }],
    })
}

fn item(link_id: &str, kind: &str, text: &Localized) -> Map<String, Value> {
    let mut item = Map::new();
    item.insert("linkId".into(), link_id.into());
    item.insert("text".into(), text.en.clone().into());
    item.insert("_text".into(), translation(&text.es));
    item.insert("type".into(), kind.into());
    item
}

fn item_control(code: &str) -> Value {
    json!({
        "url": EXT_ITEM_CONTROL,
        "valueCodeableConcept": {
            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}],
        },
    })
}

/// Help text under an item, shown as SDC help (a "?" beside the question in LHC-Forms).
fn help_item(owner: &str, text: &Localized) -> Value {
    let mut help = item(&form::help_link_id(owner), "display", text);
    help.insert("extension".into(), json!([item_control("help")]));
    Value::Object(help)
}

fn coding(code: &str, label: &Localized) -> Value {
    json!({
        "system": ANSWER_SYSTEM,
        "code": code,
        "display": label.en,
        "_display": translation(&label.es),
    })
}

fn answer_options(options: &[AnswerOption]) -> Value {
    options
        .iter()
        .map(|o| json!({"valueCoding": coding(&o.value, &o.label)}))
        .collect()
}

fn patient_group(q: &Questionnaire) -> Value {
    let entry = &q.patient_entry;
    let field = |field: PatientField, kind: &str, text: &Localized, required: bool| {
        let mut item = item(&field.link_id(), kind, text);
        if required {
            item.insert("required".into(), true.into());
        }
        item
    };
    let mut sex = field(
        PatientField::SexAtBirth,
        "choice",
        &entry.sex_at_birth,
        false,
    );
    sex.insert("answerOption".into(), answer_options(&entry.sex_options));
    sex.insert("extension".into(), json!([item_control("radio-button")]));
    let mut group = item(form::PATIENT_GROUP, "group", &entry.title);
    group.insert("required".into(), true.into());
    group.insert(
        "item".into(),
        json!([
            field(PatientField::GivenName, "string", &entry.given_name, true),
            field(PatientField::FamilyName, "string", &entry.family_name, true),
            field(PatientField::BirthDate, "date", &entry.birth_date, true),
            sex,
        ]),
    );
    Value::Object(group)
}

/// One group per medicine line. The last dose is asked on a line once it names a medicine.
/// The app asks it only for opioids and for names it does not recognise; that needs the
/// medicine table, which a form cannot consult, so here it is asked on every line.
fn medications_group(q: &Questionnaire) -> Value {
    let entry = &q.medication_entry;
    let mut name = item(form::MEDICATION_NAME, "string", &entry.name_label);
    name.insert("required".into(), true.into());
    name.insert("maxLength".into(), entry.max_name_length.into());
    name.insert(
        "item".into(),
        json!([help_item(form::MEDICATION_NAME, &entry.name_help)]),
    );
    let mut last_taken = item(form::MEDICATION_LAST_TAKEN, "date", &entry.last_taken_label);
    last_taken.insert(
        "enableWhen".into(),
        json!([{"question": form::MEDICATION_NAME, "operator": "exists", "answerBoolean": true}]),
    );
    last_taken.insert(
        "item".into(),
        json!([help_item(
            form::MEDICATION_LAST_TAKEN,
            &entry.last_taken_help
        )]),
    );
    let mut group = item(form::MEDICATIONS_GROUP, "group", &entry.title);
    group.insert("repeats".into(), true.into());
    group.insert("item".into(), json!([name, last_taken]));
    Value::Object(group)
}

fn question_item(q: &Questionnaire, question: &Question) -> Value {
    let kind = match question.kind {
        QuestionType::TriState | QuestionType::Choice | QuestionType::MultiChoice => "choice",
        QuestionType::Number => "decimal",
        QuestionType::Text if question.max_length.unwrap_or(2000) > 250 => "text",
        QuestionType::Text => "string",
        QuestionType::ItemScale => "group",
    };
    let mut item = item(&question.id, kind, &question.text);
    if question.required {
        item.insert("required".into(), true.into());
    }
    let mut extensions = Vec::new();
    if question.retired {
        item.insert("readOnly".into(), true.into());
        extensions.push(json!({"url": EXT_HIDDEN, "valueBoolean": true}));
    }
    let mut children = Vec::new();
    if let Some(help) = &question.help {
        children.push(help_item(&question.id, help));
    }
    match question.kind {
        QuestionType::TriState | QuestionType::Choice => {
            item.insert("answerOption".into(), answer_options(q.options(question)));
            extensions.push(item_control("radio-button"));
        }
        QuestionType::MultiChoice => {
            item.insert("repeats".into(), true.into());
            item.insert("answerOption".into(), answer_options(q.options(question)));
            extensions.push(item_control("check-box"));
        }
        QuestionType::Number => {
            if let Some(min) = question.min {
                extensions.push(json!({"url": EXT_MIN_VALUE, "valueDecimal": min}));
            }
            if let Some(max) = question.max {
                extensions.push(json!({"url": EXT_MAX_VALUE, "valueDecimal": max}));
            }
            if let Some(unit) = &question.unit {
                extensions.push(json!({"url": EXT_UNIT, "valueCoding": {"display": unit}}));
            }
        }
        QuestionType::Text => {
            item.insert(
                "maxLength".into(),
                question.max_length.unwrap_or(2000).into(),
            );
        }
        QuestionType::ItemScale => {
            if let Some(panel) = question.loinc.as_ref().and_then(|l| l.panel.as_deref()) {
                item.insert(
                    "code".into(),
                    json!([{"system": LOINC, "code": panel, "display": question.text.en}]),
                );
            }
            if let Some(stem) = &question.stem {
                let stem = self::item(&form::stem_link_id(&question.id), "display", stem);
                children.push(Value::Object(stem));
            }
            children.extend(scale_items(q, question));
        }
    }
    match &question.shown_when {
        None => {}
        Some(ShownWhen::Answer {
            question: other,
            values,
        }) => {
            let conditions: Vec<Value> = values
                .iter()
                .map(|value| {
                    json!({
                        "question": other,
                        "operator": "=",
                        "answerCoding": {"system": ANSWER_SYSTEM, "code": value},
                    })
                })
                .collect();
            if conditions.len() > 1 {
                item.insert("enableBehavior".into(), "any".into());
            }
            item.insert("enableWhen".into(), Value::Array(conditions));
        }
        Some(ShownWhen::ItemsSum {
            items_sum,
            at_least,
        }) => {
            // enableWhen compares one answer with one value; a total over several items needs
            // an expression. It also asks that every item be answered, as the engine does: a
            // scale counts only once it is whole.
            let count = q.question(items_sum).and_then(|s| s.items).unwrap_or(0);
            let link_ids: Vec<String> = (0..count)
                .map(|i| format!("'{}'", form::scale_item_link_id(items_sum, i)))
                .collect();
            let values = format!(
                "%resource.repeat(item).where(linkId in ({})).answer.value",
                link_ids.join(" | ")
            );
            let expression = format!(
                "{values}.count() = {count} and \
                 {values}.select(code.toInteger()).aggregate($this + $total, 0) >= {at_least}"
            );
            extensions.push(json!({
                "url": EXT_ENABLE_WHEN_EXPRESSION,
                "valueExpression": {
                    "description": format!("the {count} items of {items_sum} add up to {at_least} or more"),
                    "language": "text/fhirpath",
                    "expression": expression,
                },
            }));
        }
    }
    if !extensions.is_empty() {
        item.insert("extension".into(), Value::Array(extensions));
    }
    if !children.is_empty() {
        item.insert("item".into(), Value::Array(children));
    }
    Value::Object(item)
}

/// The scale's items not carried over from another question, each a choice whose codes are
/// the item's values with their ordinal values, so a form can add them up.
fn scale_items<'a>(
    q: &'a Questionnaire,
    question: &'a Question,
) -> impl Iterator<Item = Value> + 'a {
    let count = question.items.unwrap_or(0);
    (form::carried_items(q, question)..count).map(move |index| {
        let text = &question.item_text[index];
        let scale = question.item_scales.get(index).unwrap_or(&question.scale);
        let mut item = item(
            &form::scale_item_link_id(&question.id, index),
            "choice",
            text,
        );
        if question.required {
            item.insert("required".into(), true.into());
        }
        let options: Vec<Value> = scale
            .iter()
            .map(|option| {
                let mut coding = coding(&option.value.to_string(), &option.label);
                coding["extension"] = json!([{"url": EXT_ORDINAL, "valueDecimal": option.value}]);
                json!({"valueCoding": coding})
            })
            .collect();
        item.insert("answerOption".into(), Value::Array(options));
        item.insert("extension".into(), json!([item_control("radio-button")]));
        Value::Object(item)
    })
}
