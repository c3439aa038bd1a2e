import { computeTotals, lineTotal } from './invoice';
import type { Invoice } from './types';

const WIDTH = 40;

function formatMoney(cents: number, symbol = '$'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % 100).toString().padStart(2, '0');
  return `${sign}${symbol}${whole}.${frac}`;
}

function row(left: string, right: string): string {
  const space = Math.max(1, WIDTH - left.length - right.length);
  return left + ' '.repeat(space) + right;
}

/** Plain-text receipt, one line per item, right-aligned amounts. */
export function renderReceipt(invoice: Invoice): string {
  const lines = [`Receipt ${invoice.number}`, `Customer: ${invoice.customer}`, '-'.repeat(WIDTH)];
  for (const item of invoice.items) {
    const label = item.quantity > 1 ? `${item.quantity} x ${item.description}` : item.description;
    lines.push(row(label, formatMoney(lineTotal(item))));
  }
  const totals = computeTotals(invoice);
  lines.push('-'.repeat(WIDTH));
  lines.push(row('Subtotal', formatMoney(totals.subtotal)));
  lines.push(row('Tax', formatMoney(totals.tax)));
  lines.push(row('TOTAL', formatMoney(totals.total)));
  return lines.join('\n');
}
