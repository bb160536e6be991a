//! Scale questions in an answers file: the items chosen so far in a draft, and the items one
//! question carries over from another.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Checker;
use crate::answers::AnswerValue;
use crate::error::FieldError;
use crate::questionnaire::QuestionType;

/// The items chosen so far on scale questions not yet answered in full.
pub(super) fn parse_partial_items(
    c: &mut Checker,
    raw: Option<&Value>,
    answers: Option<&BTreeMap<String, AnswerValue>>,
) -> BTreeMap<String, Vec<Option<u8>>> {
    let mut partial = BTreeMap::new();
    let Some(raw) = raw.filter(|v| !v.is_null()) else {
        return partial;
    };
    let Some(obj) = raw.as_object() else {
        c.fail("partial_items", "must be an object");
        return partial;
    };
    for (id, items) in obj {
        let field = format!("partial_items.{id}");
        let question = c.questionnaire.question(id);
        let Some(question) = question.filter(|q| q.kind == QuestionType::ItemScale) else {
            c.fail(
                field,
                "is not a scale question (only those are saved item by item)",
            );
            continue;
        };
        if answers.is_some_and(|a| a.contains_key(id)) {
            c.fail(field, format!("is answered in full already (answers.{id})"));
            continue;
        }
        match crate::questionnaire::parse_items(question, items, true) {
            Ok(values) => {
                partial.insert(id.clone(), values);
            }
            Err(message) => c.fail(field, message),
        }
    }
    partial
}

/// Items carried over from another question (PHQ-2 into PHQ-9) must agree with it.
pub(super) fn check_prefills(c: &mut Checker, answers: &BTreeMap<String, AnswerValue>) {
    for q in &c.questionnaire.questions {
        let Some(from) = &q.prefilled_from else {
            continue;
        };
        let (Some(items), Some(first)) = (
            answers.get(&q.id).and_then(AnswerValue::as_items),
            answers.get(from).and_then(AnswerValue::as_items),
        ) else {
            continue;
        };
        if !items.starts_with(first) {
            let field = format!("answers.{}", q.id);
            c.errors.push(FieldError::new(
                field,
                format!("its first {} items must equal answers.{from}", first.len()),
            ));
        }
    }
}
