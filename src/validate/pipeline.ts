/**
 * The validation pipeline the loop runs between `edit` and `test`, cheapest first:
 * syntax → completeness → imports (always) → types → lint → style → security (skipped, with the
 * reason, when syntax failed: their output would be noise). New type errors that the TypeScript
 * language service can fix unambiguously (missing import, misspelling, missing await) are fixed on
 * disk first and the files re-validated — zero tokens — and reported in `autoFixes`.
 *
 * One pipeline per run: the ts-morph Project, ESLint instances and base-ref cache stay warm
 * across iterations; each `run` re-reads the touched files from disk.
 *
 * Where each validator runs (issue 12): everything that loads repository code — lint (the
 * repository's ESLint config and plugins), the Prettier part of style (its config and plugins) and
 * types when the repository has its own TypeScript — runs in one long-lived sandboxed worker
 * (`sandboxed/`); syntax, completeness, imports, naming, security and types with the bundled
 * TypeScript run on the host, as they only parse the repository's files with patchloop's own code.
 * `prewarm` starts that worker and builds the programs while the loop plans (issue 13).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PatchloopError, describeError } from '../errors.ts';
import { applySafeFixes, type WriteFile } from './autofix.ts';
import type { GitExec } from './base.ts';
import { createCompletenessValidator } from './completeness.ts';
import { createImportsValidator } from './imports.ts';
import { BaseLintCache } from './eslint-run.ts';
import { RepoLinter } from './lint.ts';
import { SecurityLinter } from './security.ts';
import { checkStyle } from './style.ts';
import { createSyntaxValidator } from './syntax.ts';
import { TypeChecker, suggestionFor, type TypesBackend } from './typecheck.ts';
import { createSandbox, type Sandbox } from '../sandbox/index.ts';
import { prewarmWorker } from './sandboxed/prewarm.ts';
import { RepoTypeChecker, hasOwnTypeScript } from './sandboxed/repo-types.ts';
import { ValidationWorker } from './sandboxed/worker-client.ts';
import { CRASHED, type Finding, type ValidationInput, type ValidationReport, type ValidatorName } from './types.ts';
import { Workspace } from './workspace.ts';

/** Upper bound on auto-fix rounds per run (each round applies at most one fix per file). */
const MAX_FIX_ROUNDS = 8;

export interface PipelineOptions {
  /** Absolute worktree root. */
  root: string;
  /** Git ref findings are compared against (e.g. the run's start commit). */
  baseRef: string;
  /** Allowed bare import specifiers; undefined = anything declared in package.json. */
  allowImports?: string[];
  /** Validators to leave out (e.g. `['lint']`), reported as skipped. */
  disable?: ValidatorName[];
  /** Apply safe TypeScript code fixes. Default true. */
  autoFix?: boolean;
  /** Injected side effects: git, file writes (auto-fixes), clock (ms). */
  deps?: { git?: GitExec; writeFile?: WriteFile; now?: () => number };
  /**
   * The sandbox repository code runs in (the run's own). Default: `createSandbox({ backend: 'auto' })`,
   * which warns through `warn` when it falls back to the non-isolating process backend.
   */
  sandbox?: Sandbox | Promise<Sandbox>;
  /** One-line warnings for the person (default: stderr). */
  warn?: (line: string) => void;
}

export interface ValidationPipeline {
  /**
   * Validates the candidate on disk. `touchedFiles` are repo-relative; files touched in earlier
   * runs stay part of the base comparison. Never throws for bad code; rejects when `baseRef` is
   * not a commit (message names the ref), when a touched path is absolute or leaves the root
   * (`PatchloopError` code `bad_touched_path`), or when the environment is broken.
   */
  run(touchedFiles: string[], opts?: { lastStopReason?: string; autoFix?: boolean }): Promise<ValidationReport>;
  /**
   * Starts the sandboxed worker and builds, in the background, what the first validation needs:
   * the repository's TypeScript program and ESLint/Prettier configs in the worker, the ts-morph
   * Project on the host. Callers need not await it (the run does not); it resolves when the
   * warm-up is done and never rejects: failures surface (as skipped validators) on `run`.
   */
  prewarm(): Promise<void>;
  /** Drops the warm state and ends the sandboxed worker. */
  dispose(): void;
}

