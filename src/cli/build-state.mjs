// Is the compiled CLI in dist/ current? Plain JavaScript so the launcher, the build script and the
// test setup can all ask before anything is compiled. A checkout has src/ beside dist/; an installed
// package without src/ is always current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Written by src/cli/build.mjs; its mtime is the moment the last build started. */
export const STAMP = '.build-stamp';

/**
 * Inputs whose change makes dist/ stale, relative to the package root. The lockfile because dist/
 * holds bundles of installed packages (build.mjs, VENDORED): a changed dependency is rebundled.
 */
const INPUTS = ['src', 'tsconfig.build.json', 'tsconfig.json', 'package-lock.json'];

/**
 * @param {string} root the package root (holds src/ and dist/)
 * @returns {{ stale: boolean, reason?: string }} stale with the reason (the missing build, or the
 *   first input changed after the last build); never throws for a missing src/.
 */
export function buildState(root) {
  const stampFile = path.join(root, 'dist', STAMP);
  if (!existsSync(path.join(root, 'src'))) return { stale: false };
  if (!existsSync(stampFile)) return { stale: true, reason: 'dist/ has not been built' };
  const built = statSync(stampFile).mtimeMs;
  for (const input of INPUTS) {
    const abs = path.join(root, input);
    if (!existsSync(abs)) continue;
    const st = statSync(abs);
    const files = st.isDirectory() ? readdirSync(abs, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name)) : [abs];
    for (const f of files) if (statSync(f).mtimeMs > built) return { stale: true, reason: `${path.relative(root, f)} changed after the last build` };
  }
  return { stale: false };
}
