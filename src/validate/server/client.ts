/**
 * A run's side of the warm validation server (protocol.ts): finds the server for its repository,
 * base commit and dependencies, starting one (detached) when there is none, and opens a session.
 * Each validation sends the texts of the files the run has touched so far; auto-fixes come back as
 * texts and are written into the run's worktree. `undefined` from {@link openServerSession} means
 * "validate in this process" (no server could be used; the reason is passed to `note`).
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidationReport } from '../types.ts';
import { jsonLinesCaller } from '../json-lines.ts';
import { MAX_SOCKET_PATH } from '../unix-socket.ts';
import { DEFAULT_IDLE_MS, HelloAnswer, RunAnswer, safeRel, serverKey, serversDir, type ServerConfig } from './protocol.ts';

/** Longest wait for a newly spawned server to listen, ms (Node start, worktree, modules). */
const START_TIMEOUT_MS = 20_000;

export interface SessionOptions {
  /** The run's worktree (absolute). */
  root: string;
  /** The user's checkout the worktree was made from (its node_modules is what the worktree links). */
  repoRoot: string;
  /** Git common dir of the repository (absolute). */
  commonDir: string;
  baseSha: string;
  backend: 'bwrap' | 'process';
  allowImports?: string[];
  /** Server idle lifetime, ms (default {@link DEFAULT_IDLE_MS}). */
  idleMs?: number;
  /** Starts a server process for the config file (injected in tests; default: detached `node main.js`). */
  spawnServer?: (configFile: string) => void;
  /** Why no server is used, for the trace/log. */
  note?: (line: string) => void;
}

export interface ServerSession {
  prewarm(): Promise<void>;
  /** Validates in the server. @throws Error when the server fails or dies (the caller falls back). */
  run(touched: string[], opts: { lastStopReason?: string; autoFix?: boolean }): Promise<ValidationReport>;
  /** Ends the session (the server puts its worktree back). */
  dispose(): void;
  /** Runs the server had served before this one: 0 means its cold start is this run's. */
  readonly runsServed: number;
}

/** Spawns `node [--import tsx] main.{js,ts} <config>` detached, stdio ignored, without API keys in its environment. */
function spawnDetached(configFile: string): void {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', import.meta.url));
  const loader = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i.test(k)));
  const child = spawn(process.execPath, [...loader, entry, configFile], { detached: true, stdio: 'ignore', cwd: '/', env });
  child.unref();
}

/** The server's own one-line account of a failed start (main.ts logs "could not start: …"), or ''. */
function startFailure(logFile: string): string {
  try {
    const line = readFileSync(logFile, 'utf8').split('\n').find((l) => l.includes(' could not start: '));
    return line ? line.slice(line.indexOf(' could not start: ') + ' could not start: '.length).slice(0, 400) : '';
  } catch {
    return '';
  }
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(socketPath);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** A JSON-lines request/answer channel over one socket; every pending call fails when it closes. */
function channel(socket: net.Socket) {
  const caller = jsonLinesCaller(socket, (error) => new Error(`validation server: ${String(error ?? 'error')}`));
  socket.on('error', (e) => caller.fail(new Error(`validation server: ${e.message}`)));
  socket.on('close', () => caller.fail(new Error('validation server: connection closed')));
  return caller.call;
}

/**
 * Opens a session with the server for `o`, starting the server if none listens.
 * @returns undefined (and a line to `o.note`) when the worktree has its own installed
 *   node_modules (`--setup`), the socket path is too long, the server is busy with another run, or
 *   it could not be started within {@link START_TIMEOUT_MS}.
 */
export async function openServerSession(o: SessionOptions): Promise<ServerSession | undefined> {
  const note = o.note ?? (() => undefined);
  const nm = lstatSync(path.join(o.root, 'node_modules'), { throwIfNoEntry: false });
  if (nm && !nm.isSymbolicLink()) return void note('validation server: not used, the worktree has its own node_modules (--setup)');
  const key = serverKey(o);
  const dir = serversDir();
  const socketPath = path.join(dir, `${key}.sock`);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) return void note(`validation server: not used, socket path over ${MAX_SOCKET_PATH} bytes (${socketPath})`);
  let socket: net.Socket | undefined;
  try {
    socket = await connect(socketPath);
  } catch {
    const config: ServerConfig = { repoRoot: o.repoRoot, baseSha: o.baseSha, key, backend: o.backend, idleMs: o.idleMs ?? DEFAULT_IDLE_MS, socketPath, ...(o.allowImports ? { allowImports: o.allowImports } : {}) };
    const configFile = path.join(mkdtempSync(path.join(dir, 'start-')), 'config.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    const logFile = `${socketPath}.log`;
    rmSync(logFile, { force: true }); // an earlier failure's log must not end this wait
    (o.spawnServer ?? spawnDetached)(configFile);
    const deadline = Date.now() + START_TIMEOUT_MS;
    let failed = '';
    while (!socket && !failed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      socket = await connect(socketPath).catch(() => undefined);
      failed = socket ? '' : startFailure(logFile);
    }
    if (!socket) return void note(`validation server: ${failed ? `could not start: ${failed}` : `did not start within ${START_TIMEOUT_MS} ms`}`);
  }
  const call = channel(socket);
  const hello = HelloAnswer.safeParse(await call('hello', { root: o.root }).catch(() => undefined));
  if (!hello.success || hello.data.busy) {
    socket.destroy();
    return void note(`validation server: not used, ${hello.success ? 'busy with another run' : 'no answer to hello'}`);
  }
  const sent = new Set<string>();
  return {
    runsServed: hello.data.runsServed,
    prewarm: async () => void (await call('prewarm').catch(() => undefined)),
    async run(touched, opts) {
      for (const f of touched) sent.add(f);
      const files: Record<string, string | null> = {};
      for (const rel of sent) {
        try {
          files[rel] = readFileSync(path.join(o.root, rel), 'utf8');
        } catch {
          files[rel] = null;
        }
      }
      const answer = RunAnswer.parse(await call('run', { touched, files, ...opts }));
      // Auto-fixes, only ever to files this run touched (what the in-process pipeline writes).
      for (const [rel, text] of Object.entries(answer.fixed)) if (sent.has(rel) && safeRel(rel)) writeFileSync(path.join(o.root, rel), text);
      return answer.report as ValidationReport;
    },
    dispose: () => void socket.end(),
  };
}
