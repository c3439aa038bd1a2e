/**
 * API keys: `patchloop keys create` prints the token once and stores only its SHA-256; a token
 * checks out only with its exact secret; revoked keys are told apart from unknown ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.ts';
import { openState } from '../../src/service/server.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('patchloop keys', () => {
  it('create prints the token once; the state folder holds only its hash', async () => {
    const res = await runCli(['keys', 'create', 'ci-bot', '--state', dir, '--daily-usd', '5', '--concurrency', '2']);
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    expect(token).toMatch(/^pl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(res.stderr).toMatch(/shown once/);
    const secret = token.split('_').slice(2).join('_');
    const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(path.join(dir, f.name)));
    for (const bytes of files) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    const hash = createHash('sha256').update(secret).digest();
    expect(files.some((bytes) => bytes.includes(hash))).toBe(true);
    const list = await runCli(['keys', 'list', '--state', dir]);
    expect(list.stdout).toMatch(/^ci-bot\t[a-z0-9]{12}\tconcurrency 2\tdaily \$5$/m);
    expect(list.stdout).not.toContain(secret);

    const s = openState(dir);
    try {
      const ok = s.keys.verify(`Bearer ${token}`);
      expect(ok.ok && ok.key.name).toBe('ci-bot');
      const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      expect(s.keys.verify(`Bearer ${flipped}`)).toEqual({ ok: false, refusal: 'unknown' });
      expect(s.keys.verify(token)).toEqual({ ok: false, refusal: 'malformed' }); // no "Bearer "
      expect(s.keys.verify(undefined)).toEqual({ ok: false, refusal: 'missing' });
      expect(() => s.keys.create('ci-bot')).toThrow(/exists/);
      s.keys.revoke('ci-bot');
      expect(s.keys.verify(`Bearer ${token}`)).toEqual({ ok: false, refusal: 'revoked' });
    } finally {
      s.close();
    }
  }, 120_000);
});
