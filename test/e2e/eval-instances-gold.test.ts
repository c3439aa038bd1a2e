/**
 * `patchloop eval --instances FILE --provider gold` end to end on an instance mined from a small
 * repository: the real loop (sandbox, validation) plays the reference patch, then the instance is
 * scored in a fresh checkout — in both test modes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineRepository } from '../../src/mine/mine.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { evalInstancesAction } from '../../src/cli/commands/eval-instances.ts';
import type { CliIo } from '../../src/cli/main.ts';
import { LINK_INSTALL, makeMinedRepo, type MinedFixture } from '../mine/fixture.ts';

describe('eval --instances --provider gold', () => {
  let fx: MinedFixture;
  let work: string;
  let file: string;

  beforeAll(async () => {
    fx = makeMinedRepo();
    work = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evalgold-'));
    const sandbox = await createSandbox({ backend: 'auto', warn: () => undefined });
    const mined = await mineRepository({ repo: fx.dir, name: 'acme/mini', cacheRoot: path.join(work, 'cache'), install: LINK_INSTALL }, { sandbox });
    file = path.join(work, 'instances.jsonl');
    writeFileSync(file, mined.instances.map((i) => JSON.stringify(i)).join('\n') + '\n');
  }, 60_000);
  afterAll(() => {
    rmSync(fx.dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  for (const tests of ['visible', 'hidden'] as const) {
    it(`resolves the mined instance with its own patch (tests ${tests})`, async () => {
      let out = '';
      const io: CliIo = { out: (t) => void (out += t), err: () => undefined, env: {}, isTTY: false, errStream: process.stderr };
      const outDir = path.join(work, `out-${tests}`);
      const code = await evalInstancesAction({ instances: file, provider: 'gold', tests, repo: fx.dir, cache: path.join(work, 'cache'), sandbox: 'auto', out: outDir }, io);
      expect(out).toMatch(new RegExp(`resolved +acme__mini-${fx.shas.fix.slice(0, 7)} +F2P 1/1 +P2P 1/1 +blocking 0`));
      expect(code).toBe(0);
      const [result] = readFileSync(path.join(outDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(result).toMatchObject({ mode: tests, resolved: true, status: 'resolved', blocking: [] });
      // The run's patch is the human fix: the gold provider changed exactly src/math.ts.
      const patch = readFileSync(path.join(result.runDir, 'patch.diff'), 'utf8');
      expect(patch).toContain('+export function mul(a: number, b: number): number {');
      expect(patch).not.toContain('test/math.test.ts');
    }, 120_000);
  }

  it('reports an unresolved instance with the reason when the patch is not the fix', async () => {
    const [inst] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const wrong = { ...inst, patch: inst.patch.replace('return a * b;', 'return a + b;') };
    const wrongFile = path.join(work, 'wrong.jsonl');
    writeFileSync(wrongFile, `${JSON.stringify(wrong)}\n`);
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => undefined, env: {}, isTTY: false, errStream: process.stderr };
    const code = await evalInstancesAction({ instances: wrongFile, provider: 'gold', tests: 'visible', repo: fx.dir, cache: path.join(work, 'cache'), sandbox: 'auto', maxIterations: '1' }, io);
    expect(code).toBe(1);
    expect(out).toMatch(/UNRESOLVED .*F2P 0\/1/);
    expect(out).toMatch(/reason: .*multiplies/);
  }, 120_000);
});
