// The summary's health-record part: the intake as a FHIR R4 Bundle for the clinic's EHR.

import { button, h } from "../dom";
import { ipc, message, type IntakeView } from "../ipc";

/** The intake as data for the clinic's EHR: a FHIR Bundle, saved where the user chooses. */
export function healthRecordPart(view: IntakeView, onExported: () => Promise<void>): HTMLElement {
  const result = h("p", { class: "note", "aria-live": "polite", "data-testid": "export-result" });
  const exportRecord = async () => {
    result.textContent = "Saving…";
    try {
      const done = await ipc.exportHealthRecord(view.latest.version_id);
      const attached = done.documents_attached + done.documents_by_hash_only;
      const documents =
        attached === 0
          ? "No documents were given out for this version yet, so none is attached."
          : done.documents_by_hash_only === 0
            ? `${plural(attached, "document")} attached.`
            : `${plural(done.documents_attached, "document")} attached; ${plural(done.documents_by_hash_only, "document")} could not be made again exactly and ${done.documents_by_hash_only === 1 ? "is" : "are"} named by hash only.`;
      result.textContent = `Saved: ${done.path}. ${documents}`;
      await onExported();
    } catch (e) {
      result.textContent = message(e);
    }
  };
  return h(
    "div",
    { class: "health-record" },
    h("h3", {}, "Health record"),
    h(
      "p",
      { class: "hint" },
      "A FHIR R4 file the clinic's health record system can import: the answers, every finding with its sources, the result, the sign-off and the documents given out.",
    ),
    h(
      "div",
      { class: "actions" },
      button("Export for the health record", () => void exportRecord(), "secondary"),
    ),
    result,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
