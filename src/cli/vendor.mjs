// Packages dist/ loads as one bundled file each (build.mjs). Node 20 loads an ES module package
// module by module, and that is most of what their import costs: the Anthropic SDK's ≈ 320 modules
// (its own and @opentelemetry/api's) took ≈ 170 ms of every run's start-up CPU, one bundle of the
// same code ≈ 35 ms; zod (95 modules) 49 → 25 ms; diff (19). The build bundles each with esbuild
// into dist/vendor/ and points dist/'s imports of it there; src/ (and tests on it) import the
// packages themselves. Plain JavaScript: build.mjs runs before anything is compiled.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The bundled packages (ES modules, imported by their bare name only). */
export const VENDORED = ['@anthropic-ai/sdk', 'zod', 'diff'];

/** The bundle's file name in dist/vendor/ (`@anthropic-ai/sdk` → `anthropic-ai-sdk.mjs`). */
export function vendorFile(pkg) {
  return `${pkg.replace(/^@/, '').replace(/\//g, '-')}.mjs`;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * `code` (a compiled module in `fromDir`) with its imports of vendored packages pointed at their
 * bundles in `vendorDir`: `from '<pkg>';` ending an import/export statement, and `import('<pkg>')`.
 * Strings that merely contain a package name (`['diff', '--cached']`) are left alone.
 */
export function rewriteVendoredImports(code, fromDir, vendorDir, packages = VENDORED) {
  let out = code;
  for (const pkg of packages) {
    let rel = path.relative(fromDir, path.join(vendorDir, vendorFile(pkg))).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const name = escape(pkg);
    out = out
      .replace(new RegExp(`(\\bfrom\\s*)(['"])${name}\\2(\\s*;)`, 'g'), `$1$2${rel}$2$3`)
      .replace(new RegExp(`(\\bimport\\s*\\(\\s*)(['"])${name}\\2(\\s*\\))`, 'g'), `$1$2${rel}$2$3`);
  }
  return out;
}

/** Bundles every vendored package into `<dist>/vendor/` and points the imports of every module in `dist` there. */
export function vendorPackages(dist) {
  const vendorDir = path.join(dist, 'vendor');
  for (const pkg of VENDORED) {
    buildSync({
      entryPoints: [fileURLToPath(import.meta.resolve(pkg))],
      bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
      outfile: path.join(vendorDir, vendorFile(pkg)),
    });
  }
  for (const e of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    const dir = e.parentPath ?? e.path;
    if (!e.isFile() || !/\.m?js$/.test(e.name) || dir === vendorDir) continue;
    const file = path.join(dir, e.name);
    const code = readFileSync(file, 'utf8');
    const rewritten = rewriteVendoredImports(code, dir, vendorDir);
    if (rewritten !== code) writeFileSync(file, rewritten);
  }
}
