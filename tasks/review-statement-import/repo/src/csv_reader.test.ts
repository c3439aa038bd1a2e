import { describe, expect, it } from 'vitest';
import { readCsv } from './csv_reader';

describe('readCsv', () => {
    it('splits on the delimiter and skips blank lines', () => {
        expect(readCsv('a;b;c\r\n\r\n1;2;3\n')).toEqual([
            ['a', 'b', 'c'],
            ['1', '2', '3'],
        ]);
    });

    it('keeps delimiters and doubled quotes inside quoted fields', () => {
        expect(readCsv('"ACME; Inc.";"say ""hi""";3')).toEqual([['ACME; Inc.', 'say "hi"', '3']]);
    });
});
