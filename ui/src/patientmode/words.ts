// Every word patient mode shows around the questions, in both languages. The questions
// themselves come from data/questionnaire.toml.

import type { Language } from "../bindings/Language";

const WORDS = {
  title: { en: "Your health questions", es: "Sus preguntas de salud" },
  questionOf: { en: "Question {n} of {total}", es: "Pregunta {n} de {total}" },
  part: { en: "Part", es: "Parte" },
  of: { en: "of", es: "de" },
  progress: { en: "Progress", es: "Avance" },
  completed: { en: "completed", es: "terminada" },
  notCompleted: { en: "not completed", es: "sin terminar" },
  back: { en: "Back", es: "Atrás" },
  next: { en: "Next", es: "Siguiente" },
  medicines: { en: "Medicines and supplements", es: "Medicamentos y suplementos" },
  medicinesAsk: {
    en: "Write every medicine you take, one per line. If you take none, press Next.",
    es: "Escriba cada medicamento que toma, uno por línea. Si no toma ninguno, pulse Siguiente.",
  },
  checkTitle: { en: "Before you finish", es: "Antes de terminar" },
  leftOne: { en: "You left 1 question without an answer.", es: "Dejó 1 pregunta sin contestar." },
  leftMany: { en: "You left {n} questions without an answer.", es: "Dejó {n} preguntas sin contestar." },
  leftWhy: {
    en: "The clinic needs these answers to know if LDN is safe for you. Press a question to answer it now.",
    es: "La clínica necesita estas respuestas para saber si el LDN es seguro para usted. Toque una pregunta para contestarla ahora.",
  },
  allAnswered: { en: "You answered every question. Thank you.", es: "Contestó todas las preguntas. Gracias." },
  finish: { en: "I have finished", es: "He terminado" },
  finishAnyway: { en: "Finish without these answers", es: "Terminar sin estas respuestas" },
  thanks: { en: "Thank you", es: "Gracias" },
  giveBack: {
    en: "Your answers are saved. Please give the computer back to the staff.",
    es: "Sus respuestas están guardadas. Por favor, devuelva la computadora al personal.",
  },
  staff: { en: "Staff", es: "Personal" },
  staffName: { en: "Staff only: take the computer back", es: "Solo para el personal: recuperar la computadora" },
  saving: { en: "Saving…", es: "Guardando…" },
  saved: { en: "Your answers are saved.", es: "Sus respuestas están guardadas." },
  notSaved: {
    en: "This answer could not be saved. Check it, or ask the staff for help.",
    es: "Esta respuesta no se pudo guardar. Revísela o pida ayuda al personal.",
  },
  staffWillCheck: { en: "The staff will check this medicine with you.", es: "El personal revisará este medicamento con usted." },
  noted: { en: "Noted.", es: "Anotado." },
  itemOf: { en: "{n} of {total}", es: "{n} de {total}" },
} as const;

export type Word = keyof typeof WORDS;

/** A word of patient mode in the patient's language, with {n}-style places filled. */
export function word(key: Word, lang: Language, fill: Record<string, string | number> = {}): string {
  let text: string = WORDS[key][lang];
  for (const [name, value] of Object.entries(fill)) text = text.replace(`{${name}}`, String(value));
  return text;
}
