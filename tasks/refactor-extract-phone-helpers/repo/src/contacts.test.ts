import { describe, expect, it } from 'vitest';
import { importContacts } from './contacts';

describe('importContacts', () => {
  it('dedupes by normalised number and reports bad rows', () => {
    let n = 0;
    const report = importContacts(
      [
        ['Ann', '07700 900123'],
        ['Ann (work)', '+44 7700-900123'],
        ['Bob', '0033 6 12 34 56 78'],
        ['Eve', 'n/a'],
      ],
      () => `c${++n}`,
    );
    expect(report.contacts).toEqual([
      { id: 'c1', name: 'Ann', phone: '+447700900123' },
      { id: 'c2', name: 'Bob', phone: '+33612345678' },
    ]);
    expect(report.duplicates).toBe(1);
    expect(report.rejected).toEqual([
      { row: 4, reason: 'phone number "n/a" needs a country code or a leading 0' },
    ]);
  });
});
