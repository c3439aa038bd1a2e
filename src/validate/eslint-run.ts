/**
 * Shared by the lint and security validators: lint the current and the base text of each touched
 * file with one warm ESLint engine and keep only the messages that are new (multiset by file +
 * rule + message, then across touched files for moved code; see `newFindingsAcrossFiles`). Parse
 * failures are left to the syntax validator. The engine is patchloop's own ESLint in-process
 * (security rules, patchloop's config) or the sandboxed worker (the repository's config).
 */
import { createHash } from 'node:crypto';
import type { ESLint, Linter } from 'eslint';
import { newFindingsAcrossFiles } from './base.ts';
import type { Finding, ValidatorName } from './types.ts';
import type { Workspace } from './workspace.ts';

/** The parts of an ESLint message the validators use. */
export type LintMessage = Pick<Linter.LintMessage, 'ruleId' | 'message' | 'line' | 'column' | 'severity' | 'messageId'> & { fatal?: boolean; fixable?: boolean };

/** Lints texts as if at `abs` paths; null for a file the configuration ignores. */
export interface LintEngine {
  lint(items: { abs: string; text: string }[]): Promise<(LintMessage[] | null)[]>;
}

/** An engine over an in-process ESLint instance. */
export function inProcessEngine(eslint: ESLint): LintEngine {
  return {
    async lint(items) {
      const out: (LintMessage[] | null)[] = [];
      for (const { abs, text } of items) {
        if (await eslint.isPathIgnored(abs)) {
          out.push(null);
          continue;
        }
        const [r] = await eslint.lintText(text, { filePath: abs, warnIgnored: false });
        out.push((r?.messages ?? []).map((m) => ({ ...m, fixable: Boolean(m.fix) || Boolean(m.suggestions?.length) })));
      }
      return out;
    },
  };
}

/** Maps one ESLint message to a rule id and message; return undefined to drop it. */
export type MessageMapper = (m: LintMessage, at: { file: string; text: string }) => { rule: string; message: string; suggestion?: string } | undefined;

function toFindings(messages: LintMessage[], file: string, text: string, validator: ValidatorName, map: MessageMapper): Finding[] {
  const out: Finding[] = [];
  for (const m of messages) {
    if (m.fatal || !m.ruleId) continue; // parse errors belong to `syntax`; "file ignored" notices are not findings
    const mapped = map(m, { file, text });
    if (!mapped) continue;
    out.push({ validator, file, line: m.line, column: m.column, severity: m.severity === 2 ? 'error' : 'warning', ...mapped });
  }
  return out;
}

/** Most entries a {@link BaseLintCache} keeps before it starts over (one per file and context). */
const BASE_LINT_CACHE_ENTRIES = 500;

/**
 * The findings of each touched file's *base* text, kept across validations of one run: the base
 * text never changes, so linting it again on every repair iteration (half the lint time of a warm
 * validation on remeda, 2026-12-02) buys nothing. An entry is reused only when the file, its base
 * text and `context` are identical — `context` is what else decides the answer (for type-aware
 * rules, the current texts of the other changed files; empty for rules that read one file alone).
 */
export class BaseLintCache {
  private readonly byKey = new Map<string, Finding[]>();

  /** Cached findings of `file` at `baseText` in `context`, or undefined. */
  get(file: string, baseText: string, context: string): Finding[] | undefined {
    return this.byKey.get(BaseLintCache.key(file, baseText, context));
  }

  set(file: string, baseText: string, context: string, findings: Finding[]): void {
    if (this.byKey.size >= BASE_LINT_CACHE_ENTRIES) this.byKey.clear();
    this.byKey.set(BaseLintCache.key(file, baseText, context), findings);
  }

  private static key(file: string, baseText: string, context: string): string {
    return `${file}\u0000${createHash('sha256').update(baseText).update('\u0000').update(context).digest('hex')}`;
  }
}

/**
 * New ESLint findings for `files` (repo-relative) relative to base. With `cache`, a file's base
 * findings already computed in the same `cache.context(file)` are reused instead of linting again.
 * @throws whatever the engine throws for a broken configuration (the caller reports it as skipped).
 */
export async function lintNew(engine: LintEngine, ws: Workspace, files: string[], validator: ValidatorName, map: MessageMapper, cache?: { store: BaseLintCache; context: (file: string) => string }): Promise<Finding[]> {
  const present = files.flatMap((file) => {
    const text = ws.text(file);
    return text === undefined ? [] : [{ file, text }];
  });
  const results = await engine.lint(present.map(({ file, text }) => ({ abs: ws.abs(file), text })));
  const current: Finding[] = [];
  const linted: string[] = [];
  present.forEach(({ file, text }, i) => {
    const msgs = results[i];
    if (!msgs) return;
    linted.push(file);
    current.push(...toFindings(msgs, file, text, validator, map));
  });
  if (current.length === 0) return [];
  // Base of every linted file, so code moved between touched files does not count as new.
  const bases = (await Promise.all(linted.map(async (file) => ({ file, text: await ws.base.read(file) })))).filter((b): b is { file: string; text: string } => b.text !== undefined);
  const cached = bases.map(({ file, text }) => cache?.store.get(file, text, cache.context(file)));
  const missing = bases.filter((_, i) => cached[i] === undefined);
  const baseResults = await engine.lint(missing.map(({ file, text }) => ({ abs: ws.abs(file), text })));
  let next = 0;
  const base = bases.flatMap(({ file, text }, i) => {
    if (cached[i]) return cached[i];
    const found = toFindings(baseResults[next++] ?? [], file, text, validator, map);
    cache?.store.set(file, text, cache.context(file), found);
    return found;
  });
  return newFindingsAcrossFiles(current, base);
}
