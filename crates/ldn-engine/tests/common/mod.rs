//! Shared helpers for the engine's integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use ldn_engine::{Engine, QuestionType, Summary};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| ldn_data::engine().expect("the bundled data loads"))
}

pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// A complete intake on 2026-03-02 with every answer at its harmless value and no medicines.
pub fn clean() -> Value {
    json!({
        "format": "ldn-intake/answers@1",
        "intake_date": "2026-03-02",
        "language": "en",
        "patient": {
            "given_name": "Ana", "family_name": "Example",
            "birth_date": "1980-01-20", "sex_at_birth": "female"
        },
        "answers": {
            "opioid.current": "no", "opioid.moud": "no",
            "opioid.depot_buprenorphine_12mo": "no", "opioid.oud_history": "no",
            "opioid.withdrawal_symptoms": "no", "surgery.planned": "no",
            "allergy.naltrexone": "no", "liver.acute_hepatitis": "no",
            "liver.cirrhosis": "no", "liver.abnormal_tests": "no",
            "kidney.disease": "none", "pregnancy.status": "no",
            "pregnancy.planning": "no", "breastfeeding": "no",
            "mh.depression": "no", "mh.bipolar": "no", "mh.suicidal_thoughts": "no",
            "alcohol.dependent": "no", "sleep.insomnia": "no",
            "reason": ["chronic_pain"]
        },
        "medications": []
    })
}

pub fn with_answer(mut v: Value, id: &str, answer: Value) -> Value {
    v["answers"][id] = answer;
    v
}

pub fn without_answer(mut v: Value, id: &str) -> Value {
    v["answers"].as_object_mut().unwrap().remove(id);
    v
}

pub fn with_med(mut v: Value, name: &str, last_taken: Option<&str>) -> Value {
    let mut line = json!({ "name": name });
    if let Some(d) = last_taken {
        line["last_taken"] = json!(d);
    }
    v["medications"].as_array_mut().unwrap().push(line);
    v
}

pub fn screen(v: &Value) -> Summary {
    let intake = engine()
        .validate_answers(v)
        .unwrap_or_else(|e| panic!("test intake is valid: {e}"));
    engine().screen(&intake)
}

/// The findings of one rule, as (severity, category) in snake_case.
pub fn fired(summary: &Summary, rule: &str) -> Vec<(String, String)> {
    summary
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            let s = serde_json::to_value(f.severity).unwrap();
            let c = serde_json::to_value(f.category).unwrap();
            (
                s.as_str().unwrap().to_owned(),
                c.as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A valid value for each question, or none (unanswered).
pub fn answers() -> impl Strategy<Value = Map<String, Value>> {
    let engine = engine();
    let q = engine.questionnaire();
    let per_question: Vec<BoxedStrategy<Option<(String, Value)>>> = q
        .questions
        .iter()
        .filter(|question| question.id != "mh.phq2")
        .map(|question| {
            let id = question.id.clone();
            let value: BoxedStrategy<Value> = match question.kind {
                QuestionType::TriState | QuestionType::Choice => {
                    let values: Vec<String> = q
                        .allowed_values(question)
                        .into_iter()
                        .map(str::to_owned)
                        .collect();
                    prop::sample::select(values).prop_map(Value::from).boxed()
                }
                QuestionType::MultiChoice => {
                    let values: Vec<String> = q
                        .allowed_values(question)
                        .into_iter()
                        .map(str::to_owned)
                        .collect();
                    prop::sample::subsequence(values.clone(), 0..=values.len())
                        .prop_map(|v| json!(v))
                        .boxed()
                }
                QuestionType::Number => (0.0f64..=200.0).prop_map(|n| json!(n)).boxed(),
                QuestionType::Text => "[ -~]{0,40}".prop_map(Value::from).boxed(),
                QuestionType::ItemScale => {
                    let n = question.items.unwrap_or(0);
                    let max = question.max.unwrap_or(0.0) as u8;
                    prop::collection::vec(0..=max, n)
                        .prop_map(|v| json!(v))
                        .boxed()
                }
            };
            prop::option::weighted(0.85, value.prop_map(move |v| (id.clone(), v))).boxed()
        })
        .collect();
    per_question.prop_map(|pairs| pairs.into_iter().flatten().collect())
}
