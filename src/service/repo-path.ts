/**
 * Where a submitted repository may be: only inside `--repos-root`. The request's path is untrusted,
 * so it is resolved with every symlink followed (realpath) and must still be under the root's own
 * realpath — `..`, absolute paths elsewhere and symlinks pointing out are all refused.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { PatchloopError } from '../errors.ts';

/** A request the service refuses; `status` is the HTTP status, `field` the JSON path at fault. */
export class RequestError extends PatchloopError {
  constructor(code: string, readonly status: number, message: string, readonly field?: string) {
    super(code, message, { exitCode: 2 });
  }
}

/**
 * @param root the `--repos-root` folder. @param requested the request's `repo.path` (relative to the root, or absolute).
 * @returns the real absolute path of the repository.
 * @throws RequestError 400 `repo_outside_root` / `repo_missing` naming `repo.path`.
 */
export function resolveRepoPath(root: string, requested: string): string {
  if (requested.includes('\0')) throw new RequestError('bad_repo_path', 400, 'repo.path contains a NUL byte', 'repo.path');
  const realRoot = realpathSync(root);
  const joined = path.resolve(realRoot, requested);
  const outside = (p: string) => {
    const rel = path.relative(realRoot, p);
    return rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  const refuse = () => new RequestError('repo_outside_root', 400, `repo.path "${requested}" resolves outside the repos root (symlinks and ".." are followed): use a repository inside it`, 'repo.path');
  if (outside(joined)) throw refuse();
  let real: string;
  try {
    real = realpathSync(joined);
  } catch {
    throw new RequestError('repo_missing', 400, `repo.path "${requested}": no such folder under the repos root; submit a path relative to it`, 'repo.path');
  }
  if (outside(real)) throw refuse();
  return real;
}
