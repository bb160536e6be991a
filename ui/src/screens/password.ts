// Choosing one's own password: any time from the top bar, and before anything else when an
// administrator set it (a new account, a reset). The database key changes with it.

import { go } from "../router";
import { busy, h, show } from "../dom";
import { formError, showErrors, textField } from "../forms";
import { fieldErrors, ipc, message } from "../ipc";

export function passwordScreen(forced: boolean): void {
  const current = textField({
    label: forced ? "The password you were given" : "Current password",
    name: "current_password",
    type: "password",
    autocomplete: "current-password",
  });
  const next = textField({
    label: "New password",
    name: "password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 10 characters and hard to guess: three or four unrelated words work well.",
  });
  const again = textField({ label: "New password again", name: "password_again", type: "password", autocomplete: "new-password" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true },
    formError(),
    current.wrap,
    next.wrap,
    again.wrap,
    h("button", { type: "submit", class: "primary" }, "Change my password"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
    if (submit.disabled) return;
    if (next.input.value !== again.input.value) {
      showErrors(form, [{ field: "password_again", message: "does not match the new password" }]);
      return;
    }
    const restore = busy(submit, "Changing…");
    try {
      const status = await ipc.changePassword({ current_password: current.input.value, new_password: next.input.value });
      await go().route(status);
      const note = document.querySelector<HTMLElement>("[data-flash]");
      if (note) note.textContent = "Your password was changed.";
    } catch (e) {
      for (const f of [current, next, again]) f.input.value = "";
      showErrors(form, fieldErrors(e), message(e));
      restore();
    }
  });
  show(
    h("h1", {}, forced ? "Choose your own password" : "Change your password"),
    forced ? h("p", {}, "An administrator set your password. Choose one only you know before going on.") : null,
    form,
  );
  current.input.focus();
}
