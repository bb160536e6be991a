// Dose plans as one line of text: "1.5 mg 14 days, 3 mg 14 days, 4.5 mg".

import type { TitrationStep } from "./bindings/TitrationStep";

export function formatSteps(steps: TitrationStep[]): string {
  return steps.map((s) => `${s.dose_mg} mg${s.days === undefined || s.days === null ? "" : ` ${s.days} days`}`).join(", ");
}

/** "1.5 mg 14 days, 3 mg" → steps; the store checks the doses and days themselves. */
export function parseSteps(text: string): TitrationStep[] | string {
  const steps: TitrationStep[] = [];
  for (const [i, part] of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .entries()) {
    const m = /^(\d+(?:\.\d+)?)\s*mg(?:\s+(\d+)\s*days?)?$/i.exec(part);
    if (!m) return `step ${i + 1} (“${part}”) should read like “1.5 mg 14 days”`;
    steps.push(m[2] === undefined ? { dose_mg: Number(m[1]) } : { dose_mg: Number(m[1]), days: Number(m[2]) });
  }
  return steps;
}
