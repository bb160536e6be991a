// The app shell: which screen is showing, the top bar, and the idle lock (the Rust side keeps
// the one idle timer and says when it locked).

import { listen } from "@tauri-apps/api/event";
import { button, h } from "./dom";
import { ipc, setOnLocked, type AppStatus } from "./ipc";
import { loginScreen } from "./screens/login";
import { patientsScreen } from "./screens/patients";
import { settingsScreen } from "./screens/settings";
import { setupScreen } from "./screens/setup";
import { selfEntryScreen } from "./screens/selfentry";
import { passwordScreen } from "./screens/password";
import { setAppStatus } from "./router";

let status: AppStatus;

let lastPing = 0;

/** Asks the Rust side where we are and shows the right screen. */
export async function route(next?: AppStatus): Promise<void> {
  status = next ?? (await ipc.appStatus());
  setAppStatus(status);
  renderBar();
  if (status.needs_setup) return setupScreen();
  if (!status.user) return loginScreen();
  if (status.must_change_password) return passwordScreen(true);
  if (status.self_entry !== null) return selfEntryScreen(status.self_entry);
  // A database from before signatures: the administrator sets them up first.
  if (status.needs_signatures) return settingsScreen();
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
  const forced = status.must_change_password;
  const parts: (HTMLElement | null)[] = [
    h("span", { class: "brand" }, "LDN Intake"),
    user && !inSelfEntry && !forced
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
          forced ? null : button("Change password", () => passwordScreen(false), "link"),
          button("Lock", () => void lockNow("Locked."), "secondary"),
        )
      : null,
    h("span", { class: "flash", role: "status", "data-flash": "" }),
  ];
  bar.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

/** Activity is reported to Rust sparingly; Rust decides when the session is idle. */
function activity(): void {
  if (!status?.user) return;
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
  void listen("locked", async () => {
    await route();
    const note = document.querySelector<HTMLElement>("[data-lock-reason]");
    if (note) note.textContent = "Locked after a period without activity.";
  });
  void route();
}
