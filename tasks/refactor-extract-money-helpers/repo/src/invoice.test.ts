import { describe, expect, it } from 'vitest';
import { computeTotals, describeTotals, lineTotal } from './invoice';
import { makeInvoice } from './fixtures';

describe('computeTotals', () => {
  it('sums line items and rounds tax half to even', () => {
    const totals = computeTotals(makeInvoice());
    expect(totals.subtotal).toBe(103749);
    expect(totals.tax).toBe(8559);
    expect(totals.total).toBe(112308);
  });

  it('rounds an exact half cent down to the even cent', () => {
    const invoice = makeInvoice({
      taxRate: 0.5,
      items: [{ sku: 'X', description: 'x', quantity: 1, unitPrice: 5 }],
    });
    expect(computeTotals(invoice).tax).toBe(2);
  });

  it('rejects fractional unit prices', () => {
    expect(() => lineTotal({ sku: 'BAD', description: 'b', quantity: 1, unitPrice: 1.5 })).toThrow(
      /integer cents/,
    );
  });
});

describe('describeTotals', () => {
  it('formats amounts with thousands separators', () => {
    expect(describeTotals(makeInvoice())).toBe(
      'Subtotal: $1,037.49\nTax (8.25%): $85.59\nTotal: $1,123.08',
    );
  });
});
