//! `ldn fhir` on real files and a real database: the questionnaire, exports with the
//! clinician's sign-off (audited), and imports that save, or refuse and change nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use ldn_store::{Decision, NewStaff, Role, Store};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

fn ldn() -> Command {
    let mut c = Command::cargo_bin("ldn").unwrap();
    c.env("LDN_USER", "admin")
        .env("LDN_PASSWORD", PASSWORD)
        .env_remove("LDN_RECOVERY_KEY");
    c
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/cases")
        .join(format!("{name}.answers.json"))
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut c = ldn();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    c.output().unwrap()
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

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_questionnaire_goes_to_stdout_or_a_file() {
    let printed: Value = serde_json::from_str(&ok(run(&["fhir", "questionnaire"], &[]))).unwrap();
    assert_eq!(printed["resourceType"], "Questionnaire");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.json");
    ok(run(&["fhir", "questionnaire", "--out"], &[&file]));
    assert_eq!(read(&file), printed);
}

#[test]
fn an_export_from_the_database_carries_the_sign_off_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    ok(run(&["db", "init", "--db"], &[&db]));
    ok(run(
        &["intake", "save"],
        &[&case("02-vicodin-yesterday"), Path::new("--db"), &db],
    ));
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin
        .add_staff(&NewStaff {
            username: "cleo",
            display_name: "Dr Cleo",
            password: "first phrase set by admin",
            role: Role::Clinician,
        })
        .unwrap();
    drop(admin);
    let mut cleo = Store::open(&db, "cleo", "first phrase set by admin").unwrap();
    cleo.change_password("first phrase set by admin", "cleo signs with care")
        .unwrap();
    cleo.sign_off(1, Decision::DoNotStart, "washout first", None)
        .unwrap();
    drop(cleo);

    let out = dir.path().join("record.json");
    ok(run(
        &["fhir", "export", "1", "--out"],
        &[&out, Path::new("--db"), &db],
    ));
    let bundle = read(&out);
    let provenance = resources(&bundle, "Provenance");
    assert_eq!(provenance.len(), 1);
    assert_eq!(provenance[0]["agent"][0]["who"]["display"], "Dr Cleo");
    let decision = &provenance[0]["extension"][0]["valueCodeableConcept"]["coding"][0];
    assert_eq!(decision["code"], "do_not_start");
    assert_eq!(
        provenance[0]["extension"][1]["valueString"],
        "washout first"
    );
    // Signed off: the findings and the verdict are final.
    assert_eq!(resources(&bundle, "RiskAssessment")[0]["status"], "final");
    assert_eq!(
        resources(&bundle, "QuestionnaireResponse")[0]["status"],
        "completed"
    );

    let store = Store::open(&db, "admin", PASSWORD).unwrap();
    let trail = store.audit_trail().unwrap();
    let export = trail
        .iter()
        .rev()
        .find(|r| r.action == "export")
        .expect("the export is audited");
    let digest = sha256_hex(&std::fs::read(&out).unwrap());
    assert_eq!(export.detail, format!("fhir-bundle {digest}"));
    assert_eq!(export.subject, "version 1");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn an_import_saves_an_intake_or_refuses_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    ok(run(&["db", "init", "--db"], &[&db]));
    let bundle_file = dir.path().join("bundle.json");
    ok(run(
        &["fhir", "export"],
        &[&case("03-robitussin-ac"), Path::new("--out"), &bundle_file],
    ));
    let bundle = read(&bundle_file);
    let mut response = resources(&bundle, "QuestionnaireResponse")[0].clone();
    let response_file = dir.path().join("response.json");
    std::fs::write(&response_file, response.to_string()).unwrap();

    // Without --db: the screening, as `ldn screen` gives it for the same answers.
    let imported = ok(run(&["fhir", "import", "--json"], &[&response_file]));
    let screened = ok(run(&["screen", "--json"], &[&case("03-robitussin-ac")]));
    assert_eq!(imported, screened);

    // Bad input: the field is named, the exit status is 2, and the database is unchanged.
    response["item"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "linkId": "liver.fatty",
            "answer": [{"valueBoolean": true}],
        }));
    let bad_file = dir.path().join("bad.json");
    std::fs::write(&bad_file, response.to_string()).unwrap();
    let out = run(&["fhir", "import"], &[&bad_file, Path::new("--db"), &db]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("item \"liver.fatty\": is not an item of the LDN Intake questionnaire"),
        "{said}"
    );
    assert_eq!(
        ok(run(&["intake", "list", "--db"], &[&db])).trim(),
        "no intakes yet"
    );

    // Answers given long ago are not saved: their "last 14 days" are not these.
    let out = run(
        &["fhir", "import"],
        &[&response_file, Path::new("--db"), &db],
    );
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("authored: the answers were given on 2026-03-02"),
        "{said}"
    );
    assert_eq!(
        ok(run(&["intake", "list", "--db"], &[&db])).trim(),
        "no intakes yet"
    );

    let today = chrono::Local::now().date_naive().to_string();
    let mut response: Value = read(&response_file);
    response["authored"] = Value::from(today);
    std::fs::write(&response_file, response.to_string()).unwrap();
    let saved = ok(run(
        &["fhir", "import"],
        &[&response_file, Path::new("--db"), &db],
    ));
    assert_eq!(saved.trim(), "1");
    let listed = ok(run(&["intake", "list", "--db"], &[&db]));
    assert!(listed.contains("v1 completed"), "{listed}");
}
