/**
 * The built-in security rule set: each dangerous construct is flagged with its own rule on its
 * line; ordinary code and every reference solution under tasks/ produce zero findings; findings
 * already present at base are not reported; an edit cannot silence a rule with a comment.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecurityLinter } from '../../src/validate/security.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { MAIN_ROOT, git, makeRepo, scanSecurity } from './support/fixture-repo.ts';

const repo = makeRepo({ 'package.json': '{"type":"module"}', 'src/legacy.ts': 'export const run = (code: string) => eval(code);\n' });
afterAll(() => repo.cleanup());

const scan = (files: Record<string, string>) => scanSecurity(repo, files);

const DANGEROUS: [string, string, string][] = [
  ['sql-injection (template)', 'export const f = (db: any, id: string) => db.query(`SELECT * FROM users WHERE id = ${id}`);', 'security/sql-injection'],
  ['sql-injection (concat)', "export const f = (db: any, id: string) => db.execute('DELETE FROM t WHERE id = ' + id);", 'security/sql-injection'],
  ['sql-injection (built first)', 'export const q = (id: string) => `UPDATE users SET name = 1 WHERE id = ${id}`;', 'security/sql-injection'],
  ['eval', 'export const f = (s: string) => eval(s);', 'security/no-eval'],
  ['new Function', "export const f = (s: string) => new Function('x', s);", 'security/no-new-func'],
  ['exec with interpolation', "import { exec } from 'node:child_process';\nexport const f = (n: string) => exec(`ls ${n}`);", 'security/command-injection'],
  ['execSync via namespace', "import * as cp from 'node:child_process';\nexport const f = (n: string) => cp.execSync('rm -rf ' + n);", 'security/command-injection'],
  ['hard-coded password', "export const dbPassword = 'hunter2-prod-0001';", 'security/hardcoded-secret'],
  ['high-entropy secret', "export const config = { endpoint: 'https://api.example.com', key: 'sk_live_9aF3kL0qZx7Vt2Bn8Rw4Yp6Hs1Jd5Ge' };", 'no-secrets/no-secrets'],
  ['rejectUnauthorized: false', "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });", 'security/tls-verification-off'],
  ['NODE_TLS_REJECT_UNAUTHORIZED', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", 'security/tls-verification-off'],
];

describe('security rules', () => {
  for (const [name, code, rule] of DANGEROUS) {
    it(`flags ${name}`, async () => {
      const findings = await scan({ 'src/candidate.ts': `// candidate\n${code}\n` });
      expect(findings.map((f) => f.rule)).toContain(rule);
      expect(findings.find((f) => f.rule === rule)!.line).toBe(code.includes('\n') ? 3 : 2);
    });
  }

  it('stays quiet on ordinary code (maps, fs, spawn with arrays, regexes, parameterised SQL)', async () => {
    const ordinary = [
      "import { execFile, spawn } from 'node:child_process';",
      "import { readFileSync } from 'node:fs';",
      'const cache = new Map<string, number>();',
      'export function load(file: string, key: string, obj: Record<string, number>): number {',
      '  const text = readFileSync(file, "utf8");',
      '  cache.set(`${file}:${key}`, text.length);',
      '  execFile("git", ["log", key]);',
      '  spawn("node", [file], { stdio: "inherit" });',
      '  const tokenCount = text.split(/\\s+/).length;',
      '  const re = new RegExp(`^${key}$`);',
      '  return (obj[key] ?? 0) + tokenCount + (re.test(text) ? 1 : 0) + (cache.get(`${file}:${key}`) ?? 0);',
      '}',
      'export const find = (db: { query(s: string, p: unknown[]): unknown }, id: string) => db.query("SELECT * FROM users WHERE id = $1", [id]);',
      'export const label = (n: number) => `Select ${n} items from the list`;',
      "export const passwordLabel = 'Password';",
    ].join('\n');
    expect(await scan({ 'src/ordinary.ts': ordinary })).toEqual([]);
  });

  it('does not report what was already there at base, and ignores eslint-disable comments', async () => {
    const findings = await scan({ 'src/legacy.ts': 'export const run = (code: string) => eval(code);\n// eslint-disable-next-line\nexport const run2 = (code: string) => eval(code);\n' });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['security/no-eval', 3]]);
  });

  it('does not blame code that was only moved from one touched file to another', async () => {
    const findings = await scan({ 'src/legacy.ts': 'export {};\n', 'src/moved.ts': '// moved here\nexport const run = (code: string) => eval(code);\n' });
    expect(findings).toEqual([]);
  });
});

describe('the host ESLint', () => {
  it("keeps ESLint's warning about the repository's .eslintignore off the user's terminal, and no other warning", async () => {
    const withIgnore = makeRepo({ 'package.json': '{"type":"module"}', '.eslintignore': 'dist\n', 'src/a.ts': 'export const a = 1;\n' });
    const seen: string[] = [];
    const onWarning = (w: Error) => void seen.push(w.name);
    process.on('warning', onWarning);
    try {
      const linter = new SecurityLinter(new Workspace(withIgnore.root, 'base'));
      await linter.warm();
      expect(await linter.validate({ root: withIgnore.root, baseRef: 'base', touchedFiles: ['src/a.ts'] })).toEqual([]);
      process.emitWarning('a warning of something else', 'OtherWarning');
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual(['OtherWarning']);
    } finally {
      process.off('warning', onWarning);
      withIgnore.cleanup();
    }
  });
});

describe('tasks/ reference solutions', () => {
  const tasksDir = path.join(MAIN_ROOT, 'tasks');
  const ids = existsSync(tasksDir) ? readdirSync(tasksDir).filter((id) => existsSync(path.join(tasksDir, id, 'reference.patch'))) : [];

  it.skipIf(ids.length === 0)(`produce zero security findings (${ids.length} tasks)`, async () => {
    const noisy: string[] = [];
    for (const id of ids) {
      const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-ref-'));
      try {
        cpSync(path.join(tasksDir, id, 'repo'), root, { recursive: true });
        symlinkSync(path.join(MAIN_ROOT, 'node_modules'), path.join(root, 'node_modules'));
        git(root, 'init', '-q', '-b', 'base');
        git(root, 'add', '.', ':!node_modules');
        git(root, 'commit', '-qm', 'base');
        const patch = path.join(tasksDir, id, 'reference.patch');
        git(root, 'apply', patch);
        const touched = git(root, 'apply', '--numstat', patch).trim().split('\n').map((l) => l.split('\t')[2]!);
        const ws = new Workspace(root, 'base');
        ws.refresh(touched);
        for (const f of await new SecurityLinter(ws).validate({ root, baseRef: 'base', touchedFiles: touched })) noisy.push(`${id}: ${f.file}:${f.line} ${f.rule}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    expect(noisy).toEqual([]);
  });
});
