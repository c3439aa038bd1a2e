/**
 * `npm run bench:real -- [--corpus DIR] [--tests visible|hidden] [--only owner/name] [--out FILE.jsonl]`:
 * re-mines exactly the commits named in tasks/real/corpus.json from the fetched repositories under
 * DIR (default /work/.mirror, `<owner>+<name>/repo`), then runs every instance through the real loop
 * with the gold provider (sandbox auto → bwrap, validation on) and prints the table (repository,
 * instances, resolved, blocking findings, median wall time) and every exclusion with its reason.
 * Installs are cached per lockfile under ~/.cache/patchloop/deps (the only networked step).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildRunDeps } from '../../src/cli/wiring.ts';
import { defaultDepsCache } from '../../src/cli/commands/tasks-mine.ts';
import { goldProviderFor, sourceResolver } from '../../src/cli/commands/eval-instances.ts';
import { readCorpus } from '../../src/mine/corpus.ts';
import { mineRepository } from '../../src/mine/mine.ts';
import type { MinedInstance } from '../../src/mine/instance.ts';
import { runRealInstance, type RealInstanceResult } from '../../src/eval/real-instance.ts';
import { instanceRow, repoTable } from '../../src/eval/real-report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { corpus: { type: 'string', default: '/work/.mirror' }, tests: { type: 'string', default: 'visible' }, only: { type: 'string' }, out: { type: 'string' }, file: { type: 'string', default: path.join(ROOT, 'tasks/real/corpus.json') } } });
const mode = values.tests === 'hidden' ? 'hidden' : 'visible';
const corpus = readCorpus(values.file!);
const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t), env: process.env, isTTY: false, errStream: process.stderr };
const deps = await buildRunDeps({ sandbox: 'auto', validate: true, io, quiet: true });
const source = sourceResolver({ corpus: values.corpus });
const cacheRoot = defaultDepsCache();
const exclusions = corpus.exclusions.map((e) => ({ ...e, when: 'corpus' }));
const entries = corpus.instances.filter((e) => !values.only || e.repo === values.only);

// 1. Re-mine exactly the corpus commits, repository by repository.
const instances: MinedInstance[] = [];
for (const repo of [...new Set(entries.map((e) => e.repo))]) {
  const want = entries.filter((e) => e.repo === repo);
  process.stderr.write(`mining ${repo}: ${want.length} commit(s)\n`);
  const r = await mineRepository({ repo: source(repo), name: repo, commits: want.map((e) => e.commit), cacheRoot }, { sandbox: deps.sandbox, progress: (l) => process.stderr.write(`  ${l}\n`) });
  for (const e of want) {
    const inst = r.instances.find((i) => i.commit === e.commit);
    if (!inst) { exclusions.push({ repo, commit: e.commit, reason: `did not re-mine: ${r.dropped.find((d) => d.commit === e.commit)?.reason ?? 'commit not found'}`, when: 're-mine' }); continue; }
    if (inst.FAIL_TO_PASS.length !== e.fail_to_pass || inst.PASS_TO_PASS.length !== e.pass_to_pass) process.stderr.write(`  note ${inst.instance_id}: F2P/P2P ${inst.FAIL_TO_PASS.length}/${inst.PASS_TO_PASS.length}, corpus says ${e.fail_to_pass}/${e.pass_to_pass}\n`);
    instances.push(inst);
  }
}

// 2. Gold-patch validation through the real loop.
const results: RealInstanceResult[] = [];
for (const inst of instances) {
  const r = await runRealInstance(inst, { sandbox: deps.sandbox, provider: goldProviderFor, runDeps: { ...deps, cost: () => 0, usdPerToken: () => 0 }, source, cacheRoot, mode });
  results.push(r);
  process.stdout.write(`${instanceRow(r)}\n`);
}
if (values.out) writeFileSync(values.out, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
process.stdout.write(`\ngold-patch validation · tests ${mode} · sandbox ${deps.sandbox.backend}\n\n${repoTable(results)}\n\nexclusions (${exclusions.length}):\n`);
for (const e of exclusions) process.stdout.write(`- ${e.repo}${e.commit ? ` ${e.commit.slice(0, 7)}` : ''}: ${e.reason}\n`);
for (const r of results.filter((x) => !x.resolved)) process.stdout.write(`- ${r.id}: UNRESOLVED (harness defect): ${r.reason}\n`);
process.exitCode = results.every((r) => r.resolved) && results.length > 0 ? 0 : 1;
