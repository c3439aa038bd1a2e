import type { Contact } from './types';

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

export interface ImportReport {
  contacts: Contact[];
  duplicates: number;
  rejected: Array<{ row: number; reason: string }>;
}

/** Imports CSV-ish rows of [name, phone]; the first row with a given number wins. */
export function importContacts(rows: Array<[string, string]>, nextId: () => string): ImportReport {
  const byPhone = new Map<string, Contact>();
  const rejected: ImportReport['rejected'] = [];
  let duplicates = 0;
  rows.forEach(([name, rawPhone], i) => {
    let phone: string;
    try {
      phone = normalizePhone(rawPhone);
    } catch (e) {
      rejected.push({ row: i + 1, reason: (e as Error).message });
      return;
    }
    if (byPhone.has(phone)) {
      duplicates++;
      return;
    }
    byPhone.set(phone, { id: nextId(), name: name.trim(), phone });
  });
  return { contacts: [...byPhone.values()], duplicates, rejected };
}
