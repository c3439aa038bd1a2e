/** Base comparison: added lines, the multiset "new findings only" rule, and the base reader's errors. */
import { describe, expect, it } from 'vitest';
import { BaseReader, addedLines, findingKey, newFindings, newFindingsAcrossFiles } from '../../src/validate/base.ts';
import type { Finding } from '../../src/validate/types.ts';

const f = (line: number, message = 'Type X is not assignable', rule = 'TS2322', file = 'a.ts'): Finding => ({ validator: 'types', file, line, column: 1, rule, message, severity: 'error' });

describe('addedLines', () => {
  it('marks inserted and changed lines in the new text', () => {
    expect([...addedLines('a\nb\nc\n', 'a\nX\nb\nc2\n')]).toEqual([2, 4]);
  });
  it('treats a new file as all added', () => {
    expect([...addedLines(undefined, 'x\ny')]).toEqual([1, 2]);
  });
  it('is empty when nothing changed', () => {
    expect(addedLines('same\n', 'same\n').size).toBe(0);
  });
});

describe('newFindings', () => {
  it('drops findings present at base even when their line moved', () => {
    expect(newFindings([f(12)], [f(3)])).toEqual([]);
  });
  it('counts duplicates: two at base, three now → one new', () => {
    expect(newFindings([f(1), f(5), f(9)], [f(1), f(5)])).toEqual([f(9)]);
  });
  it('keeps a finding whose message or file differs', () => {
    expect(newFindings([f(1, 'other')], [f(1)])).toHaveLength(1);
    expect(newFindings([f(1, undefined, undefined, 'b.ts')], [f(1)])).toHaveLength(1);
  });
  it('normalises positions inside messages', () => {
    expect(findingKey(f(1, 'declared at a.ts:10:4'))).toBe(findingKey(f(1, 'declared at a.ts:22:8')));
  });
});

describe('newFindingsAcrossFiles', () => {
  it('does not report a finding that moved to another changed file', () => {
    expect(newFindingsAcrossFiles([f(4, 'm', 'R', 'dest.ts')], [f(9, 'm', 'R', 'src.ts')])).toEqual([]);
  });
  it('still reports a new one in the file where it appeared, using exact-file matches first', () => {
    const stays = f(2, 'm', 'R', 'a.ts');
    const fresh = f(7, 'm', 'R', 'b.ts');
    expect(newFindingsAcrossFiles([stays, fresh], [f(2, 'm', 'R', 'a.ts')])).toEqual([fresh]);
  });
});

describe('BaseReader', () => {
  it('names the bad ref and the fix', async () => {
    const reader = new BaseReader('/repo', 'nope', async () => {
      throw new Error('fatal: bad revision');
    });
    await expect(reader.read('a.ts')).rejects.toThrow(/baseRef "nope" is not a commit.*pass an existing branch/);
  });
  it('resolves the ref once, reads through git show, and returns undefined for files absent at base', async () => {
    const calls: string[] = [];
    const reader = new BaseReader('/repo', 'main', async (args) => {
      calls.push(args.join(' '));
      if (args[0] === 'rev-parse') return 'abc123\n';
      if (args[1] === 'abc123:src/a.ts') return 'export {};\n';
      throw new Error('not found');
    });
    expect(await reader.read('src/a.ts')).toBe('export {};\n');
    expect(await reader.read('src/a.ts')).toBe('export {};\n');
    expect(await reader.read('src/new.ts')).toBeUndefined();
    expect(calls).toEqual(['rev-parse --verify main^{commit}', 'show abc123:src/a.ts', 'show abc123:src/new.ts']);
  });
});
