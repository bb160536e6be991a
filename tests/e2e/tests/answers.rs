//! Issue 13: answers as a front desk gives them — a refused value that stays refused until it
//! is put right, and scale items saved one by one. Each scenario was written to fail on the
//! app before the fix it names.

use ldn_e2e::{Result, Workstation};
use serde_json::json;

/// Bug 3: a refused value (eGFR "abc") lost its error after the next answer while "abc" stayed
/// on screen and the page said "Saved"; the review then showed eGFR as not answered.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_answer_keeps_its_message_until_it_is_put_right() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Rhea", "Renal", "1961-01-01").await?;
    let egfr = app.wait_css("input[name=\"kidney.egfr\"]").await?;
    egfr.send_keys("abc").await?;
    egfr.send_keys("\u{E004}").await?;
    app.saved().await?;
    let error = "[data-error-for=\"answers.kidney.egfr\"]";
    assert!(!app.text_of(error).await?.is_empty(), "no message for abc");

    // Another answer is saved; the refused one is still refused, and the page says so.
    app.answer("surgery.planned", "no").await?;
    let still = app.text_of(error).await?;
    assert!(
        !still.is_empty(),
        "the message went away after the next answer"
    );
    let line = app.text_of("[data-testid=saved-line]").await?;
    assert!(
        line.contains("except 1 answer"),
        "the saved line reads: {line}"
    );
    app.client
        .execute(
            "document.querySelector('input[name=\"kidney.egfr\"]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    app.check_screen("36-refused-answer").await?;

    app.click_button("Review and complete").await?;
    app.wait_heading("Review:").await?;
    let refused = app.text_of("[data-testid=refused-answers]").await?;
    assert!(
        refused.contains("eGFR") || refused.contains("kidney"),
        "the review lists: {refused}"
    );
    app.click_button("Back to the questions").await?;
    app.wait_heading("Intake:").await?;

    // Put right, the message goes and the value is saved.
    let egfr = app.wait_css("input[name=\"kidney.egfr\"]").await?;
    egfr.clear().await?;
    egfr.send_keys("45").await?;
    egfr.send_keys("\u{E004}").await?;
    app.saved().await?;
    assert!(app.text_of(error).await?.is_empty());
    let (intake_id, _) = app.latest_of("Renal").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    assert_eq!(
        opened["ok"]["latest"]["intake"]["answers"]["kidney.egfr"].as_f64(),
        Some(45.0)
    );
    app.quit().await
}

/// Bug 4: PHQ-9 and AUDIT-C items were saved only once every item was chosen, so a patient who
/// stopped half-way (or an app killed then) lost the items chosen.
#[tokio::test(flavor = "multi_thread")]
async fn scale_items_are_saved_one_by_one() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Sol", "Scale", "1983-03-03").await?;
    app.answer("mh.phq2.1", "2").await?;
    app.answer("mh.phq2.2", "1").await?;
    app.wait_css("[data-question=\"mh.phq9\"]:not([hidden])")
        .await?;
    app.answer("mh.phq9.4", "3").await?;
    app.answer("alcohol.audit_c.1", "1").await?;

    let (intake_id, _) = app.latest_of("Scale").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    let intake = &opened["ok"]["latest"]["intake"];
    assert_eq!(intake["answers"]["mh.phq2"], json!([2, 1]), "{intake}");
    assert_eq!(
        intake["partial_items"]["mh.phq9"],
        json!([2, 1, null, 3, null, null, null, null, null]),
        "the PHQ-9 item was not saved: {intake}"
    );
    assert_eq!(
        intake["partial_items"]["alcohol.audit_c"],
        json!([1, null, null]),
        "the AUDIT-C item was not saved: {intake}"
    );

    // The app closes and opens again: the items chosen are still chosen.
    app.quit().await?;
    let app = ws.launch().await?;
    app.login(ldn_e2e::ADMIN).await?;
    app.click_button("Go on with intake").await?;
    app.wait_heading("Intake:").await?;
    let checked = app
        .client
        .execute(
            "return ['mh.phq9.4', 'alcohol.audit_c.1'].map(n => document.querySelector(`input[name=\"${n}\"]:checked`)?.value ?? null);",
            vec![],
        )
        .await?;
    assert_eq!(checked, json!(["3", "1"]));
    // Going on with a draft starts at the first required question still open, and the list of
    // sections says what is left in each.
    let focused = app
        .client
        .execute(
            "return document.activeElement.closest('[data-question]')?.dataset.question ?? null;",
            vec![],
        )
        .await?;
    assert_eq!(focused, json!("opioid.current"));
    let nav = app.text_of("[data-testid=section-nav]").await?;
    assert!(nav.contains("to answer"), "the sections read: {nav}");
    app.check_screen("44-resumed-draft").await?;
    app.quit().await
}

