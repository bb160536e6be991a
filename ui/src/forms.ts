// Forms: labelled fields with their hints and error places, and the one way errors are shown —
// every error at once, each beside its field, and a summary at the top of the form.

import { h, uid } from "./dom";

/** A labelled text input with a hint and a place for its error. */
export function textField(opts: {
  label: string;
  name: string;
  value?: string;
  type?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  placeholder?: string;
}): { wrap: HTMLElement; input: HTMLInputElement; error: HTMLElement } {
  const id = uid(opts.name.replace(/[^a-z0-9]/gi, "-"));
  const hintId = opts.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const input = h("input", {
    id,
    name: opts.name,
    type: opts.type ?? "text",
    autocomplete: opts.autocomplete ?? "off",
    required: opts.required,
    inputmode: opts.inputmode,
    placeholder: opts.placeholder,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
  });
  input.value = opts.value ?? "";
  const error = h("p", { class: "error", id: errorId, "data-error-for": opts.name });
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id }, opts.label),
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    input,
    error,
  );
  return { wrap, input, error };
}

/**
 * Shows every error at once: each beside its field (by data-error-for), and at the top of the
 * form a summary that says how many fields need attention, each a link to its field, plus
 * whatever belongs to no field.
 */
export function showErrors(form: HTMLElement, errors: { field: string; message: string }[], fallback?: string): void {
  for (const el of form.querySelectorAll<HTMLElement>("[data-error-for]")) el.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const unplaced: string[] = [];
  const placed: HTMLElement[] = [];
  for (const e of errors) {
    const slot = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(e.field)}"]`);
    if (!slot) {
      unplaced.push(e.message);
      continue;
    }
    slot.textContent = e.message;
    const control = slot.parentElement?.querySelector<HTMLElement>("input, select, textarea");
    control?.setAttribute("aria-invalid", "true");
    const label = control?.id ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent : undefined;
    const link = h("button", { type: "button", class: "link" }, `${label ?? e.field}: ${e.message}`);
    link.addEventListener("click", () => control?.focus());
    placed.push(h("li", {}, link));
  }
  const banner = form.querySelector<HTMLElement>(".form-error");
  if (banner) {
    const lead = placed.length ? (placed.length === 1 ? "1 field needs attention:" : `${placed.length} fields need attention:`) : "";
    const text = [...unplaced, lead].filter(Boolean).join(" ") || (errors.length ? "" : (fallback ?? ""));
    banner.replaceChildren(text, placed.length ? h("ul", {}, ...placed) : "");
    banner.hidden = text === "";
  }
  const first = form.querySelector<HTMLElement>("[aria-invalid=true]");
  first?.focus();
}

export function formError(): HTMLElement {
  const el = h("div", { class: "form-error", role: "alert" });
  el.hidden = true;
  return el;
}

export function select(
  label: string,
  name: string,
  options: [string, string][],
  value?: string,
): { wrap: HTMLElement; select: HTMLSelectElement } {
  const id = `select-${name}`;
  const sel = h("select", { id, name }, ...options.map(([v, text]) => h("option", { value: v }, text)));
  if (value !== undefined) sel.value = value;
  return {
    wrap: h("div", { class: "field" }, h("label", { for: id }, label), sel, h("p", { class: "error", "data-error-for": name })),
    select: sel,
  };
}
