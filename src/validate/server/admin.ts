/**
 * Listing and stopping warm validation servers (`patchloop validation-servers`, the bench, and a
 * new server replacing idle ones of its repository). Talks to each socket in `serversDir()` with
 * the `info` / `stop` ops; a socket nobody answers on is a killed server's, and is removed.
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runGit } from '../../git/run-git.ts';
import { unlinkDependencies } from '../../sandbox/dependencies.ts';
import { onJsonLines } from '../json-lines.ts';
import { InfoAnswer, serversDir, type ServerInfo } from './protocol.ts';

/** A server's worktree younger than this may belong to a server still starting, ms (a start takes seconds). */
const STARTING_MS = 120_000;
/** Longest wait for one server's answer, ms (a server answers `info` between validations). */
const ANSWER_TIMEOUT_MS = 2000;

/** Sends one request: its result, `dead` when nothing listens on the socket, `silent` when no answer came in time. */
function ask(socketPath: string, op: string): Promise<{ result: unknown } | 'dead' | 'silent'> {
  return new Promise((resolve) => {
    const s = net.createConnection(socketPath);
    const done = (v: { result: unknown } | 'dead' | 'silent') => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done('silent'), ANSWER_TIMEOUT_MS);
    s.once('error', () => done('dead'));
    s.once('connect', () => s.write(JSON.stringify({ id: 1, op }) + '\n'));
    onJsonLines(s, (m) => done({ result: (m as { ok?: unknown; result?: unknown }).ok === true ? (m as { result: unknown }).result : undefined }));
  });
}

/** The running servers of this user (sockets of dead ones are removed on the way). */
export async function listServers(dir = serversDir()): Promise<ServerInfo[]> {
  const sockets = readdirSync(dir).filter((f) => /^[0-9a-f]{16}\.sock$/.test(f)).map((f) => path.join(dir, f));
  const out: ServerInfo[] = [];
  for (const socketPath of sockets) {
    const answer = await ask(socketPath, 'info');
    const parsed = InfoAnswer.safeParse(typeof answer === 'object' ? answer.result : undefined);
    if (parsed.success) out.push({ ...parsed.data, socketPath });
    else if (answer === 'dead') {
      // A killed server's socket (a busy one may just be slow: left alone).
      try {
        unlinkSync(socketPath);
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

/** Stops the servers `which` selects (each removes its worktree, then exits); resolves the ones asked. */
export async function stopServers(which: (s: ServerInfo) => boolean = () => true, dir = serversDir()): Promise<ServerInfo[]> {
  const chosen = (await listServers(dir)).filter(which);
  await Promise.all(chosen.map((s) => ask(s.socketPath, 'stop')));
  return chosen;
}

/**
 * What a new server does for its repository once it listens: stops the idle servers of the same
 * repository (another commit or install: one warm server per repository is enough), then removes
 * the worktrees of servers that were killed before they could (`validation-<key>` folders beside
 * its own that no live server claims), so `git worktree list` does not collect them.
 */
export async function replaceSiblings(repo: { root: string; commonDir: string }, own: { socketPath: string; worktree: string }, log: (line: string) => void): Promise<void> {
  for (const s of await stopServers((s) => s.commonDir === repo.commonDir && !s.busy && s.socketPath !== own.socketPath)) log(`stopped the server for ${s.baseSha.slice(0, 12)} (replaced)`);
  const live = new Set((await listServers()).map((s) => s.worktree));
  const bucket = path.dirname(own.worktree);
  for (const name of readdirSync(bucket).filter((n) => /^validation-[0-9a-f]{16}$/.test(n))) {
    const wt = path.join(bucket, name);
    // A server still starting (worktree made, not yet listening) is not a killed one: only old folders go.
    if (wt === own.worktree || live.has(wt) || Date.now() - statSync(wt).mtimeMs < STARTING_MS) continue;
    unlinkDependencies(wt);
    await runGit(repo.root, ['worktree', 'remove', '--force', wt]).then(() => log(`removed ${name}, left by a killed server`), (err: Error) => log(`could not remove ${wt}: ${err.message.split('\n')[0]}`));
  }
}
