// Patient mode: a patient answers their own questions alone, one per screen, in their
// language, with large whole-row answers and a progress bar. The screen is drawn with
// lit-html from the session's state after every save; staff take the computer back through a
// small button in the corner, never a form in view.

import { html, nothing, render } from "lit-html";
import { keyed } from "lit-html/directives/keyed.js";
import { h, show } from "../dom";
import { questionnaire, say } from "../questionnaire";
import { dateOrderFor } from "../dates";
import { renderMedicines, showReadings } from "../screens/medicines";
import type { Session } from "../screens/session";
import type { SelfEntryView } from "../bindings/SelfEntryView";
import { firstStepOf, partOrder, patientSteps, scaleItems, type Step } from "./steps";
import { stepScreen } from "./step";
import { word } from "./words";
import "./patientmode.css";

type View = "questions" | "thanks" | "staff";

export async function patientMode(opened: SelfEntryView, unlockForm: () => HTMLElement): Promise<void> {
  const [q, order] = await Promise.all([questionnaire(), dateOrderFor(opened.paper)]);
  const lang = opened.intake.language;
  const host = h("div", { class: "patient-mode", lang, "data-testid": "patient-mode" });
  const s: Session = {
    intakeId: opened.intake_id,
    doc: opened.intake,
    form: opened.form,
    q,
    root: host,
    patient: true,
    queue: Promise.resolve(),
    // Staff words about saving are not shown here; the patient sees their own line.
    savedLine: h("p"),
    refreshers: [],
    refused: new Map(),
    urgentNow: h("div"),
    order,
    redraw: () => draw(),
    settled: () => {
      savedOnce = true;
      draw();
    },
  };
  const medicines = renderMedicines(s);
  let steps = patientSteps(q, s.form, s.doc);
  // A patient handed an intake already begun starts at its first blank.
  let at = Math.max(
    0,
    steps.findIndex((step) => blank(s, step)),
  );
  let view: View = "questions";
  // Where the staff button was pressed: a patient who pressed it by mistake goes back there.
  let cameFrom: View = "questions";
  let moved = true;
  let unlock: HTMLElement | undefined;
  let savedOnce = false;

  const go = async (to: number) => {
    await s.queue;
    at = Math.max(0, Math.min(steps.length - 1, to));
    moved = true;
    draw();
  };
  const goTo = (questionId: string) => void go(firstStepOf(steps, s.doc, questionId));
  const finish = async () => {
    await s.queue;
    view = "thanks";
    moved = true;
    draw();
  };
  const staff = async () => {
    await s.queue;
    unlock ??= unlockForm();
    if (view !== "staff") cameFrom = view;
    view = "staff";
    moved = true;
    draw();
  };
  const back = () => {
    view = cameFrom;
    moved = true;
    draw();
  };

  function draw(): void {
    const key = steps[at]?.key;
    steps = patientSteps(q, s.form, s.doc);
    // The same screen stays in view when questions come or go before it.
    const found = steps.findIndex((step) => step.key === key);
    at = found >= 0 ? found : Math.min(at, steps.length - 1);
    showReadings(s);
    render(screen(), host);
    if (moved) {
      moved = false;
      host.querySelector<HTMLElement>(view === "questions" ? "[data-step-heading]" : "h1")?.focus();
      window.scrollTo(0, 0);
    }
  }

  function screen() {
    const step = steps[at];
    const top = html`<div class="pm-top">
      <h1 tabindex="-1">${view === "thanks" ? word("thanks", lang) : word("title", lang)}</h1>
      ${
        view === "staff"
          ? nothing
          : html`<button type="button" class="pm-staff" aria-label=${word("staffName", lang)} data-testid="staff-button" @click=${staff}>
              ${word("staff", lang)}
            </button>`
      }
    </div>`;
    if (view === "thanks")
      return html`${top}
        <p class="pm-lead">${word("giveBack", lang)}</p>`;
    if (view === "staff") {
      return html`${top}
        <div lang="en">${unlock}</div>
        <button type="button" class="usa-button usa-button--outline pm-nav-button" @click=${back}>${word("back", lang)}</button>`;
    }
    const questions = steps.length - 1;
    const saving = Number(document.body.dataset.saving ?? "0") > 0;
    const savedText = saving ? word("saving", lang) : s.refused.size ? word("notSaved", lang) : savedOnce ? word("saved", lang) : "";
    const last = step.kind === "check";
    return html`${top} ${urgent(s)} ${progress(s, steps, at)}
      ${last ? nothing : html`<p class="pm-count">${word("questionOf", lang, { n: at + 1, total: questions })}</p>`}
      <div class="pm-step" data-step=${step.key}>${keyed(step.key, stepScreen({ s, medicines, goTo }, step))}</div>
      <p class="pm-saved" role="status">${savedText}</p>
      <div class="pm-nav">
        <button type="button" class="usa-button usa-button--outline pm-nav-button" ?hidden=${at === 0} @click=${() => go(at - 1)}>
          ${word("back", lang)}
        </button>
        ${
          last
            ? html`<button
                type="button"
                class="usa-button pm-nav-button ${s.form.missing.length ? "usa-button--outline" : ""}"
                @click=${finish}
              >
                ${s.form.missing.length ? word("finishAnyway", lang) : word("finish", lang)}
              </button>`
            : html`<button type="button" class="usa-button pm-nav-button" @click=${() => go(at + 1)}>${word("next", lang)}</button>`
        }
      </div>`;
  }

  show(host);
  draw();
}

