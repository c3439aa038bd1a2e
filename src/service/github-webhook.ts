/**
 * `POST /v1/github/webhook`: a GitHub App (or repository webhook) alternative to the Action. The
 * body's `X-Hub-Signature-256` is verified with @octokit/webhooks against the configured secret
 * before anything is read; each delivery id is accepted once. Three events become jobs:
 * `issues.labeled` with the `patchloop` label → an `issue` job; an `issue_comment` starting with
 * `/patchloop` from an owner, member or collaborator → an `issue` job; a `workflow_run` completed
 * with `failure` → a `ci-fix` job on its branch at the commit the run tested (`head_sha`). The
 * payload is untrusted: only numbers, the repository's full name, the branch name and the commit id
 * are taken from it, each checked by pattern.
 */
import { Webhooks } from '@octokit/webhooks';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { RequestError } from './repo-path.ts';
import { COMMIT_SHA_RE, GITHUB_BRANCH_RE, GITHUB_REPO_RE, type RunRequest } from './run-request.ts';

/** Label that asks patchloop to resolve an issue. */
export const TRIGGER_LABEL = 'patchloop';
/** Comment prefix that asks patchloop to resolve an issue. */
export const TRIGGER_COMMAND = '/patchloop';
/** Author associations allowed to trigger by comment (GitHub REST docs, "author_association", 2026). */
export const TRUSTED_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'];
/** Key id recorded on jobs that came from GitHub (no API key submitted them). */
export const GITHUB_KEY_ID = 'github-webhook';

/** The GitHub job a delivery asks for, or why it asks for none. */
export type WebhookDecision = { job: NonNullable<RunRequest['github']>; why: string } | { ignore: string };

/** Decides what an (already verified) event asks for; the job it returns passes `githubJobSchema`. Pure. */
export function decide(event: string, payload: unknown): WebhookDecision {
  const p = payload as Record<string, any>;
  const repo = typeof p?.repository?.full_name === 'string' && GITHUB_REPO_RE.test(p.repository.full_name) ? (p.repository.full_name as string) : undefined;
  if (!repo) return { ignore: 'no repository in the payload' };
  if (event === 'issues' && p.action === 'labeled') {
    if (p.label?.name !== TRIGGER_LABEL) return { ignore: `label is not "${TRIGGER_LABEL}"` };
    return Number.isInteger(p.issue?.number) ? { job: { kind: 'issue', repo, number: p.issue.number }, why: `labeled ${TRIGGER_LABEL}` } : { ignore: 'no issue number' };
  }
  if (event === 'issue_comment' && p.action === 'created') {
    const body = typeof p.comment?.body === 'string' ? (p.comment.body as string).trim() : '';
    if (!body.startsWith(TRIGGER_COMMAND)) return { ignore: `comment does not start with ${TRIGGER_COMMAND}` };
    if (!TRUSTED_ASSOCIATIONS.includes(p.comment?.author_association)) return { ignore: `comment author is ${String(p.comment?.author_association)}, not a collaborator` };
    if (p.issue?.pull_request) return { ignore: 'comment on a pull request' };
    return Number.isInteger(p.issue?.number) ? { job: { kind: 'issue', repo, number: p.issue.number }, why: `${TRIGGER_COMMAND} comment` } : { ignore: 'no issue number' };
  }
  if (event === 'workflow_run' && p.action === 'completed') {
    if (p.workflow_run?.conclusion !== 'failure') return { ignore: `workflow run concluded ${String(p.workflow_run?.conclusion)}` };
    const branch = p.workflow_run?.head_branch;
    if (typeof branch !== 'string' || !GITHUB_BRANCH_RE.test(branch)) return { ignore: 'no usable head branch' };
    // The fix must start from the commit that failed, not whatever the checkout holds.
    const headSha = p.workflow_run?.head_sha;
    if (typeof headSha !== 'string' || !COMMIT_SHA_RE.test(headSha)) return { ignore: 'workflow_run.head_sha is not a commit id (40 lowercase hex digits)' };
    return { job: { kind: 'ci-fix', repo, branch, headSha, ...(Number.isInteger(p.workflow_run?.id) ? { workflowRunId: p.workflow_run.id } : {}) }, why: 'workflow run failed' };
  }
  return { ignore: `event ${event}${p.action ? `.${p.action}` : ''} is not handled` };
}

/** Delivery ids seen, so a redelivered or replayed delivery is not run twice. */
export class DeliveryLog {
  constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS github_deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, job_id TEXT, received_at INTEGER NOT NULL)');
  }

  /** Records `id`; false when it was seen before. */
  claim(id: string, event: string, jobId: string | null): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO github_deliveries (id, event, job_id, received_at) VALUES (?,?,?,?)').run(id, event, jobId, Date.now()).changes === 1;
  }
}

export interface WebhookRoute {
  secret: string;
  deliveries: DeliveryLog;
  /** Queues the job; `deliveryId` is recorded in the same step. @returns the job id. */
  submit: (req: RunRequest, claim: (jobId: string) => boolean) => Promise<string | null>;
}

export function registerGitHubWebhook(app: FastifyInstance, o: WebhookRoute): void {
  const webhooks = new Webhooks({ secret: o.secret });
  app.register(async (scope) => {
    // The signature covers the exact bytes: keep the body as a string, parse after verifying.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/v1/github/webhook', async (req, reply) => {
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const signature = header('x-hub-signature-256');
      const event = header('x-github-event');
      const delivery = header('x-github-delivery');
      const raw = typeof req.body === 'string' ? req.body : '';
      if (!signature || !(await webhooks.verify(raw, signature).catch(() => false))) {
        throw new RequestError('bad_signature', 401, 'X-Hub-Signature-256 is missing or does not match the body: check the webhook secret');
      }
      if (!event || !/^[a-z_]{1,64}$/.test(event)) throw new RequestError('missing_event', 400, 'X-GitHub-Event header missing', 'X-GitHub-Event');
      if (!delivery || !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) throw new RequestError('missing_delivery', 400, 'X-GitHub-Delivery header missing or malformed', 'X-GitHub-Delivery');
      let payload: unknown;
      try {
        payload = JSON.parse(raw);
      } catch {
        throw new RequestError('malformed_json', 400, 'the webhook body is not JSON', '(body)');
      }
      const decision = decide(event, payload);
      if ('ignore' in decision) {
        if (!o.deliveries.claim(delivery, event, null)) throw new RequestError('duplicate_delivery', 409, `delivery ${delivery} was already received`);
        return reply.status(202).send({ delivery, ignored: decision.ignore });
      }
      const g = decision.job;
      const task = g.kind === 'issue' ? `Resolve GitHub issue ${g.repo}#${g.number}` : `Fix the failing CI of ${g.repo} on ${g.branch}`;
      const jobId = await o.submit({ repo: { path: g.repo }, task, github: g }, (id) => o.deliveries.claim(delivery, event, id));
      if (!jobId) throw new RequestError('duplicate_delivery', 409, `delivery ${delivery} was already received`);
      return reply.status(202).send({ delivery, id: jobId, kind: g.kind, why: decision.why });
    });
  });
}
