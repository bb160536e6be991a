// The review page before completing an intake: every answer given, what is still open.

import { busy, button, h, show } from "../dom";
import { ipc, message, type Saved } from "../ipc";
import { say } from "../questionnaire";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { Question } from "../bindings/Question";
import type { Questionnaire } from "../bindings/Questionnaire";
import { intakeScreen, type Session } from "./intake";
import { describeMedicine } from "./medicines";
import { openIntake } from "./patients";

/** Everything given, the questions still open, then completing (which screens). */
export async function reviewScreen(s: Session): Promise<void> {
  await s.queue;
  const lang = s.doc.language;
  const visible = new Set(s.form.visible);
  const missing = new Set(s.form.missing);
  const rows = s.q.questions
    .filter((question) => visible.has(question.id))
    .map((question) => {
      const v = s.doc.answers[question.id];
      return h(
        "tr",
        { class: missing.has(question.id) ? "missing" : "" },
        h("th", { scope: "row" }, say(question.text, lang)),
        h("td", {}, v === undefined ? (missing.has(question.id) ? "Not answered (required)" : "Not answered") : answerText(s.q, question, v, lang)),
      );
    });
  const error = h("p", { class: "form-error", role: "alert" });
  error.hidden = true;
  const complete = button("Complete and screen", async () => {
    const restore = busy(complete, "Screening…");
    try {
      await ipc.completeIntake(s.intakeId, s.doc);
      await openIntake(s.intakeId);
    } catch (e) {
      error.textContent = message(e);
      error.hidden = false;
      restore();
    }
  }, "primary");
  show(
    h("h1", {}, `Review: ${s.doc.patient.given_name} ${s.doc.patient.family_name}`),
    missing.size
      ? h("p", { class: "warning", role: "note" }, `${missing.size} required question(s) are not answered. The summary will say the screening is incomplete until they are.`)
      : h("p", {}, "Every required question is answered."),
    error,
    h("table", { class: "table review" }, h("tbody", {}, ...rows)),
    h("h2", {}, "Medicines"),
    s.doc.medications.length
      ? h("ul", {}, ...s.doc.medications.map((m, i) => h("li", {}, `${m.name}${m.last_taken ? ` — last dose ${m.last_taken}` : ""} — `, ...(s.form.medications[i] ? describeMedicine(s.form.medications[i]) : []))))
      : h("p", {}, "No medicines listed."),
    h("div", { class: "actions" }, button("Back to the questions", () => void intakeScreen(savedOf(s)), "secondary"), complete),
  );
}

function savedOf(s: Session): Saved {
  return { intake_id: s.intakeId, version_id: 0, version: 0, status: "draft", form: s.form, intake: s.doc, summary: null };
}

function answerText(q: Questionnaire, question: Question, v: AnswerValue, lang: "en" | "es"): string {
  const options = question.type === "tri_state" ? q.option_sets["tri_state"]?.options ?? [] : question.options;
  const label = (value: string) => say(options.find((o) => o.value === value)?.label, lang) || value;
  if (typeof v === "string") return label(v);
  if (typeof v === "number") return `${v}${question.unit ? ` ${question.unit}` : ""}`;
  if (Array.isArray(v) && question.type === "multi_choice") return (v as string[]).map(label).join(", ");
  if (Array.isArray(v)) return `${(v as number[]).join(", ")} (total ${(v as number[]).reduce((a, b) => a + b, 0)})`;
  return String(v);
}