/** A screen the patient has not answered yet (the medicine list and the check never are). */
function blank(s: Session, step: Step): boolean {
  if (step.kind === "question") return s.doc.answers[step.question.id] === undefined;
  if (step.kind === "item") return scaleItems(s.doc, step.question)[step.item] === null;
  return false;
}

/** An urgent finding raised by an answer: the patient's own words on where to get help now. */
function urgent(s: Session) {
  return s.form.urgent.map(
    (f) =>
      html`<div class="usa-alert usa-alert--error" role="alert" data-testid="urgent-now">
        <div class="usa-alert__body">
          <p class="usa-alert__text">${f.patient_texts ? say(f.patient_texts, s.doc.language) : f.patient_text}</p>
        </div>
      </div>`,
  );
}

/** The parts of the questionnaire as a USWDS step indicator: done, this one, still to come. */
function progress(s: Session, steps: Step[], at: number) {
  const lang = s.doc.language;
  const parts = partOrder(s.q).filter((part) => steps.some((step) => step.part === part));
  const here = parts.indexOf(steps[at].part);
  const title = (part: string) =>
    part === "medicines"
      ? word("medicines", lang)
      : part === "check"
        ? word("checkTitle", lang)
        : say(s.q.sections.find((section) => section.id === part)?.title, lang);
  return html`<div class="usa-step-indicator usa-step-indicator--no-labels pm-progress" aria-label=${word("progress", lang)}>
    <ol class="usa-step-indicator__segments">
      ${parts.map(
        (part, i) =>
          html`<li
            class="usa-step-indicator__segment ${i < here ? "usa-step-indicator__segment--complete" : i === here ? "usa-step-indicator__segment--current" : ""}"
            aria-current=${i === here ? "step" : nothing}
          >
            <span class="usa-step-indicator__segment-label"
              >${title(part)} <span class="usa-sr-only">${i < here ? word("completed", lang) : word("notCompleted", lang)}</span></span
            >
          </li>`,
      )}
    </ol>
    <div class="usa-step-indicator__header">
      <h2 class="usa-step-indicator__heading">
        <span class="usa-step-indicator__heading-counter"
          ><span class="usa-sr-only">${word("part", lang)}</span> <span class="usa-step-indicator__current-step">${here + 1}</span>
          <span class="usa-step-indicator__total-steps"><span class="usa-sr-only">${word("of", lang)}</span> ${parts.length}</span></span
        >
        <span class="usa-step-indicator__heading-text">${title(parts[here])}</span>
      </h2>
    </div>
  </div>`;
}
