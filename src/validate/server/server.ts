/**
 * The warm validation server (see protocol.ts): one process per repository, base commit and
 * installed dependencies, holding the validation pipeline of its own detached worktree `W` at the
 * base commit. A run's session copies the run's changed files into W, validates there and copies
 * auto-fixes back; when the session ends, W's files are put back as they were. One session at a
 * time (a second run is told `busy` and validates in its own process). After `idleMs` without a
 * session the server removes W and exits.
 *
 * Repository code still runs only in the pipeline's sandboxed workers, whose writable tree is W;
 * W is reset to the base commit at every session start, so nothing one run's workers left there
 * reaches the next run's validation.
 */
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { openRepo } from '../../git/repo.ts';
import { runGit } from '../../git/run-git.ts';
import { createDetachedWorktree, excludeLinkedPackages } from '../../git/worktree.ts';
import { isUnder } from '../../sandbox/bwrap-args.ts';
import { createSandbox } from '../../sandbox/create.ts';
import { linkDependencies, unlinkDependencies } from '../../sandbox/dependencies.ts';
import { createValidationPipeline, type ValidationPipeline } from '../pipeline.ts';
import { replaceSiblings } from './admin.ts';
import { onJsonLines } from '../json-lines.ts';
import { RequestSchema, safeRel, type Request, type ServerConfig } from './protocol.ts';

export interface RunningServer {
  /** The server's worktree (absolute). */
  worktree: string;
  socketPath: string;
  /** Resolves when the server has shut down (idle, `stop`, or `close()`). */
  done: Promise<void>;
  close(): Promise<void>;
}

/** True when every existing folder on the way to `abs` is a real folder inside `root` (no symlink out). */
function insideReal(root: string, abs: string): boolean {
  let dir = path.dirname(abs);
  while (!existsSync(dir)) dir = path.dirname(dir);
  return isUnder(realpathSync(dir), root);
}

/**
 * W is writable by the sandboxed workers, so any path in it may have become a symlink: files are
 * read without following one, and written as new regular files after removing whatever was there.
 * @throws Error when a folder on the way leads out of `root`.
 */
function checked(root: string, abs: string): string {
  if (!insideReal(root, abs)) throw new Error(`refused path ${JSON.stringify(path.relative(root, abs))}: not a plain path inside the worktree`);
  return abs;
}

