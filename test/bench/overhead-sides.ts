/**
 * The two sides the harness-overhead benchmark (overhead.bench.ts) times, each as a process spawned
 * the same way and timed from spawn to exit: `patchloop run` (the built CLI, bwrap sandbox and
 * validation on) and a bare loop (BARE_LOOP, below) that sends the same requests to the same kind
 * of local Anthropic server, applies the edits with fs and runs the same test command plainly.
 * Both talk to a fresh server scripted with `goldScript`: the gold patch's edit calls, then end_turn.
 * A third side, `patchloop run --no-validate`, tells how much of the difference validation makes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnthropicServer, type Scripted } from '../support/anthropic-server.ts';
import type { EditCall } from '../../src/model/gold-edits.ts';
import type { RunSummary } from '../../src/run/run-task.ts';
import type { TimeBreakdown } from '../../src/run/timing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'dist/cli/patchloop.mjs');
const API_KEY = 'sk-ant-bench';

/**
 * The bare loop (37 lines of plain JavaScript, no harness): the model ⇄ edit tools until end_turn,
 * then the test command. argv: base URL, test command, task. Exit 0 = the tests pass.
 */
export const BARE_LOOP = `import Anthropic from '@anthropic-ai/sdk';
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [baseURL, testCmd, task] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: process.env.ANTHROPIC_API_KEY });
const tool = (name, ...keys) => ({
  name, description: name,
  input_schema: { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])), required: keys },
});
const tools = [tool('str_replace', 'path', 'old_str', 'new_str'), tool('create_file', 'path', 'content'), tool('delete_file', 'path')];

function apply({ name, input }) {
  if (name === 'create_file') {
    mkdirSync(path.dirname(input.path), { recursive: true });
    writeFileSync(input.path, input.content);
  } else if (name === 'delete_file') rmSync(input.path);
  else {
    const text = readFileSync(input.path, 'utf8');
    if (!text.includes(input.old_str)) return 'old_str not found';
    writeFileSync(input.path, text.replace(input.old_str, () => input.new_str));
  }
  return 'done';
}

const messages = [{ role: 'user', content: task }];
for (;;) {
  const reply = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 8192, tools, messages });
  messages.push({ role: 'assistant', content: reply.content });
  if (reply.stop_reason !== 'tool_use') break;
  const calls = reply.content.filter((b) => b.type === 'tool_use');
  messages.push({ role: 'user', content: calls.map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: apply(b) })) });
}
try { execSync(testCmd, { stdio: 'ignore', env: { ...process.env, CI: 'true' } }); } catch { process.exit(1); }
`;

/** The model script of both sides: every gold edit call in the first reply, then end_turn. */
export function goldScript(calls: EditCall[]): (req: unknown, n: number) => Scripted {
  return (_req, n) => n === 0
    ? { kind: 'message', content: [{ type: 'text', text: 'Applying the fix.' }, ...calls.map((c, i) => ({ type: 'tool_use' as const, id: `toolu_gold_${i + 1}`, name: c.name, input: c.input }))] }
    : { kind: 'message', content: [{ type: 'text', text: 'Done: the fix is applied.' }] };
}

/** Writes the bare loop where it resolves `@anthropic-ai/sdk` from this project. @returns its path. */
export function writeBareLoop(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-bench-bare-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'bare-loop.mjs'), BARE_LOOP);
  return path.join(dir, 'bare-loop.mjs');
}

export interface SideResult {
  /** Spawn → exit, ms. */
  ms: number;
  /**
   * CPU time the whole machine spent meanwhile (user + system of every process, sandboxed ones
   * included), ms: `/proc/stat` busy jiffies, USER_HZ = 100. Also counts the local model server
   * and anything else running, so measure on a quiet machine.
   */
  cpuMs: number;
  ok: boolean;
  /** Why not ok (exit code, run status, stderr tail). */
  detail: string;
  /** patchloop's summary.json timing. */
  timing?: TimeBreakdown;
}

/** Busy CPU time of the whole machine since boot, ms (`/proc/stat` "cpu" line: all but idle and iowait). */
function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  return (user + nice + system + irq + softirq + (steal ?? 0)) * 10;
}

/** Spawns `node args…` in `cwd` and times it to exit (wall and machine CPU); stdout/stderr kept for the diagnosis. */
function timed(args: string[], cwd: string): Promise<{ ms: number; cpuMs: number; code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c0 = machineBusyMs();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ANTHROPIC_API_KEY: API_KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, cpuMs: machineBusyMs() - c0, code, out, err }));
  });
}

/** One bare-loop run in `checkout` (a plain checkout with node_modules linked); each model reply takes `latencyMs`. */
export async function runBare(bareLoop: string, checkout: string, o: { calls: EditCall[]; testCmd: string; task: string; latencyMs: number }): Promise<SideResult> {
  const server = await startAnthropicServer({ script: goldScript(o.calls), latencyMs: o.latencyMs });
  try {
    const r = await timed([bareLoop, server.baseURL, o.testCmd, o.task], checkout);
    return { ms: r.ms, cpuMs: r.cpuMs, ok: r.code === 0, detail: r.code === 0 ? '' : `bare loop exited ${r.code}: ${r.err.trim().split('\n').slice(-3).join(' | ')}` };
  } finally {
    await server.close();
  }
}

/** One `patchloop run` on `repo` (never modified: the run works in its own worktree); `validate: false` adds `--no-validate`. */
export async function runPatchloop(repo: string, o: { calls: EditCall[]; testCmd: string; task: string; lock: string[]; validate: boolean; latencyMs: number; extra?: string[] }): Promise<SideResult> {
  const server = await startAnthropicServer({ script: goldScript(o.calls), latencyMs: o.latencyMs });
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-bench-runs-'));
  try {
    // PATCHLOOP_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles patchloop's own process.
    const nodeArgs = (process.env.PATCHLOOP_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const r = await timed([...nodeArgs, BIN, 'run', '--repo', repo, '--task', o.task, '--test-cmd', o.testCmd, '--provider', 'anthropic', '--base-url', server.baseURL,
      '--sandbox', 'bwrap', '--runs-dir', runsDir, '--json', ...(o.validate ? [] : ['--no-validate']), ...(o.extra ?? []), ...(o.lock.length ? ['--lock', ...o.lock] : [])], repo);
    const run = readdirSync(runsDir).find((d) => readdirSync(path.join(runsDir, d)).includes('summary.json'));
    if (!run) return { ms: r.ms, cpuMs: r.cpuMs, ok: false, detail: `patchloop exited ${r.code} without a summary: ${r.err.trim().split('\n').slice(-3).join(' | ')}` };
    const summary = JSON.parse(readFileSync(path.join(runsDir, run, 'summary.json'), 'utf8')) as RunSummary;
    const ok = summary.status === 'resolved';
    return { ms: r.ms, cpuMs: r.cpuMs, ok, detail: ok ? '' : `run ${summary.status}: ${summary.reason ?? ''}`, ...(summary.timing ? { timing: summary.timing } : {}) };
  } finally {
    await server.close();
    // PATCHLOOP_BENCH_KEEP_RUNS=1 keeps each run's folder (trajectory.jsonl timestamps) for a diagnosis.
    if (process.env.PATCHLOOP_BENCH_KEEP_RUNS === '1') process.stderr.write(`kept ${runsDir}\n`);
    else rmSync(runsDir, { recursive: true, force: true });
  }
}
