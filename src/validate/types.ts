/**
 * Validators check a candidate edit before the tests run, cheapest first, and return findings in
 * one shape so the repair prompt can group, dedupe and cap them.
 */

export type ValidatorName = 'syntax' | 'completeness' | 'imports' | 'types' | 'lint' | 'style' | 'security' | 'tests';

export interface Finding {
  validator: ValidatorName;
  /** Repo-relative path. */
  file: string;
  /** 1-based line; 0 when the finding is about the whole file. */
  line: number;
  /** 1-based column; 0 when unknown. */
  column: number;
  /** Rule id, e.g. `TS2322`, `security/detect-eval-with-expression`, `imports/unresolved`. */
  rule: string;
  message: string;
  severity: 'error' | 'warning';
  suggestion?: string;
  /** Tool and version that produced it, and where it ran, e.g. `typescript 5.9.3 (repository), sandboxed`. */
  source?: string;
}

export interface ValidationInput {
  /** Absolute worktree root. */
  root: string;
  /** Git ref the candidate is compared against (findings already present there are not reported). */
  baseRef: string;
  /** Repo-relative paths the edit touched. */
  touchedFiles: string[];
  /** stop_reason of the model turn that produced the edit (truncation check). */
  lastStopReason?: string;
  /** Bare specifiers allowed (`--allow-imports`); undefined = anything declared in package.json. */
  allowImports?: string[];
}

export interface ValidationReport {
  findings: Finding[];
  /** Validators that ran, and skipped ones with the reason (e.g. "lint: no ESLint config"). */
  ran: ValidatorName[];
  skipped: { validator: ValidatorName; reason: string }[];
  /** Deterministic fixes applied (TS code fixes), each costing zero tokens. */
  autoFixes: { file: string; fix: string; diff: string }[];
  durationMs: number;
  /** Wall time of each validator that ran or crashed in the last pass, ms (where the time goes). */
  timingsMs?: Partial<Record<ValidatorName, number>>;
  /** Set when a warm validation server (src/validate/server) ran it, e.g. `server, warm (2 earlier runs)`. */
  server?: string;
}

export interface Validator {
  name: ValidatorName;
  validate(input: ValidationInput): Promise<Finding[]>;
}

/** Start of a `skipped` reason for a validator that threw instead of answering (pipeline.ts): a gap in the check, not a choice. */
export const CRASHED = 'crashed: ';

/** The skipped entries (of a report, or of a trace's validation line) whose validator crashed (no config, disabled or syntax-first skips are not). */
export function crashedValidators<T extends { reason: string }>(skipped: T[]): T[] {
  return skipped.filter((s) => s.reason.startsWith(CRASHED));
}
