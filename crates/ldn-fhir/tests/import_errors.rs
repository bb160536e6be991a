//! A QuestionnaireResponse that does not fit is refused with messages naming each field, as
//! an answers file would be; nothing is guessed.

mod common;

use common::engine;
use ldn_engine::FieldError;
use ldn_fhir::{import, response, ResponseStatus};
use serde_json::{json, Value};

fn example() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/02-vicodin-yesterday.answers.json"
    ))
    .unwrap();
    let intake = engine().parse_answers(&text).unwrap();
    response(engine(), &intake, ResponseStatus::Completed, None)
}

fn errors(qr: &Value) -> Vec<FieldError> {
    import(engine(), &qr.to_string())
        .expect_err("the response must be refused")
        .errors
}

fn has(errors: &[FieldError], field: &str, words: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.field == field && e.message.contains(words)),
        "no error on {field} saying {words:?}: {errors:?}"
    );
}

/// The item with this linkId, wherever it is.
fn item_mut<'a>(value: &'a mut Value, link_id: &str) -> &'a mut Value {
    fn find<'a>(items: &'a mut Value, link_id: &str) -> Option<&'a mut Value> {
        for item in items.as_array_mut()? {
            if item["linkId"] == link_id {
                return Some(item);
            }
            if let Some(found) = find(&mut item["item"], link_id) {
                return Some(found);
            }
        }
        None
    }
    find(&mut value["item"], link_id).unwrap_or_else(|| panic!("no item {link_id}"))
}

#[test]
fn the_example_imports() {
    import(engine(), &example().to_string()).unwrap();
}

#[test]
fn an_item_the_questionnaire_does_not_have_is_named() {
    let mut qr = example();
    item_mut(&mut qr, "section.liver_kidney")["item"]
        .as_array_mut()
        .unwrap()
        .push(json!({"linkId": "liver.fatty", "answer": [{"valueBoolean": true}]}));
    has(
        &errors(&qr),
        "item \"liver.fatty\"",
        "not an item of the LDN Intake questionnaire",
    );
}

#[test]
fn a_value_of_the_wrong_type_is_named_by_its_question() {
    let mut qr = example();
    item_mut(&mut qr, "section.liver_kidney")["item"]
        .as_array_mut()
        .unwrap()
        .push(json!({"linkId": "kidney.egfr", "answer": [{"valueString": "45"}]}));
    has(
        &errors(&qr),
        "answers.kidney.egfr",
        "a number (valueDecimal)",
    );
}

#[test]
fn a_value_out_of_range_gets_the_answers_file_message() {
    let mut qr = example();
    item_mut(&mut qr, "section.liver_kidney")["item"]
        .as_array_mut()
        .unwrap()
        .push(json!({"linkId": "kidney.egfr", "answer": [{"valueDecimal": 900}]}));
    has(&errors(&qr), "answers.kidney.egfr", "must be between");
}

#[test]
fn a_code_the_question_does_not_offer_is_refused() {
    let mut qr = example();
    item_mut(&mut qr, "opioid.current")["answer"][0]["valueCoding"]["code"] = json!("sometimes");
    has(&errors(&qr), "answers.opioid.current", "must be one of");
    let mut qr = example();
    item_mut(&mut qr, "opioid.current")["answer"][0]["valueCoding"]["system"] =
        json!("http://snomed.info/sct");
    has(
        &errors(&qr),
        "answers.opioid.current",
        "must be a coding from",
    );
}

#[test]
fn two_answers_to_a_single_answer_question_are_refused() {
    let mut qr = example();
    let answer = item_mut(&mut qr, "opioid.current")["answer"][0].clone();
    let mut other = answer.clone();
    other["valueCoding"]["code"] = json!("no");
    item_mut(&mut qr, "opioid.current")["answer"] = json!([answer, other]);
    has(
        &errors(&qr),
        "answers.opioid.current",
        "has 2 answers; it takes one",
    );
}

#[test]
fn a_question_answered_twice_is_refused() {
    let mut qr = example();
    let twice = item_mut(&mut qr, "opioid.current").clone();
    item_mut(&mut qr, "section.opioids")["item"]
        .as_array_mut()
        .unwrap()
        .push(twice);
    has(&errors(&qr), "item \"opioid.current\"", "appears twice");
}

#[test]
fn a_medicine_outside_a_medicine_line_is_refused() {
    let mut qr = example();
    item_mut(&mut qr, "section.opioids")["item"]
        .as_array_mut()
        .unwrap()
        .push(json!({"linkId": "medications.name", "answer": [{"valueString": "Norco"}]}));
    has(
        &errors(&qr),
        "item \"medications.name\"",
        "belongs under \"medications\", not \"section.opioids\"",
    );
}

