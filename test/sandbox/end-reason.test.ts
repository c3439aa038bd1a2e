import { describe, expect, it } from 'vitest';
import { classifyEnd, effectiveSignal, prlimitArgs, type EndFacts } from '../../src/sandbox/limits.ts';

const facts = (f: Partial<EndFacts>): EndFacts => ({ exitCode: 0, signal: null, timedOut: false, aborted: false, output: '', ...f });

describe('classifyEnd', () => {
  it('a clean or failing exit is `exit`', () => {
    expect(classifyEnd(facts({}))).toBe('exit');
    expect(classifyEnd(facts({ exitCode: 1, output: 'AssertionError' }))).toBe('exit');
  });
  it('the wall clock gives `timeout`, abort wins over everything', () => {
    expect(classifyEnd(facts({ exitCode: null, signal: 'SIGKILL', timedOut: true }))).toBe('timeout');
    expect(classifyEnd(facts({ timedOut: true, aborted: true }))).toBe('aborted');
  });
  it('cgroup counters win over the timeout', () => {
    expect(classifyEnd(facts({ exitCode: null, signal: 'SIGKILL', timedOut: true, pidsMaxHits: 3 }))).toBe('limit:processes');
    expect(classifyEnd(facts({ exitCode: 137, oomKills: 1 }))).toBe('limit:memory');
  });
  it('memory errors in the output give `limit:memory`', () => {
    expect(classifyEnd(facts({ exitCode: 134, output: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' }))).toBe('limit:memory');
    expect(classifyEnd(facts({ exitCode: 1, output: 'RangeError: Array buffer allocation failed' }))).toBe('limit:memory');
  });
  it('fork failures count only when no cgroup measured the process limit', () => {
    expect(classifyEnd(facts({ exitCode: 2, output: 'sh: fork: Resource temporarily unavailable' }))).toBe('limit:processes');
    expect(classifyEnd(facts({ exitCode: 2, output: 'spawn EAGAIN', pidsMaxHits: 0 }))).toBe('exit');
  });
  it('SIGXCPU / SIGXFSZ, as a signal or as 128+N, give cpu and file-size limits', () => {
    expect(classifyEnd(facts({ exitCode: null, signal: 'SIGXCPU' }))).toBe('limit:cpu');
    expect(classifyEnd(facts({ exitCode: 152 }))).toBe('limit:cpu');
    expect(classifyEnd(facts({ exitCode: 153 }))).toBe('limit:file-size');
    expect(classifyEnd(facts({ exitCode: null, signal: 'SIGTERM' }))).toBe('signal');
  });
  it('decodes 128+N exit statuses', () => {
    expect(effectiveSignal(137, null)).toBe('SIGKILL');
    expect(effectiveSignal(1, null)).toBeNull();
  });
});

describe('prlimitArgs', () => {
  it('maps limits to util-linux flags (MB → bytes) and adds --nproc only when asked', () => {
    expect(prlimitArgs({ cpuSeconds: 10, fileSizeMb: 1, processes: 50 }, false)).toEqual(['--cpu=10:12', `--fsize=${1024 * 1024}`, '--']);
    expect(prlimitArgs({ processes: 50 }, true)).toEqual(['--nproc=50', '--']);
  });
});
