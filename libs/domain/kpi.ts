/** KPI formulas management reads. Pure; inputs come from the task read model. */

export interface CycleCounts {
  open: number;
  submitted: number;
  approved: number;
  overdue: number;
  total: number;
}

/** Share of expected work approved, in percent with one decimal; 100 when nothing was expected. */
export function coveragePercent(approved: number, expected: number): number {
  if (expected <= 0) return 100;
  return Math.round((approved / expected) * 1000) / 10;
}

/** Share of submissions rejected, in percent. */
export function reworkPercent(rejections: number, submissions: number): number {
  if (submissions <= 0) return 0;
  return Math.round((rejections / submissions) * 1000) / 10;
}
