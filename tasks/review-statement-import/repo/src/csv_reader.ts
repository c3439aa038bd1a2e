/**
 * Splits CSV text into rows of fields. Handles quoted fields containing the delimiter,
 * doubled quotes ("") and CRLF line ends. Blank lines are skipped.
 */
export function readCsv(text: string, delimiter = ';'): string[][] {
    const rows: string[][] = [];
    for (const line of text.split(/\r?\n/)) {
        if (line.trim() === '') continue;
        rows.push(splitLine(line, delimiter));
    }
    return rows;
}

function splitLine(line: string, delimiter: string): string[] {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted) {
            if (ch === '"' && line[i + 1] === '"') {
                field += '"';
                i++;
            } else if (ch === '"') {
                quoted = false;
            } else {
                field += ch;
            }
        } else if (ch === '"') {
            quoted = true;
        } else if (ch === delimiter) {
            fields.push(field);
            field = '';
        } else {
            field += ch;
        }
    }
    fields.push(field);
    return fields;
}
