/**
 * validate/sandboxed/background-priority.mjs: the validation worker and server lower their own
 * session's CPU share (its autogroup), so the test command beside them gets the cores first, and
 * never renice a session they merely joined (the user's terminal). Real processes, real /proc,
 * the real bwrap sandbox.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/create.ts';
import { DEFAULT_VALIDATION_NICE, validationNice } from '../../src/validate/sandboxed/background-priority.mjs';

const MODULE = fileURLToPath(new URL('../../src/validate/sandboxed/background-priority.mjs', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'patchloop-priority-'));
copyFileSync(MODULE, path.join(tmp, 'background-priority.mjs'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Node code that lowers its priority to `nice` and prints `<what it did> <its autogroup line>`. */
const lower = (modulePath: string, nice: number) =>
  `import(${JSON.stringify(modulePath)}).then(async (m) => console.log(await m.lowerSessionPriority(${nice}), require('fs').readFileSync('/proc/self/autogroup', 'utf8').trim()))`;

const autogroupNice = (line: string) => Number(/nice (-?\d+)/.exec(line)?.[1]);
const ownAutogroup = () => readFileSync('/proc/self/autogroup', 'utf8').trim();
// Kernels built without CONFIG_SCHED_AUTOGROUP have no such file; there only the thread's nice counts.
const AUTOGROUP_SWITCH = '/proc/sys/kernel/sched_autogroup_enabled';
const autogroups = existsSync(AUTOGROUP_SWITCH) && readFileSync(AUTOGROUP_SWITCH, 'utf8').trim() === '1';

describe.runIf(autogroups)('lowerSessionPriority', () => {
  it('a process that leads its own session (spawned detached) lowers its autogroup', () => {
    // setsid(1) --wait: the child leads a new session, as the server does after spawn({ detached: true }).
    const r = spawnSync('setsid', ['--wait', process.execPath, '-e', lower(MODULE, 7)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [what, ...line] = r.stdout.trim().split(' ');
    expect(what).toBe('autogroup');
    expect(autogroupNice(line.join(' '))).toBe(7);
  });

  it('a process in the caller\'s session (the terminal) leaves the session alone and lowers only its own thread', () => {
    const before = ownAutogroup();
    const r = spawnSync(process.execPath, ['-e', lower(MODULE, 7)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [what, ...line] = r.stdout.trim().split(' ');
    expect(what).toBe('thread');
    expect(line.join(' ')).toBe(before);
    expect(ownAutogroup()).toBe(before);
  });

  it('inside the bwrap sandbox (session led by bwrap\'s init) the worker lowers the sandbox\'s autogroup', async () => {
    // The caller's own line is compared as it was, not with "nice 0": a process in init's session
    // (CI runners, containers) sits in the root autogroup, whose /proc/<pid>/autogroup is empty.
    const before = ownAutogroup();
    const sandbox = await createSandbox({ backend: 'bwrap', warn: () => {} });
    const r = await sandbox.run({ command: `'${process.execPath}' -e '${lower('/tmp/background-priority.mjs', 9).replace(/'/g, `'\\''`)}'`, cwd: tmp, tmpDir: tmp, timeoutMs: 20_000 });
    expect(r.exitCode, r.output).toBe(0);
    const [what, ...line] = r.output.trim().split(' ');
    expect(what).toBe('autogroup');
    expect(autogroupNice(line.join(' '))).toBe(9);
    expect(ownAutogroup()).toBe(before);
  });
});

describe('validationNice', () => {
  it('takes PATCHLOOP_VALIDATION_NICE from 0 to 19, defaults when unset, and names the variable when wrong', () => {
    expect(validationNice({})).toBe(DEFAULT_VALIDATION_NICE);
    expect(validationNice({ PATCHLOOP_VALIDATION_NICE: '0' })).toBe(0);
    expect(validationNice({ PATCHLOOP_VALIDATION_NICE: '19' })).toBe(19);
    for (const bad of ['-1', '20', '2.5', 'low']) expect(() => validationNice({ PATCHLOOP_VALIDATION_NICE: bad })).toThrow(/PATCHLOOP_VALIDATION_NICE=.*integer from 0/);
  });
});
