//! The example intakes of shared/cases (copied to tests/cases) give their expected results.

mod common;

use std::fs;

use serde_json::Value;

fn severity_rank(s: &str) -> u8 {
    match s {
        "info" => 0,
        "monitor" => 1,
        "caution" => 2,
        "contraindicated" => 3,
        other => panic!("unknown severity {other}"),
    }
}

#[test]
fn every_example_intake_gives_its_expected_result() {
    let mut checked = 0;
    let mut entries: Vec<_> = fs::read_dir(common::cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for answers_path in entries
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".answers.json"))
    {
        let name = answers_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".answers.json", "");
        let expect_path = answers_path.with_file_name(format!("{name}.expect.json"));
        let expect: Value =
            serde_json::from_str(&fs::read_to_string(&expect_path).unwrap()).unwrap();
        let intake = common::engine()
            .parse_answers(&fs::read_to_string(answers_path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let summary = serde_json::to_value(common::engine().screen(&intake)).unwrap();

        for key in ["verdict", "urgent", "earliest_start"] {
            if let Some(want) = expect.get(key) {
                assert_eq!(&summary[key], want, "{name}: {key}");
            }
        }
        if let Some(categories) = expect.get("categories").and_then(Value::as_object) {
            for (category, min) in categories {
                let min = severity_rank(min.as_str().unwrap());
                let found = summary["findings"].as_array().unwrap().iter().any(|f| {
                    f["category"] == *category
                        && severity_rank(f["severity"].as_str().unwrap()) >= min
                });
                assert!(found, "{name}: no {category} finding of at least {min}");
            }
        }
        if let Some(lines) = expect.get("opioid").and_then(Value::as_array) {
            for line in lines {
                let med = summary["medications"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["input"] == *line)
                    .unwrap_or_else(|| panic!("{name}: {line} not in medications"));
                assert_eq!(med["opioid"], true, "{name}: {line} must be an opioid");
            }
        }
        for (key, score) in [("phq9", "phq9"), ("audit_c", "audit_c")] {
            if let Some(want) = expect.get(key) {
                assert_eq!(&summary["scores"][score], want, "{name}: {key}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} example intakes found");
}
