//! The `ldn` binary, run as a user would: exit codes, messages, and the example intakes.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn ldn() -> Command {
    Command::cargo_bin("ldn").unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn case(name: &str) -> PathBuf {
    repo()
        .join("tests/cases")
        .join(format!("{name}.answers.json"))
}

#[test]
fn screen_json_matches_each_example() {
    for entry in fs::read_dir(repo().join("tests/cases")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".expect.json") else {
            continue;
        };
        let expect: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let out = ldn()
            .args(["screen", "--json"])
            .arg(case(stem))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let summary: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(summary["format"], "ldn-intake/summary@1");
        for key in ["verdict", "urgent", "earliest_start"] {
            if let Some(want) = expect.get(key) {
                assert_eq!(&summary[key], want, "{stem}: {key}");
            }
        }
    }
}

#[test]
fn screen_text_is_readable() {
    let out = ldn()
        .arg("screen")
        .arg(case("02-vicodin-yesterday"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Verdict: CONTRAINDICATED"), "{text}");
    assert!(text.contains("Earliest start: 2026-03-11"), "{text}");
    assert!(
        text.contains("Vicodin 5/300 -> hydrocodone + acetaminophen [OPIOID, short-acting]"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("{ not json", "(file)"),
        (
            r#"{"format":"ldn-intake/answers@1","intake_date":"2026-02-30","language":"en","patient":{"given_name":"A","family_name":"B","birth_date":"1980-01-01"},"answers":{},"medications":[]}"#,
            "intake_date",
        ),
        (
            r#"{"format":"ldn-intake/answers@1","intake_date":"2026-03-02","language":"en","patient":{"given_name":"A","family_name":"B","birth_date":"1980-01-01"},"answers":{"opioid.current":"perhaps"},"medications":[]}"#,
            "answers.opioid.current",
        ),
        (
            r#"{"format":"ldn-intake/answers@1","intake_date":"2026-03-02","language":"en","patient":{"given_name":"A","family_name":"B","birth_date":"1980-01-01"},"answers":{"mh.phq9":[0,0,0,0,0,0,0,0,7]},"medications":[]}"#,
            "answers.mh.phq9",
        ),
        (
            r#"{"format":"ldn-intake/answers@1","intake_date":"2026-03-02","language":"en","patient":{"given_name":"A","family_name":"B","birth_date":"1980-01-01"},"answers":{"opioid.last_week":"no"},"medications":[]}"#,
            "answers.opioid.last_week",
        ),
        (
            r#"{"format":"ldn-intake/answers@1","intake_date":"2026-03-02","language":"en","patient":{"given_name":"A","family_name":"B","birth_date":"1980-01-01"},"answers":{},"medications":[{"name":"Norco","last_taken":"2026-03-09"}]}"#,
            "medications[0].last_taken",
        ),
    ];
    for (i, (text, field)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad{i}.json"));
        fs::write(&file, text).unwrap();
        let out = ldn()
            .arg("screen")
            .arg(&file)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(field), "{field} not named in {stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = ldn()
        .args(["screen", "/no/such/file.json"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("/no/such/file.json"));
}

#[test]
fn meds_lookup_explains_a_line() {
    let out = ldn()
        .args(["meds", "lookup", "Suboxone 8mg/2mg film", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let m: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(m["status"], "recognized");
    assert_eq!(m["opioid"], true);
    assert_eq!(m["long_acting"], true);
    let out = ldn()
        .args(["meds", "lookup", "Quixolan 20mg"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("NOT RECOGNISED"));
}

#[test]
fn rules_check_passes_on_the_data_folder_and_fails_on_a_broken_copy() {
    let data = repo().join("data");
    let out = ldn()
        .args(["rules", "check"])
        .arg(&data)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("no problems"));

    let copy = tempfile::tempdir().unwrap();
    fs::create_dir(copy.path().join("medicines")).unwrap();
    for file in ldn_engine::DATA_FILES {
        fs::copy(data.join(file), copy.path().join(file)).unwrap();
    }
    let rules = copy.path().join("rules.toml");
    let text = fs::read_to_string(&rules).unwrap().replacen(
        "sources = [\"label-oral\"]\nreviewed",
        "sources = []\nreviewed",
        1,
    );
    fs::write(&rules, text).unwrap();
    let out = ldn()
        .args(["rules", "check"])
        .arg(copy.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("has no sources"));
    // And screening with that data is refused rather than run on inconsistent rules.
    ldn()
        .args(["screen", "--data"])
        .arg(copy.path())
        .arg(case("01-no-findings"))
        .assert()
        .code(2);
}
