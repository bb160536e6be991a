//! Issue 13: patient mode as a patient meets it. A Spanish-speaking patient answers alone by
//! touching whole-row answers (each at least 44 px high), reads no English, types a medicine
//! the table does not know and is told only that the staff will check it, is told which
//! questions are still blank and goes back to one, finishes, and the staff take the computer
//! back to the review of that intake.

use ldn_e2e::{Result, Workstation, ADMIN};

/// Words of the staff's English that must never show in a Spanish patient's screens.
const ENGLISH: &[&str] = &[
    "Next",
    "Back",
    "Saved",
    "(required)",
    "Staff",
    "Question",
    "Not recognised",
    "Understood",
    "Add a medicine",
    "Thank you",
    "words not",
];

/// Answers the patient leaves blank on purpose.
const LEFT_BLANK: &[&str] = &["opioid.moud", "breastfeeding"];

#[tokio::test(flavor = "multi_thread")]
async fn a_spanish_patient_answers_by_touch_is_warned_about_blanks_and_hands_back() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.click_button("New patient").await?;
    app.wait_heading("New patient").await?;
    app.fill("patient.given_name", "Lucía").await?;
    app.fill("patient.family_name", "Ñúñez-García").await?;
    app.fill("patient.birth_date", "1984-03-15").await?;
    app.choose("patient.sex_at_birth", "female").await?;
    app.choose("language", "es").await?;
    app.submit().await?;
    app.wait_heading("Intake:").await?;
    app.click_button("Hand the workstation to the patient")
        .await?;
    app.wait_heading("Sus preguntas de salud").await?;
    assert_eq!(app.patient_step().await?.as_deref(), Some("opioid.current"));
    assert!(
        app.client
            .find_all(fantoccini::Locator::Css("input[name=password]"))
            .await?
            .is_empty(),
        "the staff unlock form is in front of the patient"
    );

    let mut seen = Vec::new();
    let mut shots = 0;
    for _ in 0..80 {
        let Some(step) = app.patient_step().await? else {
            break;
        };
        if step == "check" {
            break;
        }
        app.touch_targets_are_large().await?;
        no_english(&app, &step).await?;
        if step == "medicines" {
            // A medicine the table does not know: the patient is not shown the engine's
            // diagnostics, only that the staff will check it.
            let name = app.wait_css("[data-med-name]").await?;
            name.send_keys("pastilla azul de mi tía").await?;
            name.send_keys("\u{E004}").await?;
            app.saved().await?;
            app.wait_until(
                "the medicine's reading",
                "(document.querySelector('[data-understood]') || {}).textContent === 'El personal revisará este medicamento con usted.'",
            )
            .await?;
            no_english(&app, &step).await?;
            app.check_screen("51-patient-mode-medicines").await?;
        } else if !LEFT_BLANK.contains(&step.as_str()) {
            // A screen's key is its answers' name: a question id, or `id.N` for an item.
            if let Some(value) = harmless(&app).await? {
                app.tap(&step, &value).await?;
            }
        }
        if shots == 0 {
            app.check_screen("50-patient-mode-question").await?;
            shots += 1;
        }
        if step.starts_with("mh.phq") && shots == 1 {
            app.check_screen("52-patient-mode-scale-item").await?;
            shots += 1;
        }
        seen.push(step);
        app.patient_next("Siguiente").await?;
    }
    assert!(seen.contains(&"medicines".to_string()), "{seen:?}");
    assert!(
        seen.iter().any(|s| s.starts_with("alcohol.audit_c.")),
        "one AUDIT-C item per screen: {seen:?}"
    );

    // The last check names what is blank, in Spanish, each a way back to it.
    assert_eq!(app.patient_step().await?.as_deref(), Some("check"));
    let blanks = app.text_of("[data-testid=blanks]").await?;
    assert!(
        blanks.contains("Dejó 2 preguntas sin contestar."),
        "{blanks}"
    );
    no_english(&app, "check").await?;
    app.touch_targets_are_large().await?;
    app.check_screen("53-patient-mode-blanks").await?;
    app.wait_css("[data-blank=\"opioid.moud\"]")
        .await?
        .click()
        .await?;
    app.wait_until(
        "the blank question",
        "document.querySelector('[data-step=\"opioid.moud\"]')",
    )
    .await?;
    app.tap("opioid.moud", "no").await?;
    for _ in 0..80 {
        if app.patient_step().await?.as_deref() == Some("check") {
            break;
        }
        app.patient_next("Siguiente").await?;
    }
    let blanks = app.text_of("[data-testid=blanks]").await?;
    assert!(
        blanks.contains("Dejó 1 pregunta sin contestar."),
        "{blanks}"
    );
    app.click_button("Terminar sin estas respuestas").await?;
    app.wait_heading("Gracias").await?;
    no_english(&app, "thanks").await?;
    app.touch_targets_are_large().await?;
    app.check_screen("54-patient-mode-thanks").await?;

    // The staff button is small and says what it is for; the form comes only when pressed.
    app.wait_css("[data-testid=staff-button]")
        .await?
        .click()
        .await?;
    app.wait_css("input[name=password]").await?;
    app.check_screen("55-patient-mode-staff").await?;
    app.click_button("Atrás").await?;
    app.wait_heading("Gracias").await?;
    app.staff_takes_back(ADMIN).await?;
    app.wait_heading("Review: Lucía Ñúñez-García").await?;
    let by = app
        .client
        .execute(
            "return document.querySelectorAll('tr[data-by=patient]').length;",
            vec![],
        )
        .await?;
    assert!(
        by.as_u64().unwrap_or(0) > 10,
        "the patient's answers are marked as theirs: {by}"
    );
    let missing = app.text_of("[data-testid=missing-questions]").await?;
    assert!(
        missing.contains("¿Está dando pecho?") && !missing.contains("metadona"),
        "the review lists the one question still blank: {missing}"
    );
    app.check_screen("56-review-after-patient-mode").await?;

    // The audit, read for this patient only, tells what happened to her intake in words.
    app.click_button("Settings").await?;
    app.wait_css("select[name=audit-patient] option:nth-child(2)")
        .await?;
    app.client
        .execute(
            "const s = document.querySelector('select[name=audit-patient]');\
             s.value = [...s.options].find(o => o.textContent.includes('Ñúñez')).value;\
             s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    let rows = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-panel=audit] tbody tr, section tbody tr')]\
               .filter(r => r.closest('table').querySelector('th')?.textContent === 'When')\
               .map(r => r.innerText);",
            vec![],
        )
        .await?;
    let rows: Vec<String> = serde_json::from_value(rows)?;
    assert!(!rows.is_empty(), "no audit rows about the patient");
    assert!(
        rows.iter().all(|r| r.contains("Lucía Ñúñez-García")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Handed the workstation to a patient")),
        "{rows:#?}"
    );
    app.client
        .execute(
            "document.querySelector('select[name=audit-patient]').scrollIntoView();",
            vec![],
        )
        .await?;
    app.check_screen("57-audit-for-one-patient").await?;
    app.quit().await
}

/// The first harmless answer on the screen shown ("no", "none", 0…), if it has answer tiles.
async fn harmless(app: &ldn_e2e::App) -> Result<Option<String>> {
    let value = app
        .client
        .execute(
            "const harmless = ['no', 'none', 'not_applicable', '0', 'chronic_pain'];\
             const pick = [...document.querySelectorAll('.pm-tiles input')].find(i => harmless.includes(i.value));\
             return pick ? pick.value : null;",
            vec![],
        )
        .await?;
    Ok(value.as_str().map(String::from))
}

async fn no_english(app: &ldn_e2e::App, step: &str) -> Result<()> {
    let text = app
        .client
        .execute("return document.querySelector('main').innerText;", vec![])
        .await?;
    let text = text.as_str().unwrap_or_default();
    for word in ENGLISH {
        assert!(
            !text.contains(word),
            "{word:?} on the Spanish screen {step}:\n{text}"
        );
    }
    Ok(())
}
