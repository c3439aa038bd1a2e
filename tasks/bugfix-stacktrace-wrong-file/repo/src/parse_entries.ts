export interface TimeEntry {
  /** Day the hours were worked, at 00:00 UTC. */
  date: Date;
  project: string;
  hours: number;
}

const LINE = /^(\d{4})-(\d{2})-(\d{2}),([^,]+),(\d+(?:\.\d+)?)$/;

/**
 * Parses timesheet CSV lines `YYYY-MM-DD,project,hours` (a header line and blank lines are skipped).
 * Throws an Error naming the line number for malformed lines or more than 24 hours in a row.
 */
export function parseEntries(csv: string): TimeEntry[] {
  const entries: TimeEntry[] = [];
  csv.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("date,")) return;
    const match = LINE.exec(line);
    if (!match) {
      throw new Error(`line ${index + 1}: expected "YYYY-MM-DD,project,hours", got "${line}"`);
    }
    const [, y, m, d, project, hours] = match;
    const entry = { date: new Date(Date.UTC(+y, +m - 1, +d)), project: project.trim(), hours: Number(hours) };
    if (entry.hours > 24) {
      throw new Error(`line ${index + 1}: ${entry.hours} hours in one day`);
    }
    entries.push(entry);
  });
  return entries;
}
