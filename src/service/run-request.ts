/**
 * The body of `POST /v1/runs`, as a JSON Schema that Fastify (ajv) enforces before any handler runs:
 * unknown fields are refused (not stripped), every string and list has a bound, and the error
 * names the field. Everything in it is untrusted.
 */

export interface RunRequest {
  repo: { path?: string; url?: string; ref?: string };
  /** The task in the user's words. */
  task: string;
  /** Test command run in the sandbox; default detected from the repository's package.json. */
  testCmd?: string;
  /** One of the providers the server allows (default: the server's). */
  provider?: string;
  model?: string;
  /** Hard caps of the run: tokens (input incl. cache + output) and USD. */
  budget?: { tokens?: number; usd?: number };
  maxIterations?: number;
  /** Repo-relative files the model may not edit. */
  lockedFiles?: string[];
  /** Set only by the GitHub webhook (not accepted from clients): run the `issue` / `ci-fix` command. */
  github?: { kind: 'issue' | 'ci-fix'; repo: string; number?: number; branch?: string; workflowRunId?: number };
}

/** Limits on a request, in characters / items. The body as a whole is capped by `BODY_LIMIT_BYTES`. */
export const LIMITS = { taskChars: 100_000, pathChars: 4096, cmdChars: 2000, lockedFiles: 200 } as const;
/** Largest accepted request body: 256 KB (a task of `LIMITS.taskChars` fits with room). */
export const BODY_LIMIT_BYTES = 256 * 1024;

const relPath = { type: 'string', minLength: 1, maxLength: LIMITS.pathChars } as const;

export const runRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['repo', 'task'],
  properties: {
    repo: {
      type: 'object',
      additionalProperties: false,
      properties: {
        path: relPath,
        // https, ssh, scp-like git@host:path; http only for --git-allow-http hosts (checked in repo-url.ts).
        url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^(https://|http://|ssh://|git@)' },
        ref: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' },
      },
      oneOf: [{ required: ['path'] }, { required: ['url'] }],
    },
    task: { type: 'string', minLength: 1, maxLength: LIMITS.taskChars, pattern: '\\S' },
    testCmd: { type: 'string', minLength: 1, maxLength: LIMITS.cmdChars },
    provider: { type: 'string', enum: ['anthropic', 'openai-compatible', 'chain', 'replay'] },
    model: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/@-]*$' },
    budget: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tokens: { type: 'integer', minimum: 1000, maximum: 100_000_000 },
        usd: { type: 'number', exclusiveMinimum: 0, maximum: 10_000 },
      },
    },
    maxIterations: { type: 'integer', minimum: 1, maximum: 50 },
    lockedFiles: { type: 'array', maxItems: LIMITS.lockedFiles, items: relPath },
  },
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['queued', 'running', 'resolved', 'max_iterations', 'budget_exhausted', 'failed', 'interrupted', 'error'] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export const waitQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { wait: { type: 'number', minimum: 0, maximum: 600 } },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^r-[A-Za-z0-9-]{1,64}$' } },
} as const;
