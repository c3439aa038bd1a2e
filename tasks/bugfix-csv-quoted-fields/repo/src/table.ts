import { parseRecord, type ParseOptions } from "./parse";
import { toRecord } from "./serialize";

export type Row = Record<string, string>;

/**
 * Parses a CSV document whose first line is the header into one object per line. Blank lines are
 * skipped. Throws when a row has a different number of fields than the header (1-based line number).
 */
export function readTable(text: string, options: ParseOptions = {}): Row[] {
	const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
	if (lines.length === 0) return [];
	const header = parseRecord(lines[0], options);
	return lines.slice(1).map((line, index) => {
		const values = parseRecord(line, options);
		if (values.length !== header.length) {
			throw new Error(`line ${index + 2}: expected ${header.length} fields, got ${values.length}`);
		}
		return Object.fromEntries(header.map((name, i) => [name, values[i]]));
	});
}

/** Writes rows back as CSV with the given column order. Missing values become empty fields. */
export function writeTable(rows: readonly Row[], columns: readonly string[], delimiter = ","): string {
	const lines = [toRecord(columns, delimiter), ...rows.map((row) => toRecord(columns.map((c) => row[c] ?? ""), delimiter))];
	return lines.join("\n") + "\n";
}
