import { describe, expect, it } from 'vitest';
import { createPayee, describePayee, PayeeError } from './payee';

describe('payees', () => {
  it('stores the normalised IBAN and prints it grouped', () => {
    const p = createPayee({ name: ' Jane Doe ', iban: 'de89 3704 0044 0532 0130 00' });
    expect(p).toEqual({ name: 'Jane Doe', iban: 'DE89370400440532013000', country: 'DE' });
    expect(describePayee(p)).toBe('Jane Doe (DE) DE89 3704 0044 0532 0130 00');
  });

  it('explains why an IBAN is refused', () => {
    expect(() => createPayee({ name: 'Jo', iban: 'DE88 3704 0044 0532 0130 00' })).toThrow(
      'IBAN has a wrong check digit (typo?)',
    );
    expect(() => createPayee({ name: 'J', iban: 'x' })).toThrow(PayeeError);
  });
});
