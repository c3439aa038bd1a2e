import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitFileLister } from '../../src/tools/files.ts';
import { runToolCall, toolsByName } from '../../src/tools/index.ts';
import { makeOutside, makeRepo } from './helpers.ts';

const tools = toolsByName(); // the real git lister
const run = (root: string, name: string, input: unknown) => runToolCall(tools, name, input, { root });

/** A real git repo: two committed files, one untracked, one ignored. */
function gitRepo(): string {
  const root = makeRepo({
    '.gitignore': 'dist/\n*.log\n',
    'src/a.ts': 'export function slugify(s: string) {\n  return s.toLowerCase();\n}\n',
    'src/b.test.ts': "import { slugify } from './a.ts';\nslugify('X');\n",
    'README.md': '# Slug\n',
    'dist/out.js': 'slugify compiled\n',
    'debug.log': 'slugify log\n',
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.gitignore', 'src/a.ts', 'README.md');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  return root;
}

describe('list_files', () => {
  it('lists tracked and untracked files, not ignored ones, matching git', async () => {
    const root = gitRepo();
    const r = await run(root, 'list_files', {});
    expect(r.ok).toBe(true);
    expect(r.llmContent.split('\n')).toEqual(['.gitignore', 'README.md', 'src/a.ts', 'src/b.test.ts']);
    const fromGit = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .sort();
    expect(r.llmContent.split('\n')).toEqual(fromGit);
  });

  it('filters by directory and by glob', async () => {
    const root = gitRepo();
    expect((await run(root, 'list_files', { path: 'src' })).llmContent).toBe('src/a.ts\nsrc/b.test.ts');
    expect((await run(root, 'list_files', { pattern: '*.test.ts' })).llmContent).toBe('src/b.test.ts');
    expect((await run(root, 'list_files', { pattern: 'src/**/*.{ts,md}' })).llmContent).toBe('src/a.ts\nsrc/b.test.ts');
    expect((await run(root, 'list_files', { pattern: '*.py' })).llmContent).toMatch(
      /No files under \. matching \*\.py/,
    );
  });

  it('caps the listing and says how many were left out', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 520; i++) files[`f${String(i).padStart(3, '0')}.txt`] = '';
    const root = makeRepo(files);
    const list = toolsByName({ listFiles: async () => Object.keys(files) });
    const r = await runToolCall(list, 'list_files', {}, { root });
    expect(r.llmContent.split('\n').filter((l) => l.endsWith('.txt'))).toHaveLength(500);
    expect(r.llmContent).toMatch(/\[20 more files not shown; narrow with path or pattern\]$/);
  });

  it('reports a directory that is not a git repository as a failure, not a throw', async () => {
    const root = makeRepo({ 'a.ts': '' });
    const r = await run(root, 'list_files', {});
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/git ls-files failed/);
  });

  it('drops files deleted from disk but still in the index', async () => {
    const root = gitRepo();
    execFileSync('rm', [path.join(root, 'README.md')]);
    expect(await gitFileLister(root)).not.toContain('README.md');
  });
});

describe('search', () => {
  it('finds regex matches as file:line: text, skipping ignored files', async () => {
    const root = gitRepo();
    const r = await run(root, 'search', { pattern: 'slugify\\(' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toBe("src/a.ts:1: export function slugify(s: string) {\nsrc/b.test.ts:2: slugify('X');");
  });

  it('limits to a path and a glob', async () => {
    const root = gitRepo();
    expect((await run(root, 'search', { pattern: 'slugify', glob: '*.test.ts' })).llmContent).toBe(
      "src/b.test.ts:1: import { slugify } from './a.ts';\nsrc/b.test.ts:2: slugify('X');",
    );
    expect((await run(root, 'search', { pattern: 'Slug', path: 'README.md' })).llmContent).toBe('README.md:1: # Slug');
  });

  it('returns ok:false with the regex error for an invalid pattern', async () => {
    const root = gitRepo();
    const r = await run(root, 'search', { pattern: 'slugify(' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/pattern: invalid regular expression: .*Unterminated group/);
  });

  it('caps at 100 matches and counts the rest', async () => {
    const root = makeRepo({ 'many.txt': Array.from({ length: 130 }, (_, i) => `hit ${i}`).join('\n') });
    const t = toolsByName({ listFiles: async () => ['many.txt'] });
    const r = await runToolCall(t, 'search', { pattern: '^hit' }, { root });
    expect(r.llmContent.split('\n').filter((l) => l.startsWith('many.txt:'))).toHaveLength(100);
    expect(r.llmContent).toMatch(/\[30 more matches not shown; narrow with path or glob\]$/);
  });

  it('skips binary files and does not follow a tracked symlink out of the repo', async () => {
    const outside = makeOutside({ 'secret.txt': 'needle outside\n' });
    const root = makeRepo({ 'in.txt': 'needle inside\n' });
    writeFileSync(path.join(root, 'bin.dat'), Buffer.from('needle\0binary'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    const t = toolsByName({ listFiles: async () => ['bin.dat', 'in.txt', 'link.txt'] });
    const r = await runToolCall(t, 'search', { pattern: 'needle' }, { root });
    expect(r.llmContent).toBe('in.txt:1: needle inside');
  });

  it('does not run a core.fsmonitor command planted in .git/config', async () => {
    const root = gitRepo();
    const marker = path.join(root, 'fsmonitor-ran');
    execFileSync('git', ['config', 'core.fsmonitor', `touch ${marker}; false`], { cwd: root });
    await run(root, 'search', { pattern: 'x' });
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
  });
});

describe('search against a catastrophic-backtracking pattern', () => {
  it('stops the scan at the time limit and says how to fix the pattern', async () => {
    const root = makeRepo({ 'long.txt': `${'a'.repeat(40)}b\n` });
    const t = toolsByName({ listFiles: async () => ['long.txt'], searchTimeoutMs: 300 });
    const r = await runToolCall(t, 'search', { pattern: '^(a+)+$' }, { root });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/longer than 300 ms and was stopped; simplify the regular expression/);
  });
});
