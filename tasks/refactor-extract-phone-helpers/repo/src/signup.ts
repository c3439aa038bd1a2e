export interface SignupInput {
  email: string;
  phone: string;
  country?: string;
}

export interface SignupResult {
  email: string;
  phone: string;
  /** Shown on the "we sent you a code" screen. */
  phoneHint: string;
}

/** Country calling codes for the markets we sign up in. */
const CALLING_CODES: Record<string, string> = { GB: '44', IE: '353', FR: '33', DE: '49' };

/**
 * E.164 from user input: strips spaces, dashes, dots and parentheses; a `00` prefix becomes `+`;
 * a national number with a leading 0 gets `defaultCode`.
 */
function normalizePhone(raw: string, defaultCode = '44'): string {
  let digits = raw.trim().replace(/[\s().-]/g, '');
  if (digits.startsWith('00')) digits = '+' + digits.slice(2);
  if (!digits.startsWith('+')) {
    if (!digits.startsWith('0')) {
      throw new Error(`phone number "${raw}" needs a country code or a leading 0`);
    }
    digits = `+${defaultCode}${digits.slice(1)}`;
  }
  if (!/^\+\d{8,15}$/.test(digits)) throw new Error(`invalid phone number "${raw}"`);
  return digits;
}

/** Keeps the first 3 and last 3 characters: +44*******123. */
function maskPhone(e164: string): string {
  return e164.slice(0, 3) + '*'.repeat(Math.max(0, e164.length - 6)) + e164.slice(-3);
}

export function validateSignup(input: SignupInput): SignupResult {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`invalid email "${input.email}"`);
  const code = CALLING_CODES[input.country ?? 'GB'];
  if (!code) throw new Error(`we do not sign up customers in ${input.country} yet`);
  const phone = normalizePhone(input.phone, code);
  return { email, phone, phoneHint: maskPhone(phone) };
}
