//! The transaction Bundle: every reference resolves inside it, every resource carries the
//! rule-set version, each finding is a DetectedIssue naming the medicine it is about, and the
//! same intake always gives the same file.

mod common;

use std::collections::HashSet;

use common::engine;
use ldn_engine::{Intake, Language, Summary};
use ldn_fhir::{bundle, Document, DocumentKind, Record, ResponseStatus, SignOff};
use serde_json::Value;

fn case(name: &str) -> (Intake, Summary) {
    let path = format!(
        "{}/../../tests/cases/{name}.answers.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let intake = engine()
        .parse_answers(&std::fs::read_to_string(path).unwrap())
        .unwrap();
    let summary = engine().screen(&intake);
    (intake, summary)
}

fn export(intake: &Intake, summary: &Summary, mrn: Option<&str>) -> Value {
    let documents = [Document {
        kind: DocumentKind::Handout,
        language: Language::Es,
        created: Some("2026-03-02T10:20:00.000Z"),
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        pdf: Some(b"%PDF-1.7 test"),
    }];
    bundle(
        engine(),
        &Record {
            intake,
            summary,
            status: ResponseStatus::Completed,
            mrn,
            signoff: Some(SignOff {
                clinician: "Dr. Rosa Maldonado",
                signed_at: "2026-03-02T10:15:00.000Z",
                decision: "do_not_start",
                note: "Wait for the washout.",
            }),
            documents: &documents,
        },
    )
}

fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("reference", Value::String(s)) => out.push(s.clone()),
                    _ => references(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_every_resource_is_tagged() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let b = export(&intake, &summary, Some("MRN-00417"));
    assert_eq!(b["type"], "transaction");
    let urls: HashSet<&str> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    for entry in b["entry"].as_array().unwrap() {
        let resource = &entry["resource"];
        assert_eq!(
            resource["meta"]["tag"][0]["code"],
            summary.rules_version.as_str()
        );
        assert_eq!(entry["request"]["url"], resource["resourceType"]);
        let mut refs = Vec::new();
        // A DetectedIssue's own `reference` is the URL of its authority, not a Reference.
        for (key, value) in resource.as_object().unwrap() {
            if key != "reference" {
                references(value, &mut refs);
            }
        }
        for r in refs {
            let contained = r.strip_prefix('#').is_some_and(|id| {
                resource["contained"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["id"] == id)
            });
            assert!(
                urls.contains(r.as_str()) || contained,
                "{r} does not resolve"
            );
        }
    }
    let patient = resources(&b, "Patient")[0];
    assert_eq!(patient["identifier"][0]["value"], "MRN-00417");
    assert_eq!(patient["birthDate"], intake.patient.birth_date.to_string());
}

#[test]
fn each_finding_is_an_issue_with_its_severity_action_sources_and_medicine() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let b = export(&intake, &summary, None);
    let issues = resources(&b, "DetectedIssue");
    assert_eq!(issues.len(), summary.findings.len());
    let statements: Vec<&Value> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "MedicationStatement")
        .collect();
    assert_eq!(statements.len(), summary.medications.len());
    let mut implicated = 0;
    for (issue, finding) in issues.iter().zip(&summary.findings) {
        assert_eq!(issue["extension"][0]["valueCode"], finding.rule.as_str());
        assert_eq!(issue["detail"], finding.detail.as_str());
        assert_eq!(
            issue["mitigation"][0]["action"]["text"],
            finding.action.as_str()
        );
        assert_eq!(
            issue["evidence"].as_array().unwrap().len(),
            finding.sources.len()
        );
        let expected = match finding.severity {
            ldn_engine::Severity::Contraindicated => "high",
            ldn_engine::Severity::Caution => "moderate",
            _ => "low",
        };
        assert_eq!(issue["severity"], expected);
        if let Some(line) = finding.medication {
            implicated += 1;
            assert_eq!(
                issue["implicated"][0]["reference"],
                statements[line]["fullUrl"]
            );
        }
    }
    assert!(
        implicated > 0,
        "Vicodin taken yesterday is a finding about one medicine line"
    );
    // Vicodin is hydrocodone and acetaminophen: both RxNorm ingredients, on the medicine.
    let medicine = &statements[0]["resource"]["contained"][0];
    let codes: Vec<&str> = medicine["ingredient"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["itemCodeableConcept"]["coding"][0]["code"].as_str())
        .collect();
    assert_eq!(codes, ["5489", "161"]);
}

