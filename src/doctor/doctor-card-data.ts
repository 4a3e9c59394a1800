import type { CardMessage } from "../cards/card-message.js";
import { type LocalizedText, localizedText } from "../cards/localized-text.js";
import type { DoctorCheck, DoctorStatus } from "./doctor-check.js";

/** The data of cards/doctor.card.json: one row per check; check, detail and fix as the CLI prints them (for admins). */
export type DoctorCardData = {
  summary: LocalizedText;
  rows: Array<{ icon: string; check: string; statusLabel: LocalizedText; detail: string; fix: string }>;
};

declare module "../cards/card-message.js" {
  interface CardDataByName {
    doctor: DoctorCardData;
  }
}

const icons: Record<DoctorStatus, string> = {
  ok: "✅",
  missing: "❌",
  wrong: "❌",
  unreachable: "⚠️",
  unknown: "❔",
  skipped: "➖",
};

/** The doctor's checks as the admin's card. */
export function doctorCard(checks: readonly DoctorCheck[]): CardMessage<"doctor"> {
  const ok = checks.filter((check) => check.status === "ok").length;
  const label = (status: DoctorStatus) =>
    localizedText(`doctor.status${status.charAt(0).toUpperCase()}${status.slice(1)}`);
  return {
    name: "doctor",
    data: {
      summary:
        ok === checks.length
          ? localizedText("doctor.summaryAllOk", { total: checks.length })
          : localizedText("doctor.summary", { ok, total: checks.length }),
      rows: checks.map((check) => ({
        icon: icons[check.status],
        check: check.check,
        statusLabel: label(check.status),
        detail: check.detail,
        fix: check.fix ?? "",
      })),
    },
  };
}
