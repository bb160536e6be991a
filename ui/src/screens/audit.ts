// The audit trail for administrators: who did what, in words, filterable by person and by patient.

import { h } from "../dom";
import { ipc, message } from "../ipc";
import { localTime } from "../dates";
import type { AuditRow } from "../bindings/AuditRow";
import { select } from "../forms";
import { html, render } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";

/** What each audited action is, in words; an action not listed shows as it is stored. */
const ACTION_TEXT: Record<string, string> = {
  create_database: "Set up the database",
  login: "Logged in",
  recovery_login: "Opened with the recovery key",
  failed_login: "Wrong password",
  refused_login: "Login refused",
  lock: "Locked",
  idle_lock: "Locked after no activity",
  change_password: "Changed their password",
  reset_password: "Reset a password",
  add_staff: "Added an account",
  disable_staff: "Disabled an account",
  enable_staff: "Enabled an account",
  settings: "Changed the settings",
  establish_root: "Set up signatures",
  key_changed: "Changed the database key",
  search: "Searched for patients",
  view: "Looked at",
  save: "Saved answers",
  sign_off: "Signed off",
  print: "Made a document",
  export: "Exported for the health record",
  import: "Imported answers from a file",
  edit_patient: "Changed a patient's record",
  self_entry_on: "Handed the workstation to a patient",
  self_entry_off: "Took the workstation back",
  backup: "Made a backup",
  restore: "Restored a backup",
};

export async function renderAudit(section: HTMLElement): Promise<void> {
  try {
    const rows = await ipc.auditTrail();
    const who = (r: AuditRow) => r.staff_name ?? (r.staff_id === null ? "No one signed in" : `Account ${r.staff_id}`);
    const people = [...new Set(rows.map(who))].sort();
    const filter = select("Show the actions of", "audit-person", [["", "Everyone"], ...people.map((p): [string, string] => [p, p])]);
    const patients = new Map<string, string>();
    for (const r of rows) if (r.patient_id !== null) patients.set(String(r.patient_id), r.patient_name ?? `Patient ${r.patient_id}`);
    const about = select("About", "audit-patient", [
      ["", "Any patient or none"],
      ...[...patients].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]): [string, string] => [id, name]),
    ]);
    const body = h("tbody", {});
    const count = h("p", { "aria-live": "polite" });
    const draw = () => {
      const chosen = rows.filter(
        (r) =>
          (filter.select.value === "" || who(r) === filter.select.value) &&
          (about.select.value === "" || String(r.patient_id) === about.select.value),
      );
      const recent = chosen.slice(-200).reverse();
      count.textContent = `${chosen.length} entries; the latest ${recent.length} are shown, newest first.`;
      render(
        repeat(
          recent,
          (r) => r.id,
          (r) =>
            html`<tr>
              <td>${localTime(r.at)}</td>
              <td>${who(r)}</td>
              <td>${ACTION_TEXT[r.action] ?? r.action.replaceAll("_", " ")}</td>
              <td>${r.patient_name ? `${r.patient_name} (${r.subject})` : r.subject}</td>
              <td>${r.detail}</td>
            </tr>`,
        ),
        body,
      );
    };
    filter.select.addEventListener("change", draw);
    about.select.addEventListener("change", draw);
    draw();
    section.append(
      h("div", { class: "filters" }, filter.wrap, about.wrap),
      count,
      h(
        "table",
        { class: "table" },
        h("thead", {}, h("tr", {}, ...["When", "Who", "What", "About", "Detail"].map((t) => h("th", { scope: "col" }, t)))),
        body,
      ),
    );
  } catch (e) {
    section.append(h("p", { class: "error" }, message(e)));
  }
}
