/**
 * `GET /v1/runs/:id/events`: the run's `trajectory.jsonl` as Server-Sent Events, as it is written.
 * The file is the source (it is what any worker, local or remote, writes), so one tailer per run
 * polls its size and fans new lines out to every client of that run. Each event's `id` is the trace
 * line's `seq`; a client that reconnects with `Last-Event-ID: N` gets the lines after N, each once.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { readTrajectory, type TraceLine } from '../trace/trajectory.ts';

/** How often a tailer looks for new lines, ms. */
export const TAIL_POLL_MS = 100;
/** A comment line this often keeps proxies from closing an idle stream, ms. */
export const HEARTBEAT_MS = 15_000;

type Listener = (line: TraceLine) => void;

/** Follows one trajectory file from its current end and hands each complete new line to the listeners. */
class Tailer {
  private offset: number;
  private rest = '';
  private readonly timer: NodeJS.Timeout;
  readonly listeners = new Set<Listener>();

  constructor(private readonly file: string) {
    this.offset = existsSync(file) ? fstatSize(file) : 0;
    this.timer = setInterval(() => this.poll(), TAIL_POLL_MS);
  }

  private poll(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      const text = this.rest + buf.toString('utf8');
      const parts = text.split('\n');
      this.rest = parts.pop() ?? ''; // a line still being written
      for (const raw of parts) {
        if (!raw.trim()) continue;
        let line: TraceLine;
        try {
          line = JSON.parse(raw) as TraceLine;
        } catch {
          continue; // a torn line of a killed writer; the resumed run writes its own
        }
        for (const l of [...this.listeners]) l(line);
      }
    } finally {
      closeSync(fd);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function fstatSize(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

export interface StreamOptions {
  /** The run's trajectory file (may not exist yet while the job is queued). */
  file: string;
  /** `Last-Event-ID`: the last seq the client has; -1 for all. */
  after: number;
  /** True while more lines may come (queued or running); the stream ends after a `run_end` once false. */
  isActive: () => boolean;
}

/** Shares tailers between the clients of a run. */
export class TrajectoryStreams {
  private readonly tailers = new Map<string, Tailer>();
  private readonly open = new Set<() => void>();
  /** Clients connected now. */
  get clients(): number {
    return this.open.size;
  }

  private subscribe(file: string, l: Listener): () => void {
    let t = this.tailers.get(file);
    if (!t) this.tailers.set(file, (t = new Tailer(file)));
    t.listeners.add(l);
    return () => {
      t.listeners.delete(l);
      if (t.listeners.size === 0) (t.stop(), this.tailers.delete(file));
    };
  }

  /** Writes the SSE response until the run ends or the client goes away. */
  serve(res: ServerResponse, o: StreamOptions): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    let last = o.after;
    let closed = false;
    const send = (line: TraceLine) => {
      if (closed || line.seq <= last) return;
      last = line.seq;
      res.write(`id: ${line.seq}\nevent: ${line.type}\ndata: ${JSON.stringify(line)}\n\n`);
      // Lines after `run_end` (a webhook job's `publish` steps) may follow in the same batch or replay: end after them.
      if (line.type === 'run_end' && !o.isActive()) setImmediate(finish);
    };
    // Subscribe before reading the file: a line written in between arrives twice and is sent once.
    const pending: TraceLine[] = [];
    let replaying = true;
    const unsubscribe = this.subscribe(o.file, (line) => (replaying ? pending.push(line) : send(line)));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    // The job's status turns final after its last trace line is on disk: one more tail poll
    // (TAIL_POLL_MS < 250 ms) after seeing it final has sent every line.
    let inactiveTicks = 0;
    const idleEnd = setInterval(() => {
      inactiveTicks = o.isActive() ? 0 : inactiveTicks + 1;
      if (inactiveTicks >= 2) finish();
    }, 250);
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(idleEnd);
      unsubscribe();
      this.open.delete(finish);
      res.end();
    };
    this.open.add(finish);
    res.on('close', finish);
    let existing: TraceLine[] = [];
    try {
      existing = existsSync(o.file) ? readTrajectory(o.file) : [];
    } catch (err) {
      // A trace this patchloop cannot read (another format version, a damaged line): say so and stop.
      res.write(`event: error\ndata: ${JSON.stringify({ message: (err as Error).message })}\n\n`);
      return finish();
    }
    for (const line of existing) send(line);
    replaying = false;
    for (const line of pending.sort((a, b) => a.seq - b.seq)) send(line);
    if (!closed && existing.at(-1)?.type === 'run_end' && !o.isActive()) finish();
  }

  /** Ends every stream and stops every tailer (server shutdown). */
  close(): void {
    for (const finish of [...this.open]) finish();
    for (const t of this.tailers.values()) t.stop();
    this.tailers.clear();
  }
}
