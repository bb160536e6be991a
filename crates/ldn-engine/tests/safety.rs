//! The safety invariant of screening-contract.md §4 as a property over generated intakes:
//! `earliest_start` is the intake date only when the intake proves that no opioid can still be
//! in the body. Whenever a line is an opioid or unrecognized and not proven past its washout,
//! or an opioid answer is yes, unsure or unanswered and not explained, the verdict is not
//! "no contraindication found" and the start date is not the intake date.
//!
//! The oracle below does not ask the engine what a line is when the test itself knows: the
//! labelled lines (Spanish names, foreign brands, street names, depots, numbered Tylenol) carry
//! their kind here, so a line the engine misreads as harmless is caught. Lines drawn from the
//! whole medicine table and random words are judged by how the engine read them: an opioid by
//! its acting, anything unrecognized as a possible long-acting opioid.

mod common;

use chrono::{Days, NaiveDate};
use ldn_engine::{MedicationStatus, Summary, Verdict};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const INTAKE: &str = "2026-03-02";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A short-acting opioid: 10 opioid-free days.
    Short,
    /// Extended-release, patch, methadone, buprenorphine: 14 days.
    Long,
    /// Illicit fentanyl, heroin, street pills, kratom, tianeptine: 14 days.
    Street,
    /// Depot or implanted buprenorphine: no date can be computed.
    Depot,
}

impl Kind {
    fn washout_days(self) -> Option<u64> {
        match self {
            Kind::Short => Some(10),
            Kind::Long | Kind::Street => Some(14),
            Kind::Depot => None,
        }
    }
}

/// Lines whose opioid content the test knows, whatever the engine makes of them.
const LABELLED: &[(&str, Kind)] = &[
    ("Norco 10/325", Kind::Short),
    ("Tylenol #3", Kind::Short),
    ("Tylenol #2", Kind::Short),
    ("Tylenol 1", Kind::Short),
    ("Tylenol No. 2", Kind::Short),
    ("tylenol 3", Kind::Short),
    ("Robitussin AC", Kind::Short),
    ("promethazine w/ codeine", Kind::Short),
    ("tramadol 50 mg", Kind::Short),
    ("Tradol 50 mg", Kind::Short),
    ("Tramacet", Kind::Short),
    ("Zaldiar 37.5/325", Kind::Short),
    ("Tylex 30 mg", Kind::Short),
    ("codeína 30 mg", Kind::Short),
    ("jarabe con codeina", Kind::Short),
    ("oxicodona 5 mg", Kind::Short),
    ("hidrocodona", Kind::Short),
    ("morfina 10 mg", Kind::Short),
    ("tapentadol 50 mg", Kind::Short),
    ("petidina", Kind::Short),
    ("Hycet", Kind::Short),
    ("Zydone", Kind::Short),
    ("Flowtuss", Kind::Short),
    ("Hycofenix", Kind::Short),
    ("Triacin-C", Kind::Short),
    ("Talwin NX", Kind::Short),
    ("Stadol NS", Kind::Short),
    ("Oramorph", Kind::Short),
    ("Darvocet N 100", Kind::Short),
    ("Solpadeine Plus", Kind::Short),
    ("Nurofen Plus", Kind::Short),
    ("Panadeine Forte", Kind::Short),
    ("OxyContin 20mg", Kind::Long),
    ("Xartemis XR", Kind::Long),
    ("Embeda 20 mg", Kind::Long),
    ("Troxyca ER", Kind::Long),
    ("MS Contin 15 mg", Kind::Long),
    ("fentanyl patch 25 mcg/hr", Kind::Long),
    ("parche de fentanilo", Kind::Long),
    ("methadone 30 mg", Kind::Long),
    ("metadona 80 mg", Kind::Long),
    ("buprenorfina", Kind::Long),
    ("Suboxone 8mg/2mg film", Kind::Long),
    ("Butrans 10", Kind::Long),
    ("Nucynta ER 100", Kind::Long),
    ("Sublocade 100 mg", Kind::Depot),
    ("Brixadi weekly", Kind::Depot),
    ("buprenorphine monthly injection", Kind::Depot),
    ("buprenorphine shot", Kind::Depot),
    ("Probuphine implant", Kind::Depot),
    ("kratom", Kind::Street),
    ("heroin", Kind::Street),
    ("heroína", Kind::Street),
    ("fentanyl", Kind::Street),
    ("M30", Kind::Street),
    ("percs", Kind::Street),
    ("roxies", Kind::Street),
    ("ZaZa", Kind::Street),
    ("tianeptine", Kind::Street),
    ("Tianaa", Kind::Street),
];