/// Bug 5: "Start a new intake" for a patient on record re-opened the demographics form with
/// sex reset to "Not asked", and editing the name there silently made a second patient.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_intake_for_a_patient_on_record_keeps_the_record() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Rosa", "Repeat", "1970-07-07").await?;
    app.answer("opioid.current", "no").await?;
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.fill("search", "Repeat").await?;
    app.click_button("Rosa Repeat — born 1970-07-07").await?;
    app.wait_heading("Rosa Repeat").await?;
    app.click_button("Start a new intake").await?;
    app.wait_heading("New intake").await?;
    app.wait_until(
        "the sex at birth as last time",
        "document.querySelector('select[name=\"patient.sex_at_birth\"]').value === 'female'",
    )
    .await?;
    let editable = app
        .client
        .execute(
            "return document.querySelectorAll('input[name^=\"patient.\"]').length;",
            vec![],
        )
        .await?;
    assert_eq!(editable, json!(0), "the record's name can be edited here");
    app.check_screen("37-new-intake-known-patient").await?;
    // A page that sends other names still gets the patient on record.
    let (first_intake, _) = app.latest_of("Repeat").await?;
    let patient = app
        .invoke("search_patients", json!({ "query": "Repeat" }))
        .await?["ok"][0]["id"]
        .clone();
    let started = app
        .invoke(
            "start_intake",
            json!({ "patient": { "given_name": "Rosaa", "family_name": "Repeat", "birth_date": "1970-07-07", "sex_at_birth": "female", "language": "en", "patient_id": patient } }),
        )
        .await?;
    assert_eq!(
        started["ok"]["intake"]["patient"]["given_name"], "Rosa",
        "{started}"
    );
    app.submit().await?;
    app.wait_heading("Intake: Rosa Repeat").await?;
    let found = app
        .invoke("search_patients", json!({ "query": "Re" }))
        .await?;
    assert_eq!(
        found["ok"].as_array().map(Vec::len),
        Some(1),
        "a second patient was made: {found}"
    );
    let intakes = app
        .invoke("patient_intakes", json!({ "patientId": patient }))
        .await?;
    assert_eq!(intakes["ok"].as_array().map(Vec::len), Some(3), "{intakes}");
    assert!(first_intake > 0);
    app.quit().await
}

