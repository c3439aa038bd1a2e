/**
 * Host paths that hold credentials. The bwrap backend binds an empty tmpfs over each existing
 * directory and /dev/null over each existing file, so `cat ~/.ssh/id_rsa` inside the sandbox reads
 * nothing even though `/` is visible read-only. The list derives from the HOME the caller passes in
 * (tests use a fake one).
 */
import { statSync } from 'node:fs';
import path from 'node:path';

/** Credential locations relative to HOME (dirs and files; kind is decided by stat). */
export const HOME_SECRET_PATHS = [
  '.ssh',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.aws',
  '.azure',
  '.config/gh',
  '.config/gcloud',
  '.config/hub',
  '.docker',
  '.kube',
  '.gnupg',
  '.netrc',
  '.git-credentials',
  '.pypirc',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.claude',
  '.anthropic',
  '.config/anthropic',
  '.config/openai',
] as const;

export interface HiddenPaths {
  dirs: string[];
  files: string[];
}

/** Stat function shape (injected in tests); returns null when the path does not exist. */
export type StatKind = (p: string) => 'dir' | 'file' | null;

const realStat: StatKind = (p) => {
  try {
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
};

/**
 * Lists the existing credential paths to hide.
 * @param home the real HOME of the user running the loop (absolute)
 * @param extra more absolute paths to hide (e.g. `/root` when HOME is elsewhere)
 */
export function resolveHiddenPaths(home: string, extra: string[] = [], stat: StatKind = realStat): HiddenPaths {
  const out: HiddenPaths = { dirs: [], files: [] };
  const candidates = [...HOME_SECRET_PATHS.map((rel) => path.join(home, rel)), ...extra];
  for (const p of candidates) {
    const kind = stat(p);
    if (kind === 'dir') out.dirs.push(p);
    else if (kind === 'file') out.files.push(p);
  }
  return out;
}