/// Lines that hold no systemic opioid (the engine may still ask about some of them).
const OTHERS: &[&str] = &[
    "sertraline 50 mg",
    "Imodium A-D",
    "Lomotil",
    "Klonopin 0.5 mg",
    "Tylenol 500 mg",
    "ibuprofen 400",
    "metformin 500 mg",
    "vitamin D3",
    "lisinopril 10",
    "Apokyn",
    "Atrovent",
    "Valtoco",
    "Movantik 25 mg",
    "Lucemyra 0.18 mg",
    "Vivitrol",
    "Tylenol 5",
    "Robitussin",
];

/// Words no table holds: the engine must treat them as possible opioids.
const UNKNOWN: &[&str] = &["Quixolan 20mg", "pain pills", "blue ones", "zorbitrex"];

const OPIOID_QUESTIONS: &[&str] = &[
    "opioid.current",
    "opioid.moud",
    "opioid.depot_buprenorphine_12mo",
    "opioid.oud_history",
    "opioid.withdrawal_symptoms",
];

fn intake_date() -> NaiveDate {
    INTAKE.parse().unwrap()
}

fn kind_of(name: &str) -> Option<Kind> {
    LABELLED.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

fn line_name() -> impl Strategy<Value = String> {
    let labelled: Vec<&str> = LABELLED.iter().map(|(n, _)| *n).collect();
    let mut table: Vec<String> = common::engine()
        .medicines()
        .names()
        .map(str::to_owned)
        .collect();
    table.sort();
    prop_oneof![
        4 => prop::sample::select(labelled).prop_map(str::to_owned),
        3 => prop::sample::select(table),
        2 => prop::sample::select(OTHERS).prop_map(str::to_owned),
        1 => prop::sample::select(UNKNOWN).prop_map(str::to_owned),
        1 => "[A-Za-z][A-Za-z0-9 /#.-]{0,20}",
    ]
}

fn line() -> impl Strategy<Value = Value> {
    (line_name(), prop::option::weighted(0.7, 0u64..60)).prop_map(|(name, days_ago)| match days_ago
    {
        Some(d) => {
            json!({ "name": name, "last_taken": (intake_date() - Days::new(d)).to_string() })
        }
        None => json!({ "name": name }),
    })
}

/// yes, no, unsure or unanswered, with "no" the most common.
fn opioid_answers() -> impl Strategy<Value = Vec<Option<&'static str>>> {
    let one = prop_oneof![
        5 => Just(Some("no")),
        1 => Just(Some("yes")),
        1 => Just(Some("unsure")),
        1 => Just(None),
    ];
    prop::collection::vec(one, OPIOID_QUESTIONS.len())
}

fn intake() -> impl Strategy<Value = Value> {
    (
        common::answers(),
        opioid_answers(),
        prop::collection::vec(line(), 0..6),
        prop::sample::select(vec!["en", "es"]),
    )
        .prop_map(|(mut answers, opioid, meds, language)| {
            for (id, value) in OPIOID_QUESTIONS.iter().zip(opioid) {
                match value {
                    Some(v) => answers.insert((*id).to_owned(), json!(v)),
                    None => answers.remove(*id),
                };
            }
            json!({
                "format": "ldn-intake/answers@1",
                "intake_date": INTAKE,
                "language": language,
                "patient": {
                    "given_name": "Prop", "family_name": "Safety",
                    "birth_date": "1975-06-15", "sex_at_birth": "female"
                },
                "answers": Value::Object(answers),
                "medications": meds
            })
        })
}

