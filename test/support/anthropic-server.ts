/**
 * A local Anthropic wire server (real `node:http` on 127.0.0.1:0) for driving the real SDK in
 * tests: `POST /v1/messages` (JSON and `stream: true` SSE), `POST /v1/messages/count_tokens`, and
 * Message Batches. Responses are scripted; faults are injectable; every request is recorded.
 *
 * Prompt caching is accounted honestly: the request is serialised canonically block by block
 * (tools → system → messages, `cache_control` stripped); a prefix ending at a block boundary counts
 * as `cache_read_input_tokens` only when byte-identical to a prefix an earlier request wrote at a
 * `cache_control` breakpoint within its TTL (injected clock; hits refresh the TTL; look-back of 20
 * blocks before each breakpoint, as the API documents). Tokens ≈ chars / 4.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string };

export type Scripted =
  | { kind: 'message'; content: ScriptedBlock[]; stopReason?: string; model?: string; usage?: Record<string, number> }
  /** An HTTP error with an Anthropic-style JSON body. */
  | { kind: 'error'; status: number; type?: string; message?: string; headers?: Record<string, string> }
  /** Destroy the connection: before any byte (JSON) or after `afterEvents` SSE events. */
  | { kind: 'reset'; afterEvents?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
}

export interface AnthropicServerOptions {
  /** Scripted answers for /v1/messages, consumed in order, or a function of the request. */
  script?: Scripted[] | ((req: RecordedRequest, n: number) => Scripted);
  /** Required credential (x-api-key or Bearer); any non-empty one when unset. */
  apiKey?: string;
  /** Clock for cache TTLs and batch timestamps (ms since epoch). */
  now?: () => number;
  /** Fail this fraction of /v1/messages calls with `status` (default 529), seeded PRNG. */
  randomFailure?: { rate: number; seed: number; status?: number };
  /** Prefixes shorter than this (tokens) are not cached. Default 1024. */
  minCacheableTokens?: number;
  /** Batch GETs answering `in_progress` before `ended`. Default 1. */
  batchPollsBeforeEnd?: number;
  /** Each /v1/messages answer waits this long first, ms (a model's reply time in benchmarks). Default 0. */
  latencyMs?: number;
}

export interface AnthropicTestServer {
  baseURL: string;
  requests: RecordedRequest[];
  /** Append scripted answers. */
  enqueue(...s: Scripted[]): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error',
};

