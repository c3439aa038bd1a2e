/**
 * Validator 5 — lint: the repository's own flat ESLint config (`eslint.config.{js,mjs,cjs,ts,mts,cts}`,
 * the nearest one above each touched file, so monorepo packages keep theirs), touched files only,
 * new findings only.
 *
 * Trust: loading that config executes repository code (the config and its plugins), so it runs in
 * the sandboxed validation worker, never in patchloop's process (issue 12: a hostile
 * `eslint.config.js` read the user's API key on the host). With an isolating sandbox even a config
 * the edit changed is loaded; with the non-isolating `process` backend (environment allowlist only)
 * an edited config is refused, as before.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BaseLintCache, lintNew, type LintEngine } from './eslint-run.ts';
import { LintAnswer, parseAnswer } from './sandboxed/answers.ts';
import type { ValidationWorker } from './sandboxed/worker-client.ts';
import type { Finding, ValidationInput } from './types.ts';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

export const ESLINT_CONFIG_FILES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];

/** Result of a validator that may decline to run: findings, or a reason it was skipped. */
export type MaybeSkipped = { findings: Finding[] } | { skipped: string };

/** Returns the reason to skip when a config file among `names` was changed relative to base, else undefined. */
export async function changedConfig(ws: Workspace, names: string[]): Promise<string | undefined> {
  for (const n of names) {
    if (ws.text(n) !== (await ws.base.read(n))) return `${n} differs from base; not executing edited config outside an isolating sandbox`;
  }
  return undefined;
}

/** Repo-relative path of the flat config nearest above `file` (repo-relative), inside the repository; undefined when none. */
export function nearestConfig(root: string, file: string, names: string[]): string | undefined {
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const rel = dir === '.' ? '' : dir;
    const hit = names.find((n) => existsSync(path.join(root, rel, n)));
    if (hit) return rel ? `${rel}/${hit}` : hit;
    if (rel === '') return undefined;
  }
}

/** An engine that lints through the sandboxed worker with the config of `configDir` (absolute). */
function workerEngine(worker: ValidationWorker, configDir: string, onTool: (tool: string) => void): LintEngine {
  return {
    async lint(items) {
      const answer = parseAnswer(LintAnswer, 'lint', await worker.request('lint', { configDir, files: items.map((i) => ({ path: i.abs, text: i.text })) }));
      onTool(answer.tool);
      return answer.files;
    },
  };
}

/** Lint runner over the sandboxed validation worker (which keeps one ESLint instance per config). */
export class RepoLinter {
  /** Tool and version that produced the last findings, e.g. `eslint 9.39.1 (repository)`. */
  tool = '';

  /**
   * @param baseCache base findings kept across the run's validations (the pipeline owns one); keyed
   *   also by the current texts of the other changed files, which type-aware rules read.
   */
  constructor(
    private readonly ws: Workspace,
    private readonly worker: ValidationWorker,
    private readonly isolated: boolean,
    private readonly baseCache?: BaseLintCache,
  ) {}

  /** What else decides `file`'s base findings: the changed files other than it, with their current texts. */
  private contextOf(file: string): string {
    return [...this.ws.changed].filter((f) => f !== file).sort().map((f) => `${f}\u0000${this.ws.text(f) ?? '\u0001absent'}`).join('\u0000');
  }

  /** Repo-relative configs used for the script files among `files`, each with its files. */
  configsFor(files: string[]): Map<string, string[]> {
    const byConfig = new Map<string, string[]>();
    for (const f of files.filter((x) => SCRIPT_EXT.test(x))) {
      const cfg = nearestConfig(this.ws.root, f, ESLINT_CONFIG_FILES);
      if (cfg) byConfig.set(cfg, [...(byConfig.get(cfg) ?? []), f]);
    }
    return byConfig;
  }

  async run(input: ValidationInput): Promise<MaybeSkipped> {
    const byConfig = this.configsFor(input.touchedFiles);
    if (byConfig.size === 0) return { skipped: 'no ESLint flat config (eslint.config.js) at the repository root or above the touched files' };
    const findings: Finding[] = [];
    for (const [config, files] of byConfig) {
      if (!this.isolated) {
        const edited = await changedConfig(this.ws, [config]);
        if (edited) return { skipped: edited };
      }
      try {
        const engine = workerEngine(this.worker, this.ws.abs(path.posix.dirname(config)), (t) => (this.tool = `${t}, sandboxed`));
        const found = await lintNew(engine, this.ws, files, 'lint', (m) => ({
          rule: m.ruleId ?? 'eslint',
          message: m.message,
          suggestion: m.fixable ? 'eslint can fix this automatically; apply the same change' : undefined,
        }), this.baseCache ? { store: this.baseCache, context: (file) => `${config}\u0000${this.contextOf(file)}` } : undefined);
        findings.push(...found.map((f) => ({ ...f, source: this.tool })));
      } catch (err) {
        return { skipped: `ESLint could not run with ${config}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
      }
    }
    return { findings };
  }
}
