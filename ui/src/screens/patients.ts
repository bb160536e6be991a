// Finding a patient, adding one, and a patient's intakes.

import { alert, alertBody, announce, button, h, show } from "../dom";
import { formError, select, showErrors, textField } from "../forms";
import { fieldErrors, ipc, message } from "../ipc";
import { clinicDateOrder, localTime } from "../dates";
import { dateField } from "../datefield";
import type { IntakeListRow } from "../bindings/IntakeListRow";
import type { PatientRow } from "../bindings/PatientRow";
import { appStatus, go } from "../router";
import { fileCheckBanner } from "../filecheck";
import { html, nothing, render } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";

export async function patientsScreen(): Promise<void> {
  const search = textField({
    label: "Find a patient",
    name: "search",
    type: "search",
    hint: "Type the start of any part of the name (Garcia finds Ñúñez-García), a birth date as YYYY-MM-DD, or an MRN.",
  });
  const results = h("ul", { class: "results", "aria-live": "polite", "aria-label": "Patients found" });
  // Drawn from the latest answer each time: lit-html keeps the rows that stay.
  const draw = (query: string, rows: PatientRow[] | string) =>
    render(
      typeof rows === "string"
        ? html`<li class="error">${rows}</li>`
        : html`${repeat(
            rows,
            (p) => p.id,
            (p) =>
              html`<li>
                <button type="button" class="row" @click=${() => void patientScreen(p)}>
                  ${p.given_name} ${p.family_name} — born ${p.birth_date}${p.mrn ? ` — MRN ${p.mrn}` : ""}
                </button>
              </li>`,
          )}
          ${query.trim() && rows.length === 0 ? html`<li class="note">No patient found.</li>` : nothing}`,
      results,
    );
  let pending = 0;
  search.input.addEventListener("input", async () => {
    const ticket = ++pending;
    const query = search.input.value;
    try {
      const rows = await ipc.searchPatients(query);
      if (ticket !== pending) return; // a newer search is under way
      draw(query, rows);
    } catch (e) {
      draw(query, message(e));
    }
  });
  const awaiting = worklist("awaiting", "Awaiting sign-off", "No screened intake is waiting for a clinician.", ipc.awaitingSignoff);
  const unfinished = worklist("unfinished", "Unfinished intakes", "No intake is waiting to be finished.", ipc.unfinishedIntakes);
  show(
    h("h1", {}, "Patients"),
    fileCheckBanner(appStatus().file_check),
    h(
      "div",
      { class: "actions" },
      button("New patient", () => void newPatientScreen(), "primary"),
    ),
    search.wrap,
    results,
    awaiting,
    unfinished,
  );
  search.input.focus();
}

/** A list of the day's work: what waits for a clinician, what waits to be finished. */
function worklist(id: string, title: string, empty: string, load: () => Promise<IntakeListRow[]>): HTMLElement {
  const section = h("section", { "aria-labelledby": `${id}-h`, "data-testid": id }, h("h2", { id: `${id}-h` }, title));
  void load()
    .then((rows) => section.append(rows.length ? intakeList(rows) : h("p", { class: "note" }, empty)))
    .catch((e) => section.append(h("p", { class: "error" }, message(e))));
  return section;
}

const STATUS_TEXT: Record<IntakeListRow["status"], string> = {
  draft: "Unfinished",
  completed: "Screened",
  amended: "Amended and screened again",
};

const VERDICT_TEXT: Record<NonNullable<IntakeListRow["verdict"]>, string> = {
  contraindicated: "Contraindicated",
  needs_review: "Needs review",
  no_contraindication_found: "No contraindication found",
};

export function intakeList(rows: IntakeListRow[]): HTMLElement {
  return h(
    "table",
    { class: "table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Patient"),
        h("th", { scope: "col" }, "Started by"),
        h("th", { scope: "col" }, "Last saved"),
        h("th", { scope: "col" }, "Status"),
        h("th", { scope: "col" }, "Result"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Open")),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, `${r.patient} (born ${r.birth_date})`),
          h("td", {}, r.started_by),
          h("td", {}, localTime(r.saved_at)),
          h("td", {}, `${STATUS_TEXT[r.status]}${r.signed_off ? ", signed off" : ""}`),
          h(
            "td",
            {},
            r.urgent ? h("strong", { class: "urgent-text" }, "Urgent · ") : null,
            r.verdict ? VERDICT_TEXT[r.verdict] : "Not screened yet",
          ),
          h(
            "td",
            {},
            button(r.status === "draft" ? "Go on with intake" : "Open", () => void openIntake(r.intake_id)),
          ),
        ),
      ),
    ),
  );
}

