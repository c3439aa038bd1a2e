export interface LineItem {
  sku: string;
  description: string;
  quantity: number;
  /** Unit price in integer cents. */
  unitPrice: number;
}

export interface Invoice {
  number: string;
  customer: string;
  issuedOn: string;
  items: LineItem[];
  /** Tax rate as a fraction, e.g. 0.0825 for 8.25%. */
  taxRate: number;
}

export interface InvoiceTotals {
  subtotal: number;
  tax: number;
  total: number;
}
