// The review page before completing an intake: every answer given, what is still open.

import { alert, busy, button, h, show } from "../dom";
import { formError, showErrors } from "../forms";
import { fieldErrors, ipc, message, type Saved } from "../ipc";
import { say } from "../questionnaire";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { Question } from "../bindings/Question";
import type { Questionnaire } from "../bindings/Questionnaire";
import type { Session } from "./session";
import { describeMedicine } from "./medicines";
import { go } from "../router";

/** Everything given, the questions still open, then completing (which screens). */
export async function reviewScreen(s: Session, byPatient: Set<string> = new Set()): Promise<void> {
  await s.queue;
  const lang = s.doc.language;
  const visible = new Set(s.form.visible);
  const missing = new Set(s.form.missing);
  const rows = s.q.questions
    .filter((question) => visible.has(question.id))
    .map((question) => {
      const v = s.doc.answers[question.id];
      const patients = byPatient.has(question.id);
      return h(
        "tr",
        { class: missing.has(question.id) ? "missing" : "", "data-by": patients ? "patient" : "staff" },
        h("th", { scope: "row" }, say(question.text, lang)),
        h(
          "td",
          {},
          v === undefined ? (missing.has(question.id) ? "Not answered (required)" : "Not answered") : answerText(s.q, question, v, lang),
          patients ? h("span", { class: "by-patient" }, " (given by the patient)") : null,
        ),
      );
    });
  const error = formError();
  const finish = async (control: HTMLButtonElement, reason: string | null, form: HTMLElement) => {
    const restore = busy(control, "Screening…");
    try {
      await ipc.completeIntake(s.intakeId, s.doc, reason);
      await go().openIntake(s.intakeId);
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
      restore();
    }
  };
  const anyway = incompleteForm(missing.size, finish);
  const complete = button(
    "Complete and screen",
    () => {
      if (missing.size) {
        anyway.hidden = false;
        anyway.querySelector("textarea")?.focus();
      } else {
        void finish(complete, null, page);
      }
    },
    "primary",
  );
  const page = h(
    "div",
    {},
    error,
    s.refused.size
      ? alert(
          "warning",
          { role: "note", "data-testid": "refused-answers" },
          h("p", {}, h("strong", {}, "Not saved: "), "these answers were not accepted, so they count as not answered."),
          h("ul", {}, ...[...s.refused].map(([field, r]) => h("li", {}, `${fieldName(s, field)}: ${r.message}`))),
        )
      : null,
    missing.size ? missingList(s, missing) : h("p", {}, "Every required question is answered."),
    h("table", { class: "table review" }, h("tbody", {}, ...rows)),
    h("h2", {}, "Medicines"),
    s.doc.medications.length
      ? h(
          "ul",
          {},
          ...s.doc.medications.map((m, i) =>
            h(
              "li",
              {},
              `${m.name}${m.last_taken ? ` — last dose ${m.last_taken}` : ""} — `,
              ...(s.form.medications[i] ? describeMedicine(s.form.medications[i]) : []),
            ),
          ),
        )
      : h("p", {}, "No medicines listed."),
    h(
      "div",
      { class: "actions" },
      button("Back to the questions", () => void go().intakeForm(savedOf(s)), "secondary"),
      complete,
    ),
    anyway,
  );
  show(h("h1", {}, `Review: ${s.doc.patient.given_name} ${s.doc.patient.family_name}`), page);
}

/** A refused field in words: its question's text, or the medicine line's place. */
function fieldName(s: Session, field: string): string {
  const question = s.q.questions.find((q) => field === `answers.${q.id}`);
  if (question) return say(question.text, s.doc.language);
  const line = /^medications\[(\d+)\]/.exec(field);
  return line ? `Medicine line ${Number(line[1]) + 1}` : field;
}

/** The required questions still open, in words, each a link back to its place in the form. */
function missingList(s: Session, missing: Set<string>): HTMLElement {
  const lang = s.doc.language;
  const open = s.q.questions.filter((question) => missing.has(question.id));
  return alert(
    "warning",
    { role: "note", "data-testid": "missing-questions" },
    h(
      "p",
      {},
      h("strong", {}, `${open.length} required ${open.length === 1 ? "question is" : "questions are"} not answered. `),
      "Without them the screening cannot give a start date.",
    ),
    h(
      "ul",
      {},
      ...open.map((question) =>
        h(
          "li",
          {},
          button(say(question.text, lang), () => void goToQuestion(s, question.id), "link"),
        ),
      ),
    ),
  );
}

async function goToQuestion(s: Session, id: string): Promise<void> {
  await go().intakeForm(savedOf(s));
  const question = document.querySelector<HTMLElement>(`[data-question="${CSS.escape(id)}"]`);
  question?.scrollIntoView({ block: "center" });
  question?.querySelector<HTMLElement>("input, select, textarea")?.focus();
}

/**
 * Completing with questions open: allowed, since a patient may leave, but only with the reason
 * written down. The screening then gives no start date.
 */
function incompleteForm(
  count: number,
  finish: (control: HTMLButtonElement, reason: string, form: HTMLElement) => Promise<void>,
): HTMLElement {
  const reason = h("textarea", {
    id: "incomplete-reason",
    name: "incomplete_reason",
    rows: 3,
    maxlength: 500,
    "aria-describedby": "incomplete-reason-hint incomplete-reason-error",
  });
  const error = formError();
  const form: HTMLElement = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "incomplete-h" },
    h("h2", { id: "incomplete-h" }, "Complete with questions unanswered?"),
    error,
    h(
      "div",
      { class: "field" },
      h("label", { for: "incomplete-reason" }, `Why complete it without ${count === 1 ? "this answer" : `these ${count} answers`}?`),
      h(
        "p",
        { class: "hint", id: "incomplete-reason-hint" },
        'The summary will say "Incomplete — cannot screen" and give no start date until the answers are added.',
      ),
      reason,
      h("p", { class: "error", id: "incomplete-reason-error", "data-error-for": "incomplete_reason" }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Complete anyway")),
  );
  form.hidden = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
    void finish(submit, reason.value, form);
  });
  return form;
}

/** The form as it stands, to go back to (version 0: not a resumed draft). */
function savedOf(s: Session): Pick<Saved, "intake_id" | "intake" | "form" | "version"> {
  return { intake_id: s.intakeId, version: 0, form: s.form, intake: s.doc };
}

function answerText(q: Questionnaire, question: Question, v: AnswerValue, lang: "en" | "es"): string {
  const options = question.type === "tri_state" ? (q.option_sets["tri_state"]?.options ?? []) : question.options;
  const label = (value: string) => say(options.find((o) => o.value === value)?.label, lang) || value;
  if (typeof v === "string") return label(v);
  if (typeof v === "number") return `${v}${question.unit ? ` ${question.unit}` : ""}`;
  if (Array.isArray(v) && question.type === "multi_choice") return (v as string[]).map(label).join(", ");
  if (Array.isArray(v)) {
    const items = v as number[];
    // Each item's answer in words where the data has them (AUDIT-C), else its value.
    const words = items.map(
      (n, i) => say((question.item_scales[i] ?? question.scale).find((o) => o.value === n)?.label, lang) || String(n),
    );
    return `${words.join("; ")} (total ${items.reduce((a, b) => a + b, 0)})`;
  }
  return String(v);
}