/// Bug 6: answers given in patient self-entry were recorded as the staff member's. Now they
/// are recorded as the patient's, and staff come back to the review with them marked.
#[tokio::test(flavor = "multi_thread")]
async fn answers_given_in_self_entry_are_recorded_as_the_patients() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Pia", "Selfentry", "1990-09-09").await?;
    app.answer("opioid.current", "no").await?;
    app.click_button("Hand the workstation to the patient")
        .await?;
    app.wait_heading("Your health questions").await?;
    app.tap("opioid.moud", "no").await?;
    app.staff_takes_back(ldn_e2e::ADMIN).await?;
    app.wait_heading("Review: Pia Selfentry").await?;
    let by = app
        .client
        .execute(
            "return [...document.querySelectorAll('tr[data-by=patient] th')].map(th => th.textContent);",
            vec![],
        )
        .await?;
    let by = by.as_array().cloned().unwrap_or_default();
    assert_eq!(by.len(), 1, "marked as the patient's: {by:?}");
    assert!(
        by[0].as_str().is_some_and(|t| t.contains("methadone")),
        "{by:?}"
    );
    app.check_screen("38-review-after-self-entry").await?;

    let (intake_id, _) = app.latest_of("Selfentry").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    // One draft row took in the staff member's save and the patient's; it names the one
    // answer the patient gave.
    let versions = opened["ok"]["detail"]["versions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert_eq!(
        versions[0]["answered_by_patient"],
        json!(["opioid.moud"]),
        "{versions:?}"
    );
    assert!(versions[0]["saves"].as_i64() >= Some(3), "{versions:?}");
    let trail = app.invoke("audit_trail", json!({})).await?;
    assert!(
        trail.to_string().contains("entered by the patient"),
        "the audit does not say who entered it: {trail}"
    );
    app.quit().await
}

/// Dates the way a US front desk writes them: a birth date typed as 04/05/1978 with what it was
/// read as shown before it is saved, and a last dose chosen as "3 days ago".
#[tokio::test(flavor = "multi_thread")]
async fn a_us_date_and_a_last_dose_three_days_ago() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.click_button("New patient").await?;
    app.wait_heading("New patient").await?;
    app.fill("patient.given_name", "Dana").await?;
    app.fill("patient.family_name", "Dates").await?;
    app.fill("patient.birth_date", "04/05/1978").await?;
    let echo = app.text_of("[data-echo]").await?;
    assert_eq!(
        echo, "= Wed, Apr 5, 1978",
        "the birth date was read as {echo:?}"
    );
    app.check_screen("40-us-birth-date").await?;
    app.submit().await?;
    app.wait_heading("Intake: Dana Dates").await?;
    let (intake_id, _) = app.latest_of("Dates").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    assert_eq!(
        opened["ok"]["latest"]["intake"]["patient"]["birth_date"],
        "1978-04-05"
    );

    // A date that cannot be a date is refused beside its field, and nothing is saved.
    app.add_medicine("Vicodin", None).await?;
    let last = app
        .wait_css("li.med:last-child input[data-med-last]")
        .await?;
    last.send_keys("13/25/2026").await?;
    last.send_keys("\u{E004}").await?;
    app.saved().await?;
    let refused = app.text_of("li.med:last-child .last-taken .error").await?;
    assert!(refused.contains("no such date"), "refused as: {refused:?}");

    app.choose("quick-last", "3").await?;
    app.saved().await?;
    let three_days_ago = (chrono::Local::now().date_naive() - chrono::Days::new(3)).to_string();
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    assert_eq!(
        opened["ok"]["latest"]["intake"]["medications"][0]["last_taken"],
        json!(three_days_ago)
    );
    let refused = app.text_of("li.med:last-child .last-taken .error").await?;
    assert!(refused.is_empty(), "still refused: {refused:?}");
    app.check_screen("41-last-dose-three-days-ago").await?;
    app.quit().await
}

