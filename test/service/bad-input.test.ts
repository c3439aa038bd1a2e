/**
 * Every bad request is refused with the right status, a JSON error naming the field, and nothing
 * queued. No worker runs here (workers: 0), so whatever was queued would stay visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { startTestService, type TestService } from './support.ts';
import { CostLedger } from '../../src/budget/ledger.ts';
import { keyLedgerPath } from '../../src/service/executor.ts';
import { runRequestSchema } from '../../src/service/run-request.ts';

describe('POST /v1/runs refuses bad input and queues nothing', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ workers: 0 });
    // A symlink inside the root that points out of it, and a real folder outside it.
    mkdirSync(path.join(t.dir, 'outside'));
    symlinkSync(path.join(t.dir, 'outside'), path.join(t.reposRoot, 'escape'));
  });
  afterAll(() => t?.close());

  const refused = async (res: Response, status: number, code: string, field?: string) => {
    const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
    expect({ status: res.status, code: body.error.code, ...(field ? { field: body.error.field } : {}) }).toEqual({ status, code, ...(field ? { field } : {}) });
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(t.svc.store.list({ limit: 10 })).toEqual([]);
    return body.error;
  };

  it('/openapi.json documents the very schema the route enforces', async () => {
    const doc = (await (await fetch(`${t.svc.url}/openapi.json`)).json()) as { openapi: string; components: { schemas: { RunRequest: unknown } }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.RunRequest).toEqual(JSON.parse(JSON.stringify(runRequestSchema)));
    expect(Object.keys(doc.paths)).toContain('/v1/runs/{id}/events');
  });

  it('malformed JSON → 400 malformed_json', async () => {
    await refused(await t.api('/v1/runs', { body: '{"repo": {' }), 400, 'malformed_json', '(body)');
  });

  it('unknown fields at the top and nested → 400 unknown_field naming them', async () => {
    await refused(await t.api('/v1/runs', { body: { ...t.body(), priority: 'high' } }), 400, 'unknown_field', 'priority');
    await refused(await t.api('/v1/runs', { body: { ...t.body(), budget: { tokens: 5000, dollars: 3 } } }), 400, 'unknown_field', 'budget.dollars');
  });

  it('wrong types are not coerced → 400 naming the field', async () => {
    await refused(await t.api('/v1/runs', { body: { ...t.body(), maxIterations: '5' } }), 400, 'invalid_field', 'maxIterations');
    await refused(await t.api('/v1/runs', { body: { repo: { path: t.repoRel } } }), 400, 'missing_field', 'task');
  });

  it('a 10 MB task → 413 body_too_large', async () => {
    await refused(await t.api('/v1/runs', { body: { ...t.body(), task: 'x'.repeat(10 * 1024 * 1024) } }), 413, 'body_too_large', '(body)');
  });

  it('a task over the field limit but under the body limit → 400 field_too_large', async () => {
    await refused(await t.api('/v1/runs', { body: { ...t.body(), task: 'y'.repeat(150_000) } }), 400, 'field_too_large', 'task');
  });

  it('repo paths outside the root: "..", absolute, a symlink out → 400 repo_outside_root', async () => {
    for (const p of ['../outside', path.join(t.dir, 'outside'), 'escape', `${t.repoRel}/../../outside`, '.']) {
      await refused(await t.api('/v1/runs', { body: { ...t.body(), repo: { path: p } } }), 400, 'repo_outside_root', 'repo.path');
    }
  });

  it('a missing, malformed or wrong key → 401; a revoked key → 403', async () => {
    await refused(await t.api('/v1/runs', { body: t.body(), token: null }), 401, 'unauthorized');
    await refused(await t.api('/v1/runs', { body: t.body(), token: 'letmein' }), 401, 'unauthorized');
    const wrongSecret = t.token.slice(0, -4) + (t.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await refused(await t.api('/v1/runs', { body: t.body(), token: wrongSecret }), 401, 'unauthorized');
    const { token } = t.svc.keys.create('gone');
    t.svc.keys.revoke('gone');
    await refused(await t.api('/v1/runs', { body: t.body(), token }), 403, 'key_revoked');
  });

  it('a key over its daily USD cap → 429 daily_cap', async () => {
    const { key, token } = t.svc.keys.create('spender', { dailyUsd: 1 });
    const ledger = new CostLedger({ path: keyLedgerPath(t.stateDir, key.id) });
    ledger.record({ runId: 'earlier', model: 'claude-sonnet-5-5', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, usd: 1.5 });
    ledger.close();
    const err = await refused(await t.api('/v1/runs', { body: t.body(), token }), 429, 'daily_cap');
    expect(err.message).toContain('$1.5000 of $1.00');
  });

  it('a provider the server does not allow → 400 provider_not_allowed', async () => {
    await refused(await t.api('/v1/runs', { body: { ...t.body(), provider: 'anthropic' } }), 400, 'provider_not_allowed', 'provider');
  });

  it("a key over its concurrency → 429, and another key cannot read the run (403)", async () => {
    const { token } = t.svc.keys.create('pair', { concurrency: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.api('/v1/runs', { body: t.body(), token });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const res = await t.api('/v1/runs', { body: t.body(), token });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('concurrency_limit');
    expect(t.svc.store.list({ limit: 10 }).map((j) => j.id).sort()).toEqual([...ids].sort());
    expect((await t.api(`/v1/runs/${ids[0]}`)).status).toBe(403);
    expect((await t.api(`/v1/runs/${ids[0]}`, { token })).status).toBe(200);
    // Cancelling a queued run ends it at once and frees the slot.
    const cancelled = (await (await t.api(`/v1/runs/${ids[0]}/cancel`, { method: 'POST', token })).json()) as { status: string };
    expect(cancelled.status).toBe('interrupted');
    expect((await t.api('/v1/runs', { body: t.body(), token })).status).toBe(202);
  });
});
