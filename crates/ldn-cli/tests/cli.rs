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

/// The text of a PDF the binary wrote, as `pdftotext` reads it.
fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed");
    String::from_utf8(out.stdout).unwrap()
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

fn clinic_file(dir: &std::path::Path, text: &str) -> PathBuf {
    let path = dir.join("clinic.toml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn documents_are_written_and_the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = clinic_file(
        dir.path(),
        "name = \"Riverside\"\naddress = \"1 Main St\"\nphone = \"555-0142\"\n",
    );
    for (command, extra) in [
        ("handout", vec!["--lang", "es", "--paper", "a4"]),
        ("report", vec![]),
        ("card", vec!["--lang", "en"]),
    ] {
        let mut outputs = Vec::new();
        for run in 0..2 {
            let out = dir.path().join(format!("{command}-{run}.pdf"));
            ldn()
                .arg(command)
                .arg(case("02-vicodin-yesterday"))
                .arg("--out")
                .arg(&out)
                .arg("--clinic")
                .arg(&clinic)
                .args(&extra)
                .assert()
                .success();
            let bytes = fs::read(&out).unwrap();
            assert!(bytes.starts_with(b"%PDF-"), "{command}");
            outputs.push(bytes);
        }
        assert_eq!(outputs[0], outputs[1], "{command}: two runs differ");
    }
}

#[test]
fn a_custom_titration_protocol_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = clinic_file(
        dir.path(),
        "name = \"Riverside\"\nphone = \"555\"\n[[titration.steps]]\ndose_mg = 1.0\ndays = 7\n[[titration.steps]]\ndose_mg = 2.0\n",
    );
    let out = dir.path().join("h.pdf");
    ldn()
        .arg("handout")
        .arg(case("01-no-findings"))
        .arg("--out")
        .arg(&out)
        .arg("--clinic")
        .arg(&clinic)
        .assert()
        .success();
    let text = pdf_text(&out);
    assert!(
        text.contains("Sunday, March 8, 2026") && text.contains("2 mg"),
        "{text}"
    );
}

#[test]
fn bad_settings_and_options_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.pdf");
    let cases = [
        ("name = \"\"\nphone = \"555\"\n", "name"),
        ("name = \"R\"\nphone = \"555\"\nfax = \"1\"\n", "fax"),
        (
            "name = \"R\"\nphone = \"555\"\n[[titration.steps]]\ndose_mg = 50.0\n",
            "titration.steps[0].dose_mg",
        ),
    ];
    for (text, field) in cases {
        let clinic = clinic_file(dir.path(), text);
        let stderr = ldn()
            .arg("handout")
            .arg(case("01-no-findings"))
            .arg("--out")
            .arg(&out)
            .arg("--clinic")
            .arg(&clinic)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(
            String::from_utf8(stderr).unwrap().contains(field),
            "{field}"
        );
        assert!(!out.exists());
    }
    ldn()
        .arg("handout")
        .arg(case("01-no-findings"))
        .arg("--out")
        .arg(&out)
        .args(["--paper", "legal"])
        .assert()
        .code(2);
    ldn()
        .arg("card")
        .arg(case("01-no-findings"))
        .arg("--out")
        .arg(&out)
        .args(["--lang", "fr"])
        .assert()
        .code(2);
    assert!(!out.exists());
    // An answers file with bad values produces no document either.
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{}").unwrap();
    ldn()
        .arg("report")
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
    // A folder that does not exist cannot be written to: exit 1, and the message names it.
    let nowhere = dir.path().join("no/such/dir/h.pdf");
    let stderr = ldn()
        .arg("card")
        .arg(case("01-no-findings"))
        .arg("--out")
        .arg(&nowhere)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(stderr).unwrap().contains("no/such/dir"));
}

