import { describe, expect, it } from 'vitest';
import { buildSmsJob, segments } from './sms';

describe('sms jobs', () => {
  it('addresses the normalised number and masks it in the preview', () => {
    const job = buildSmsJob(
      { id: 'c1', name: 'Ann', phone: '07700 900123' },
      'Your parcel arrives tomorrow between 9am and 1pm.',
    );
    expect(job.to).toBe('+447700900123');
    expect(job.preview).toBe('To +44*******123: Your parcel arrives tomorrow between ...');
  });

  it('refuses opted-out contacts and counts segments', () => {
    expect(() =>
      buildSmsJob({ id: 'c2', name: 'B', phone: '+33612345678', optedOut: true }, 'hi'),
    ).toThrow('opted out');
    expect(segments('x'.repeat(161))).toBe(2);
  });
});
