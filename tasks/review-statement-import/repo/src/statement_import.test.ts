import { describe, expect, it } from 'vitest';
import { parseStatementDate } from './date_parser';
import { importStatement } from './statement_import';

const statement = [
    'Date;Description;Amount',
    '02.03.2026;"Coffee; Bakery Mueller";-3,50',
    '02.03.2026;Salary March;2.500,00',
    '02.03.2026;Salary March;2.500,00',
    '05.03.2026;Rent;-950,00',
].join('\n');

describe('importStatement', () => {
    it('imports every row and drops a repeated row', () => {
        const { transactions, errors } = importStatement(statement);
        expect(transactions.map((t) => t.amountCents)).toEqual([-350, 250000, -95000]);
        expect(transactions[0]?.description).toBe('Coffee; Bakery Mueller');
        expect(errors).toEqual([]);
    });

    it('refuses a file with another header', () => {
        expect(() => importStatement('Datum;Text;Betrag\n')).toThrow(/unexpected header/);
    });
});

describe('parseStatementDate', () => {
    it('rejects ISO dates and impossible months', () => {
        expect(() => parseStatementDate('2026-03-02')).toThrow(/DD\.MM\.YYYY/);
        expect(() => parseStatementDate('02.13.2026')).toThrow(/out of range/);
    });
});
