import { describe, expect, it } from 'vitest';
import { parseAmountCents } from './amount_parser';

describe('parseAmountCents', () => {
    it('reads comma-style amounts with thousands separators', () => {
        expect(parseAmountCents('-1.234,50', 'comma')).toBe(-123450);
        expect(parseAmountCents('12,00', 'comma')).toBe(1200);
    });

    it('reads dot-style amounts', () => {
        expect(parseAmountCents('1,234.50', 'dot')).toBe(123450);
    });

    it('rejects text that is not an amount', () => {
        expect(() => parseAmountCents('12,3,4', 'comma')).toThrow(/not an amount/);
        expect(() => parseAmountCents('EUR 5', 'dot')).toThrow(/not an amount/);
    });
});
