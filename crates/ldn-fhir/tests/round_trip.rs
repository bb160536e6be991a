//! Answers → QuestionnaireResponse → import gives back the same screening: for every example
//! intake, and as a property over generated intakes.

mod common;

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use common::engine;
use ldn_engine::{Intake, QuestionType};
use ldn_fhir::{import, response, ResponseStatus};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn round_trip(intake: &Intake, status: ResponseStatus) -> Intake {
    let qr = response(engine(), intake, status, None);
    import(engine(), &qr.to_string()).unwrap_or_else(|e| panic!("import refused {qr}: {e:?}"))
}

fn summary_json(intake: &Intake) -> Value {
    serde_json::to_value(engine().screen(intake)).unwrap()
}

#[test]
fn every_example_intake_screens_the_same_after_the_round_trip() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".answers.json") {
            continue;
        }
        let intake = engine()
            .parse_answers(&std::fs::read_to_string(&path).unwrap())
            .unwrap();
        let back = round_trip(&intake, ResponseStatus::Completed);
        assert_eq!(
            summary_json(&back),
            summary_json(&intake),
            "{} screens differently after the round trip",
            path.display()
        );
        assert_eq!(back.patient, intake.patient, "{}", path.display());
        assert_eq!(back.medications, intake.medications, "{}", path.display());
        assert_eq!(back.intake_date, intake.intake_date);
        assert_eq!(back.language, intake.language);
        seen += 1;
    }
    assert!(
        seen >= 29,
        "only {seen} example intakes found in {}",
        dir.display()
    );
}

const MEDICINES: &[&str] = &[
    "Norco 10/325",
    "Robitussin AC",
    "Suboxone 8mg/2mg film",
    "methadone 30 mg",
    "kratom",
    "Imodium A-D",
    "sertraline 50 mg",
    "Sublocade monthly injection",
    "fentanyl",
    "Zorblatex 5 mg",
    "metadona 40 mg",
];

/// A value for every question of the questionnaire (retired ones too), or none; a PHQ-9 whose
/// first two items are the PHQ-2's, as the app keeps them.
fn intake_json() -> impl Strategy<Value = Value> {
    let q = engine().questionnaire();
    let per_question: Vec<BoxedStrategy<Option<(String, Value)>>> = q
        .questions
        .iter()
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
                QuestionType::Number => {
                    let (min, max) = (question.min.unwrap_or(0.0), question.max.unwrap_or(500.0));
                    (min..=max).prop_map(|n| json!(n)).boxed()
                }
                QuestionType::Text => "[ -~áéíóñ]{0,40}".prop_map(Value::from).boxed(),
                QuestionType::ItemScale => {
                    let n = question.items.unwrap_or(0);
                    let max = question.max.unwrap_or(0.0) as u8;
                    prop::collection::vec(0..=max, n)
                        .prop_map(|v| json!(v))
                        .boxed()
                }
            };
            prop::option::weighted(0.8, value.prop_map(move |v| (id.clone(), v))).boxed()
        })
        .collect();
    let medicine = (prop::sample::select(MEDICINES), prop::option::of(0u64..40)).prop_map(
        |(name, days_ago)| {
            let mut line = json!({"name": name});
            if let Some(days) = days_ago {
                let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() - Days::new(days);
                line["last_taken"] = json!(date.to_string());
            }
            line
        },
    );
    (
        per_question,
        prop::collection::vec(medicine, 0..5),
        prop::bool::ANY,
        prop::option::of(prop::sample::select(vec!["female", "male", "unknown"])),
    )
        .prop_map(|(pairs, medications, spanish, sex)| {
            let mut answers: Map<String, Value> = pairs.into_iter().flatten().collect();
            let phq2 = answers.get("mh.phq2").cloned();
            if let (Some(phq2), Some(phq9)) = (phq2, answers.get_mut("mh.phq9")) {
                phq9[0] = phq2[0].clone();
                phq9[1] = phq2[1].clone();
            }
            let mut patient = json!({"given_name": "Lucía", "family_name": "Pérez Núñez", "birth_date": "1979-05-06"});
            if let Some(sex) = sex {
                patient["sex_at_birth"] = json!(sex);
            }
            json!({
                "format": "ldn-intake/answers@1",
                "intake_date": "2026-03-02",
                "language": if spanish { "es" } else { "en" },
                "patient": patient,
                "answers": answers,
                "medications": medications,
            })
        })
}

/// The intake as a QuestionnaireResponse can carry it. The form asks the PHQ-9's first two
/// items once, as the PHQ-2, so an intake with a PHQ-9 and no PHQ-2 comes back with both. In
/// FHIR an item without answers is unanswered, so a multiple choice with nothing chosen comes
/// back unanswered.
fn as_it_travels(intake: &Intake) -> Intake {
    let mut expected = intake.clone();
    if let (None, Some(phq9)) = (
        expected.answer("mh.phq2"),
        expected.answer("mh.phq9").cloned(),
    ) {
        let items = phq9.as_items().unwrap()[..2].to_vec();
        expected
            .answers
            .insert("mh.phq2".into(), ldn_engine::AnswerValue::Items(items));
    }
    expected
        .answers
        .retain(|_, v| !matches!(v, ldn_engine::AnswerValue::Choices(c) if c.is_empty()));
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the answers, the imported intake is the same intake, and screens the same.
    #[test]
    fn an_intake_comes_back_whole(value in intake_json()) {
        let intake = engine().validate_answers(&value).expect("the generator makes valid answers");
        let back = round_trip(&intake, ResponseStatus::Completed);
        let expected = as_it_travels(&intake);
        prop_assert_eq!(&back, &expected);
        prop_assert_eq!(summary_json(&back), summary_json(&intake));
    }

    /// A draft's scales begun but not finished come back as begun.
    #[test]
    fn a_draft_keeps_its_partial_scales(value in intake_json(), chosen in prop::collection::vec(prop::option::of(0u8..=3), 9)) {
        let mut value = value;
        value["answers"].as_object_mut().unwrap().remove("mh.phq9");
        let mut partial = chosen.clone();
        // Items 1-2 are the PHQ-2's: a draft with a whole PHQ-2 carries them.
        match value["answers"].get("mh.phq2").cloned() {
            Some(phq2) => {
                partial[0] = phq2[0].as_u64().map(|v| v as u8);
                partial[1] = phq2[1].as_u64().map(|v| v as u8);
            }
            None => {
                partial[0] = None;
                partial[1] = None;
            }
        }
        // A draft whose PHQ-9 holds only the items carried from the PHQ-2 has begun nothing
        // of its own: the form has nothing to write for it, and it comes back as not begun.
        if partial[2..].iter().all(Option::is_none) {
            partial[8] = Some(0);
        }
        // A draft's scale is not whole: one of its own items at least is still open.
        if partial.iter().all(Option::is_some) {
            partial[4] = None;
        }
        value["partial_items"] = json!({"mh.phq9": partial});
        let intake = engine().validate_answers(&value).expect("the generator makes a valid draft");
        let back = round_trip(&intake, ResponseStatus::InProgress);
        prop_assert_eq!(&back.partial_items, &intake.partial_items);
        prop_assert_eq!(&back.answers, &as_it_travels(&intake).answers);
    }
}
