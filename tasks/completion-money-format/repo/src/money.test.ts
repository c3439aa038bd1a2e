import { describe, expect, it } from 'vitest';
import { add, allocate, fromMajor } from './money';

describe('fromMajor', () => {
    it('rounds half away from zero', () => {
        expect(fromMajor(12.345, 'usd')).toEqual({ amountMinor: 1235, currency: 'USD' });
        expect(fromMajor(-0.005, 'USD')).toEqual({ amountMinor: -1, currency: 'USD' });
    });

    it('respects zero-decimal currencies', () => {
        expect(fromMajor(1999.5, 'JPY').amountMinor).toBe(2000);
    });
});

describe('add', () => {
    it('refuses mixed currencies', () => {
        expect(() => add(fromMajor(1, 'USD'), fromMajor(1, 'EUR'))).toThrow('Cannot add USD to EUR');
    });
});

describe('allocate', () => {
    it('keeps every cent', () => {
        const shares = allocate({ amountMinor: 100, currency: 'USD' }, [1, 1, 1]);
        expect(shares.map((s) => s.amountMinor)).toEqual([34, 33, 33]);
    });
});
