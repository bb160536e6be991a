// One screen of patient mode: a question as whole-row answer tiles (USWDS radio and checkbox
// tiles), a typed answer, one item of a scale, the medicine list, or the last check.

import { html, nothing, type TemplateResult } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { repeat } from "lit-html/directives/repeat.js";
import { say } from "../questionnaire";
import { setAnswer, setPartial, type Session } from "../screens/session";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { Question } from "../bindings/Question";
import { carriedItems, scaleItems, type Step } from "./steps";
import { word } from "./words";

/** What a step's screen needs besides the session. */
export interface StepContext {
  s: Session;
  medicines: HTMLElement;
  /** Goes to a question the patient left blank. */
  goTo: (questionId: string) => void;
}

export function stepScreen(c: StepContext, step: Step): TemplateResult {
  switch (step.kind) {
    case "question":
      return step.question.type === "number" || step.question.type === "text" ? typed(c.s, step.question) : tiles(c.s, step.question);
    case "item":
      return scaleItem(c.s, step.question, step.item);
    case "medicines":
      return html`<div class="pm-question pm-medicines">
        <h2 class="pm-heading" tabindex="-1" data-step-heading>${word("medicines", c.s.doc.language)}</h2>
        <p class="pm-hint">${word("medicinesAsk", c.s.doc.language)}</p>
        ${c.medicines}
      </div>`;
    case "check":
      return check(c);
  }
}

function tiles(s: Session, q: Question): TemplateResult {
  const lang = s.doc.language;
  const multi = q.type === "multi_choice";
  const options = q.type === "tri_state" ? (s.q.option_sets["tri_state"]?.options ?? []) : q.options;
  const current = s.doc.answers[q.id];
  const chosen = new Set(Array.isArray(current) ? (current as string[]) : current === undefined ? [] : [String(current)]);
  const pick = (value: string, on: boolean) => {
    if (!multi) return setAnswer(s, q.id, value);
    const now = new Set(chosen);
    if (on) now.add(value);
    else now.delete(value);
    const values = options.map((o) => o.value).filter((v) => now.has(v));
    setAnswer(s, q.id, values.length ? values : undefined);
  };
  return html`<fieldset class="usa-fieldset pm-question" aria-describedby="pm-help-${q.id} pm-error-${q.id}">
    <legend class="usa-legend pm-heading" tabindex="-1" data-step-heading>${say(q.text, lang)}</legend>
    ${help(s, q)} ${refusal(s, q.id)}
    <div class="pm-tiles">
      ${repeat(
        options,
        (o) => o.value,
        (o) => tile(multi ? "checkbox" : "radio", q.id, o.value, say(o.label, lang), chosen.has(o.value), (on) => pick(o.value, on)),
      )}
    </div>
  </fieldset>`;
}

function tile(type: "radio" | "checkbox", name: string, value: string, label: string, checked: boolean, change: (on: boolean) => void) {
  const id = `pm-${name}-${value}`.replace(/[^a-z0-9-]/gi, "-");
  return html`<div class="usa-${type}">
    <input
      class="usa-${type}__input usa-${type}__input--tile"
      type=${type}
      id=${id}
      name=${name}
      .value=${value}
      .checked=${live(checked)}
      @change=${(e: Event) => change((e.target as HTMLInputElement).checked)}
    />
    <label class="usa-${type}__label" for=${id}>${label}</label>
  </div>`;
}

/** A number or words typed: saved when the patient leaves the field (or presses Next). */
function typed(s: Session, q: Question): TemplateResult {
  const lang = s.doc.language;
  const current = s.doc.answers[q.id];
  const changed = (e: Event) => {
    const raw = (e.target as HTMLInputElement).value.trim();
    const value: AnswerValue | undefined = raw === "" ? undefined : q.type === "number" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    setAnswer(s, q.id, value);
  };
  return html`<div class="usa-form-group pm-question">
    <label class="usa-label pm-heading" for="pm-input-${q.id}" tabindex="-1" data-step-heading
      >${say(q.text, lang)}${q.unit ? ` (${q.unit})` : ""}</label
    >
    ${help(s, q)} ${refusal(s, q.id)}
    <input
      class="usa-input pm-input"
      id="pm-input-${q.id}"
      name=${q.id}
      type="text"
      autocomplete="off"
      inputmode=${q.type === "number" ? "decimal" : nothing}
      maxlength=${q.max_length ?? nothing}
      aria-describedby="pm-help-${q.id} pm-error-${q.id}"
      .value=${current === undefined ? "" : String(current)}
      @change=${changed}
    />
  </div>`;
}

