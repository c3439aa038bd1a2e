/** `patchloop runs` and `patchloop show <run-id>`: what ran, and what each step did. */
import type { Command } from 'commander';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { openRepo } from '../../git/repo.ts';
import { listRuns } from '../../run/history.ts';
import { findRunDir, runsRoot } from '../../run/run-dirs.ts';
import { readTrajectory, type TraceLine } from '../../trace/trajectory.ts';
import { crashedValidators } from '../../validate/types.ts';
import { colorDiff } from '../progress.ts';
import { renderTiming } from '../render-timing.ts';

const oneLine = (s: string, n: number) => s.replace(/\s+/g, ' ').trim().slice(0, n);

/** One trace event as a line (or a few) for `show`. */
export function renderStep(e: TraceLine, color: boolean): string | undefined {
  switch (e.type) {
    case 'run_start':
      return `run ${e.runId} on ${e.branch} from ${e.baseRef.slice(0, 10)} · ${e.provider}/${e.model} · sandbox ${e.sandbox.backend}${e.sandbox.isolated ? '' : ' (NOT isolated)'}\ntask: ${oneLine(e.task, 200)}`;
    case 'state':
      return `\n── ${e.state} (iteration ${e.iteration})${e.state === 'edit.applyingPlanEdit' ? ': the plan ended with an edit, applied as the first edit step' : ''}`;
    case 'model_call': {
      const text = e.response.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join(' ');
      const u = e.usage;
      return `step ${e.step} [${e.phase}] ${e.model}: ${u.inputTokens} in + ${u.cacheReadTokens} cache read + ${u.cacheWriteTokens} cache write, ${u.outputTokens} out, $${e.usd.toFixed(4)}, ${e.ms} ms${e.preflight === 'count_tokens' ? ' (pre-flight: count_tokens)' : ''}\n  prompt: ${oneLine(e.request.lastUserMessage, 160)}\n  reply (${e.response.stopReason}): ${oneLine(text, 240)}`;
    }
    case 'tool_call':
      return `  tool ${e.name} ${e.ok ? 'ok' : 'ERROR'}: ${oneLine(e.display, 200)}${e.diff ? `\n${colorDiff(e.diff, color).split('\n').map((l) => `    ${l}`).join('\n')}` : ''}`;
    case 'validation':
      return `  validation: ${e.findings.length} finding(s) in ${Math.round(e.ms)} ms${crashedValidators(e.skipped).map((s) => `\n    NOT RUN ${s.validator}: ${oneLine(s.reason, 200)}`).join('')}${e.findings.map((f) => `\n    ${f.file}:${f.line}:${f.column} [${f.validator}/${f.rule}] ${oneLine(f.message, 160)}`).join('')}${e.autoFixes.length ? `\n    auto-fixed (0 tokens): ${e.autoFixes.map((a) => `${a.file} ${a.fix}`).join(', ')}` : ''}`;
    case 'test_run':
      if (e.environment) return `  tests DID NOT RUN (environment, ${e.command.reason} ${e.command.exitCode ?? ''}, ${e.ms} ms): ${oneLine(e.environment.message, 200)}\n    fix: ${e.environment.fix}`;
      return `  tests ${e.passed ? 'PASSED' : 'FAILED'}: ${e.counts.passed} passed, ${e.counts.failed} failed (${e.command.reason}, ${e.command.backend}, ${e.ms} ms)${e.failures.map((f) => `\n    ✗ ${f.id}: ${oneLine(f.message ?? '', 160)}`).join('')}`;
    case 'precheck':
      return `  pre-check (isolated-vm): ${e.ran} check(s), ${e.failures.length} failed, ${Math.round(e.ms)} ms${e.failures.map((f) => `\n    ✗ ${f.id}: ${oneLine(f.message ?? '', 160)}`).join('')}`;
    case 'repair_prompt':
      return `  repair prompt: ${e.prompt.split('\n').length} lines`;
    case 'commit':
      return `  commit ${e.sha.slice(0, 10)} on ${e.branch}`;
    case 'warning':
      return `  warning: ${e.message}`;
    case 'resume':
      return `\n── resumed from ${e.fromState} at step ${e.step}`;
    case 'interrupted':
      return `  interrupted in ${e.state}${e.hard ? ' (killed)' : ''}`;
    case 'run_end':
      return `\nend: ${e.status}${e.reason ? ` — ${e.reason}` : ''} · ${e.iterations} iteration(s) · $${e.usd.toFixed(4)} · ${(e.ms / 1000).toFixed(1)} s${e.timing ? `\n${renderTiming(e.timing)}` : ''}`;
    default:
      return undefined;
  }
}

export function registerHistory(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('runs')
    .description('list recent runs: id, task, status, iterations, tokens, USD, wall time')
    .option('--repo <dir>', 'git working copy', '.')
    .option('--runs-dir <dir>', 'run folders location (if runs used --runs-dir)')
    .option('--json', 'JSON output')
    .action(
      wrap(async (flags: { repo: string; runsDir?: string; json?: boolean }) => {
        const runs = listRuns(flags.runsDir ?? runsRoot((await openRepo(flags.repo)).commonDir));
        if (flags.json) io.out(JSON.stringify({ runs }) + '\n');
        else {
          io.out(`${'run id'.padEnd(26)} ${'status'.padEnd(17)} ${'iter'.padStart(4)} ${'tokens'.padStart(8)} ${'USD'.padStart(8)} ${'wall'.padStart(7)}  task\n`);
          for (const r of runs) io.out(`${r.runId.padEnd(26)} ${r.status.padEnd(17)} ${String(r.iterations).padStart(4)} ${String(r.tokens).padStart(8)} ${r.usd.toFixed(4).padStart(8)} ${`${(r.wallMs / 1000).toFixed(1)}s`.padStart(7)}  ${oneLine(r.task, 50)}\n`);
          if (runs.length === 0) io.out('(no runs yet)\n');
        }
        return EXIT.resolved;
      }),
    );
  program
    .command('show <run-id>')
    .description('print a run\'s trajectory step by step: prompts, tool calls, diffs, findings, tests, tokens, cost')
    .option('--repo <dir>', 'git working copy', '.')
    .option('--runs-dir <dir>', 'run folders location')
    .option('--json', 'the raw trajectory lines')
    .action(
      wrap(async (runId: string, flags: { repo: string; runsDir?: string; json?: boolean }) => {
        const trace = readTrajectory(path.join(await findRunDir(runId, flags.repo, flags.runsDir), 'trajectory.jsonl'));
        for (const e of trace) {
          const text = flags.json ? JSON.stringify(e) : renderStep(e, io.isTTY);
          if (text !== undefined) io.out(text + '\n');
        }
        return EXIT.resolved;
      }),
    );
}
