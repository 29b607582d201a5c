/** KPI formulas management reads. Pure; inputs come from the task read model. */

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

/** Share in percent (one decimal) of `part` in `whole`; null when there is nothing to measure. */
export function percentOrNull(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** A duration in hours with one decimal; null stays null (nothing measured). */
export function hoursOrNull(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return Math.round((ms / 3_600_000) * 10) / 10;
}
