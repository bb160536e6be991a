//! One test per rule of the rule set (each rule of the contract's minimum set among them), plus
//! the contract's edge cases: washout arithmetic, thresholds, and verdict order.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::{clean, fired, screen, with_answer, with_med, without_answer};
use ldn_engine::Verdict;
use serde_json::{json, Value};

/// Asserts the rule does not fire on the clean intake and fires once with this severity and
/// category on the given one.
fn assert_rule(rule: &str, severity: &str, category: &str, intake: Value) {
    assert!(
        fired(&screen(&clean()), rule).is_empty(),
        "{rule} fires on the clean intake"
    );
    let summary = screen(&intake);
    let all: Vec<&str> = summary.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        fired(&summary, rule),
        vec![(severity.to_owned(), category.to_owned())],
        "{rule}: findings were {all:?}"
    );
}

macro_rules! rule_tests {
    ($($name:ident: $rule:literal, $severity:literal, $category:literal, $intake:expr;)*) => {
        $(
            #[test]
            fn $name() {
                assert_rule($rule, $severity, $category, $intake);
            }
        )*
        const TESTED_RULES: &[&str] = &[$($rule),*];
    };
}

fn ans(id: &str, v: Value) -> Value {
    with_answer(clean(), id, v)
}

rule_tests! {
    opioid_still_taking: "opioid-still-taking", "contraindicated", "opioid", with_med(clean(), "Percocet 5/325", None);
    opioid_within_washout: "opioid-within-washout", "contraindicated", "opioid", with_med(clean(), "Tylenol #3", Some("2026-02-28"));
    opioid_washout_ended: "opioid-washout-ended", "info", "opioid", with_med(clean(), "tramadol 50 mg", Some("2026-02-15"));
    opioid_reported_not_identified: "opioid-reported-not-identified", "contraindicated", "opioid", ans("opioid.current", json!("yes"));
    opioid_use_unsure: "opioid-use-unsure", "caution", "opioid", ans("opioid.current", json!("unsure"));
    opioid_antidiarrheal: "opioid-antidiarrheal", "caution", "opioid", with_med(clean(), "Lomotil 2.5 mg", None);
    moud_reported: "moud-reported", "contraindicated", "opioid_use_disorder", ans("opioid.moud", json!("yes"));
    moud_unsure: "moud-unsure", "caution", "opioid_use_disorder", ans("opioid.moud", json!("unsure"));
    moud_medicine_listed: "moud-medicine-listed", "contraindicated", "opioid_use_disorder", with_med(clean(), "methadone 40 mg", Some("2026-02-25"));
    depot_buprenorphine: "depot-buprenorphine", "contraindicated", "opioid_use_disorder", ans("opioid.depot_buprenorphine_12mo", json!("yes"));
    depot_buprenorphine_unsure: "depot-buprenorphine-unsure", "caution", "opioid_use_disorder", ans("opioid.depot_buprenorphine_12mo", json!("unsure"));
    oud_history: "oud-history", "caution", "opioid_use_disorder", ans("opioid.oud_history", json!("yes"));
    withdrawal_now: "withdrawal-now", "contraindicated", "withdrawal", ans("opioid.withdrawal_symptoms", json!("yes"));
    withdrawal_unsure: "withdrawal-unsure", "caution", "withdrawal", ans("opioid.withdrawal_symptoms", json!("unsure"));
    hypersensitivity: "hypersensitivity", "contraindicated", "hypersensitivity", ans("allergy.naltrexone", json!("yes"));
    hypersensitivity_unsure: "hypersensitivity-unsure", "caution", "hypersensitivity", ans("allergy.naltrexone", json!("unsure"));
    acute_hepatitis: "acute-hepatitis", "contraindicated", "liver", ans("liver.acute_hepatitis", json!("yes"));
    acute_hepatitis_unsure: "acute-hepatitis-unsure", "caution", "liver", ans("liver.acute_hepatitis", json!("unsure"));
    chronic_liver_disease: "chronic-liver-disease", "caution", "liver", ans("liver.cirrhosis", json!("unsure"));
    liver_enzymes_raised: "liver-enzymes-raised", "monitor", "liver", ans("liver.abnormal_tests", json!("yes"));
    kidney_severe: "kidney-severe", "caution", "kidney", ans("kidney.disease", json!("dialysis"));
    kidney_mild_moderate: "kidney-mild-moderate", "monitor", "kidney", ans("kidney.disease", json!("mild_moderate"));
    pregnancy_now: "pregnancy-now", "caution", "pregnancy", ans("pregnancy.status", json!("unsure"));
    pregnancy_planned: "pregnancy-planned", "caution", "pregnancy", ans("pregnancy.planning", json!("yes"));
    breastfeeding: "breastfeeding", "caution", "breastfeeding", ans("breastfeeding", json!("yes"));
    mood_history: "mood-history", "caution", "mental_health", ans("mh.bipolar", json!("yes"));
    mood_history_unsure: "mood-history-unsure", "monitor", "mental_health", ans("mh.depression", json!("unsure"));
    phq9_moderate: "phq9-moderate", "caution", "mental_health", ans("mh.phq9", json!([2, 2, 2, 2, 1, 1, 0, 0, 0]));
    suicide_risk: "suicide-risk", "caution", "suicide_risk", ans("mh.suicidal_thoughts", json!("yes"));
    benzodiazepine: "benzodiazepine", "caution", "drug_interaction", with_med(clean(), "Xanax 0.25 mg at bedtime", None);
    thioridazine: "thioridazine", "caution", "drug_interaction", with_med(clean(), "thioridazine 25 mg", None);
    disulfiram: "disulfiram", "caution", "drug_interaction", with_med(clean(), "Antabuse 250mg", None);
    alcohol_dependence: "alcohol-dependence", "caution", "alcohol", ans("alcohol.dependent", json!("yes"));
    audit_c_positive: "audit-c-positive", "monitor", "alcohol", ans("alcohol.audit_c", json!([1, 1, 1]));
    surgery_planned: "surgery-planned", "caution", "surgery", ans("surgery.planned", json!("unsure"));
    under_18: "under-18", "caution", "age", { let mut v = clean(); v["patient"]["birth_date"] = json!("2008-03-03"); v };
    insomnia: "insomnia", "info", "sleep", ans("sleep.insomnia", json!("yes"));
    unrecognized_medicine: "unrecognized-medicine", "caution", "unrecognized_medication", with_med(clean(), "Quixolan 20mg", None);
    incomplete_intake: "incomplete-intake", "caution", "incomplete", without_answer(clean(), "breastfeeding");
    street_opioid_drug_screen: "street-opioid-drug-screen", "caution", "opioid", with_med(clean(), "heroin", Some("2026-02-10"));
    opioid_questions_unanswered: "opioid-questions-unanswered", "caution", "incomplete", without_answer(clean(), "opioid.moud");
    opioid_implied: "opioid-implied", "caution", "opioid", with_med(clean(), "Movantik 25 mg", None);
    depot_buprenorphine_listed: "depot-buprenorphine-listed", "contraindicated", "opioid_use_disorder", with_med(clean(), "Sublocade 100 mg", Some("2026-01-15"));
    depot_question_unanswered: "depot-question-unanswered", "caution", "incomplete", without_answer(ans("opioid.oud_history", json!("unsure")), "opioid.depot_buprenorphine_12mo");
    naltrexone_in_use: "naltrexone-in-use", "caution", "drug_interaction", with_med(clean(), "Vivitrol 380 mg monthly", None);
    liver_toxic_combination: "liver-toxic-combination", "monitor", "drug_interaction", with_med(ans("liver.abnormal_tests", json!("yes")), "methotrexate 15 mg weekly", None);
    phq2_positive: "phq2-positive", "caution", "mental_health", ans("mh.phq9", json!([2, 1, 0, 0, 0, 0, 0, 0, 0]));
    mental_health_other: "mental-health-other", "monitor", "mental_health", ans("mh.other", json!("PTSD after an accident"));
}

