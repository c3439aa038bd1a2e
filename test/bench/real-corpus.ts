/**
 * Writes tasks/real/corpus.json (facts only) from mined instance files and the mining log:
 *   tsx test/bench/real-corpus.ts --log mine.log [--log …] [--exclude owner/name=reason …] [--drop <sha>=reason …] a.jsonl …
 * `--drop` leaves a mined instance out (e.g. a human fix with a real type error) and records why.
 * The log is `tasks mine` stderr with a `=== <owner>+<name> …` line before each repository; its
 * `drop <sha>: <reason>` lines become the commit exclusions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusEntry, CorpusSchema, type Corpus } from '../../src/mine/corpus.ts';
import { readInstances } from '../../src/mine/instance.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { log: { type: 'string', multiple: true, default: [] }, exclude: { type: 'string', multiple: true, default: [] }, drop: { type: 'string', multiple: true, default: [] }, 'mined-with': { type: 'string', default: '' } } });
const seen = new Set<string>();
const drops = values.drop!.map((x) => ({ sha: x.split('=')[0]!, reason: x.split('=').slice(1).join('=') }));
const mined = positionals.flatMap((f) => readInstances(f)).filter((i) => !seen.has(i.commit) && seen.add(i.commit));
const dropOf = (commit: string) => drops.find((d) => commit.startsWith(d.sha));
const instances = mined.filter((i) => !dropOf(i.commit)).map(corpusEntry);
const exclusions: Corpus['exclusions'] = values.exclude!.map((x) => ({ repo: x.split('=')[0]!, reason: x.split('=').slice(1).join('=') }));
for (const i of mined) { const d = dropOf(i.commit); if (d) exclusions.push({ repo: i.repo, commit: i.commit, reason: d.reason }); }
const done = new Set<string>();
for (const log of values.log!) {
  let repo = '';
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const head = /^=== (\S+)/.exec(line);
    if (head) repo = head[1]!.replace('+', '/');
    const drop = /^drop ([0-9a-f]{7,40}): (.*?)(?: — (.*)|$)/.exec(line);
    if (!drop || !repo || done.has(drop[1]!)) continue;
    done.add(drop[1]!);
    const detail = (drop[3] ?? '').replace(/\x1b\[[0-9;]*m/g, '').trim();
    // `error — install failed (<cmd>: …)` (older logs) and a bare `install failed`: name the command.
    const install = /install failed \(([^:]+):/.exec(detail)?.[1];
    const reason = install ? `install failed (${install})` : drop[2] === 'error' ? `error: ${detail.slice(0, 160)}` : detail ? `${drop[2]}: ${detail.slice(0, 160)}` : drop[2]!;
    exclusions.push({ repo, commit: drop[1]!, reason });
  }
}
// A commit dropped once and kept on a later re-mine (e.g. after a harness fix) is an instance, not an exclusion.
const kept = (c?: string) => c !== undefined && instances.some((i) => i.commit.startsWith(c));
const corpus = CorpusSchema.parse({ formatVersion: 1, mined_with: values['mined-with'], instances, exclusions: exclusions.filter((e) => !kept(e.commit)) });
writeFileSync(path.join(ROOT, 'tasks/real/corpus.json'), `${JSON.stringify(corpus, null, 1)}\n`);
process.stdout.write(`tasks/real/corpus.json: ${instances.length} instances from ${new Set(instances.map((i) => i.repo)).size} repositories, ${corpus.exclusions.length} exclusions\n`);
