/** `doctor`, `init`, `sandbox exec` and `validate`, used the way a user would on scratch repositories. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { resolveModelConfig } from '../../src/model/config.ts';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-cmd-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init'], { cwd: dir });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const tsProject = {
  'package.json': JSON.stringify({ name: 'p', type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '^4.1.0' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', skipLibCheck: true, types: [] }, include: ['src'] }),
  '.gitignore': 'node_modules\n',
  'src/age.ts': 'export function age(birthYear: number, now: number): number {\n  return now - birthYear;\n}\n',
};

describe('doctor', () => {
  it('passes on this machine', async () => {
    const r = await runCli(['doctor'], { env: { ANTHROPIC_API_KEY: 'sk-test-not-printed' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS\s+sandbox\s+bwrap/);
    expect(r.stdout).toMatch(/PASS\s+isolated-vm/);
    expect(r.stdout).not.toContain('sk-test-not-printed');
  });

  it('with bwrap hidden from PATH reports the fallback as a WARN', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'patchloop-path-'));
    for (const tool of ['git', 'sh', 'node']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const r = await runCli(['doctor'], { env: { PATH: bin } });
    expect(r.stdout).toMatch(/WARN\s+sandbox\s+bwrap not on PATH.*NOT isolate/);
    expect(r.stdout).toContain('apt-get install -y bubblewrap');
    // The test-only packages say so, each with its own install line.
    expect(r.stdout).toMatch(/WARN\s+tmux\s+tmux not on PATH: only needed by the tests/);
    expect(r.stdout).toMatch(/WARN\s+chromium\s+chromium not on PATH: only needed by the tests[^\n]*\n\s+fix: apt-get update && apt-get install -y chromium\n/);
    expect(r.code).toBe(0); // WARNs only: patchloop still runs
  });
});

describe('init', () => {
  it('detects pnpm and the vitest command, and writes a commented config the loader accepts', async () => {
    const repo = scratch({ ...tsProject, 'pnpm-lock.yaml': 'lockfileVersion: 9\n' });
    const r = await runCli(['init', '--repo', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('package manager: pnpm');
    const text = readFileSync(path.join(repo, '.patchloop.json'), 'utf8');
    expect(text).toMatch(/^\/\/ patchloop configuration/);
    expect(text).toContain('"testCmd": "npx vitest run"');
    const cfg = await resolveModelConfig({ cwd: repo, env: {} });
    expect(cfg.chain[0]).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-5-5' });
    expect((await runCli(['init', '--repo', repo])).code).toBe(2); // refuses to overwrite
  });
});

describe('sandbox exec', () => {
  it('passes the exit code and output through, prints the policy, hides keys and network', async () => {
    const repo = scratch(tsProject);
    const r = await runCli(['sandbox', 'exec', '--repo', repo, '--', 'sh', '-c', 'echo "key=${ANTHROPIC_API_KEY:-absent}"; node -e "require(\'net\').connect(9,\'127.0.0.1\').on(\'error\',e=>console.log(e.code))"; exit 7'], { env: { ANTHROPIC_API_KEY: 'sk-secret' } });
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('key=absent');
    expect(r.stdout).toMatch(/ENETUNREACH|ECONNREFUSED|EACCES/);
    expect(r.stderr).toMatch(/sandbox policy: backend bwrap \(isolated\) · network off/);
  });
});

describe('validate', () => {
  it('reports a new type error as JSON with exit 1, and a clean change with exit 0', async () => {
    const repo = scratch(tsProject);
    writeFileSync(path.join(repo, 'src/age.ts'), 'export function age(birthYear: number, now: number): number {\n  return new Date(now - birthYear);\n}\n');
    const bad = await runCli(['validate', '--repo', repo, '--json']);
    expect(bad.code).toBe(1);
    const { findings } = JSON.parse(bad.stdout) as { findings: { validator: string; file: string; line: number; severity: string }[] };
    expect(findings).toContainEqual(expect.objectContaining({ validator: 'types', file: 'src/age.ts', line: 2, severity: 'error' }));
    writeFileSync(path.join(repo, 'src/age.ts'), 'export function age(birthYear: number, now: number): number {\n  return Math.max(0, now - birthYear);\n}\n');
    const good = await runCli(['validate', '--repo', repo, '--json']);
    expect(JSON.parse(good.stdout)).toEqual({ findings: [] });
    expect(good.code).toBe(0);
  });
});
