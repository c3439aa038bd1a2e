import { describe, expect, it } from 'vitest';
import { formatMoney, roundHalfEven } from './money';

describe('money', () => {
  it('rounds halves to the even cent', () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(10.49)).toBe(10);
  });

  it('formats cents with separators and a sign', () => {
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
    expect(formatMoney(-5)).toBe('-$0.05');
    expect(formatMoney(700, '€')).toBe('€7.00');
  });
});
