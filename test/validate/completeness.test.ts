/** Truncated and placeholder output: brackets open at end of file, placeholder comments, stubs, max_tokens. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCompletenessValidator, unclosedBrackets } from '../../src/validate/completeness.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { makeRepo } from './support/fixture-repo.ts';

describe('unclosedBrackets', () => {
  it('finds the brackets still open, innermost last, with their lines', () => {
    expect(unclosedBrackets('function f() {\n  if (x) {\n    g([1, 2')).toEqual([
      { char: '{', line: 1 },
      { char: '{', line: 2 },
      { char: '(', line: 3 },
      { char: '[', line: 3 },
    ]);
  });
  it('ignores brackets in strings, comments, template text and regexes', () => {
    const text = "const a = '{[(';\n// {{{\n/* ( */\nconst t = `}${ {a: 1}.a }{`;\nconst r = /[(]/.test(a);\n";
    expect(unclosedBrackets(text)).toEqual([]);
  });
  it('is empty for balanced code', () => {
    expect(unclosedBrackets('export function f(a: number[]) { return a.map((x) => ({ x })); }\n')).toEqual([]);
  });
});

describe('completeness validator', () => {
  const repo = makeRepo({ 'src/old.ts': "export function legacy(): never {\n  throw new Error('Not implemented');\n}\n" });
  afterAll(() => repo.cleanup());
  const run = async (files: Record<string, string>, lastStopReason?: string) => {
    const touched = repo.write(files);
    const ws = new Workspace(repo.root, 'base');
    ws.refresh(touched);
    return createCompletenessValidator(ws).validate({ root: repo.root, baseRef: 'base', touchedFiles: touched, lastStopReason });
  };

  it('flags each placeholder form on its line', async () => {
    const text = [
      'export class Store {',
      '  // ... existing code ...',
      '  load(): void {',
      '    // rest of the implementation unchanged',
      '  }',
      '  save(): void {',
      '    ...',
      '  }',
      '  // TODO: implement delete',
      '  remove(): void {',
      "    throw new Error('Not implemented');",
      '  }',
      '}',
    ].join('\n');
    const found = await run({ 'src/store.ts': text });
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['completeness/placeholder-comment', 2],
      ['completeness/placeholder-comment', 4],
      ['completeness/ellipsis-body', 7],
      ['completeness/todo-implement', 9],
      ['completeness/not-implemented', 11],
    ]);
  });

  it('does not blame a stub that was already there at base, but flags a new one', async () => {
    const found = await run({ 'src/old.ts': "export function legacy(): never {\n  throw new Error('Not implemented');\n}\nexport function fresh(): never {\n  throw new Error('not yet implemented');\n}\n" });
    expect(found.map((f) => [f.rule, f.line])).toEqual([['completeness/not-implemented', 5]]);
  });

  it('leaves spread syntax and ordinary comments alone', async () => {
    expect(await run({ 'src/ok.ts': 'export const merge = (a: object, b: object) => ({ ...a, ...b });\n// wait... this is fine\nexport const xs = [...[1, 2]];\n' })).toEqual([]);
  });

  it('reports truncation at the end of the file and a max_tokens stop', async () => {
    const found = await run({ 'src/cut.ts': 'export function f(a: number) {\n  if (a > 1) {\n    return a *' }, 'max_tokens');
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['completeness/truncated', 3],
      ['completeness/max-tokens', 0],
    ]);
    expect(found[0]!.message).toContain("innermost '{' opened at line 2");
  });
});
