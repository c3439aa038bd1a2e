/**
 * A local HTTP server speaking the part of GitHub's REST API patchloop uses: issues, issue comments,
 * pull requests (list by head, create, update), repository. State is in memory; every request is
 * recorded (method, path, query, body, authorization header) so tests assert on what was sent.
 * `fail()` queues canned answers (401, 404, 422, 403/429 rate limits) for matching requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  auth: string | undefined;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  times: number;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  /** Merged pull requests cannot be reopened (GitHub answers 422). */
  merged?: boolean;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<number, FakeIssue>();
  readonly pulls: FakePull[] = [];
  readonly comments: FakeComment[] = [];
  defaultBranch = 'main';
  /** Token the server accepts (`Authorization: token <t>` or `Bearer <t>`). */
  token = 'ghs_test_token_123';
  private faults: Fault[] = [];
  private nextId = 1000;
  private server?: http.Server;
  url = '';

  constructor(readonly owner = 'acme', readonly repo = 'widgets') {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => this.handle(req, raw, res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Answers the next `times` requests matching method and path with `status`. */
  fail(method: string, path: RegExp, status: number, opts: { headers?: Record<string, string>; body?: unknown; times?: number } = {}): void {
    this.faults.push({ method, path, status, headers: opts.headers ?? {}, body: opts.body ?? { message: `fault ${status}` }, times: opts.times ?? 1 });
  }

  addIssue(issue: Partial<FakeIssue> & { number: number }): void {
    this.issues.set(issue.number, { title: `Issue ${issue.number}`, body: '', labels: [], ...issue });
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body: raw ? JSON.parse(raw) : undefined, auth: req.headers.authorization };
    this.requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const fault = this.faults.find((f) => f.times > 0 && f.method === rec.method && f.path.test(rec.path));
    if (fault) {
      fault.times--;
      return send(fault.status, fault.body, fault.headers);
    }
    if (rec.auth !== `token ${this.token}` && rec.auth !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
    const base = `/repos/${this.owner}/${this.repo}`;
    if (!rec.path.startsWith(base)) return send(404, { message: 'Not Found' });
    const rest = rec.path.slice(base.length);
    let m: RegExpMatchArray | null;
    const html = (p: string) => `https://github.example/${this.owner}/${this.repo}/${p}`;
    const pullJson = (p: FakePull) => ({ number: p.number, title: p.title, body: p.body, state: p.state, html_url: html(`pull/${p.number}`), head: { ref: p.head }, base: { ref: p.base } });
    const commentJson = (c: FakeComment) => ({ id: c.id, body: c.body, user: { login: c.user }, html_url: html(`issues/${c.issue}#issuecomment-${c.id}`) });

    if (rest === '' && rec.method === 'GET') return send(200, { default_branch: this.defaultBranch, full_name: `${this.owner}/${this.repo}` });
    if ((m = rest.match(/^\/issues\/(\d+)$/)) && rec.method === 'GET') {
      const i = this.issues.get(Number(m[1]));
      return i ? send(200, { number: i.number, title: i.title, body: i.body, labels: i.labels.map((name) => ({ name })), html_url: html(`issues/${i.number}`) }) : send(404, { message: 'Not Found' });
    }
    if ((m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = Number(m[1]);
      if (rec.method === 'GET') return send(200, this.comments.filter((c) => c.issue === issue).map(commentJson));
      if (rec.method === 'POST') {
        const c = { id: this.nextId++, issue, body: String(rec.body.body), user: 'patchloop[bot]' };
        this.comments.push(c);
        return send(201, commentJson(c));
      }
    }
    if ((m = rest.match(/^\/issues\/comments\/(\d+)$/)) && rec.method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = String(rec.body.body);
      return send(200, commentJson(c));
    }
    if (rest === '/pulls' && rec.method === 'GET') {
      const head = u.searchParams.get('head');
      const state = u.searchParams.get('state') ?? 'open';
      const found = this.pulls.filter((p) => (!head || `${this.owner}:${p.head}` === head) && (state === 'all' || p.state === state));
      return send(200, found.map(pullJson));
    }
    if (rest === '/pulls' && rec.method === 'POST') {
      const b = rec.body as { title: string; head: string; base: string; body: string };
      if (this.pulls.some((p) => p.head === b.head && p.state === 'open')) {
        return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.owner}:${b.head}.` }] });
      }
      const p: FakePull = { number: this.nextId++, title: b.title, body: b.body, head: b.head, base: b.base, state: 'open' };
      this.pulls.push(p);
      return send(201, pullJson(p));
    }
    if ((m = rest.match(/^\/pulls\/(\d+)$/)) && rec.method === 'PATCH') {
      const p = this.pulls.find((x) => x.number === Number(m![1]));
      if (!p) return send(404, { message: 'Not Found' });
      if (p.merged && rec.body?.state === 'open') return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'state cannot be changed. The pull request cannot be reopened.' }] });
      Object.assign(p, rec.body);
      return send(200, pullJson(p));
    }
    return send(404, { message: `Not Found: ${rec.method} ${rec.path}` });
  }
}

/**
 * A local git smart-HTTP server (`git http-backend` as CGI) over the bare repositories in `root`,
 * requiring `Authorization: Basic base64(x-access-token:<token>)` — GitHub's form for app tokens.
 * Records each request's method, path and Authorization header.
 */
export class GitHttpServer {
  readonly requests: { method: string; path: string; auth: string | undefined }[] = [];
  private server?: http.Server;
  url = '';

  constructor(readonly root: string, readonly token: string) {}

  async start(): Promise<this> {
    const { spawn } = await import('node:child_process');
    const expected = `Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}`;
    this.server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      this.requests.push({ method: req.method ?? 'GET', path: u.pathname, auth: req.headers.authorization });
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
        return void res.end('auth required');
      }
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIT_PROJECT_ROOT: this.root, GIT_HTTP_EXPORT_ALL: '1', REMOTE_USER: 'x-access-token',
          REQUEST_METHOD: req.method ?? 'GET', PATH_INFO: u.pathname, QUERY_STRING: u.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.receivepack', GIT_CONFIG_VALUE_0: 'true',
          ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        },
      });
      req.pipe(cgi.stdin);
      const chunks: Buffer[] = [];
      cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
      cgi.on('close', () => {
        const out = Buffer.concat(chunks);
        const sep = out.indexOf('\r\n\r\n');
        const head = out.subarray(0, sep).toString();
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head.split('\r\n')) {
          const i = line.indexOf(':');
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
          else if (k) headers[k] = v;
        }
        res.writeHead(status, headers);
        res.end(out.subarray(sep + 4));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
