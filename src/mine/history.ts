/** A repository's history as candidate commits: non-merge commits with their changed paths. */
import { hardenedGit } from '../git/repo.ts';

export interface CommitInfo {
  sha: string;
  parent: string;
  /** Author date, ISO 8601. */
  date: string;
  /** Changed paths (renames as delete + add). */
  files: string[];
}

/**
 * Non-merge commits reachable from HEAD, newest first, each with its single parent and changed paths.
 * Root commits (no parent) are left out: they have no base to start from.
 * @param since / until dates git understands (`2024-01-01`), or undefined
 */
export async function listCommits(dir: string, since?: string, until?: string): Promise<CommitInfo[]> {
  const args = ['log', '--no-merges', '--no-renames', '--name-only', '-z', '--format=%x01%H %P%x02%aI'];
  if (since) args.push(`--since=${since}`);
  if (until) args.push(`--until=${until}`);
  const out = await hardenedGit(dir).raw(args);
  const commits: CommitInfo[] = [];
  for (const chunk of out.split('\x01').slice(1)) {
    const [head = '', rest = ''] = chunk.split('\x02');
    const [sha = '', parent] = head.trim().split(' ');
    const [date = '', ...files] = rest.split(/[\n\0]+/).filter((s) => s !== '');
    if (!parent) continue;
    commits.push({ sha, parent, date: date.trim(), files });
  }
  return commits;
}
