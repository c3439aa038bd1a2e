import { getCurrency } from './currencies';

/** An amount in the currency's minor unit (cents for USD), always an integer. */
export interface Money {
    amountMinor: number;
    currency: string;
}

/** Converts a major-unit amount (12.345 USD) to Money, rounding half away from zero (→ 1235 cents). */
export function fromMajor(amount: number, currency: string): Money {
    const factor = 10 ** getCurrency(currency).minorUnits;
    const scaled = Math.round(Math.abs(amount) * factor + Number.EPSILON);
    return { amountMinor: Math.sign(amount) * scaled || 0, currency: currency.toUpperCase() };
}

export function add(a: Money, b: Money): Money {
    if (a.currency !== b.currency) {
        throw new Error(`Cannot add ${a.currency} to ${b.currency}`);
    }
    return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

/**
 * Splits `money` by `ratios` without losing a cent: each share is floored, then the leftover minor
 * units go one by one to the shares with the largest remainders.
 */
export function allocate(money: Money, ratios: number[]): Money[] {
    const total = ratios.reduce((sum, r) => sum + r, 0);
    if (total <= 0 || ratios.some((r) => r < 0)) {
        throw new Error('allocate needs non-negative ratios with a positive sum');
    }
    const exact = ratios.map((r) => (money.amountMinor * r) / total);
    const shares = exact.map(Math.floor);
    let left = money.amountMinor - shares.reduce((sum, s) => sum + s, 0);
    const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((p, q) => q.rest - p.rest);
    for (const { i } of order) {
        if (left <= 0) break;
        shares[i] += 1;
        left -= 1;
    }
    return shares.map((amountMinor) => ({ amountMinor, currency: money.currency }));
}
