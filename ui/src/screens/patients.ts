// Finding a patient, adding one, and a patient's intakes.

import { button, formError, h, show, showErrors, textField } from "../dom";
import { fieldErrors, ipc, message } from "../ipc";
import type { IntakeListRow } from "../bindings/IntakeListRow";
import type { PatientRow } from "../bindings/PatientRow";
import { select } from "./setup";
import { intakeScreen } from "./intake";
import { summaryScreen } from "./summary";

export async function patientsScreen(): Promise<void> {
  const search = textField({
    label: "Find a patient",
    name: "search",
    type: "search",
    hint: "Type the start of a name (given or family name first), a birth date as YYYY-MM-DD, or an MRN.",
  });
  const results = h("ul", { class: "results", "aria-live": "polite", "aria-label": "Patients found" });
  let pending = 0;
  search.input.addEventListener("input", async () => {
    const ticket = ++pending;
    const query = search.input.value;
    try {
      const rows = await ipc.searchPatients(query);
      if (ticket !== pending) return; // a newer search is under way
      results.replaceChildren(
        ...rows.map((p) => h("li", {}, button(`${p.given_name} ${p.family_name} — born ${p.birth_date}${p.mrn ? ` — MRN ${p.mrn}` : ""}`, () => void patientScreen(p), "row"))),
      );
      if (query.trim() && rows.length === 0) results.append(h("li", { class: "note" }, "No patient found."));
    } catch (e) {
      results.replaceChildren(h("li", { class: "error" }, message(e)));
    }
  });
  const unfinished = h("section", { "aria-labelledby": "unfinished-h" });
  show(
    h("h1", {}, "Patients"),
    h("div", { class: "actions" }, button("New patient", () => newPatientScreen(), "primary")),
    search.wrap,
    results,
    unfinished,
  );
  search.input.focus();
  try {
    const rows = await ipc.unfinishedIntakes();
    if (rows.length) {
      unfinished.append(
        h("h2", { id: "unfinished-h" }, "Unfinished intakes"),
        intakeList(rows),
      );
    }
  } catch (e) {
    unfinished.append(h("p", { class: "error" }, message(e)));
  }
}

export function intakeList(rows: IntakeListRow[]): HTMLElement {
  return h(
    "table",
    { class: "table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Patient"), h("th", { scope: "col" }, "Saved"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Result"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Open")))),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, `${r.patient} (born ${r.birth_date})`),
          h("td", {}, localTime(r.saved_at)),
          h("td", {}, `${r.status}, version ${r.versions}`),
          h("td", {}, r.verdict ? r.verdict.replaceAll("_", " ") : "not screened yet"),
          h("td", {}, button(r.status === "draft" ? "Go on with intake" : "Open", () => void openIntake(r.intake_id))),
        ),
      ),
    ),
  );
}

export async function openIntake(intakeId: number): Promise<void> {
  const view = await ipc.openIntake(intakeId);
  if (view.latest.summary) summaryScreen(view);
  else intakeScreen(view.latest);
}

export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

async function patientScreen(p: PatientRow): Promise<void> {
  const list = h("div", {});
  show(
    h("h1", {}, `${p.given_name} ${p.family_name}`),
    h("p", {}, `Born ${p.birth_date}${p.mrn ? ` · MRN ${p.mrn}` : ""}`),
    h("div", { class: "actions" }, button("Start a new intake", () => newPatientScreen(p), "primary")),
    h("h2", {}, "Intakes"),
    list,
  );
  try {
    const rows = await ipc.patientIntakes(p.id);
    list.append(rows.length ? intakeList(rows) : h("p", {}, "No intakes yet."));
  } catch (e) {
    list.append(h("p", { class: "error" }, message(e)));
  }
}

function newPatientScreen(known?: PatientRow): void {
  const given = textField({ label: "Given name", name: "patient.given_name", value: known?.given_name, required: true });
  const family = textField({ label: "Family name", name: "patient.family_name", value: known?.family_name, required: true });
  const birth = textField({ label: "Birth date", name: "patient.birth_date", value: known?.birth_date, required: true, hint: "As YYYY-MM-DD, for example 1980-01-20.", inputmode: "numeric" });
  const sex = select("Sex at birth", "patient.sex_at_birth", [["", "Not asked"], ["female", "Female"], ["male", "Male"]]);
  const language = select("Language for the questions and the handout", "language", [["en", "English"], ["es", "Spanish (Español)"]]);
  const error = formError();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    error,
    given.wrap,
    family.wrap,
    birth.wrap,
    sex.wrap,
    language.wrap,
    h("button", { type: "submit", class: "primary" }, "Start the intake"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await ipc.startIntake({
        given_name: given.input.value,
        family_name: family.input.value,
        birth_date: birth.input.value,
        sex_at_birth: sex.select.value,
        language: language.select.value,
      });
      intakeScreen(saved);
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  show(h("h1", {}, known ? "New intake" : "New patient"), form);
  (known ? sex.select : given.input).focus();
}
