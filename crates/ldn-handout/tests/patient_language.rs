//! What the patient reads, checked by machine on every build: English at grade 6 or below
//! (Flesch–Kincaid, the `textstat` crate), Spanish words a Mexican/US Spanish dictionary knows
//! (`hunspell -d es_MX`), and neither an ISO date nor a slash gender form ("seguro/a") in any
//! patient text. The sources are every patient string in `data/`: the handout and wallet card,
//! the finding texts, and the questionnaire (not the PHQ-9 and AUDIT-C items, whose wording is
//! the validated instruments').

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use ldn_engine::Language;
use toml::Value;

const GRADE_LIMIT: f64 = 6.0;

/// Drug, brand, condition and instrument names, and abbreviations: scored as a one-syllable
/// word, and known to the Spanish check. Everything else must be plain.
const NAMES: &[&str] = &[
    "LDN",
    "FDA",
    "naltrexone",
    "naltrexona",
    "naloxone",
    "naloxona",
    "Narcan",
    "opioid",
    "opioids",
    "opioide",
    "opioides",
    "Norco",
    "Vicodin",
    "Percocet",
    "OxyContin",
    "tramadol",
    "Ultram",
    "Tradol",
    "Tylenol",
    "morphine",
    "morfina",
    "Dilaudid",
    "codeine",
    "codeína",
    "hydrocodone",
    "hidrocodona",
    "oxycodone",
    "oxicodona",
    "Robitussin",
    "promethazine",
    "prometazina",
    "Tussionex",
    "Kratom",
    "ZaZa",
    "Tianaa",
    "tianeptine",
    "tianeptina",
    "methadone",
    "Metadona",
    "Suboxone",
    "buprenorphine",
    "buprenorfina",
    "heroin",
    "Heroína",
    "fentanyl",
    "fentanilo",
    "Imodium",
    "loperamide",
    "loperamida",
    "Lomotil",
    "acetaminophen",
    "acetaminofén",
    "AC",
    "AYUDA",
    "COVID",
    "ME/CFS",
    "EM/SFC",
    "PHQ",
    "AUDIT",
    "TFGe",
    "mL",
    "min",
    "m²",
    "Crohn",
    "Subutex",
    "Zubsolv",
    "Sublocade",
    "Brixadi",
    "nalmefene",
    "nalmefeno",
    "hepatitis",
    "cirrhosis",
    "bipolar",
    "B",
    "C",
    "EE",
    "UU",
    "Fibromialgia",
    "autoinmune",
    "MS",
    "Contin",
];

/// Flesch–Kincaid means nothing for a label of a few words ("Dizziness", "Multiple
/// sclerosis"): sentences of at least this many words are scored.
const SCORED_WORDS: usize = 5;

fn data(path: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(path);
    toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Table(t) => t.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Every patient string of one language, with where it comes from; the validated instruments'
/// items (PHQ-9, AUDIT-C) only with `instruments`.
fn patient_strings(lang: &str, instruments: bool) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let handout = data(&format!("handout/{lang}.toml"));
    for section in ["handout", "card"] {
        for (key, value) in handout[section].as_table().unwrap() {
            // Pure placeholders ("{dose} mg", "Page {page} of {pages}") hold no prose.
            if ["dose", "page", "calendar_day", "footer"].contains(&key.as_str()) {
                continue;
            }
            let mut texts = Vec::new();
            strings(value, &mut texts);
            found.extend(
                texts
                    .into_iter()
                    .map(|t| (format!("handout/{lang}.toml {section}.{key}"), t)),
            );
        }
    }
    let rules = data("rules.toml");
    for rule in rules["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        found.push((
            format!("rules.toml {id} patient_text.{lang}"),
            rule["patient_text"][lang].as_str().unwrap().to_owned(),
        ));
    }
    let q = data("questionnaire.toml");
    for question in q["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        if question.get("retired").is_some() {
            continue;
        }
        if question["type"].as_str() == Some("item_scale") {
            if instruments {
                let mut texts = Vec::new();
                for part in ["item_text", "scale", "stem"] {
                    if let Some(value) = question.get(part) {
                        strings(value, &mut texts);
                    }
                }
                found.extend(
                    texts
                        .into_iter()
                        .map(|t| (format!("questionnaire.toml {id} items"), t)),
                );
            }
            continue;
        }
        for part in ["text", "help"] {
            if let Some(t) = question.get(part) {
                found.push((
                    format!("questionnaire.toml {id} {part}"),
                    t[lang].as_str().unwrap().to_owned(),
                ));
            }
        }
        for option in question
            .get("options")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            found.push((
                format!("questionnaire.toml {id} option"),
                option["label"][lang].as_str().unwrap().to_owned(),
            ));
        }
    }
    for option in q["option_sets"]["tri_state"]["options"].as_array().unwrap() {
        found.push((
            "questionnaire.toml tri_state".into(),
            option["label"][lang].as_str().unwrap().to_owned(),
        ));
    }
    for (key, value) in q["medication_entry"].as_table().unwrap() {
        if let Some(t) = value.get(lang).and_then(Value::as_str) {
            found.push((
                format!("questionnaire.toml medication_entry.{key}"),
                t.to_owned(),
            ));
        }
    }
    for section in q["sections"].as_array().unwrap() {
        found.push((
            "questionnaire.toml section".into(),
            section["title"][lang].as_str().unwrap().to_owned(),
        ));
    }
    found
}

