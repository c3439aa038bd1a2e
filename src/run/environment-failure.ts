/**
 * Telling an environment failure apart from a test failure. A test command that failed and left no
 * test result to read — the runner or its config crashed, the filesystem refused a write (EROFS),
 * the runner module is missing, the command does not exist — says nothing about the code under
 * test; the model needs the real error text, and the person needs a fix the model cannot make.
 */
import type { EnvironmentFailure } from '../machine/context.ts';
import type { TestRunResult } from '../sandbox/types.ts';
import { withVitestJsonReporter } from '../sandbox/vitest-report.ts';

/** Characters of the output's head and tail kept in the excerpt (the error is usually in one of them). */
export const EXCERPT_HEAD_CHARS = 800;
export const EXCERPT_TAIL_CHARS = 1600;

/** Output patterns of a broken environment, each with the fix for the person. Checked in order. */
const KNOWN: { pattern: RegExp; fix: string }[] = [
  { pattern: /\bEROFS\b|read-only file system/i, fix: 'the test command writes where the sandbox is read-only (often node_modules/.vite-temp or a cache); point the cache elsewhere or run with a writable node_modules layer' },
  { pattern: /\bERR_MODULE_NOT_FOUND\b|Cannot find (?:module|package) ['"][^'"]*(?:vitest|jest|mocha|vite|ts-node|tsx)/i, fix: 'the test runner or one of its modules is not installed in the worktree: install dependencies in the repository (npm ci) or pass --setup "npm ci"' },
  { pattern: /command not found|: not found\b|\bENOENT\b.*spawn/i, fix: 'the test command does not exist in the sandbox: check --test-cmd and that the tool is installed' },
  { pattern: /(?:vite|vitest|jest)\.config\.[cm]?[jt]s|failed to load config|Error: Failed to load/i, fix: "the test runner's config failed to load: fix the config file (the model may not edit it if it is locked)" },
  { pattern: /no test files found/i, fix: "the test runner found no test files: check --test-cmd and the runner's include patterns" },
  { pattern: /\bEACCES\b|permission denied/i, fix: 'the test command was denied a file it needs: check the sandbox policy and the file modes' },
  { pattern: /\bENOSPC\b|no space left/i, fix: 'the disk is full: free space and run again' },
];
const GENERIC_FIX = 'the test command failed before any test ran: run it by hand in the worktree to see why, fix the environment, then run again';

/** Values of secrets that may not leave this machine: env vars that look like keys/tokens, plus key formats. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v !== undefined && v.length >= 8 && /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i.test(k))
    .map(([, v]) => v!);
}

const KEY_FORMATS = [
  /sk-ant-[A-Za-z0-9_-]{10,}/g, // Anthropic
  /sk-[A-Za-z0-9_-]{20,}/g, // OpenAI-style
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** `text` with every secret value and key-shaped string replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  for (const re of KEY_FORMATS) out = out.replace(re, '[redacted]');
  return out;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Head and tail of the output (ANSI codes removed, secrets redacted), saying how much was cut. */
export function errorExcerpt(output: string, secrets: string[], head = EXCERPT_HEAD_CHARS, tail = EXCERPT_TAIL_CHARS): string {
  const text = redactSecrets(output.replace(ANSI, ''), secrets).trim();
  if (text.length <= head + tail) return text;
  return `${text.slice(0, head)}\n… (${text.length - head - tail} characters cut) …\n${text.slice(-tail)}`;
}

/** A line that names an error: `TypeError: …`, `Error: EROFS …`, `npm error …`, `No test files found`, `sh: x: not found`. */
const ERROR_LINE = /\b(?:[A-Z][A-Za-z]*Error|Error|E[A-Z]{3,})\b[:\s]|^npm (?:error|ERR!)|no test files found|command not found|: not found\b|cannot find/i;
/** Chatter that never explains a failure (npm's update notices and warnings). */
const NOISE = /^npm (?:notice|warn)\b/i;

/** The first line naming an error, else the last line that is not noise. */
function errorLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !NOISE.test(l));
  const line = lines.find((l) => ERROR_LINE.test(l)) ?? lines.at(-1) ?? '(no output)';
  return line.slice(0, 300);
}

/** The failure with its volatile parts (numbers, hex ids, tmp paths) removed, so a repeat compares equal. */
function signatureOf(exitCode: number | null, line: string): string {
  const stable = line.replace(/\/tmp\/[^\s'"]*/g, '<tmp>').replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{4,}\b/gi, '<id>').replace(/\d+/g, '<n>');
  return `exit ${exitCode ?? '-'}: ${stable}`;
}

/**
 * Classifies a failed test run. It is an environment failure when no test result was read and the
 * command failed on its own (not a timeout or a resource limit, which the code under test can
 * cause), and either a vitest report was expected (so the runner never got to the tests), the
 * shell could not run the command (exit 126/127), or the output matches a known pattern. Any other
 * command without a parsed report (a runner patchloop cannot read) stays a test failure.
 * @returns undefined when the run passed or is a test failure.
 */
export function classifyEnvironmentFailure(result: TestRunResult, testCommand: string, secrets: string[]): EnvironmentFailure | undefined {
  const c = result.command;
  if (result.passed || result.tests.length > 0) return undefined;
  if (c.reason !== 'exit' && c.reason !== 'signal') return undefined;
  const text = c.output.replace(ANSI, '');
  const known = KNOWN.find((k) => k.pattern.test(text));
  const reportExpected = withVitestJsonReporter(testCommand, '/dev/null') !== testCommand;
  const shellFailed = c.exitCode === 126 || c.exitCode === 127;
  if (!known && !reportExpected && !shellFailed) return undefined;
  const message = redactSecrets(errorLine(text), secrets);
  return { signature: signatureOf(c.exitCode, message), message, excerpt: errorExcerpt(c.output, secrets), fix: known?.fix ?? GENERIC_FIX };
}

/** The repair prompt's section for an environment failure: the real error, not "fix the code under test". */
export function environmentSection(env: EnvironmentFailure): string {
  return [
    '## The test command could not run (environment failure — no test result was produced)',
    `Error: ${env.message}`,
    'Output of the test command (head and tail):',
    '```',
    env.excerpt,
    '```',
    'If your change caused this (for example a syntax error in a file the test runner loads), fix it. If it is not caused by the code, say so in one sentence and stop editing: the run ends when the same failure repeats.',
  ].join('\n');
}

/** Id of the synthetic failure `runTests` builds when no test result was parsed (src/sandbox/run-tests.ts). */
export const SYNTHETIC_FAILURE_ID = '(command)::(command)';

/** The repair prompt's section for a failed command whose runner patchloop cannot read: its output, capped and redacted. */
export function commandOutputSection(message: string, secrets: string[]): string {
  return ['## Output of the test command (no test results could be read from it)', '```', errorExcerpt(message, secrets), '```'].join('\n');
}
