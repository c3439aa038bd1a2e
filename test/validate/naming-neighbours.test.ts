/**
 * The naming rule takes a new file's convention from its neighbours (same directory, then the
 * repository), not from the new file alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { namingFindings } from '../../src/validate/style.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { addedLines } from '../../src/validate/base.ts';
import { makeRepo } from './support/fixture-repo.ts';

const CAMEL = 'export function loadRows(rowCount: number): number[] {\n  const outRows: number[] = [];\n  return outRows.slice(0, rowCount);\n}\n';
const SNAKE = 'export function load_rows(row_count: number): number[] {\n  const out_rows: number[] = [];\n  return out_rows.slice(0, row_count);\n}\n';
const NEW_SNAKE = 'export function save_rows(row_list: number[]): number {\n  const row_total = row_list.length;\n  return row_total;\n}\n';

const repo = makeRepo({ 'package.json': '{"type":"module"}', 'src/camel/rows.ts': CAMEL, 'src/snake/rows.ts': SNAKE, 'lib/util.ts': CAMEL });
afterAll(() => repo.cleanup());

function naming(file: string, text: string) {
  const touched = repo.write({ [file]: text });
  const ws = new Workspace(repo.root, 'base');
  ws.refresh(touched);
  return namingFindings(ws, file, addedLines(undefined, text));
}

describe('naming convention of a new file', () => {
  it('is the directory\'s: snake_case names in a new file beside camelCase files are drift', () => {
    const found = naming('src/camel/save.ts', NEW_SNAKE);
    expect(found.map((f) => [f.line, f.suggestion])).toEqual([
      [1, 'rename to saveRows (and its uses)'],
      [1, 'rename to rowList (and its uses)'],
      [2, 'rename to rowTotal (and its uses)'],
    ]);
    expect(found[0]!.message).toMatch(/files in this directory use camelCase/);
  });

  it('accepts the same names beside snake_case files', () => {
    expect(naming('src/snake/save.ts', NEW_SNAKE)).toEqual([]);
  });

  it('falls back to the repository when the directory has no other code', () => {
    const other = makeRepo({ 'package.json': '{"type":"module"}', 'lib/a.ts': CAMEL, 'lib/deep/b.ts': CAMEL });
    try {
      other.write({ 'src/new/save.ts': NEW_SNAKE });
      const ws = new Workspace(other.root, 'base');
      ws.refresh(['src/new/save.ts']);
      const found = namingFindings(ws, 'src/new/save.ts', addedLines(undefined, NEW_SNAKE));
      expect(found.map((f) => f.suggestion)).toEqual(['rename to saveRows (and its uses)', 'rename to rowList (and its uses)', 'rename to rowTotal (and its uses)']);
      expect(found[0]!.message).toMatch(/this repository uses camelCase \(6 of 6/);
    } finally {
      other.cleanup();
    }
  });
});
