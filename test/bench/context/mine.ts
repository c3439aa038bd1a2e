/**
 * Mines SWE-bench-style instances from local git repositories for the context bench (a stand-in
 * until `patchloop tasks mine` lands): a commit that modifies source files and test files is an
 * instance; its message is the task text, its parent the base commit, the modified non-test source
 * files the gold files. Only facts (SHAs, paths, messages) are kept; no fetched code is committed.
 */
import { execFileSync } from 'node:child_process';

export interface MinedInstance {
  instance_id: string;
  repo: string;
  base_commit: string;
  /** The source (non-test) part of the commit, unified diff against `base_commit`. */
  patch: string;
  test_patch: string;
  problem_statement: string;
  FAIL_TO_PASS: string[];
}

const TEST_RE = /(\.|_)(test|spec|test-d|bench)\.[cm]?[jt]sx?$|(^|\/)(__tests__|test|tests)\//;
const SOURCE_RE = /\.[cm]?[jt]sx?$/;
const SKIP_SUBJECT = /^(chore|docs|build|ci|style|test|tests|release|revert|merge)\b|\blint\b|\bformat(ting)?\b|\btypos?\b/i;

const git = (dir: string, args: string[]) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

/**
 * Newest-first instances of the bare repository `gitDir` (at most `limit`): commits with 1–3
 * modified non-test source files (none added or deleted) and at least one test file changed.
 */
export function mineInstances(gitDir: string, repo: string, limit: number): MinedInstance[] {
  const log = git(gitDir, ['log', '--no-merges', '--first-parent', '--format=%x00%H%x01%P', '--name-status', '-n', '1500']);
  const out: MinedInstance[] = [];
  for (const entry of log.split('\0').slice(1)) {
    if (out.length >= limit) break;
    const [head, ...rest] = entry.split('\n');
    const [sha, parents] = head!.split('\x01');
    if (!sha || !parents || parents.includes(' ')) continue;
    const changes = rest.filter(Boolean).map((l) => l.split('\t'));
    const source = changes.filter(([, f]) => f && SOURCE_RE.test(f) && !TEST_RE.test(f) && !/(^|\/)(docs?|scripts|examples?|playground|benchmarks?)\//.test(f));
    const tests = changes.filter(([, f]) => f && TEST_RE.test(f));
    if (source.length === 0 || source.length > 3 || tests.length === 0 || source.some(([s]) => s !== 'M')) continue;
    const message = git(gitDir, ['log', '-1', '--format=%B', sha]).trim();
    if (SKIP_SUBJECT.test(message.split('\n')[0]!)) continue;
    const srcFiles = source.map(([, f]) => f!);
    const testFiles = tests.map(([, f]) => f!);
    out.push({
      instance_id: `${repo.replace('/', '__')}-${sha.slice(0, 8)}`,
      repo,
      base_commit: parents,
      patch: git(gitDir, ['diff', '--no-color', parents, sha, '--', ...srcFiles]),
      test_patch: git(gitDir, ['diff', '--no-color', parents, sha, '--', ...testFiles]),
      problem_statement: message,
      FAIL_TO_PASS: testFiles,
    });
  }
  return out;
}

/**
 * Old-file lines a patch changes, per file: `removed` lines, and `insertedBefore` — the old line a
 * block of added lines sits in front of. A symbol is touched when a removed line is inside it or an
 * insertion lands strictly inside it.
 */
export function patchChangedLines(patch: string): Map<string, { removed: number[]; insertedBefore: number[] }> {
  const out = new Map<string, { removed: number[]; insertedBefore: number[] }>();
  let cur: { removed: number[]; insertedBefore: number[] } | undefined;
  let old = 0;
  for (const line of patch.split('\n')) {
    const f = /^--- a\/(.+)$/.exec(line);
    if (f) {
      cur = { removed: [], insertedBefore: [] };
      out.set(f[1]!, cur);
      continue;
    }
    if (line.startsWith('+++') || !cur) continue;
    const h = /^@@ -(\d+)/.exec(line);
    if (h) old = Number(h[1]);
    else if (line.startsWith('-')) cur.removed.push(old++);
    else if (line.startsWith('+')) cur.insertedBefore.push(old);
    else if (line.startsWith(' ')) old++;
  }
  return out;
}
