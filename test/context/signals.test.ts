/** What the ranking reads from a task, its failing tests and their output. */
import { describe, expect, it } from 'vitest';
import { extractSignals, wordsOf } from '../../src/context/signals.ts';

describe('extractSignals', () => {
  it('splits identifiers into stems shared by their variants, dropping stop words', () => {
    expect(wordsOf('parseURLQuery')).toEqual(['pars', 'url', 'query']);
    expect(wordsOf('The parser fails when parsing')).toEqual(['pars', 'fail', 'pars']);
  });

  it('reads identifiers, dotted names, paths, test files and stack frames', () => {
    const s = extractSignals({
      task: 'Router.route drops the base set in `src/router.ts`',
      tests: ['test/router.test.ts::route > keeps the base', 'test/other.spec.ts'],
      failureText: 'AssertionError: expected\n    at joinBase (/work/repo/src/join.ts:14:9)\n    at test/router.test.ts:3:1',
    });
    expect([...s.qualified]).toEqual(['Router.route']);
    expect(s.identifiers.has('Router') && s.identifiers.has('route') && s.identifiers.has('joinBase')).toBe(true);
    expect(s.testFiles).toEqual(['test/other.spec.ts', 'test/router.test.ts']);
    expect(s.locations).toEqual([{ file: 'src/router.ts' }, { file: 'work/repo/src/join.ts', line: 14 }, { file: 'test/router.test.ts', line: 3 }]);
    expect([...s.testWords]).toEqual(['rout', 'keep', 'bas']);
  });
});
