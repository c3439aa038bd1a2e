/** IBAN lengths per country (subset we pay out to). Source: SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  BE: 16,
  CH: 21,
  DE: 22,
  ES: 24,
  FR: 27,
  GB: 22,
  IT: 27,
  NL: 18,
};

export type IbanCheck =
  | { valid: true; iban: string; country: string }
  | { valid: false; reason: 'format' | 'country' | 'length' | 'checksum' };

/** Removes spaces and dashes and upper-cases, so pasted `de89 3704-0044…` works. */
export function normalizeIban(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** ISO 7064 mod 97-10 over a digit string, in 7-digit chunks to stay within safe integers. */
export function mod97(digits: string): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 7) {
    remainder = Number(String(remainder) + digits.slice(i, i + 7)) % 97;
  }
  return remainder;
}

/** Letters become two digits: A = 10 … Z = 35. */
function toDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 65 && code <= 90 ? String(code - 55) : ch;
  }
  return out;
}

/** Validates format, country, length and the mod-97 checksum, in that order. */
export function validateIban(input: string): IbanCheck {
  const iban = normalizeIban(input);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return { valid: false, reason: 'format' };
  const country = iban.slice(0, 2);
  const expected = IBAN_LENGTHS[country];
  if (expected === undefined) return { valid: false, reason: 'country' };
  if (iban.length !== expected) return { valid: false, reason: 'length' };
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  if (mod97(toDigits(rearranged)) !== 1) return { valid: false, reason: 'checksum' };
  return { valid: true, iban, country };
}

/** Print format: groups of four separated by single spaces. */
export function formatIban(iban: string): string {
  return normalizeIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}
