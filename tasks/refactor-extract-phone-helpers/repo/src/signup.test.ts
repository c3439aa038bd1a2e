import { describe, expect, it } from 'vitest';
import { validateSignup } from './signup';

describe('validateSignup', () => {
  it('normalises the number for the chosen country and masks the hint', () => {
    expect(
      validateSignup({ email: ' Ann@Example.com', phone: '087 123 4567', country: 'IE' }),
    ).toEqual({
      email: 'ann@example.com',
      phone: '+353871234567',
      phoneHint: '+35*******567',
    });
  });

  it('rejects unknown countries and bad numbers', () => {
    expect(() => validateSignup({ email: 'a@b.co', phone: '07700 900123', country: 'US' })).toThrow(
      'we do not sign up customers in US yet',
    );
    expect(() => validateSignup({ email: 'a@b.co', phone: '7700 900123' })).toThrow(
      'needs a country code or a leading 0',
    );
  });
});
