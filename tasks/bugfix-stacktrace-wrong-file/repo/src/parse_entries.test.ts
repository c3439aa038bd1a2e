import { describe, expect, it } from "vitest";
import { parseEntries } from "./parse_entries";

describe("parseEntries", () => {
  it("parses rows and skips the header", () => {
    expect(parseEntries("date,project,hours\n2024-03-04, acme ,7.5\n")).toEqual([
      { date: new Date("2024-03-04T00:00:00Z"), project: "acme", hours: 7.5 },
    ]);
  });

  it("names the bad line", () => {
    expect(() => parseEntries("2024-03-04,acme,8\n2024/03/05,acme,8")).toThrow(/^line 2:/);
  });

  it("rejects impossible days", () => {
    expect(() => parseEntries("2024-03-04,acme,25")).toThrow("25 hours in one day");
  });
});
