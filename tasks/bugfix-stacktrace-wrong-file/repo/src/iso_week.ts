const DAY_MS = 86_400_000;

function utcMidnight(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Monday 00:00 UTC of the ISO 8601 week (Monday to Sunday) that contains `date`. */
export function startOfIsoWeek(date: Date): Date {
  const monday = utcMidnight(date);
  const day = monday.getUTCDay(); // 0 = Sunday, 1 = Monday, ... 6 = Saturday
  monday.setUTCDate(monday.getUTCDate() - (day - 1));
  return monday;
}

/**
 * ISO 8601 week key such as `2024-W09`. The week belongs to the year of its Thursday, so the
 * first days of January can fall in the previous year's last week (2021-01-01 is `2020-W53`).
 */
export function isoWeekKey(date: Date): string {
  const thursday = new Date(startOfIsoWeek(date).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Keys of every ISO week that overlaps [from, to] (both inclusive), oldest first. */
export function weeksBetween(from: Date, to: Date): string[] {
  const keys: string[] = [];
  const end = utcMidnight(to).getTime();
  for (let t = startOfIsoWeek(from).getTime(); t <= end; t += 7 * DAY_MS) {
    keys.push(isoWeekKey(new Date(t)));
  }
  return keys;
}
