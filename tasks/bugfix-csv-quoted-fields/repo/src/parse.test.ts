import { describe, expect, it } from "vitest";
import { parseRecord } from "./parse";

describe("parseRecord", () => {
	it("splits plain fields", () => {
		expect(parseRecord("sku-1,Desk lamp,19.90")).toEqual(["sku-1", "Desk lamp", "19.90"]);
	});

	it("keeps delimiters inside quotes", () => {
		expect(parseRecord('sku-2,"Chair, oak",89.00')).toEqual(["sku-2", "Chair, oak", "89.00"]);
	});

	it("keeps empty fields", () => {
		expect(parseRecord("a,,c,")).toEqual(["a", "", "c", ""]);
	});

	it("supports other delimiters", () => {
		expect(parseRecord("a;b,c;d", { delimiter: ";" })).toEqual(["a", "b,c", "d"]);
	});

	it("rejects an unterminated quote", () => {
		expect(() => parseRecord('a,"b')).toThrow("Unterminated quoted field");
	});
});
