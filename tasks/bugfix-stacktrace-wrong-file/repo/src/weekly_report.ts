import { isoWeekKey, weeksBetween } from "./iso_week";
import type { TimeEntry } from "./parse_entries";

export interface WeekSummary {
  week: string;
  hours: number;
  byProject: Record<string, number>;
}

/**
 * Hours per ISO week for every week overlapping [from, to] (inclusive), including empty weeks,
 * oldest first. Entries outside the range are ignored.
 */
export function weeklyReport(entries: TimeEntry[], from: Date, to: Date): WeekSummary[] {
  const weeks = new Map<string, WeekSummary>();
  for (const week of weeksBetween(from, to)) {
    weeks.set(week, { week, hours: 0, byProject: {} });
  }
  for (const entry of entries) {
    if (entry.date < from || entry.date > to) continue;
    const summary = weeks.get(isoWeekKey(entry.date))!;
    summary.hours += entry.hours;
    summary.byProject[entry.project] = (summary.byProject[entry.project] ?? 0) + entry.hours;
  }
  return [...weeks.values()];
}

/** Weeks whose total is under `minHours` (default 40), e.g. for a missing-timesheet reminder. */
export function underfilledWeeks(report: WeekSummary[], minHours = 40): string[] {
  return report.filter((w) => w.hours < minHours).map((w) => w.week);
}
