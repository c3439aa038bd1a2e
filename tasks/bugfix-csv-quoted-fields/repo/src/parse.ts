export interface ParseOptions {
	/** Field separator, one character. Default `,`. */
	delimiter?: string;
}

/**
 * Splits one CSV record into fields (RFC 4180): fields may be wrapped in double quotes, and inside
 * quotes the delimiter is literal and a doubled quote (`""`) stands for one quote character.
 * Throws when a quoted field is not closed.
 */
export function parseRecord(line: string, options: ParseOptions = {}): string[] {
	const delimiter = options.delimiter ?? ",";
	const fields: string[] = [];
	let field = "";
	let inQuotes = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (inQuotes) {
			if (ch === '"') {
				inQuotes = false;
			} else {
				field += ch;
			}
		} else if (ch === '"') {
			inQuotes = true;
		} else if (ch === delimiter) {
			fields.push(field);
			field = "";
		} else {
			field += ch;
		}
	}
	if (inQuotes) {
		throw new Error(`Unterminated quoted field in record: ${line}`);
	}
	fields.push(field);
	return fields;
}