#[test]
fn the_verdict_start_sign_off_and_document_are_there() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let b = export(&intake, &summary, None);
    let assessment = resources(&b, "RiskAssessment")[0];
    let verdict = serde_json::to_value(summary.verdict).unwrap();
    assert_eq!(
        assessment["prediction"][0]["outcome"]["coding"][0]["code"],
        verdict
    );
    match summary.earliest_start {
        Some(date) => assert_eq!(assessment["extension"][0]["valueDate"], date.to_string()),
        None => assert!(assessment["note"][0]["text"]
            .as_str()
            .unwrap()
            .contains("No start date")),
    }
    let provenance = resources(&b, "Provenance")[0];
    assert_eq!(
        provenance["agent"][0]["who"]["display"],
        "Dr. Rosa Maldonado"
    );
    let decision = &provenance["extension"][0]["valueCodeableConcept"]["coding"][0];
    assert_eq!(decision["code"], "do_not_start");
    let document = resources(&b, "DocumentReference")[0];
    assert_eq!(
        document["masterIdentifier"]["value"],
        "ni:///sha-256;n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"
    );
    assert_eq!(
        document["content"][0]["attachment"]["data"],
        "JVBERi0xLjcgdGVzdA=="
    );
}

#[test]
fn the_totals_carry_their_loinc_codes() {
    let (intake, summary) = case("07-phq9-item9");
    let b = export(&intake, &summary, None);
    let codes: Vec<(&str, i64)> = resources(&b, "Observation")
        .iter()
        .map(|o| {
            (
                o["code"]["coding"][0]["code"].as_str().unwrap(),
                o["valueInteger"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [("44261-6", i64::from(summary.scores.phq9.unwrap()))]
    );
}

#[test]
fn the_same_intake_gives_the_same_file_and_another_intake_other_ids() {
    let (intake, summary) = case("02-vicodin-yesterday");
    assert_eq!(
        export(&intake, &summary, None),
        export(&intake, &summary, None)
    );
    let (other, other_summary) = case("03-robitussin-ac");
    let ids = |b: &Value| -> HashSet<String> {
        b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["fullUrl"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = ids(&export(&intake, &summary, None));
    assert!(first.is_disjoint(&ids(&export(&other, &other_summary, None))));
}

/// Review finding 3: a medicine with a last dose was exported as "completed", which tells the
/// record the patient stopped it; the form only asked when it was last taken.
#[test]
fn a_medicine_with_a_last_dose_is_not_said_to_have_stopped() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let b = export(&intake, &summary, None);
    let statement = resources(&b, "MedicationStatement")[0];
    assert_ne!(statement["status"], "completed");
    assert_eq!(
        statement["effectivePeriod"]["end"],
        intake.medications[0].last_taken.unwrap().to_string()
    );
}

/// Review finding 7: findings and the verdict were "final" before any clinician signed off.
#[test]
fn findings_are_preliminary_until_a_clinician_signs_off() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let unsigned = bundle(
        engine(),
        &Record {
            intake: &intake,
            summary: &summary,
            status: ResponseStatus::Completed,
            mrn: None,
            signoff: None,
            documents: &[],
        },
    );
    for kind in ["DetectedIssue", "RiskAssessment"] {
        for r in resources(&unsigned, kind) {
            assert_eq!(r["status"], "preliminary", "{kind}");
        }
    }
    let signed = export(&intake, &summary, None);
    for kind in ["DetectedIssue", "RiskAssessment"] {
        for r in resources(&signed, kind) {
            assert_eq!(r["status"], "final", "{kind}");
        }
    }
}

/// Review finding 6: the MRN's system is ours, not the record system's, so a conditional
/// create on it could never match there, and could match another clinic's patient.
#[test]
fn the_patient_is_created_without_a_search_on_our_own_mrn_system() {
    let (intake, summary) = case("02-vicodin-yesterday");
    let b = export(&intake, &summary, Some("MRN 00417"));
    let entry = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .unwrap();
    assert!(entry["request"].get("ifNoneExist").is_none(), "{entry}");
}
