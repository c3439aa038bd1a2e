/** `npx <bin>` runs the project's own bin directly when it has one; anything else is left to npx. */
import { describe, expect, it } from 'vitest';
import { preferLocalBin } from '../../src/sandbox/local-bin.ts';

const has = (...bins: string[]) => (p: string) => bins.some((b) => p === `/r/node_modules/.bin/${b}`);

describe('preferLocalBin', () => {
  it('rewrites npx <bin> at the start of each segment when the bin is installed', () => {
    expect(preferLocalBin('npx vitest run', '/r', has('vitest'))).toBe('node_modules/.bin/vitest run');
    expect(preferLocalBin('npx tsc --noEmit && npx vitest run src', '/r', has('vitest', 'tsc'))).toBe('node_modules/.bin/tsc --noEmit && node_modules/.bin/vitest run src');
  });

  it('leaves npx alone for a missing bin, flags, package specs, and npx inside arguments', () => {
    expect(preferLocalBin('npx vitest run', '/r', has())).toBe('npx vitest run');
    expect(preferLocalBin('npx -y vitest run', '/r', has('vitest'))).toBe('npx -y vitest run');
    expect(preferLocalBin('npx vitest@3 run', '/r', has('vitest'))).toBe('npx vitest@3 run');
    expect(preferLocalBin('echo npx vitest', '/r', has('vitest'))).toBe('echo npx vitest');
    expect(preferLocalBin('npm test', '/r', has('vitest'))).toBe('npm test');
  });
});
