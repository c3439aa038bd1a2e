import { formatIban, validateIban } from './iban';

export interface Payee {
  name: string;
  iban: string;
  country: string;
}

export class PayeeError extends Error {
  constructor(
    message: string,
    readonly field: 'name' | 'iban',
  ) {
    super(message);
    this.name = 'PayeeError';
  }
}

const REASONS = {
  format: 'does not look like an IBAN',
  country: 'is from a country we do not pay out to',
  length: 'has the wrong length for its country',
  checksum: 'has a wrong check digit (typo?)',
} as const;

export function createPayee(input: { name: string; iban: string }): Payee {
  const name = input.name.trim();
  if (name.length < 2) throw new PayeeError('name is required', 'name');
  const check = validateIban(input.iban);
  if (!check.valid) throw new PayeeError(`IBAN ${REASONS[check.reason]}`, 'iban');
  return { name, iban: check.iban, country: check.country };
}

export function describePayee(p: Payee): string {
  return `${p.name} (${p.country}) ${formatIban(p.iban)}`;
}
