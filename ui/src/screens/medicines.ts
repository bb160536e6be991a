// The medicine list of an intake: one line per medicine, suggestions from the medicine
// table while typing, how the engine read each line, and the last dose where it matters.

import { button, h, uid } from "../dom";
import { ipc } from "../ipc";
import { say } from "../questionnaire";
import type { MedicationResult } from "../bindings/MedicationResult";
import type { OpioidKind } from "../bindings/OpioidKind";
import { clearRefusal, enqueue, refuse, type Session } from "./session";
import { dateField } from "../datefield";
import { daysAgo, writeDate } from "../dates";
import type { Language } from "../bindings/Language";
import { word } from "../patientmode/words";

export function renderMedicines(s: Session): HTMLElement {
  const lang = s.doc.language;
  const entry = s.q.medication_entry;
  const headingId = uid("meds");
  const list = h("ol", { class: "meds", "data-testid": "medicines" });
  const add = button(
    say({ en: "Add a medicine", es: "Añadir un medicamento" }, lang),
    () => {
      list.append(medicineRow(s, null, "", null));
      list.querySelector<HTMLInputElement>("li:last-child input")?.focus();
    },
    "secondary",
  );
  for (const [i, m] of s.doc.medications.entries()) list.append(medicineRow(s, i, m.name, m.last_taken ?? null));
  // A patient is shown a line to write in, not a button to find first.
  if (s.patient && s.doc.medications.length === 0) list.append(medicineRow(s, null, "", null));
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

/**
 * One medicine line. A row knows which saved line it is (`data-line`), set when it is first
 * saved and shifted when an earlier line is removed, so that a row typed but not yet saved
 * never makes another row write over the wrong line.
 */
function medicineRow(s: Session, line: number | null, name: string, lastTaken: string | null): HTMLElement {
  const lang = s.doc.language;
  const entry = s.q.medication_entry;
  const nameId = uid("med");
  const listId = `${nameId}-suggestions`;
  const last = dateField({
    label: say(entry.last_taken_label, lang),
    name: "last_taken",
    order: s.order,
    language: lang,
    value: lastTaken,
    hint: say(entry.last_taken_help, lang),
  });
  last.input.dataset.medLast = "";
  last.wrap.classList.add("last-taken");
  const quick = quickDays(lang, (days) => {
    last.input.value = writeDate(daysAgo(days), s.order);
    last.input.dispatchEvent(new Event("input"));
    commit();
  });
  last.wrap.append(quick);
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
  const suggestions = suggestionList(nameInput, listId, lang);
  const understood = h("p", { class: "understood", "data-understood": "" });
  const nameError = h("p", { class: "error" });
  const row: HTMLElement = h(
    "li",
    { class: line === null ? "med new" : "med" },
    h("div", { class: "field" }, h("label", { for: nameId }, say(entry.name_label, lang)), nameInput, suggestions, nameError),
    last.wrap,
    understood,
    button(say({ en: "Remove this medicine", es: "Quitar este medicamento" }, lang), () => remove(), "link"),
  );
  const dateError = last.wrap.querySelector<HTMLElement>(".error")!;
  if (line !== null) row.dataset.line = String(line);
  // Errors from the engine name the saved line ("medications[2].name"); a row not saved yet
  // has a name of its own.
  const relabel = () => {
    const key = row.dataset.line === undefined ? `medications[new ${nameId}]` : `medications[${row.dataset.line}]`;
    nameError.dataset.errorFor = `${key}.name`;
    dateError.dataset.errorFor = `${key}.last_taken`;
    // A refused date keeps its message when its row gets (or changes) its place.
    for (const [field, refusal] of [...s.refused]) {
      if (refusal.source !== last.input || field === dateError.dataset.errorFor) continue;
      s.refused.delete(field);
      s.refused.set(dateError.dataset.errorFor, refusal);
    }
  };
  relabel();
  row.addEventListener("relabel", relabel);
  function commit(): void {
    const value = nameInput.value.trim();
    let date = "";
    if (last.input.value.trim() !== "") {
      const read = last.read();
      if ("iso" in read) {
        clearRefusal(s, last.input);
        date = read.iso;
      } else {
        // The date is refused until it is put right; the line is still saved, without a last
        // dose, which the screening reads as "still taking" (no start date).
        refuse(s, dateError.dataset.errorFor!, last.input, read.problem);
      }
    } else {
      clearRefusal(s, last.input);
    }
    if (value === "" && row.dataset.line === undefined) return;
    enqueue(
      s,
      (d) => {
        const saved = { name: value, ...(date ? { last_taken: date } : {}) };
        if (row.dataset.line !== undefined) d.medications[Number(row.dataset.line)] = saved as never;
        else d.medications.push(saved as never);
      },
      {
        source: row,
        onSaved: () => {
          if (row.dataset.line === undefined) {
            row.dataset.line = String(s.doc.medications.length - 1);
            relabel();
          }
          row.classList.remove("new");
        },
      },
    );
  }
  function remove(): void {
    if (row.dataset.line === undefined) {
      clearRefusal(s, last.input);
      row.remove();
      return;
    }
    enqueue(s, (d) => void d.medications.splice(Number(row.dataset.line), 1), {
      source: row,
      onSaved: () => {
        const gone = Number(row.dataset.line);
        clearRefusal(s, last.input);
        row.remove();
        for (const other of row.ownerDocument.querySelectorAll<HTMLElement>("li.med[data-line]")) {
          const at = Number(other.dataset.line);
          if (at > gone) {
            other.dataset.line = String(at - 1);
            other.dispatchEvent(new Event("relabel"));
          }
        }
      },
    });
  }
  nameInput.addEventListener("change", commit);
  last.input.addEventListener("change", commit);
  return row;
}

/** Quick last-dose choices: today, yesterday, 2 to 7 days ago. */
function quickDays(lang: Language, chosen: (days: number) => void): HTMLElement {
  const id = uid("quick");
  const words = (n: number) =>
    lang === "es" ? (n === 0 ? "Hoy" : n === 1 ? "Ayer" : `Hace ${n} días`) : n === 0 ? "Today" : n === 1 ? "Yesterday" : `${n} days ago`;
  const pick = h(
    "select",
    { id, name: "quick-last" },
    h("option", { value: "" }, lang === "es" ? "Elegir…" : "Choose…"),
    ...Array.from({ length: 8 }, (_, n) => h("option", { value: String(n) }, words(n))),
  );
  pick.addEventListener("change", () => {
    if (pick.value !== "") chosen(Number(pick.value));
    pick.value = "";
  });
  return h("div", { class: "field quick" }, h("label", { for: id }, lang === "es" ? "O elija:" : "Or choose:"), pick);
}

/** The engine's kind of opioid for a line, in words; the engine decides which it is. */
const KIND_TEXT: Record<OpioidKind, string> = {
  short_acting: " — opioid",
  long_acting: " — long-acting opioid",
  street: " — street or unregulated opioid: 14 days and a drug screen",
  depot: " — depot opioid: no washout date can be given",
  antidiarrheal: " — gut-acting opioid (antidiarrheal): no washout",
};

/**
 * Each row shows the engine's reading of the saved line it is (none until it is saved). A
 * patient answering alone is told only that the staff will check a line not understood.
 */
export function showReadings(s: Session): void {
  for (const row of s.root.querySelectorAll<HTMLElement>("li.med")) {
    const line = row.dataset.line === undefined ? undefined : s.form.medications[Number(row.dataset.line)];
    const understood = row.querySelector<HTMLElement>("[data-understood]")!;
    const last = row.querySelector<HTMLElement>(".last-taken")!;
    if (!line) {
      understood.textContent = "";
      delete understood.dataset.kind;
      last.hidden = true;
      continue;
    }
    understood.dataset.kind = line.kind ?? "";
    last.hidden = !line.asks_last_dose;
    if (s.patient) {
      understood.textContent = word(line.status === "unrecognized" ? "staffWillCheck" : "noted", s.doc.language);
      understood.className = "understood";
      continue;
    }
    understood.replaceChildren(...describeMedicine(line));
    const flagged = line.status === "unrecognized" || (line.kind !== undefined && line.kind !== null && line.kind !== "antidiarrheal");
    understood.className = `understood ${flagged ? "flag" : line.kind ? "caution" : "ok"}`;
  }
}

export function describeMedicine(m: MedicationResult): (string | HTMLElement)[] {
  if (m.status === "unrecognized") {
    return [
      h("strong", {}, "Not recognised: "),
      m.reason ?? "not in the medicine table",
      ". The clinician must check it; it may hold an opioid.",
    ];
  }
  const parts: (string | HTMLElement)[] = [h("strong", {}, "Understood as: "), m.ingredients.join(", ") || m.matched.join(", ")];
  if (m.kind) parts.push(h("strong", { class: m.kind === "antidiarrheal" ? "gut" : "opioid" }, KIND_TEXT[m.kind]));
  if (m.unmatched.length) parts.push(` (words not used: ${m.unmatched.join(" ")})`);
  return parts;
}

/**
 * Suggestions from the medicine table under a name field (the ARIA combobox pattern): typing
 * is never interrupted, Arrow keys move through the list, Enter takes the highlighted name,
 * Escape closes it. Taking a name fires the field's change event, which saves it.
 */
function suggestionList(input: HTMLInputElement, id: string, lang: Language): HTMLElement {
  const list = h("ul", {
    id,
    role: "listbox",
    class: "suggestions",
    "aria-label": say({ en: "Suggested names", es: "Nombres sugeridos" }, lang),
  });
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
        const option = h(
          "li",
          { id: `${id}-${i}`, role: "option", "aria-selected": i === active ? "true" : "false", class: i === active ? "active" : "" },
          n,
        );
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
