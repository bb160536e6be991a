// Patient self-entry: the patient answers their own questions in patient mode; giving the
// workstation back needs a staff password, asked for only after the staff button is pressed.

import { go } from "../router";
import { busy, h, show } from "../dom";
import { formError, showErrors, textField } from "../forms";
import { fieldErrors, ipc, message } from "../ipc";
import { patientMode } from "../patientmode/screen";
import { answeredByPatient } from "./session";

export async function selfEntryScreen(intakeId: number): Promise<void> {
  try {
    await patientMode(await ipc.openSelfEntry(intakeId), () => unlockForm(intakeId));
  } catch (e) {
    show(h("h1", {}, "Please hand the computer back to the staff"), h("p", { class: "error" }, message(e)), unlockForm(intakeId));
  }
}

/** Staff take the workstation back and land on the review of the intake the patient answered. */
function unlockForm(intakeId: number): HTMLElement {
  const username = textField({ label: "Staff username", name: "username", autocomplete: "off" });
  const password = textField({ label: "Staff password", name: "password", type: "password", autocomplete: "off" });
  const form = h(
    "form",
    { class: "card narrow staff-only", novalidate: true },
    h("h2", {}, "Staff: take the workstation back"),
    h("p", {}, "The patient's answers so far are saved."),
    formError(),
    username.wrap,
    password.wrap,
    h("button", { type: "submit", class: "primary" }, "Unlock"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
    // One check at a time: a second press while Argon2 runs is not another attempt.
    if (submit.disabled) return;
    const restore = busy(submit, "Checking…");
    try {
      const next = await ipc.leaveSelfEntry({ username: username.input.value, password: password.input.value });
      await go().route(next);
      if (next.user && next.self_entry === null && !next.must_change_password && !next.needs_signatures) await backToReview(intakeId);
    } catch (e) {
      password.input.value = "";
      showErrors(form, fieldErrors(e), message(e));
      restore();
    }
  });
  return form;
}

async function backToReview(intakeId: number): Promise<void> {
  const view = await ipc.openIntake(intakeId);
  if (view.latest.summary) return;
  const session = await go().intakeForm(view.latest);
  await go().review(session, answeredByPatient(view.detail.versions));
}
