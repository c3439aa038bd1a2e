/** Quotes a field when it contains the delimiter, a quote or a line break; quotes are doubled. */
export function quoteField(value: string, delimiter = ","): string {
	if (value.includes(delimiter) || /["\r\n]/.test(value)) {
		return `"${value.replaceAll('"', '""')}"`;
	}
	return value;
}

/** One CSV record from a list of fields. */
export function toRecord(fields: readonly string[], delimiter = ","): string {
	return fields.map((f) => quoteField(f, delimiter)).join(delimiter);
}
