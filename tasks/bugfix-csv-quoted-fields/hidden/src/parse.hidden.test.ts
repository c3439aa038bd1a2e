import { describe, expect, it } from "vitest";
import { parseRecord } from "./parse";
import { toRecord } from "./serialize";
import { readTable, writeTable } from "./table";

describe("escaped quotes", () => {
	it("turns a doubled quote into one quote", () => {
		expect(parseRecord('sku-3,"27"" monitor",199')).toEqual(["sku-3", '27" monitor', "199"]);
	});

	it("handles a field that is only an escaped quote", () => {
		expect(parseRecord('"""",x')).toEqual(['"', "x"]);
	});

	it("handles quotes at both ends of the value", () => {
		expect(parseRecord('"""Deluxe"" edition"')).toEqual(['"Deluxe" edition']);
	});

	it("round-trips through toRecord", () => {
		const fields = ['say "hi"', "a,b", "", '""'];
		expect(parseRecord(toRecord(fields))).toEqual(fields);
	});

	it("round-trips a table", () => {
		const rows = [{ sku: "A1", name: 'Lamp, "retro"' }];
		expect(readTable(writeTable(rows, ["sku", "name"]))).toEqual(rows);
	});
});
