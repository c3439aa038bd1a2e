#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`): compiles src/ to dist/ with tsc
// (rewriteRelativeImportExtensions turns the sources' `.ts` imports into `.js`), copies the files tsc
// does not emit (prompts, tool descriptions, .mjs workers, the launcher) beside their modules,
// bundles the vendored packages (below), and stamps the build. `--if-stale` does nothing when dist/ is current.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { buildState, STAMP } from './build-state.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
if (process.argv.includes('--if-stale') && !buildState(root).stale) process.exit(0);

const started = new Date();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build: tsc failed (see above); dist/ is left unstamped, so the CLI refuses to run it');
  process.exit(r.status ?? 1);
}
const src = path.join(root, 'src');
for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || e.name.endsWith('.ts') || e.name === 'build.mjs') continue;
  const from = path.join(e.parentPath ?? e.path, e.name);
  const to = path.join(root, 'dist', path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}
// Packages bundled into one file each: Node 20 loads an ES module package module by module, and the
// Anthropic SDK's ≈ 320 (its own and @opentelemetry/api's) cost every run ≈ 170 ms of start-up CPU,
// the bundle ≈ 35 ms. The module that imports the package (its `shim`, e.g. src/model/anthropic-sdk.ts)
// is replaced in dist/ by a re-export of the bundle; tests running src/ import the package itself.
const VENDORED = [{ pkg: '@anthropic-ai/sdk', bundle: 'anthropic-sdk.mjs', shim: 'model/anthropic-sdk.js' }];
for (const v of VENDORED) {
  const reexport = (from) => `export * from '${from}';\nexport { default } from '${from}';\n`;
  buildSync({
    stdin: { contents: reexport(v.pkg), resolveDir: root, sourcefile: `${v.pkg}.mjs` },
    bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
    outfile: path.join(root, 'dist', 'vendor', v.bundle),
  });
  const shim = path.join(root, 'dist', v.shim);
  writeFileSync(shim, `// Built by src/cli/build.mjs: ${v.pkg}, bundled.\n${reexport(path.posix.relative(path.posix.dirname(v.shim), `vendor/${v.bundle}`))}`);
  rmSync(`${shim}.map`, { force: true });
}
const stamp = path.join(root, 'dist', STAMP);
closeSync(openSync(stamp, 'w'));
// The stamp carries the start time: a source saved while tsc ran still counts as newer.
utimesSync(stamp, started, started);
