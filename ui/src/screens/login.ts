// Logging in: per staff member; the database opens only with a password.

import { appStatus, go } from "../router";
import { busy, h, show } from "../dom";
import { formError, showErrors, textField } from "../forms";
import { fieldErrors, ipc, message } from "../ipc";

export function loginScreen(): void {
  const username = textField({ label: "Username", name: "username", required: true, autocomplete: "username" });
  const password = textField({ label: "Password", name: "password", type: "password", required: true, autocomplete: "current-password" });
  const error = formError();
  const form = h(
    "form",
    { class: "card narrow", novalidate: true },
    error,
    username.wrap,
    password.wrap,
    h("button", { type: "submit", class: "primary" }, "Log in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
    if (submit.disabled) return;
    const restore = busy(submit, "Checking…");
    try {
      await go().route(await ipc.login({ username: username.input.value, password: password.input.value }));
    } catch (e) {
      password.input.value = "";
      showErrors(form, fieldErrors(e), message(e));
      restore();
    }
  });
  show(
    h("h1", {}, "Log in"),
    h("p", { "data-lock-reason": "", class: "note" }),
    h("p", { class: "hint" }, `Records: ${appStatus().database}`),
    form,
  );
  username.input.focus();
}
