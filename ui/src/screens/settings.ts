// Settings (administrators): the clinic, documents, titration, auto-lock, staff, audit trail.

import { button, h, show } from "../dom";
import { formError, select, showErrors, textField } from "../forms";
import { fieldErrors, ipc, message, type Settings } from "../ipc";
import type { Role } from "../bindings/Role";
import type { StaffRow } from "../bindings/StaffRow";
import type { Signatures } from "../bindings/Signatures";
import { formatSteps, parseSteps } from "../steps";
import { renderAudit } from "./audit";
import type { Language } from "../bindings/Language";
import type { Paper } from "../bindings/Paper";

export async function settingsScreen(): Promise<void> {
  let settings: Settings;
  try {
    settings = await ipc.getSettings();
  } catch (e) {
    show(h("h1", {}, "Settings"), h("p", { class: "error" }, message(e)));
    return;
  }
  const staffSection = h("section", { class: "panel", "aria-labelledby": "staff-h" }, h("h2", { id: "staff-h" }, "Staff accounts"));
  const auditSection = h("section", { class: "panel", "aria-labelledby": "audit-h" }, h("h2", { id: "audit-h" }, "Audit trail"));
  const signatureSection = h(
    "section",
    { class: "panel", "aria-labelledby": "signatures-h", "data-panel": "signatures" },
    h("h2", { id: "signatures-h" }, "Signatures"),
  );
  show(h("h1", {}, "Settings"), clinicForm(settings), signatureSection, staffSection, auditSection);
  await Promise.all([renderSignatures(signatureSection), renderStaff(staffSection), renderAudit(auditSection)]);
}

function clinicForm(settings: Settings): HTMLElement {
  const name = textField({ label: "Clinic name", name: "clinic_name", value: settings.clinic_name });
  const address = textField({ label: "Clinic address", name: "clinic_address", value: settings.clinic_address });
  const phone = textField({ label: "Clinic phone", name: "clinic_phone", value: settings.clinic_phone });
  const paper = select(
    "Paper size",
    "paper",
    [
      ["letter", "US Letter"],
      ["a4", "A4"],
    ],
    settings.paper,
  );
  const language = select(
    "Default handout language",
    "language",
    [
      ["en", "English"],
      ["es", "Spanish (Español)"],
    ],
    settings.language,
  );
  const lock = textField({
    label: "Lock after this many idle minutes",
    name: "auto_lock_minutes",
    value: String(settings.auto_lock_minutes),
    inputmode: "numeric",
    hint: "1 to 240.",
  });
  const neutral = h("input", { type: "checkbox", name: "neutral_file_names", id: "neutral_file_names" }) as HTMLInputElement;
  neutral.checked = settings.neutral_file_names;
  const neutralWrap = h(
    "div",
    { class: "field choice" },
    neutral,
    h("label", { for: "neutral_file_names" }, "Leave the patient's name out of saved file names"),
    h(
      "p",
      { class: "hint" },
      "File names show up in recent-file lists and previews. With this on, a saved English handout is called, for example, handout-en-2026-11-26.pdf.",
    ),
  );
  const stepsHint =
    "One step per comma: the dose in mg and the number of days, for example “1.5 mg 14 days, 3 mg 14 days, 4.5 mg”. The last step has no days: it goes on.";
  const steps = textField({
    label: "Standard dose plan",
    name: "titration",
    value: formatSteps(settings.titration.steps),
    hint: stepsHint,
  });
  const lowSteps = textField({
    label: "Low-start dose plan",
    name: "low_start_titration",
    value: formatSteps(settings.low_start_titration.steps),
    hint: "For sensitive patients (severe kidney disease, ME/CFS, long COVID). The clinician picks a plan at sign-off.",
  });
  const saved = h("p", { class: "note", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    formError(),
    h("fieldset", {}, h("legend", {}, "Clinic"), name.wrap, address.wrap, phone.wrap),
    h(
      "fieldset",
      {},
      h("legend", {}, "Documents and the workstation"),
      paper.wrap,
      language.wrap,
      neutralWrap,
      lock.wrap,
      steps.wrap,
      lowSteps.wrap,
    ),
    h("button", { type: "submit", class: "primary" }, "Save settings"),
    saved,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saved.textContent = "";
    const parsed = parseSteps(steps.input.value);
    const lowParsed = parseSteps(lowSteps.input.value);
    const refused = [
      ...(typeof parsed === "string" ? [{ field: "titration", message: parsed }] : []),
      ...(typeof lowParsed === "string" ? [{ field: "low_start_titration", message: lowParsed }] : []),
    ];
    if (typeof parsed === "string" || typeof lowParsed === "string") {
      showErrors(form, refused);
      return;
    }
    try {
      await ipc.saveSettings({
        clinic_name: name.input.value,
        clinic_address: address.input.value,
        clinic_phone: phone.input.value,
        paper: paper.select.value as Paper,
        language: language.select.value as Language,
        auto_lock_minutes: Number.parseInt(lock.input.value, 10) || 0,
        neutral_file_names: neutral.checked,
        titration: { steps: parsed },
        low_start_titration: { steps: lowParsed },
      });
      showErrors(form, []);
      saved.textContent = "Settings saved. A new auto-lock time applies from the next log-in.";
    } catch (e) {
      // The store names plan fields as titration.steps[1].dose_mg: show them on the plan's one field.
      const onField = (f: { field: string; message: string }) => {
        const plan = ["low_start_titration", "titration"].find((p) => f.field.startsWith(p));
        return plan ? { field: plan, message: `${f.field}: ${f.message}` } : f;
      };
      showErrors(form, fieldErrors(e).map(onField), message(e));
    }
  });
  return form;
}

