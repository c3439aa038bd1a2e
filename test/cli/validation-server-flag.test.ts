/** When a run uses the warm validation server: the flag and PATCHLOOP_VALIDATION_SERVER decide, else not under CI. */
import { describe, expect, it } from 'vitest';
import { validationServerWanted } from '../../src/cli/wiring.ts';

describe('validationServerWanted', () => {
  it('is on for a developer, off under CI, and the flag and the variable win', () => {
    expect(validationServerWanted(true, {})).toBe(true);
    expect(validationServerWanted(true, { CI: 'true' })).toBe(false);
    expect(validationServerWanted(true, { CI: 'false' })).toBe(true);
    expect(validationServerWanted(true, { CI: 'true', PATCHLOOP_VALIDATION_SERVER: '1' })).toBe(true);
    expect(validationServerWanted(true, { PATCHLOOP_VALIDATION_SERVER: '0' })).toBe(false);
    expect(validationServerWanted(false, { PATCHLOOP_VALIDATION_SERVER: '1' })).toBe(false);
  });
});
