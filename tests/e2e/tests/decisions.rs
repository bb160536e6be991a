//! Issue 13: the decisions the engine owns, guarded in the UI — completing with questions
//! unanswered, signing off against the screening, and how a medicine line is described.
//! Each scenario was written to fail on the app before the fix it names.

use ldn_e2e::{pdf_text, Result, Workstation, CLINICIAN, CLINICIAN_FIRST};
use serde_json::json;

/// Bug 1: "Complete and screen" with required answers blank gave a start date of today, listed
/// the blanks by internal id and printed a dose calendar.
#[tokio::test(flavor = "multi_thread")]
async fn completing_with_questions_unanswered_needs_a_reason_and_gives_no_start_date() -> Result<()>
{
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Ida", "Blank", "1975-06-01").await?;
    // Everything answered except the suicidal-thoughts question: no opioid question is open.
    app.answer_the_rest_except(&[], &["mh.suicidal_thoughts"])
        .await?;
    let (intake_id, _) = app.latest_of("Blank").await?;
    let opened = app
        .invoke("open_intake", json!({ "intakeId": intake_id }))
        .await?;
    let doc = opened["ok"]["latest"]["intake"].clone();
    assert!(doc["answers"].get("mh.suicidal_thoughts").is_none());
    app.click_button("Review and complete").await?;
    app.wait_heading("Review:").await?;

    // The missing question is named in words, as a link back to it; never by its id.
    let missing = app.text_of("[data-testid=missing-questions]").await?;
    assert!(
        missing.contains("thoughts") && !missing.contains("mh.suicidal_thoughts"),
        "the missing questions are listed as: {missing}"
    );

    // A page cannot complete it without a reason either.
    let refused = app
        .invoke(
            "complete_intake",
            json!({ "intakeId": intake_id, "doc": doc }),
        )
        .await?;
    assert_eq!(
        refused["err"]["field"], "incomplete_reason",
        "completed with a question open and no reason: {refused}"
    );

    app.click_button("Complete and screen").await?;
    app.wait_css("[name=incomplete_reason]").await?;
    app.click_button("Complete anyway").await?;
    let error = app.text_of("[data-error-for=incomplete_reason]").await?;
    assert!(!error.is_empty(), "no reason asked for");
    app.check_screen("31-complete-anyway").await?;
    app.fill(
        "incomplete_reason",
        "Patient left before the last page; will call back.",
    )
    .await?;
    app.click_button("Complete anyway").await?;
    app.wait_heading("Summary:").await?;

    let verdict = app.text_of("[data-testid=verdict]").await?;
    assert!(
        verdict.starts_with("Incomplete"),
        "the verdict reads: {verdict}"
    );
    let start = app.wait_css("[data-testid=earliest-start]").await?;
    assert_eq!(
        start.attr("data-start").await?.as_deref(),
        Some(""),
        "a start date was given for an incomplete screening"
    );
    let detail = app.text_of("[data-rule=incomplete-intake]").await?;
    assert!(
        !detail.contains("mh.suicidal_thoughts"),
        "the finding names the question by its id: {detail}"
    );
    app.check_screen("32-summary-incomplete").await?;
    let handout = app
        .save_document("Save the patient handout as PDF", &ws.exports())
        .await?;
    let text = pdf_text(&handout)?;
    assert!(
        !text.contains("first day you may take") && !text.contains("first dose on"),
        "the handout of an incomplete screening gives a start date:\n{text}"
    );
    app.quit().await
}

