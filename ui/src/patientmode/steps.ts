// Patient mode's screens, in order: one question (or one item of a scale) per screen, the
// medicine list after the first part, and a last check before finishing. Which questions are
// asked comes from the engine (`FormState.visible`), never from here.

import type { FormState } from "../bindings/FormState";
import type { Intake } from "../bindings/Intake";
import type { Question } from "../bindings/Question";
import type { Questionnaire } from "../bindings/Questionnaire";

export type Step =
  | { kind: "question"; key: string; part: string; question: Question }
  | { kind: "item"; key: string; part: string; question: Question; item: number }
  | { kind: "medicines"; key: "medicines"; part: "medicines" }
  | { kind: "check"; key: "check"; part: "check" };

/** The parts of the questionnaire in the order a patient meets them (as the staff form has them). */
export function partOrder(q: Questionnaire): string[] {
  const parts = q.sections.map((s) => s.id);
  parts.splice(1, 0, "medicines");
  return [...parts, "check"];
}

export function patientSteps(q: Questionnaire, form: FormState, doc: Intake): Step[] {
  const visible = new Set(form.visible);
  const steps: Step[] = [];
  for (const part of partOrder(q)) {
    if (part === "medicines") steps.push({ kind: "medicines", key: "medicines", part: "medicines" });
    else if (part === "check") steps.push({ kind: "check", key: "check", part: "check" });
    for (const question of q.questions) {
      if (question.section !== part || question.retired || !visible.has(question.id)) continue;
      if (question.type !== "item_scale") {
        steps.push({ kind: "question", key: question.id, part, question });
        continue;
      }
      // Items carried over from another scale (PHQ-2 into PHQ-9) are not asked twice.
      const carried = carriedItems(q, doc, question);
      for (let item = carried; item < (question.items ?? 0); item++) {
        steps.push({ kind: "item", key: `${question.id}.${item + 1}`, part, question, item });
      }
    }
  }
  return steps;
}

/** How many of a scale's first items are the answers to the scale it carries from. */
export function carriedItems(q: Questionnaire, doc: Intake, question: Question): number {
  if (!question.prefilled_from) return 0;
  const source = doc.answers[question.prefilled_from];
  return Array.isArray(source) ? source.length : (q.questions.find((other) => other.id === question.prefilled_from)?.items ?? 0);
}

/** The chosen items of a scale so far: the answer when complete, else the items saved so far. */
export function scaleItems(doc: Intake, question: Question): (number | null)[] {
  const current = doc.answers[question.id] ?? doc.partial_items?.[question.id];
  const count = question.items ?? 0;
  const values: (number | null)[] = Array.isArray(current) ? (current as (number | null)[]).map((v) => v ?? null) : [];
  while (values.length < count) values.push(null);
  return values;
}

/** The first screen of a question: where a link to a blank question takes the patient. */
export function firstStepOf(steps: Step[], doc: Intake, questionId: string): number {
  const own = steps.map((step, i) => [step, i] as const).filter(([step]) => "question" in step && step.question.id === questionId);
  const blank = own.find(([step]) => step.kind === "item" && scaleItems(doc, step.question)[step.item] === null);
  return (blank ?? own[0])?.[1] ?? -1;
}
