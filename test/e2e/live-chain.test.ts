/**
 * The real SDKs over real HTTP, through the real CLI: a task's transcript is served by a local
 * Anthropic wire server that fails 30% of calls (529/429), with an OpenAI-compatible fallback. The
 * run resolves, every retry/fallback is in the trace, and the requests carry the prompt-cache
 * breakpoints on the stable prefix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { startTranscriptServers, type TranscriptServers } from '../support/transcript-servers.ts';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import type { RunSummary } from '../../src/run/run-task.ts';

const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-paginate-off-by-one'));
let servers: TranscriptServers | undefined;
let extra: AnthropicTestServer | undefined;
afterEach(async () => {
  await servers?.close();
  await extra?.close();
  servers = extra = undefined;
});

function chainConfig(anthropicURL: string, openaiURL: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'chain-cfg-')), 'patchloop.config.json');
  writeFileSync(file, JSON.stringify({
    chain: [
      { provider: 'anthropic', model: 'claude-sonnet-5-5', baseURL: anthropicURL },
      { provider: 'openai-compatible', model: 'qwen3-coder', baseURL: openaiURL, name: 'qwen-local' },
    ],
    prices: { 'qwen3-coder': { inputPerMTok: 1, outputPerMTok: 5 } },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, breakerThreshold: 5, breakerOpenMs: 1000 },
  }));
  return file;
}

const run = async (repo: string, config: string, ledger: string, ...extraArgs: string[]) =>
  runCli(['run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'chain', '--config', config, '--json', ...extraArgs],
    { env: { ANTHROPIC_API_KEY: 'sk-ant-test', PATCHLOOP_LEDGER: ledger } });

describe('the model chain over real HTTP', () => {
  it('resolves through 529/429 faults with retries in the trace and cache breakpoints on the wire', async () => {
    servers = await startTranscriptServers(path.join(inst.dir, 'transcript.jsonl'), { rate: 0.3, seed: 7, status: 529 });
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const ledger = path.join(mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'l.sqlite');
    const r = await run(repo, chainConfig(servers.anthropic.baseURL, servers.openai.baseURL), ledger);
    expect(r.stderr).not.toMatch(/unexpected error/);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.status).toBe('resolved');
    const trace = readTrajectory(path.join(s.runDir, 'trajectory.jsonl'));
    const calls = trace.filter((e) => e.type === 'model_call');
    const retries = trace.filter((e) => e.type === 'model_event' && e.event['type'] === 'retry');
    const reqs = servers.anthropic.requests.filter((q) => q.path === '/v1/messages');
    // Every request either failed (and was retried, in the trace) or produced one recorded call.
    expect(reqs.length).toBe(calls.length + retries.length);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatchObject({ event: { provider: 'anthropic', reason: expect.stringMatching(/529|overloaded/) } });
    // Wire facts: model id, key, no sampling params, cache_control on the stable prefix and the tail.
    for (const q of reqs) {
      expect(q.body.model).toBe('claude-sonnet-5-5');
      expect(q.headers['authorization'] ?? q.headers['x-api-key']).toContain('sk-ant-test');
      expect(q.body.temperature).toBeUndefined();
      const sys = q.body.system as { cache_control?: unknown }[];
      expect(sys.some((b) => b.cache_control)).toBe(true);
      const last = q.body.messages.at(-1).content.at(-1);
      expect(last.cache_control).toBeDefined();
    }
    // The server's honest cache accounting: from the second call on, most input is cache reads.
    const later = calls.slice(1).map((e) => (e as { usage: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number } }).usage);
    const read = later.reduce((a, u) => a + u.cacheReadTokens, 0);
    const total = later.reduce((a, u) => a + u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, 0);
    expect(read / total).toBeGreaterThan(0.5);
  });

  it('falls back at once when the primary says the model does not exist', async () => {
    servers = await startTranscriptServers(path.join(inst.dir, 'transcript.jsonl'));
    extra = await startAnthropicServer({ script: () => ({ kind: 'error', status: 404, type: 'not_found_error', message: 'model: claude-sonnet-5-5 not found' }) });
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const ledger = path.join(mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'l.sqlite');
    const r = await run(repo, chainConfig(extra.baseURL, servers.openai.baseURL), ledger);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.status).toBe('resolved');
    const trace = readTrajectory(path.join(s.runDir, 'trajectory.jsonl'));
    const fallbacks = trace.filter((e) => e.type === 'model_event' && e.event['type'] === 'fallback');
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(fallbacks[0]).toMatchObject({ event: { provider: 'anthropic', reason: expect.stringMatching(/model_not_found \(not retryable\); trying qwen-local/) } });
    // No retries on a non-healing error: one 404 per call until the breaker opens.
    expect(trace.some((e) => e.type === 'model_event' && e.event['type'] === 'retry')).toBe(false);
    expect(servers.openai.requests.filter((q) => q.path.endsWith('/chat/completions')).length).toBe(trace.filter((e) => e.type === 'model_call').length);
  });

  it('refuses to start when the daily cap is already spent, and `cost` shows the ledger', async () => {
    servers = await startTranscriptServers(path.join(inst.dir, 'transcript.jsonl'));
    const cfg = chainConfig(servers.anthropic.baseURL, servers.openai.baseURL);
    const ledger = path.join(mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'l.sqlite');
    const first = JSON.parse((await run(await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules')), cfg, ledger)).stdout) as RunSummary;
    expect(first.usd).toBeGreaterThan(0);
    const refused = await run(await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules')), cfg, ledger, '--daily-budget-usd', String(first.usd / 2));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/daily cap reached: spent \$[\d.]+ of \$[\d.]+ today/);
    const cost = await runCli(['cost', '--json'], { env: { PATCHLOOP_LEDGER: ledger } });
    const rows = JSON.parse(cost.stdout).days as { usd: number; model: string; runs: number }[];
    expect(rows[0]).toMatchObject({ model: "claude-sonnet-5-5", runs: 1 });
    expect(rows.reduce((a, r) => a + r.usd, 0)).toBeCloseTo(first.usd, 6);
  });
});
