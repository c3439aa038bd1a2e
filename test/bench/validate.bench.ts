/**
 * Validation pipeline benchmark (a plain tsx script, not a vitest test): `npx tsx test/bench/validate.bench.ts`.
 * A generated 200-file TypeScript repo (tsconfig strict, eslint.config.js, .prettierrc, zod declared)
 * and a 5-file patch; validators 1–7 timed cold (new pipeline: Project, ESLint, Prettier loaded) and
 * warm (the same pipeline, next iteration edits the same 5 files again). Goal: warm ≤ 1.5 s
 * (issue 12), ≤ 300 ms for a small edit (issue 13). Also: warm time per validator (all others
 * disabled), to show where the time goes.
 *
 * `--repo DIR [--file REL]` benchmarks a real repository instead (a clean git working copy with its
 * dependencies installed): one function appended to REL (default: the first non-test .ts under
 * src/ or packages/<name>/src/), validated cold, after `prewarm` (as a run does while planning) and
 * warm; the file is restored afterwards. Repository code (its ESLint config, Prettier config,
 * TypeScript) runs in the sandboxed validation worker, as in a run.
 */
import { execFileSync } from 'node:child_process';
import { realRepoBench } from './validate-real.ts';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import type { ValidatorName } from '../../src/validate/types.ts';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = 200;
const PATCHED = [7, 48, 99, 150, 199];
const WARM_RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function moduleText(i: number, extra = ''): string {
  const deps = [i - 1, Math.floor(i / 2)].filter((d, k, a) => d >= 0 && d !== i && a.indexOf(d) === k);
  const imports = deps.map((d) => `import { score${d}, type Item${d} } from './mod${d}.ts';`).join('\n');
  const uses = deps.map((d) => `score${d}(item as unknown as Item${d})`).join(' + ') || '0';
  return `${imports}${imports ? '\n\n' : ''}/** Item ${i}. */
export interface Item${i} {
  id: number;
  label: string;
  weight: number;
}

/** Weighted score of item ${i}. */
export function score${i}(item: Item${i}): number {
  const base = item.weight * ${i + 1};
  return base + ${uses};
}

/** Labels of the heavy items. */
export function heavyLabels${i}(items: Item${i}[], limit: number): string[] {
  return items.filter((item) => item.weight > limit).map((item) => item.label.trim());
}
${extra}`;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

const repoArg = process.argv.indexOf('--repo');
if (repoArg !== -1) {
  const fileArg = process.argv.indexOf('--file');
  await realRepoBench(path.resolve(process.argv[repoArg + 1]!), fileArg === -1 ? undefined : process.argv[fileArg + 1]);
  process.exit(0);
}

const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-bench-validate-'));
try {
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bench', type: 'module', dependencies: { zod: '^4' }, devDependencies: { 'typescript-eslint': '^8' } }));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src/**/*.ts'] }));
  writeFileSync(path.join(root, '.prettierrc'), '{ "singleQuote": true, "printWidth": 120 }\n');
  writeFileSync(path.join(root, 'eslint.config.js'), "import tseslint from 'typescript-eslint';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error', eqeqeq: 'error' } }];\n");
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(root, `src/mod${i}.ts`), moduleText(i));
  symlinkSync(path.join(MAIN, 'node_modules'), path.join(root, 'node_modules'));
  git(root, 'init', '-q', '-b', 'base');
  git(root, 'add', '.', ':!node_modules');
  git(root, 'commit', '-qm', 'base');

  const touched = PATCHED.map((i) => `src/mod${i}.ts`);
  const edit = (n: number) => {
    for (const i of PATCHED) {
      const extra = `\n/** Total weight, edit ${n}. */\nexport function totalWeight${i}(items: Item${i}[]): number {\n  return items.reduce((sum, item) => sum + item.weight * ${n}, 0);\n}\n`;
      writeFileSync(path.join(root, `src/mod${i}.ts`), moduleText(i, extra));
    }
  };

  edit(1);
  const pipeline = createValidationPipeline({ root, baseRef: 'base' });
  const cold = await pipeline.run(touched);
  const prewarmed = createValidationPipeline({ root, baseRef: 'base' });
  const tp = performance.now();
  await prewarmed.prewarm();
  const prewarmMs = performance.now() - tp;
  const afterPrewarm = (await prewarmed.run(touched)).durationMs;
  prewarmed.dispose();
  if (cold.findings.length > 0) throw new Error(`bench patch should be clean, got ${JSON.stringify(cold.findings.slice(0, 3))}`);
  const warm: number[] = [];
  for (let n = 2; n < 2 + WARM_RUNS; n++) {
    edit(n);
    warm.push((await pipeline.run(touched)).durationMs);
  }
  // A candidate with a type error needs the base pass (swap to base text, re-check) once per changed set.
  const broken: number[] = [];
  for (let n = 20; n < 23; n++) {
    edit(n);
    writeFileSync(path.join(root, 'src/mod99.ts'), moduleText(99, `\nexport const wrong${n}: number = 'x';\n`));
    const r = await pipeline.run(touched);
    if (r.findings.length !== 1) throw new Error(`expected one type error, got ${r.findings.length}`);
    broken.push(r.durationMs);
  }
  pipeline.dispose();

  const all: ValidatorName[] = ['syntax', 'completeness', 'imports', 'types', 'lint', 'style', 'security'];
  const per: [string, number][] = [];
  for (const v of all) {
    const p = createValidationPipeline({ root, baseRef: 'base', disable: all.filter((x) => x !== v) });
    await p.run(touched); // warm it up
    const t: number[] = [];
    for (let n = 10; n < 13; n++) {
      edit(n);
      t.push((await p.run(touched)).durationMs);
    }
    per.push([v, median(t)]);
    p.dispose();
  }

  const w = median(warm);
  console.log(`validate bench: ${FILES}-file repo, ${PATCHED.length}-file patch, validators 1–7 (Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
  console.log(`| run | ms |\n|---|---|`);
  console.log(`| cold (new pipeline) | ${cold.durationMs.toFixed(0)} |`);
  console.log(`| prewarm (in the background during plan) | ${prewarmMs.toFixed(0)} |`);
  console.log(`| first validation after prewarm | ${afterPrewarm.toFixed(0)} |`);
  console.log(`| warm median of ${WARM_RUNS} | ${w.toFixed(0)} (${warm.map((x) => x.toFixed(0)).join(', ')}) |`);
  console.log(`| warm, new type error (1st: base pass; then cached) | ${broken.map((x) => x.toFixed(0)).join(', ')} |`);
  for (const [v, ms] of per) console.log(`| warm, ${v} only | ${ms.toFixed(0)} |`);
  console.log(`goal warm ≤ 1500 ms: ${w <= 1500 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
