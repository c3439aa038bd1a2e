/**
 * The harness-overhead benchmark's bare loop (test/bench/overhead-sides.ts) must do the same work as
 * `patchloop run`, or the ratio means nothing: it applies the scripted edit calls over real HTTP and
 * exits with the test command's status.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { goldScript, writeBareLoop } from './overhead-sides.ts';
import type { EditCall } from '../../src/model/gold-edits.ts';

const cleanup: string[] = [];
let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function bare(calls: EditCall[], testCmd: string): Promise<{ code: number | null; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-bare-test-'));
  const loop = writeBareLoop();
  cleanup.push(dir, path.dirname(loop));
  writeFileSync(path.join(dir, 'add.mjs'), 'export const add = (a, b) => a - b;\n// keep\n');
  writeFileSync(path.join(dir, 'gone.txt'), 'old\n');
  server = await startAnthropicServer({ script: goldScript(calls) });
  // Asynchronous: the server answers from this process's event loop.
  const code = await new Promise<number | null>((resolve) => {
    execFile(process.execPath, [loop, server!.baseURL, testCmd, 'fix add'], { cwd: dir, env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test' } }, (err) => resolve(err ? ((err as { code?: number }).code ?? null) : 0));
  });
  return { code, dir };
}

const fix: EditCall[] = [
  { name: 'str_replace', input: { path: 'add.mjs', old_str: 'a - b', new_str: 'a + b' } },
  { name: 'create_file', input: { path: 'lib/new.mjs', content: 'export const one = 1;\n' } },
  { name: 'delete_file', input: { path: 'gone.txt' } },
];
const check = `node -e "import('./add.mjs').then((m) => process.exit(m.add(1, 2) === 3 ? 0 : 1))"`;

describe('the bare loop of the overhead benchmark', () => {
  it('applies every edit call of the first reply, sends the tool results back and stops at end_turn', async () => {
    const { code, dir } = await bare(fix, check);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'add.mjs'), 'utf8')).toBe('export const add = (a, b) => a + b;\n// keep\n');
    expect(readFileSync(path.join(dir, 'lib/new.mjs'), 'utf8')).toBe('export const one = 1;\n');
    expect(() => readFileSync(path.join(dir, 'gone.txt'))).toThrow();
    const messages = server!.requests.filter((r) => r.path.startsWith('/v1/messages'));
    expect(messages).toHaveLength(2);
    const results = messages[1]!.body.messages.at(-1).content;
    expect(results.map((b: { tool_use_id: string; content: string }) => [b.tool_use_id, b.content])).toEqual([['toolu_gold_1', 'done'], ['toolu_gold_2', 'done'], ['toolu_gold_3', 'done']]);
  });

  it('exits non-zero when the test command fails after the edits', async () => {
    const { code, dir } = await bare(fix.slice(1), check);
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, 'add.mjs'), 'utf8')).toContain('a - b');
  });

  it('stays within 40 lines', () => {
    const loop = writeBareLoop();
    cleanup.push(path.dirname(loop));
    expect(readFileSync(loop, 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(40);
    expect(execFileSync(process.execPath, ['--check', loop]).toString()).toBe('');
  });
});
