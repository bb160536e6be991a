// First run: the clinic, the first administrator, and the recovery key, shown once.

import { go } from "../router";
import { busy, button, h, show } from "../dom";
import { formError, select, showErrors, textField } from "../forms";
import { printedWhere } from "../printing";
import { fieldErrors, ipc, message, type AppStatus } from "../ipc";
import type { Language } from "../bindings/Language";
import type { Paper } from "../bindings/Paper";

export function setupScreen(): void {
  const clinic = textField({ label: "Clinic name", name: "clinic_name", required: true, autocomplete: "organization" });
  const address = textField({ label: "Clinic address", name: "clinic_address", autocomplete: "street-address" });
  const phone = textField({
    label: "Clinic phone",
    name: "clinic_phone",
    required: true,
    autocomplete: "tel",
    hint: "Printed on every handout and wallet card.",
  });
  const paper = select("Paper size", "paper", [
    ["letter", "US Letter"],
    ["a4", "A4"],
  ]);
  const language = select("Default handout language", "language", [
    ["en", "English"],
    ["es", "Spanish (Español)"],
  ]);
  const display = textField({ label: "Your name", name: "display_name", required: true, autocomplete: "name" });
  const username = textField({ label: "Username", name: "username", required: true, autocomplete: "username" });
  const password = textField({
    label: "Password",
    name: "password",
    type: "password",
    required: true,
    autocomplete: "new-password",
    hint: "At least 10 characters.",
  });
  const error = formError();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    error,
    h("fieldset", {}, h("legend", {}, "The clinic"), clinic.wrap, address.wrap, phone.wrap, paper.wrap, language.wrap),
    h("fieldset", {}, h("legend", {}, "The first administrator"), display.wrap, username.wrap, password.wrap),
    h("button", { type: "submit", class: "primary" }, "Set up LDN Intake"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
    const restore = busy(submit, "Setting up…");
    try {
      const done = await ipc.firstRun({
        clinic_name: clinic.input.value,
        clinic_address: address.input.value,
        clinic_phone: phone.input.value,
        paper: paper.select.value as Paper,
        language: language.select.value as Language,
        username: username.input.value,
        display_name: display.input.value,
        password: password.input.value,
      });
      recoveryKeyScreen(done.recovery_key, done.root_fingerprint, done.status);
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
      restore();
    }
  });
  show(
    h("h1", {}, "Set up LDN Intake"),
    h("p", {}, "This workstation keeps its records in an encrypted database on this computer. Nothing is sent anywhere."),
    form,
  );
}

function recoveryKeyScreen(key: string, fingerprint: string, next: AppStatus): void {
  const result = h("p", { class: "note", "aria-live": "polite", "data-testid": "print-result" });
  const print = button(
    "Print the key",
    async () => {
      const restore = busy(print, "Preparing the sheet…");
      try {
        const copy = await ipc.printRecoverySheet(key);
        result.textContent = printedWhere(copy.path, copy.opened);
      } catch (e) {
        result.textContent = message(e);
      } finally {
        restore();
      }
    },
    "secondary",
  );
  show(
    h("h1", {}, "Your recovery key"),
    h(
      "p",
      {},
      "If every password is lost, this key is the only way to open the records. It is shown once. Print it or write it down, and keep it locked away.",
    ),
    h("p", { class: "recovery-key", "data-testid": "recovery-key" }, key),
    h(
      "p",
      {},
      "Write this fingerprint on the same paper. It names the clinic's signing key: Settings and every clinician summary show it, and they must match the paper.",
    ),
    h("p", { class: "recovery-key", "data-testid": "root-fingerprint" }, fingerprint),
    h(
      "div",
      { class: "actions no-print" },
      print,
      button("I have kept the key safe", () => void go().route(next), "primary"),
    ),
    result,
  );
}

/** Where a print went: "opened" only when a viewer started, otherwise where the file waits. */