/// The text as it is read: placeholders become `it` ("it", "eso"), names one short word.
fn as_read(text: &str, it: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(it);
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.split(' ')
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !bare.is_empty() && NAMES.iter().any(|n| n.eq_ignore_ascii_case(bare)) {
                w.replace(bare, "pill")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn english_patient_text_reads_at_grade_6_or_below() {
    let mut too_hard = Vec::new();
    for (place, text) in patient_strings("en", false) {
        let mut read = as_read(&text, "it");
        if read.split_whitespace().count() < SCORED_WORDS {
            continue;
        }
        if !read.trim_end().ends_with(['.', '?', '!', ':']) {
            read.push('.');
        }
        let grade = textstat::flesch_kincaid_grade(&read);
        if grade > GRADE_LIMIT {
            too_hard.push(format!("{grade:.1}  {place}: {text}"));
        }
    }
    assert!(
        too_hard.is_empty(),
        "above grade {GRADE_LIMIT}:\n{}",
        too_hard.join("\n")
    );
}

#[test]
fn the_grade_check_can_fail() {
    let hard = "Naltrexone's pharmacokinetic characteristics necessitate individualized titration considerations.";
    assert!(textstat::flesch_kincaid_grade(&as_read(hard, "it")) > GRADE_LIMIT);
}

fn hunspell_unknown(text: &str) -> BTreeSet<String> {
    let mut child = Command::new("hunspell")
        .args(["-d", "es_MX", "-l"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("hunspell with the es_MX dictionary is needed (scripts/test installs hunspell-es)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn spanish_patient_text_is_spanish_words() {
    let mut all = String::new();
    for (_, text) in patient_strings("es", false) {
        all.push_str(&as_read(&text, "eso").replace("pill", "pastilla"));
        all.push('\n');
    }
    let unknown: Vec<String> = hunspell_unknown(&all)
        .into_iter()
        .filter(|w| !NAMES.contains(&w.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "not Spanish words (or names to add to NAMES): {unknown:?}"
    );
    // And the check does flag a word that is not Spanish.
    assert!(hunspell_unknown("Tómelo con comidda").contains("comidda"));
}

fn has_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
    })
}

/// "seguro/a", "alérgico/a": a slash between a word and a gender ending.
fn has_slash_gender(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        w.ends_with("/a") || w.ends_with("/o") || w.ends_with("/as") || w.ends_with("/os")
    })
}

#[test]
fn no_iso_date_or_slash_gender_in_patient_text() {
    for lang in ["en", "es"] {
        for (place, text) in patient_strings(lang, true) {
            assert!(!has_iso_date(&text), "{place}: {text}");
            assert!(!has_slash_gender(&text), "{place}: {text}");
        }
    }
    // The texts as filled for real intakes: every example, in both languages.
    let engine = ldn_data::engine().unwrap();
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    for entry in std::fs::read_dir(cases).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".answers.json") {
            continue;
        }
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for language in [Language::En, Language::Es] {
            v["language"] = serde_json::to_value(language).unwrap();
            let summary = engine.screen(&engine.validate_answers(&v).unwrap());
            for f in &summary.findings {
                assert!(
                    !has_iso_date(&f.patient_text),
                    "{}: {}",
                    path.display(),
                    f.patient_text
                );
                assert!(
                    !has_slash_gender(&f.patient_text),
                    "{}: {}",
                    path.display(),
                    f.patient_text
                );
            }
        }
    }
    assert!(has_iso_date("on 2026-03-02.") && has_slash_gender("No estaba seguro/a de"));
}
