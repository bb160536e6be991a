//! Property tests over well-formed intakes: screening never panics and keeps the contract's
//! invariants; a contraindicating answer or an opioid never lowers the verdict; the order of
//! the medicine lines does not matter.

mod common;

use chrono::{Days, NaiveDate};
use ldn_engine::{Severity, Summary, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

const OPIOIDS: &[&str] = &[
    "Norco 10/325",
    "Vicodin 5/300",
    "Tylenol #3",
    "Robitussin AC",
    "promethazine w/ codeine",
    "OxyContin 20mg",
    "oxycodone 5 mg",
    "tramadol 50 mg",
    "Suboxone 8mg/2mg film",
    "methadone 30 mg",
    "fentanyl patch 25 mcg/hr",
    "kratom",
    "MS Contin 15 mg",
    "Dilaudid 2 mg",
    "Butrans 10",
    "Nucynta ER 100",
    "heroin",
    "Tussionex",
    "Percocet",
    "Hysingla ER 20 mg",
];
const OTHERS: &[&str] = &[
    "sertraline 50 mg",
    "Imodium A-D",
    "Klonopin 0.5 mg",
    "Tylenol 500 mg",
    "ibuprofen 400",
    "Lomotil",
    "Antabuse",
    "metformin 500 mg",
    "Quixolan 20mg",
    "Robitussin",
    "vitamin D3",
    "lisinopril 10",
    "Ambien",
    "pain pills",
    "Mellaril 25",
];
const CONTRAINDICATING: &[&str] = &[
    "opioid.moud",
    "opioid.depot_buprenorphine_12mo",
    "opioid.withdrawal_symptoms",
    "allergy.naltrexone",
    "liver.acute_hepatitis",
];
const CAUTIONING: &[(&str, &str)] = &[
    ("liver.cirrhosis", "yes"),
    ("kidney.disease", "severe"),
    ("pregnancy.status", "yes"),
    ("breastfeeding", "yes"),
    ("surgery.planned", "yes"),
    ("mh.bipolar", "yes"),
    ("mh.suicidal_thoughts", "yes"),
    ("alcohol.dependent", "yes"),
    ("opioid.oud_history", "yes"),
];

const INTAKE: &str = "2026-03-02";

fn intake_date() -> NaiveDate {
    INTAKE.parse().unwrap()
}

fn last_taken() -> impl Strategy<Value = Option<String>> {
    prop::option::of(0u64..40)
        .prop_map(|days| days.map(|d| (intake_date() - Days::new(d)).to_string()))
}

fn medication(pool: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (prop::sample::select(pool), last_taken()).prop_map(|(name, last)| match last {
        Some(d) => json!({ "name": name, "last_taken": d }),
        None => json!({ "name": name }),
    })
}

fn any_medication() -> impl Strategy<Value = Value> {
    prop_oneof![
        medication(OPIOIDS),
        medication(OTHERS),
        "[A-Za-z][A-Za-z0-9 /#.-]{0,30}".prop_map(|name| json!({ "name": name })),
    ]
}

fn intake() -> impl Strategy<Value = Value> {
    (
        common::answers(),
        prop::collection::vec(any_medication(), 0..12),
        0u64..(90 * 365),
        prop::sample::select(vec!["female", "male", "unknown"]),
        prop::sample::select(vec!["en", "es"]),
    )
        .prop_map(|(answers, meds, age_days, sex, language)| {
            json!({
                "format": "ldn-intake/answers@1",
                "intake_date": INTAKE,
                "language": language,
                "patient": {
                    "given_name": "Prop", "family_name": "Test",
                    "birth_date": (intake_date() - Days::new(age_days)).to_string(),
                    "sex_at_birth": sex
                },
                "answers": answers,
                "medications": meds
            })
        })
}

/// A known start date may move later or become unknown, never earlier. (An unknown start may
/// become a date: naming the opioid a patient reported tells us when its washout ends.)
fn not_brought_forward(before: &Summary, after: &Summary) -> bool {
    match (before.earliest_start, after.earliest_start) {
        (Some(b), Some(a)) => a >= b,
        _ => true,
    }
}

/// `free_text`: what the patient typed that a finding may quote (it may hold braces).
fn assert_invariants(s: &Summary, input_lines: usize, free_text: &str) {
    let max = s.findings.iter().map(|f| f.severity).max();
    let urgent = s.findings.iter().any(|f| f.urgent);
    assert_eq!(s.urgent, urgent);
    let verdict = match max {
        Some(Severity::Contraindicated) => Verdict::Contraindicated,
        Some(Severity::Caution) => Verdict::NeedsReview,
        _ if urgent => Verdict::NeedsReview,
        _ => Verdict::NoContraindicationFound,
    };
    assert_eq!(s.verdict, verdict);
    assert_eq!(s.medications.len(), input_lines);
    if let Some(start) = s.earliest_start {
        assert!(start >= intake_date());
    }
    for f in &s.findings {
        let detail = if free_text.is_empty() {
            f.detail.clone()
        } else {
            f.detail.replace(free_text, "")
        };
        assert!(
            !f.sources.is_empty() && !f.patient_text.is_empty() && !detail.contains('{'),
            "{f:?}"
        );
    }
    // Nothing unknown passes silently.
    for m in &s.medications {
        if m.status == ldn_engine::MedicationStatus::Unrecognized {
            assert!(s
                .findings
                .iter()
                .any(|f| f.rule == "unrecognized-medicine" && f.detail.contains(&m.input)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn screening_never_panics_and_keeps_the_contract(v in intake()) {
        let lines = v["medications"].as_array().unwrap().len();
        let s = common::screen(&v);
        let free_text = v["answers"]["mh.other"].as_str().unwrap_or("");
        assert_invariants(&s, lines, free_text);
    }

    #[test]
    fn a_contraindicating_answer_never_lowers_the_verdict(v in intake(), pick in 0..CONTRAINDICATING.len()) {
        let before = common::screen(&v);
        let after = common::screen(&common::with_answer(v, CONTRAINDICATING[pick], json!("yes")));
        prop_assert_eq!(after.verdict, Verdict::Contraindicated);
        prop_assert!(after.verdict >= before.verdict);
    }

    #[test]
    fn a_cautioning_answer_never_lowers_the_verdict(v in intake(), pick in 0..CAUTIONING.len()) {
        let before = common::screen(&v);
        let (id, value) = CAUTIONING[pick];
        let after = common::screen(&common::with_answer(v, id, json!(value)));
        prop_assert!(after.verdict >= before.verdict.max(Verdict::NeedsReview));
    }

    #[test]
    fn an_opioid_in_use_never_lowers_the_verdict_or_brings_the_start_forward(
        v in intake(),
        name in prop::sample::select(OPIOIDS),
        days_ago in prop::option::of(0u64..10),
    ) {
        let before = common::screen(&v);
        let last = days_ago.map(|d| (intake_date() - Days::new(d)).to_string());
        let after = common::screen(&common::with_med(v, name, last.as_deref()));
        prop_assert_eq!(after.verdict, Verdict::Contraindicated);
        prop_assert!(not_brought_forward(&before, &after));
    }

    #[test]
    fn medicine_order_does_not_matter(
        (v, shuffled) in intake().prop_flat_map(|v| {
            let meds = v["medications"].as_array().cloned().unwrap_or_default();
            (Just(v), Just(meds).prop_shuffle())
        })
    ) {
        let before = common::screen(&v);
        let mut reordered = v.clone();
        reordered["medications"] = Value::Array(shuffled);
        let after = common::screen(&reordered);
        prop_assert_eq!(serde_json::to_string(&before).unwrap(), serde_json::to_string(&after).unwrap());
    }

    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        let _ = common::engine().parse_answers(&text);
    }

    #[test]
    fn arbitrary_values_in_a_valid_shape_never_panic(
        v in intake(),
        key in prop::sample::select(vec!["intake_date", "language", "patient", "answers", "medications", "format"]),
        junk in prop_oneof![
            Just(json!(null)), Just(json!(1e308)), Just(json!(-1)), Just(json!("")),
            Just(json!([])), Just(json!({})), Just(json!([{"name": 3}])), Just(json!({"opioid.current": []})),
            "\\PC{0,30}".prop_map(Value::from),
        ],
    ) {
        let mut v = v;
        v[key] = junk;
        if let Ok(intake) = common::engine().validate_answers(&v) {
            let _ = common::engine().screen(&intake);
        }
    }
}
