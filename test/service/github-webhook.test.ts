/**
 * GitHub webhooks: only a body signed with the secret is read; a delivery id is accepted once;
 * `issues.labeled` (patchloop), a `/patchloop` comment from a collaborator and a failed
 * `workflow_run` become `issue` / `ci-fix` jobs; everything else is acknowledged and ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startTestService, type TestService, signWebhook, WEBHOOK_SECRET } from './support.ts';
import { decide } from '../../src/service/github-webhook.ts';
import { githubJobSchema } from '../../src/service/run-request.ts';

const SHA = 'a'.repeat(14) + '0123456789abcdef0123456789';

describe('POST /v1/github/webhook', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ workers: 0, githubWebhookSecret: WEBHOOK_SECRET });
    mkdirSync(path.join(t.reposRoot, 'acme', 'widgets'), { recursive: true });
  });
  afterAll(() => t?.close());

  const deliver = (event: string, payload: unknown, o: { delivery?: string; signature?: string | null; body?: string } = {}) => {
    const body = o.body ?? JSON.stringify(payload);
    const signed = JSON.stringify(payload);
    return fetch(`${t.svc.url}/v1/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': o.delivery ?? randomUUID(),
        ...(o.signature === null ? {} : { 'x-hub-signature-256': o.signature ?? signWebhook(signed) }),
      },
      body,
    });
  };
  const repository = { full_name: 'acme/widgets' };
  const labeled = { action: 'labeled', label: { name: 'patchloop' }, issue: { number: 7 }, repository };
  const jobs = () => t.svc.store.list({ limit: 50 });

  it('a tampered body, a wrong secret or no signature → 401, nothing queued', async () => {
    const tampered = JSON.stringify({ ...labeled, issue: { number: 8 } });
    for (const res of [
      await deliver('issues', labeled, { body: tampered }),
      await deliver('issues', labeled, { signature: signWebhook(JSON.stringify(labeled), 'another-secret') }),
      await deliver('issues', labeled, { signature: null }),
    ]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
    }
    expect(jobs()).toEqual([]);
  });

  it('issues.labeled patchloop → one issue job; the same delivery again → 409, still one job', async () => {
    const delivery = randomUUID();
    const res = await deliver('issues', labeled, { delivery });
    expect(res.status).toBe(202);
    const { id, kind } = (await res.json()) as { id: string; kind: string };
    expect(kind).toBe('issue');
    expect(t.svc.store.get(id)!.request.github).toEqual({ kind: 'issue', repo: 'acme/widgets', number: 7 });
    const again = await deliver('issues', labeled, { delivery });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('duplicate_delivery');
    expect(jobs().length).toBe(1);
  });

  it('a /patchloop comment counts only from a collaborator; a failed workflow run → a ci-fix job', async () => {
    const comment = (assoc: string) => ({ action: 'created', comment: { body: '/patchloop please', author_association: assoc }, issue: { number: 9 }, repository });
    const stranger = await deliver('issue_comment', comment('NONE'));
    expect(stranger.status).toBe(202);
    expect(((await stranger.json()) as { ignored?: string }).ignored).toMatch(/not a collaborator/);
    expect(jobs().length).toBe(1);
    expect((await deliver('issue_comment', comment('COLLABORATOR'))).status).toBe(202);
    expect((await deliver('workflow_run', { action: 'completed', workflow_run: { conclusion: 'success', head_branch: 'main', id: 1 }, repository })).status).toBe(202);
    expect(jobs().length).toBe(2);
    const ci = await deliver('workflow_run', { action: 'completed', workflow_run: { conclusion: 'failure', head_branch: 'feature/x', head_sha: SHA, id: 42 }, repository });
    expect(ci.status).toBe(202);
    const { id } = (await ci.json()) as { id: string };
    const job = t.svc.store.get(id)!;
    expect(job.request.github).toEqual({ kind: 'ci-fix', repo: 'acme/widgets', branch: 'feature/x', headSha: SHA, workflowRunId: 42 });
  });

  it('a failed workflow run whose head_sha is not a commit id → 202 ignored with the reason, nothing queued', async () => {
    const before = jobs().length;
    const res = await deliver('workflow_run', { action: 'completed', workflow_run: { conclusion: 'failure', head_branch: 'feature/x', head_sha: '--upload-pack=touch /tmp/x', id: 43 }, repository });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { ignored?: string }).ignored).toMatch(/head_sha/);
    expect(jobs().length).toBe(before);
  });

  it('a repository not checked out under the root → 400, nothing queued', async () => {
    const before = jobs().length;
    const res = await deliver('issues', { ...labeled, repository: { full_name: 'acme/elsewhere' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field?: string } }).error.field).toBe('repo.path');
    expect(jobs().length).toBe(before);
  });
});

describe('decide (workflow_run)', () => {
  const run = (workflowRun: Record<string, unknown>) => decide('workflow_run', { action: 'completed', workflow_run: { conclusion: 'failure', head_branch: 'feature', id: 5, ...workflowRun }, repository: { full_name: 'acme/widgets' } });

  it('a failed run becomes a ci-fix job at its head_sha, on its branch, that the worker-side schema accepts', () => {
    const d = run({ head_sha: SHA });
    expect(d).toEqual({ job: { kind: 'ci-fix', repo: 'acme/widgets', branch: 'feature', headSha: SHA, workflowRunId: 5 }, why: 'workflow run failed' });
    expect(githubJobSchema.safeParse('job' in d ? d.job : null).success).toBe(true);
  });

  it('a head_sha that is missing, short, uppercase, 64 hex or an option is ignored with the reason', () => {
    for (const head_sha of [undefined, 42, SHA.slice(0, 39), SHA.toUpperCase(), SHA + SHA.slice(0, 24), `${SHA.slice(0, 39)}\n`, '-' + SHA.slice(1)]) {
      expect(run({ head_sha })).toEqual({ ignore: 'workflow_run.head_sha is not a commit id (40 lowercase hex digits)' });
    }
  });

  it('the branch is still checked first, and a successful run is still ignored', () => {
    expect(run({ head_sha: SHA, head_branch: 'a..b' })).toEqual({ ignore: 'no usable head branch' });
    expect(run({ head_sha: SHA, head_branch: '-x' })).toEqual({ ignore: 'no usable head branch' });
    expect(run({ head_sha: SHA, conclusion: 'success' })).toEqual({ ignore: 'workflow run concluded success' });
  });

  it('a job queued before head_sha existed still passes the schema; a tampered one does not', () => {
    expect(githubJobSchema.safeParse({ kind: 'ci-fix', repo: 'acme/widgets', branch: 'main', workflowRunId: 1 }).success).toBe(true);
    expect(githubJobSchema.safeParse({ kind: 'ci-fix', repo: 'acme/widgets', branch: 'main', headSha: 'HEAD~1' }).success).toBe(false);
    expect(githubJobSchema.safeParse({ kind: 'ci-fix', repo: 'acme/widgets', branch: 'main', headSha: SHA, extra: 1 }).success).toBe(false);
  });
});
