/**
 * validate/sandboxed/worker-client.ts: the sandboxed validation worker starts wherever TMPDIR
 * points, and a worker that ends before it connects fails the request at once with its own account.
 * Found 2026-12-03: under a TMPDIR of ~80 bytes the socket path passed Linux's 108-byte limit, Node
 * bound a truncated name, the worker never met the host, and every validation waited 30 s and
 * then ran without types, lint and Prettier.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type CommandResult, type Sandbox } from '../../src/sandbox/index.ts';
import { ValidationWorker } from '../../src/validate/sandboxed/worker-client.ts';
import { copyPackage } from './support/fixture-repo.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'patchloop-worker-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.runIf(existsSync('/usr/bin/bwrap'))('validation worker start', () => {
  it('under a TMPDIR too long for a Unix socket it starts (under /tmp) and answers', async () => {
    const root = path.join(scratch, 'repo');
    mkdirSync(root);
    writeFileSync(path.join(root, 'package.json'), '{}');
    copyPackage(root, 'typescript');
    const longTmp = path.join(scratch, 'a-temp-folder-whose-path-is-long-enough-to-overflow-sun-path'.padEnd(90, 'x'));
    mkdirSync(longTmp);
    expect(path.join(longTmp, 'patchloop-vw-XXXXXX', 'validate.sock').length).toBeGreaterThan(108);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = longTmp;
    const worker = new ValidationWorker(root, () => createSandbox({ backend: 'bwrap', warn: () => {} }));
    try {
      expect(await worker.request('types.info', {})).toEqual({ version: ts.version });
    } finally {
      worker.dispose();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe('validation worker that ends before it connects', () => {
  it('fails the request with the worker\'s own output, after its one retry', async () => {
    let runs = 0;
    const ended: CommandResult = { exitCode: 9, signal: null, reason: 'exit', output: 'node: bad option: --no-such-flag\n', bytesCut: 0, durationMs: 5, backend: 'process' };
    // A sandbox whose command ends at once without connecting (what a broken Node or a crashing config does).
    const sandbox = { backend: 'process', isolated: false, run: async () => (runs++, ended) } as unknown as Sandbox;
    const worker = new ValidationWorker(scratch, async () => sandbox);
    await expect(worker.request('types.info', {})).rejects.toThrow(/exit 9\): node: bad option: --no-such-flag/);
    expect(runs).toBe(2);
    worker.dispose();
  });
});
