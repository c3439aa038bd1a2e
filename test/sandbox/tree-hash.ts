/** Test helper: one sha256 over a directory tree (names, modes, file bytes, symlink targets), symlinks not followed. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function hashTree(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = fs.lstatSync(p);
      h.update(`${path.relative(root, p)}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(`-> ${fs.readlinkSync(p)}\0`);
      else if (st.isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

/** A small pnpm-style node_modules: `.pnpm/dep@1.0.0/node_modules/dep` plus the top-level `dep` symlink into it. */
export function writePnpmStyleModules(nm: string): void {
  const real = path.join(nm, '.pnpm', 'dep@1.0.0', 'node_modules', 'dep');
  fs.mkdirSync(real, { recursive: true });
  fs.writeFileSync(path.join(real, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(real, 'index.js'), 'module.exports = "dep-original";\n');
  fs.symlinkSync(path.join('.pnpm', 'dep@1.0.0', 'node_modules', 'dep'), path.join(nm, 'dep'));
  fs.writeFileSync(path.join(nm, '.modules.yaml'), 'layoutVersion: 5\n');
}
