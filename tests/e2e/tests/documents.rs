//! Issue 13: documents as the patient and the printer get them. Each scenario was written to
//! fail on the app before the fix it names.

use ldn_e2e::{pdf_text, Result, Workstation};

/// Bug 7: a Spanish handout for an intake taken in English printed the personal findings in
/// English.
#[tokio::test(flavor = "multi_thread")]
async fn a_spanish_handout_of_an_english_intake_is_all_in_spanish() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    app.first_run().await?;
    app.new_patient("Elena", "English", "1977-07-17").await?;
    app.answer_the_rest(&[("surgery.planned", "yes")]).await?;
    app.complete().await?;
    app.choose("doc-language", "es").await?;
    let handout = app
        .save_document("Save the patient handout as PDF", &ws.exports())
        .await?;
    let flat = pdf_text(&handout)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("Deje el LDN al menos 3 días"),
        "the surgery finding is not in Spanish:\n{flat}"
    );
    assert!(
        !flat.contains("Stop LDN at least 3 days"),
        "the surgery finding is in English in a Spanish handout:\n{flat}"
    );
    app.quit().await
}

/// Bug 10: "Print the key" on the recovery-key screen did nothing, and "Print …" said "Opened
/// for printing" when no viewer had opened (this test machine has none).
#[tokio::test(flavor = "multi_thread")]
async fn printing_says_where_the_pdf_is_when_no_viewer_opens_it() -> Result<()> {
    let ws = Workstation::new()?;
    let app = ws.launch().await?;
    let key = app.first_run_to_the_key().await?;
    let fingerprint = app.text_of("[data-testid=root-fingerprint]").await?;
    app.click_button("Print the key").await?;
    app.wait_until(
        "the print result",
        "document.querySelector('[data-testid=print-result]') && document.querySelector('[data-testid=print-result]').textContent !== ''",
    )
    .await?;
    let said = app.text_of("[data-testid=print-result]").await?;
    assert!(
        said.starts_with("No PDF viewer opened"),
        "with no viewer installed the screen says: {said}"
    );
    let path = said
        .split_whitespace()
        .find(|w| w.ends_with(".pdf:") || w.ends_with(".pdf"))
        .map(|w| w.trim_end_matches(':').to_owned())
        .ok_or("no path in the message")?;
    let sheet = std::path::PathBuf::from(&path);
    let text = pdf_text(&sheet)?;
    // The key is printed eight groups to a line.
    let groups: Vec<&str> = key.trim().split('-').collect();
    for line in groups.chunks(8) {
        assert!(
            text.contains(&line.join("-")),
            "the recovery sheet lacks {line:?}:\n{text}"
        );
    }
    assert!(text.contains(&fingerprint), "no fingerprint:\n{text}");
    app.check_screen("39-recovery-key-printed").await?;
    app.click_button("I have kept the key safe").await?;
    app.wait_heading("Patients").await?;
    // The sheet does not stay on the disk: the print folder is emptied at every lock.
    app.lock().await?;
    assert!(!sheet.exists(), "the recovery sheet is still at {path}");
    app.login(ldn_e2e::ADMIN).await?;

    app.new_patient("Pablo", "Printer", "1980-08-08").await?;
    app.answer_the_rest(&[]).await?;
    app.complete().await?;
    app.click_button("Print the patient handout").await?;
    app.wait_until(
        "the print result",
        "document.querySelector('[data-testid=document-result]').textContent !== 'Preparing to print…' && document.querySelector('[data-testid=document-result]').textContent !== ''",
    )
    .await?;
    let said = app.text_of("[data-testid=document-result]").await?;
    assert!(
        said.starts_with("No PDF viewer opened") && said.contains(".pdf"),
        "printing with no viewer says: {said}"
    );
    app.quit().await
}
