// The whole-file check the app makes in the background after start-up (the login reads only
// the pages it needs): an administrator sees it running, then what it found.

import { alert, h } from "./dom";
import { ipc } from "./ipc";
import { localTime } from "./dates";
import type { FileCheckStatus } from "./bindings/FileCheckStatus";

const POLL_MS = 3000;

function banner(check: FileCheckStatus): HTMLElement {
  const size = check.megabytes < 1 ? "under 1 MB" : `${check.megabytes.toFixed(1)} MB`;
  if (check.running) {
    return alert(
      "info",
      { "data-testid": "file-check", "data-state": "running" },
      `Checking every page of the database file (${size}) in the background, started ${localTime(check.started_at)}. Work goes on meanwhile.`,
    );
  }
  const took = `${size} in ${(check.seconds ?? 0).toFixed(1)} s`;
  if (check.problem) {
    return alert(
      "error",
      { "data-testid": "file-check", "data-state": "damaged" },
      h("strong", {}, "The database file is damaged. "),
      `The check after start-up found: ${check.problem} (${took}). Stop entering intakes on this workstation and restore the latest backup (“ldn db restore”, see the README’s Backups section).`,
    );
  }
  return alert(
    "success",
    { "data-testid": "file-check", "data-state": "sound", class: "usa-alert--slim" },
    `Database file checked after start-up: no damage (${took}, ${localTime(check.started_at)}).`,
  );
}

/** The check's banner for an administrator, following it while it runs; empty for others. */
export function fileCheckBanner(check: FileCheckStatus | null | undefined): HTMLElement {
  const place = h("div", { class: "file-check" });
  const draw = (now: FileCheckStatus | null | undefined) => {
    place.replaceChildren(...(now ? [banner(now)] : []));
    if (!now?.running) return;
    setTimeout(() => {
      if (!place.isConnected) return;
      ipc
        .appStatus()
        .then((status) => draw(status.file_check))
        .catch(() => undefined);
    }, POLL_MS);
  };
  draw(check);
  return place;
}
