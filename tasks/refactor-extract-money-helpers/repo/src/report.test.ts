import { describe, expect, it } from 'vitest';
import { monthlyRevenue, renderReport } from './report';
import { makeInvoice } from './fixtures';

describe('monthlyRevenue', () => {
  it('groups by month in order and averages with banker rounding', () => {
    const rows = monthlyRevenue([
      makeInvoice({
        issuedOn: '2024-04-02',
        taxRate: 0,
        items: [{ sku: 'A', description: 'a', quantity: 1, unitPrice: 101 }],
      }),
      makeInvoice({
        issuedOn: '2024-03-30',
        taxRate: 0,
        items: [{ sku: 'B', description: 'b', quantity: 1, unitPrice: 500 }],
      }),
      makeInvoice({
        issuedOn: '2024-04-20',
        taxRate: 0,
        items: [{ sku: 'C', description: 'c', quantity: 1, unitPrice: 200 }],
      }),
    ]);
    expect(rows.map((r) => r.month)).toEqual(['2024-03', '2024-04']);
    expect(rows[1]).toEqual({ month: '2024-04', invoices: 2, revenue: 301, averageInvoice: 150 });
  });
});

describe('renderReport', () => {
  it('renders one line per month', () => {
    expect(renderReport([makeInvoice()])).toBe('2024-03    1     $1,123.08  avg $1,123.08');
  });
});
