import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/tools/glob.ts';

const cases: Array<[string, string, boolean]> = [
  ['*.ts', 'src/a.ts', true],
  ['*.ts', 'src/a.tsx', false],
  ['src/*.ts', 'src/a.ts', true],
  ['src/*.ts', 'src/x/a.ts', false],
  ['src/**/*.ts', 'src/a.ts', true],
  ['src/**/*.ts', 'src/x/y/a.ts', true],
  ['**/test/*.ts', 'test/a.ts', true],
  ['src/**', 'src/x/y', true],
  ['*.{ts,tsx}', 'a/b.tsx', true],
  ['file?.js', 'file1.js', true],
  ['file?.js', 'file10.js', false],
  ['[ab].js', 'b.js', true],
  ['[!ab].js', 'b.js', false],
  ['a.b', 'axb', false],
  ['./src/*.ts', 'src/a.ts', true],
];

describe('globMatcher', () => {
  it.each(cases)('%s vs %s → %s', (glob, file, want) => {
    expect(globMatcher(glob)(file)).toBe(want);
  });
});
