// The app shell: which screen is showing, the top bar, and the idle lock.

import { button, h } from "./dom";
import { ipc, setOnLocked, type AppStatus } from "./ipc";
import { loginScreen } from "./screens/login";
import { patientsScreen } from "./screens/patients";
import { settingsScreen } from "./screens/settings";
import { setupScreen } from "./screens/setup";
import { selfEntryScreen } from "./screens/selfentry";

export let status: AppStatus;

let idleTimer: number | undefined;
let lastPing = 0;

/** Asks the Rust side where we are and shows the right screen. */
export async function route(next?: AppStatus): Promise<void> {
  status = next ?? (await ipc.appStatus());
  renderBar();
  armIdleTimer();
  if (status.needs_setup) return setupScreen();
  if (!status.user) return loginScreen();
  if (status.self_entry !== null) return selfEntryScreen(status.self_entry);
  return patientsScreen();
}

export async function lockNow(reason: string): Promise<void> {
  const next = await ipc.lock();
  await route(next);
  const note = document.querySelector<HTMLElement>("[data-lock-reason]");
  if (note) note.textContent = reason;
}

function renderBar(): void {
  const bar = document.getElementById("bar")!;
  const user = status.user;
  const inSelfEntry = status.self_entry !== null;
  const parts: (HTMLElement | null)[] = [
    h("span", { class: "brand" }, "LDN Intake"),
    user && !inSelfEntry
      ? h(
          "nav",
          { "aria-label": "Main" },
          button("Patients", () => void patientsScreen(), "link"),
          user.role === "admin" ? button("Settings", () => void settingsScreen(), "link") : null,
        )
      : null,
    user && !inSelfEntry
      ? h(
          "span",
          { class: "who" },
          `${user.display_name} (${user.role})`,
          button("Lock", () => void lockNow("Locked."), "secondary"),
        )
      : null,
  ];
  bar.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

/** Locks the screen after the configured idle time; activity is reported to Rust sparingly. */
function armIdleTimer(): void {
  window.clearTimeout(idleTimer);
  if (!status.user || status.idle_seconds === null) return;
  const limit = status.idle_seconds * 1000;
  idleTimer = window.setTimeout(() => void lockNow("Locked after a period without activity."), limit);
}

function activity(): void {
  if (!status?.user) return;
  armIdleTimer();
  const now = Date.now();
  if (now - lastPing > 5000) {
    lastPing = now;
    ipc.stillHere().catch(() => {});
  }
}

export function start(): void {
  for (const event of ["keydown", "pointerdown", "wheel"]) {
    window.addEventListener(event, activity, { passive: true });
  }
  setOnLocked(() => void route());
  void route();
}
