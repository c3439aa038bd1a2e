import { parseAmountCents, type DecimalStyle } from './amount_parser';
import { readCsv } from './csv_reader';
import { parseStatementDate } from './date_parser';

export interface Transaction {
    /** ISO date, YYYY-MM-DD. */
    bookedOn: string;
    description: string;
    amountCents: number;
}

export interface RowError {
    /** 1-based line in the file, header included. */
    line: number;
    message: string;
}

export interface ImportResult {
    transactions: Transaction[];
    /** Rows that could not be parsed; the caller shows them to the user. */
    errors: RowError[];
}

export interface ImportOptions {
    decimalStyle?: DecimalStyle;
    delimiter?: string;
}

const EXPECTED_HEADER = ['Date', 'Description', 'Amount'];

// Banks repeat rows across page breaks in their exports; drop exact repeats.
const seen = new Set<string>();

/** Imports one statement export (header row first). Throws when the header is not the expected one. */
export function importStatement(text: string, options: ImportOptions = {}): ImportResult {
    const rows = readCsv(text, options.delimiter ?? ';');
    const header = rows.shift() ?? [];
    if (header.join('|') !== EXPECTED_HEADER.join('|')) {
        throw new Error(`unexpected header "${header.join(';')}", expected "${EXPECTED_HEADER.join(';')}"`);
    }
    const transactions: Transaction[] = [];
    const errors: RowError[] = [];
    rows.forEach((fields, index) => {
        try {
            const [date = '', description = '', amount = ''] = fields;
            const tx: Transaction = {
                bookedOn: parseStatementDate(date),
                description: description.trim(),
                amountCents: parseAmountCents(amount, options.decimalStyle ?? 'comma'),
            };
            const key = `${tx.bookedOn}|${tx.description}|${tx.amountCents}`;
            if (seen.has(key)) return;
            seen.add(key);
            transactions.push(tx);
        } catch {
            return;
        }
    });
    return { transactions, errors };
}
