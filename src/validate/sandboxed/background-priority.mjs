// Validation runs beside the test command (src/run/early-tests.ts), and the run waits for the tests
// first. On Linux with autogroup scheduling (CONFIG_SCHED_AUTOGROUP, on by default in most desktop
// kernels; /proc/sys/kernel/sched_autogroup_enabled) the CPU is shared evenly between *sessions*,
// and a thread's nice value only counts inside its own session (sched(7), "The autogroup feature",
// man-pages 6.9). The validation worker and server each lead their own session (bwrap
// --new-session, spawn `detached`), and so does the test command: plain nice leaves them 50/50.
// The session's own weight is `/proc/<pid>/autogroup`. Measured on this project's overhead bench
// (README, #13): a test command beside warm validation ran 80–190 ms slower than alone.
//
// Plain JavaScript: the sandboxed worker runs it on bare Node.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** The nice value the server and worker take unless PATCHLOOP_VALIDATION_NICE says otherwise (0 = as the tests). */
export const DEFAULT_VALIDATION_NICE = 10;

/**
 * The nice value for validation from `env.PATCHLOOP_VALIDATION_NICE` (an integer 0–19), else
 * DEFAULT_VALIDATION_NICE. Throws on anything else, naming the variable and the allowed range.
 */
export function validationNice(env = process.env) {
  const raw = env.PATCHLOOP_VALIDATION_NICE;
  if (raw === undefined || raw === '') return DEFAULT_VALIDATION_NICE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`PATCHLOOP_VALIDATION_NICE=${raw}: expected an integer from 0 (no change) to 19 (lowest CPU share)`);
  return n;
}

/**
 * True when this process's session was made for it: it leads the session (spawned `detached`), or
 * bwrap's init leads it (pid 1 of the sandbox's pid namespace, after --new-session). Any other
 * session may be the user's terminal. `proc` is this process's /proc folder, `procRoot` /proc.
 */
function ownSession(proc, procRoot) {
  const stat = readFileSync(`${proc}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields after it follow the last ')'.
  const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  if (session === process.pid) return true;
  return session === 1 && readFileSync(`${procRoot}/1/comm`, 'utf8').trim() === 'bwrap';
}

/**
 * Lowers this process's CPU share to `nice` (0–19): its session's autogroup when the session was
 * made for it (see ownSession), and its main thread's nice either way (what counts when autogroups are off).
 * Never touches a session it merely joined: that would slow the user's terminal. Best effort:
 * resolves to what it did ('autogroup', 'thread', 'off' for nice 0) and never throws.
 * The kernel lets an unprivileged process write an autogroup at most once per 100 ms system-wide
 * (kernel/sched/autogroup.c, EAGAIN), so it retries a few times.
 */
export async function lowerSessionPriority(nice, { proc = '/proc/self', procRoot = '/proc', attempts = 5 } = {}) {
  if (!nice) return 'off';
  try {
    os.setPriority(nice);
  } catch {
    // not permitted here: the autogroup may still be
  }
  let leader = false;
  try {
    leader = ownSession(proc, procRoot);
  } catch {
    return 'thread';
  }
  if (!leader) return 'thread';
  for (let i = 0; i < attempts; i++) {
    try {
      writeFileSync(`${proc}/autogroup`, String(nice));
      return 'autogroup';
    } catch (err) {
      if (err?.code !== 'EAGAIN') return 'thread';
      await sleep(110);
    }
  }
  return 'thread';
}
