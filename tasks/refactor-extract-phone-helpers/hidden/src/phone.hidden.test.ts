import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './phone';

describe('phone helpers', () => {
  it('normalises national, 00-prefixed and formatted numbers to E.164', () => {
    expect(normalizePhone('07700 900123')).toBe('+447700900123');
    expect(normalizePhone('(01632) 960-001')).toBe('+441632960001');
    expect(normalizePhone('0049 30 123456')).toBe('+4930123456');
    expect(normalizePhone('06 12 34 56 78', '33')).toBe('+33612345678');
  });

  it('rejects numbers without a country code and impossible lengths', () => {
    expect(() => normalizePhone('7700900123')).toThrow('needs a country code or a leading 0');
    expect(() => normalizePhone('+44 12')).toThrow('invalid phone number "+44 12"');
  });

  it('masks all but the first and last three characters', () => {
    expect(maskPhone('+447700900123')).toBe('+44*******123');
    expect(maskPhone('+1234567')).toBe('+12**567');
  });
});
