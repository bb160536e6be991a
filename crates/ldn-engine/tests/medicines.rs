//! How free-text medicine lines are understood.

mod common;

use ldn_engine::{MedicationResult, MedicationStatus};

fn look(line: &str) -> MedicationResult {
    common::engine().lookup(line)
}

fn assert_line(line: &str, ingredients: &[&str], opioid: bool, long_acting: bool) {
    let m = look(line);
    assert_eq!(
        m.status,
        MedicationStatus::Recognized,
        "{line}: {:?}",
        m.reason
    );
    let mut got = m.ingredients.clone();
    got.sort();
    let mut want: Vec<String> = ingredients.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    assert_eq!(got, want, "{line}");
    assert_eq!(m.opioid, opioid, "{line}: opioid");
    assert_eq!(m.long_acting, long_acting, "{line}: long_acting");
}

#[test]
fn brands_strengths_forms_and_salts() {
    assert_line(
        "Norco 10/325",
        &["hydrocodone", "acetaminophen"],
        true,
        false,
    );
    assert_line(
        "NORCO 10/325MG TABS",
        &["hydrocodone", "acetaminophen"],
        true,
        false,
    );
    assert_line(
        "Suboxone 8mg/2mg film",
        &["buprenorphine", "naloxone"],
        true,
        true,
    );
    assert_line("Imodium A-D", &["loperamide"], true, false);
    assert_line("kratom", &["mitragynine"], true, true);
    assert_line("Kratom capsules 2 g daily", &["mitragynine"], true, true);
    assert_line("Oxycodone HCl 5mg", &["oxycodone"], true, false);
    assert_line("oxycodone ER 10 mg q12h", &["oxycodone"], true, true);
    assert_line(
        "hydrocodone/APAP 5/325",
        &["hydrocodone", "acetaminophen"],
        true,
        false,
    );
    assert_line(
        "APAP w/ codeine 300/30",
        &["acetaminophen", "codeine"],
        true,
        false,
    );
    assert_line("Tylenol #3", &["acetaminophen", "codeine"], true, false);
    assert_line("Tylenol No. 4", &["acetaminophen", "codeine"], true, false);
    assert_line(
        "tylenol with codeine",
        &["acetaminophen", "codeine"],
        true,
        false,
    );
    assert_line(
        "promethazine w/ codeine syrup 5 ml at night",
        &["promethazine", "codeine"],
        true,
        false,
    );
    assert_line(
        "Tussionex 5 ml",
        &["hydrocodone", "chlorpheniramine"],
        true,
        true,
    );
    assert_line("Duragesic 25 mcg/hr", &["fentanyl"], true, true);
    assert_line("Lomotil 2.5mg", &["diphenoxylate", "atropine"], true, false);
    assert_line("Viberzi 100 mg", &["eluxadoline"], true, false);
    assert_line("Morphine sulfate ER 15 mg", &["morphine"], true, true);
    assert_line("Nucynta ER", &["tapentadol"], true, true);
    assert_line(
        "Zubsolv 5.7/1.4 mg",
        &["buprenorphine", "naloxone"],
        true,
        true,
    );
    assert_line("sertraline 50 mg", &["sertraline"], false, false);
    assert_line("Klonopin 0.5 mg", &["clonazepam"], false, false);
    assert_line("Tylenol 500 mg as needed", &["acetaminophen"], false, false);
    assert_line("Wellbutrin XL 300", &["bupropion"], false, false);
    assert_line("metoprolol succinate ER 50", &["metoprolol"], false, false);
    assert_line("Vitamin D3 2000 IU", &["vitamin d"], false, false);
    assert_line("ＮＯＲＣＯ", &["hydrocodone", "acetaminophen"], true, false);
}

#[test]
fn unknown_words_are_never_passed() {
    let m = look("Quixolan 20mg");
    assert_eq!(m.status, MedicationStatus::Unrecognized);
    assert!(m.ingredients.is_empty());
    // A known opioid next to an unknown word: the opioid still counts, the line is not clean.
    let m = look("Norco and Quixolan");
    assert_eq!(m.status, MedicationStatus::Unrecognized);
    assert!(m.opioid);
    assert_eq!(m.unmatched, vec!["quixolan"]);
    // Near misses are not guessed.
    assert_eq!(look("Norcco 10/325").status, MedicationStatus::Unrecognized);
    assert_eq!(look("cough syrup").status, MedicationStatus::Unrecognized);
    assert_eq!(
        look("pain pills from my sister").status,
        MedicationStatus::Unrecognized
    );
    assert_eq!(look("10 mg").status, MedicationStatus::Unrecognized);
}

#[test]
fn brand_families_with_opioid_members_are_not_guessed() {
    let m = look("Robitussin");
    assert_eq!(m.status, MedicationStatus::Unrecognized);
    assert!(m.reason.unwrap().contains("codeine"));
    assert_line("Robitussin AC", &["guaifenesin", "codeine"], true, false);
    assert_line(
        "Robitussin DM",
        &["guaifenesin", "dextromethorphan"],
        false,
        false,
    );
}

#[test]
fn thyroid_t3_is_not_tylenol_3() {
    assert_eq!(look("T3").status, MedicationStatus::Unrecognized);
}

#[test]
fn suggestions_complete_what_was_typed() {
    let s = common::engine().suggest("norc", 10);
    assert!(s.contains(&"Norco".to_owned()), "{s:?}");
    let s = common::engine().suggest("tylenol w", 10);
    assert!(
        s.iter().any(|n| n.starts_with("Tylenol with Codeine")),
        "{s:?}"
    );
    assert!(common::engine().suggest("", 10).is_empty());
}
