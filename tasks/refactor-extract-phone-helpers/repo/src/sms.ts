import type { Contact, SmsJob } from './types';

/** A single GSM-7 SMS segment; longer texts are split and billed per segment. */
const SEGMENT = 160;

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

export function segments(body: string): number {
  return Math.max(1, Math.ceil(body.length / SEGMENT));
}

/** Builds the outbox job; refuses opted-out contacts (PECR). */
export function buildSmsJob(contact: Contact, body: string): SmsJob {
  if (contact.optedOut) throw new Error(`contact ${contact.id} opted out of SMS`);
  const to = normalizePhone(contact.phone);
  const short = body.length > 40 ? `${body.slice(0, 37)}...` : body;
  return { to, body, preview: `To ${maskPhone(to)}: ${short}` };
}
