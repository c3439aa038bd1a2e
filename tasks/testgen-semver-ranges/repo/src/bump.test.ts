import { describe, expect, it } from "vitest";
import { planUpgrades } from "./bump";

describe("planUpgrades", () => {
  it("proposes the newest in-range version and labels it", () => {
    const plan = planUpgrades(
      [
        { name: "left-pad", range: "^1.1.0", installed: "1.1.0" },
        { name: "chalk", range: "~5.3.0", installed: "5.3.0" },
        { name: "zod", range: "^4.0.0", installed: "4.1.0" },
      ],
      {
        "left-pad": ["1.0.0", "1.1.0", "1.3.0", "2.0.0"],
        chalk: ["5.3.0", "5.3.2", "5.4.0"],
        zod: ["4.1.0"],
      },
    );
    expect(plan).toEqual([
      { name: "left-pad", from: "1.1.0", to: "1.3.0", kind: "minor" },
      { name: "chalk", from: "5.3.0", to: "5.3.2", kind: "patch" },
    ]);
  });
});
