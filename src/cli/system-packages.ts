/**
 * The system packages patchloop and its tests need, in one list: `npm test`'s pre-flight
 * (test/support/preflight.ts), `patchloop doctor`, and the README set-up line (checked against this
 * list and `.ci/run` by test/e2e/fresh-machine.test.ts) all read it. Package names are Debian's
 * (Debian 12 / Ubuntu 24.04, checked 2026-12).
 */

export interface SystemPackage {
  /** Debian/Ubuntu package name. */
  pkg: string;
  /** The executable looked up on PATH to tell whether it is installed. */
  bin: string;
  /** `runs`: patchloop itself uses it; `tests`: only `npm test` does. */
  neededBy: 'runs' | 'tests';
  /** What uses it, for the message. */
  why: string;
}

export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { pkg: 'git', bin: 'git', neededBy: 'runs', why: 'worktrees, diffs and commits' },
  { pkg: 'bubblewrap', bin: 'bwrap', neededBy: 'runs', why: 'the isolated sandbox (the sandbox tests exercise it)' },
  { pkg: 'util-linux', bin: 'prlimit', neededBy: 'runs', why: "the sandbox's CPU and file-size limits" },
  { pkg: 'tmux', bin: 'tmux', neededBy: 'tests', why: 'the terminal tests' },
  { pkg: 'chromium', bin: 'chromium', neededBy: 'tests', why: 'the eval HTML report and service web page tests' },
  { pkg: 'redis-server', bin: 'redis-server', neededBy: 'tests', why: 'the service queue tests (BullMQ on a real Redis)' },
];

/** The install command for `pkgs` (root, or prefix each command with sudo). */
export const installCommand = (pkgs: readonly SystemPackage[]): string => `apt-get update && apt-get install -y ${pkgs.map((p) => p.pkg).join(' ')}`;

/** The packages whose executable `which` cannot find (which returns the path or null). */
export function missingSystemPackages(which: (bin: string) => string | null, pkgs: readonly SystemPackage[] = SYSTEM_PACKAGES): SystemPackage[] {
  return pkgs.filter((p) => which(p.bin) === null);
}

/** The one message `npm test` stops with: every missing package, why, and the exact install command. */
export function preflightMessage(missing: readonly SystemPackage[]): string {
  return [
    `npm test needs ${missing.length === 1 ? 'a system package that is' : `${missing.length} system packages that are`} not installed:`,
    ...missing.map((p) => `  ${p.pkg.padEnd(11)} (${p.bin} not on PATH) — ${p.why}`),
    'Install (Debian/Ubuntu, as root or with sudo), then run npm test again:',
    `  ${installCommand(missing)}`,
  ].join('\n');
}