/** Creates a pipeline for one worktree. Cheap: the Project is built on the first run. */
export function createValidationPipeline(options: PipelineOptions): ValidationPipeline {
  const now = options.deps?.now ?? (() => performance.now());
  const disabled = new Set(options.disable ?? []);
  const warn = options.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  let sandbox: Promise<Sandbox> | undefined;
  const getSandbox = () => (sandbox ??= Promise.resolve(options.sandbox ?? createSandbox({ backend: 'auto', warn })));
  const make = () => {
    const ownTypeScript = hasOwnTypeScript(options.root);
    // With the repository's own TypeScript the host only parses: no program of the whole repository here.
    const ws = new Workspace(options.root, options.baseRef, options.deps?.git, { parseOnly: ownTypeScript || disabled.has('types') });
    // Two workers so the repository's type-check and its lint/format run in parallel (2+ cores).
    const workers = { types: new ValidationWorker(options.root, getSandbox), lint: new ValidationWorker(options.root, getSandbox) };
    const checker: TypesBackend = ownTypeScript ? new RepoTypeChecker(ws, workers.types) : new TypeChecker(ws);
    return { ws, workers, checker, security: new SecurityLinter(ws), lintBase: new BaseLintCache() };
  };
  let { ws, workers, checker, security, lintBase } = make();

  /** Whether repository code runs isolated (bwrap) or only with the environment allowlist (process backend). */
  async function isolatedSandbox(): Promise<boolean> {
    try {
      return (await getSandbox()).isolated;
    } catch {
      return false;
    }
  }

  async function once(touched: string[], lastStopReason: string | undefined): Promise<Omit<ValidationReport, 'durationMs' | 'autoFixes'> & { typeFindings: Awaited<ReturnType<TypeChecker['check']>> }> {
    await ws.base.resolveCommit(); // fail fast, with a clear message, on a bad baseRef
    ws.refresh(touched);
    const input: ValidationInput = { root: options.root, baseRef: options.baseRef, touchedFiles: touched, lastStopReason, allowImports: options.allowImports };
    const findings: Finding[] = [];
    const ran: ValidatorName[] = [];
    const skipped: ValidationReport['skipped'] = [];
    const timingsMs: NonNullable<ValidationReport['timingsMs']> = {};
    let typeFindings: Awaited<ReturnType<TypeChecker['check']>> = [];
    type Outcome = Finding[] | { skipped: string };
    const attempt = async (name: ValidatorName, fn: () => Promise<Outcome>): Promise<Outcome> => {
      if (disabled.has(name)) return { skipped: 'disabled by configuration' };
      const t = now();
      try {
        return await fn();
      } catch (err) {
        // A validator that crashes (broken plugin, odd file) must not sink the run: report it as skipped.
        return { skipped: `${CRASHED}${describeError(err).split('\n')[0]}` };
      } finally {
        if (!disabled.has(name)) timingsMs[name] = Math.round(now() - t);
      }
    };
    const record = (name: ValidatorName, r: Outcome) => {
      if (Array.isArray(r)) {
        ran.push(name);
        findings.push(...r);
      } else skipped.push({ validator: name, reason: r.skipped });
    };
    const step = async (name: ValidatorName, fn: () => Promise<Outcome>) => record(name, await attempt(name, fn));
    await step('syntax', () => createSyntaxValidator(ws).validate(input));
    await step('completeness', () => createCompletenessValidator(ws).validate(input));
    await step('imports', () => createImportsValidator(ws, { exportsCheckedByTypes: checker instanceof RepoTypeChecker && !disabled.has('types') }).validate(input));
    const syntaxFailed = findings.some((f) => f.validator === 'syntax');
    if (syntaxFailed) {
      for (const v of ['types', 'lint', 'style', 'security'] as const) skipped.push({ validator: v, reason: 'syntax errors: fix them first, later checks would only add noise' });
      return { findings, ran, skipped, timingsMs, typeFindings };
    }
    const isolated = await isolatedSandbox();
    const styleNotes: string[] = [];
    // The heavy four at once: types in one sandboxed worker, lint and Prettier in another, security
    // and naming on the host, so a warm validation costs the slowest of them, not their sum.
    // Results are recorded in this fixed order whatever finishes first.
    const heavy: [ValidatorName, () => Promise<Outcome>][] = [
      ['types', async () => {
        typeFindings = await checker.check(touched);
        return typeFindings.map(({ start: _s, length: _l, code: _c, ...f }) => ({ ...f, suggestion: suggestionFor(f.rule), source: checker.source }));
      }],
      ['lint', async () => {
        const r = await new RepoLinter(ws, workers.lint, isolated, lintBase).run(input);
        return 'skipped' in r ? r : r.findings;
      }],
      ['style', async () => {
        const r = await checkStyle(ws, input, { worker: workers.lint, isolated });
        if (r.prettierSkipped) styleNotes.push(`prettier part: ${r.prettierSkipped} (naming checked)`);
        return r.findings;
      }],
      ['security', () => security.validate(input)],
    ];
    const outcomes = await Promise.all(heavy.map(([name, fn]) => attempt(name, fn)));
    heavy.forEach(([name], i) => record(name, outcomes[i]!));
    for (const reason of styleNotes) skipped.push({ validator: 'style', reason });
    return { findings, ran, skipped, timingsMs, typeFindings };
  }

  return {
    async run(touchedFiles, opts = {}) {
      const t0 = now();
      const outside = touchedFiles.filter((f) => path.isAbsolute(f) || path.normalize(f).split(path.sep)[0] === '..');
      if (outside.length > 0) {
        throw new PatchloopError('bad_touched_path', `validation: touched files must be repo-relative paths inside ${options.root}, got ${outside.join(', ')}; pass paths relative to the worktree root`);
      }
      let result = await once(touchedFiles, opts.lastStopReason);
      const autoFixes: ValidationReport['autoFixes'] = [];
      if (options.autoFix !== false && opts.autoFix !== false && !disabled.has('types') && result.typeFindings.length > 0) {
        // Fix → re-check types only, until no safe fix applies (bounded: one fix per file per round);
        // then one full re-validation of the fixed files.
        let pending = result.typeFindings;
        for (let round = 0; round < MAX_FIX_ROUNDS && pending.length > 0; round++) {
          const fixes = await applySafeFixes(ws, pending, touchedFiles, checker.fixesAt, options.deps?.writeFile);
          if (fixes.length === 0) break;
          autoFixes.push(...fixes);
          ws.refresh(touchedFiles);
          pending = await checker.check(touchedFiles);
        }
        if (autoFixes.length > 0) result = await once(touchedFiles, opts.lastStopReason);
      }
      const { typeFindings: _t, ...report } = result;
      return { ...report, autoFixes, durationMs: now() - t0 };
    },
    async prewarm() {
      const inWorker = prewarmWorker(options.root, workers, checker, disabled);
      // The host Project (syntax, imports, naming) and the security rules' ESLint after the worker
      // has started: building them blocks this process's event loop, so it must not delay the worker's start.
      const onHost = new Promise<void>((resolve) =>
        setImmediate(() => {
          try {
            ws.warm();
          } catch {
            // a broken tsconfig surfaces on the first run
          }
          resolve();
        }),
      ).then(() => (disabled.has('security') ? undefined : security.warm()));
      await Promise.all([inWorker, onHost]);
    },
    dispose() {
      workers.types.dispose();
      workers.lint.dispose();
      ({ ws, workers, checker, security, lintBase } = make());
    },
  };
}
