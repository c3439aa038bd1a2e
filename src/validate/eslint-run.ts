/**
 * Shared by the lint and security validators: lint the current and the base text of each touched
 * file with one warm ESLint instance and keep only the messages that are new (multiset by file +
 * rule + message, then across touched files for moved code; see `newFindingsAcrossFiles`). Parse failures are left to the syntax validator.
 */
import type { ESLint, Linter } from 'eslint';
import { newFindingsAcrossFiles } from './base.ts';
import type { Finding, ValidatorName } from './types.ts';
import type { Workspace } from './workspace.ts';

/** Maps one ESLint message to a rule id and message; return undefined to drop it. */
export type MessageMapper = (m: Linter.LintMessage, at: { file: string; text: string }) => { rule: string; message: string; suggestion?: string } | undefined;

async function lintOne(eslint: ESLint, ws: Workspace, file: string, text: string, validator: ValidatorName, map: MessageMapper): Promise<Finding[]> {
  const [result] = await eslint.lintText(text, { filePath: ws.abs(file), warnIgnored: false });
  const out: Finding[] = [];
  for (const m of result?.messages ?? []) {
    if (m.fatal || !m.ruleId) continue; // parse errors belong to `syntax`; "file ignored" notices are not findings
    const mapped = map(m, { file, text });
    if (!mapped) continue;
    out.push({ validator, file, line: m.line, column: m.column, severity: m.severity === 2 ? 'error' : 'warning', ...mapped });
  }
  return out;
}

/**
 * New ESLint findings for `files` (repo-relative) relative to base.
 * @throws whatever ESLint throws for a broken configuration (the caller reports it as skipped).
 */
export async function lintNew(eslint: ESLint, ws: Workspace, files: string[], validator: ValidatorName, map: MessageMapper): Promise<Finding[]> {
  const current: Finding[] = [];
  const linted: string[] = [];
  for (const file of files) {
    const text = ws.text(file);
    if (text === undefined || (await eslint.isPathIgnored(ws.abs(file)))) continue;
    linted.push(file);
    current.push(...(await lintOne(eslint, ws, file, text, validator, map)));
  }
  if (current.length === 0) return [];
  // Base of every linted file, so code moved between touched files does not count as new.
  const base: Finding[] = [];
  for (const file of linted) {
    const baseText = await ws.base.read(file);
    if (baseText !== undefined) base.push(...(await lintOne(eslint, ws, file, baseText, validator, map)));
  }
  return newFindingsAcrossFiles(current, base);
}
