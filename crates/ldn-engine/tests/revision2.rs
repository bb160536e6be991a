//! Revision 2 of the screening contract (§4): each case reported in the issue that filed it,
//! with the answer the contract gives, and `holds_start` on the findings that hold the date.

mod common;

use chrono::NaiveDate;
use common::{clean, engine, fired, screen, with_answer, with_med, without_answer};
use ldn_engine::{MedicationStatus, Summary, Verdict};
use serde_json::json;

fn date(s: &str) -> Option<NaiveDate> {
    Some(s.parse().unwrap())
}

fn holding(s: &Summary) -> Vec<&str> {
    s.findings
        .iter()
        .filter(|f| f.holds_start)
        .map(|f| f.rule.as_str())
        .collect()
}

fn rules(s: &Summary) -> Vec<&str> {
    s.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn depot_buprenorphine_on_the_list_has_no_start_date_whatever_the_depot_answer() {
    let lines = [
        ("Sublocade 100 mg", "2026-01-21"),
        ("buprenorphine monthly injection", "2026-01-26"),
        ("Brixadi weekly 24 mg", "2026-01-01"),
        ("Probuphine implant", "2025-10-01"),
        ("buprenorfina inyección mensual", "2026-01-26"),
    ];
    for (line, last) in lines {
        for depot_answer in [Some("no"), None] {
            let mut v = with_med(clean(), line, Some(last));
            v = match depot_answer {
                Some(a) => with_answer(v, "opioid.depot_buprenorphine_12mo", json!(a)),
                None => without_answer(v, "opioid.depot_buprenorphine_12mo"),
            };
            let s = screen(&v);
            assert_eq!(
                s.verdict,
                Verdict::Contraindicated,
                "{line}: {:?}",
                rules(&s)
            );
            assert_eq!(s.earliest_start, None, "{line}");
            assert!(s.medications[0].depot && s.medications[0].opioid, "{line}");
            assert!(
                holding(&s).contains(&"depot-buprenorphine-listed"),
                "{line}"
            );
            // A washout that "ended" says nothing about a depot.
            assert!(fired(&s, "opioid-washout-ended").is_empty(), "{line}");
        }
    }
}

#[test]
fn a_buprenorphine_film_is_not_a_depot_but_makes_the_depot_question_required() {
    let v = without_answer(
        with_med(clean(), "Suboxone 8mg/2mg film", Some("2026-01-01")),
        "opioid.depot_buprenorphine_12mo",
    );
    let s = screen(&v);
    assert!(!s.medications[0].depot);
    assert_eq!(s.earliest_start, None);
    assert_eq!(holding(&s), vec!["depot-question-unanswered"]);
    // Answered "no", the film's washout has ended and the date is known again.
    let s = screen(&with_answer(
        v,
        "opioid.depot_buprenorphine_12mo",
        json!("no"),
    ));
    assert_eq!(s.earliest_start, date("2026-03-02"));
}

#[test]
fn the_depot_question_is_not_required_when_nothing_points_to_buprenorphine() {
    let s = screen(&without_answer(clean(), "opioid.depot_buprenorphine_12mo"));
    assert_eq!(s.verdict, Verdict::NoContraindicationFound);
    assert_eq!(s.earliest_start, date("2026-03-02"));
}

#[test]
fn an_opioid_answer_the_list_does_not_explain_holds_the_date() {
    // The only opioid listed was last taken 30 days ago: something more recent is missing.
    let v = with_med(
        with_answer(clean(), "opioid.current", json!("yes")),
        "Vicodin 5/300",
        Some("2026-01-31"),
    );
    let s = screen(&v);
    assert_eq!(s.verdict, Verdict::Contraindicated);
    assert_eq!(s.earliest_start, None);
    assert!(holding(&s).contains(&"opioid-reported-not-identified"));
    // Last taken 14 days ago it explains the answer, and its washout has ended.
    let v = with_med(
        with_answer(clean(), "opioid.current", json!("yes")),
        "Vicodin 5/300",
        Some("2026-02-16"),
    );
    let s = screen(&v);
    assert_eq!(s.earliest_start, date("2026-03-02"), "{:?}", rules(&s));
    assert!(fired(&s, "opioid-reported-not-identified").is_empty());
}

#[test]
fn spanish_and_foreign_names_are_read_as_the_opioids_they_are() {
    for (line, ingredient, long_acting) in [
        ("metadona 80 mg", "methadone", true),
        ("Tradol 50 mg", "tramadol", false),
        ("Tramacet", "tramadol", false),
        ("Zaldiar 37.5/325", "tramadol", false),
        ("Tylex 30", "codeine", false),
        ("codeína jarabe", "codeine", false),
        ("jarabe con codeina para la tos", "codeine", false),
        ("morfina 10 mg cada 8 horas", "morphine", false),
        ("oxicodona 5 mg", "oxycodone", false),
        ("parche de fentanilo 25 mcg", "fentanyl", true),
        ("Palexia retard 50", "tapentadol", true),
        ("MST Continus 30", "morphine", true),
        ("Durogesic 25", "fentanyl", true),
        ("ZaZa", "tianeptine", true),
        ("Neptune's Fix", "tianeptine", true),
    ] {
        let m = common::engine().lookup(line);
        assert_eq!(
            m.status,
            MedicationStatus::Recognized,
            "{line}: {:?}",
            m.reason
        );
        assert!(
            m.ingredients.iter().any(|i| i == ingredient),
            "{line}: {m:?}"
        );
        assert!(m.opioid, "{line}");
        assert_eq!(m.long_acting, long_acting, "{line}");
        let s = screen(&with_med(clean(), line, None));
        assert_eq!(s.verdict, Verdict::Contraindicated, "{line}");
        assert_eq!(s.earliest_start, None, "{line}");
    }
}

#[test]
fn tylenol_is_read_by_its_number() {
    for (line, product) in [
        ("Tylenol #2", "Tylenol with Codeine #2"),
        ("Tylenol 1", "Tylenol with Codeine #1"),
        ("tylenol 3", "Tylenol with Codeine #3"),
        ("Tylenol No. 4", "Tylenol with Codeine #4"),
        ("Tylenol with codeine #2 300/15", "Tylenol with Codeine #2"),
    ] {
        let m = common::engine().lookup(line);
        assert_eq!(m.status, MedicationStatus::Recognized, "{line}: {m:?}");
        assert_eq!(m.matched, vec![product.to_owned()], "{line}");
        assert!(m.ingredients.iter().any(|i| i == "codeine"), "{line}");
    }
    // Its own strengths are plain acetaminophen.
    for line in [
        "Tylenol 500 mg",
        "Tylenol 325",
        "Tylenol extra strength 500mg",
    ] {
        let m = common::engine().lookup(line);
        assert_eq!(m.status, MedicationStatus::Recognized, "{line}: {m:?}");
        assert_eq!(m.ingredients, vec!["acetaminophen".to_owned()], "{line}");
    }
    // Any other number is never guessed to be plain acetaminophen.
    for line in ["Tylenol 5", "Tylenol 300", "Tylenol with codeine 7"] {
        let m = common::engine().lookup(line);
        assert_eq!(m.status, MedicationStatus::Unrecognized, "{line}: {m:?}");
        assert!(m.reason.as_deref().unwrap().contains("#1 to #4"), "{line}");
    }
}

#[test]
fn tylenol_2_two_days_ago_waits_ten_days() {
    let s = screen(&with_med(clean(), "Tylenol #2", Some("2026-02-28")));
    assert_eq!(s.verdict, Verdict::Contraindicated);
    assert_eq!(s.earliest_start, date("2026-03-10"));
    assert_eq!(holding(&s), vec!["opioid-within-washout"]);
}

#[test]
fn unanswered_opioid_questions_hold_the_date() {
    for id in [
        "opioid.current",
        "opioid.moud",
        "opioid.withdrawal_symptoms",
    ] {
        let s = screen(&without_answer(clean(), id));
        assert_eq!(s.verdict, Verdict::NeedsReview, "{id}");
        assert_eq!(s.earliest_start, None, "{id}");
        assert_eq!(holding(&s)[0], "opioid-questions-unanswered", "{id}");
        // The general completeness finding names the required ones in words, and holds the
        // date too: any required answer missing might hide a contraindication.
        if let Some(incomplete) = s.findings.iter().find(|f| f.rule == "incomplete-intake") {
            let words = &engine().questionnaire().question(id).unwrap().text.en;
            assert!(
                incomplete.detail.contains(words.as_str()),
                "{}",
                incomplete.detail
            );
            assert!(!incomplete.detail.contains(id) && incomplete.holds_start);
        }
    }
}

#[test]
fn street_fentanyl_waits_fourteen_days_and_asks_for_a_drug_screen() {
    // 11 days ago: a 10-day washout would have ended; the street washout has not.
    let s = screen(&with_med(clean(), "fentanyl", Some("2026-02-19")));
    assert_eq!(s.verdict, Verdict::Contraindicated);
    assert_eq!(s.earliest_start, date("2026-03-05"));
    assert!(s.medications[0].street && s.medications[0].long_acting);
    let screen_finding = s
        .findings
        .iter()
        .find(|f| f.rule == "street-opioid-drug-screen")
        .unwrap();
    assert!(screen_finding.action.contains("norfentanyl"));
    assert!(screen_finding.holds_start);
    // Past 14 days the date is known, but the screen still needs a clinician.
    let s = screen(&with_med(clean(), "heroína", Some("2026-02-10")));
    assert_eq!(s.earliest_start, date("2026-03-02"));
    assert_eq!(s.verdict, Verdict::NeedsReview);
    assert!(holding(&s).is_empty());
    // A fentanyl patch is a prescription, not street fentanyl.
    let m = common::engine().lookup("fentanyl 25 mcg/hr patch");
    assert!(!m.street && m.long_acting);
    for line in [
        "M30",
        "percs",
        "roxies",
        "fake oxy",
        "street oxycodone 30",
        "kratom",
    ] {
        let m = common::engine().lookup(line);
        assert!(m.street && m.opioid, "{line}: {m:?}");
    }
}

#[test]
fn an_unrecognized_line_holds_the_date_as_a_possible_long_acting_opioid() {
    let s = screen(&with_med(clean(), "Quixolan 20mg", None));
    assert_eq!(s.earliest_start, None);
    assert_eq!(holding(&s), vec!["unrecognized-medicine"]);
    let s = screen(&with_med(clean(), "Quixolan 20mg", Some("2026-02-26")));
    assert_eq!(s.earliest_start, date("2026-03-12"));
    assert_eq!(s.verdict, Verdict::NeedsReview);
    // Its 14 days over, the date is free; the caution stays.
    let s = screen(&with_med(clean(), "Quixolan 20mg", Some("2026-02-16")));
    assert_eq!(s.earliest_start, date("2026-03-02"));
    assert_eq!(s.verdict, Verdict::NeedsReview);
    assert!(holding(&s).is_empty());
}

#[test]
fn findings_that_do_not_hold_the_date_say_so() {
    let v = with_med(
        with_answer(clean(), "sleep.insomnia", json!("yes")),
        "Tylenol #3",
        Some("2026-02-28"),
    );
    let v = with_med(v, "Klonopin 0.5 mg", None);
    let s = screen(&v);
    assert_eq!(holding(&s), vec!["opioid-within-washout"]);
    assert_eq!(s.findings.len(), 3, "{:?}", rules(&s));
}

#[test]
fn medicines_that_stopped_raising_cautions() {
    for line in [
        "Apokyn 2 mg",
        "Atrovent inhaler",
        "Opvee nasal spray",
        "Zurnai",
        "Valtoco 10 mg",
        "Diastat",
        "B&O Supprettes 16A",
        "B & O",
        "belladonna & opium suppository",
        "Hycofenix 5 ml",
        "Obredon",
    ] {
        let m = common::engine().lookup(line);
        assert_eq!(
            m.status,
            MedicationStatus::Recognized,
            "{line}: {:?}",
            m.reason
        );
    }
    assert_eq!(
        common::engine().lookup("Hycofenix").ingredients,
        ["hydrocodone", "pseudoephedrine", "guaifenesin"]
    );
    assert_eq!(
        common::engine().lookup("Obredon").ingredients,
        ["hydrocodone", "guaifenesin"]
    );
    assert!(common::engine().lookup("B&O").opioid);
    assert!(common::engine()
        .lookup("Valtoco")
        .classes
        .contains(&"benzodiazepine".to_owned()));
}

#[test]
fn products_the_table_lacked_are_opioids() {
    for line in [
        "Xartemis XR",
        "Embeda 20 mg",
        "Troxyca ER",
        "Hycet",
        "Zydone",
        "Flowtuss",
        "Zutripro",
        "Rezira",
        "Vituz",
        "Triacin-C",
        "Talwin NX",
        "Stadol NS",
        "Oramorph",
        "Probuphine",
        "Darvocet-N 100",
        "Solpadeine Plus",
        "Nurofen Plus",
        "Panadeine Forte",
    ] {
        let m = common::engine().lookup(line);
        assert_eq!(
            m.status,
            MedicationStatus::Recognized,
            "{line}: {:?}",
            m.reason
        );
        assert!(m.classes.contains(&"opioid".to_owned()), "{line}: {m:?}");
    }
    // Plain Solpadeine may or may not hold codeine: never guessed.
    assert_eq!(
        common::engine().lookup("Solpadeine").status,
        MedicationStatus::Unrecognized
    );
}

#[test]
fn a_constipation_medicine_for_opioid_users_implies_an_opioid() {
    for line in [
        "Relistor",
        "Movantik",
        "Symproic 0.2 mg",
        "Lucemyra",
        "lofexidine",
    ] {
        let s = screen(&with_med(clean(), line, None));
        assert_eq!(s.earliest_start, None, "{line}");
        assert_eq!(s.verdict, Verdict::NeedsReview, "{line}");
    }
}

#[test]
fn naltrexone_already_in_use_is_a_duplicate() {
    for line in ["Vivitrol", "Revia 50 mg", "Contrave", "LDN 4.5 mg"] {
        let s = screen(&with_med(clean(), line, None));
        assert_eq!(fired(&s, "naltrexone-in-use").len(), 1, "{line}");
    }
    // The naltrexone sequestered inside Embeda is not naltrexone in use.
    let s = screen(&with_med(clean(), "Embeda 20 mg", Some("2026-01-01")));
    assert!(fired(&s, "naltrexone-in-use").is_empty());
}

#[test]
fn two_liver_toxic_medicines_or_one_with_a_liver_concern() {
    let two = with_med(
        with_med(clean(), "Norco 5/325", Some("2026-01-01")),
        "Tylenol 500 mg",
        None,
    );
    let s = screen(&two);
    let f = s
        .findings
        .iter()
        .find(|f| f.rule == "liver-toxic-combination")
        .expect("two acetaminophen lines");
    assert!(f.detail.contains("Norco 5/325") && f.detail.contains("Tylenol 500 mg"));
    // One alone, with no liver concern, is not flagged.
    let s = screen(&with_med(clean(), "leflunomide 20 mg", None));
    assert!(fired(&s, "liver-toxic-combination").is_empty());
    let s = screen(&with_med(
        with_answer(clean(), "liver.cirrhosis", json!("unsure")),
        "valproic acid 500 mg",
        None,
    ));
    assert_eq!(fired(&s, "liver-toxic-combination").len(), 1);
}

#[test]
fn a_positive_phq2_counts_whatever_the_rest_of_the_phq9() {
    let s = screen(&with_answer(
        clean(),
        "mh.phq9",
        json!([2, 1, 0, 0, 0, 0, 0, 0, 0]),
    ));
    assert_eq!(s.scores.phq2, Some(3));
    assert_eq!(s.verdict, Verdict::NeedsReview);
    assert!(fired(&s, "phq9-moderate").is_empty());
    let s = screen(&with_answer(clean(), "mh.phq2", json!([1, 1])));
    assert!(fired(&s, "phq2-positive").is_empty());
}

#[test]
fn other_mental_health_history_is_quoted_and_blank_text_is_no_answer() {
    let s = screen(&with_answer(clean(), "mh.other", json!("panic attacks")));
    let f = &s.findings[0];
    assert_eq!(f.rule, "mental-health-other");
    assert!(f.detail.contains("\"panic attacks\""));
    let s = screen(&with_answer(clean(), "mh.other", json!("   ")));
    assert!(s.findings.is_empty());
}

#[test]
fn loperamide_says_when_it_counts_as_an_opioid() {
    let s = screen(&with_med(clean(), "Imodium A-D", None));
    let f = &s.findings[0];
    assert!(f.action.contains("16 mg") && f.action.contains("withdrawal"));
    assert_eq!(s.earliest_start, date("2026-03-02"));
}

#[test]
fn the_benzodiazepine_rule_cites_what_supports_it() {
    let s = screen(&with_med(clean(), "Klonopin 0.5 mg", None));
    let f = &s.findings[0];
    assert!(f.detail.contains("weak"), "{}", f.detail);
    assert!(!f.patient_text.contains("usually fine"));
    assert!(f
        .sources
        .iter()
        .all(|src| !src.citation.contains("Naltrexone hydrochloride tablets")));
}

#[test]
fn withdrawal_unsure_holds_the_date() {
    let s = screen(&with_answer(
        clean(),
        "opioid.withdrawal_symptoms",
        json!("unsure"),
    ));
    assert_eq!(s.earliest_start, None);
}

#[test]
fn methadone_or_buprenorphine_still_taken_is_never_told_to_stop() {
    // The patient reads one voice: keep taking it, LDN cannot go with it.
    for line in ["methadone 60 mg", "Suboxone 8mg/2mg film", "metadona 80 mg"] {
        let s = screen(&with_med(clean(), line, None));
        assert!(
            fired(&s, "opioid-still-taking").is_empty(),
            "{line}: {:?}",
            rules(&s)
        );
        let f = s
            .findings
            .iter()
            .find(|f| f.rule == "moud-medicine-listed")
            .expect("moud-medicine-listed fires");
        assert!(
            f.holds_start && f.patient_text.contains("Do not stop it"),
            "{line}"
        );
        assert_eq!(s.earliest_start, None, "{line}");
    }
    // Any other opioid still taken is told how to stop.
    let s = screen(&with_med(clean(), "Norco", None));
    assert_eq!(fired(&s, "opioid-still-taking").len(), 1);
}
