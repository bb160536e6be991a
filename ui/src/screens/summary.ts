// The clinician's summary, sign-off, documents, and the intake's history. Everything shown
// here is the engine's Summary as saved: nothing is re-derived.

import { alert, button, h, show, type AlertKind } from "../dom";
import { ipc, message, type IntakeView } from "../ipc";
import type { Finding } from "../bindings/Finding";
import type { Summary } from "../bindings/Summary";
import type { DocumentKind } from "../bindings/DocumentKind";
import { go } from "../router";
import { describeMedicine } from "./medicines";
import { localTime, weekdayDate } from "../dates";
import { DECISION_TEXT, decisionLine, signatureBadge, signOffPanel } from "./signoff";
import { select } from "../forms";
import { printedWhere } from "../printing";
import { healthRecordPart } from "./healthrecord";
import type { Language } from "../bindings/Language";
import type { Paper } from "../bindings/Paper";

const VERDICT_TEXT: Record<Summary["verdict"], string> = {
  contraindicated: "Contraindicated: do not start LDN",
  needs_review: "Needs clinician review before starting",
  no_contraindication_found: "No contraindication found in the answers given",
};

/** The verdict's alert: red for do not start, amber for a clinician to decide, green for none found. */
const VERDICT_ALERT: Record<Summary["verdict"], AlertKind> = {
  contraindicated: "error",
  needs_review: "warning",
  no_contraindication_found: "success",
};

const SEVERITY_ORDER: Finding["severity"][] = ["contraindicated", "caution", "monitor", "info"];
const SEVERITY_TEXT: Record<Finding["severity"], string> = {
  contraindicated: "Contraindications",
  caution: "Cautions",
  monitor: "To monitor",
  info: "For information",
};

export function summaryScreen(view: IntakeView): void {
  const latest = view.latest;
  const summary = latest.summary!;
  const p = latest.intake.patient;
  show(
    h("h1", {}, `Summary: ${p.given_name} ${p.family_name}`),
    h("p", {}, `Born ${p.birth_date} · intake ${latest.intake.intake_date} · version ${latest.version} (${latest.status})`),
    summary.urgent
      ? alert(
          "emergency",
          { class: "urgent", role: "alert", "data-testid": "urgent-banner" },
          h("strong", {}, "Urgent: "),
          "an answer needs attention today, before the patient leaves. See the urgent finding below.",
        )
      : null,
    alert(
      VERDICT_ALERT[summary.verdict],
      { class: `verdict ${summary.verdict}`, "data-testid": "verdict", "data-verdict": summary.verdict },
      verdictText(summary, latest.no_start_for_now),
    ),
    latest.intake.incomplete_reason
      ? h(
          "p",
          { "data-testid": "incomplete-reason" },
          h("strong", {}, "Completed with questions unanswered: "),
          `“${latest.intake.incomplete_reason}”`,
        )
      : null,
    decisionLine(view),
    earliestStart(summary, latest.intake.intake_date, latest.no_start_for_now),
    findings(summary),
    h("h2", {}, "Medicines"),
    medicines(summary),
    h("h2", {}, "Scores"),
    h(
      "dl",
      { class: "scores" },
      h("dt", {}, "PHQ-2 (items 1–2)"),
      h("dd", {}, summary.scores.phq2 === null ? "not asked" : String(summary.scores.phq2)),
      h("dt", {}, "PHQ-9"),
      h("dd", {}, summary.scores.phq9 === null ? "not asked" : String(summary.scores.phq9)),
      h("dt", {}, "AUDIT-C"),
      h("dd", {}, summary.scores.audit_c === null ? "not asked" : String(summary.scores.audit_c)),
    ),
    h("p", { class: "hint" }, `Rules version ${summary.rules_version}`),
    signOffPanel(view),
    documentsPanel(view),
    historyPanel(view),
    h(
      "div",
      { class: "actions" },
      button("Amend the answers", () => void go().intakeForm(latest), "secondary"),
    ),
  );
}

/**
 * The verdict in words. An incomplete screening says so first; a contraindication that only
 * holds the date (a washout) reads "not yet", not "never".
 */
function verdictText(summary: Summary, noStartForNow: boolean): string {
  if (summary.findings.some((f) => f.category === "incomplete")) {
    return "Incomplete — cannot screen: do not start LDN until the missing answers are given";
  }
  const blocking = summary.findings.filter((f) => f.severity === "contraindicated");
  if (summary.verdict === "contraindicated" && summary.earliest_start !== null && !noStartForNow) {
    return `Not yet — do not start LDN before ${weekdayDate(summary.earliest_start)} (${blocking.map((f) => f.title).join("; ")})`;
  }
  return VERDICT_TEXT[summary.verdict];
}

