import { describe, expect, it } from "vitest";
import { isoWeekKey, startOfIsoWeek, weeksBetween } from "./iso_week";
import { parseEntries } from "./parse_entries";
import { weeklyReport } from "./weekly_report";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("sundays", () => {
  it("belong to the week that started the Monday before", () => {
    expect(startOfIsoWeek(d("2024-03-10")).toISOString()).toBe("2024-03-04T00:00:00.000Z");
    expect(isoWeekKey(d("2024-03-10"))).toBe("2024-W10");
  });

  it("keep early-January Sundays in the previous ISO year", () => {
    expect(isoWeekKey(d("2021-01-03"))).toBe("2020-W53");
  });

  it("start a range in their own week", () => {
    expect(weeksBetween(d("2024-03-03"), d("2024-03-05"))).toEqual(["2024-W09", "2024-W10"]);
  });

  it("do not crash a report whose range ends on a Sunday", () => {
    const entries = parseEntries("2024-03-29,acme,8\n2024-03-31,acme,3");
    const report = weeklyReport(entries, d("2024-03-01"), d("2024-03-31"));
    expect(report.map((w) => w.week)).toEqual(["2024-W09", "2024-W10", "2024-W11", "2024-W12", "2024-W13"]);
    expect(report.at(-1)).toEqual({ week: "2024-W13", hours: 11, byProject: { acme: 11 } });
  });

  it("count Sunday hours in the right week", () => {
    const entries = parseEntries("2024-03-10,infra,2\n2024-03-11,infra,4");
    const report = weeklyReport(entries, d("2024-03-04"), d("2024-03-17"));
    expect(report.map((w) => w.hours)).toEqual([2, 4]);
  });
});
