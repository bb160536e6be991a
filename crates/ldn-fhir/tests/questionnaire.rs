//! The generated Questionnaire holds every question of the data, with branching that points
//! at items that exist and answers they can have.

mod common;

use std::collections::{HashMap, HashSet};

use common::engine;
use ldn_engine::ShownWhen;
use serde_json::Value;

/// Every item in document order, with its parent's linkId.
fn items(value: &Value) -> Vec<(Option<String>, &Value)> {
    fn walk<'a>(
        parent: Option<&str>,
        items: &'a Value,
        out: &mut Vec<(Option<String>, &'a Value)>,
    ) {
        for item in items.as_array().into_iter().flatten() {
            out.push((parent.map(str::to_owned), item));
            walk(item["linkId"].as_str(), &item["item"], out);
        }
    }
    let mut out = Vec::new();
    walk(None, &value["item"], &mut out);
    out
}

#[test]
fn every_question_is_an_item_with_its_type_and_words() {
    let q = ldn_fhir::questionnaire(engine());
    let all = items(&q);
    let by_link: HashMap<&str, &Value> = all
        .iter()
        .map(|(_, item)| (item["linkId"].as_str().unwrap(), *item))
        .collect();
    assert_eq!(by_link.len(), all.len(), "linkIds repeat");
    for question in &engine().questionnaire().questions {
        let item = by_link
            .get(question.id.as_str())
            .unwrap_or_else(|| panic!("{} is not in the Questionnaire", question.id));
        assert_eq!(item["text"], question.text.en.as_str());
        let spanish = &item["_text"]["extension"][0]["extension"][1]["valueString"];
        assert_eq!(spanish, question.text.es.as_str(), "{}", question.id);
        assert_eq!(
            item["required"].as_bool().unwrap_or(false),
            question.required,
            "{}",
            question.id
        );
        assert_eq!(
            item["readOnly"].as_bool().unwrap_or(false),
            question.retired,
            "{}",
            question.id
        );
    }
    assert_eq!(q["version"], engine().rules_version());
}

#[test]
fn branching_points_at_items_before_it_with_answers_they_offer() {
    let q = ldn_fhir::questionnaire(engine());
    let mut earlier: HashMap<String, &Value> = HashMap::new();
    let mut conditions = 0;
    for (_, item) in items(&q) {
        for condition in item["enableWhen"].as_array().into_iter().flatten() {
            conditions += 1;
            let target = condition["question"].as_str().unwrap();
            let other = earlier.get(target).unwrap_or_else(|| {
                panic!(
                    "{} depends on {target}, not an item before it",
                    item["linkId"]
                )
            });
            if let Some(code) = condition["answerCoding"]["code"].as_str() {
                let offered: HashSet<&str> = other["answerOption"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o["valueCoding"]["code"].as_str())
                    .collect();
                assert!(
                    offered.contains(code),
                    "{}: {target} never answers {code}",
                    item["linkId"]
                );
            }
        }
        earlier.insert(item["linkId"].as_str().unwrap().to_owned(), item);
    }
    let in_data = engine()
        .questionnaire()
        .questions
        .iter()
        .filter_map(|question| match &question.shown_when {
            Some(ShownWhen::Answer { values, .. }) => Some(values.len()),
            _ => None,
        })
        .sum::<usize>();
    // One condition per value the data names, and the last dose's own.
    assert_eq!(conditions, in_data + 1);
}

#[test]
fn a_total_over_several_items_is_an_expression_over_items_that_exist() {
    let q = ldn_fhir::questionnaire(engine());
    let all = items(&q);
    let links: HashSet<&str> = all
        .iter()
        .map(|(_, i)| i["linkId"].as_str().unwrap())
        .collect();
    let mut expressions = 0;
    for (_, item) in &all {
        for extension in item["extension"].as_array().into_iter().flatten() {
            if !extension["url"]
                .as_str()
                .unwrap()
                .ends_with("enableWhenExpression")
            {
                continue;
            }
            expressions += 1;
            let expression = extension["valueExpression"]["expression"].as_str().unwrap();
            let named: Vec<&str> = expression.split('\'').skip(1).step_by(2).collect();
            assert!(!named.is_empty(), "{expression}");
            for link in named {
                assert!(
                    links.contains(link),
                    "{expression} names {link}, not an item"
                );
            }
        }
    }
    let in_data = engine()
        .questionnaire()
        .questions
        .iter()
        .filter(|question| matches!(question.shown_when, Some(ShownWhen::ItemsSum { .. })))
        .count();
    assert_eq!(expressions, in_data);
}
