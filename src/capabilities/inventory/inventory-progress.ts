/** Where a run is, for the CLI's progress bar and the bot's "still working" answer. */
export interface InventoryProgress {
  phase: "report" | "disabled" | "audits" | "done";
  usersDone: number;
  /** Estimated people in the tenant when known (the report is paged without a count). */
  usersTotal: number | null;
  reportsRequests: number;
  throttled: number;
}

export type ProgressListener = (progress: InventoryProgress) => void;