/// Bug 2: a clinician could sign off "Start LDN" on a contraindicated intake with no note and
/// no confirmation; "Start LDN" was preselected; several sign-offs were listed with none marked
/// current, and the verdict never showed the decision. Told as a clinician's day: the front
/// desk screens, the clinician finds the intake waiting on the home screen and signs off.
#[tokio::test(flavor = "multi_thread")]
async fn a_decision_against_the_screening_needs_a_note_and_a_confirmation() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.add_clinician().await?;
    app.click_button("Patients").await?;
    app.wait_heading("Patients").await?;
    app.new_patient("Al", "Lergic", "1966-03-03").await?;
    app.answer_the_rest(&[("allergy.naltrexone", "yes")])
        .await?;
    app.complete().await?;
    app.lock().await?;
    app.first_login(CLINICIAN.0, CLINICIAN_FIRST, CLINICIAN.1, None)
        .await?;
    app.wait_until(
        "the intake awaiting sign-off",
        "document.querySelector('[data-testid=awaiting] table') && document.querySelector('[data-testid=awaiting]').textContent.includes('Al Lergic')",
    )
    .await?;
    let row = app.text_of("[data-testid=awaiting] tbody tr").await?;
    assert!(
        row.contains("Pat Admin") && row.contains("Contraindicated"),
        "the worklist row reads: {row}"
    );
    app.check_screen("30-home-awaiting-signoff").await?;
    app.click_button("Open").await?;
    app.wait_heading("Summary:").await?;
    let verdict = app.wait_css("[data-testid=verdict]").await?;
    assert_eq!(
        verdict.attr("data-verdict").await?.as_deref(),
        Some("contraindicated")
    );

    let preselected = app
        .client
        .execute(
            "return document.querySelector('select[name=decision]').value;",
            vec![],
        )
        .await?;
    assert_eq!(preselected, json!(""), "a decision was preselected");

    // Starting against a contraindication: refused without a note and a confirmation, by the
    // app and by the command behind it.
    app.choose("decision", "start").await?;
    app.click_button("Sign off").await?;
    app.wait_until(
        "the note to be asked for",
        "document.querySelector('[data-error-for=note]').textContent !== ''",
    )
    .await?;
    let confirm_error = app.text_of("[data-error-for=confirm_against]").await?;
    assert!(!confirm_error.is_empty(), "no confirmation asked for");
    let (_, version_id) = app.latest_of("Lergic").await?;
    let refused = app
        .invoke(
            "sign_off",
            json!({ "signoff": { "version_id": version_id, "decision": "start", "note": "", "plan": "standard" } }),
        )
        .await?;
    assert_eq!(refused["err"]["kind"], "invalid", "{refused}");
    let fields: Vec<String> = refused["err"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["field"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        fields.contains(&"note".to_owned()) && fields.contains(&"confirm_against".to_owned()),
        "{refused}"
    );
    app.check_screen("33-signoff-against").await?;

    app.fill(
        "note",
        "Allergy was a rash to another drug; confirmed with the patient.",
    )
    .await?;
    app.wait_css("input[name=confirm_against]")
        .await?
        .click()
        .await?;
    app.click_button("Sign off").await?;
    app.wait_until(
        "the decision under the verdict",
        "document.querySelector('[data-testid=decision]') && document.querySelector('[data-testid=decision]').textContent.includes('Start LDN')",
    )
    .await?;

    // A second sign-off that agrees: no note needed; it becomes the current one.
    app.choose("decision", "do_not_start").await?;
    app.click_button("Sign off").await?;
    app.wait_until(
        "two sign-offs",
        "document.querySelectorAll('[data-testid=signoff]').length === 2",
    )
    .await?;
    let marked = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=signoff]')].map(p => [p.dataset.current, !!p.querySelector('s, del')]);",
            vec![],
        )
        .await?;
    assert_eq!(
        marked,
        json!([["false", true], ["true", false]]),
        "the current sign-off is not marked"
    );
    let decision = app.text_of("[data-testid=decision]").await?;
    assert!(
        decision.contains("Do not start"),
        "under the verdict: {decision}"
    );
    app.check_screen("34-signoff-current").await?;
    let awaiting = app.invoke("awaiting_signoff", json!({})).await?;
    assert_eq!(
        awaiting["ok"],
        json!([]),
        "still awaiting sign-off: {awaiting}"
    );
    let summary = app
        .save_document("Save the clinician summary as PDF", &ws.exports())
        .await?;
    let text = pdf_text(&summary)?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Decision: do not start LDN"),
        "the summary PDF does not print the current decision:\n{text}"
    );
    app.quit().await
}

/// Bug 11: the Imodium line showed as "— opioid" in red and asked for a last dose, while the
/// PDF said "gut (antidiarrheal)": the UI re-derived the kind from two booleans.
#[tokio::test(flavor = "multi_thread")]
async fn a_gut_acting_opioid_is_described_as_the_engine_reads_it() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Gus", "Gut", "1958-08-08").await?;
    app.add_medicine("Imodium", None).await?;
    let row = app.wait_css("li.med:last-child [data-understood]").await?;
    assert_eq!(
        row.attr("data-kind").await?.as_deref(),
        Some("antidiarrheal"),
        "the engine's kind is not on the line"
    );
    let text = row.text().await?;
    assert!(
        text.contains("gut-acting") && !text.contains("— opioid"),
        "Imodium read as: {text}"
    );
    let asks = app
        .client
        .execute(
            "return !document.querySelector('li.med:last-child .last-taken').hidden;",
            vec![],
        )
        .await?;
    assert_eq!(
        asks,
        json!(false),
        "a last dose is asked for a gut-acting opioid"
    );
    // A systemic opioid still asks for it.
    app.add_medicine("Vicodin", None).await?;
    let row = app.wait_css("li.med:last-child [data-understood]").await?;
    assert_eq!(
        row.attr("data-kind").await?.as_deref(),
        Some("short_acting")
    );
    let asks = app
        .client
        .execute(
            "return !document.querySelector('li.med:last-child .last-taken').hidden;",
            vec![],
        )
        .await?;
    assert_eq!(asks, json!(true), "no last dose asked for Vicodin");
    app.check_screen("35-medicine-kinds").await?;
    app.quit().await
}
