//! Bad input is refused with a message naming the field; nothing is guessed.

mod common;

use common::{clean, engine, with_answer, with_med};
use serde_json::{json, Value};

/// The fields named by the errors for this document.
fn bad_fields(v: &Value) -> Vec<String> {
    match engine().validate_answers(v) {
        Ok(_) => panic!("accepted: {v}"),
        Err(e) => e.errors.into_iter().map(|e| e.field).collect(),
    }
}

fn assert_names(v: Value, field: &str) {
    let fields = bad_fields(&v);
    assert!(
        fields.iter().any(|f| f == field),
        "wanted {field}, got {fields:?}"
    );
}

#[test]
fn malformed_json_is_named_as_the_file() {
    let e = engine().parse_answers("{\"format\": ").unwrap_err();
    assert_eq!(e.errors[0].field, "(file)");
    assert!(
        e.errors[0].message.contains("line 1"),
        "{}",
        e.errors[0].message
    );
    assert_eq!(
        engine().parse_answers("[]").unwrap_err().errors[0].field,
        "(file)"
    );
    assert_eq!(
        engine().parse_answers("").unwrap_err().errors[0].field,
        "(file)"
    );
}

#[test]
fn unknown_ids_and_fields() {
    assert_names(
        with_answer(clean(), "opioid.recent", json!("no")),
        "answers.opioid.recent",
    );
    let mut v = clean();
    v["extra"] = json!(1);
    assert_names(v, "extra");
    let mut v = clean();
    v["patient"]["mrn"] = json!("1");
    assert_names(v, "patient.mrn");
    let mut v = with_med(clean(), "Norco", None);
    v["medications"][0]["dose"] = json!("1");
    assert_names(v, "medications[0].dose");
}

#[test]
fn values_outside_their_set() {
    assert_names(
        with_answer(clean(), "opioid.current", json!("maybe")),
        "answers.opioid.current",
    );
    assert_names(
        with_answer(clean(), "opioid.current", json!(true)),
        "answers.opioid.current",
    );
    assert_names(
        with_answer(clean(), "kidney.disease", json!("yes")),
        "answers.kidney.disease",
    );
    assert_names(
        with_answer(clean(), "pregnancy.status", json!("no ")),
        "answers.pregnancy.status",
    );
    assert_names(
        with_answer(clean(), "reason", json!(["chronic_pain", "chronic_pain"])),
        "answers.reason",
    );
    assert_names(
        with_answer(clean(), "reason", json!("chronic_pain")),
        "answers.reason",
    );
    assert_names(
        with_answer(clean(), "kidney.egfr", json!(-1)),
        "answers.kidney.egfr",
    );
    assert_names(
        with_answer(clean(), "kidney.egfr", json!("45")),
        "answers.kidney.egfr",
    );
    assert_names(
        with_answer(clean(), "mh.other", json!(3)),
        "answers.mh.other",
    );
    let mut v = clean();
    v["language"] = json!("fr");
    assert_names(v, "language");
    let mut v = clean();
    v["patient"]["sex_at_birth"] = json!("M");
    assert_names(v, "patient.sex_at_birth");
    let mut v = clean();
    v["format"] = json!("ldn-intake/answers@2");
    assert_names(v, "format");
}

#[test]
fn score_items_out_of_range() {
    for bad in [
        json!([0, 0, 0, 0, 0, 0, 0, 0, 4]),
        json!([0, 0, 0]),
        json!([0, 0, 0, 0, 0, 0, 0, 0, -1]),
        json!([0, 0, 0, 0, 0, 0, 0, 0, 1.5]),
    ] {
        assert_names(with_answer(clean(), "mh.phq9", bad), "answers.mh.phq9");
    }
    assert_names(
        with_answer(clean(), "alcohol.audit_c", json!([5, 0, 0])),
        "answers.alcohol.audit_c",
    );
    // PHQ-9 items 1-2 must agree with the PHQ-2 they came from.
    let v = with_answer(
        with_answer(clean(), "mh.phq2", json!([1, 2])),
        "mh.phq9",
        json!([2, 1, 0, 0, 0, 0, 0, 0, 0]),
    );
    assert_names(v, "answers.mh.phq9");
}

#[test]
fn impossible_and_inconsistent_dates() {
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "2026-1-5",
        "26-03-01",
        "2026/03/01",
        "",
        "2026-03-01T00:00",
    ] {
        let mut v = clean();
        v["intake_date"] = json!(bad);
        assert_names(v, "intake_date");
    }
    let mut v = clean();
    v["patient"]["birth_date"] = json!("2026-03-03");
    assert_names(v, "patient.birth_date");
    let mut v = clean();
    v["patient"]["birth_date"] = json!("1850-01-01");
    assert_names(v, "patient.birth_date");
    assert_names(
        with_med(clean(), "Norco", Some("2026-03-03")),
        "medications[0].last_taken",
    );
    assert_names(
        with_med(clean(), "Norco", Some("2026-02-29")),
        "medications[0].last_taken",
    );
}

#[test]
fn missing_and_empty_fields() {
    for field in [
        "intake_date",
        "language",
        "patient",
        "answers",
        "medications",
        "format",
    ] {
        let mut v = clean();
        v.as_object_mut().unwrap().remove(field);
        assert_names(v, field);
    }
    let mut v = clean();
    v["patient"]["given_name"] = json!("   ");
    assert_names(v, "patient.given_name");
    assert_names(with_med(clean(), "  ", None), "medications[0].name");
    assert_names(with_med(clean(), "---", None), "medications[0].name");
    assert_names(
        with_med(clean(), &"x".repeat(201), None),
        "medications[0].name",
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let mut v = with_answer(clean(), "opioid.current", json!("maybe"));
    v["intake_date"] = json!("2026-02-30");
    v["language"] = json!("de");
    let fields = bad_fields(&v);
    assert_eq!(fields.len(), 3, "{fields:?}");
}

#[test]
fn names_keep_their_characters() {
    let mut v = clean();
    v["patient"]["given_name"] = json!("Zoë <script>alert(1)</script>");
    v["patient"]["family_name"] = json!("Łukasz-Núñez");
    let intake = engine().validate_answers(&v).unwrap();
    assert_eq!(intake.patient.given_name, "Zoë <script>alert(1)</script>");
}
