// Runs the regex scan for `search` in a worker thread, so a catastrophic-backtracking pattern (from
// the model) on a long line (from the repo) can be stopped by terminating the worker. Plain JS so it
// loads without a TypeScript loader. Input: workerData { pattern, files: [{rel, abs}], limits };
// output: one message { hits: string[], total, skipped }.
import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const { pattern, files, maxMatches, maxFileBytes, maxLineChars, lineChars } = workerData;
const re = new RegExp(pattern);
const hits = [];
let total = 0;
let skipped = 0;
for (const { rel, abs } of files) {
  let buf;
  try {
    if (statSync(abs).size > maxFileBytes) {
      skipped++;
      continue;
    }
    buf = readFileSync(abs);
  } catch {
    continue;
  }
  // NUL in the first 8 KB = binary, as git decides it.
  if (buf.subarray(0, 8192).includes(0)) continue;
  const lines = buf.toString('utf8').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > maxLineChars || !re.test(line)) continue;
    total++;
    if (hits.length < maxMatches) hits.push(`${rel}:${i + 1}: ${line.trim().slice(0, lineChars)}`);
  }
}
parentPort.postMessage({ hits, total, skipped });
