/**
 * A test command that fails before any test runs is an environment failure: the repair prompt
 * carries the real error (secrets redacted), and the same failure twice ends the run with exit 4 and
 * no further model call. Real SDK over real HTTP, real git, real process sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask, type RunSummary } from '../../src/run/run-task.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { exitCodeForStatus, EXIT } from '../../src/cli/exit-codes.ts';
import { classifyEnvironmentFailure, errorExcerpt, redactSecrets } from '../../src/run/environment-failure.ts';
import type { TestRunResult } from '../../src/sandbox/types.ts';
import { renderStep } from '../../src/cli/commands/history.ts';
import { scratchRepo } from './scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete process.env.PATCHLOOP_TEST_TOKEN;
});

const failed = (output: string, over: Partial<TestRunResult['command']> = {}, tests: TestRunResult['tests'] = []): TestRunResult => ({
  passed: false, tests, failures: [],
  command: { exitCode: 1, signal: null, reason: 'exit', output, bytesCut: 0, durationMs: 10, backend: 'process', ...over },
});
const EROFS_OUT = "vite v6\nfailed to load config from /w/vitest.config.ts\nError: EROFS: read-only file system, open '/w/node_modules/.vite-temp/vitest.config.ts.timestamp-1733146-8c2a.mjs'\n    at open (node:fs)";

describe('classifying a failed test command', () => {
  it('EROFS with no test result is an environment failure; the signature ignores timestamps and ids', () => {
    const a = classifyEnvironmentFailure(failed(EROFS_OUT), 'npx vitest run', []);
    const b = classifyEnvironmentFailure(failed(EROFS_OUT.replace('1733146-8c2a', '1799999-f9e1')), 'npx vitest run', []);
    expect(a?.message).toMatch(/^Error: EROFS: read-only file system/);
    expect(a?.fix).toMatch(/read-only/);
    expect(a?.signature).toBe(b?.signature);
    expect(a?.excerpt).toContain('failed to load config');
  });

  it('a vitest command that produced no report is one even without a known pattern; another runner is not', () => {
    expect(classifyEnvironmentFailure(failed('Segmentation fault'), 'npx vitest run', [])?.fix).toMatch(/before any test ran/);
    expect(classifyEnvironmentFailure(failed('not ok 1 - adds'), 'node --test', [])).toBeUndefined();
    expect(classifyEnvironmentFailure(failed('sh: 1: jest: not found', { exitCode: 127 }), 'jest', [])?.fix).toMatch(/does not exist/);
  });

  it('names the line that says what went wrong, not npm chatter', () => {
    const out = 'npm warn exec The following package was not found and will be installed: vitest@4\n RUN  v4\nNo test files found, exiting with code 1\nnpm notice\nnpm notice New minor version of npm available!';
    const env = classifyEnvironmentFailure(failed(out), 'npx vitest run', []);
    expect(env?.message).toBe('No test files found, exiting with code 1');
    expect(env?.fix).toMatch(/no test files/);
  });

  it('parsed test results, a timeout or a resource limit are not environment failures', () => {
    const t = [{ id: 'a::b', file: 'a', fullName: 'b', status: 'failed' as const }];
    expect(classifyEnvironmentFailure(failed(EROFS_OUT, {}, t), 'npx vitest run', [])).toBeUndefined();
    expect(classifyEnvironmentFailure(failed(EROFS_OUT, { reason: 'timeout', exitCode: null }), 'npx vitest run', [])).toBeUndefined();
    expect(classifyEnvironmentFailure(failed(EROFS_OUT, { reason: 'limit:memory', exitCode: null }), 'npx vitest run', [])).toBeUndefined();
  });

  it('the excerpt keeps head and tail, says what was cut, and never carries a secret', () => {
    const out = `HEAD-LINE\n${'x'.repeat(5000)}\nkey sk-ant-api03-abcdefghijklmnop and tok-123456789\nTAIL-LINE`;
    const ex = errorExcerpt(out, ['tok-123456789'], 100, 200);
    expect(ex.startsWith('HEAD-LINE')).toBe(true);
    expect(ex.endsWith('TAIL-LINE')).toBe(true);
    expect(ex).toMatch(/characters cut/);
    expect(ex).not.toContain('tok-123456789');
    expect(ex).not.toContain('sk-ant-api03');
    expect(redactSecrets('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', [])).toBe('[redacted]');
  });
});

describe('a run whose test command cannot run', () => {
  it('ends as environment (exit 4) after the same failure twice, the repair prompt carried the real error', async () => {
    process.env.PATCHLOOP_TEST_TOKEN = 'tok-secret-4242-abcdef';
    server = await startAnthropicServer({
      script: [
        { kind: 'message', content: [{ type: 'text', text: 'Plan: fix add.' }] },
        { kind: 'message', content: [{ type: 'text', text: 'Nothing to edit.' }] },
        { kind: 'message', content: [{ type: 'text', text: 'Still nothing.' }] },
        { kind: 'message', content: [{ type: 'text', text: 'never asked for' }] },
      ],
    });
    const repo = scratchRepo();
    const cmd = `echo "config loaded with tok-secret-4242-abcdef"; echo "${EROFS_OUT.split('\n')[2]!.replace(/'/g, '')}" >&2; exit 1`;
    const summary: RunSummary = await runTask(
      { repo, task: 'make add add', testCmd: cmd, maxIterations: 6, budget: { maxTokens: 500_000 } },
      { provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0 },
    );
    expect(summary.status).toBe('environment');
    expect(exitCodeForStatus(summary.status)).toBe(EXIT.environment);
    expect(summary.environment?.message).toContain('EROFS: read-only file system');
    expect(summary.reason).toContain('fix: ');
    const messageCalls = server.requests.filter((r) => r.path === '/v1/messages');
    expect(messageCalls).toHaveLength(3); // plan, edit, one repair — none after the second failure

    const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
    const repair = trace.find((e) => e.type === 'repair_prompt');
    expect(repair?.type === 'repair_prompt' && repair.prompt).toContain('EROFS: read-only file system');
    expect(repair?.type === 'repair_prompt' && repair.prompt).not.toContain('fix the code under test');
    expect(repair?.type === 'repair_prompt' && repair.prompt).toContain('(command):0:0 [tests/environment] the test command failed before any test ran: Error: EROFS');
    const sent = JSON.stringify(messageCalls[2]!.body.messages);
    expect(sent).toContain('EROFS: read-only file system');
    expect(sent).not.toContain('tok-secret-4242-abcdef');
    expect(sent).toContain('[redacted]');
    expect(trace.filter((e) => e.type === 'test_run' && e.environment)).toHaveLength(2);
    const shown = renderStep(trace.find((e) => e.type === 'test_run')!, false)!;
    expect(shown).toContain('tests DID NOT RUN (environment, exit 1');
    expect(shown).toContain(`fix: ${summary.environment!.fix}`);
    const onDisk = JSON.parse(readFileSync(path.join(summary.runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(onDisk.environment?.signature).toBe(summary.environment?.signature);
  });
});
