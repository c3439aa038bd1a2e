/**
 * validate/json-lines.ts `jsonLinesCaller`: the asking side shared by the validation worker's and
 * the validation server's clients. Over a real Unix socket, with a peer that answers out of order,
 * sends garbage and answers for ids nobody asked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLinesCaller, onJsonLines } from '../../src/validate/json-lines.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A peer that hands each request to `answer` and a connected client socket. */
async function pair(name: string, answer: (req: { id: number; op: string; [k: string]: unknown }, peer: net.Socket) => void) {
  const sockPath = path.join(dir, `${name}.sock`);
  const server = net.createServer((peer) => onJsonLines(peer, (m) => answer(m as { id: number; op: string }, peer)));
  await new Promise<void>((r) => server.listen(sockPath, r));
  const client = net.createConnection(sockPath);
  await new Promise((r) => client.once('connect', r));
  return { client, close: () => (client.destroy(), server.close()) };
}

describe('jsonLinesCaller', () => {
  it('matches answers to calls by id, out of order; ignores garbage and answers nobody asked for', async () => {
    const held: { id: number; op: string }[] = [];
    const { client, close } = await pair('order', (req, peer) => {
      held.push(req);
      if (held.length < 2) return;
      // Garbage, a forged id, then the two answers in reverse order.
      peer.write('not json\n{"id":99,"ok":true,"result":"forged"}\n');
      for (const r of [...held].reverse()) peer.write(JSON.stringify({ id: r.id, ok: true, result: `${r.op}:done` }) + '\n');
    });
    const caller = jsonLinesCaller(client, (e) => new Error(String(e)));
    expect(await Promise.all([caller.call('first', { x: 1 }), caller.call('second')])).toEqual(['first:done', 'second:done']);
    close();
  });

  it('rejects an error answer with errorOf(error)', async () => {
    const { client, close } = await pair('error', (req, peer) => peer.write(JSON.stringify({ id: req.id, ok: false, error: 'boom\nstack' }) + '\n'));
    const caller = jsonLinesCaller(client, (e) => new Error(`mapped: ${String(e).split('\n')[0]}`));
    await expect(caller.call('x')).rejects.toThrow(/^mapped: boom$/);
    close();
  });

  it('fail rejects every pending call and every later one with the first failure', async () => {
    const { client, close } = await pair('silent', () => undefined); // never answers
    const caller = jsonLinesCaller(client, (e) => new Error(String(e)));
    const pending = [caller.call('a'), caller.call('b')];
    caller.fail(new Error('first failure'));
    caller.fail(new Error('second failure'));
    for (const p of pending) await expect(p).rejects.toThrow('first failure');
    await expect(caller.call('c')).rejects.toThrow('first failure');
    close();
  });
});
