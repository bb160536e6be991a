// A date typed as the clinic writes it, with what it was read as shown underneath
// ("= Wed, Apr 5, 1978"), so a swapped day and month is seen before it is saved.

import { h, uid } from "./dom";
import { readDate, weekdayDate, writeDate, type DateOrder, type ReadDate } from "./dates";
import type { Language } from "./bindings/Language";

export interface DateField {
  wrap: HTMLElement;
  input: HTMLInputElement;
  /** What the field holds now. An empty field reads as a problem; callers decide if empty is allowed. */
  read(): ReadDate;
}

const EXAMPLE: Record<Language, Record<DateOrder, string>> = {
  en: { mdy: "Type the date as month/day/year, for example 04/05/1978.", dmy: "Type the date as day/month/year, for example 05/04/1978." },
  es: {
    mdy: "Escriba la fecha como mes/día/año, por ejemplo 04/05/1978.",
    dmy: "Escriba la fecha como día/mes/año, por ejemplo 05/04/1978.",
  },
};

export function dateField(opts: {
  label: string;
  name: string;
  order: DateOrder;
  language?: Language;
  value?: string | null;
  hint?: string;
  errorFor?: string;
}): DateField {
  const language = opts.language ?? "en";
  const id = uid(opts.name.replace(/[^a-z0-9]/gi, "-"));
  const hintId = `${id}-hint`;
  const echoId = `${id}-echo`;
  const errorId = `${id}-error`;
  const input = h("input", {
    id,
    name: opts.name,
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    "aria-describedby": `${hintId} ${echoId} ${errorId}`,
  });
  input.value = opts.value ? writeDate(opts.value, opts.order) : "";
  const echo = h("p", { class: "echo", id: echoId, "aria-live": "polite", "data-echo": "" });
  const read = () => readDate(input.value, opts.order, language);
  const update = () => {
    const now = read();
    echo.textContent = input.value.trim() === "" ? "" : "iso" in now ? `= ${weekdayDate(now.iso, language)}` : now.problem;
    echo.classList.toggle("problem", !("iso" in now));
  };
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  update();
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id }, opts.label),
    h("p", { class: "hint", id: hintId }, opts.hint ? `${opts.hint} ` : "", EXAMPLE[language][opts.order]),
    input,
    echo,
    h("p", { class: "error", id: errorId, "data-error-for": opts.errorFor ?? opts.name }),
  );
  return { wrap, input, read };
}
