import type { Invoice } from './types';

export function makeInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    number: 'INV-1001',
    customer: 'Acme Corp',
    issuedOn: '2024-03-14',
    taxRate: 0.0825,
    items: [
      { sku: 'WID-1', description: 'Widget', quantity: 3, unitPrice: 1250 },
      { sku: 'GAD-7', description: 'Gadget', quantity: 1, unitPrice: 99999 },
    ],
    ...overrides,
  };
}
