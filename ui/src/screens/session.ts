// One intake being answered, and the queue that saves each change in the order it was made:
// what the engine refuses stays shown beside its field until its control is put right.

import { painted } from "../dom";
import { fieldErrors, IpcError, ipc, message, type Intake } from "../ipc";
import type { DateOrder } from "../dates";
import type { AnswerValue } from "../bindings/AnswerValue";
import type { FormState } from "../bindings/FormState";
import type { Questionnaire } from "../bindings/Questionnaire";
import type { VersionRow } from "../bindings/VersionRow";

export interface Session {
  intakeId: number;
  doc: Intake;
  form: FormState;
  q: Questionnaire;
  root: HTMLElement;
  /** Patient mode: the patient answers alone, and everything shown is in their words. */
  patient: boolean;
  queue: Promise<void>;
  savedLine: HTMLElement;
  /** Redraws parts that follow other answers (items carried from PHQ-2 into PHQ-9). */
  refreshers: (() => void)[];
  /**
   * Values the engine refused, by field: shown beside their field until the same control saves
   * a value that is accepted, whatever else is saved meanwhile.
   */
  refused: Map<string, { source: unknown; message: string }>;
  /** Where an urgent finding shows the moment an answer raises it. */
  urgentNow: HTMLElement;
  /** How the clinic writes dates. */
  order: DateOrder;
  /** Redraws what follows the answers (shown questions, medicine lines, urgent findings). */
  redraw: () => void;
  /** Called when a save has ended, accepted or refused. */
  settled?: () => void;
}

/** What a change is, for the save queue. */
export interface Change {
  /** A performance.now() time: the time until the next question is ready is measured. */
  given?: number;
  /** The control the change came from (a question id, a medicine row): its refusals end when it saves. */
  source?: unknown;
  onSaved?: () => void;
}

const ANSWER_MEASURE = "answer-to-next-question";
/** The page keeps every measure until it is cleared: a day of intakes would pile them up. */
const MEASURES_KEPT = 500;
let measured = 0;

function measureAnswer(given: number): void {
  measured += 1;
  if (measured > MEASURES_KEPT) {
    performance.clearMeasures(ANSWER_MEASURE);
    measured = 1;
  }
  performance.measure(ANSWER_MEASURE, { start: given, end: performance.now() });
}

/**
 * Saves changes one after another, in the order they were made. An answer (`given`) records
 * the time until the next question is ready as the performance measure
 * "answer-to-next-question". A refused value keeps its message beside its field, and the line
 * at the top says so, until its control saves a value that is accepted.
 */
export function enqueue(s: Session, change: (doc: Intake) => void, how: Change = {}): void {
  pendingSaves(1);
  s.queue = s.queue.then(async () => {
    s.savedLine.textContent = "Saving…";
    try {
      const next: Intake = structuredClone(s.doc);
      change(next);
      const saved = await ipc.saveDraft(s.intakeId, next);
      s.doc = saved.intake;
      s.form = saved.form;
      forget(s, how.source);
      how.onSaved?.();
      s.redraw();
      showRefused(s);
      s.savedLine.textContent = s.refused.size
        ? `Saved at ${new Date().toLocaleTimeString()}, except ${refusedCount(s)}: see the message beside it.`
        : `Saved at ${new Date().toLocaleTimeString()}.`;
      await painted();
      if (how.given !== undefined) measureAnswer(how.given);
    } catch (e) {
      forget(s, how.source);
      for (const f of fieldErrors(e)) s.refused.set(f.field, { source: how.source, message: f.message });
      showRefused(s);
      s.savedLine.textContent =
        e instanceof IpcError && e.error.kind === "invalid"
          ? `Not saved: ${refusedCount(s)} not accepted. See the message beside it.`
          : `Not saved: ${message(e)}`;
    } finally {
      pendingSaves(-1);
      s.settled?.();
    }
  });
}

/** The refusals of one control end: it holds an accepted value, or it is gone. */
export function clearRefusal(s: Session, source: unknown): void {
  forget(s, source);
  showRefused(s);
}

/** A value refused before it reaches the engine (a date that cannot be read). */
export function refuse(s: Session, field: string, source: unknown, message: string): void {
  forget(s, source);
  s.refused.set(field, { source, message });
  showRefused(s);
  s.savedLine.textContent = `Not saved: ${refusedCount(s)} not accepted. See the message beside it.`;
}

function refusedCount(s: Session): string {
  return s.refused.size === 1 ? "1 answer" : `${s.refused.size} answers`;
}

function forget(s: Session, source: unknown): void {
  if (source === undefined) return;
  for (const [field, refusal] of s.refused) if (refusal.source === source) s.refused.delete(field);
}

/** How many answers are waiting to be saved, on the body for anyone who needs to wait. */
function pendingSaves(change: number): void {
  const now = Number(document.body.dataset.saving ?? "0") + change;
  document.body.dataset.saving = String(now);
}

/** Every refused value's message beside its field (or the medicine list), all at once. */
function showRefused(s: Session): void {
  for (const el of s.root.querySelectorAll<HTMLElement>(".error[data-error-for]")) el.textContent = "";
  for (const el of s.root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const [field, refusal] of s.refused) {
    const slot =
      s.root.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`) ??
      s.root.querySelector<HTMLElement>(`[data-error-for="medications"]`);
    if (!slot) continue;
    slot.textContent = `${slot.textContent ? `${slot.textContent} ` : ""}${refusal.message}`;
    slot.closest(".field, fieldset")?.querySelector("input")?.setAttribute("aria-invalid", "true");
  }
}

/** An answer given (or taken back, as undefined), saved in turn. */
export function setAnswer(s: Session, id: string, value: AnswerValue | undefined): void {
  const given = performance.now();
  enqueue(
    s,
    (d) => {
      if (value === undefined) delete d.answers[id];
      else d.answers[id] = value;
      if (d.partial_items) delete d.partial_items[id];
      // A question whose first items are carried from this one changes with it.
      for (const q of s.q.questions) {
        if (q.prefilled_from !== id || !Array.isArray(value)) continue;
        const later = d.answers[q.id];
        if (Array.isArray(later)) d.answers[q.id] = [...(value as number[]), ...(later as number[]).slice(value.length)];
        const partial = d.partial_items?.[q.id];
        if (partial) d.partial_items![q.id] = [...(value as number[]), ...partial.slice(value.length)];
      }
    },
    { given, source: id },
  );
}

/** The items of a scale chosen so far: saved as they are given, the answer still open. */
export function setPartial(s: Session, id: string, items: (number | null)[]): void {
  const given = performance.now();
  enqueue(
    s,
    (d) => {
      delete d.answers[id];
      d.partial_items = { ...(d.partial_items ?? {}), [id]: items };
    },
    { given, source: id },
  );
}

/** The questions whose current answer the patient gave in self-entry, as the store keeps them. */
export function answeredByPatient(versions: VersionRow[]): Set<string> {
  return new Set(versions[versions.length - 1]?.answered_by_patient ?? []);
}
