import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editCalls, patchChanges } from '../../src/model/gold-edits.ts';
import { GoldProvider } from '../../src/model/gold.ts';
import { createToolset, runToolCall } from '../../src/tools/index.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function repo(): { dir: string; git: (...a: string[]) => string; write: (rel: string, text: string) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-gold-'));
  dirs.push(dir);
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  const write = (rel: string, text: string) => { mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); writeFileSync(path.join(dir, rel), text); };
  return { dir, git, write };
}

const REPEATED = Array.from({ length: 12 }, (_, i) => `  if (x === ${i % 3}) return x;\n`).join('');

describe('the gold provider plays a patch as edit tool calls', () => {
  it('reproduces new, modified (repeated lines, no final newline, CRLF), deleted and renamed files byte for byte', async () => {
    const { dir, git, write } = repo();
    write('src/a.ts', `export function f(x: number) {\n${REPEATED}  return -1;\n}\n`);
    write('src/b.ts', 'export const b = 1;\nexport const c = 2;');
    write('src/crlf.ts', 'export const one = 1;\r\nexport const two = 2;\r\n');
    write('src/gone.ts', 'export const gone = true;\n');
    write('src/old-name.ts', 'export const moved = 1;\n');
    write('src/empty.ts', '');
    git('add', '-A'); git('commit', '-q', '-m', 'base');
    const base = git('rev-parse', 'HEAD').trim();
    // Change the 7th of twelve near-identical lines, append at the end, edit the last line without a newline.
    write('src/a.ts', `export function f(x: number) {\n${REPEATED.replace(/(( {2}if \(x === \d\) return x;\n){6}) {2}if \(x === 0\) return x;\n/, '$1  if (x === 0) return 0;\n')}  return -1;\n}\n\nexport const added = 'tail';\n`);
    write('src/b.ts', 'export const b = 1;\nexport const c = 3;');
    write('src/crlf.ts', 'export const one = 1;\r\nexport const two = 22;\r\n');
    rmSync(path.join(dir, 'src/gone.ts'));
    rmSync(path.join(dir, 'src/old-name.ts'));
    write('src/new-name.ts', 'export const moved = 1;\n');
    write('src/new.ts', 'export const fresh = "new";\n');
    write('src/empty.ts', 'export {};\n');
    git('add', '-A'); git('commit', '-q', '-m', 'change');
    const head = git('rev-parse', 'HEAD').trim();
    const patch = git('diff', '--full-index', base, head);
    git('checkout', '-q', base);

    const calls = editCalls(await patchChanges(dir, base, patch));
    expect(calls.filter((c) => c.name === 'str_replace').length).toBeGreaterThanOrEqual(3);
    const tools = createToolset();
    for (const c of calls) {
      const r = await runToolCall(tools, c.name, c.input, { root: dir });
      expect(r.ok, `${c.name} ${c.input['path']}: ${r.llmContent}`).toBe(true);
    }
    for (const file of ['src/a.ts', 'src/b.ts', 'src/crlf.ts', 'src/new-name.ts', 'src/new.ts', 'src/empty.ts']) {
      expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(git('show', `${head}:${file}`));
    }
    expect(existsSync(path.join(dir, 'src/gone.ts'))).toBe(false);
    expect(existsSync(path.join(dir, 'src/old-name.ts'))).toBe(false);
    git('add', '-A');
    expect(git('diff', '--cached', head)).toBe('');
  });

  it('answers the plan turn with text, the first edit turn with every call, later turns with text only', async () => {
    const gold = new GoldProvider([{ name: 'create_file', input: { path: 'x.ts', content: 'x' } }, { name: 'delete_file', input: { path: 'y.ts' } }]);
    const req = { system: '', context: '', messages: [], tools: [], maxTokens: 100 };
    const plan = await gold.complete(req);
    expect(plan.stopReason).toBe('end_turn');
    const edit = await gold.complete(req);
    expect(edit.stopReason).toBe('tool_use');
    expect(edit.content.filter((b) => b.type === 'tool_use').map((b) => (b as { name: string }).name)).toEqual(['create_file', 'delete_file']);
    const after = await gold.complete(req);
    expect(after.content.some((b) => b.type === 'tool_use')).toBe(false);
  });

  it('refuses a patch that does not apply to the base', async () => {
    const { dir, git, write } = repo();
    write('a.txt', 'one\n');
    git('add', '-A'); git('commit', '-q', '-m', 'base');
    const bad = 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-two\n+three\n';
    await expect(patchChanges(dir, 'HEAD', bad)).rejects.toThrow(/patch does not apply|a\.txt/);
  });
});
