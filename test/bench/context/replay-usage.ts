/**
 * Input tokens and cache-read share of the shipped tasks under replay (the demo's transcripts,
 * usage estimated by the replay provider's prompt-cache simulator). Prints one JSON line per task
 * and a total line; run it on two checkouts to compare before/after a change to the prefix.
 *   npx tsx test/bench/context/replay-usage.ts [--only <id|prefix>]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTasks } from '../../../src/eval/instance.ts';
import { runInstance } from '../../../src/eval/run-instance.ts';
import { ReplayProvider } from '../../../src/model/replay.ts';
import { totalInput } from '../../../src/model/types.ts';
import { buildRunDeps } from '../../../src/cli/wiring.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const io = { out: () => {}, err: () => {}, env: process.env };
const deps = await buildRunDeps({ sandbox: 'auto', validate: true, io: io as never, quiet: true });
let input = 0;
let cacheRead = 0;
let resolved = 0;
const tasks = loadTasks(path.join(root, 'tasks'), only);
for (const inst of tasks) {
  const r = await runInstance(inst, {
    provider: await ReplayProvider.fromFile(path.join(inst.dir, 'transcript.jsonl')),
    sandbox: deps.sandbox, nodeModules: path.join(root, 'node_modules'), runDeps: deps,
  });
  const inTok = totalInput(r.usage);
  input += inTok;
  cacheRead += r.usage.cacheReadTokens;
  if (r.resolved) resolved++;
  console.log(JSON.stringify({ id: inst.task.id, resolved: r.resolved, status: r.status, steps: r.steps, inputTokens: inTok, cacheReadShare: inTok ? +(r.usage.cacheReadTokens / inTok).toFixed(3) : 0, reason: r.reason }));
}
console.log(JSON.stringify({ total: true, tasks: tasks.length, resolved, inputTokensPerTask: Math.round(input / Math.max(1, tasks.length)), cacheReadShare: input ? +(cacheRead / input).toFixed(3) : 0 }));
