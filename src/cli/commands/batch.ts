/**
 * `patchloop batch --tasks <dir>`: every task's first (plan) turn goes through Anthropic's Message
 * Batches API at 50% of the price (platform docs 2026), polled until the batch ends; each task's
 * loop then continues live from its batch reply as results arrive. Opt-in: batches can take up to
 * 24 h, so this is for eval-style sets, not interactive runs.
 */
import type { Command } from 'commander';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { buildProvider } from '../providers.ts';
import { buildRunDeps, parsePositiveInt } from '../wiring.ts';
import { formatResultRow, PATCHLOOP_NODE_MODULES, RESULT_HEADER } from './demo.ts';
import { loadTasks } from '../../eval/instance.ts';
import { runInstance, type InstanceResult } from '../../eval/run-instance.ts';
import { createAnthropicFromEnv } from '../../model/anthropic.ts';
import { runBatch } from '../../model/batch.ts';
import { PrefetchedFirstReply } from '../../model/prefetched.ts';
import { SYSTEM_PROMPT, PLAN_INSTRUCTION } from '../../machine/prompts.ts';
import { createToolset } from '../../tools/index.ts';
import { checkPureTool } from '../../tools/check-pure.ts';
import { gitFileLister } from '../../tools/files.ts';
import { prepareRunContext } from '../../context/run-context.ts';
import { readCandidatesTool } from '../../context/read-candidates.ts';
import { prepareInstanceRepo, removeInstanceRepo } from '../../eval/instance.ts';
import type { ModelRequest } from '../../model/types.ts';

interface BatchFlags { tasks: string; only?: string; model?: string; baseUrl?: string; config?: string; pollInterval: string; maxPolls: string; sandbox: string; runsDir?: string; json?: boolean }

/** The first request of a task's loop, exactly as the plan phase would send it. */
export async function firstTurnRequest(repoDir: string, prompt: string): Promise<ModelRequest> {
  const { context, localization } = prepareRunContext(repoDir, await gitFileLister(repoDir), prompt);
  return {
    system: SYSTEM_PROMPT, context, maxTokens: 8192,
    tools: [...createToolset(), checkPureTool(), readCandidatesTool(localization.candidates)].map((t) => t.spec),
    messages: [{ role: 'user', content: [{ type: 'text', text: PLAN_INSTRUCTION }] }],
  };
}

export function registerBatch(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('batch')
    .description("send every task's first turn through Anthropic Message Batches (50% price), then continue each loop live")
    .option('--tasks <dir>', 'task folder', 'tasks')
    .option('--only <id|prefix|category>', 'a subset')
    .option('--model <id>', 'model id (default claude-sonnet-5-5)')
    .option('--base-url <url>', 'Anthropic API base URL')
    .option('--config <file>', 'config file for the live part of each loop')
    .option('--poll-interval <ms>', 'wait between batch polls', '30000')
    .option('--max-polls <n>', 'give up after this many polls (default: 24 h at 30 s)', '2880')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .option('--runs-dir <dir>', 'where the runs (traces, patches) go (default: a new temp folder, printed)')
    .option('--json', 'one JSON result per line')
    .action(
      wrap(async (flags: BatchFlags) => {
        const instances = loadTasks(path.resolve(flags.tasks), flags.only);
        const anthropic = createAnthropicFromEnv(io.env, { ...(flags.model ? { model: flags.model } : {}), ...(flags.baseUrl ? { baseURL: flags.baseUrl } : {}) });
        // The traces outlive the tasks' scratch repositories, which go once each task is scored (or the batch fails).
        const runsDir = flags.runsDir ? path.resolve(flags.runsDir) : mkdtempSync(path.join(os.tmpdir(), 'patchloop-batch-runs-'));
        mkdirSync(runsDir, { recursive: true });
        const repos = new Map<string, string>();
        const out: InstanceResult[] = [];
        try {
          const items = [];
          for (const inst of instances) {
            const repo = await prepareInstanceRepo(inst, PATCHLOOP_NODE_MODULES);
            repos.set(inst.task.id, repo);
            items.push({ customId: inst.task.id, request: await firstTurnRequest(repo, inst.task.prompt) });
          }
          io.err(`batch: submitting ${items.length} first turns (Message Batches, 50% price)\n`);
          const results = await runBatch(anthropic, items, {
            intervalMs: parsePositiveInt(flags.pollInterval, '--poll-interval'), maxPolls: parsePositiveInt(flags.maxPolls, '--max-polls'),
            onPoll: (status, counts) => io.err(`batch: ${status} ${JSON.stringify(counts)}\n`),
          });
          const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: true, io, quiet: true });
          if (!flags.json) io.out(`${RESULT_HEADER}\n`);
          for (const inst of instances) {
            const r = results.get(inst.task.id);
            const live = await buildProvider({ provider: 'anthropic', model: flags.model, baseUrl: flags.baseUrl, config: flags.config }, io.env);
            const provider = r?.ok ? new PrefetchedFirstReply(r.response, live.provider) : live.provider;
            if (r && !r.ok) io.err(`batch: ${inst.task.id}: ${r.error}; its first turn runs live\n`);
            const repo = repos.get(inst.task.id)!;
            const res = await runInstance(inst, {
              provider, sandbox: deps.sandbox, nodeModules: PATCHLOOP_NODE_MODULES, repo, runsDir,
              runDeps: { ...deps, drainModelEvents: live.drainEvents },
            });
            repos.delete(inst.task.id);
            await removeInstanceRepo(repo);
            out.push(res);
            io.out(flags.json ? JSON.stringify(res) + '\n' : formatResultRow(res) + '\n');
          }
        } finally {
          for (const repo of repos.values()) await removeInstanceRepo(repo);
        }
        io.err(`batch: traces in ${runsDir}\n`);
        return out.every((r) => r.resolved) ? EXIT.resolved : EXIT.notResolved;
      }),
    );
}
