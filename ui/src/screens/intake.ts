// The intake form: rendered from the questionnaire in data/, every answer validated by the
// engine and saved as it is given. What the engine refuses is shown beside its field and
// is not saved; the last good answers stay.

import { button, h, painted, show, uid } from "../dom";
import { fieldErrors, ipc, IpcError, message, type Intake, type Saved } from "../ipc";
import { questionnaire, say } from "../questionnaire";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { FormState } from "../bindings/FormState";
import type { MedicationResult } from "../bindings/MedicationResult";
import type { Question } from "../bindings/Question";
import type { Questionnaire } from "../bindings/Questionnaire";
import { openIntake } from "./patients";
import { route } from "../app";
import { selfEntryDone, staffUnlockScreen } from "./selfentry";

interface Session {
  intakeId: number;
  doc: Intake;
  form: FormState;
  q: Questionnaire;
  root: HTMLElement;
  selfEntry: boolean;
  queue: Promise<void>;
  savedLine: HTMLElement;
  /** Redraws parts that follow other answers (items carried from PHQ-2 into PHQ-9). */
  refreshers: (() => void)[];
}

export async function intakeScreen(saved: Saved, selfEntry = false): Promise<void> {
  const q = await questionnaire();
  document.body.dataset.saving ??= "0";
  const savedLine = h("p", { class: "saved-line", "aria-live": "polite", "data-testid": "saved-line" });
  const s: Session = {
    intakeId: saved.intake_id,
    doc: saved.intake,
    form: saved.form,
    q,
    root: h("div", { class: selfEntry ? "intake self-entry" : "intake" }),
    selfEntry,
    queue: Promise.resolve(),
    savedLine,
    refreshers: [],
  };
  const p = s.doc.patient;
  const sections = q.sections.map((section) => renderSection(s, section.id, say(section.title, s.doc.language)));
  sections.splice(1, 0, renderMedicines(s));
  s.root.append(...sections);
  applyForm(s);
  savedLine.textContent = `Saved (version ${saved.version}). Every answer is saved as you give it.`;
  const actions = selfEntry
    ? selfEntryNav(s, sections)
    : h(
        "div",
        { class: "actions" },
        button("Review and complete", () => void reviewScreen(s), "primary"),
        button("Hand the workstation to the patient", () => void handOver(s), "secondary"),
      );
  show(
    h("h1", {}, selfEntry ? say({ en: "Your health questions", es: "Sus preguntas de salud" }, s.doc.language) : `Intake: ${p.given_name} ${p.family_name}`),
    selfEntry ? null : h("p", {}, `Born ${p.birth_date} · intake date ${s.doc.intake_date} · questions in ${s.doc.language === "es" ? "Spanish" : "English"}`),
    savedLine,
    s.root,
    actions,
  );
  if (selfEntry) showSection(sections, 0);
}

async function handOver(s: Session): Promise<void> {
  await s.queue;
  await route(await ipc.enterSelfEntry(s.intakeId));
}

/** Self-entry: one section at a time, and a way to give the workstation back. */
function selfEntryNav(s: Session, sections: HTMLElement[]): HTMLElement {
  const lang = s.doc.language;
  let at = 0;
  const back = button(say({ en: "Back", es: "Atrás" }, lang), () => go(-1), "secondary");
  const next = button(say({ en: "Next", es: "Siguiente" }, lang), () => go(1), "primary");
  const done = button(say({ en: "I have finished: give the computer back to the staff", es: "He terminado: devolver la computadora al personal" }, lang), () => void finish(), "primary");
  const staff = button("Staff: unlock", () => void s.queue.then(staffUnlockScreen), "link");
  const nav = h("div", { class: "actions" }, back, next, done, staff);
  function go(step: number): void {
    at = Math.max(0, Math.min(sections.length - 1, at + step));
    showSection(sections, at);
    update();
  }
  function update(): void {
    back.hidden = at === 0;
    next.hidden = at === sections.length - 1;
    done.hidden = at !== sections.length - 1;
  }
  async function finish(): Promise<void> {
    await s.queue;
    selfEntryDone(lang);
  }
  update();
  return nav;
}