/// Why this intake cannot prove that no opioid is in the body, or `None` when it does.
fn what_could_hide_an_opioid(v: &Value, s: &Summary) -> Option<String> {
    let today = intake_date();
    let answers: &Map<String, Value> = v["answers"].as_object().unwrap();
    let answer = |id: &str| answers.get(id).and_then(Value::as_str);
    let mut recent_opioid_listed = false;
    let mut buprenorphine_listed = false;
    let mut why = None;
    for (line, read) in v["medications"].as_array().unwrap().iter().zip(
        // The summary lists lines in its own order; match them by text and date.
        v["medications"].as_array().unwrap().iter().map(|l| {
            s.medications
                .iter()
                .find(|m| {
                    m.input == l["name"].as_str().unwrap().trim()
                        && m.last_taken.map(|d| d.to_string()).as_deref()
                            == l["last_taken"].as_str()
                })
                .expect("every line is in the summary")
        }),
    ) {
        let name = line["name"].as_str().unwrap();
        let last: Option<NaiveDate> = line["last_taken"].as_str().map(|d| d.parse().unwrap());
        let days = match kind_of(name) {
            Some(kind) => {
                if name.to_lowercase().contains("bup")
                    || ["sublocade", "brixadi", "probuphine", "suboxone", "butrans"]
                        .iter()
                        .any(|b| name.to_lowercase().contains(b))
                {
                    buprenorphine_listed = true;
                }
                kind.washout_days()
            }
            None if read.status == MedicationStatus::Unrecognized => Some(14),
            None if read.classes.iter().any(|c| c == "opioid") => {
                Some(if read.long_acting { 14 } else { 10 })
            }
            None => continue,
        };
        let is_opioid = kind_of(name).is_some() || read.classes.iter().any(|c| c == "opioid");
        if is_opioid && last.is_none_or(|d| (today - d).num_days() <= 14) {
            recent_opioid_listed = true;
        }
        let proven = match (days, last) {
            (Some(n), Some(d)) => d + Days::new(n) <= today,
            _ => false,
        };
        if !proven {
            why.get_or_insert(format!("line {name:?} last taken {last:?}"));
        }
    }
    let unsure_or_blank = |id: &str| matches!(answer(id), None | Some("unsure"));
    if answer("opioid.current") == Some("yes") && !recent_opioid_listed {
        why.get_or_insert("opioid.current yes, no recent opioid listed".into());
    }
    for id in ["opioid.current", "opioid.moud"] {
        if unsure_or_blank(id) {
            why.get_or_insert(format!("{id} is {:?}", answer(id)));
        }
    }
    if answer("opioid.moud") == Some("yes") {
        why.get_or_insert("opioid.moud yes".into());
    }
    let depot = answer("opioid.depot_buprenorphine_12mo");
    if matches!(depot, Some("yes" | "unsure")) {
        why.get_or_insert(format!("depot question {depot:?}"));
    }
    let depot_matters = buprenorphine_listed
        || ["opioid.moud", "opioid.oud_history"]
            .iter()
            .any(|id| matches!(answer(id), Some("yes" | "unsure")));
    if depot.is_none() && depot_matters {
        why.get_or_insert("depot question unanswered while it matters".into());
    }
    if !matches!(answer("opioid.withdrawal_symptoms"), Some("no")) {
        why.get_or_insert("withdrawal symptoms yes, unsure or unanswered".into());
    }
    why
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2500))]

    #[test]
    fn never_start_today_while_an_opioid_may_be_in_the_body(v in intake()) {
        let intake = common::engine().validate_answers(&v).expect("generated intakes are valid");
        let s = common::engine().screen(&intake);
        if let Some(why) = what_could_hide_an_opioid(&v, &s) {
            let rules: Vec<&str> = s.findings.iter().map(|f| f.rule.as_str()).collect();
            prop_assert_ne!(
                s.verdict, Verdict::NoContraindicationFound,
                "{} — findings {:?}", why, rules
            );
            prop_assert_ne!(
                s.earliest_start, Some(intake_date()),
                "{} — findings {:?}", why, rules
            );
        }
        // Every held date says why, and only a held date does.
        let held = s.earliest_start != Some(intake_date());
        prop_assert_eq!(held, s.findings.iter().any(|f| f.holds_start), "{:?}", s.findings);
    }
}