/** The earliest start and, when it is held, the findings that hold it (the engine's `holds_start`). */
function earliestStart(summary: Summary, intakeDate: string, noStartForNow: boolean): HTMLElement {
  const holding = summary.findings.filter((f) => f.holds_start);
  const date = summary.earliest_start;
  // The engine says when no start can be promised: with a date from the washout arithmetic
  // that is a contraindication no wait resolves (an allergy, acute hepatitis).
  const text =
    date === null
      ? "Earliest start date: none can be given yet"
      : noStartForNow
        ? "Earliest start date: none — a contraindication stands that waiting does not resolve"
        : date === intakeDate
          ? `Earliest start date: ${weekdayDate(date)} (the intake date: nothing holds it)`
          : `Earliest start date: ${weekdayDate(date)}`;
  return h(
    "div",
    { class: "earliest", "data-testid": "earliest-start", "data-start": date ?? "" },
    h("p", {}, h("strong", {}, text)),
    holding.length ? h("p", { "data-testid": "start-held-by" }, "Held by: ", ...holding.flatMap((f, i) => [i ? "; " : "", f.title])) : null,
  );
}

function findings(summary: Summary): HTMLElement {
  if (summary.findings.length === 0) return h("p", {}, "No findings.");
  return h(
    "div",
    { class: "findings" },
    ...SEVERITY_ORDER.map((severity) => {
      const group = summary.findings.filter((f) => f.severity === severity);
      if (!group.length) return null;
      return h(
        "section",
        { class: `severity ${severity}` },
        h("h2", {}, `${SEVERITY_TEXT[severity]} (${group.length})`),
        ...group.map((f) =>
          h(
            "article",
            { class: `finding ${f.urgent ? "urgent" : ""}`, "data-rule": f.rule },
            h("h3", {}, f.urgent ? `Urgent — ${f.title}` : f.title),
            f.holds_start ? h("p", { class: "holds-start" }, "Holds the start date") : null,
            h("p", {}, f.detail),
            h("p", {}, h("strong", {}, "Action: "), f.action),
            h(
              "p",
              { class: "sources" },
              h("strong", {}, "Sources: "),
              ...f.sources.flatMap((s, i) => [i ? "; " : "", s.citation, s.url ? ` (${s.url})` : ""]),
              ` · rule ${f.rule}, reviewed ${f.reviewed}`,
            ),
          ),
        ),
      );
    }),
  );
}

function medicines(summary: Summary): HTMLElement {
  if (!summary.medications.length) return h("p", {}, "No medicines listed.");
  return h(
    "table",
    { class: "table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "As written"),
        h("th", { scope: "col" }, "How it was read"),
        h("th", { scope: "col" }, "Last dose"),
      ),
    ),
    h(
      "tbody",
      {},
      ...summary.medications.map((m) =>
        h("tr", {}, h("td", {}, m.input), h("td", {}, ...describeMedicine(m)), h("td", {}, m.last_taken ?? "—")),
      ),
    ),
  );
}

function documentsPanel(view: IntakeView): HTMLElement {
  const language = select(
    "Language",
    "doc-language",
    [
      ["en", "English"],
      ["es", "Spanish (Español)"],
    ],
    view.latest.intake.language,
  );
  const paper = select("Paper size", "doc-paper", [
    ["letter", "US Letter"],
    ["a4", "A4"],
  ]);
  void ipc
    .getSettings()
    .then((s) => (paper.select.value = s.paper))
    .catch(() => {});
  const result = h("p", { class: "note", "aria-live": "polite", "data-testid": "document-result" });
  const act = (kind: DocumentKind, print: boolean) => async () => {
    result.textContent = print ? "Preparing to print…" : "Saving…";
    try {
      // The clinician summary exists in English only.
      const chosen = kind === "summary" ? "en" : (language.select.value as Language);
      const request = { version_id: view.latest.version_id, kind, language: chosen, paper: paper.select.value as Paper };
      const done = print ? await ipc.printDocument(request) : await ipc.saveDocument(request);
      const where = print ? printedWhere(done.path, done.opened === true) : `Saved: ${done.path}`;
      result.textContent = `${where}${done.warnings.length ? ` — ${done.warnings.join(" ")}` : ""}`;
      await refreshHistory(view.latest.intake_id);
    } catch (e) {
      result.textContent = message(e);
    }
  };
  const kinds: [DocumentKind, string][] = [
    ["handout", "patient handout"],
    ["summary", "clinician summary"],
    ["card", "wallet card"],
  ];
  return h(
    "section",
    { class: "panel", "aria-labelledby": "docs-h" },
    h("h2", { id: "docs-h" }, "Documents"),
    h("div", { class: "inline" }, language.wrap, paper.wrap),
    h("p", { class: "hint" }, "The language is for the patient handout and the wallet card; the clinician summary is always in English."),
    ...kinds.map(([kind, label]) =>
      h(
        "div",
        { class: "actions" },
        button(`Save the ${label} as PDF`, act(kind, false), kind === "handout" ? "primary" : "secondary"),
        button(`Print the ${label}`, act(kind, true), "secondary"),
      ),
    ),
    result,
    healthRecordPart(view, () => refreshHistory(view.latest.intake_id)),
  );
}

