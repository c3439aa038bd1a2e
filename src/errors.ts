/**
 * One root error class for everything patchloop throws on purpose. Each subclass carries a stable
 * `code`, a readable message that names the problem and the fix, the CLI exit code it maps to, and
 * the original `cause` when there was one. Recoverable problems inside a run (an edit that does not
 * apply, a failing test) are NOT errors: they go back to the model as data.
 *
 * Exit codes (documented in the README): 0 resolved, 1 not resolved, 2 usage/config, 3 budget,
 * 4 environment, 130 interrupted.
 */
export class PatchloopError extends Error {
  /** Stable machine-readable code, e.g. `not_a_git_repo`. */
  readonly code: string;
  /** Process exit code the CLI uses when this error ends a command. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad flags or arguments. Exit code 2. */
export class UsageError extends PatchloopError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 2, cause });
  }
}

/** Invalid configuration (config file, env vars, missing API key). Exit code 2. */
export class ConfigError extends PatchloopError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 2, cause });
  }
}

/** The machine cannot do what was asked: not a git repo, no sandbox, deps not installed. Exit code 4. */
export class EnvironmentError extends PatchloopError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 4, cause });
  }
}

/** A spend limit refused the work before it started (daily cap, budget pre-flight). Exit code 3. */
export class BudgetError extends PatchloopError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 3, cause });
  }
}

/**
 * A model provider failed. `retryable` says whether trying the same provider again may heal it
 * (429, 529, 5xx, connection reset) or not (auth, model not found, region) — the chain decides on it.
 */
export class ModelError extends PatchloopError {
  readonly retryable: boolean;
  readonly status: number | undefined;
  /** Milliseconds the provider asked us to wait (`retry-after`/`retry-after-ms`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    opts: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, message, { exitCode: 1, cause: opts.cause });
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Renders any thrown value as one line for a person. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
