/**
 * `npm test`'s pre-flight (the `pretest` script): before anything runs, checks the system packages
 * the tests need and, when any is missing, stops with ONE message naming all of them and the
 * install command (exit 1). Hidden behind PATH like a fresh machine: only PATH decides.
 */
import { whichSync } from '../../src/sandbox/create.ts';
import { missingSystemPackages, preflightMessage } from '../../src/cli/system-packages.ts';

const missing = missingSystemPackages((bin) => whichSync(bin, process.env['PATH'] ?? ''));
if (missing.length > 0) {
  process.stderr.write(`${preflightMessage(missing)}\n`);
  process.exit(1);
}