/** Redraws the history after a document was produced, so it lists the new one. */
async function refreshHistory(intakeId: number): Promise<void> {
  const fresh = await ipc.openIntake(intakeId);
  document.querySelector("[data-panel=history]")?.replaceWith(historyPanel(fresh));
}

function historyPanel(view: IntakeView): HTMLElement {
  const versions = view.detail.versions;
  const screened = versions.filter((v) => v.status !== "draft").length;
  const drafts = versions.length - screened;
  const result = h("p", { class: "note", "aria-live": "polite", "data-testid": "reprint-result" });
  return h(
    "section",
    { class: "panel", "aria-labelledby": "history-h", "data-panel": "history" },
    h("h2", { id: "history-h" }, "History"),
    h(
      "p",
      {},
      `Screened ${screened === 1 ? "once" : `${screened} times`}. Each answer was saved as it was given (${drafts} saves); only the screenings are listed.`,
    ),
    h(
      "table",
      { class: "table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Version"),
          h("th", { scope: "col" }, "Status"),
          h("th", { scope: "col" }, "Saved by"),
          h("th", { scope: "col" }, "When"),
          h("th", { scope: "col" }, "Result"),
        ),
      ),
      h(
        "tbody",
        {},
        ...versions
          .filter((v) => v.status !== "draft")
          .map((v) =>
            h(
              "tr",
              {},
              h("td", {}, String(v.version)),
              h("td", {}, v.status === "amended" ? "Amended and screened again" : "Screened"),
              h("td", {}, v.saved_by),
              h("td", {}, localTime(v.saved_at)),
              h("td", {}, verdictOf(v.summary)),
            ),
          ),
      ),
    ),
    h("h3", {}, "Sign-offs"),
    view.signoffs.length
      ? h(
          "ul",
          {},
          ...view.signoffs.map((s) =>
            h(
              "li",
              {},
              `Version ${s.version}: ${s.clinician}, ${DECISION_TEXT[s.decision]}, ${localTime(s.signed_at)}${s.note ? ` — “${s.note}”` : ""} `,
              signatureBadge(s),
            ),
          ),
        )
      : h("p", {}, "None yet."),
    h("h3", {}, "Documents produced"),
    view.documents.length
      ? h(
          "ul",
          {},
          ...view.documents.map((d) =>
            h(
              "li",
              {},
              `${KIND_NAME[d.record.kind]} in ${d.record.language === "es" ? "Spanish" : "English"} on ${d.record.paper === "a4" ? "A4" : "US Letter"} paper, from version ${d.version} — ${d.produced_by}, ${localTime(d.produced_at)} `,
              button(
                "Reprint as it was",
                async () => {
                  try {
                    const done = await ipc.reprintDocument(d.id, false);
                    await refreshHistory(view.latest.intake_id);
                    const note = document.querySelector("[data-panel=history] [data-testid=reprint-result]");
                    if (note)
                      note.textContent = `Saved: ${done.path}. ${done.matches_original ? "Identical to the original." : "Differs from the original: check the clinic settings and the program version."}`;
                  } catch (e) {
                    result.textContent = message(e);
                  }
                },
                "link",
              ),
            ),
          ),
        )
      : h("p", {}, "None yet."),
    result,
  );
}

const KIND_NAME: Record<DocumentKind, string> = {
  handout: "Patient handout",
  summary: "Clinician summary",
  card: "Wallet card",
};

function verdictOf(summary: unknown): string {
  const v = (summary as Summary | null)?.verdict;
  return v ? VERDICT_TEXT[v] : "—";
}