/// The patient record a front desk expects: an MRN and a phone kept with the patient, found
/// by any part of the name ("Garcia" finds "Ñúñez-García"), and a warning before a second
/// "new" patient with the same name and birth date is filed under the first.
#[tokio::test(flavor = "multi_thread")]
async fn a_patient_record_with_mrn_and_phone_found_by_any_name_part() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.click_button("New patient").await?;
    app.wait_heading("New patient").await?;
    app.fill("patient.given_name", "María").await?;
    app.fill("patient.family_name", "Ñúñez-García").await?;
    app.fill("patient.birth_date", "06/30/1975").await?;
    app.fill("mrn", "A-1001").await?;
    app.fill("phone", "(555) 555-0100").await?;
    app.submit().await?;
    app.wait_heading("Intake: María Ñúñez-García").await?;

    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.fill("search", "Garcia").await?;
    app.click_button("María Ñúñez-García — born 1975-06-30 — MRN A-1001")
        .await?;
    app.wait_heading("María Ñúñez-García").await?;
    let record = app.text_of("[data-testid=patient-record]").await?;
    assert!(
        record.contains("MRN A-1001") && record.contains("(555) 555-0100"),
        "the record reads: {record}"
    );
    // A refused MRN is named beside its field and changes nothing.
    app.fill("mrn", "<A-1001>").await?;
    app.click_button("Save the contact details").await?;
    app.wait_until(
        "the MRN refused",
        "document.querySelector('[data-error-for=mrn]').textContent !== ''",
    )
    .await?;
    app.check_screen("42-patient-record").await?;
    app.fill("mrn", "A-1002").await?;
    app.click_button("Save the contact details").await?;
    app.wait_until(
        "the MRN saved",
        "document.querySelector('[data-testid=patient-record]').textContent.includes('MRN A-1002')",
    )
    .await?;

    // The same person typed again as new, without accents: warned, then filed under them.
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.click_button("New patient").await?;
    app.wait_heading("New patient").await?;
    app.fill("patient.given_name", "Maria").await?;
    app.fill("patient.family_name", "Nunez-Garcia").await?;
    app.fill("patient.birth_date", "06/30/1975").await?;
    app.submit().await?;
    let warned = app.text_of("[data-testid=duplicate]").await?;
    assert!(
        warned.contains("already on record") && warned.contains("A-1002"),
        "the warning reads: {warned:?}"
    );
    app.check_screen("43-duplicate-warning").await?;
    app.submit().await?;
    app.wait_heading("Intake: María Ñúñez-García").await?;
    let found = app
        .invoke("search_patients", json!({ "query": "garcia" }))
        .await?;
    assert_eq!(found["ok"].as_array().map(Vec::len), Some(1), "{found}");
    let intakes = app
        .invoke(
            "patient_intakes",
            json!({ "patientId": found["ok"][0]["id"] }),
        )
        .await?;
    assert_eq!(intakes["ok"].as_array().map(Vec::len), Some(2), "{intakes}");
    app.quit().await
}

/// Found in review: a medicine row left empty made the next row's line be saved in its place,
/// so typing into the empty row then wrote over that medicine (an opioid could drop out of
/// the screening). Each row now keeps the saved line it is.
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_medicine_row_never_makes_another_row_write_over_a_line() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Mia", "Medlist", "1971-01-01").await?;
    app.click_button("Add a medicine").await?;
    app.click_button("Add a medicine").await?;
    let rows = app
        .client
        .find_all(fantoccini::Locator::Css("li.med input[data-med-name]"))
        .await?;
    assert_eq!(rows.len(), 2);
    rows[1].send_keys("oxycodone").await?;
    rows[1].send_keys("\u{E004}").await?;
    app.saved().await?;
    rows[0].send_keys("Imodium").await?;
    rows[0].send_keys("\u{E004}").await?;
    app.saved().await?;
    let (intake_id, _) = app.latest_of("Medlist").await?;
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["ok"]["latest"]["intake"]["medications"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    assert_eq!(names(&opened), ["oxycodone", "Imodium"]);
    let kinds = app
        .client
        .execute(
            "return [...document.querySelectorAll('li.med [data-understood]')].map(u => u.dataset.kind);",
            vec![],
        )
        .await?;
    assert_eq!(kinds, json!(["antidiarrheal", "short_acting"]));

    // Removing the second row removes its own line; the first row still shows its own.
    let remove = app
        .client
        .find_all(fantoccini::Locator::XPath(
            "//li[contains(@class,'med')]//button[normalize-space(.)='Remove this medicine']",
        ))
        .await?;
    remove[1].click().await?;
    app.saved().await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    assert_eq!(names(&opened), ["Imodium"]);
    let kinds = app
        .client
        .execute(
            "return [...document.querySelectorAll('li.med [data-understood]')].map(u => u.dataset.kind);",
            vec![],
        )
        .await?;
    assert_eq!(kinds, json!(["antidiarrheal"]));
    app.quit().await
}