/** One item of a scale (PHQ-9, AUDIT-C): its own screen, its own answers. */
function scaleItem(s: Session, q: Question, item: number): TemplateResult {
  const lang = s.doc.language;
  const values = scaleItems(s.doc, q);
  // Items carried from another scale are that scale's answers, saved with this one.
  const source = q.prefilled_from ? s.doc.answers[q.prefilled_from] : undefined;
  if (Array.isArray(source)) (source as number[]).slice(0, carriedItems(s.q, s.doc, q)).forEach((v, i) => (values[i] = v));
  const scale = q.item_scales[item] ?? q.scale;
  const options = scale.length
    ? scale.map((o) => ({ value: o.value, label: say(o.label, lang) }))
    : Array.from({ length: (q.max ?? 0) - (q.min ?? 0) + 1 }, (_, i) => ({ value: (q.min ?? 0) + i, label: String((q.min ?? 0) + i) }));
  const name = `${q.id}.${item + 1}`;
  const choose = (v: number) => {
    const next = [...values];
    next[item] = v;
    if (next.every((x) => x !== null)) setAnswer(s, q.id, next as number[]);
    else setPartial(s, q.id, next);
  };
  const text = q.item_text[item] ? say(q.item_text[item], lang) : `${say(q.text, lang)} ${item + 1}`;
  return html`<fieldset class="usa-fieldset pm-question" aria-describedby="pm-help-${q.id} pm-error-${q.id}">
    <legend class="usa-legend pm-heading" tabindex="-1" data-step-heading>
      ${q.stem ? html`<span class="pm-stem">${say(q.stem, lang)}</span>` : nothing} ${text}
    </legend>
    <p class="pm-of">${say(q.text, lang)}: ${word("itemOf", lang, { n: item + 1, total: q.items ?? 0 })}</p>
    ${help(s, q)} ${refusal(s, q.id)}
    <div class="pm-tiles">
      ${repeat(
        options,
        (o) => o.value,
        (o) => tile("radio", name, String(o.value), o.label, values[item] === o.value, () => choose(o.value)),
      )}
    </div>
  </fieldset>`;
}

function help(s: Session, q: Question) {
  return q.help ? html`<p class="usa-hint pm-hint" id="pm-help-${q.id}">${say(q.help, s.doc.language)}</p>` : nothing;
}

/** A refused answer, in the patient's words: the engine's own message is for staff. */
function refusal(s: Session, id: string) {
  const refused = s.refused.has(`answers.${id}`);
  return html`<p class="usa-error-message pm-error" id="pm-error-${id}" ?hidden=${!refused}>
    ${refused ? word("notSaved", s.doc.language) : ""}
  </p>`;
}

/** The last screen: the required questions still blank, each a way back to it. */
function check(c: StepContext): TemplateResult {
  const lang = c.s.doc.language;
  const missing = c.s.form.missing.map((id) => c.s.q.questions.find((q) => q.id === id)).filter((q): q is Question => q !== undefined);
  if (missing.length === 0) {
    return html`<div class="pm-question">
      <h2 class="pm-heading" tabindex="-1" data-step-heading>${word("checkTitle", lang)}</h2>
      <div class="usa-alert usa-alert--success usa-alert--slim">
        <div class="usa-alert__body"><p class="usa-alert__text">${word("allAnswered", lang)}</p></div>
      </div>
    </div>`;
  }
  const left = missing.length === 1 ? word("leftOne", lang) : word("leftMany", lang, { n: missing.length });
  return html`<div class="pm-question" data-testid="blanks">
    <h2 class="pm-heading" tabindex="-1" data-step-heading>${word("checkTitle", lang)}</h2>
    <div class="usa-alert usa-alert--warning">
      <div class="usa-alert__body">
        <p class="usa-alert__text"><strong>${left}</strong></p>
        <p class="usa-alert__text">${word("leftWhy", lang)}</p>
      </div>
    </div>
    <ul class="pm-blanks">
      ${repeat(
        missing,
        (q) => q.id,
        (q) =>
          html`<li>
            <button type="button" class="usa-button usa-button--outline pm-blank" data-blank=${q.id} @click=${() => c.goTo(q.id)}>
              ${say(q.text, lang)}
            </button>
          </li>`,
      )}
    </ul>
  </div>`;
}
