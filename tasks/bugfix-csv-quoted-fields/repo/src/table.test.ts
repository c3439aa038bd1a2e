import { describe, expect, it } from "vitest";
import { readTable, writeTable } from "./table";

describe("readTable", () => {
	it("maps rows by header", () => {
		expect(readTable("sku,name\nA1,Lamp\n\nB2,Desk\n")).toEqual([
			{ sku: "A1", name: "Lamp" },
			{ sku: "B2", name: "Desk" },
		]);
	});

	it("names the line with a wrong field count", () => {
		expect(() => readTable("sku,name\nA1,Lamp,extra")).toThrow("line 2: expected 2 fields, got 3");
	});
});

describe("writeTable", () => {
	it("quotes fields that need it", () => {
		expect(writeTable([{ sku: "A1", name: 'Lamp, "retro"' }], ["sku", "name"])).toBe('sku,name\nA1,"Lamp, ""retro"""\n');
	});
});
