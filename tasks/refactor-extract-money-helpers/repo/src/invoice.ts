import type { Invoice, InvoiceTotals, LineItem } from './types';

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

export function lineTotal(item: LineItem): number {
  if (!Number.isInteger(item.unitPrice)) {
    throw new Error(`unitPrice for ${item.sku} must be integer cents, got ${item.unitPrice}`);
  }
  return item.unitPrice * item.quantity;
}

export function computeTotals(invoice: Invoice): InvoiceTotals {
  const subtotal = invoice.items.reduce((sum, item) => sum + lineTotal(item), 0);
  const tax = roundHalfEven(subtotal * invoice.taxRate);
  return { subtotal, tax, total: subtotal + tax };
}

export function describeTotals(invoice: Invoice): string {
  const { subtotal, tax, total } = computeTotals(invoice);
  return [
    `Subtotal: ${formatMoney(subtotal)}`,
    `Tax (${(invoice.taxRate * 100).toFixed(2)}%): ${formatMoney(tax)}`,
    `Total: ${formatMoney(total)}`,
  ].join('\n');
}