#[test]
fn every_rule_in_the_data_has_its_own_test() {
    let in_data: BTreeSet<&str> = common::engine()
        .rules()
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let tested: BTreeSet<&str> = TESTED_RULES.iter().copied().collect();
    assert_eq!(in_data, tested);
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(s.parse().unwrap())
}

#[test]
fn clean_intake_has_no_findings_and_starts_on_the_intake_date() {
    let s = screen(&clean());
    assert!(s.findings.is_empty(), "{:?}", s.findings);
    assert_eq!(s.verdict, Verdict::NoContraindicationFound);
    assert_eq!(s.earliest_start, date("2026-03-02"));
}

#[test]
fn tylenol_3_two_days_ago_waits_ten_days_and_says_codeine() {
    let s = screen(&with_med(clean(), "Tylenol #3", Some("2026-02-28")));
    assert_eq!(s.verdict, Verdict::Contraindicated);
    assert_eq!(s.earliest_start, date("2026-03-10"));
    let f = &s.findings[0];
    assert!(
        f.detail.contains("codeine") && f.detail.contains("2026-02-28"),
        "{}",
        f.detail
    );
    assert!(f.action.contains("2026-03-10"), "{}", f.action);
    // The patient reads the date as the handout page writes it (issue 10), the clinician ISO.
    assert!(
        f.patient_text.contains("Tuesday, March 10, 2026") && !f.patient_text.contains("2026-"),
        "{}",
        f.patient_text
    );
    assert!(!f.sources.is_empty());
}

