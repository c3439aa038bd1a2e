/**
 * `npm run bench:chain`: the shipped tasks served over real HTTP by a local Anthropic wire server,
 * through the chain (primary Anthropic, fallback OpenAI-compatible), once with no faults and once
 * with 30% of primary calls failing (half 429 with retry-after 1 s, half 529 overloaded; seeded).
 * Reports tasks resolved, extra HTTP calls, input tokens re-sent by retries (429/529 are not
 * billed), added wall time, and the prompt-cache read share of input from each run's 2nd call on.
 * Retry policy: the chain's defaults (3 tries per provider, 500 ms × 2ⁿ backoff with jitter, ≤ 8 s).
 * Usage: npm run bench:chain [-- <task id|prefix|category>]   (FAULT_RATE=0.3 by default)
 */
import { priceCall } from '../../src/cli/wiring.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTasks } from '../../src/eval/instance.ts';
import { runInstance } from '../../src/eval/run-instance.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { createProvider, parseModelConfig } from '../../src/model/config.ts';
import { estimateTokens } from '../../src/model/estimate.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { startTranscriptServers } from '../support/transcript-servers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FAULT_RATE = Number(process.env['FAULT_RATE'] ?? 0.3);

interface Row { id: string; resolved: boolean; attempts: number; faults: number; resentTokens: number; wallMs: number; cacheShare: number; usd: number }

/** mulberry32: a tiny seeded PRNG so the fault schedule is the same every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function faultResponse(kind: number): Response {
  const body = kind === 429
    ? { type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } }
    : { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
  return new Response(JSON.stringify(body), { status: kind, headers: { 'content-type': 'application/json', ...(kind === 429 ? { 'retry-after': '1' } : {}) } });
}

async function runAll(faultRate: number): Promise<Row[]> {
  const sandbox = await createSandbox({ backend: 'auto', warn: () => {} });
  const rand = prng(42);
  const rows: Row[] = [];
  for (const inst of loadTasks(path.join(ROOT, 'tasks'), process.argv[2])) {
    const servers = await startTranscriptServers(path.join(inst.dir, 'transcript.jsonl'));
    const cfg = parseModelConfig({ chain: [
      { provider: 'anthropic', model: 'claude-sonnet-5-5', baseURL: servers.anthropic.baseURL },
      { provider: 'openai-compatible', model: 'qwen3-coder', baseURL: servers.openai.baseURL },
    ] }, 'bench');
    let attempts = 0;
    let faults = 0;
    let resentTokens = 0;
    const faultyFetch: typeof fetch = async (url, init) => {
      if (String(url).startsWith(servers.anthropic.baseURL) && String(url).includes('/v1/messages')) {
        attempts++;
        if (rand() < faultRate) {
          faults++;
          resentTokens += estimateTokens(String(init?.body ?? ''));
          return faultResponse(rand() < 0.5 ? 429 : 529);
        }
      }
      return fetch(url, init);
    };
    const provider = await createProvider({ chain: cfg.chain!, prices: {}, budget: {}, retry: {}, file: undefined }, { env: { ANTHROPIC_API_KEY: 'bench' }, fetch: faultyFetch });
    const t0 = performance.now();
    const r = await runInstance(inst, {
      provider, sandbox, nodeModules: path.join(ROOT, 'node_modules'),
      runDeps: { cost: priceCall, createValidation: (root, baseRef) => createValidationPipeline({ root, baseRef }) },
    });
    const wallMs = performance.now() - t0;
    await servers.close();
    const later = r.runDir ? readTrajectory(path.join(r.runDir, 'trajectory.jsonl')).filter((e) => e.type === 'model_call').slice(1) : [];
    let read = 0;
    let total = 0;
    for (const e of later) {
      const u = (e as { usage: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number } }).usage;
      read += u.cacheReadTokens;
      total += u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
    }
    rows.push({ id: inst.task.id, resolved: r.resolved, attempts, faults, resentTokens, wallMs, cacheShare: total ? read / total : 0, usd: r.usd });
    if (!r.resolved) console.error(`unresolved: ${inst.task.id} ${r.status} ${r.reason ?? ''}`);
  }
  return rows;
}

const sum = (rows: Row[], k: keyof Row) => rows.reduce((a, r) => a + Number(r[k]), 0);
const base = await runAll(0);
const faulty = await runAll(FAULT_RATE);
console.log(`\nchain bench: ${faulty.length} tasks; primary fails ${FAULT_RATE * 100}% of calls (429 retry-after 1 s / 529), fallback openai-compatible`);
console.log('| run | resolved | primary attempts | injected faults (extra calls) | input tokens re-sent | USD | wall s | cache-read share (2nd call on) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, rows] of [['no faults', base], [`${FAULT_RATE * 100}% faults`, faulty]] as const) {
  console.log(`| ${name} | ${rows.filter((r) => r.resolved).length}/${rows.length} | ${sum(rows, 'attempts')} | ${sum(rows, 'faults')} | ${sum(rows, 'resentTokens')} | ${sum(rows, 'usd').toFixed(4)} | ${(sum(rows, 'wallMs') / 1000).toFixed(1)} | ${((sum(rows, 'cacheShare') / rows.length) * 100).toFixed(0)}% (min ${(Math.min(...rows.map((r) => r.cacheShare)) * 100).toFixed(0)}%) |`);
}
const added = sum(faulty, 'wallMs') - sum(base, 'wallMs');
console.log(`added latency with faults: ${(added / 1000).toFixed(1)} s in all, ${(added / faulty.length).toFixed(0)} ms per task`);
if (faulty.some((r) => !r.resolved) || base.some((r) => !r.resolved)) process.exitCode = 1;
