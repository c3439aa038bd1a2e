#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`): compiles src/ to dist/ with tsc
// (rewriteRelativeImportExtensions turns the sources' `.ts` imports into `.js`), copies the files tsc
// does not emit (prompts, tool descriptions, .mjs workers, the launcher) beside their modules,
// bundles the vendored packages (vendor.mjs: dist/ imports each as one file), and stamps the
// build. `--if-stale` does nothing when dist/ is current.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState, STAMP } from './build-state.mjs';
import { vendorPackages } from './vendor.mjs';

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
  if (!e.isFile() || e.name.endsWith('.ts') || e.name === 'build.mjs' || e.name === 'vendor.mjs') continue;
  const from = path.join(e.parentPath ?? e.path, e.name);
  const to = path.join(root, 'dist', path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}
vendorPackages(path.join(root, 'dist'));
const stamp = path.join(root, 'dist', STAMP);
closeSync(openSync(stamp, 'w'));
// The stamp carries the start time: a source saved while tsc ran still counts as newer.
utimesSync(stamp, started, started);
