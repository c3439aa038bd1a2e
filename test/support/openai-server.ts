/**
 * A local OpenAI-compatible wire server (real `node:http` on 127.0.0.1:0): `POST
 * /v1/chat/completions` as JSON and as SSE (`data: {chunk}` … `data: [DONE]`), scripted answers,
 * fault injection (status + headers, OpenAI-style error bodies, connection reset mid-stream, seeded
 * random failures) and request recording.
 *
 * Automatic prefix caching is modelled as OpenAI documents it: prompts ≥ 1,024 tokens; the longest
 * prefix identical to an earlier request's (serialised tools + messages, canonical JSON), in
 * 128-token steps, is reported as `prompt_tokens_details.cached_tokens`. Tokens ≈ chars / 4.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32, type RecordedRequest } from './anthropic-server.ts';

export type { RecordedRequest };

export type OpenAIScripted =
  | { kind: 'message'; content?: string; toolCalls?: { id?: string; name: string; arguments: string }[]; finishReason?: string; model?: string; usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number } }
  | { kind: 'error'; status: number; message?: string; type?: string; code?: string; headers?: Record<string, string> }
  /** Destroy the connection: before any byte (JSON) or after `afterChunks` SSE chunks. */
  | { kind: 'reset'; afterChunks?: number };

export interface OpenAIServerOptions {
  script?: OpenAIScripted[] | ((req: RecordedRequest, n: number) => OpenAIScripted);
  /** Required Bearer key; any non-empty one when unset. */
  apiKey?: string;
  randomFailure?: { rate: number; seed: number; status?: number };
}

export interface OpenAITestServer {
  /** Base URL including `/v1`, as the SDK's `baseURL` expects. */
  baseURL: string;
  requests: RecordedRequest[];
  enqueue(...s: OpenAIScripted[]): void;
  close(): Promise<void>;
}

export async function startOpenAIServer(opts: OpenAIServerOptions = {}): Promise<OpenAITestServer> {
  const requests: RecordedRequest[] = [];
  const queue: OpenAIScripted[] = Array.isArray(opts.script) ? [...opts.script] : [];
  const rand = mulberry32(opts.randomFailure?.seed ?? 1);
  const seen: string[] = [];
  let calls = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      } catch {
        return sendError(res, 400, 'body is not JSON', 'invalid_request_error');
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers, body };
      requests.push(rec);
      const key = headers['authorization']?.replace(/^Bearer /, '');
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) return sendError(res, 401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
      if (rec.method !== 'POST' || rec.path.split('?')[0] !== '/v1/chat/completions') return sendError(res, 404, `no route ${rec.method} ${rec.path}`, 'invalid_request_error');
      answer(rec, res);
    });
  });

  function next(rec: RecordedRequest): OpenAIScripted {
    const n = calls++;
    if (opts.randomFailure && rand() < opts.randomFailure.rate) return { kind: 'error', status: opts.randomFailure.status ?? 500, message: 'random fault' };
    if (typeof opts.script === 'function') return opts.script(rec, n);
    return queue.shift() ?? { kind: 'error', status: 500, message: 'openai test server: no scripted response left' };
  }

  function answer(rec: RecordedRequest, res: ServerResponse): void {
    const s = next(rec);
    if (s.kind === 'error') return sendError(res, s.status, s.message ?? 'scripted error', s.type ?? (s.status >= 500 ? 'server_error' : 'invalid_request_error'), s.code, s.headers);
    if (s.kind === 'reset' && !rec.body?.stream) return void res.socket?.destroy();
    const m = s.kind === 'message' ? s : { kind: 'message' as const, content: 'partial answer that never ends' };
    const text = canonical({ tools: rec.body?.tools ?? [], messages: rec.body?.messages ?? [] });
    const prompt = Math.ceil(text.length / 4);
    const cached = m.usage?.cached_tokens ?? cachedTokens(text, prompt);
    seen.push(text);
    const toolCalls = (m.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${calls}_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    const finish = m.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const usage = {
      prompt_tokens: m.usage?.prompt_tokens ?? prompt,
      completion_tokens: m.usage?.completion_tokens ?? Math.ceil(((m.content ?? '').length + JSON.stringify(toolCalls).length) / 4),
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: cached },
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const model = m.model ?? rec.body?.model;
    const head = { id: `chatcmpl-${calls}`, created: 1_700_000_000, model };
    if (!rec.body?.stream) {
      return sendJson(res, 200, {
        ...head, object: 'chat.completion',
        choices: [{ index: 0, finish_reason: finish, logprobs: null, message: { role: 'assistant', content: m.content ?? null, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } }],
        usage,
      });
    }
    const chunk = (delta: unknown, finish_reason: string | null = null) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }] });
    const out: unknown[] = [chunk({ role: 'assistant', content: '' })];
    const content = m.content ?? '';
    for (const part of [content.slice(0, Math.ceil(content.length / 2)), content.slice(Math.ceil(content.length / 2))]) if (part) out.push(chunk({ content: part }));
    toolCalls.forEach((c, index) => {
      out.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] }));
      const a = c.function.arguments;
      for (const part of [a.slice(0, Math.ceil(a.length / 2)), a.slice(Math.ceil(a.length / 2))]) if (part) out.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    });
    out.push(chunk({}, finish));
    out.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const cut = s.kind === 'reset' ? (s.afterChunks ?? 2) : undefined;
    const sent = cut === undefined ? out : out.slice(0, cut);
    const body = sent.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('');
    if (cut === undefined) return void res.end(body + 'data: [DONE]\n\n');
    res.write(body, () => res.socket?.destroy());
  }

  /** Longest prefix shared with an earlier prompt, in whole 128-token steps; 0 under 1,024 tokens. */
  function cachedTokens(text: string, prompt: number): number {
    if (prompt < 1024) return 0;
    let best = 0;
    for (const s of seen) {
      let i = 0;
      const n = Math.min(s.length, text.length);
      while (i < n && s.charCodeAt(i) === text.charCodeAt(i)) i++;
      best = Math.max(best, i);
    }
    const tokens = Math.floor(best / 4);
    return tokens < 1024 ? 0 : Math.floor(tokens / 128) * 128;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    enqueue: (...s) => void queue.push(...s),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${status}`, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param: null, code: code ?? null } }, headers);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

