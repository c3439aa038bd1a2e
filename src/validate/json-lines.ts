/** Newline-delimited JSON over a stream: the validation worker's socket and the warm validation server's. */
import type net from 'node:net';

/** Reads newline-delimited JSON from a socket stream, one callback per parsed line (garbage lines dropped). */
export function onJsonLines(stream: NodeJS.ReadableStream, each: (msg: unknown) => void): void {
  stream.setEncoding('utf8');
  let buffer = '';
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        continue; // not JSON: ignore
      }
      each(msg);
    }
  });
}

/** The asking side of a JSON-lines socket (see {@link jsonLinesCaller}). */
export interface JsonLinesCaller {
  /** Sends `{ id, op, ...args }`; resolves the answer's `result` (untrusted), rejects with `errorOf(error)` or the failure. */
  call(op: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Rejects every pending call, and every later one, with the first failure given. */
  fail(err: Error): void;
}

/**
 * Requests `{ id, op, ...args }` and answers `{ id, ok: true, result }` / `{ id, ok: false, error }`
 * over `socket`. Answers are untrusted: one without a pending id is ignored. The caller decides when
 * the channel has failed (`fail`): on close at once, or after waiting for the process's own account.
 */
export function jsonLinesCaller(socket: net.Socket, errorOf: (error: unknown) => Error): JsonLinesCaller {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  onJsonLines(socket, (raw) => {
    const msg = raw as { id?: unknown; ok?: unknown; result?: unknown; error?: unknown } | null;
    const p = typeof msg?.id === 'number' ? pending.get(msg.id) : undefined;
    if (!p) return;
    pending.delete(msg!.id as number);
    if (msg!.ok === true) p.resolve(msg!.result);
    else p.reject(errorOf(msg!.error));
  });
  return {
    call: (op, args = {}) => {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.write(JSON.stringify({ id, op, ...args }) + '\n');
      });
    },
    fail: (err) => {
      failed ??= err;
      for (const p of pending.values()) p.reject(failed);
      pending.clear();
    },
  };
}
