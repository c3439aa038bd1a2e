// Child process that runs code inside an isolated-vm isolate (no require, no fs, no network).
// Started by src/sandbox/isolate.ts as `node --no-node-snapshot sandbox/isolate-runner.mjs` (isolated-vm
// 5.x on Node ≥ 20 needs the flag) so an isolate that takes its host down only takes this process.
// Protocol: one JSON request on stdin, one JSON line on stdout.
//   request:  { mode: 'checks'|'snippet', bundle?, checks?, code?, memoryLimitMb, timeoutMs, repeat? }
//   response: { checks, value?, error?, reason: 'ok'|'timeout'|'limit:memory'|'error', durationMs, timingsMs? }
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ivm from 'isolated-vm';

const harness = readFileSync(fileURLToPath(new URL('./isolate-harness.js', import.meta.url)), 'utf8');

function reasonOf(err) {
  const msg = String(err && err.message ? err.message : err);
  if (/timed out/i.test(msg)) return 'timeout';
  if (/memory limit|disposed|out of memory|allocation failed/i.test(msg)) return 'limit:memory';
  return 'error';
}

function once(req) {
  const started = performance.now();
  const isolate = new ivm.Isolate({ memoryLimit: req.memoryLimitMb });
  try {
    const context = isolate.createContextSync();
    const timeout = req.timeoutMs;
    if (req.mode === 'snippet') {
      const value = context.evalSync(req.code, { timeout, copy: true });
      return { checks: [], value, reason: 'ok', durationMs: performance.now() - started };
    }
    // One script: module bundle (sets globalThis.__mod), the harness, the checks, then run them.
    const source = `${req.bundle}\n;globalThis.mod = globalThis.__mod;\n${harness}\n;(function(){\n${req.checks}\n})();\n__runChecks();`;
    const script = isolate.compileScriptSync(source, { filename: 'checks.js' });
    const json = script.runSync(context, { timeout });
    return { checks: JSON.parse(json), reason: 'ok', durationMs: performance.now() - started };
  } catch (err) {
    const reason = isolate.isDisposed ? 'limit:memory' : reasonOf(err);
    return { checks: [], error: String(err && err.message ? err.message : err).slice(0, 2000), reason, durationMs: performance.now() - started };
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  let req;
  try {
    req = JSON.parse(input);
  } catch (err) {
    process.stdout.write(JSON.stringify({ checks: [], error: `bad request: ${err.message}`, reason: 'error', durationMs: 0 }) + '\n');
    return;
  }
  // `repeat` (benchmarks): run N times, report each duration measured inside this process.
  const n = Math.max(1, Math.min(1000, Number(req.repeat) || 1));
  const timingsMs = [];
  let result;
  for (let i = 0; i < n; i++) {
    result = once(req);
    timingsMs.push(result.durationMs);
  }
  if (n > 1) result.timingsMs = timingsMs;
  process.stdout.write(JSON.stringify(result) + '\n');
});
