import { describe, expect, it } from 'vitest';
import { formatMoney } from './format';
import { allocate } from './money';

describe('formatMoney', () => {
    it('formats dollars with grouping and cents', () => {
        expect(formatMoney({ amountMinor: 123456, currency: 'USD' })).toBe('$1,234.56');
    });

    it('puts the minus sign before the symbol', () => {
        expect(formatMoney({ amountMinor: -123456, currency: 'USD' })).toBe('-$1,234.56');
    });

    it('pads amounts below one unit', () => {
        expect(formatMoney({ amountMinor: 5, currency: 'GBP' })).toBe('£0.05');
        expect(formatMoney({ amountMinor: 0, currency: 'USD' })).toBe('$0.00');
    });

    it('has no decimals for JPY', () => {
        expect(formatMoney({ amountMinor: 5000, currency: 'JPY' })).toBe('¥5,000');
    });

    it('has three decimals for KWD, symbol after', () => {
        expect(formatMoney({ amountMinor: 1234567, currency: 'KWD' })).toBe('1,234.567 KD');
    });

    it('uses custom separators with a trailing euro sign', () => {
        const options = { thousandsSeparator: '.', decimalSeparator: ',' };
        expect(formatMoney({ amountMinor: 1250, currency: 'EUR' }, options)).toBe('12,50 €');
        expect(formatMoney({ amountMinor: 123456789, currency: 'EUR' }, options)).toBe('1.234.567,89 €');
    });

    it('can show the ISO code instead of the symbol', () => {
        expect(formatMoney({ amountMinor: -99, currency: 'chf' }, { showCode: true })).toBe('-0.99 CHF');
    });

    it('rejects fractional minor units', () => {
        expect(() => formatMoney({ amountMinor: 10.5, currency: 'USD' })).toThrow(RangeError);
    });

    it('rejects unknown currencies', () => {
        expect(() => formatMoney({ amountMinor: 1, currency: 'XYZ' })).toThrow(/Unknown currency/);
    });

    it('formats allocated shares', () => {
        const shares = allocate({ amountMinor: 1000, currency: 'USD' }, [1, 2]);
        expect(shares.map((s) => formatMoney(s))).toEqual(['$3.33', '$6.67']);
    });
});
