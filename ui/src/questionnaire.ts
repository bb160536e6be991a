// The questionnaire from data/, fetched once, and its words in the intake's language.

import { ipc, type Questionnaire } from "./ipc";
import type { Localized } from "./bindings/Localized";
import type { Language } from "./bindings/Language";

let cached: Promise<Questionnaire> | undefined;

export function questionnaire(): Promise<Questionnaire> {
  cached ??= ipc.questionnaire().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

export function say(text: Localized | null | undefined, language: Language): string {
  if (!text) return "";
  return language === "es" ? text.es : text.en;
}
