import { describe, expect, it } from 'vitest';
import { renderReceipt } from './receipt';
import { makeInvoice } from './fixtures';

describe('renderReceipt', () => {
  it('prints one right-aligned row per item and the totals', () => {
    const lines = renderReceipt(makeInvoice()).split('\n');
    expect(lines[0]).toBe('Receipt INV-1001');
    expect(lines[3]).toBe('3 x Widget' + ' '.repeat(24) + '$37.50');
    expect(lines.at(-1)).toMatch(/^TOTAL +\$1,123\.08$/);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
  });
});
