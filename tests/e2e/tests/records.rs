//! Issue 13: the patient record as the front desk keeps it — a misspelt name and a wrong birth
//! date put right with "Edit patient", the open intake going on under the corrected details,
//! and a correction that would make two records of one person refused.

use ldn_e2e::{Result, Workstation};
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