#[test]
fn washout_ends_exactly_on_last_dose_plus_n() {
    // Short-acting: 10 days. Last dose 2026-02-20 + 10 = 2026-03-02 = intake date: ended.
    let s = screen(&with_med(clean(), "Norco 10/325", Some("2026-02-20")));
    assert_eq!(s.verdict, Verdict::NoContraindicationFound);
    assert_eq!(s.earliest_start, date("2026-03-02"));
    assert_eq!(fired(&s, "opioid-washout-ended").len(), 1);
    // One day later: still running.
    let s = screen(&with_med(clean(), "Norco 10/325", Some("2026-02-21")));
    assert_eq!(s.verdict, Verdict::Contraindicated);
    assert_eq!(s.earliest_start, date("2026-03-03"));
}

#[test]
fn long_acting_products_and_extended_release_words_wait_fourteen_days() {
    for line in [
        "OxyContin 20 mg",
        "oxycodone ER 10mg",
        "fentanyl 25 mcg/hr patch",
        "methadone 10 mg",
        "Butrans 5",
    ] {
        let s = screen(&with_med(clean(), line, Some("2026-02-25")));
        assert_eq!(s.earliest_start, date("2026-03-11"), "{line}");
        assert!(s.medications[0].long_acting, "{line}");
    }
}

#[test]
fn earliest_start_is_the_latest_washout_end() {
    let v = with_med(
        with_med(clean(), "Norco", Some("2026-03-01")),
        "MS Contin 15 mg",
        Some("2026-02-20"),
    );
    let s = screen(&v);
    assert_eq!(s.earliest_start, date("2026-03-11"));
}

#[test]
fn earliest_start_is_unknown_when_it_cannot_be_known() {
    let cases = [
        with_med(clean(), "Norco", None),
        ans("opioid.moud", json!("yes")),
        ans("opioid.depot_buprenorphine_12mo", json!("yes")),
        ans("opioid.current", json!("yes")),
        // Loperamide is not the opioid the patient reported: still unidentified.
        with_med(ans("opioid.current", json!("yes")), "Imodium", None),
    ];
    for v in cases {
        let s = screen(&v);
        assert_eq!(
            s.earliest_start,
            None,
            "{:?}",
            s.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
        );
        assert_eq!(s.verdict, Verdict::Contraindicated);
    }
}

#[test]
fn reported_opioid_with_finished_washout_is_not_contraindicated() {
    let v = with_med(
        ans("opioid.current", json!("yes")),
        "tramadol 50mg",
        Some("2026-02-18"),
    );
    let s = screen(&v);
    assert_eq!(s.verdict, Verdict::NoContraindicationFound);
    assert_eq!(s.earliest_start, date("2026-03-02"));
}

#[test]
fn opioid_listed_is_contraindicated_whatever_opioid_current_says() {
    let s = screen(&with_med(
        ans("opioid.current", json!("no")),
        "Robitussin AC",
        Some("2026-03-01"),
    ));
    assert_eq!(s.verdict, Verdict::Contraindicated);
}

#[test]
fn antidiarrheals_set_no_washout() {
    let s = screen(&with_med(clean(), "loperamide 2 mg", Some("2026-03-01")));
    assert_eq!(s.earliest_start, date("2026-03-02"));
    assert!(fired(&s, "opioid-within-washout").is_empty());
    assert!(s.medications[0].opioid);
}

#[test]
fn kidney_egfr_thresholds() {
    let rules = |egfr: f64| {
        let s = screen(&ans("kidney.egfr", json!(egfr)));
        (
            fired(&s, "kidney-severe").len(),
            fired(&s, "kidney-mild-moderate").len(),
        )
    };
    assert_eq!(rules(29.9), (1, 0));
    assert_eq!(rules(30.0), (0, 1));
    assert_eq!(rules(59.0), (0, 1));
    assert_eq!(rules(60.0), (0, 0));
}

