/** One line of the doctor's table: what was checked, how it stands, and what to do about it. */
export interface DoctorCheck {
  /** e.g. "configuration", "Graph credentials", "permission AuditLog.Read.All", "storage: tables". */
  check: string;
  status: DoctorStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do, in one line; absent when nothing is to be done. */
  fix?: string;
}

/** ok; missing (a grant or setting is absent); wrong (present but refused); unreachable; unknown; skipped. */
export type DoctorStatus = "ok" | "missing" | "wrong" | "unreachable" | "unknown" | "skipped";

export function isHealthy(checks: readonly DoctorCheck[]): boolean {
  return checks.every((check) => check.status === "ok" || check.status === "skipped");
}
