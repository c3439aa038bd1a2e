import { computeTotals } from './invoice';
import type { Invoice } from './types';

/** Banker's rounding to whole cents: halves go to the nearest even cent. */
function roundHalfEven(cents: number): number {
  const floor = Math.floor(cents);
  const diff = cents - floor;
  if (Math.abs(diff - 0.5) < 1e-9) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(cents);
}

function formatMoney(cents: number, symbol = '$'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % 100).toString().padStart(2, '0');
  return `${sign}${symbol}${whole}.${frac}`;
}

export interface MonthlyRow {
  month: string;
  invoices: number;
  revenue: number;
  averageInvoice: number;
}

/** Groups invoices by `issuedOn` month (YYYY-MM) and sums their totals, in cents. */
export function monthlyRevenue(invoices: Invoice[]): MonthlyRow[] {
  const byMonth = new Map<string, number[]>();
  for (const invoice of invoices) {
    const month = invoice.issuedOn.slice(0, 7);
    const totals = byMonth.get(month) ?? [];
    totals.push(computeTotals(invoice).total);
    byMonth.set(month, totals);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, totals]) => {
      const revenue = totals.reduce((a, b) => a + b, 0);
      return {
        month,
        invoices: totals.length,
        revenue,
        averageInvoice: roundHalfEven(revenue / totals.length),
      };
    });
}

export function renderReport(invoices: Invoice[]): string {
  return monthlyRevenue(invoices)
    .map(
      (r) =>
        `${r.month}  ${String(r.invoices).padStart(3)}  ${formatMoney(r.revenue).padStart(12)}  avg ${formatMoney(r.averageInvoice)}`,
    )
    .join('\n');
}
