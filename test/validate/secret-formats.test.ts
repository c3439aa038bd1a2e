/**
 * Secret detection without false positives: high-entropy text in a doc comment, a URL or a test
 * fixture does not block; real key formats block wherever they are (comments, tests, JSON, .env).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SecurityLinter } from '../../src/validate/security.ts';
import { scanSecretFormats } from '../../src/validate/secret-formats.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { makeRepo, scanSecurity } from './support/fixture-repo.ts';

const repo = makeRepo({ 'package.json': '{"type":"module"}', 'src/a.ts': 'export const a = 1;\n' });
afterAll(() => repo.cleanup());

const scan = (files: Record<string, string>) => scanSecurity(repo, files);

// Assembled at run time so this file does not itself look like it holds keys.
const key = (prefix: string, body: string) => prefix + body;
const AWS = key('AKIA', 'Q3ZKJ7X2M4N5P6R7');
const GHP = key('ghp_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5');
const PAT = key('github_pat_', '11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzABCD');
const ANT = key('sk-ant-', 'api03-Zx8Vb2Nm4Qw6Er8Ty0Ui2Op4As6Df8Gh0Jk');
const OAI = key('sk-proj-', 'Zx8Vb2Nm4Qw6Er8Ty0Ui2Op4As6Df8Gh0Jk2L');
const SLACK = key('xoxb-', '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx');
const PEM = key('-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----');
const BENCH_URL = 'https://bench.example.org/run?id=9f8e7d6c5b4a39281706f5e4d3c2b1a0&sig=Zx8Vb2Nm4Qw6Er8Ty0Ui2Op4As6Df8Gh0Jk';

describe('secret detection', () => {
  it('does not block high-entropy text in a doc comment, a URL or a test fixture', async () => {
    const found = await scan({
      'src/bench.ts': `/**\n * Figures from ${BENCH_URL}\n * checksum 9aF3kL0qZx7Vt2Bn8Rw4Yp6Hs1Jd5GeQ\n */\nexport const source = '${BENCH_URL}';\n`,
      'test/fixtures/hashes.ts': "export const sha = 'b1946ac92492d2347c6235b4d2611184Zx8Vb2Nm4Qw6Er8Ty0Ui2Op4As6Df8Gh0Jk';\n",
    });
    expect(found).toEqual([]);
  });

  it('still blocks a high-entropy string literal in source code', async () => {
    const found = await scan({ 'src/conf.ts': "export const conf = { k: 'Zx8Vb2Nm4Qw6Er8Ty0Ui2Op4As6Df8Gh0Jk' };\n" });
    expect(found.map((f) => [f.rule, f.line])).toEqual([['no-secrets/no-secrets', 1]]);
  });

  it('blocks every known key format wherever it is: comment, test file, JSON, .env', async () => {
    const found = await scan({
      'src/comment.ts': `// aws ${AWS}\n/* ${GHP} */\nexport const x = 1;\n`,
      'test/keys.test.ts': `const t = '${ANT}';\nconst u = \`${OAI}\`;\nvoid t; void u;\n`,
      'config/app.json': JSON.stringify({ slack: SLACK, pat: PAT }) + '\n',
      '.env.example': `KEY=${PEM}\n`,
    });
    const rules = found.map((f) => `${f.file}:${f.line}:${f.rule}`).sort();
    expect(rules).toEqual([
      '.env.example:1:security/private-key',
      'config/app.json:1:security/github-token',
      'config/app.json:1:security/slack-token',
      'src/comment.ts:1:security/aws-access-key',
      'src/comment.ts:2:security/github-token',
      'test/keys.test.ts:1:security/anthropic-key',
      'test/keys.test.ts:2:security/openai-key',
    ]);
  });

  it('reports a key already present at base only once it is added again elsewhere (new findings only)', async () => {
    const base = makeRepo({ 'package.json': '{"type":"module"}', 'src/old.ts': `// legacy ${AWS}\nexport const a = 1;\n` });
    try {
      const touched = base.write({ 'src/old.ts': `// legacy ${AWS}\nexport const a = 2;\n` });
      const ws = new Workspace(base.root, 'base');
      ws.refresh(touched);
      expect(await new SecurityLinter(ws).validate({ root: base.root, baseRef: 'base', touchedFiles: touched })).toEqual([]);
    } finally {
      base.cleanup();
    }
  });

  it('scanSecretFormats gives line and column, and ignores look-alikes', () => {
    expect(scanSecretFormats('f', `x\n  ${AWS}\n`).map((f) => [f.line, f.column, f.rule])).toEqual([[2, 3, 'security/aws-access-key']]);
    expect(scanSecretFormats('f', 'task-ant-colony sk-short AKIAlowercase ghp_short')).toEqual([]);
  });
});