#[test]
fn a_last_dose_after_the_intake_date_is_named_by_its_line() {
    let mut qr = example();
    item_mut(&mut qr, "medications.last_taken")["answer"][0]["valueDate"] = json!("2099-01-01");
    has(
        &errors(&qr),
        "medications[0].last_taken",
        "after the intake date",
    );
}

#[test]
fn another_questionnaire_or_resource_is_refused() {
    let mut qr = example();
    qr["questionnaire"] = json!("http://example.org/Questionnaire/phq9");
    has(
        &errors(&qr),
        "questionnaire",
        "must name the LDN Intake questionnaire",
    );
    let mut qr = example();
    qr["resourceType"] = json!("Questionnaire");
    has(&errors(&qr), "resourceType", "QuestionnaireResponse");
    let mut qr = example();
    qr.as_object_mut().unwrap().remove("authored");
    has(&errors(&qr), "authored", "intake date");
    assert_eq!(
        import(engine(), "{not json").unwrap_err().errors[0].field,
        "(file)"
    );
}

#[test]
fn a_response_without_the_patient_is_refused_not_guessed() {
    let mut qr = example();
    let items = qr["item"].as_array_mut().unwrap();
    items.retain(|i| i["linkId"] != "patient");
    has(&errors(&qr), "patient.given_name", "");
}

/// Review finding 1: a line with two last doses kept the second, an older date, and the
/// washout looked finished.
#[test]
fn a_medicine_line_with_two_last_doses_is_refused() {
    let mut qr = example();
    let line = item_mut(&mut qr, "medications");
    let mut older = line["item"][1].clone();
    assert_eq!(older["linkId"], "medications.last_taken");
    older["answer"][0]["valueDate"] = json!("2025-01-01");
    line["item"].as_array_mut().unwrap().push(older);
    has(
        &errors(&qr),
        "medications[0].last_taken",
        "appears twice in one medicine line",
    );
}

/// Review finding 2: an item nested under a question was never read, and nothing said so.
#[test]
fn a_question_nested_under_another_question_is_refused_not_dropped() {
    let mut qr = example();
    let nested =
        json!({"linkId": "allergy.naltrexone", "answer": [{"valueCoding": {"code": "yes"}}]});
    // Taken out of its section, so the only copy is the nested one.
    item_mut(&mut qr, "section.allergy")["item"] = json!([]);
    item_mut(&mut qr, "opioid.current")["item"] = json!([nested]);
    has(
        &errors(&qr),
        "item \"allergy.naltrexone\"",
        "belongs under \"section.allergy\", not \"opioid.current\"",
    );
    let mut qr = example();
    item_mut(&mut qr, "opioid.current")["answer"][0]["item"] =
        json!([{"linkId": "allergy.naltrexone", "answer": [{"valueCoding": {"code": "yes"}}]}]);
    has(
        &errors(&qr),
        "item \"opioid.current\"",
        "items under an answer",
    );
}

#[test]
fn a_question_in_another_section_is_refused() {
    let mut qr = example();
    let moved = item_mut(&mut qr, "opioid.current").clone();
    item_mut(&mut qr, "section.opioids")["item"]
        .as_array_mut()
        .unwrap()
        .retain(|i| i["linkId"] != "opioid.current");
    item_mut(&mut qr, "section.allergy")["item"]
        .as_array_mut()
        .unwrap()
        .push(moved);
    has(
        &errors(&qr),
        "item \"opioid.current\"",
        "belongs under \"section.opioids\"",
    );
}

/// Review finding 4: the intake date came from `authored` unchecked; a date in the future makes
/// every washout look finished.
#[test]
fn answers_given_in_the_future_or_long_ago_are_refused_when_saved() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let date = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let check = |d: &str| ldn_fhir::check_answered_on(engine(), date(d), today);
    assert!(check("2026-03-10").is_ok());
    assert!(
        check("2026-02-24").is_ok(),
        "14 days ago is still inside the questions' window"
    );
    let future = check("2026-03-11").unwrap_err();
    assert_eq!(future.field, "authored");
    assert!(future.message.contains("after today"), "{future}");
    let old = check("2026-02-23").unwrap_err();
    assert_eq!(old.field, "authored");
    assert!(old.message.contains("ask them again"), "{old}");
}

#[test]
fn a_language_tag_is_read_whatever_its_case() {
    let mut qr = example();
    qr["language"] = json!("ES-mx");
    assert_eq!(
        import(engine(), &qr.to_string()).unwrap().language,
        ldn_engine::Language::Es
    );
}
