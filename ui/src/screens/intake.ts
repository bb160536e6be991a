// The intake form: rendered from the questionnaire in data/, every answer validated by the
// engine and saved as it is given. What the engine refuses is shown beside its field and
// is not saved; the last good answers stay.

import { button, h, show, uid } from "../dom";
import { ipc, type Saved } from "../ipc";
import { questionnaire, say } from "../questionnaire";
import { clinicDateOrder } from "../dates";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { Question } from "../bindings/Question";
import { renderMedicines, showReadings } from "./medicines";
import { setAnswer, setPartial, type Session } from "./session";
import { focusFirstOpen, sectionNav } from "./sectionnav";
import { go } from "../router";

/** What the form opens with: a staff member's saved version. */
type Opening = Pick<Saved, "intake_id" | "intake" | "form">;

export async function intakeScreen(saved: Opening): Promise<Session> {
  const [q, order] = await Promise.all([questionnaire(), clinicDateOrder()]);
  document.body.dataset.saving ??= "0";
  const savedLine = h("p", { class: "saved-line", "aria-live": "polite", "data-testid": "saved-line" });
  const s: Session = {
    intakeId: saved.intake_id,
    doc: saved.intake,
    form: saved.form,
    q,
    root: h("div", { class: "intake" }),
    patient: false,
    queue: Promise.resolve(),
    savedLine,
    refreshers: [],
    refused: new Map(),
    urgentNow: h("div", { class: "urgent-now", role: "alert", "data-testid": "urgent-now" }),
    order,
    redraw: () => {
      applyForm(s);
      nav.update();
    },
  };
  const p = s.doc.patient;
  const sections = q.sections.map((section) => renderSection(s, section.id, say(section.title, s.doc.language)));
  sections.splice(1, 0, renderMedicines(s));
  s.root.append(...sections);
  // Staff see every section at once, with a list of them at the top.
  const nav = sectionNav(s, sections);
  applyForm(s);
  savedLine.textContent = "Saved. Every answer is saved as you give it.";
  const actions = h(
    "div",
    { class: "actions" },
    button("Review and complete", () => void go().review(s), "primary"),
    button("Hand the workstation to the patient", () => void handOver(s), "secondary"),
  );
  show(
    h("h1", {}, `Intake: ${p.given_name} ${p.family_name}`),
    h("p", {}, `Born ${p.birth_date} · intake date ${s.doc.intake_date} · questions in ${s.doc.language === "es" ? "Spanish" : "English"}`),
    s.urgentNow,
    nav.nav,
    savedLine,
    s.root,
    actions,
  );
  // Going on with a draft starts where it stopped: at the first required question still open.
  if (Object.keys(saved.intake.answers).length > 0 || saved.intake.medications.length > 0) focusFirstOpen(s);
  return s;
}

async function handOver(s: Session): Promise<void> {
  await s.queue;
  await go().route(await ipc.enterSelfEntry(s.intakeId));
}

function renderSection(s: Session, id: string, title: string): HTMLElement {
  const headingId = uid("section");
  const questions = s.q.questions.filter((question) => question.section === id);
  return h(
    "section",
    { class: "section", "aria-labelledby": headingId, "data-section": id },
    h("h2", { id: headingId, tabindex: -1 }, title),
    ...questions.map((question) => renderQuestion(s, question)),
  );
}

function renderQuestion(s: Session, question: Question): HTMLElement {
  const lang = s.doc.language;
  const errorSlot = h("p", { class: "error", "data-error-for": `answers.${question.id}`, id: uid("err") });
  const help = question.help ? h("p", { class: "hint", id: uid("help") }, say(question.help, lang)) : null;
  const describedBy = [help?.id, errorSlot.id].filter(Boolean).join(" ");
  const current = s.doc.answers[question.id];
  let body: HTMLElement;
  switch (question.type) {
    case "tri_state":
    case "choice": {
      const options = question.type === "tri_state" ? (s.q.option_sets["tri_state"]?.options ?? []) : question.options;
      body = h(
        "fieldset",
        { "aria-describedby": describedBy },
        h("legend", {}, say(question.text, lang), question.required ? h("span", { class: "req" }, " (required)") : null),
        help,
        h(
          "div",
          { class: "choices" },
          ...options.map((o) =>
            radio(question.id, o.value, say(o.label, lang), current === o.value, () => setAnswer(s, question.id, o.value)),
          ),
        ),
        errorSlot,
      );
      break;
    }
    case "multi_choice": {
      const chosen = new Set(Array.isArray(current) ? (current as string[]) : []);
      const boxes: HTMLInputElement[] = [];
      body = h(
        "fieldset",
        { "aria-describedby": describedBy },
        h("legend", {}, say(question.text, lang)),
        help,
        h(
          "div",
          { class: "choices" },
          ...question.options.map((o) => {
            const id = uid("cb");
            const box = h("input", { type: "checkbox", id, name: question.id, value: o.value, checked: chosen.has(o.value) });
            boxes.push(box);
            box.addEventListener("change", () => {
              const values = boxes.filter((b) => b.checked).map((b) => b.value);
              setAnswer(s, question.id, values.length ? values : undefined);
            });
            return h("div", { class: "choice" }, box, h("label", { for: id }, say(o.label, lang)));
          }),
        ),
        errorSlot,
      );
      break;
    }
    case "number":
    case "text": {
      const id = uid("q");
      const input = h("input", {
        id,
        name: question.id,
        type: "text",
        inputmode: question.type === "number" ? "decimal" : undefined,
        maxlength: question.max_length ?? undefined,
        "aria-describedby": describedBy,
      });
      input.value = current === undefined ? "" : String(current);
      input.addEventListener("change", () => {
        const raw = input.value.trim();
        const value: AnswerValue | undefined =
          raw === "" ? undefined : question.type === "number" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
        setAnswer(s, question.id, value);
      });
      body = h(
        "div",
        { class: "field" },
        h("label", { for: id }, say(question.text, lang), question.unit ? ` (${question.unit})` : ""),
        help,
        input,
        errorSlot,
      );
      break;
    }
    case "item_scale":
      body = itemScale(s, question, help, errorSlot, describedBy);
      break;
  }
  return h("div", { class: "question", "data-question": question.id }, body);
}

