//! Issue 15: the intake into the clinic's health record. The summary's "Export for the health
//! record" writes a FHIR Bundle (checked here by fhir.resources, as scripts/test-fhir checks
//! the CLI's), and "Import answers" on a patient opens a QuestionnaireResponse made elsewhere
//! as a draft, or refuses one about another patient and saves nothing.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use ldn_e2e::{root, step, Result, Workstation};
use ldn_engine::Engine;
use serde_json::Value;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| ldn_data::engine().expect("the bundled data loads"))
}

/// The Python that has fhir.resources (scripts/test-fhir sets it up; scripts/test-e2e passes it).
fn fhir_python() -> String {
    std::env::var("LDN_FHIR_PYTHON").unwrap_or_else(|_| {
        root()
            .join("target/fhir-tools/venv/bin/python")
            .display()
            .to_string()
    })
}

/// Runs tests/fhir/check_resources.py on the files, against the Questionnaire of this data.
fn check_with_fhir_resources(dir: &Path, files: &[&Path]) -> Result<String> {
    let questionnaire = dir.join("questionnaire.json");
    std::fs::write(
        &questionnaire,
        ldn_fhir::questionnaire(engine()).to_string(),
    )?;
    let out = Command::new(fhir_python())
        .arg(root().join("tests/fhir/check_resources.py"))
        .arg("--questionnaire")
        .arg(&questionnaire)
        .args(files)
        .output()?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        return Err(format!("the FHIR check refused the export:\n{said}").into());
    }
    Ok(said)
}

