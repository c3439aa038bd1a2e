/**
 * Validator 5 — lint: the repository's own flat ESLint config (`eslint.config.{js,mjs,cjs,ts,mts,cts}`)
 * through ESLint's Node API, touched files only, new findings only.
 *
 * Trust: loading that config executes repository code in this process. We accept that for the
 * config as it is at base (the user's repository), but refuse to load a config the edit itself
 * changed — that would run model-written code outside the sandbox.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { lintNew } from './eslint-run.ts';
import type { Finding, ValidationInput } from './types.ts';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

export const ESLINT_CONFIG_FILES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];

/** Result of a validator that may decline to run: findings, or a reason it was skipped. */
export type MaybeSkipped = { findings: Finding[] } | { skipped: string };

/** Returns the reason to skip when a config file among `names` was changed relative to base, else undefined. */
export async function changedConfig(ws: Workspace, names: string[]): Promise<string | undefined> {
  for (const n of names) {
    if (ws.text(n) !== (await ws.base.read(n))) return `${n} differs from base; not executing edited config outside the sandbox`;
  }
  return undefined;
}

/** Lint runner with a warm ESLint instance (created on first use). */
export class RepoLinter {
  private eslint: ESLint | undefined;
  constructor(private readonly ws: Workspace) {}

  /** Config file name at the root, or undefined. */
  configFile(): string | undefined {
    return ESLINT_CONFIG_FILES.find((n) => existsSync(path.join(this.ws.root, n)));
  }

  async run(input: ValidationInput): Promise<MaybeSkipped> {
    const config = this.configFile();
    if (!config) return { skipped: 'no ESLint flat config (eslint.config.js) at the repository root' };
    const edited = await changedConfig(this.ws, [config]);
    if (edited) return { skipped: edited };
    this.eslint ??= new ESLint({ cwd: this.ws.root, errorOnUnmatchedPattern: false });
    try {
      const files = input.touchedFiles.filter((f) => SCRIPT_EXT.test(f));
      const findings = await lintNew(this.eslint, this.ws, files, 'lint', (m) => ({
        rule: m.ruleId ?? 'eslint',
        message: m.message,
        suggestion: m.fix || m.suggestions?.length ? 'eslint can fix this automatically; apply the same change' : undefined,
      }));
      return { findings };
    } catch (err) {
      this.eslint = undefined;
      return { skipped: `ESLint could not run with ${config}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
  }
}