function showSection(sections: HTMLElement[], at: number): void {
  sections.forEach((section, i) => (section.hidden = i !== at));
  sections[at].querySelector<HTMLElement>("h2")?.focus();
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
      const options = question.type === "tri_state" ? s.q.option_sets["tri_state"]?.options ?? [] : question.options;
      body = h(
        "fieldset",
        { "aria-describedby": describedBy },
        h("legend", {}, say(question.text, lang), question.required ? h("span", { class: "req" }, " (required)") : null),
        help,
        h(
          "div",
          { class: "choices" },
          ...options.map((o) => radio(question.id, o.value, say(o.label, lang), current === o.value, () => setAnswer(s, question.id, o.value))),
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
        const value: AnswerValue | undefined = raw === "" ? undefined : question.type === "number" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
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

function radio(name: string, value: string, label: string, checked: boolean, onChange: () => void, disabled = false): HTMLElement {
  const id = uid("r");
  const input = h("input", { type: "radio", id, name, value, checked, disabled });
  input.addEventListener("change", onChange);
  return h("div", { class: "choice" }, input, h("label", { for: id }, label));
}

/** PHQ-2, PHQ-9 and AUDIT-C: one row of choices per item; saved once every item is chosen. */
function itemScale(s: Session, question: Question, help: HTMLElement | null, errorSlot: HTMLElement, describedBy: string): HTMLElement {
  const lang = s.doc.language;
  const count = question.items ?? 0;
  const min = question.min ?? 0;
  const max = question.max ?? 0;
  const current = s.doc.answers[question.id];
  const values: (number | undefined)[] = Array.isArray(current) ? [...(current as number[])] : new Array(count).fill(undefined);
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
        ...scale.map(([v, label]) =>
          radio(name, String(v), label, values[i] === v, () => {
            values[i] = v;
            if (values.every((x) => x !== undefined)) setAnswer(s, question.id, values as number[]);
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

function renderMedicines(s: Session): HTMLElement {
  const lang = s.doc.language;
  const entry = s.q.medication_entry;
  const headingId = uid("meds");
  const list = h("ol", { class: "meds", "data-testid": "medicines" });
  const add = button(say({ en: "Add a medicine", es: "Añadir un medicamento" }, lang), () => {
    list.append(medicineRow(s, s.doc.medications.length + list.querySelectorAll("li.new").length, "", null, true));
    list.querySelector<HTMLInputElement>("li:last-child input")?.focus();
  }, "secondary");
  for (const [i, m] of s.doc.medications.entries()) list.append(medicineRow(s, i, m.name, m.last_taken ?? null, false));
  return h(
    "section",
    { class: "section", "aria-labelledby": headingId, "data-section": "medicines" },
    h("h2", { id: headingId, tabindex: -1 }, say({ en: "Medicines and supplements", es: "Medicamentos y suplementos" }, lang)),
    h("p", { class: "hint" }, say(entry.name_help, lang)),
    h("p", { class: "error", "data-error-for": "medications" }),
    list,
    add,
  );
}

function medicineRow(s: Session, index: number, name: string, lastTaken: string | null, isNew: boolean): HTMLElement {
  const lang = s.doc.language;
  const entry = s.q.medication_entry;
  const nameId = uid("med");
  const dateId = uid("last");
  const listId = `${nameId}-suggestions`;
  const nameInput = h("input", {
    id: nameId,
    type: "text",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    maxlength: entry.max_name_length,
    "data-med-name": "",
  });
  nameInput.value = name;
  const suggestions = suggestionList(nameInput, listId);
  const dateInput = h("input", { id: dateId, type: "text", inputmode: "numeric", placeholder: "YYYY-MM-DD", "data-med-last": "" });
  dateInput.value = lastTaken ?? "";
  const understood = h("p", { class: "understood", "data-understood": "" });
  const row = h(
    "li",
    { class: isNew ? "med new" : "med" },
    h("div", { class: "field" }, h("label", { for: nameId }, say(entry.name_label, lang)), nameInput, suggestions, h("p", { class: "error", "data-error-for": `medications[${index}].name` })),
    h(
      "div",
      { class: "field last-taken" },
      h("label", { for: dateId }, say(entry.last_taken_label, lang)),
      h("p", { class: "hint" }, say(entry.last_taken_help, lang), " (YYYY-MM-DD)"),
      dateInput,
      h("p", { class: "error", "data-error-for": `medications[${index}].last_taken` }),
    ),
    understood,
    button(say({ en: "Remove this medicine", es: "Quitar este medicamento" }, lang), () => {
      const at = rowIndex(row);
      if (at < s.doc.medications.length) {
        enqueue(s, (d) => void d.medications.splice(at, 1), () => row.remove());
      } else {
        row.remove();
      }
    }, "link"),
  );
  const commit = () => {
    const at = rowIndex(row);
    const value = nameInput.value.trim();
    const date = dateInput.value.trim();
    enqueue(s, (d) => {
      const line = { name: value, ...(date ? { last_taken: date } : {}) };
      if (at < d.medications.length) d.medications[at] = line as never;
      else d.medications.push(line as never);
    }, () => row.classList.remove("new"));
  };
  nameInput.addEventListener("change", commit);
  dateInput.addEventListener("change", commit);
  return row;
}

function rowIndex(row: HTMLElement): number {
  return Array.from(row.parentElement?.children ?? []).indexOf(row);
}

function setAnswer(s: Session, id: string, value: AnswerValue | undefined): void {
  const given = performance.now();
  enqueue(s, (d) => {
    if (value === undefined) delete d.answers[id];
    else d.answers[id] = value;
    // A question whose first items are carried from this one changes with it.
    for (const q of s.q.questions) {
      const later = d.answers[q.id];
      if (q.prefilled_from === id && Array.isArray(later) && Array.isArray(value)) {
        d.answers[q.id] = [...(value as number[]), ...(later as number[]).slice(value.length)];
      }
    }
  }, undefined, given);
}

/**
 * Saves changes one after another, in the order they were made. `given` (a performance.now()
 * time) marks an answer: the time until the next question is ready is recorded as the
 * performance measure "answer-to-next-question".
 */
function enqueue(s: Session, change: (doc: Intake) => void, onSaved?: () => void, given?: number): void {
  pendingSaves(1);
  s.queue = s.queue.then(async () => {
    s.savedLine.textContent = "Saving…";
    try {
      const next: Intake = structuredClone(s.doc);
      change(next);
      const saved = await ipc.saveDraft(s.intakeId, next);
      s.doc = saved.intake;
      s.form = saved.form;
      clearErrors(s.root);
      onSaved?.();
      applyForm(s);
      s.savedLine.textContent = `Saved at ${new Date().toLocaleTimeString()} (version ${saved.version}).`;
      await painted();
      if (given !== undefined) performance.measure("answer-to-next-question", { start: given, end: performance.now() });
    } catch (e) {
      showFieldErrors(s.root, e);
      s.savedLine.textContent = e instanceof IpcError && e.error.kind === "invalid" ? "Not saved: see the message beside the answer." : `Not saved: ${message(e)}`;
    } finally {
      pendingSaves(-1);
    }
  });
}

/** How many answers are waiting to be saved, on the body for anyone who needs to wait. */
function pendingSaves(change: number): void {
  const now = Number(document.body.dataset.saving ?? "0") + change;
  document.body.dataset.saving = String(now);
}

function clearErrors(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>(".error[data-error-for]")) el.textContent = "";
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function showFieldErrors(root: HTMLElement, e: unknown): void {
  clearErrors(root);
  for (const f of fieldErrors(e)) {
    const slot = root.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(f.field)}"]`) ?? root.querySelector<HTMLElement>(`[data-error-for="medications"]`);
    if (!slot) continue;
    slot.textContent = `${slot.textContent ? `${slot.textContent} ` : ""}${f.message}`;
    slot.closest(".field, fieldset")?.querySelector("input")?.setAttribute("aria-invalid", "true");
  }
}

/** Shows the questions the engine says are asked now, and how each medicine was read. */
function applyForm(s: Session): void {
  for (const refresh of s.refreshers) refresh();
  const visible = new Set(s.form.visible);
  for (const el of s.root.querySelectorAll<HTMLElement>("[data-question]")) {
    el.hidden = !visible.has(el.dataset.question!);
  }
  const rows = s.root.querySelectorAll<HTMLElement>("li.med");
  const shownFor = s.q.medication_entry.last_taken_shown_for;
  rows.forEach((row, i) => {
    const result = s.form.medications[i];
    const understood = row.querySelector<HTMLElement>("[data-understood]")!;
    const last = row.querySelector<HTMLElement>(".last-taken")!;
    if (!result) {
      understood.textContent = "";
      last.hidden = true;
      return;
    }
    understood.replaceChildren(...describeMedicine(result));
    understood.className = `understood ${result.status === "unrecognized" ? "flag" : result.opioid ? "flag" : "ok"}`;
    const asks = (result.opioid && shownFor.includes("opioid")) || (result.status === "unrecognized" && shownFor.includes("unrecognized"));
    last.hidden = !asks;
  });
}

export function describeMedicine(m: MedicationResult): (string | HTMLElement)[] {
  if (m.status === "unrecognized") {
    return [h("strong", {}, "Not recognised: "), m.reason ?? "not in the medicine table", ". The clinician must check it; it may hold an opioid."];
  }
  const parts: (string | HTMLElement)[] = [h("strong", {}, "Understood as: "), m.ingredients.join(", ") || m.matched.join(", ")];
  if (m.opioid) parts.push(h("strong", { class: "opioid" }, m.long_acting ? " — long-acting opioid" : " — opioid"));
  if (m.unmatched.length) parts.push(` (words not used: ${m.unmatched.join(" ")})`);
  return parts;
}

/** Everything given, the questions still open, then completing (which screens). */
async function reviewScreen(s: Session): Promise<void> {
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
    complete.disabled = true;
    complete.textContent = "Screening…";
    try {
      await ipc.completeIntake(s.intakeId, s.doc);
      await openIntake(s.intakeId);
    } catch (e) {
      error.textContent = message(e);
      error.hidden = false;
      complete.disabled = false;
      complete.textContent = "Complete and screen";
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

/**
 * Suggestions from the medicine table under a name field (the ARIA combobox pattern): typing
 * is never interrupted, Arrow keys move through the list, Enter takes the highlighted name,
 * Escape closes it. Taking a name fires the field's change event, which saves it.
 */
function suggestionList(input: HTMLInputElement, id: string): HTMLElement {
  const list = h("ul", { id, role: "listbox", class: "suggestions", "aria-label": "Suggested names" });
  list.hidden = true;
  let names: string[] = [];
  let active = -1;
  let ticket = 0;
  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const draw = () => {
    list.replaceChildren(
      ...names.map((n, i) => {
        const option = h("li", { id: `${id}-${i}`, role: "option", "aria-selected": i === active ? "true" : "false", class: i === active ? "active" : "" }, n);
        // mousedown, not click: the field keeps the focus until the name is taken.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          take(n);
        });
        return option;
      }),
    );
    list.hidden = names.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const take = (n: string) => {
    input.value = n;
    close();
    input.dispatchEvent(new Event("change"));
  };
  input.addEventListener("input", async () => {
    const mine = ++ticket;
    const typed = input.value;
    const found = typed.trim().length < 2 ? [] : await ipc.suggestMedicines(typed).catch(() => []);
    if (mine !== ticket || document.activeElement !== input) return;
    names = found.filter((n) => n.toLowerCase() !== typed.trim().toLowerCase());
    active = -1;
    draw();
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + names.length) % names.length;
      draw();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      take(names[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => {
    ticket += 1;
    close();
  });
  return list;
}
