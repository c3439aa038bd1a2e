/**
 * `validate.bench.ts --repo DIR`: cold, prewarmed and warm validation of a small edit on a real
 * repository (see the bench's header). Prints a markdown table; restores the edited file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox } from '../../src/sandbox/index.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';

const WARM_RUNS = 5;
const TICK_MS = 10; // USER_HZ = 100 on Linux: /proc/<pid>/stat times are in 10 ms ticks

/**
 * CPU time (user + system, ms) of this process and its live descendants (the sandboxed worker):
 * on a shared, loaded machine wall time mostly measures the queue for a core, CPU time the work.
 */
export function treeCpuMs(): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of stats) if (!mine.has(pid) && mine.has(s.ppid)) grew = !!mine.add(pid);
  }
  let ticks = 0;
  for (const pid of mine) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks * TICK_MS;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** First non-test `.ts` file under src/ (or packages/<name>/src/), repo-relative. */
function pickFile(root: string): string {
  const srcDirs = ['src', ...(existsSync(path.join(root, 'packages')) ? readdirSync(path.join(root, 'packages')).sort().map((p) => `packages/${p}/src`) : [])];
  for (const dir of srcDirs) {
    if (!existsSync(path.join(root, dir))) continue;
    const hit = readdirSync(path.join(root, dir)).sort().find((f) => /\.ts$/.test(f) && !/\.(test|spec|test-d)\.ts$|\.d\.ts$/.test(f));
    if (hit) return `${dir}/${hit}`;
  }
  throw new Error(`no .ts file under src/ or packages/*/src/ in ${root}: pass --file REL`);
}

export async function realRepoBench(root: string, fileArg: string | undefined): Promise<void> {
  const file = fileArg ?? pickFile(root);
  const abs = path.join(root, file);
  const original = readFileSync(abs, 'utf8');
  if (execFileSync('git', ['status', '--porcelain', '--', file], { cwd: root, encoding: 'utf8' }).trim()) throw new Error(`${file} has uncommitted changes in ${root}: the bench edits and restores it, so start from a clean file`);
  // Run 1 adds an exported function (its callers are checked); later runs change only its body, as
  // repair iterations do (callers' diagnostics are then reused).
  const edit = (n: number) => writeFileSync(abs, `${original}\n/**\n * Sum of the values plus ${n}.\n */\nexport function patchloopBench(values: number[]): number {\n  return values.reduce((sum, value) => sum + value, ${n});\n}\n`);
  const sandbox = await createSandbox({ backend: 'auto', warn: (l) => console.error(l) });
  try {
    edit(1);
    const cold = createValidationPipeline({ root, baseRef: 'HEAD', sandbox });
    const cc0 = treeCpuMs();
    const coldReport = await cold.run([file]);
    const coldCpu = treeCpuMs() - cc0;
    cold.dispose();

    // As in a run: prewarm while the model plans (the file still as committed), then the first edit.
    writeFileSync(abs, original);
    const p = createValidationPipeline({ root, baseRef: 'HEAD', sandbox });
    const t0 = performance.now();
    await p.prewarm();
    const prewarmMs = performance.now() - t0;
    edit(2);
    const first = await p.run([file]);
    const warm: number[] = [];
    const warmCpu: number[] = [];
    for (let n = 3; n < 3 + WARM_RUNS; n++) {
      edit(n);
      const c0 = treeCpuMs();
      warm.push((await p.run([file])).durationMs);
      warmCpu.push(treeCpuMs() - c0);
    }
    // One more warm run per validator on its own, to show where the time goes.
    const last = await p.run([file]);
    p.dispose();

    console.log(`validate bench on ${path.basename(root)} (${file}), sandbox ${sandbox.backend} (Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
    console.log('| run | ms |\n|---|---|');
    console.log(`| cold (new pipeline, no prewarm) | ${coldReport.durationMs.toFixed(0)} (CPU ${coldCpu}) |`);
    console.log(`| prewarm (background, overlaps the plan phase) | ${prewarmMs.toFixed(0)} |`);
    console.log(`| first validation after prewarm | ${first.durationMs.toFixed(0)} |`);
    console.log(`| warm median of ${WARM_RUNS} | ${median(warm).toFixed(0)} (${warm.map((x) => x.toFixed(0)).join(', ')}) |`);
    console.log(`| warm, CPU time (patchloop + worker) median | ${median(warmCpu).toFixed(0)} (${warmCpu.join(', ')}) |`);
    console.log(`first validation after prewarm by validator (ms): ${JSON.stringify(first.timingsMs)}`);
    console.log(`last warm run by validator (ms): ${JSON.stringify(last.timingsMs)}`);
    console.log(`validators ran: ${last.ran.join(', ')}; skipped: ${last.skipped.map((s) => `${s.validator} (${s.reason})`).join('; ') || 'none'}`);
    console.log(`findings on the edit: ${last.findings.map((f) => `${f.validator}/${f.rule} [${f.source ?? 'host'}]`).join(', ') || 'none'}`);
    const sources = new Set([...coldReport.findings, ...first.findings, ...last.findings].map((f) => f.source).filter(Boolean));
    if (sources.size) console.log(`tools: ${[...sources].join('; ')}`);
  } finally {
    writeFileSync(abs, original);
  }
}
