//! Issue 13: the patient record as the front desk keeps it — a misspelt name and a wrong birth
//! date put right with "Edit patient", the open intake going on under the corrected details,
//! and a correction that would make two records of one person refused.

use ldn_e2e::{Result, Workstation, ADMIN};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_misspelt_name_and_birth_date_are_corrected_and_the_open_intake_follows() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Other", "Person", "1990-01-01").await?;
    app.click_button("Patients").await?;
    app.new_patient("Lusia", "Nunes", "1984-03-15").await?;
    app.answer("opioid.current", "no").await?;
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.fill("search", "Nunes").await?;
    app.click_button("Lusia Nunes — born 1984-03-15").await?;
    app.wait_heading("Lusia Nunes").await?;
    app.click_button("Edit patient").await?;
    app.wait_heading("Edit patient").await?;
    app.check_screen("58-edit-patient").await?;

    // Someone else's name and birth date: refused beside nothing lost, the record unchanged.
    app.fill("patient.given_name", "Other").await?;
    app.fill("patient.family_name", "Person").await?;
    app.fill("patient.birth_date", "01/01/1990").await?;
    app.click_button("Save the correction").await?;
    app.wait_until(
        "the refusal",
        "(document.querySelector('.form-error') || {}).textContent?.includes('Another patient on record')",
    )
    .await?;
    app.check_screen("59-edit-patient-refused").await?;

    app.fill("patient.given_name", "Lucía").await?;
    app.fill("patient.family_name", "Ñúñez-García").await?;
    app.fill("patient.birth_date", "03/16/1984").await?;
    app.click_button("Save the correction").await?;
    app.wait_heading("Lucía Ñúñez-García").await?;
    let record = app.text_of("[data-testid=patient-record]").await?;
    assert!(record.contains("Born 1984-03-16"), "{record}");
    let found = app
        .invoke("search_patients", json!({ "query": "garcia" }))
        .await?;
    assert_eq!(found["ok"].as_array().map(Vec::len), Some(1), "{found}");
    let old = app
        .invoke("search_patients", json!({ "query": "Nunes" }))
        .await?;
    assert_eq!(old["ok"].as_array().map(Vec::len), Some(0), "{old}");

    // The open intake goes on under the corrected name, and its next save keeps it.
    app.click_button("Go on with intake").await?;
    app.wait_heading("Intake: Lucía Ñúñez-García").await?;
    app.answer("opioid.moud", "no").await?;
    let (intake_id, _) = app.latest_of("Ñúñez-García").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    let patient = &opened["ok"]["detail"]["versions"]
        .as_array()
        .and_then(|v| v.last().cloned())
        .unwrap_or_default()["answers"]["patient"];
    assert_eq!(patient["family_name"], "Ñúñez-García", "{patient}");
    assert_eq!(patient["birth_date"], "1984-03-16", "{patient}");
    let trail = app.invoke("audit_trail", json!({})).await?;
    let edits: Vec<&str> = trail["ok"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter(|r| r["action"] == "edit_patient")
                .filter_map(|r| r["detail"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(edits, ["name and birth date corrected"], "{trail}");
    app.quit().await
}

/// Issue 14: the login no longer reads the whole file. A page damaged while the app was closed
/// does not stop the login; the check the app makes in the background after start-up shows the
/// administrator the damage, and the work that meets the page is told it is damage and how to
/// restore, not something else.
#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_page_is_found_after_start_up_and_where_work_meets_it() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.wait_css("[data-testid=file-check][data-state=sound]")
        .await?;
    app.quit().await?;
    let db = ws
        .dir
        .path()
        .join("data/org.ldnintake.desktop/ldn-intake.db");
    let engine = ldn_data::engine()?;
    let case = std::fs::read_to_string(
        ldn_e2e::root().join("tests/cases/02-vicodin-yesterday.answers.json"),
    )?;
    {
        let mut store = ldn_store::Store::open(&db, ADMIN.0, ADMIN.1)?;
        for k in 0..40 {
            let mut doc: serde_json::Value = serde_json::from_str(&case)?;
            doc["patient"]["family_name"] = json!(format!("Page{k}"));
            let intake = engine
                .validate_answers(&doc)
                .map_err(|e| format!("{e:?}"))?;
            store.save_intake(&intake, Some(&engine.screen(&intake)), None)?;
        }
    }
    // A page the login does not read but an intake does.
    let original = std::fs::read(&db)?;
    let pages = original.len() / 4096;
    let mut found = None;
    for page in (pages / 2..pages).chain(1..pages / 2) {
        let mut bytes = original.clone();
        let at = page * 4096 + 2048;
        for b in &mut bytes[at..at + 16] {
            *b ^= 0xA5;
        }
        std::fs::write(&db, &bytes)?;
        let Ok(mut store) = ldn_store::Store::open(&db, ADMIN.0, ADMIN.1) else {
            continue;
        };
        if let Some(id) = (1..=40).find(|id| store.show_intake(*id).is_err()) {
            found = Some((page, id));
            break;
        }
    }
    let (page, intake_id) = found.ok_or("no page is read by an intake and not by the login")?;
    ldn_e2e::step(&format!(
        "page {page} of {pages} damaged; intake {intake_id} reads it"
    ));

    let app = ws.launch().await?;
    app.login(ADMIN).await?;
    app.wait_css("[data-testid=file-check][data-state=damaged]")
        .await?;
    let said = app.text_of("[data-testid=file-check]").await?;
    assert!(
        said.contains("damaged") && said.contains("restore the latest backup"),
        "{said}"
    );
    app.check_screen("60-file-check-damaged").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    let error = opened["err"]["message"].as_str().unwrap_or_default();
    assert!(
        error.contains("damaged") && error.contains("restore the latest backup"),
        "{opened}"
    );
    app.quit().await
}