#[test]
fn audit_c_cut_offs_depend_on_sex() {
    let positive = |sex: Option<&str>, items: [u8; 3]| {
        let mut v = ans("alcohol.audit_c", json!(items));
        match sex {
            Some(s) => v["patient"]["sex_at_birth"] = json!(s),
            None => {
                v["patient"].as_object_mut().unwrap().remove("sex_at_birth");
            }
        }
        let s = screen(&v);
        assert_eq!(
            s.scores.audit_c,
            Some(items.iter().map(|&i| u32::from(i)).sum())
        );
        !fired(&s, "audit-c-positive").is_empty()
    };
    assert!(!positive(Some("male"), [1, 1, 1]));
    assert!(positive(Some("male"), [2, 1, 1]));
    assert!(positive(Some("female"), [1, 1, 1]));
    assert!(!positive(Some("female"), [1, 1, 0]));
    assert!(positive(Some("unknown"), [1, 1, 1]));
    assert!(positive(None, [1, 1, 1]));
}

#[test]
fn phq9_threshold_and_item_nine() {
    let s = screen(&ans("mh.phq9", json!([2, 2, 2, 1, 1, 1, 0, 0, 0])));
    assert_eq!(s.scores.phq9, Some(9));
    assert!(fired(&s, "phq9-moderate").is_empty());
    assert!(!s.urgent);
    let s = screen(&ans("mh.phq9", json!([0, 0, 0, 0, 0, 0, 0, 0, 1])));
    assert!(s.urgent);
    assert_eq!(s.verdict, Verdict::NeedsReview);
}

#[test]
fn suicide_risk_unsure_is_urgent() {
    let s = screen(&ans("mh.suicidal_thoughts", json!("unsure")));
    assert!(s.urgent);
}

#[test]
fn age_turns_eighteen_on_the_birthday() {
    let at = |birth: &str| {
        let mut v = clean();
        v["patient"]["birth_date"] = json!(birth);
        fired(&screen(&v), "under-18").len()
    };
    assert_eq!(at("2008-03-02"), 0);
    assert_eq!(at("2008-03-03"), 1);
}

#[test]
fn phq9_is_required_after_a_positive_phq2() {
    let s = screen(&ans("mh.phq2", json!([2, 1])));
    let incomplete = s
        .findings
        .iter()
        .find(|f| f.rule == "incomplete-intake")
        .expect("incomplete-intake fires");
    assert!(
        incomplete.detail.contains("“PHQ-9”") && !incomplete.detail.contains("mh.phq9"),
        "{}",
        incomplete.detail
    );
    let s = screen(&ans("mh.phq2", json!([1, 1])));
    assert!(fired(&s, "incomplete-intake").is_empty());
}

#[test]
fn patient_text_follows_the_intake_language() {
    let mut v = with_med(clean(), "Norco", Some("2026-03-01"));
    v["language"] = json!("es");
    let s = screen(&v);
    assert!(
        s.findings[0]
            .patient_text
            .contains("No tome ningún opioide"),
        "{}",
        s.findings[0].patient_text
    );
}

#[test]
fn verdict_is_the_most_severe_finding() {
    let v = with_med(ans("sleep.insomnia", json!("yes")), "Klonopin", None);
    assert_eq!(screen(&v).verdict, Verdict::NeedsReview);
    let v = ans("sleep.insomnia", json!("yes"));
    assert_eq!(screen(&v).verdict, Verdict::NoContraindicationFound);
    let v = ans("liver.abnormal_tests", json!("yes"));
    assert_eq!(screen(&v).verdict, Verdict::NoContraindicationFound);
}

#[test]
fn alcohol_dependence_needs_both_questions_and_old_answers_are_still_read() {
    let fires = |v: Value| fired(&screen(&v), "alcohol-dependence").len();
    let dependent = ans("alcohol.dependent", json!("yes"));
    assert_eq!(fires(dependent.clone()), 1);
    assert_eq!(
        fires(with_answer(
            dependent.clone(),
            "alcohol.treatment_plan",
            json!("no")
        )),
        1
    );
    assert_eq!(
        fires(with_answer(
            dependent,
            "alcohol.treatment_plan",
            json!("yes")
        )),
        0
    );
    // An answers file from before the question was split.
    assert_eq!(fires(ans("alcohol.dependence", json!("yes"))), 1);
    assert_eq!(fires(ans("alcohol.dependence", json!("no"))), 0);
    // The retired question is never asked.
    let q = common::engine().questionnaire();
    let retired = q.question("alcohol.dependence").unwrap();
    assert!(!q.is_shown(retired, &Default::default()));
}
