/**
 * `npm run sandbox:audit` (= `tsx sandbox/audit.ts`): runs every attack in sandbox/attacks.ts inside
 * the default backend and prints `attack | expected | observed | PASS/FAIL`. Exit 1 on any FAIL.
 * Options: `--backend bwrap|process|auto` (default auto), `--only <regex>`.
 */
import { createAttackWorld, runAttacks, type AttackRow } from './attacks.ts';

function table(rows: AttackRow[]): string {
  const cols: (keyof AttackRow)[] = ['attack', 'expected', 'observed', 'pass'];
  const cell = (r: AttackRow, c: keyof AttackRow): string => (c === 'pass' ? (r.pass ? 'PASS' : 'FAIL') : String(r[c]));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(width[i]!)).join(' | ');
  return [line(cols.map(String)), width.map((n) => '-'.repeat(n)).join('-|-'), ...rows.map((r) => line(cols.map((c) => cell(r, c))))].join('\n');
}

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const backend = (opt('--backend') ?? 'auto') as 'bwrap' | 'process' | 'auto';
const only = opt('--only');

const world = await createAttackWorld({ backend });
try {
  for (const w of world.warnings) console.log(w);
  console.log(`backend: ${world.sandbox.backend} (isolated: ${world.sandbox.isolated}); limits enforced by: ${JSON.stringify(world.sandbox.enforcement)}\n`);
  const rows = await runAttacks(world, only ? new RegExp(only, 'i') : undefined);
  console.log(table(rows));
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`\n${rows.length - failed}/${rows.length} attacks contained`);
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  await world.cleanup();
}
