/**
 * `GET /`: the page to watch runs (static HTML + one script, no build step, no external request).
 * It asks for an API key once (kept in the tab's sessionStorage) and reads the same API as any client.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const asset = (name: string) => readFileSync(new URL(`./web/${name}`, import.meta.url), 'utf8');

/** Security headers of the page: its own script only, no frames, no referrer. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function registerWebUi(app: FastifyInstance): void {
  const html = asset('index.html');
  const js = asset('app.js');
  const css = asset('app.css');
  app.get('/', async (_req, reply) => reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html));
  app.get('/ui/app.js', async (_req, reply) => reply.headers(PAGE_HEADERS).type('text/javascript; charset=utf-8').send(js));
  app.get('/ui/app.css', async (_req, reply) => reply.headers(PAGE_HEADERS).type('text/css; charset=utf-8').send(css));
}
