// The typed boundary to the Rust side. Every type comes from ui/src/bindings, which the Rust
// build writes (ts-rs) and CI checks, so a renamed field breaks the type-check, not a clinic.

import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "./bindings/AppError";
import type { AppStatus } from "./bindings/AppStatus";
import type { AuditRow } from "./bindings/AuditRow";
import type { Credentials } from "./bindings/Credentials";
import type { DocumentRequest } from "./bindings/DocumentRequest";
import type { FirstRun } from "./bindings/FirstRun";
import type { FirstRunDone } from "./bindings/FirstRunDone";
import type { IntakeListRow } from "./bindings/IntakeListRow";
import type { IntakeView } from "./bindings/IntakeView";
import type { NewIntake } from "./bindings/NewIntake";
import type { PasswordChange } from "./bindings/PasswordChange";
import type { PatientRow } from "./bindings/PatientRow";
import type { ProducedDocument } from "./bindings/ProducedDocument";
import type { ExportedRecord } from "./bindings/ExportedRecord";
import type { Questionnaire } from "./bindings/Questionnaire";
import type { Saved } from "./bindings/Saved";
import type { SelfEntryView } from "./bindings/SelfEntryView";
import type { Settings } from "./bindings/Settings";
import type { Signatures } from "./bindings/Signatures";
import type { SignOff } from "./bindings/SignOff";
import type { SignoffRow } from "./bindings/SignoffRow";
import type { StaffForm } from "./bindings/StaffForm";
import type { StaffRow } from "./bindings/StaffRow";
import type { Intake } from "./bindings/Intake";
import type { PrintCopy } from "./bindings/PrintCopy";

export type { AppError, AppStatus, Intake, IntakeView, Questionnaire, Saved, Settings };

/** Raised for every failed command; `error` is the Rust side's AppError. */
export class IpcError extends Error {
  constructor(public error: AppError) {
    super(error.message);
  }
}

/** Set by the app shell: called when any command finds the session locked. */
export let onLocked: () => void = () => {};
export function setOnLocked(f: () => void): void {
  onLocked = f;
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const error: AppError =
      typeof raw === "object" && raw !== null && "kind" in raw ? (raw as AppError) : { kind: "storage", message: String(raw), fields: [] };
    if (error.kind === "locked") onLocked();
    throw new IpcError(error);
  }
}

/** The intake date is the program's, set when the intake was first saved: the page never sends it. */
function withoutDate(doc: Intake): Omit<Intake, "intake_date"> {
  const { intake_date: _kept, ...rest } = doc;
  return rest;
}

export const ipc = {
  appStatus: () => call<AppStatus>("app_status"),
  firstRun: (setup: FirstRun) => call<FirstRunDone>("first_run", { setup }),
  login: (credentials: Credentials) => call<AppStatus>("login", { credentials }),
  lock: () => call<AppStatus>("lock"),
  stillHere: () => call<null>("still_here"),
  enterSelfEntry: (intakeId: number) => call<AppStatus>("enter_self_entry", { intakeId }),
  leaveSelfEntry: (credentials: Credentials) => call<AppStatus>("leave_self_entry", { credentials }),
  changePassword: (change: PasswordChange) => call<AppStatus>("change_password", { change }),
  questionnaire: () => call<Questionnaire>("questionnaire"),
  searchPatients: (query: string) => call<PatientRow[]>("search_patients", { query }),
  patientIntakes: (patientId: number) => call<IntakeListRow[]>("patient_intakes", { patientId }),
  unfinishedIntakes: () => call<IntakeListRow[]>("unfinished_intakes"),
  awaitingSignoff: () => call<IntakeListRow[]>("awaiting_signoff"),
  setPatientContact: (patientId: number, mrn: string, phone: string) => call<PatientRow>("set_patient_contact", { patientId, mrn, phone }),
  editPatient: (patientId: number, givenName: string, familyName: string, birthDate: string) =>
    call<PatientRow>("edit_patient", { patientId, givenName, familyName, birthDate }),
  startIntake: (patient: NewIntake) => call<Saved>("start_intake", { patient }),
  openIntake: (intakeId: number) => call<IntakeView>("open_intake", { intakeId }),
  openSelfEntry: (intakeId: number) => call<SelfEntryView>("open_self_entry", { intakeId }),
  saveDraft: (intakeId: number, doc: Intake) => call<Saved>("save_draft", { intakeId, doc: withoutDate(doc) }),
  completeIntake: (intakeId: number, doc: Intake, incompleteReason: string | null = null) =>
    call<Saved>("complete_intake", { intakeId, doc: withoutDate(doc), incompleteReason }),
  suggestMedicines: (typed: string) => call<string[]>("suggest_medicines", { typed }),
  signOff: (signoff: SignOff) => call<SignoffRow[]>("sign_off", { signoff }),
  saveDocument: (request: DocumentRequest) => call<ProducedDocument>("save_document", { request }),
  printDocument: (request: DocumentRequest) => call<ProducedDocument>("print_document", { request }),
  reprintDocument: (documentId: number, print: boolean) => call<ProducedDocument>("reprint_document", { documentId, print }),
  exportHealthRecord: (versionId: number) => call<ExportedRecord>("export_health_record", { versionId }),
  importAnswers: (patientId: number) => call<Saved>("import_answers", { patientId }),
  getSettings: () => call<Settings>("get_settings"),
  saveSettings: (settings: Settings) => call<Settings>("save_settings", { settings }),
  listStaff: () => call<StaffRow[]>("list_staff"),
  addStaff: (staff: StaffForm) => call<StaffRow[]>("add_staff", { staff }),
  setStaffDisabled: (username: string, disabled: boolean) => call<StaffRow[]>("set_staff_disabled", { username, disabled }),
  resetStaffPassword: (username: string, password: string) => call<null>("reset_staff_password", { username, password }),
  auditTrail: () => call<AuditRow[]>("audit_trail"),
  signatures: () => call<Signatures>("signatures"),
  setUpSignatures: (recoveryKey: string) => call<Signatures>("set_up_signatures", { recoveryKey }),
  printRecoverySheet: (recoveryKey: string) => call<PrintCopy>("print_recovery_sheet", { recoveryKey }),
};

/** The error's words, without the internal names of the fields it is about. */
export function message(e: unknown): string {
  if (!(e instanceof IpcError)) return String(e);
  const fields = e.error.fields;
  return fields.length ? fields.map((f) => f.message).join(" ") : e.error.message;
}

export function fieldErrors(e: unknown): { field: string; message: string }[] {
  return e instanceof IpcError ? e.error.fields : [];
}
