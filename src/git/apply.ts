/**
 * Brings a run's patch onto the user's current branch — the one place patchloop writes to the
 * user's working tree, and only when asked. Refuses, changing nothing, when the patch does not
 * apply cleanly or touches a file the user has uncommitted changes in.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { hardenedGit, type RepoInfo } from './repo.ts';

export interface ApplyResult {
  files: string[];
  /** The commit made with `--commit`. */
  commitSha?: string;
}

/** Paths a patch touches (both sides of renames), as git reads them. */
export async function patchFiles(repo: RepoInfo, patchPath: string): Promise<string[]> {
  const out = await hardenedGit(repo.root).raw(['apply', '--numstat', '-z', patchPath]);
  return out.split('\0').map((l) => l.split('\t')[2] ?? '').filter(Boolean);
}

/** Paths with uncommitted changes (staged, unstaged or untracked) in the user's working tree. */
export async function dirtyFiles(repo: RepoInfo): Promise<Set<string>> {
  const out = await hardenedGit(repo.root).raw(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const files = new Set<string>();
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    files.add(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') files.add(parts[++i]!); // rename: the source path follows
  }
  return files;
}

/**
 * @throws UsageError `empty_patch`, `dirty_overlap` (names the files), `patch_does_not_apply`
 *   (with git's reason). Nothing is changed when it throws.
 */
export async function applyRunPatch(repo: RepoInfo, patchPath: string, opts: { commit?: boolean; message?: string }): Promise<ApplyResult> {
  if (readFileSync(patchPath, 'utf8').trim() === '') throw new UsageError('empty_patch', `${patchPath} is empty: the run changed nothing`);
  const files = await patchFiles(repo, patchPath);
  const dirty = await dirtyFiles(repo);
  const overlap = files.filter((f) => dirty.has(f));
  if (overlap.length > 0) {
    throw new UsageError('dirty_overlap', `not applied: you have uncommitted changes in ${overlap.join(', ')}, which the patch also changes. Commit or stash them, then run apply again.`);
  }
  const git = hardenedGit(repo.root);
  const index = opts.commit ? ['--index'] : [];
  try {
    await git.raw(['apply', '--check', ...index, patchPath]);
  } catch (err) {
    throw new UsageError('patch_does_not_apply', `not applied: the patch does not apply cleanly on your current branch (${String((err as Error).message).trim().split('\n')[0]}). Rebase the run's branch or resolve by hand.`);
  }
  await git.raw(['apply', ...index, patchPath]);
  if (!opts.commit) return { files };
  await git.raw(['commit', '--quiet', '--no-verify', '-m', opts.message ?? 'Apply patchloop run', '--', ...files]);
  return { files, commitSha: (await git.revparse(['HEAD'])).trim() };
}