/// The audit screen, read for one patient, as its rows' text.
async fn audit_rows_about(app: &ldn_e2e::App, patient: &str) -> Result<Vec<String>> {
    app.click_button("Settings").await?;
    app.wait_css("select[name=audit-patient] option:nth-child(2)")
        .await?;
    app.client
        .execute(
            &format!(
                "const s = document.querySelector('select[name=audit-patient]');\
                 s.value = [...s.options].find(o => o.textContent.includes('{patient}')).value;\
                 s.dispatchEvent(new Event('change'));"
            ),
            vec![],
        )
        .await?;
    let rows = app
        .client
        .execute(
            "return [...document.querySelectorAll('section tbody tr')]\
               .filter(r => r.closest('table').querySelector('th')?.textContent === 'When')\
               .map(r => r.innerText);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

fn new_json(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_summary_exports_a_bundle_that_outside_tools_accept() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Rosa", "Registro", "1970-04-04").await?;
    app.add_medicine("Norco 5/325", Some("01/02/2026")).await?;
    app.answer_the_rest(&[("opioid.current", "yes")]).await?;
    app.complete().await?;
    app.save_document("Save the patient handout as PDF", &ws.exports())
        .await?;

    step("export for the health record");
    app.click_button("Export for the health record").await?;
    app.wait_until(
        "the export",
        "document.querySelector('[data-testid=export-result]').textContent.startsWith('Saved')",
    )
    .await?;
    let said = app.text_of("[data-testid=export-result]").await?;
    assert!(said.contains("1 document attached"), "{said}");
    app.wait_until(
        "the result in view",
        "(document.querySelector('[data-testid=export-result]').scrollIntoView({block: 'center'}), true)",
    )
    .await?;
    app.check_screen("61-health-record-export").await?;
    let files = new_json(&ws.exports());
    assert_eq!(files.len(), 1, "{files:?}");
    let checked = check_with_fhir_resources(ws.dir.path(), &[&files[0]])?;
    assert!(checked.contains("FHIR check: valid"), "{checked}");

    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&files[0])?)?;
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let of = |kind: &str| {
        resources
            .iter()
            .filter(|r| r["resourceType"] == kind)
            .count()
    };
    assert_eq!(of("Patient"), 1);
    assert_eq!(of("QuestionnaireResponse"), 1);
    assert!(
        of("DetectedIssue") >= 1,
        "Norco taken this year is a finding"
    );
    assert_eq!(of("MedicationStatement"), 1);
    let document = resources
        .iter()
        .find(|r| r["resourceType"] == "DocumentReference")
        .unwrap();
    assert!(document["content"][0]["attachment"]["data"]
        .as_str()
        .is_some_and(|d| d.len() > 1000));
    let assessment = resources
        .iter()
        .find(|r| r["resourceType"] == "RiskAssessment")
        .unwrap();
    let verdict = assessment["prediction"][0]["outcome"]["coding"][0]["code"]
        .as_str()
        .unwrap();
    app.wait_until(
        "the summary to show the exported verdict",
        &format!("document.querySelector('[data-testid=verdict]').dataset.verdict === '{verdict}'"),
    )
    .await?;

    // The export is in the audit trail, as documents are.
    let trail = app.invoke("audit_trail", serde_json::json!({})).await?;
    assert!(
        trail["ok"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "export"),
        "no export in the audit trail: {trail}"
    );
    // And on the audit screen, in words.
    let rows = audit_rows_about(&app, "Registro").await?;
    assert!(
        rows.iter()
            .any(|r| r.contains("Exported for the health record")),
        "{rows:#?}"
    );
    app.client
        .execute(
            "document.querySelector('select[name=audit-patient]').scrollIntoView();",
            vec![],
        )
        .await?;
    app.check_screen("64-audit-export").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_from_a_portal_open_as_a_draft_and_another_patients_are_refused() -> Result<()> {
    let ws = Workstation::new()?;
    // A QuestionnaireResponse as a portal would send it: the example intake's answers, about
    // the patient on record here.
    let text = std::fs::read_to_string(root().join("tests/cases/03-robitussin-ac.answers.json"))?;
    let mut intake = engine().parse_answers(&text)?;
    intake.patient.given_name = "Inés".into();
    intake.patient.family_name = "Portal".into();
    intake.patient.birth_date = "1988-09-30".parse()?;
    // Given today: answers older than the questions' 14 days are refused.
    intake.intake_date = chrono::Local::now().date_naive();
    let response = ldn_fhir::response(engine(), &intake, ldn_fhir::ResponseStatus::Completed, None);

    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Ines", "Portal", "1988-09-30").await?;
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.fill("search", "Portal").await?;
    app.click_button("Ines Portal — born 1988-09-30").await?;
    app.wait_heading("Ines Portal").await?;

    step("a response about someone else");
    let mut other = response.clone();
    let patient = other["item"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["linkId"] == "patient")
        .unwrap();
    patient["item"][2]["answer"][0]["valueDate"] = Value::from("1988-09-03");
    std::fs::write(ws.import_file(), other.to_string())?;
    app.click_button("Import answers").await?;
    app.wait_until(
        "the refusal",
        "document.querySelector('[data-testid=import-result]').textContent.includes('patient.birth_date: these answers are about another patient')",
    )
    .await?;
    app.check_screen("62-import-refused").await?;
    let intakes = app
        .invoke("patient_intakes", serde_json::json!({"patientId": 1}))
        .await?;
    assert_eq!(
        intakes["ok"].as_array().unwrap().len(),
        1,
        "nothing was saved: {intakes}"
    );

    step("the patient's own response, with accents the record lacks");
    std::fs::write(ws.import_file(), response.to_string())?;
    app.click_button("Import answers").await?;
    app.wait_heading("Intake:").await?;
    app.check_screen("63-import-draft").await?;
    let intakes = app
        .invoke("patient_intakes", serde_json::json!({"patientId": 1}))
        .await?;
    assert_eq!(intakes["ok"].as_array().unwrap().len(), 2, "{intakes}");
    app.complete().await?;
    let rows = audit_rows_about(&app, "Portal").await?;
    assert!(
        rows.iter()
            .any(|r| r.contains("Imported answers from a file")),
        "{rows:#?}"
    );
    app.quit().await
}

/// The QuestionnaireResponse LHC-Forms wrote in scripts/test-fhir, imported into the app, and
/// the same answers typed into the app by hand: both screen to the same summary.
#[tokio::test(flavor = "multi_thread")]
async fn lhc_forms_answers_screen_in_the_app_as_the_same_answers_typed() -> Result<()> {
    let dir = root().join("target/fhir-check");
    let (response, typed) = (
        dir.join("lforms-response.json"),
        dir.join("lforms-typed.answers.json"),
    );
    if !response.exists() || !typed.exists() {
        return Err(format!(
            "{} is not there: run ./scripts/test-fhir first (./scripts/test runs it before these tests)",
            response.display()
        )
        .into());
    }
    let typed: Value = serde_json::from_str(&std::fs::read_to_string(&typed)?)?;
    let ws = Workstation::new()?;
    std::fs::copy(&response, ws.import_file())?;
    let app = ws.launch().await?;
    app.first_run().await?;

    step("the answers typed into the app");
    let patient = &typed["patient"];
    let (given, family) = (
        patient["given_name"].as_str().unwrap(),
        patient["family_name"].as_str().unwrap(),
    );
    app.new_patient(given, family, patient["birth_date"].as_str().unwrap())
        .await?;
    for line in typed["medications"].as_array().unwrap() {
        let last: Option<chrono::NaiveDate> =
            line["last_taken"].as_str().map(str::parse).transpose()?;
        let last = last.map(|d| d.format("%m/%d/%Y").to_string());
        app.add_medicine(line["name"].as_str().unwrap(), last.as_deref())
            .await?;
    }
    // In questionnaire order, so each question is shown when its turn comes.
    for question in &engine().questionnaire().questions {
        match &typed["answers"][&question.id] {
            Value::String(value) => app.answer(&question.id, value).await?,
            Value::Array(items) => {
                let carried = question
                    .prefilled_from
                    .as_deref()
                    .and_then(|id| engine().questionnaire().question(id))
                    .and_then(|q| q.items)
                    .unwrap_or(0);
                for (i, item) in items.iter().enumerate().skip(carried) {
                    app.answer(&format!("{}.{}", question.id, i + 1), &item.to_string())
                        .await?;
                }
            }
            _ => {}
        }
    }
    app.complete().await?;
    let (typed_intake, _) = app.latest_of(family).await?;
    let opened = app
        .invoke("open_intake", serde_json::json!({"intakeId": typed_intake}))
        .await?;
    let typed_summary = opened["ok"]["latest"]["summary"].clone();

    step("LHC-Forms' response imported");
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.fill("search", family).await?;
    app.click_button(&format!(
        "{given} {family} — born {}",
        patient["birth_date"].as_str().unwrap()
    ))
    .await?;
    app.wait_heading(&format!("{given} {family}")).await?;
    app.click_button("Import answers").await?;
    app.wait_heading("Intake:").await?;
    app.complete().await?;
    let (imported_intake, _) = app.latest_of(family).await?;
    assert_ne!(imported_intake, typed_intake);
    let opened = app
        .invoke(
            "open_intake",
            serde_json::json!({"intakeId": imported_intake}),
        )
        .await?;
    let imported_summary = opened["ok"]["latest"]["summary"].clone();
    assert!(typed_summary.is_object(), "{typed_summary}");
    assert_eq!(
        imported_summary, typed_summary,
        "LHC-Forms' answers screen differently in the app"
    );
    app.quit().await
}