export async function openIntake(intakeId: number): Promise<void> {
  const view = await ipc.openIntake(intakeId);
  if (view.latest.summary) go().summary(view);
  else go().intakeForm(view.latest);
}

/**
 * Answers filled in elsewhere (a patient portal, a tablet form) as a FHIR QuestionnaireResponse:
 * checked like any answers and opened as a new draft to go through before completing it.
 */
async function importAnswers(p: PatientRow, result: HTMLElement): Promise<void> {
  result.textContent = "Importing…";
  try {
    const saved = await ipc.importAnswers(p.id);
    go().intakeForm(saved);
  } catch (e) {
    // Each problem with the place in the file it is about, so whoever made the file can
    // put it right.
    const fields = fieldErrors(e);
    result.replaceChildren(
      ...(fields.length
        ? [
            h("p", {}, `Nothing was imported. The file has ${fields.length === 1 ? "a problem" : `${fields.length} problems`}:`),
            h("ul", {}, ...fields.map((f) => h("li", {}, `${f.field}: ${f.message}`))),
          ]
        : [h("p", {}, message(e))]),
    );
  }
}

async function patientScreen(p: PatientRow): Promise<void> {
  const list = h("div", {});
  const imported = h("div", { class: "note", "aria-live": "polite", "data-testid": "import-result" });
  show(
    h("h1", {}, `${p.given_name} ${p.family_name}`),
    h("p", { "data-testid": "patient-record" }, `Born ${p.birth_date} · MRN ${p.mrn ?? "none"} · phone ${p.phone ?? "none"}`),
    h(
      "div",
      { class: "actions" },
      button("Start a new intake", () => void newPatientScreen(p), "primary"),
      button("Import answers", () => void importAnswers(p, imported), "secondary"),
      button("Edit patient", () => void editPatientForm(p), "secondary"),
    ),
    imported,
    contactForm(p),
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

/**
 * The name and birth date on record, put right. Intakes already screened keep what they were
 * screened with; every later save of this patient's intakes carries the correction.
 */
async function editPatientForm(p: PatientRow): Promise<void> {
  const order = await clinicDateOrder();
  const given = textField({ label: "Given name", name: "patient.given_name", value: p.given_name });
  const family = textField({ label: "Family name", name: "patient.family_name", value: p.family_name });
  const birth = dateField({ label: "Birth date", name: "patient.birth_date", order, value: p.birth_date });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    formError(),
    h(
      "p",
      { class: "hint" },
      "Intakes already screened keep the name and birth date they were screened with. Amend one to screen it again with the correction.",
    ),
    given.wrap,
    family.wrap,
    birth.wrap,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Save the correction"),
      button("Cancel", () => void patientScreen(p), "secondary"),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const read = birth.read();
    if (!("iso" in read)) return showErrors(form, [{ field: "patient.birth_date", message: read.problem }]);
    try {
      const row = await ipc.editPatient(p.id, given.input.value, family.input.value, read.iso);
      await patientScreen(row);
      announce("The patient's record is corrected.");
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  show(h("h1", {}, `Edit patient: ${p.given_name} ${p.family_name}`), form);
}

/** The MRN and phone on record, changed here; a refused value is named beside its field. */
function contactForm(p: PatientRow): HTMLElement {
  const mrn = textField({ label: "MRN", name: "mrn", value: p.mrn ?? "" });
  const phone = textField({ label: "Phone", name: "phone", value: p.phone ?? "", inputmode: "tel" });
  const done = h("p", { class: "note", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "contact-h" },
    h("h2", { id: "contact-h" }, "Contact details"),
    formError(),
    mrn.wrap,
    phone.wrap,
    h("button", { type: "submit", class: "secondary" }, "Save the contact details"),
    done,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const row = await ipc.setPatientContact(p.id, mrn.input.value, phone.input.value);
      showErrors(form, []);
      done.textContent = "Saved.";
      document.querySelector("[data-testid=patient-record]")!.textContent =
        `Born ${row.birth_date} · MRN ${row.mrn ?? "none"} · phone ${row.phone ?? "none"}`;
    } catch (e) {
      done.textContent = "";
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  return form;
}

/**
 * A new patient and their first intake, or (`known`) a new intake for a patient on record: then
 * the name and birth date are the record's, and sex and language start as last time.
 */
async function newPatientScreen(known?: PatientRow): Promise<void> {
  const order = await clinicDateOrder();
  const given = textField({ label: "Given name", name: "patient.given_name", required: true });
  const family = textField({ label: "Family name", name: "patient.family_name", required: true });
  const birth = dateField({ label: "Birth date", name: "patient.birth_date", order });
  const mrn = textField({ label: "MRN (optional)", name: "mrn", hint: "The clinic's medical record number." });
  const phone = textField({ label: "Phone (optional)", name: "phone", inputmode: "tel", autocomplete: "off" });
  // Set when staff confirm that a patient on record with this name and birth date is this one.
  let onRecord: PatientRow | undefined;
  const duplicate = alert("warning", { role: "alert", "data-testid": "duplicate" });
  duplicate.hidden = true;
  for (const input of [given.input, family.input, birth.input]) {
    input.addEventListener("input", () => {
      onRecord = undefined;
      duplicate.hidden = true;
    });
  }
  const sex = select("Sex at birth", "patient.sex_at_birth", [
    ["", "Not asked"],
    ["female", "Female"],
    ["male", "Male"],
  ]);
  const language = select("Language for the questions and the handout", "language", [
    ["en", "English"],
    ["es", "Spanish (Español)"],
  ]);
  if (known) void lastTime(known, sex.select, language.select);
  const error = formError();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    error,
    ...(known
      ? [
          h(
            "p",
            { "data-testid": "known-patient" },
            h("strong", {}, `${known.given_name} ${known.family_name}`),
            `, born ${known.birth_date}`,
          ),
        ]
      : [given.wrap, family.wrap, birth.wrap, mrn.wrap, phone.wrap, duplicate]),
    sex.wrap,
    language.wrap,
    h("button", { type: "submit", class: "primary" }, "Start the intake"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const born = birth.read();
    if (!known && !("iso" in born)) {
      showErrors(form, [{ field: "patient.birth_date", message: born.problem }]);
      return;
    }
    try {
      // The same name and birth date as a patient on record: say so, once, before the intake
      // is filed under that patient.
      if (!known && !onRecord && "iso" in born) {
        const twin = await onRecordAs(given.input.value, family.input.value, born.iso);
        if (twin) {
          onRecord = twin;
          alertBody(duplicate).replaceChildren(
            h(
              "p",
              {},
              `${twin.given_name} ${twin.family_name}, born ${twin.birth_date}${twin.mrn ? `, MRN ${twin.mrn}` : ""}, is already on record.`,
            ),
            h("p", {}, "Press “Start the intake” again to start it for that patient, or change the name or birth date."),
          );
          duplicate.hidden = false;
          return;
        }
      }
      const patientId = known?.id ?? onRecord?.id;
      const saved = await ipc.startIntake({
        given_name: given.input.value,
        family_name: family.input.value,
        birth_date: "iso" in born ? born.iso : "",
        sex_at_birth: sex.select.value,
        language: language.select.value,
        patient_id: patientId,
        mrn: known ? undefined : mrn.input.value.trim() || undefined,
        phone: known ? undefined : phone.input.value.trim() || undefined,
      });
      go().intakeForm(saved);
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  show(h("h1", {}, known ? "New intake" : "New patient"), form);
  (known ? sex.select : given.input).focus();
}

/** A patient on record with this name (case and accents aside) and birth date. */
async function onRecordAs(given: string, family: string, born: string): Promise<PatientRow | undefined> {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
  const rows = await ipc.searchPatients(born);
  return rows.find((p) => fold(p.given_name) === fold(given) && fold(p.family_name) === fold(family));
}

/** Sex at birth and language as given at the patient's latest intake. */
async function lastTime(p: PatientRow, sex: HTMLSelectElement, language: HTMLSelectElement): Promise<void> {
  try {
    const rows = await ipc.patientIntakes(p.id);
    const latest = rows.reduce<IntakeListRow | undefined>((a, r) => (!a || r.intake_id > a.intake_id ? r : a), undefined);
    if (!latest) return;
    const view = await ipc.openIntake(latest.intake_id);
    const before = view.latest.intake.patient.sex_at_birth;
    sex.value = before === "female" || before === "male" ? before : "";
    language.value = view.latest.intake.language;
  } catch {
    // Nothing to start from: the form keeps its blanks, which the staff member fills.
  }
}
