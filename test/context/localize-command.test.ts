/** `patchloop localize` as a user runs it, and the one-call read of the candidates. */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { runCli } from '../support/cli.ts';
import { readCandidatesTool } from '../../src/context/read-candidates.ts';
import { LIBRARY, makeRepo } from './fixture.ts';

const root = makeRepo(LIBRARY);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('patchloop localize', () => {
  it('prints the ranked candidates as JSON, best first, paths relative to the repository', async () => {
    const r = await runCli(['localize', '--repo', root, '--task', 'Router.route ignores the base path', '--json', '--top', '2']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { files: { file: string; score: number; symbols: { name: string; line: number }[] }[] };
    expect(json.files).toHaveLength(2);
    expect(json.files[0]!.file).toBe('packages/core/src/url.ts');
    expect(json.files[0]!.symbols.slice(0, 2).map((s) => [s.name, s.line])).toEqual([['Router.route', 8], ['Router', 7]]);
    expect(json.files[0]!.score).toBeGreaterThan(json.files[1]!.score);
  });

  it('refuses a missing --task with a usage error naming the fix', async () => {
    const r = await runCli(['localize', '--repo', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('localize needs --task');
  });
});

describe('read_candidates', () => {
  it('returns the candidates’ symbol ranges with margins in one call and refuses bad input', async () => {
    const tool = readCandidatesTool([
      { file: 'packages/core/src/url.ts', score: 0.5, symbols: [{ name: 'Router.route', kind: 'method', line: 8, endLine: 10 }] },
      { file: 'packages/core/src/strings.ts', score: 0.2, symbols: [] },
      { file: '../outside.ts', score: 0.1, symbols: [] },
    ]);
    const r = await tool.run({ top: 3 }, { root });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toContain('=== packages/core/src/url.ts (11 lines; Router.route 8-10)');
    expect(r.llmContent).toContain('    5|   return { host, path };');
    expect(r.llmContent).not.toContain('    1| import');
    expect(r.llmContent).toContain('    1| export function splitOnce');
    expect(r.llmContent).toMatch(/\.\.\/outside\.ts: .*outside/);
    expect((await tool.run({ top: 99 }, { root })).ok).toBe(false);
  });
});
