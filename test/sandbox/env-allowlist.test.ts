import { describe, expect, it } from 'vitest';
import { buildSandboxEnv } from '../../src/sandbox/env.ts';
import { resolveHiddenPaths } from '../../src/sandbox/hidden-paths.ts';

describe('buildSandboxEnv', () => {
  const host = {
    PATH: '/usr/bin',
    LANG: 'C.UTF-8',
    ANTHROPIC_API_KEY: 'sk-ant-x',
    OPENAI_API_KEY: 'sk-x',
    GITHUB_TOKEN: 'ghp_x',
    NPM_TOKEN: 'npm_x',
    HOME: '/root',
    SSH_AUTH_SOCK: '/tmp/agent.sock',
  };

  it('keeps only allowlisted host variables and sets HOME, TMPDIR, TERM', () => {
    const env = buildSandboxEnv(host, undefined, { home: '/tmp/home', tmp: '/tmp' });
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'C.UTF-8', HOME: '/tmp/home', TMPDIR: '/tmp', TERM: 'dumb' });
  });

  it('drops secret-looking names from spec.env but keeps the rest', () => {
    const env = buildSandboxEnv(host, { FOO: '1', MY_API_KEY: 'x', DB_PASSWORD: 'x', AWS_SECRET_ACCESS_KEY: 'x', GH_TOKEN: 'x', GOOGLE_CREDENTIALS: 'x', 'BAD=NAME': 'x' }, { home: '/h', tmp: '/t' });
    expect(Object.keys(env).sort()).toEqual(['FOO', 'HOME', 'LANG', 'PATH', 'TERM', 'TMPDIR']);
  });

  it('does not let spec.env override HOME', () => {
    expect(buildSandboxEnv(host, { HOME: '/root' }, { home: '/tmp/home', tmp: '/tmp' }).HOME).toBe('/tmp/home');
  });
});

describe('resolveHiddenPaths', () => {
  it('derives the list from the HOME passed in and keeps only existing paths, by kind', () => {
    const existing: Record<string, 'dir' | 'file'> = { '/h/.ssh': 'dir', '/h/.npmrc': 'file', '/root/.aws': 'dir' };
    const hidden = resolveHiddenPaths('/h', ['/root/.aws', '/nope'], (p) => existing[p] ?? null);
    expect(hidden).toEqual({ dirs: ['/h/.ssh', '/root/.aws'], files: ['/h/.npmrc'] });
  });
});
