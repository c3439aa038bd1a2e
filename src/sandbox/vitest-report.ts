/**
 * Vitest's JSON reporter as the source of structured test results. Shapes follow vitest 4.1's
 * `--reporter=json` output (Jest-compatible: testResults[].assertionResults[] with ancestorTitles,
 * title, status, failureMessages), checked against a real run 2026-11-28.
 */
import path from 'node:path';
import type { TestCaseResult } from './types.ts';

/** A `vitest` invocation (npx vitest, pnpm vitest, node_modules/.bin/vitest, node …/vitest.mjs). */
const VITEST_RE = /(^|[\s/])vitest(\.mjs)?(?=\s|$)/;

/** Quotes a path for sh; `$TMPDIR`-style prefixes stay expandable (they are ours, not a model's). */
function shellArg(s: string): string {
  if (/^[\w./${}-]+$/.test(s)) return `"${s}"`;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Adds the JSON reporter to the shell segment that runs vitest (segments split on `&&`, `||`, `;`,
 * `|`). Commands that do not visibly run vitest (e.g. `npm test`) come back unchanged.
 * @param outFile where the report goes, e.g. `$TMPDIR/patchloop-vitest.json`
 */
export function withVitestJsonReporter(cmd: string, outFile: string): string {
  const parts = cmd.split(/(\s*(?:&&|\|\||;|\|)\s*)/);
  for (let i = 0; i < parts.length; i += 2) {
    const seg = parts[i]!;
    if (!VITEST_RE.test(seg)) continue;
    if (/--reporter[=\s]+json\b/.test(seg)) return cmd;
    parts[i] = `${seg.trimEnd()} --reporter=default --reporter=json --outputFile.json=${shellArg(outFile)}`;
    return parts.join('');
  }
  return cmd;
}

interface JsonAssertion {
  ancestorTitles?: string[];
  title?: string;
  fullName?: string;
  status?: string;
  failureMessages?: string[];
}
interface JsonFile {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: JsonAssertion[];
}

/** Lines of a failure message kept as `message`. */
const MESSAGE_LINES = 3;
/** Stack frames kept as `stack`. */
const STACK_FRAMES = 5;

/**
 * Parses vitest's JSON report into test cases.
 * @param json the report text (or already-parsed object)
 * @param root the worktree root, to make paths repo-relative
 * @throws Error when the text is not JSON or has no `testResults` array
 */
export function parseVitestJson(json: string | unknown, root: string): TestCaseResult[] {
  const data = (typeof json === 'string' ? JSON.parse(json) : json) as { testResults?: JsonFile[] };
  if (!data || !Array.isArray(data.testResults)) throw new Error('parseVitestJson: no testResults array in the report');
  const out: TestCaseResult[] = [];
  for (const file of data.testResults) {
    const rel = relativeTo(root, file.name ?? '');
    const cases = file.assertionResults ?? [];
    for (const a of cases) {
      const fullName = [...(a.ancestorTitles ?? []), a.title ?? ''].filter((t) => t !== '').join(' > ');
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      const tc: TestCaseResult = { id: `${rel}::${fullName}`, file: rel, fullName, status };
      if (status === 'failed') Object.assign(tc, splitFailure((a.failureMessages ?? []).join('\n'), root));
      out.push(tc);
    }
    // A file that failed to load (syntax error, missing import) has no cases but a message.
    if (cases.length === 0 && file.status === 'failed') {
      out.push({ id: `${rel}::(file)`, file: rel, fullName: '(file)', status: 'failed', ...splitFailure(file.message ?? 'test file failed to run', root) });
    }
  }
  return out;
}

function relativeTo(root: string, file: string): string {
  if (!file) return '(unknown)';
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  return rel.split(path.sep).join('/');
}

/** Splits a failure text into its first message lines and a short repo-relative stack. */
export function splitFailure(text: string, root: string): { message: string; stack?: string } {
  const lines = text.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at\s/.test(l));
  const msgLines = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).filter((l) => l.trim() !== '');
  const message = msgLines.slice(0, MESSAGE_LINES).join('\n').trim() || 'test failed';
  if (firstFrame === -1) return { message };
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const frames = lines
    .slice(firstFrame)
    .filter((l) => /^\s+at\s/.test(l) && !l.includes('node_modules') && !l.includes('node:internal') && !l.includes('(<anonymous>)'))
    .slice(0, STACK_FRAMES)
    .map((l) => l.trim().split(`file://${prefix}`).join('').split(prefix).join(''));
  return frames.length > 0 ? { message, stack: frames.join('\n') } : { message };
}
