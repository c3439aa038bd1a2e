import { describe, expect, it } from 'vitest';
import { getCurrency, isKnownCurrency } from './currencies';

describe('getCurrency', () => {
    it('is case-insensitive', () => {
        expect(getCurrency('jpy').minorUnits).toBe(0);
    });

    it('names the known codes when the code is unknown', () => {
        expect(() => getCurrency('XYZ')).toThrow(/known: USD/);
    });

    it('reports membership', () => {
        expect(isKnownCurrency('kwd')).toBe(true);
        expect(isKnownCurrency('BTC')).toBe(false);
    });
});