/// Each intake the issue behind screening-contract.md §4 reported as "start today", through
/// `ldn screen --json`: (what changes from the first example, verdict, earliest start).
#[test]
fn revision_2_cases_through_the_binary() {
    let base: Value =
        serde_json::from_str(&fs::read_to_string(case("01-no-findings")).unwrap()).unwrap();
    let intake_date = base["intake_date"].as_str().unwrap().to_owned();
    let days_ago = |n: i64| {
        (chrono::NaiveDate::parse_from_str(&intake_date, "%Y-%m-%d").unwrap()
            - chrono::Duration::days(n))
        .to_string()
    };
    let with_med = |name: &str, last: Option<i64>| {
        let mut v = base.clone();
        let mut line = serde_json::json!({ "name": name });
        if let Some(n) = last {
            line["last_taken"] = Value::from(days_ago(n));
        }
        v["medications"] = serde_json::json!([line]);
        v
    };
    let without = |mut v: Value, id: &str| {
        v["answers"].as_object_mut().unwrap().remove(id);
        v
    };
    let answer = |mut v: Value, id: &str, a: &str| {
        v["answers"][id] = Value::from(a);
        v
    };
    let null = Value::Null;
    let cases: Vec<(&str, Value, &str, Value)> = vec![
        (
            "Sublocade 40 days ago, depot no",
            answer(
                with_med("Sublocade", Some(40)),
                "opioid.depot_buprenorphine_12mo",
                "no",
            ),
            "contraindicated",
            null.clone(),
        ),
        (
            "monthly injection 35 days ago, depot skipped",
            without(
                with_med("buprenorphine monthly injection", Some(35)),
                "opioid.depot_buprenorphine_12mo",
            ),
            "contraindicated",
            null.clone(),
        ),
        (
            "Probuphine implant",
            with_med("Probuphine implant", Some(100)),
            "contraindicated",
            null.clone(),
        ),
        (
            "opioid.current yes, opioid 30 days ago",
            answer(with_med("Percocet", Some(30)), "opioid.current", "yes"),
            "contraindicated",
            null.clone(),
        ),
        (
            "metadona",
            with_med("metadona 80 mg", None),
            "contraindicated",
            null.clone(),
        ),
        (
            "Tradol",
            with_med("Tradol", None),
            "contraindicated",
            null.clone(),
        ),
        (
            "ZaZa",
            with_med("ZaZa", None),
            "contraindicated",
            null.clone(),
        ),
        (
            "Tylenol #2 yesterday",
            with_med("Tylenol #2", Some(1)),
            "contraindicated",
            Value::from(days_ago(1 - 10)),
        ),
        (
            "Tylenol 1 yesterday",
            with_med("Tylenol 1", Some(1)),
            "contraindicated",
            Value::from(days_ago(1 - 10)),
        ),
        (
            "opioid.current unanswered",
            without(base.clone(), "opioid.current"),
            "needs_review",
            null.clone(),
        ),
        (
            "opioid.moud unanswered",
            without(base.clone(), "opioid.moud"),
            "needs_review",
            null.clone(),
        ),
        (
            "street fentanyl 11 days ago",
            with_med("fentanyl", Some(11)),
            "contraindicated",
            Value::from(days_ago(11 - 14)),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, intake, verdict, start) in cases {
        let file = dir.path().join("intake.json");
        fs::write(&file, serde_json::to_string(&intake).unwrap()).unwrap();
        let out = ldn()
            .args(["screen", "--json"])
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let summary: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(summary["verdict"], verdict, "{what}");
        assert_eq!(summary["earliest_start"], start, "{what}");
        assert_ne!(
            summary["earliest_start"],
            Value::from(intake_date.clone()),
            "{what}"
        );
        let held = summary["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["holds_start"] == true);
        assert!(held, "{what}: no finding says why the date is held");
    }
}

/// Issue 10: `--protocol` prints the chosen plan; with no clinic file the patient is asked to
/// write the clinic's details in, never "(phone not set)".
#[test]
fn the_handout_prints_a_chosen_plan_and_asks_for_missing_clinic_details() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.pdf");
    ldn()
        .arg("handout")
        .arg(case("10-severe-kidney-disease"))
        .args(["--protocol", "low-start", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = pdf_text(&out);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Your clinic chose this plan for you (a low start).")
            && flat.contains("0.5 mg"),
        "{text}"
    );
    assert!(
        flat.contains("Write your clinic's name and phone number here"),
        "{text}"
    );
    assert!(!flat.contains("not set"), "{text}");
    ldn()
        .arg("handout")
        .arg(case("10-severe-kidney-disease"))
        .args(["--protocol", "slow", "--out"])
        .arg(dir.path().join("x.pdf"))
        .assert()
        .code(2);
}