/** Starts the server. Close it in `afterEach`/`afterAll`. */
export async function startAnthropicServer(opts: AnthropicServerOptions = {}): Promise<AnthropicTestServer> {
  const requests: RecordedRequest[] = [];
  const queue: Scripted[] = Array.isArray(opts.script) ? [...opts.script] : [];
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { expires: number; ttlMs: number }>();
  const rand = mulberry32(opts.randomFailure?.seed ?? 1);
  const batches = new Map<string, { body: any; polls: number; results: string[]; created: number }>();
  let messageCalls = 0;
  let ids = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      let body: any = undefined;
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        return sendError(res, 400, 'invalid_request_error', 'body is not JSON');
      }
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: flatHeaders(req), body };
      requests.push(rec);
      const key = rec.headers['x-api-key'] ?? rec.headers['authorization']?.replace(/^Bearer /, '');
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
        return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      }
      route(rec, res);
    });
  });

  function route(rec: RecordedRequest, res: ServerResponse): void {
    const path = rec.path.split('?')[0]!;
    if (rec.method === 'POST' && path === '/v1/messages') return void (opts.latencyMs ? setTimeout(() => messages(rec, res), opts.latencyMs) : messages(rec, res));
    if (rec.method === 'POST' && path === '/v1/messages/count_tokens') {
      return sendJson(res, 200, { input_tokens: account(rec.body, false).total });
    }
    if (rec.method === 'POST' && path === '/v1/messages/batches') return createBatch(rec, res);
    const m = /^\/v1\/messages\/batches\/([\w-]+)(\/results)?$/.exec(path);
    if (rec.method === 'GET' && m) return batchGet(m[1]!, m[2] !== undefined, res);
    sendError(res, 404, 'not_found_error', `no route ${rec.method} ${path}`);
  }

  function nextScripted(rec: RecordedRequest): Scripted {
    const n = messageCalls++;
    if (opts.randomFailure && rand() < opts.randomFailure.rate) {
      return { kind: 'error', status: opts.randomFailure.status ?? 529, message: 'random fault' };
    }
    if (typeof opts.script === 'function') return opts.script(rec, n);
    return queue.shift() ?? { kind: 'error', status: 500, message: 'anthropic test server: no scripted response left' };
  }

  function messages(rec: RecordedRequest, res: ServerResponse): void {
    const s = nextScripted(rec);
    if (s.kind === 'error') return sendError(res, s.status, s.type ?? ERROR_TYPES[s.status] ?? 'api_error', s.message ?? 'scripted error', s.headers);
    if (s.kind === 'reset' && !rec.body?.stream) return void res.socket?.destroy();
    const msg = s.kind === 'message' ? buildMessage(rec.body, s) : buildMessage(rec.body, { kind: 'message', content: [{ type: 'text', text: 'partial answer that never ends' }] });
    if (!rec.body?.stream) return sendJson(res, 200, msg);
    streamMessage(res, msg, s.kind === 'reset' ? (s.afterEvents ?? 3) : undefined);
  }

  function buildMessage(body: any, s: Extract<Scripted, { kind: 'message' }>): any {
    const acc = account(body, true);
    const out = Math.ceil(JSON.stringify(s.content).length / 4);
    return {
      id: `msg_${++ids}`, type: 'message', role: 'assistant', model: s.model ?? body?.model,
      content: s.content,
      stop_reason: s.stopReason ?? (s.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: acc.input, output_tokens: out,
        cache_read_input_tokens: acc.read, cache_creation_input_tokens: acc.write,
        cache_creation: { ephemeral_5m_input_tokens: acc.ttl === '1h' ? 0 : acc.write, ephemeral_1h_input_tokens: acc.ttl === '1h' ? acc.write : 0 },
        ...s.usage,
      },
    };
  }

  /** Cache accounting of one request (see the module comment). `commit` writes/refreshes entries. */
  function account(body: any, commit: boolean): { total: number; read: number; write: number; input: number; ttl: string } {
    const blocks: { text: string; ttl?: string }[] = [];
    const strip = (b: any) => {
      const { cache_control, ...rest } = b ?? {};
      return { text: canonical(rest), ttl: cache_control ? (cache_control.ttl ?? '5m') : undefined };
    };
    for (const t of body?.tools ?? []) blocks.push(strip(t));
    const system = typeof body?.system === 'string' ? [{ type: 'text', text: body.system }] : (body?.system ?? []);
    for (const b of system) blocks.push(strip(b));
    (body?.messages ?? []).forEach((m: any, i: number) => {
      const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
      for (const b of content) {
        const s = strip(b);
        blocks.push({ ...s, text: `${i}:${m.role}:${s.text}` });
      }
    });
    const prefixes: string[] = [];
    let acc = '';
    for (const b of blocks) prefixes.push((acc += b.text));
    const tokens = (i: number) => Math.ceil(prefixes[i]!.length / 4);
    const total = Math.ceil(acc.length / 4);
    const keyOf = (i: number) => createHash('sha256').update(`${body?.model}\n${prefixes[i]}`).digest('hex');
    const bps = blocks.flatMap((b, i) => (b.ttl ? [i] : []));
    const t = now();

    let read = 0;
    let hit = -1;
    for (const bp of bps) {
      for (let i = bp; i >= Math.max(0, bp - 19); i--) {
        const e = cache.get(keyOf(i));
        if (e && e.expires > t && tokens(i) > read) {
          read = tokens(i);
          hit = i;
          break;
        }
      }
    }
    if (commit && hit >= 0) {
      const e = cache.get(keyOf(hit))!;
      e.expires = t + e.ttlMs; // a hit refreshes the TTL
    }
    let writtenTo = read;
    let ttl = '5m';
    for (const bp of bps) {
      if (tokens(bp) <= read || tokens(bp) < (opts.minCacheableTokens ?? 1024)) continue;
      ttl = blocks[bp]!.ttl!;
      const ttlMs = ttl === '1h' ? 3_600_000 : 300_000;
      if (commit) cache.set(keyOf(bp), { expires: t + ttlMs, ttlMs });
      writtenTo = Math.max(writtenTo, tokens(bp));
    }
    const write = writtenTo - read;
    return { total, read, write, input: total - read - write, ttl };
  }

  function streamMessage(res: ServerResponse, msg: any, cutAfter: number | undefined): void {
    const events: [string, unknown][] = [];
    const { content, usage, stop_reason, ...head } = msg;
    events.push(['message_start', { type: 'message_start', message: { ...head, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }]);
    content.forEach((b: ScriptedBlock, index: number) => {
      if (b.type === 'text') {
        events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
        for (const part of halves(b.text)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } }]);
      } else if (b.type === 'tool_use') {
        events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }]);
        for (const part of halves(JSON.stringify(b.input))) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } }]);
      } else {
        events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }]);
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: b.thinking } }]);
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: b.signature } }]);
      }
      events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    });
    events.push(['message_delta', { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage }]);
    events.push(['message_stop', { type: 'message_stop' }]);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const sent = cutAfter === undefined ? events : events.slice(0, cutAfter);
    const text = sent.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
    if (cutAfter === undefined) return void res.end(text);
    // Flush what was written, then cut the connection mid-stream.
    res.write(text, () => res.socket?.destroy());
  }

  function createBatch(rec: RecordedRequest, res: ServerResponse): void {
    const id = `msgbatch_${++ids}`;
    const results = (rec.body?.requests ?? []).map((r: any) => {
      const s = nextScripted({ ...rec, body: r.params });
      const result = s.kind === 'message'
        ? { type: 'succeeded', message: buildMessage(r.params, s) }
        : { type: 'errored', error: { type: 'error', error: { type: s.kind === 'error' ? (s.type ?? ERROR_TYPES[s.status] ?? 'api_error') : 'api_error', message: 'scripted batch error' } } };
      return JSON.stringify({ custom_id: r.custom_id, result });
    });
    batches.set(id, { body: rec.body, polls: 0, results, created: now() });
    sendJson(res, 200, batchObject(id));
  }

  function batchObject(id: string): any {
    const b = batches.get(id)!;
    const ended = b.polls > (opts.batchPollsBeforeEnd ?? 1);
    const n = b.results.length;
    const ok = b.results.filter((r) => r.includes('"type":"succeeded"')).length;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id, type: 'message_batch', processing_status: ended ? 'ended' : 'in_progress',
      request_counts: { processing: ended ? 0 : n, succeeded: ended ? ok : 0, errored: ended ? n - ok : 0, canceled: 0, expired: 0 },
      created_at: iso(b.created), expires_at: iso(b.created + 86_400_000), ended_at: ended ? iso(now()) : null,
      cancel_initiated_at: null, archived_at: null,
      results_url: ended ? `${baseURL}/v1/messages/batches/${id}/results` : null,
    };
  }

  function batchGet(id: string, results: boolean, res: ServerResponse): void {
    const b = batches.get(id);
    if (!b) return sendError(res, 404, 'not_found_error', `no batch ${id}`);
    if (results) {
      res.writeHead(200, { 'content-type': 'application/binary' });
      return void res.end(b.results.join('\n') + '\n');
    }
    b.polls++;
    sendJson(res, 200, batchObject(id));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseURL,
    requests,
    enqueue: (...s) => void queue.push(...s),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${status}`, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: `req_${status}` }, headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

function halves(s: string): string[] {
  const mid = Math.ceil(s.length / 2);
  return s.length < 2 ? [s] : [s.slice(0, mid), s.slice(mid)];
}

/** Small seeded PRNG (mulberry32) so random faults are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
