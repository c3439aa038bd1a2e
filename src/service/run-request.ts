/**
 * The body of `POST /v1/runs`, as a JSON Schema that Fastify (ajv) enforces before any handler runs:
 * unknown fields are refused (not stripped), every string and list has a bound, and the error
 * names the field. Everything in it is untrusted. The `github` part, set only by the webhook, has a
 * zod schema of its own ({@link githubJobSchema}) that a worker checks again when it takes the job.
 */
import { z } from 'zod';

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
  github?: GitHubJobRequest;
}

/** `owner/name` of a GitHub repository. */
export const GITHUB_REPO_RE = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
/** A branch name patchloop hands to git: no option, no `..` range. */
export const GITHUB_BRANCH_RE = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;
/** A full SHA-1 commit id as GitHub sends it (`workflow_run.head_sha`, GitHub webhook events docs, 2026): 40 lowercase hex digits. */
export const COMMIT_SHA_RE = /^[0-9a-f]{40}$/;

/**
 * A webhook job: `issue` (`number`) or `ci-fix` (`branch`, the failed `workflowRunId`, and `headSha`,
 * the commit the failed run tested). Jobs queued before `headSha` existed lack it: their CI fix
 * starts from the checkout's HEAD, as they did then (see github-job.ts).
 */
export const githubJobSchema = z.strictObject({
  kind: z.enum(['issue', 'ci-fix']),
  repo: z.string().regex(GITHUB_REPO_RE),
  number: z.number().int().optional(),
  branch: z.string().regex(GITHUB_BRANCH_RE).optional(),
  workflowRunId: z.number().int().optional(),
  headSha: z.string().regex(COMMIT_SHA_RE).optional(),
});
export type GitHubJobRequest = z.infer<typeof githubJobSchema>;

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
