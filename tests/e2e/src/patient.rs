//! Patient mode, as a patient's finger and the staff who take the computer back use it.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::{step, App, Result};

/// The smallest touch target a patient is given: WCAG 2.5.5's 44 CSS pixels.
pub const TOUCH_PX: f64 = 44.0;

impl App {
    /// Touches the answer `value` of the question (or item, `id.N`) `name` on the screen shown,
    /// by its whole-row tile, after checking the tile is at least 44 px high and spans the row.
    pub async fn tap(&self, name: &str, value: &str) -> Result<()> {
        step(&format!("tap {name}={value}"));
        let input = self
            .wait_css(&format!("input[name=\"{name}\"][value=\"{value}\"]"))
            .await?;
        let id = input.attr("id").await?.ok_or("an answer without an id")?;
        let label = self.wait_css(&format!("label[for=\"{id}\"]")).await?;
        let size = self
            .client
            .execute(
                "const r = arguments[0].getBoundingClientRect();\
                 const row = arguments[0].closest('.pm-tiles').getBoundingClientRect();\
                 return [r.height, r.width / row.width];",
                vec![serde_json::to_value(&label)?],
            )
            .await?;
        let (height, share) = (
            size[0].as_f64().unwrap_or(0.0),
            size[1].as_f64().unwrap_or(0.0),
        );
        assert!(height >= TOUCH_PX, "{name}={value} is {height} px high");
        assert!(share > 0.95, "{name}={value} spans {share} of its row");
        label.click().await?;
        self.saved().await?;
        let checked = self
            .client
            .execute(
                "return document.querySelector(`input[name=\"${arguments[0]}\"][value=\"${arguments[1]}\"]`).checked;",
                vec![json!(name), json!(value)],
            )
            .await?;
        assert_eq!(
            checked,
            Value::Bool(true),
            "touching {name}={value} did not choose it"
        );
        Ok(())
    }

    /// What patient mode shows now: the screen's key (a question id, `id.N`, `medicines` or
    /// `check`), or None once the patient has finished.
    pub async fn patient_step(&self) -> Result<Option<String>> {
        let key = self
            .client
            .execute("const s = document.querySelector('[data-step]'); return s ? s.dataset.step : null;", vec![])
            .await?;
        Ok(key.as_str().map(String::from))
    }

    /// Every control patient mode shows is at least 44 px high: answers, Back and Next, the
    /// staff button, the ways back to a blank question.
    pub async fn touch_targets_are_large(&self) -> Result<()> {
        let small = self
            .client
            .execute(
                "return [...document.querySelectorAll('.patient-mode label.usa-radio__label, .patient-mode label.usa-checkbox__label, .patient-mode button, .patient-mode input:not([type=radio]):not([type=checkbox]), .patient-mode select')]\
                   .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < arguments[0])\
                   .map(e => `${e.tagName} \"${e.textContent.trim().slice(0, 40)}\" ${e.getBoundingClientRect().height}px`);",
                vec![json!(TOUCH_PX)],
            )
            .await?;
        assert_eq!(small, json!([]), "patient-mode targets under 44 px");
        Ok(())
    }

    /// Presses Next (in the patient's language) and waits for the next screen.
    pub async fn patient_next(&self, next: &str) -> Result<()> {
        let before = self.patient_step().await?;
        self.click_button(next).await?;
        self.wait_until(
            "the next screen",
            &format!(
                "(document.querySelector('[data-step]') || {{dataset: {{}}}}).dataset.step !== {}",
                json!(before)
            ),
        )
        .await
    }

    /// The staff press the small staff button and unlock with their password.
    pub async fn staff_takes_back(&self, who: (&str, &str)) -> Result<()> {
        self.wait_css("[data-testid=staff-button]")
            .await?
            .click()
            .await?;
        self.wait_css("input[name=password]").await?;
        self.fill("username", who.0).await?;
        self.fill("password", who.1).await?;
        self.client
            .find(Locator::Css("main form button[type=submit]"))
            .await?
            .click()
            .await?;
        Ok(())
    }
}
