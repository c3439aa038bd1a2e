/**
 * Markdown the tool writes to GitHub (pull request body, issue comments, the job summary). Built
 * from the run's own records (summary + trajectory), never from free text a model chose for the
 * layout: the model's summary is one quoted section, the numbers come from the trace.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readTrajectory } from '../trace/trajectory.ts';
import type { RunSummary } from '../run/run-task.ts';
import { totalInput } from '../model/types.ts';

/** Hidden marker that finds patchloop's own comment on an issue / pull request again on re-run. */
export const commentMarker = (key: string): string => `<!-- patchloop:${key} -->`;

export interface TestRunLine {
  iteration: number;
  passed: boolean;
  counts: { passed: number; failed: number; skipped: number };
  failing: string[];
}

/** The test runs recorded in the run's trajectory, in order. */
export function testRunsOf(s: RunSummary): TestRunLine[] {
  const file = path.join(s.runDir, 'trajectory.jsonl');
  if (!existsSync(file)) return [];
  return readTrajectory(file).flatMap((e) => (e.type === 'test_run' ? [{ iteration: e.iteration, passed: e.passed, counts: e.counts, failing: e.failures.map((f) => f.id) }] : []));
}

const tokensOf = (s: RunSummary) => totalInput(s.usage) + s.usage.outputTokens;

/**
 * Splits the model's end-of-edit summary into "what changed / why" and "trade-offs" by looking for
 * a trade-off/alternative paragraph; the text is quoted as the model wrote it.
 */
export function splitModelSummary(text: string | undefined): { changed: string; tradeoffs: string } {
  const t = (text ?? '').trim();
  if (!t) return { changed: '(the model gave no summary)', tradeoffs: '(none stated)' };
  const paras = t.split(/\n\s*\n/);
  const i = paras.findIndex((p) => /trade-?offs?|alternatives?/i.test(p));
  if (i <= 0) return { changed: t, tradeoffs: i === 0 ? t : '(none stated)' };
  return { changed: paras.slice(0, i).join('\n\n'), tradeoffs: paras.slice(i).join('\n\n') };
}

/** Quotes text as a markdown blockquote, with HTML comments defused so no one can forge our marker. */
const quote = (t: string) => t.replace(/<!--/g, '&lt;!--').split('\n').map((l) => `> ${l}`).join('\n');

function testsSection(runs: TestRunLine[], testCmd: string): string {
  if (runs.length === 0) return `\`${testCmd}\` was not run.`;
  return [
    `Command: \`${testCmd}\` (in the sandbox)`,
    '',
    '| iteration | result | passed | failed | skipped |',
    '|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.iteration} | ${r.passed ? 'pass' : 'FAIL'} | ${r.counts.passed} | ${r.counts.failed} | ${r.counts.skipped} |`),
  ].join('\n');
}

function numbers(s: RunSummary): string {
  return `- Iterations: ${s.iterations} (model calls ${s.steps})\n- Tokens: ${tokensOf(s)} (input ${totalInput(s.usage)}, output ${s.usage.outputTokens})\n- USD: $${s.usd.toFixed(4)}\n- Run id: \`${s.runId}\` (${s.provider}/${s.model}, sandbox ${s.sandbox.backend}${s.sandbox.isolated ? '' : ', NOT isolated'})`;
}

/** Pull request body with the fixed sections; `fixes` adds `Fixes #N`. */
export function pullRequestBody(s: RunSummary, o: { testCmd: string; fixes?: number; marker: string; context: string }): string {
  const { changed, tradeoffs } = splitModelSummary(s.summary);
  return [
    o.marker,
    o.context,
    '',
    '## What changed',
    s.touchedFiles.length ? s.touchedFiles.map((f) => `- \`${f}\``).join('\n') : '- (no files)',
    '',
    quote(changed),
    '',
    '## Why',
    s.plan ? quote(s.plan.trim()) : '(no plan recorded)',
    '',
    '## Trade-offs and alternatives considered',
    quote(tradeoffs),
    '',
    '## Tests run',
    testsSection(testRunsOf(s), o.testCmd),
    '',
    '## Run',
    numbers(s),
    '',
    o.fixes ? `Fixes #${o.fixes}` : '',
    '',
    '_Written by patchloop; the summary quotes come from the model, the numbers from the run trace._',
  ].join('\n');
}

/** Comment on the issue linking the pull request (edited on re-run). */
export function linkComment(s: RunSummary, o: { marker: string; pullUrl: string; pullNumber: number }): string {
  return `${o.marker}\npatchloop opened #${o.pullNumber} for this issue: ${o.pullUrl}\n\nLatest run \`${s.runId}\`: ${s.status}, ${s.iterations} iteration(s), ${tokensOf(s)} tokens, $${s.usd.toFixed(4)}.`;
}

/** Comment when the run did not resolve: what was tried, why it stopped, the numbers. */
export function failureComment(s: RunSummary, o: { marker: string; testCmd: string }): string {
  const runs = testRunsOf(s);
  const last = runs.at(-1);
  return [
    o.marker,
    `patchloop could not resolve this (run \`${s.runId}\`): **${s.status}**${s.reason ? ` — ${s.reason}` : ''}. Nothing was pushed.`,
    '',
    '## What was tried',
    s.plan ? quote(s.plan.trim()) : '(no plan recorded)',
    s.touchedFiles.length ? `\nFiles edited in the attempt: ${s.touchedFiles.map((f) => `\`${f}\``).join(', ')}` : '',
    '',
    '## Tests run',
    testsSection(runs, o.testCmd),
    last && last.failing.length ? `\nStill failing: ${last.failing.slice(0, 10).map((f) => `\`${f}\``).join(', ')}` : '',
    '',
    '## Run',
    numbers(s),
  ].join('\n');
}

/** Markdown for `$GITHUB_STEP_SUMMARY`. */
export function stepSummary(s: RunSummary, o: { title: string; pullUrl?: string; testCmd: string }): string {
  return [
    `## patchloop: ${o.title}`,
    '',
    `**${s.status}**${s.reason ? ` — ${s.reason}` : ''}${o.pullUrl ? ` · pull request: ${o.pullUrl}` : ''}`,
    '',
    numbers(s),
    '',
    testsSection(testRunsOf(s), o.testCmd),
    '',
  ].join('\n');
}
