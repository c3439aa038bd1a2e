/**
 * Writes tasks/real/corpus.json (facts only) from mined instance files and the mining log:
 *   tsx test/bench/real-corpus.ts --log mine.log [--log …] [--exclude owner/name=reason ...] a.jsonl b.jsonl ...
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
const { values, positionals } = parseArgs({ allowPositionals: true, options: { log: { type: 'string', multiple: true, default: [] }, exclude: { type: 'string', multiple: true, default: [] }, 'mined-with': { type: 'string', default: '' } } });
const seen = new Set<string>();
const instances = positionals.flatMap((f) => readInstances(f)).filter((i) => !seen.has(i.commit) && seen.add(i.commit)).map(corpusEntry);
const exclusions: Corpus['exclusions'] = values.exclude!.map((x) => ({ repo: x.split('=')[0]!, reason: x.split('=').slice(1).join('=') }));
const done = new Set<string>();
for (const log of values.log!) {
  let repo = '';
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const head = /^=== (\S+)/.exec(line);
    if (head) repo = head[1]!.replace('+', '/');
    const drop = /^drop ([0-9a-f]{7,40}): (.*?)(?: — |$)/.exec(line);
    if (drop && repo && !done.has(drop[1]!)) { done.add(drop[1]!); exclusions.push({ repo, commit: drop[1]!, reason: drop[2]! }); }
  }
}
const corpus = CorpusSchema.parse({ formatVersion: 1, mined_with: values['mined-with'], instances, exclusions });
writeFileSync(path.join(ROOT, 'tasks/real/corpus.json'), `${JSON.stringify(corpus, null, 1)}\n`);
process.stdout.write(`tasks/real/corpus.json: ${instances.length} instances from ${new Set(instances.map((i) => i.repo)).size} repositories, ${exclusions.length} exclusions\n`);
