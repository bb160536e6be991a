//! Consistency checks on the clinical data, run before an engine is built and by
//! `ldn rules check`: every rule has sources, a review date and both languages; every question,
//! answer value, class and placeholder it names exists; the questionnaire matches the contract.

use std::collections::HashSet;

use crate::contract::{CONTRACT_QUESTIONS, CONTRACT_REQUIRED};
use crate::error::Problem;
use crate::medicines::{MedicineTable, OPIOID};
use crate::questionnaire::{Question, QuestionType, Questionnaire, ShownWhen};
use crate::rules::RuleSet;

mod rules;

struct Report {
    problems: Vec<Problem>,
}

impl Report {
    fn add(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            place: place.into(),
            message: message.into(),
        });
    }
}

pub(crate) fn check(
    questionnaire: &Questionnaire,
    rules: &RuleSet,
    table: &MedicineTable,
) -> Vec<Problem> {
    let mut report = Report {
        problems: Vec::new(),
    };
    check_questionnaire(&mut report, questionnaire);
    rules::check_rule_set(&mut report, questionnaire, rules, table);
    report.problems
}

fn check_questionnaire(report: &mut Report, q: &Questionnaire) {
    let place = |id: &str| format!("questionnaire.toml question {id}");
    let mut ids = HashSet::new();
    for question in &q.questions {
        if !ids.insert(question.id.as_str()) {
            report.add(place(&question.id), "the id is used twice");
        }
        if !q.sections.iter().any(|s| s.id == question.section) {
            report.add(
                place(&question.id),
                format!("unknown section \"{}\"", question.section),
            );
        }
        check_question_shape(report, q, question);
    }
    for (id, values) in CONTRACT_QUESTIONS {
        let Some(question) = q.question(id) else {
            report.add(
                "questionnaire.toml",
                format!("the contract's question {id} is missing"),
            );
            continue;
        };
        if let Some(values) = values {
            let mut have = q.allowed_values(question);
            let mut want = values.to_vec();
            have.sort_unstable();
            want.sort_unstable();
            if have != want {
                report.add(
                    place(id),
                    format!("answer values {have:?} differ from the contract's {want:?}"),
                );
            }
        }
    }
    for id in CONTRACT_REQUIRED {
        if q.question(id)
            .is_some_and(|question| !question.required || question.shown_when.is_some())
        {
            report.add(
                place(id),
                "the contract requires this question: required = true, always shown",
            );
        }
    }
    // An answers file's sex_at_birth takes exactly these values; a form offering others
    // would collect answers no intake can hold.
    let mut sexes: Vec<&str> = q
        .patient_entry
        .sex_options
        .iter()
        .map(|o| o.value.as_str())
        .collect();
    sexes.sort_unstable();
    if sexes != ["female", "male", "unknown"] {
        report.add(
            "questionnaire.toml patient_entry",
            format!("sex_options {sexes:?} must be exactly female, male and unknown"),
        );
    }
    for kind in &q.medication_entry.last_taken_shown_for {
        if kind != OPIOID && kind != crate::questionnaire::UNRECOGNIZED {
            report.add(
                "questionnaire.toml medication_entry",
                format!("last_taken_shown_for: unknown \"{kind}\""),
            );
        }
    }
}

fn check_question_shape(report: &mut Report, q: &Questionnaire, question: &Question) {
    let place = format!("questionnaire.toml question {}", question.id);
    match question.kind {
        QuestionType::TriState if !q.option_sets.contains_key("tri_state") => {
            report.add(&place, "no tri_state option set is defined");
        }
        QuestionType::Choice | QuestionType::MultiChoice if question.options.is_empty() => {
            report.add(&place, "a choice question needs options");
        }
        QuestionType::ItemScale => {
            let items = question.items.unwrap_or(0);
            if items == 0 || question.item_text.len() != items {
                report.add(
                    &place,
                    format!(
                        "needs items > 0 and one item_text per item (has {})",
                        question.item_text.len()
                    ),
                );
            }
            if question.min.is_none() || question.max.is_none() {
                report.add(&place, "an item scale needs min and max");
            }
            check_item_scales(report, &place, question, items);
        }
        _ => {}
    }
    for (name, bound) in [("min", question.min), ("max", question.max)] {
        if bound.is_some_and(|v| !v.is_finite()) {
            report.add(&place, format!("{name} must be a finite number"));
        }
    }
    if question.retired && (question.required || question.shown_when.is_some()) {
        report.add(
            &place,
            "a retired question is never asked: not required, no shown_when",
        );
    }
    for text in [&question.text.en, &question.text.es] {
        if text.trim().is_empty() {
            report.add(&place, "the question text is empty in one language");
        }
    }
    match &question.shown_when {
        Some(ShownWhen::Answer {
            question: other,
            values,
        }) => match q.question(other) {
            None => report.add(&place, format!("shown_when names unknown question {other}")),
            Some(o) => {
                let allowed = q.allowed_values(o);
                for v in values.iter().filter(|v| !allowed.contains(&v.as_str())) {
                    report.add(&place, format!("shown_when: {other} has no value \"{v}\""));
                }
            }
        },
        Some(ShownWhen::ItemsSum { items_sum, .. }) if !is_item_scale(q, items_sum) => {
            report.add(
                &place,
                format!("shown_when: {items_sum} is not an item-scale question"),
            );
        }
        _ => {}
    }
    if let Some(from) = &question.prefilled_from {
        if !is_item_scale(q, from) {
            report.add(
                &place,
                format!("prefilled_from: {from} is not an item-scale question"),
            );
        }
    }
}

/// Per-item answer labels, when given: one scale per item, each naming every value from min to
/// max once, in both languages.
fn check_item_scales(report: &mut Report, place: &str, question: &Question, items: usize) {
    if question.item_scales.is_empty() {
        return;
    }
    if question.item_scales.len() != items || !question.scale.is_empty() {
        report.add(
            place,
            format!("item_scales needs one scale per item ({items}) and no scale beside it"),
        );
    }
    let (min, max) = (question.min.unwrap_or(0.0), question.max.unwrap_or(0.0));
    for (i, scale) in question.item_scales.iter().enumerate() {
        let values: Vec<f64> = scale.iter().map(|o| f64::from(o.value)).collect();
        let expected: Vec<f64> = (0..)
            .map(|n| min + f64::from(n))
            .take_while(|v| *v <= max)
            .collect();
        if values != expected {
            report.add(
                place,
                format!("item_scales[{i}] must list the values {min} to {max} in order"),
            );
        }
        if scale
            .iter()
            .any(|o| o.label.en.trim().is_empty() || o.label.es.trim().is_empty())
        {
            report.add(place, format!("item_scales[{i}] has an empty label"));
        }
    }
}

fn is_item_scale(q: &Questionnaire, id: &str) -> bool {
    q.question(id)
        .is_some_and(|o| o.kind == QuestionType::ItemScale)
}
