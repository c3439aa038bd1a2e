import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteFileTool } from '../../src/tools/delete-file.ts';
import { makeRepo } from './helpers.ts';

const tool = deleteFileTool();

describe('delete_file', () => {
  it('removes the file and shows the removed lines as a diff against /dev/null', async () => {
    const root = makeRepo({ 'src/old.ts': 'export const a = 1;\nexport const b = 2;\n' });
    const r = await tool.run({ path: 'src/old.ts' }, { root });
    expect(r.ok).toBe(true);
    expect(existsSync(path.join(root, 'src/old.ts'))).toBe(false);
    expect(r.changedFiles).toEqual(['src/old.ts']);
    expect(r.diff).toMatch(/^--- a\/src\/old\.ts\n\+\+\+ \/dev\/null\n/m);
    expect(r.llmContent).toContain('-2 lines');
  });

  it('refuses a missing file, a directory, a locked file and a path outside the repository', async () => {
    const root = makeRepo({ 'test/a.test.ts': 'x\n' });
    mkdirSync(path.join(root, 'src'));
    const locked = { root, readOnly: (rel: string) => rel.startsWith('test/') };
    expect((await tool.run({ path: 'src/none.ts' }, { root })).llmContent).toMatch(/does not exist/);
    expect((await tool.run({ path: 'src' }, { root })).llmContent).toMatch(/is a directory/);
    expect((await tool.run({ path: 'test/a.test.ts' }, locked)).llmContent).toMatch(/locked/);
    expect((await tool.run({ path: '../outside.ts' }, { root })).ok).toBe(false);
    expect(existsSync(path.join(root, 'test/a.test.ts'))).toBe(true);
  });
});