function radio(name: string, value: string, label: string, checked: boolean, onChange: () => void): HTMLElement {
  const id = uid("r");
  const input = h("input", { type: "radio", id, name, value, checked });
  input.addEventListener("change", onChange);
  return h("div", { class: "choice" }, input, h("label", { for: id }, label));
}

/**
 * PHQ-2, PHQ-9 and AUDIT-C: one row of choices per item. Every choice is saved at once: as the
 * answer when every item is chosen, until then as the items chosen so far.
 */
function itemScale(s: Session, question: Question, help: HTMLElement | null, errorSlot: HTMLElement, describedBy: string): HTMLElement {
  const lang = s.doc.language;
  const count = question.items ?? 0;
  const min = question.min ?? 0;
  const max = question.max ?? 0;
  const current = s.doc.answers[question.id] ?? s.doc.partial_items?.[question.id];
  const values: (number | null)[] = Array.isArray(current)
    ? (current as (number | null)[]).map((v) => v ?? null)
    : new Array(count).fill(null);
  const scale = question.scale.length
    ? question.scale.map((o) => [o.value, say(o.label, lang)] as const)
    : Array.from({ length: max - min + 1 }, (_, i) => [min + i, String(min + i)] as const);
  const items = Array.from({ length: count }, (_, i) => {
    const name = `${question.id}.${i + 1}`;
    const text = question.item_text[i] ? say(question.item_text[i], lang) : `${say(question.text, lang)} ${i + 1}`;
    return h(
      "fieldset",
      { class: "item", "data-item": String(i + 1) },
      h("legend", {}, `${i + 1}. ${text}`),
      h(
        "div",
        { class: "choices scale" },
        ...(question.item_scales[i]?.map((o) => [o.value, say(o.label, lang)] as const) ?? scale).map(([v, label]) =>
          radio(name, String(v), label, values[i] === v, () => {
            values[i] = v;
            if (values.every((x) => x !== null)) setAnswer(s, question.id, values as number[]);
            else setPartial(s, question.id, [...values]);
          }),
        ),
      ),
    );
  });
  // Items carried over from another question (PHQ-2 into PHQ-9) are shown, not asked again,
  // and follow that question when it changes.
  if (question.prefilled_from) {
    const source = question.prefilled_from;
    s.refreshers.push(() => {
      const from = s.doc.answers[source];
      const carried = Array.isArray(from) ? (from as number[]) : [];
      items.forEach((item, i) => {
        const isCarried = i < carried.length;
        if (isCarried) values[i] = carried[i];
        for (const input of item.querySelectorAll<HTMLInputElement>("input[type=radio]")) {
          input.disabled = isCarried;
          if (isCarried) input.checked = Number(input.value) === carried[i];
        }
      });
    });
  }
  return h(
    "fieldset",
    { "aria-describedby": describedBy },
    h("legend", {}, say(question.text, lang), question.required ? h("span", { class: "req" }, " (required)") : null),
    question.stem ? h("p", { class: "stem" }, say(question.stem, lang)) : null,
    help,
    ...items,
    errorSlot,
  );
}

/** An urgent finding the answers already raise: staff see what it is and that the clinician must know now. */
function showUrgent(s: Session): void {
  s.urgentNow.replaceChildren(
    ...s.form.urgent.map((f) => h("p", {}, h("strong", {}, `Urgent — ${f.title}. `), "Tell the clinician now, before the patient leaves.")),
  );
}

/** Shows the questions the engine says are asked now, and how each medicine was read. */
function applyForm(s: Session): void {
  showUrgent(s);
  for (const refresh of s.refreshers) refresh();
  const visible = new Set(s.form.visible);
  for (const el of s.root.querySelectorAll<HTMLElement>("[data-question]")) {
    el.hidden = !visible.has(el.dataset.question!);
  }
  showReadings(s);
}
