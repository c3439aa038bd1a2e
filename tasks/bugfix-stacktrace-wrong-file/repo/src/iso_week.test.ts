import { describe, expect, it } from "vitest";
import { isoWeekKey, startOfIsoWeek, weeksBetween } from "./iso_week";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("startOfIsoWeek", () => {
  it("maps a Wednesday to its Monday", () => {
    expect(startOfIsoWeek(d("2024-03-06")).toISOString()).toBe("2024-03-04T00:00:00.000Z");
  });

  it("keeps a Monday", () => {
    expect(startOfIsoWeek(d("2024-03-04")).toISOString()).toBe("2024-03-04T00:00:00.000Z");
  });
});

describe("isoWeekKey", () => {
  it("numbers mid-year weeks", () => {
    expect(isoWeekKey(d("2024-03-06"))).toBe("2024-W10");
  });

  it("puts early January in the previous ISO year", () => {
    expect(isoWeekKey(d("2021-01-01"))).toBe("2020-W53");
  });
});

describe("weeksBetween", () => {
  it("lists overlapping weeks", () => {
    expect(weeksBetween(d("2024-02-28"), d("2024-03-13"))).toEqual(["2024-W09", "2024-W10", "2024-W11"]);
  });
});
