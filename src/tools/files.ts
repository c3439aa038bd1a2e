/**
 * Which files the read-only tools see: git-tracked plus untracked-not-ignored files
 * (`git ls-files --cached --others --exclude-standard`), through an injectable lister so tests and
 * non-git callers can swap it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolFailure } from './failure.ts';

/** Lists repo-relative POSIX paths of the files under `root`. Rejects when listing is impossible. */
export type FileLister = (root: string) => Promise<string[]>;

/**
 * The default lister: runs git in `root` with `core.fsmonitor` and hooks disabled, because the
 * worktree (and its `.git/config`) may have been written by untrusted code and git's fsmonitor
 * setting runs a command. Paths deleted from disk but still in the index are dropped.
 */
export const gitFileLister: FileLister = (root) =>
  new Promise((resolve, reject) => {
    execFile(
      'git',
      [
        '-c',
        'core.fsmonitor=false',
        '-c',
        'core.hooksPath=/dev/null',
        'ls-files',
        '-z',
        '--cached',
        '--others',
        '--exclude-standard',
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => {
        if (err) {
          reject(new ToolFailure(`cannot list files (git ls-files failed: ${err.message.split('\n')[0]}).`));
          return;
        }
        const seen = new Set<string>();
        for (const f of stdout.split('\0')) {
          if (f !== '' && existsSync(path.join(root, f))) seen.add(f);
        }
        resolve([...seen].sort());
      },
    );
  });

/** Keeps the files under repo-relative directory `dir` (`.` keeps all); a file path keeps itself. */
export function underDir(files: string[], dir: string): string[] {
  if (dir === '.' || dir === '') return files;
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return files.filter((f) => f === dir || f.startsWith(prefix));
}
