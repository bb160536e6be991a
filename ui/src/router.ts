// The one way between screens. A screen asks the router for another screen instead of
// importing it, so screens never import each other or the shell; main.ts, the only module
// that sees them all, gives the router the screens at start-up.

import type { AppStatus, IntakeView } from "./ipc";
import type { Saved } from "./bindings/Saved";
import type { Session } from "./screens/session";

export interface Screens {
  /** Asks the Rust side where we are (or takes `next`) and shows the screen for it. */
  route(next?: AppStatus): Promise<void>;
  patients(): Promise<void>;
  /** An intake: its form while it is a draft, its summary once complete. */
  openIntake(intakeId: number): Promise<void>;
  intakeForm(saved: Pick<Saved, "intake_id" | "intake" | "form" | "version">): Promise<Session>;
  /** The review before completion; `byPatient` marks the answers the patient gave. */
  review(s: Session, byPatient?: Set<string>): Promise<void>;
  summary(view: IntakeView): void;
}

let screens: Screens | undefined;
let current: AppStatus | undefined;

export function provideScreens(given: Screens): void {
  screens = given;
}

export function go(): Screens {
  if (!screens) throw new Error("the screens were not given to the router");
  return screens;
}

/** Who is logged in and what the app is doing, as Rust said last. */
export function appStatus(): AppStatus {
  if (!current) throw new Error("the app status is not known yet");
  return current;
}

export function setAppStatus(next: AppStatus): void {
  current = next;
}