async function renderSignatures(section: HTMLElement): Promise<void> {
  let found: Signatures;
  try {
    found = await ipc.signatures();
  } catch (e) {
    section.append(h("p", { class: "error" }, message(e)));
    return;
  }
  const heading = section.firstElementChild;
  const draw = (s: Signatures) => {
    section.replaceChildren(...(heading ? [heading] : []));
    if (s.root_fingerprint) {
      section.append(
        h(
          "p",
          {},
          "Accounts, sign-offs and the audit trail are signed. They are vouched for by the clinic's root key, which comes from the recovery key. Its fingerprint:",
        ),
        h("p", { class: "recovery-key", "data-testid": "root-fingerprint" }, s.root_fingerprint),
        h(
          "p",
          { class: "hint" },
          "It must match the fingerprint written with the recovery key. If it does not, someone has changed the records: stop and call your administrator.",
        ),
      );
      if (s.need_reset.length) {
        section.append(h("p", { class: "error" }, `Reset the password of ${s.need_reset.join(", ")} so they can sign in again.`));
      }
      return;
    }
    const key = textField({
      label: "Recovery key",
      name: "recovery_key",
      autocomplete: "off",
      hint: "The 64 characters printed when the clinic was set up. Spaces and dashes do not matter.",
    });
    const form = h(
      "form",
      { class: "card", novalidate: true },
      formError(),
      key.wrap,
      h("button", { type: "submit", class: "primary" }, "Set up signatures"),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        draw(await ipc.setUpSignatures(key.input.value));
      } catch (e) {
        showErrors(form, fieldErrors(e), message(e));
      }
    });
    section.append(
      h(
        "p",
        { class: "error" },
        "These records were made before signatures. Until you set them up, nothing stops someone who can open the files from changing accounts or sign-offs unnoticed.",
      ),
      form,
    );
    section.scrollIntoView();
    key.input.focus();
  };
  draw(found);
}

function staffState(r: StaffRow): string {
  if (r.disabled) return "disabled";
  if (r.needs_reset) return "needs a password reset";
  if (r.must_change_password) return "active; must choose a password";
  return "active";
}

async function renderStaff(section: HTMLElement): Promise<void> {
  let rows: StaffRow[];
  try {
    rows = await ipc.listStaff();
  } catch (e) {
    section.append(h("p", { class: "error" }, message(e)));
    return;
  }
  const table = h("tbody", {});
  const result = h("p", { class: "note", "aria-live": "polite" });
  const draw = (list: StaffRow[]) =>
    table.replaceChildren(
      ...list.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, r.username),
          h("td", {}, r.display_name),
          h("td", {}, r.role),
          h("td", {}, staffState(r)),
          h(
            "td",
            {},
            button(
              r.disabled ? `Enable ${r.username}` : `Disable ${r.username}`,
              async () => {
                try {
                  draw(await ipc.setStaffDisabled(r.username, !r.disabled));
                  result.textContent = r.disabled
                    ? `${r.username} is enabled. Reset their password so they can sign in.`
                    : `${r.username} is disabled. Their password no longer opens the records.`;
                } catch (e) {
                  result.textContent = message(e);
                }
              },
              "link",
            ),
            button(`Reset the password of ${r.username}`, () => resetPassword(r.username, result), "link"),
          ),
        ),
      ),
    );
  draw(rows);
  const username = textField({ label: "Username", name: "username" });
  const display = textField({ label: "Name", name: "display_name" });
  const password = textField({
    label: "First password",
    name: "password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 10 characters and hard to guess. They choose their own at their first log-in.",
  });
  const role = select("Role", "role", [
    ["staff", "Staff (intakes)"],
    ["clinician", "Clinician (intakes and sign-off)"],
    ["admin", "Administrator"],
  ]);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h3", {}, "Add an account"),
    formError(),
    username.wrap,
    display.wrap,
    password.wrap,
    role.wrap,
    h("button", { type: "submit", class: "primary" }, "Add the account"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      draw(
        await ipc.addStaff({
          username: username.input.value,
          display_name: display.input.value,
          password: password.input.value,
          role: role.select.value as Role,
        }),
      );
      showErrors(form, []);
      result.textContent = `Account ${username.input.value} added.`;
      for (const f of [username, display, password]) f.input.value = "";
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  section.append(
    h(
      "table",
      { class: "table" },
      h("thead", {}, h("tr", {}, ...["Username", "Name", "Role", "State", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
      table,
    ),
    result,
    form,
  );
}

function resetPassword(username: string, result: HTMLElement): void {
  const field = textField({ label: `New password for ${username}`, name: "password", type: "password", autocomplete: "new-password" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    formError(),
    field.wrap,
    h("button", { type: "submit", class: "primary" }, "Set the password"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await ipc.resetStaffPassword(username, field.input.value);
      form.remove();
      result.textContent = `The password of ${username} was reset. They choose their own at their next log-in.`;
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  result.after(form);
  field.input.focus();
}
