import { describe, expect, it } from "vitest";
import { parseEntries } from "./parse_entries";
import { underfilledWeeks, weeklyReport } from "./weekly_report";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("weeklyReport", () => {
  const entries = parseEntries(
    ["date,project,hours", "2024-03-04,acme,8", "2024-03-05,acme,6.5", "2024-03-05,infra,1.5", "2024-03-12,acme,8"].join("\n"),
  );

  it("sums hours per week and project", () => {
    const report = weeklyReport(entries, d("2024-03-04"), d("2024-03-15"));
    expect(report).toEqual([
      { week: "2024-W10", hours: 16, byProject: { acme: 14.5, infra: 1.5 } },
      { week: "2024-W11", hours: 8, byProject: { acme: 8 } },
    ]);
  });

  it("ignores entries outside the range", () => {
    const report = weeklyReport(entries, d("2024-03-11"), d("2024-03-15"));
    expect(report.map((w) => w.hours)).toEqual([8]);
  });

  it("flags underfilled weeks", () => {
    expect(underfilledWeeks(weeklyReport(entries, d("2024-03-04"), d("2024-03-15")), 10)).toEqual(["2024-W11"]);
  });
});
