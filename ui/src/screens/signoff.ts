// The clinician's sign-off: no decision preselected, a decision against the screening only
// with a note and a confirmation, and the current sign-off marked over the ones it replaced.

import { appStatus, go } from "../router";
import { alert, h } from "../dom";
import { formError, select, showErrors } from "../forms";
import { fieldErrors, ipc, message, type IntakeView } from "../ipc";
import { localTime } from "../dates";
import { formatSteps } from "../steps";
import type { Decision } from "../bindings/Decision";
import type { PlanName } from "../bindings/PlanName";
import type { SignoffRow } from "../bindings/SignoffRow";

export const DECISION_TEXT: Record<Decision, string> = {
  start: "Start LDN",
  start_with_caution: "Start LDN with caution",
  do_not_start: "Do not start",
  refer: "Refer",
};

/** The current sign-off of this version: the last one made. */
function currentSignoff(view: IntakeView): SignoffRow | undefined {
  return view.signoffs.filter((s) => s.version_id === view.latest.version_id).pop();
}

/** The clinician's decision, under the verdict it answers. */
export function decisionLine(view: IntakeView): HTMLElement {
  const current = currentSignoff(view);
  return h(
    "p",
    { class: "decision-line", "data-testid": "decision" },
    current
      ? `Clinician's decision: ${DECISION_TEXT[current.decision]} — ${current.clinician}, ${localTime(current.signed_at)}`
      : "Clinician's decision: not signed off yet",
  );
}

export function signOffPanel(view: IntakeView): HTMLElement {
  const signoffs = view.signoffs.filter((s) => s.version_id === view.latest.version_id);
  const section = h("section", { class: "panel", "aria-labelledby": "signoff-h" }, h("h2", { id: "signoff-h" }, "Clinician sign-off"));
  signoffs.forEach((s, i) => section.append(signoffLine(s, i === signoffs.length - 1)));
  if (appStatus().user?.role !== "clinician") {
    section.append(h("p", { class: "note" }, "Only a clinician account can sign off. Lock the app and let the clinician log in."));
    return section;
  }
  // Nothing is preselected: the clinician chooses every decision.
  const decision = select("Decision", "decision", [["", "Choose a decision…"], ...Object.entries(DECISION_TEXT)] as [string, string][], "");
  // The engine proposes the low start when a finding or the reason calls for it; the clinician decides.
  const lowStart = view.latest.summary?.low_start ?? [];
  const plan = select(
    "Dose plan",
    "plan",
    [
      ["standard", "Standard start"],
      ["low_start", "Low start"],
    ],
    lowStart.length ? "low_start" : "standard",
  );
  const planWrap = h(
    "div",
    {},
    plan.wrap,
    lowStart.length ? h("p", { class: "hint", "data-testid": "low-start-proposed" }, `Low start proposed: ${lowStart.join("; ")}.`) : null,
  );
  void ipc
    .getSettings()
    .then((s) => {
      plan.select.options[0].textContent = `Standard start (${formatSteps(s.titration.steps)})`;
      plan.select.options[1].textContent = `Low start (${formatSteps(s.low_start_titration.steps)})`;
    })
    .catch(() => {});
  const chosen = () => decision.select.value as Decision | "";
  const starts = () => chosen() === "start" || chosen() === "start_with_caution";
  const against = () => chosen() !== "" && view.against.includes(chosen() as Decision);
  const confirm = h("input", {
    type: "checkbox",
    id: "confirm-against",
    name: "confirm_against",
    "aria-describedby": "confirm-against-error",
  });
  const warning = alert(
    "warning",
    { "data-testid": "against" },
    "This decision goes against the screening. Write in the note why you make it, and confirm it below.",
  );
  const confirmWrap = h(
    "div",
    { class: "field against" },
    h("div", { class: "choice" }, confirm, h("label", { for: "confirm-against" }, "I have read the findings and confirm this decision")),
    h("p", { class: "error", id: "confirm-against-error", "data-error-for": "confirm_against" }),
  );
  const noteId = "signoff-note";
  const noteLabel = h("label", { for: noteId }, "Note");
  const update = () => {
    planWrap.hidden = !starts();
    confirmWrap.hidden = !against();
    warning.hidden = !against();
    noteLabel.textContent = against() ? "Note (required: why you decide against the screening)" : "Note";
  };
  decision.select.addEventListener("change", update);
  update();
  const note = h("textarea", { id: noteId, name: "note", rows: 3, maxlength: 2000 });
  const error = formError();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    error,
    decision.wrap,
    warning,
    planWrap,
    h("div", { class: "field" }, noteLabel, note, h("p", { class: "error", "data-error-for": "note" })),
    confirmWrap,
    h("button", { type: "submit", class: "primary" }, "Sign off"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = chosen();
    if (picked === "") {
      showErrors(form, [{ field: "decision", message: "Choose a decision." }]);
      return;
    }
    try {
      await ipc.signOff({
        version_id: view.latest.version_id,
        decision: picked,
        note: note.value,
        plan: starts() ? (plan.select.value as PlanName) : null,
        confirm_against: against() && confirm.checked,
      });
      await go().openIntake(view.latest.intake_id);
    } catch (e) {
      showErrors(form, fieldErrors(e), message(e));
    }
  });
  section.append(form);
  return section;
}

/** One sign-off; an earlier one is struck through, since the last one made is what stands. */
function signoffLine(s: SignoffRow, current: boolean): HTMLElement {
  const planText = s.plan
    ? ` — ${s.plan.plan === "low_start" ? "low start" : "standard start"} (${formatSteps(s.plan.protocol.steps)})`
    : "";
  const text = `${s.clinician} — ${DECISION_TEXT[s.decision]}${planText} — ${localTime(s.signed_at)}${s.note ? ` — “${s.note}”` : ""}`;
  return h(
    "p",
    { class: current ? "signoff current" : "signoff superseded", "data-testid": "signoff", "data-current": String(current) },
    current ? h("strong", {}, "Current: ") : h("span", {}, "Replaced: "),
    current ? text : h("s", {}, text),
    " ",
    signatureBadge(s),
  );
}

/** Whether the clinician's signature still holds for this sign-off, in words. */
export function signatureBadge(s: SignoffRow): HTMLElement {
  const sig = s.signature;
  switch (sig.status) {
    case "valid":
      return h("span", { class: "signature valid", "data-testid": "signature" }, `(signature valid, signed by ${sig.signed_by})`);
    case "does_not_match":
      return h("span", { class: "signature broken", "data-testid": "signature" }, `(signature does not match: ${sig.why})`);
    case "made_before_signatures":
      return h("span", { class: "signature", "data-testid": "signature" }, "(made before signatures)");
  }
}