/** Text of the regular file at `abs`; null when absent or not a regular file (a symlink is not followed). */
function readRegular(abs: string): string | null {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : null;
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` as a new regular file (null: removes it); never writes through a symlink. */
function writeRegular(abs: string, text: string | null): void {
  rmSync(abs, { force: true });
  if (text === null) return;
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text, { flag: 'wx' });
}

/**
 * Starts the server: makes (or resets) W, links dependencies, builds the pipeline, listens.
 * @throws when the repository, the commit or the socket cannot be set up (the client then validates locally).
 */
export async function startValidationServer(config: ServerConfig, log: (line: string) => void): Promise<RunningServer> {
  const repo = await openRepo(config.repoRoot);
  const worktree = await createDetachedWorktree(repo, `validation-${config.key}`, config.baseSha);
  const realW = realpathSync(worktree);
  // runGit, not simple-git: simple-git waits 50 ms after a command that prints nothing (a clean status), on every session start.
  const git = (args: string[]) => runGit(worktree, args);
  excludeLinkedPackages(repo, linkDependencies(repo.root, worktree));
  const sandbox = await createSandbox({ backend: config.backend, warn: log });
  const fixed = new Set<string>();
  const pipeline: ValidationPipeline = createValidationPipeline({
    root: worktree, baseRef: config.baseSha, sandbox, warn: log,
    ...(config.allowImports ? { allowImports: config.allowImports } : {}),
    deps: {
      writeFile: (abs, text) => {
        writeRegular(checked(realW, abs), text);
        fixed.add(path.relative(worktree, abs).split(path.sep).join('/'));
      },
    },
  });

  /** W back on the base commit, nothing else in it (dependency links are excluded, so they stay). */
  const reset = async () => {
    const dirty = (await git(['status', '--porcelain', '--untracked-files=all'])).trim();
    if (dirty === '' && (await git(['rev-parse', 'HEAD'])).trim() === config.baseSha) return;
    await git(['checkout', '--quiet', '--force', '--detach', config.baseSha]);
    await git(['clean', '-fdq']);
  };
  await reset();

  let session: { socket: net.Socket; root: string; originals: Map<string, string | null> } | undefined;
  let runsServed = 0;
  const startedAt = new Date().toISOString();
  let warmed: Promise<void> | undefined;
  let idle: NodeJS.Timeout | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void close(), config.idleMs);
  };

  // A file that fails to go back leaves W dirty: the next session's reset (git) repairs it.
  const restore = (originals: Map<string, string | null>) => {
    for (const [rel, text] of originals) {
      try {
        writeRegular(checked(realW, path.join(realW, rel)), text);
      } catch (err) {
        log(`could not put back ${rel}: ${(err as Error).message}`);
      }
    }
  };

  const write = (originals: Map<string, string | null>, files: Record<string, string | null>) => {
    for (const [rel, text] of Object.entries(files)) {
      if (!safeRel(rel)) throw new Error(`refused path ${JSON.stringify(rel)}: not a plain path inside the worktree`);
      const abs = checked(realW, path.join(realW, rel));
      if (!originals.has(rel)) originals.set(rel, readRegular(abs));
      writeRegular(abs, text);
    }
  };

  /** W's absolute path → the run's, in everything the report says (messages name files). */
  const toRunPaths = (value: unknown, root: string): unknown => {
    const from = JSON.stringify(worktree).slice(1, -1);
    const to = JSON.stringify(root).slice(1, -1);
    return JSON.parse(JSON.stringify(value).split(from).join(to));
  };

  async function handle(req: Request, socket: net.Socket): Promise<unknown> {
    if (req.op === 'hello') {
      if (session && session.socket !== socket) return { busy: true, worktree, runsServed };
      clearTimeout(idle);
      await reset();
      session = { socket, root: path.resolve(req.root), originals: new Map() };
      return { busy: false, worktree, runsServed };
    }
    if (req.op === 'info') {
      return { pid: process.pid, commonDir: repo.commonDir, repoRoot: repo.root, baseSha: config.baseSha, worktree, busy: session !== undefined, runsServed, startedAt, idleMs: config.idleMs };
    }
    if (req.op === 'stop') {
      setImmediate(() => void close());
      return { stopping: true };
    }
    if (!session || session.socket !== socket) throw new Error('no session: send hello first');
    if (req.op === 'prewarm') {
      // Once per server: later sessions find everything built.
      await (warmed ??= pipeline.prewarm());
      return { warm: true };
    }
    write(session.originals, req.files);
    fixed.clear();
    const report = await pipeline.run(req.touched, { ...(req.lastStopReason !== undefined ? { lastStopReason: req.lastStopReason } : {}), ...(req.autoFix !== undefined ? { autoFix: req.autoFix } : {}) });
    const fixedTexts = Object.fromEntries([...fixed].flatMap((rel) => {
      const text = readRegular(checked(realW, path.join(realW, rel)));
      return text === null ? [] : [[rel, text]];
    }));
    return { report: toRunPaths(report, session.root), fixed: fixedTexts };
  }

  const server = net.createServer((socket) => {
    let queue = Promise.resolve();
    onJsonLines(socket, (msg) => {
      queue = queue.then(async () => {
        const parsed = RequestSchema.safeParse(msg);
        const id = (msg as { id?: unknown })?.id;
        if (!parsed.success) return void socket.write(JSON.stringify({ id, ok: false, error: `bad request: ${parsed.error.issues[0]?.message ?? 'invalid'}` }) + '\n');
        try {
          socket.write(JSON.stringify({ id, ok: true, result: await handle(parsed.data, socket) }) + '\n');
        } catch (err) {
          socket.write(JSON.stringify({ id, ok: false, error: String((err as Error)?.message ?? err).slice(0, 2000) }) + '\n');
        }
      });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (session?.socket !== socket) return;
      // Wait for a validation still running for this client before putting W back.
      void queue.then(() => {
        restore(session!.originals);
        session = undefined;
        runsServed++;
        armIdle();
      });
    });
  });

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    return (closing ??= (async () => {
      clearTimeout(idle);
      server.close();
      pipeline.dispose();
      try {
        unlinkSync(config.socketPath);
      } catch {
        // already gone
      }
      try {
        unlinkDependencies(worktree);
        await runGit(repo.root, ['worktree', 'remove', '--force', worktree]);
      } catch (err) {
        // The checkout itself is gone (or git failed): the folder is still ours to remove.
        log(`git could not remove ${worktree} (${(err as Error).message.split('\n')[0]}): removing the folder`);
        rmSync(worktree, { recursive: true, force: true });
      }
      log('stopped');
      resolveDone();
    })());
  }

  try {
    unlinkSync(config.socketPath); // a stale socket from a killed server (the client found nobody listening)
  } catch {
    // none
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.socketPath, () => resolve());
  });
  armIdle();
  void replaceSiblings(repo, { socketPath: config.socketPath, worktree }, log).catch((err: Error) => log(`replacing older servers: ${err.message}`));
  log(`listening on ${config.socketPath}, worktree ${worktree} at ${config.baseSha}`);
  return { worktree, socketPath: config.socketPath, done, close };
}
