// The intake's sections as a list at the top: each a link to its place, ticked when every
// required question in it is answered, otherwise saying how many are left.

import { h } from "../dom";
import { say } from "../questionnaire";
import type { Session } from "./session";
import { html, render } from "lit-html";

export interface SectionNav {
  nav: HTMLElement;
  /** Redraws the ticks and counts from the engine's list of open required questions. */
  update(): void;
}

export function sectionNav(s: Session, sections: HTMLElement[]): SectionNav {
  const lang = s.doc.language;
  const list = h("ol", { class: "section-nav" });
  const nav = h("nav", { "aria-label": say({ en: "Sections", es: "Secciones" }, lang), "data-testid": "section-nav" }, list);
  const update = () => {
    const missing = new Set(s.form.missing);
    render(
      sections.map((section) => {
        const id = section.dataset.section ?? "";
        const open = s.q.questions.filter((q) => q.section === id && missing.has(q.id)).length;
        const title = section.querySelector("h2")?.textContent ?? id;
        const jump = () => {
          section.hidden = false;
          section.scrollIntoView({ block: "start" });
          section.querySelector<HTMLElement>("h2")?.focus();
        };
        return html`<li>
          <button type="button" class="link ${open === 0 ? "done" : "open"}" data-section-link=${id} @click=${jump}>
            ${
              open === 0
                ? html`<span aria-hidden="true">✓ </span>${title}<span class="sr-only"
                      >${say({ en: " (complete)", es: " (completa)" }, lang)}</span
                    >`
                : html`${title} (${say({ en: `${open} to answer`, es: `faltan ${open}` }, lang)})`
            }
          </button>
        </li>`;
      }),
      list,
    );
  };
  update();
  return { nav, update };
}

/** Resuming a draft: the first required question still open gets the focus. */
export function focusFirstOpen(s: Session): void {
  const first = s.q.questions.find((q) => s.form.missing.includes(q.id));
  if (!first) return;
  const el = s.root.querySelector<HTMLElement>(`[data-question="${CSS.escape(first.id)}"]`);
  el?.scrollIntoView({ block: "center" });
  el?.querySelector<HTMLElement>("input, select, textarea")?.focus();
}
