// Dates as people read and write them: on screen with the weekday and the month in words;
// typed in the clinic's order (04/05/1978), and only then turned into ISO for the engine.

import { ipc } from "./ipc";
import type { Language } from "./bindings/Language";

const DAY = {
  en: new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" }),
  es: new Intl.DateTimeFormat("es-US", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" }),
};

/** "2026-12-03" → "Thu, Dec 3, 2026" ("jue, 3 dic 2026"); anything else is shown as it is. */
export function weekdayDate(iso: string, language: Language = "en"): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? iso : DAY[language].format(date);
}

/** A stored time (RFC 3339) in the workstation's local time. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The order a clinic writes dates in: month first (US) or day first. */
export type DateOrder = "mdy" | "dmy";

/** A typed date read as the clinic writes it, or why it cannot be read. */
export type ReadDate = { iso: string } | { problem: string };

const PROBLEMS = {
  en: {
    year: "Write the year with four digits, for example 1978.",
    mdy: "Write the date as month/day/year, for example 04/05/1978.",
    dmy: "Write the date as day/month/year, for example 05/04/1978.",
    none: "There is no such date.",
  },
  es: {
    year: "Escriba el año con cuatro cifras, por ejemplo 1978.",
    mdy: "Escriba la fecha como mes/día/año, por ejemplo 04/05/1978.",
    dmy: "Escriba la fecha como día/mes/año, por ejemplo 05/04/1978.",
    none: "Esa fecha no existe.",
  },
};

/**
 * Reads "04/05/1978" (in the clinic's order; "-" or "." also separate) or "1978-04-05".
 * The year must have four digits: "78" could be 1978 or 2078.
 */
export function readDate(typed: string, order: DateOrder, language: Language = "en"): ReadDate {
  const say = PROBLEMS[language];
  const text = typed.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(text);
  let year: number, month: number, day: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (local) {
    if (local[3].length !== 4) return { problem: say.year };
    const [first, second] = [Number(local[1]), Number(local[2])];
    [month, day] = order === "mdy" ? [first, second] : [second, first];
    year = Number(local[3]);
  } else {
    return { problem: say[order] };
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { problem: say.none };
  }
  return { iso: `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

/** An ISO date written in the clinic's order, for a field to show. */
export function writeDate(iso: string, order: DateOrder): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  return order === "mdy" ? `${match[2]}/${match[3]}/${match[1]}` : `${match[3]}/${match[2]}/${match[1]}`;
}

/** The date `days` before today on this workstation, as ISO. */
export function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** How a clinic writes dates: day first where it prints on A4, month first otherwise. */
export function dateOrderFor(paper: "letter" | "a4"): DateOrder {
  return paper === "a4" ? "dmy" : "mdy";
}

/** The clinic's date order, from its settings (staff sessions; a patient's view carries it). */
export async function clinicDateOrder(): Promise<DateOrder> {
  return dateOrderFor((await ipc.getSettings()).paper);
}
